"""An organisation's members: invitations, requests to join, removing people."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from core.forms import submitted_id
from providers import selectors, services
from providers.forms import InvitationForm, JoinRequestDecisionForm
from providers.models import Invitation, JoinRequest, Membership
from providers.views.mixins import MemberOrganisationMixin


class OrganisationMembersView(MemberOrganisationMixin, FormView):
    """Organisation admins: the members, requests to join, invitations, and inviting someone."""

    permission_required = "providers.manage_organisation"
    template_name = "providers/organisation_members.html"
    form_class = InvitationForm

    def get_context_data(self, **kwargs):
        organisation = self.organisation
        members = list(selectors.organisation_members(organisation=organisation))
        return super().get_context_data(
            members=members,
            admin_count=sum(1 for m in members if m.role == Membership.Role.ADMIN),
            invitations=list(selectors.organisation_invitations_live(organisation=organisation)),
            join_requests=list(
                selectors.organisation_join_requests_waiting(organisation=organisation)
            ),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "revoke" in request.POST:
            return self.revoke(submitted_id(request.POST, "revoke"))
        return super().post(request, *args, **kwargs)

    def revoke(self, pk: int):
        invitation = self.organisation.invitations.filter(pk=pk).first()
        if invitation is None:
            raise Http404("No such invitation")
        try:
            services.invitation_revoke(invitation=invitation)
        except ValidationError as error:
            messages.error(self.request, error.messages[0])
        else:
            messages.success(
                self.request, f"The invitation to {invitation.email} has been withdrawn"
            )
        return redirect("organisation_members", pk=self.organisation.pk)

    def form_valid(self, form):
        try:
            invitation = services.invitation_create(
                organisation=self.organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, f"An invitation has been sent to {invitation.email}")
        return redirect("organisation_members", pk=self.organisation.pk)


class MembershipRemoveView(MemberOrganisationMixin, TemplateView):
    """Ask "Are you sure?", then remove the person. The last admin cannot be removed."""

    permission_required = "providers.manage_organisation"
    template_name = "providers/membership_remove.html"

    @cached_property
    def membership(self) -> Membership:
        membership = (
            self.organisation.memberships.select_related("user")
            .filter(pk=self.kwargs["membership_pk"])
            .first()
        )
        if membership is None:
            raise Http404("No such member")
        return membership

    @property
    def is_last_admin(self) -> bool:
        return (
            self.membership.role == Membership.Role.ADMIN
            and selectors.organisation_admin_count(organisation=self.organisation) <= 1
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            membership=self.membership,
            is_self=self.membership.user_id == self.request.user.pk,
            is_last_admin=self.is_last_admin,
            last_admin_message=services.LAST_ADMIN,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        membership, organisation = self.membership, self.organisation
        try:
            services.membership_remove(membership=membership)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("organisation_members", pk=organisation.pk)
        if membership.user_id == request.user.pk:
            messages.success(request, f"You have left {organisation.name}")
            return redirect("provider_home")
        messages.success(
            request, f"{membership.user.get_full_name()} has been removed from {organisation.name}"
        )
        return redirect("organisation_members", pk=organisation.pk)


class JoinRequestDecideView(MemberOrganisationMixin, FormView):
    """An organisation admin approves or declines a request to join."""

    permission_required = "providers.manage_organisation"
    template_name = "providers/join_request_decide.html"
    form_class = JoinRequestDecisionForm

    @cached_property
    def join_request(self) -> JoinRequest:
        join_request = (
            self.organisation.join_requests.select_related("user", "decided_by")
            .filter(pk=self.kwargs["request_pk"])
            .first()
        )
        if join_request is None:
            raise Http404("No such request")
        return join_request

    def get_context_data(self, **kwargs):
        return super().get_context_data(join_request=self.join_request, **kwargs)

    def form_invalid(self, form):
        messages.error(self.request, form.errors["decision"][0])
        return redirect(
            "join_request_decide", pk=self.organisation.pk, request_pk=self.join_request.pk
        )

    def form_valid(self, form):
        join_request = self.join_request
        approve = form.cleaned_data["decision"] == "approve"
        try:
            services.join_request_decide(
                join_request=join_request, decided_by=self.request.user, approve=approve
            )
        except ValidationError as error:
            messages.error(self.request, error.messages[0])
        else:
            name = join_request.user.get_full_name()
            if approve:
                messages.success(
                    self.request, f"{name} is now a member of {self.organisation.name}"
                )
            else:
                messages.success(self.request, f"You have declined {name}’s request to join")
        return redirect("organisation_members", pk=self.organisation.pk)


class InvitationAcceptView(TemplateView):
    """The link in an invitation email. Accepting needs the person signed in with the
    email address it was sent to; the page says what to do otherwise."""

    template_name = "providers/invitation_accept.html"

    @cached_property
    def invitation(self) -> Invitation:
        invitation = (
            Invitation.objects.select_related("organisation", "invited_by")
            .filter(token=self.kwargs["token"])
            .first()
        )
        if invitation is None:
            raise Http404("No such invitation")
        return invitation

    def get_context_data(self, **kwargs):
        user = self.request.user
        invitation = self.invitation
        problem = (
            services.invitation_problem(invitation=invitation, user=user)
            if user.is_authenticated
            else None
        )
        return super().get_context_data(
            invitation=invitation,
            organisation=invitation.organisation,
            problem=problem,
            is_member=user.is_authenticated
            and invitation.organisation.memberships.filter(user=user).exists(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        invitation = self.invitation
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("invitation_accept", token=invitation.token)
        selectors.current_organisation_set(request, organisation=invitation.organisation)
        messages.success(request, f"You are now a member of {invitation.organisation.name}")
        return redirect("organisation_detail", pk=invitation.organisation_id)
