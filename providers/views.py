from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.views import View
from django.views.generic import ListView

from providers.models import Organisation


class ProviderHomeView(LoginRequiredMixin, ListView):
    """The signed-in person's organisations and their verification status."""

    template_name = "providers/home.html"
    context_object_name = "organisations"

    def get_queryset(self):
        return Organisation.objects.for_user(self.request.user).select_related("sector")


class _Unbuilt(View):
    """Being written: answers 404 until it is built."""

    def dispatch(self, request, *args, **kwargs):
        raise Http404


class OrganisationCreateView(_Unbuilt):
    pass


class OrganisationJoinView(_Unbuilt):
    pass


class OrganisationSwitchView(_Unbuilt):
    pass


class OrganisationDetailView(_Unbuilt):
    pass


class OrganisationUpdateView(_Unbuilt):
    pass


class OrganisationMembersView(_Unbuilt):
    pass


class MembershipRemoveView(_Unbuilt):
    pass


class JoinRequestDecideView(_Unbuilt):
    pass


class ComplianceView(_Unbuilt):
    pass


class ComplianceDocumentDownloadView(_Unbuilt):
    pass


class InvitationAcceptView(_Unbuilt):
    pass


class StaffOrganisationListView(_Unbuilt):
    pass


class StaffOrganisationDetailView(_Unbuilt):
    pass


class OrganisationVerifyView(_Unbuilt):
    pass
