"""Agreements: officers prepare them from approved awards and send them; the provider's
admins accept them online; either side proposes variations, which approvers decide.

Who may see an agreement is `procurement.view_agreement` (procurement/rules.py): officers,
approvers and administrators, and the provider organisation's members once it has been
sent (a draft is the council's working copy). A provider with no part in it gets 404;
council staff without the right role get 403.
"""

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from django_fsm import TransitionNotAllowed

from core.forms import form_errors_add
from core.mixins import FilterQueryMixin, object_access_check
from core.reauthentication import ReauthenticateBeforeMixin
from core.rules import is_council_staff
from core.transition_views import TransitionConfirmView
from core.transitions import transition_checklist
from monitoring import dashboards
from procurement import rules as procurement_rules
from procurement.forms.agreements import (
    AcceptForm,
    AgreementFilterForm,
    AgreementForm,
    PaymentFormSet,
    VariationForm,
    agreement_form_initial,
    payments_initial,
    variation_form_initial,
)
from procurement.models import (
    Agreement,
    AgreementState,
    AgreementVersion,
    Variation,
    VariationState,
)
from procurement.pdf import agreement_pdf_stored
from procurement.selectors import agreements as selectors
from procurement.services import agreements as services

# --- Lists ----------------------------------------------------------------------------------------


class MyAgreementsView(LoginRequiredMixin, ListView):
    """The agreements of the person's organisations that have been sent to them, the
    newest first, 25 to a page."""

    template_name = "procurement/agreements/my_agreements.html"
    context_object_name = "agreements"
    paginate_by = 25

    def get_queryset(self):
        return selectors.agreements_for_user(user=self.request.user)


class StaffAgreementListView(LoginRequiredMixin, FilterQueryMixin, ListView):
    """Every agreement, for officers, approvers and administrators: by state, and found by
    reference or organisation."""

    template_name = "procurement/agreements/staff_agreements.html"
    context_object_name = "agreements"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not rules.has_perm("procurement.view_agreement", request.user, None):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def filters(self) -> AgreementFilterForm:
        form = AgreementFilterForm(self.request.GET)
        form.is_valid()
        return form

    def get_queryset(self):
        data = getattr(self.filters, "cleaned_data", {})
        agreements = selectors.agreements_staff_list(
            state=data.get("state") or "", query=data.get("q") or ""
        )
        # The portfolio's filters: each of its figures links here.
        agreements = dashboards.agreements_filtered(
            filters=self.filters.filters(), queryset=agreements
        )
        if data.get("rag"):
            agreements = dashboards.agreements_by_rating(agreements, rating=data["rag"])
        return agreements

    def get_context_data(self, **kwargs):
        data = getattr(self.filters, "cleaned_data", {})
        return super().get_context_data(
            form=self.filters,
            filtered=bool(data.get("state") or data.get("q") or data.get("rag"))
            or self.filters.filters().is_filtered,
            **kwargs,
        )


# --- One agreement --------------------------------------------------------------------------------


class AgreementMixin(LoginRequiredMixin):
    """Fetches the agreement named in the URL and refuses anyone who may not see it: 404
    for a provider with no part in it (or while it is a draft), 403 for other staff."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.agreement = selectors.agreement_get(pk=kwargs["pk"])
        except Agreement.DoesNotExist as error:
            raise Http404("No such agreement") from error
        # The rule itself, not user.has_perm: a superuser passes every has_perm.
        object_access_check(
            allowed=procurement_rules.view_agreement.test(request.user, self.agreement),
            user=request.user,
            staff_message="You may not see agreements",
            not_found="No such agreement",
        )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def is_staff_reader(self) -> bool:
        return rules.has_perm("procurement.view_agreement", self.request.user, None)

    @cached_property
    def can_manage(self) -> bool:
        return procurement_rules.can_manage_agreement(self.agreement, self.request.user)

    @cached_property
    def is_member(self) -> bool:
        return procurement_rules.is_member_of_agreement_organisation.test(
            self.request.user, self.agreement
        )

    @cached_property
    def can_accept(self) -> bool:
        return procurement_rules.can_accept_agreement(self.agreement, self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            agreement=self.agreement,
            is_staff_reader=self.is_staff_reader,
            is_member=self.is_member,
            **kwargs,
        )


class AgreementDetailView(AgreementMixin, TemplateView):
    """All the terms, who accepted and when, the versions and variations, and the actions
    this person may take."""

    template_name = "procurement/agreements/agreement_detail.html"

    def get_context_data(self, **kwargs):
        agreement = self.agreement
        user = self.request.user
        draft = agreement.state == AgreementState.DRAFT
        open_variation = selectors.agreement_open_variation(agreement=agreement)
        return super().get_context_data(
            terms=selectors.agreement_terms_now(agreement=agreement),
            actions=selectors.agreement_actions_for(agreement=agreement, user=user),
            checks=transition_checklist(instance=agreement, name="issue")
            if draft and self.can_manage
            else [],
            payments_outside=selectors.agreement_payments_outside(agreement=agreement)
            if draft and self.can_manage
            else 0,
            can_edit=draft and self.can_manage,
            can_accept=agreement.state == AgreementState.ISSUED and self.can_accept,
            can_propose=agreement.state == AgreementState.ACCEPTED
            and open_variation is None
            and rules.has_perm("procurement.propose_variation", user, agreement),
            open_variation=open_variation,
            versions=selectors.agreement_versions(agreement=agreement),
            variations=selectors.agreement_variations(agreement=agreement),
            admins=selectors.organisation_admins(agreement=agreement),
            **kwargs,
        )


class AgreementPdfView(AgreementMixin, View):
    """The agreement as a PDF: made the first time each version is asked for, then
    served from file storage."""

    def get(self, request, pk: int):
        name = agreement_pdf_stored(agreement=self.agreement)
        with default_storage.open(name, "rb") as stored:
            response = HttpResponse(stored.read(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{self.agreement.reference}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


class AgreementVersionView(AgreementMixin, TemplateView):
    """The terms as they were at one version: kept, never changed."""

    template_name = "procurement/agreements/agreement_version.html"

    def get_context_data(self, **kwargs):
        try:
            version = selectors.agreement_versions(agreement=self.agreement).get(
                number=self.kwargs["number"]
            )
        except AgreementVersion.DoesNotExist as error:
            raise Http404("No such version") from error
        return super().get_context_data(
            version=version,
            terms=selectors.terms_from_json(version.terms),
            is_current=version.number == self.agreement.version,
            **kwargs,
        )


# --- Accepting ------------------------------------------------------------------------------------


class AgreementAcceptView(AgreementMixin, FormView):
    """An admin of the provider organisation reads a summary and accepts the agreement on
    its behalf. A plain member is told who can; anyone else gets 404."""

    form_class = AcceptForm
    template_name = "procurement/agreements/agreement_accept.html"

    def _guard(self):
        if not self.is_member:
            raise Http404("No such agreement")
        if not self.can_accept:
            response = TemplateResponse(
                self.request,
                "procurement/agreements/agreement_accept_refused.html",
                {
                    "agreement": self.agreement,
                    "admins": selectors.organisation_admins(agreement=self.agreement),
                },
                status=403,
            )
            return response
        if self.agreement.state != AgreementState.ISSUED:
            if self.agreement.state == AgreementState.ACCEPTED:
                messages.info(self.request, "This agreement has already been accepted")
            else:
                messages.error(
                    self.request, "This agreement is not waiting to be accepted. Nothing changed."
                )
            return redirect(self.agreement)
        return None

    def get(self, request, *args, **kwargs):
        return self._guard() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._guard() or super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organisation": self.agreement.organisation}

    def get_initial(self):
        return {"seen_state": self.agreement.state}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            terms=selectors.agreement_terms_now(agreement=self.agreement), **kwargs
        )

    def form_valid(self, form):
        agreement = self.agreement
        try:
            services.agreement_accept(
                agreement=agreement,
                user=self.request.user,
                seen_state=form.cleaned_data["seen_state"],
            )
        except services.AgreementChanged as error:
            messages.error(self.request, str(error))
        except TransitionNotAllowed:
            messages.error(self.request, "The agreement cannot be accepted now. Nothing changed.")
        else:
            messages.success(
                self.request,
                f"You have accepted agreement {agreement.reference} on behalf of "
                f"{agreement.organisation.name}",
            )
        return redirect(agreement)


# --- Staff: preparing and sending -----------------------------------------------------------------


class ManagesAgreementMixin(AgreementMixin):
    """Officers and administrators; other staff 403, providers 404 (or 403 once they may
    see the agreement)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if is_council_staff.test(request.user) and not rules.has_perm(
            "procurement.manage_agreements", request.user, None
        ):
            raise PermissionDenied("Only officers prepare agreements")
        return super().dispatch(request, *args, **kwargs)

    def _guard(self):
        if not self.can_manage:
            raise PermissionDenied("Only officers prepare agreements")
        return None


class EditsDraftMixin(ManagesAgreementMixin):
    def _guard(self):
        super()._guard()
        if self.agreement.state != AgreementState.DRAFT:
            messages.error(
                self.request,
                "This agreement has been sent to the provider. Take it back to change it."
                if self.agreement.state == AgreementState.ISSUED
                else "This agreement has been accepted. It can only be changed by a variation.",
            )
            return redirect(self.agreement)
        return None

    def get(self, request, *args, **kwargs):
        return self._guard() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._guard() or super().post(request, *args, **kwargs)

    def locked(self, message: str):
        messages.error(self.request, message)
        return redirect(self.agreement)


class AgreementEditView(EditsDraftMixin, FormView):
    form_class = AgreementForm
    template_name = "procurement/agreements/agreement_form.html"

    def get_initial(self):
        return agreement_form_initial(agreement=self.agreement)

    def form_valid(self, form):
        try:
            services.agreement_update(agreement=self.agreement, **form.cleaned_data)
        except services.AgreementLocked as error:
            return self.locked(str(error))
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Agreement saved")
        return redirect(self.agreement)


class PaymentScheduleView(EditsDraftMixin, TemplateView):
    """The payment instalments: date, amount and description, adding up to the amount."""

    template_name = "procurement/agreements/agreement_payments.html"
    prefix = "payments"

    def get_formset(self, data=None):
        agreement = self.agreement
        return PaymentFormSet(
            data,
            prefix=self.prefix,
            initial=payments_initial(agreement.payments.all()),
            amount=agreement.amount,
            starts_on=agreement.starts_on,
            ends_on=agreement.ends_on,
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formset", self.get_formset())
        payments = list(self.agreement.payments.all())
        return super().get_context_data(
            saved_total=sum((p.amount for p in payments), start=0), **kwargs
        )

    def post(self, request, *args, **kwargs):
        guard = self._guard()
        if guard:
            return guard
        formset = self.get_formset(request.POST)
        if formset.is_valid():
            try:
                services.agreement_payments_set(agreement=self.agreement, rows=formset.rows())
            except services.AgreementLocked as error:
                return self.locked(str(error))
            except ValidationError as error:
                for message in error.messages:
                    formset._non_form_errors.append(message)
            else:
                messages.success(self.request, "Payment schedule saved")
                return redirect(self.agreement)
        return self.render_to_response(self.get_context_data(formset=formset))


class AgreementTransitionView(ManagesAgreementMixin, TransitionConfirmView):
    """Confirm and make one lifecycle action: send to the provider, or take it back."""

    template_name = "procurement/agreements/agreement_action.html"
    record_name = "agreement"
    reason_label = "Why are you taking it back?"
    reason_message = "Enter why you are taking the agreement back"
    shown_errors = (services.AgreementChanged,)

    def get_object(self) -> Agreement:
        return self.agreement

    def check_access(self) -> None:
        self._guard()

    def still_needed_message(self, problems: list[str]) -> str:
        if self.kwargs["name"] != "issue":
            return super().still_needed_message(problems)
        return "The agreement cannot be sent yet. Still needed: " + "; ".join(
            sentence[0].lower() + sentence[1:].rstrip(".") for sentence in problems
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            terms=selectors.agreement_terms_now(agreement=self.agreement)
            if self.spec.name == "issue"
            else None,
            **kwargs,
        )

    def transition_make(self, *, name, user, reason, seen_state):
        return services.agreement_transition(
            agreement=self.agreement, name=name, user=user, reason=reason, seen_state=seen_state
        )

    def success_message(self, agreement) -> str:
        if self.spec.name == "issue":
            return (
                f"Agreement {agreement.reference} sent to {agreement.organisation.name}. "
                "We have emailed its members."
            )
        return f"Agreement {agreement.reference} taken back to change"


# --- Variations -----------------------------------------------------------------------------------


class VariationProposeView(AgreementMixin, TemplateView):
    """Propose a change to an accepted agreement: why, the end date, the payments (their
    total is the new amount) and the targets, each starting from what they are now."""

    template_name = "procurement/agreements/variation_form.html"

    def _guard(self):
        agreement = self.agreement
        if not rules.has_perm("procurement.propose_variation", self.request.user, agreement):
            raise PermissionDenied("You may not propose a variation to this agreement")
        if agreement.state != AgreementState.ACCEPTED:
            messages.error(
                self.request,
                "Only an accepted agreement can be varied. Before it is accepted, the officer "
                "takes it back to change it.",
            )
            return redirect(agreement)
        waiting = selectors.agreement_open_variation(agreement=agreement)
        if waiting is not None:
            messages.error(
                self.request,
                f"Variation {waiting.number} is waiting for a decision. Only one variation can "
                "be proposed at a time.",
            )
            return redirect(waiting)
        return None

    @cached_property
    def targets(self):
        return list(self.agreement.targets.all())

    def get_forms(self, data=None):
        agreement = self.agreement
        form = VariationForm(
            data,
            targets=self.targets,
            initial=variation_form_initial(agreement=agreement, targets=self.targets),
        )
        formset = PaymentFormSet(
            data,
            prefix="payments",
            initial=payments_initial(agreement.payments.all()),
            starts_on=agreement.starts_on,
            ends_on=agreement.ends_on,
        )
        return form, formset

    def get(self, request, *args, **kwargs):
        guard = self._guard()
        if guard:
            return guard
        form, formset = self.get_forms()
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def post(self, request, *args, **kwargs):
        guard = self._guard()
        if guard:
            return guard
        form, formset = self.get_forms(request.POST)
        form_ok = form.is_valid()
        # Payments are checked against the proposed end date whenever it was given, even if
        # something else on the form is wrong.
        formset.ends_on = form.cleaned_data.get("ends_on") or self.agreement.ends_on
        if form_ok and formset.is_valid():
            try:
                variation = services.variation_propose(
                    agreement=self.agreement,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    ends_on=form.cleaned_data["ends_on"],
                    payments=formset.rows(),
                    targets=form.new_targets(),
                )
            except (services.AgreementLocked, services.VariationWaiting) as error:
                messages.error(request, str(error))
                return redirect(self.agreement)
            except ValidationError as error:
                _errors_to_forms(error, form, formset)
            else:
                messages.success(
                    request,
                    f"Variation {variation.number} proposed. An approver will decide on it; we "
                    "have emailed the approvers.",
                )
                return redirect(variation)
        else:
            formset.is_valid()
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def get_context_data(self, **kwargs):
        form, formset = kwargs["form"], kwargs["formset"]
        return super().get_context_data(
            error_forms=[form, *formset.forms],
            has_errors=bool(form.errors or formset.total_error_count()),
            **kwargs,
        )


def _errors_to_forms(error: ValidationError, form, formset) -> None:
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages_ in error.message_dict.items():
        for message in messages_:
            if field == "payments":
                formset._non_form_errors.append(message)
            elif field in form.fields:
                form.add_error(field, message)
            else:
                form.add_error(None, message)


class VariationMixin(AgreementMixin):
    @cached_property
    def variation(self) -> Variation:
        try:
            variation = selectors.variation_get(
                agreement=self.agreement, number=self.kwargs["number"]
            )
        except Variation.DoesNotExist as error:
            raise Http404("No such variation") from error
        variation.agreement = self.agreement
        return variation

    def get_context_data(self, **kwargs):
        return super().get_context_data(variation=self.variation, **kwargs)


class VariationDetailView(VariationMixin, TemplateView):
    """The agreement as it is (or was) and as proposed, side by side, with the decision and
    the actions this person may take."""

    template_name = "procurement/agreements/variation_detail.html"

    def get_context_data(self, **kwargs):
        variation = self.variation
        comparison = selectors.variation_comparison(variation=variation)
        return super().get_context_data(
            comparison=comparison,
            actions=selectors.variation_actions_for(variation=variation, user=self.request.user),
            version_made=comparison.version_made,
            own_proposal=variation.proposed_by_id == self.request.user.pk,
            **kwargs,
        )


class VariationTransitionView(VariationMixin, ReauthenticateBeforeMixin, TransitionConfirmView):
    """Confirm and make one decision on a variation: approve, do not approve (with
    reasons), or withdraw it."""

    template_name = "procurement/agreements/variation_action.html"
    record_name = "variation"
    reason_label = "Why is it not approved?"
    reason_message = "Enter why the variation is not approved"
    shown_errors = (services.VariationChanged,)
    reauthenticate_for = frozenset({"approve"})

    def get_object(self) -> Variation:
        return self.variation

    def unavailable_message(self) -> str:
        return (
            f"This variation is “{self.variation.get_state_display()}”: it cannot be changed now."
        )

    def check_permission(self) -> None:
        if not self.spec.has_perm(self.variation, self.request.user):
            raise PermissionDenied(
                "You proposed this variation, so you cannot decide it"
                if self.variation.proposed_by_id == self.request.user.pk
                else "You may not do that"
            )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            comparison=selectors.variation_comparison(variation=self.variation), **kwargs
        )

    def transition_make(self, *, name, user, reason, seen_state):
        return services.variation_transition(
            variation=self.variation, name=name, user=user, reason=reason, seen_state=seen_state
        )

    def success_message(self, result) -> str:
        variation = self.variation
        variation.refresh_from_db()
        if variation.state == VariationState.APPROVED:
            self.agreement.refresh_from_db()
            return (
                f"Variation {variation.number} approved. The agreement is now version "
                f"{self.agreement.version}."
            )
        if variation.state == VariationState.REJECTED:
            return f"Variation {variation.number} not approved"
        return f"Variation {variation.number} withdrawn"
