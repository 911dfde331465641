"""The organisation named in the URL, found for the person asking."""

from django.http import Http404
from django.utils.functional import cached_property

from core.mixins import ObjectPermissionRequiredMixin
from providers import selectors
from providers.models import Organisation


class MemberOrganisationMixin(ObjectPermissionRequiredMixin):
    """A page of one organisation for its members: 404 for anyone who does not belong
    to it (so no one learns about another organisation), 403 for a member without the
    `permission_required` (an organisation admin's page)."""

    permission_required = "providers.view_organisation"

    @cached_property
    def organisation(self) -> Organisation:
        try:
            return selectors.organisation_for_member_get(
                pk=self.kwargs["pk"], user=self.request.user
            )
        except Organisation.DoesNotExist as error:
            raise Http404("No such organisation") from error

    def get_permission_object(self):
        return self.organisation

    @cached_property
    def is_org_admin(self) -> bool:
        return self.request.user.has_perm("providers.manage_organisation", self.organisation)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("organisation", self.organisation)
        kwargs.setdefault("is_org_admin", self.is_org_admin)
        return super().get_context_data(**kwargs)
