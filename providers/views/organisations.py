"""A person's organisations: registering one, asking to join one, switching between them,
and the organisation's own page."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView

from core.forms import submitted_id
from monitoring import dashboards
from providers import selectors, services
from providers.forms import (
    JoinRequestForm,
    OrganisationForm,
    OrganisationSearchForm,
    SwitchOrganisationForm,
)
from providers.models import Organisation
from providers.todos import provider_todos_get
from providers.views.mixins import MemberOrganisationMixin

PENDING_MESSAGE = (
    "Waiting for the council to verify your organisation. "
    "You cannot submit bids until it is verified."
)


class ProviderHomeView(LoginRequiredMixin, TemplateView):
    """Your organisations: the one you are working for, a switcher, and what is waiting."""

    template_name = "providers/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        memberships = list(selectors.memberships_for_user(user=user))
        current = selectors.current_organisation_get(
            self.request, organisations=[membership.organisation for membership in memberships]
        )
        home = dashboards.provider_home_get(user=user)
        return super().get_context_data(
            memberships=memberships,
            current_organisation=current,
            switch_choices=[m.organisation for m in memberships] if len(memberships) > 1 else [],
            join_requests=list(selectors.join_requests_waiting_for_user(user=user)),
            invitations=list(selectors.invitations_waiting_for_user(user=user)),
            pending_message=PENDING_MESSAGE,
            provider_home=home,
            todos=provider_todos_get(user=user, home=home),
            **kwargs,
        )


class OrganisationCreateView(LoginRequiredMixin, FormView):
    """Register an organisation; the person registering it becomes its admin."""

    template_name = "providers/organisation_form.html"
    form_class = OrganisationForm

    def form_valid(self, form):
        try:
            organisation = services.organisation_create(
                created_by=self.request.user, **form.organisation_data()
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        selectors.current_organisation_set(self.request, organisation=organisation)
        messages.success(
            self.request,
            f"{organisation.name} has been registered. The council will check its details "
            "before you can submit bids.",
        )
        return redirect("organisation_detail", pk=organisation.pk)


class OrganisationJoinView(LoginRequiredMixin, TemplateView):
    """Find a registered organisation by name or number, then ask its admins to join."""

    template_name = "providers/organisation_join.html"

    @cached_property
    def chosen(self) -> Organisation | None:
        """The organisation picked from the search results (`?organisation=<pk>`)."""
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        pk = submitted_id(data, "organisation", optional=True)
        if pk is None:
            return None
        return Organisation.objects.select_related("sector").filter(pk=pk).first()

    def get_context_data(self, **kwargs):
        user = self.request.user
        search_form = OrganisationSearchForm(self.request.GET if "q" in self.request.GET else None)
        results = []
        if search_form.is_bound and search_form.is_valid():
            results = list(selectors.organisations_search(query=search_form.cleaned_data["q"]))
        mine = set(Organisation.objects.for_user(user).values_list("pk", flat=True))
        asked = set(
            selectors.join_requests_waiting_for_user(user=user).values_list(
                "organisation_id", flat=True
            )
        )
        kwargs.setdefault("form", None)
        chosen = self.chosen
        if kwargs["form"] is None and chosen is not None and chosen.pk not in mine | asked:
            kwargs["form"] = JoinRequestForm(initial={"organisation": chosen.pk})
        return super().get_context_data(
            search_form=search_form,
            results=results,
            searched=search_form.is_bound,
            search_limit=selectors.SEARCH_LIMIT,
            chosen=chosen,
            mine=mine,
            asked=asked,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = JoinRequestForm(request.POST)
        if form.is_valid():
            organisation = form.cleaned_data["organisation"]
            try:
                services.join_request_create(
                    organisation=organisation,
                    user=request.user,
                    message=form.cleaned_data["message"],
                )
            except ValidationError as error:
                messages.error(request, error.messages[0])
                return redirect("provider_home")
            messages.success(
                request,
                f"Your request to join {organisation.name} has been sent to its admins. "
                "We will email you when they reply.",
            )
            return redirect("provider_home")
        return self.render_to_response(self.get_context_data(form=form))


class OrganisationSwitchView(LoginRequiredMixin, View):
    """Work for another of your organisations (kept for the rest of the session)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = SwitchOrganisationForm(request.POST, user=request.user)
        if form.is_valid():
            organisation = form.cleaned_data["organisation"]
            selectors.current_organisation_set(request, organisation=organisation)
            messages.success(request, f"You are now working for {organisation.name}")
        else:
            messages.error(request, form.errors["organisation"][0])
        next_url = request.POST.get("next", "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(next_url)  # redirect() would try "abc" as a URL name
        return redirect("provider_home")


class OrganisationDetailView(MemberOrganisationMixin, TemplateView):
    """The organisation's page, for its members: details, verification, members, compliance."""

    template_name = "providers/organisation_detail.html"

    def get_context_data(self, **kwargs):
        organisation = self.organisation
        context = super().get_context_data(**kwargs)
        context.update(
            members=list(selectors.organisation_members(organisation=organisation)),
            compliance=selectors.organisation_compliance_summary(organisation=organisation),
            pending_message=PENDING_MESSAGE,
            requests_waiting=(
                selectors.organisation_join_requests_waiting(organisation=organisation).count()
                if self.is_org_admin
                else 0
            ),
            is_current=selectors.current_organisation_get(self.request) == organisation,
        )
        return context


class OrganisationUpdateView(MemberOrganisationMixin, FormView):
    """An organisation admin changes its details. New registration numbers on a verified
    organisation send it back to the council to verify (the page says so first)."""

    permission_required = "providers.manage_organisation"
    template_name = "providers/organisation_form.html"
    form_class = OrganisationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.organisation}

    def form_valid(self, form):
        organisation = self.organisation
        was = organisation.verification_status
        try:
            organisation = services.organisation_update(
                organisation=organisation, changed_by=self.request.user, **form.organisation_data()
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if was != organisation.verification_status:
            messages.success(
                self.request,
                "Your changes have been saved. The council will verify your organisation "
                "again before you can submit bids.",
            )
        else:
            messages.success(self.request, "Your changes have been saved")
        return redirect("organisation_detail", pk=organisation.pk)
