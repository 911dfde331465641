"""Council staff: the register of organisations and verifying them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic import FormView, ListView, TemplateView

from core.mixins import FilterQueryMixin, ObjectPermissionRequiredMixin, StaffRequiredMixin
from providers import selectors, services
from providers.forms import StaffOrganisationFilterForm, VerificationForm
from providers.models import Organisation


class StaffOrganisationListView(StaffRequiredMixin, FilterQueryMixin, ListView):
    """Every registered organisation, those waiting for verification first, with filters
    and counts by status."""

    template_name = "providers/staff_organisation_list.html"
    context_object_name = "organisations"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = StaffOrganisationFilterForm(self.request.GET or None)
        filters = self.filter_form.cleaned_data if self.filter_form.is_valid() else {}
        return selectors.organisations_staff_list(
            status=filters.get("status") or "", sector=filters.get("sector")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for organisation in context["organisations"]:
            summary = selectors.compliance_summary(
                documents=list(organisation.compliance_documents.all())
            )
            organisation.compliance_up_to_date = sum(
                1 for row in summary if row.status in ("up_to_date", "expires_soon")
            )
            organisation.compliance_expired = sum(1 for row in summary if row.status == "expired")
        context.update(
            form=self.filter_form,
            counts=selectors.organisation_status_counts(),
            statuses=Organisation.Verification,
            filtered=any(self.request.GET.get(name) for name in ("status", "sector")),
            can_verify=self.request.user.has_perm("providers.verify_organisation"),
        )
        return context


class StaffOrganisationMixin:
    @cached_property
    def organisation(self) -> Organisation:
        try:
            return selectors.organisation_get(pk=self.kwargs["pk"])
        except Organisation.DoesNotExist as error:
            raise Http404("No such organisation") from error

    def get_context_data(self, **kwargs):
        organisation = self.organisation
        documents = list(selectors.compliance_documents_list(organisation=organisation))
        return super().get_context_data(
            organisation=organisation,
            documents=documents,
            compliance=selectors.compliance_summary(
                documents=documents,
                bidding=selectors.organisation_is_bidding(organisation=organisation),
            ),
            members=list(selectors.organisation_members(organisation=organisation)),
            can_verify=self.request.user.has_perm("providers.verify_organisation", organisation),
            **kwargs,
        )


class StaffOrganisationDetailView(StaffRequiredMixin, StaffOrganisationMixin, TemplateView):
    """One organisation for council staff: its registration, compliance and members, and
    (for officers and administrators) the verification decision."""

    template_name = "providers/staff_organisation_detail.html"

    def get_context_data(self, **kwargs):
        initial = {}
        if self.organisation.verification_status == Organisation.Verification.REJECTED:
            initial = {"decision": "reject", "note": self.organisation.verification_note}
        return super().get_context_data(form=VerificationForm(initial=initial), **kwargs)


class OrganisationVerifyView(StaffOrganisationMixin, ObjectPermissionRequiredMixin, FormView):
    """Officers and administrators verify an organisation, or record why they cannot."""

    permission_required = "providers.verify_organisation"
    template_name = "providers/staff_organisation_detail.html"
    form_class = VerificationForm

    def get_permission_object(self):
        return self.organisation

    def form_valid(self, form):
        verified = form.cleaned_data["decision"] == "verify"
        try:
            organisation = services.organisation_verify(
                organisation=self.organisation,
                verified_by=self.request.user,
                verified=verified,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        if verified:
            messages.success(
                self.request, f"{organisation.name} is verified. Its admins have been emailed."
            )
        else:
            messages.success(
                self.request,
                f"{organisation.name} is marked as not verified. Its admins have been emailed "
                "your note.",
            )
        return redirect("staff_organisation_detail", pk=organisation.pk)
