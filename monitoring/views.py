"""Monitoring returns: the provider's members fill them in and submit them; officers accept
them or ask for changes, rate the agreement red, amber or green, and record payments made
and held.

Who may see a return is `monitoring.view_return` (monitoring/rules.py): officers,
approvers and administrators, and the provider organisation's members once the agreement
is accepted. A provider with no part in it gets 404; council staff without the right role
get 403.
"""

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core.forms import form_errors_add, submitted_id
from core.mixins import FilterQueryMixin, object_access_check
from core.rules import is_council_staff
from core.transition_views import TransitionConfirmView
from core.transitions import checklist_problems
from core.uploads import file_type_for_name
from monitoring import dashboards, selectors, services
from monitoring import rules as monitoring_rules
from monitoring.forms import (
    ChangesRequestForm,
    EvidenceForm,
    PaymentHoldForm,
    PaymentPaidForm,
    RagForm,
    ReturnForm,
    ReturnTransitionForm,
    return_form_initial,
)
from monitoring.forms_dashboards import PortfolioFilterForm
from monitoring.models import MonitoringReturn, ReturnState, Section
from procurement import rules as procurement_rules
from procurement.models import Agreement, AgreementState
from procurement.selectors import agreements as agreement_selectors
from procurement.views.bids import download_name

# --- Lists ----------------------------------------------------------------------------------------

SHOW_CHOICES = [("to_do", "To do"), ("sent", "Sent to the council"), ("", "All returns")]


class MyReturnsView(LoginRequiredMixin, FilterQueryMixin, ListView):
    """The returns of the person's organisations' agreements in delivery, next due first,
    each marked overdue when it is."""

    template_name = "monitoring/my_returns.html"
    context_object_name = "returns"
    paginate_by = 25

    @cached_property
    def show(self) -> str:
        show = self.request.GET.get("show", "to_do")
        return show if show in dict(SHOW_CHOICES) else "to_do"

    def get_queryset(self):
        return selectors.returns_for_user(user=self.request.user, show=self.show)

    def get_context_data(self, **kwargs):
        return super().get_context_data(show=self.show, show_choices=SHOW_CHOICES, **kwargs)


STAFF_SHOW_CHOICES = [
    ("review", "Waiting for review"),
    ("overdue", "Overdue"),
    ("due_month", "Due this month"),
]


class StaffReturnListView(LoginRequiredMixin, FilterQueryMixin, ListView):
    """For officers, approvers and administrators: the returns waiting for review, the
    longest waiting first, or those overdue."""

    template_name = "monitoring/staff_returns.html"
    context_object_name = "returns"
    paginate_by = 25

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not rules.has_perm("monitoring.view_returns", request.user, None):
            raise PermissionDenied("You may not see monitoring returns")
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def show(self) -> str:
        show = self.request.GET.get("show", "review")
        return show if show in dict(STAFF_SHOW_CHOICES) else "review"

    @cached_property
    def filter_form(self) -> PortfolioFilterForm:
        """The portfolio's filters (sector, priority, area or ward, financial year): each of
        its figures about returns links here, with its year. Opened by itself, all years:
        the last return of an agreement that ended last year still waits for review."""
        return PortfolioFilterForm(self.request.GET, opens_on_this_year=False)

    def get_queryset(self):
        if self.show == "overdue":
            returns = selectors.returns_overdue()
        elif self.show == "due_month":
            returns = selectors.returns_with_overdue(dashboards.returns_due_this_month())
        else:
            returns = selectors.returns_awaiting_review()
        return dashboards.returns_filtered(returns, filters=self.filter_form.filters())

    def get_context_data(self, **kwargs):
        filters = self.filter_form.filters()
        return super().get_context_data(
            show=self.show,
            show_choices=[
                (value, label, filters.query(show=value)) for value, label in STAFF_SHOW_CHOICES
            ],
            form=self.filter_form,
            filters=filters,
            **kwargs,
        )


# --- One return -----------------------------------------------------------------------------------


class ReturnMixin(LoginRequiredMixin):
    """Fetches the return named in the URL and refuses anyone who may not see it: 404 for a
    provider with no part in it, 403 for other staff."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.monitoring_return = selectors.return_get(pk=kwargs["pk"])
        except MonitoringReturn.DoesNotExist as error:
            raise Http404("No such return") from error
        # The rule itself, not user.has_perm: a superuser passes every has_perm.
        object_access_check(
            allowed=monitoring_rules.view_return.test(request.user, self.monitoring_return),
            user=request.user,
            staff_message="You may not see monitoring returns",
            not_found="No such return",
        )
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def can_edit(self) -> bool:
        return monitoring_rules.can_edit_return(self.monitoring_return, self.request.user)

    def get_context_data(self, **kwargs):
        monitoring_return = self.monitoring_return
        return super().get_context_data(
            monitoring_return=monitoring_return,
            agreement=monitoring_return.agreement,
            is_overdue=selectors.return_is_overdue(monitoring_return=monitoring_return),
            can_edit=self.can_edit,
            **kwargs,
        )


class ReturnDetailView(ReturnMixin, TemplateView):
    """The return: where it is, what is in it, the officer's comments, its versions and the
    actions this person may take."""

    template_name = "monitoring/return_detail.html"

    def get_context_data(self, **kwargs):
        monitoring_return = self.monitoring_return
        user = self.request.user
        return super().get_context_data(
            lines=selectors.return_actual_lines(monitoring_return=monitoring_return),
            spend=selectors.return_spend_summary(monitoring_return=monitoring_return),
            attachments=selectors.return_attachments(monitoring_return=monitoring_return),
            comments=selectors.return_comments_to_answer(monitoring_return=monitoring_return),
            submissions=selectors.return_submissions(monitoring_return=monitoring_return),
            reviews=selectors.return_reviews(monitoring_return=monitoring_return),
            actions=[
                action
                for action in selectors.return_actions_for(
                    monitoring_return=monitoring_return, user=user
                )
                if action.name != "start"
            ],
            submit_problems=checklist_problems(
                selectors.return_checklist(monitoring_return=monitoring_return)
            )
            if self.can_edit and monitoring_return.is_editable
            else [],
            sections=Section,
            **kwargs,
        )


class EditsReturnMixin(ReturnMixin):
    """The provider's members, while the return can be changed."""

    def _guard(self):
        if not self.can_edit:
            raise PermissionDenied("Only the provider's members can change the return")
        if not self.monitoring_return.is_editable:
            messages.error(
                self.request,
                "This return has been accepted and can no longer be changed."
                if self.monitoring_return.state == ReturnState.ACCEPTED
                else "This return has been submitted. You can change it again only if the "
                "council asks for changes.",
            )
            return redirect(self.monitoring_return)
        return None

    def get(self, request, *args, **kwargs):
        return self._guard() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._guard() or super().post(request, *args, **kwargs)

    def locked(self, message: str):
        messages.error(self.request, message)
        return redirect(self.monitoring_return)


class ReturnEditView(EditsReturnMixin, FormView):
    """The return's form: actuals beside the targets, outcomes, a case study, spending and
    risks. "Save and continue" goes on to check the answers; "Save as draft" back to the
    return. Nothing typed is lost when something is wrong."""

    form_class = ReturnForm
    template_name = "monitoring/return_form.html"

    @cached_property
    def lines(self):
        return selectors.return_actual_lines(monitoring_return=self.monitoring_return)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "monitoring_return": self.monitoring_return,
            "lines": self.lines,
        }

    def get_initial(self):
        return return_form_initial(monitoring_return=self.monitoring_return, lines=self.lines)

    def get_context_data(self, **kwargs):
        form = kwargs.get("form") or self.get_form()
        typed = form.typed_actuals() if form.is_bound else None
        spend_typed = getattr(form, "cleaned_data", {}).get("spend_in_period")
        monitoring_return = self.monitoring_return
        return super().get_context_data(
            lines=selectors.return_actual_lines(monitoring_return=monitoring_return, values=typed)
            if typed is not None
            else self.lines,
            spend=selectors.return_spend_summary(
                monitoring_return=monitoring_return, spend_in_period=spend_typed
            ),
            comments=selectors.return_comments_to_answer(monitoring_return=monitoring_return),
            attachments=selectors.return_attachments(monitoring_return=monitoring_return),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.return_save(
                monitoring_return=self.monitoring_return,
                user=self.request.user,
                answers=form.answers(),
            )
        except services.ReturnLocked as error:
            return self.locked(str(error))
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        if "draft" in self.request.POST:
            messages.success(self.request, "Your return has been saved as a draft")
            return redirect(self.monitoring_return)
        return redirect("monitoring:return_transition", pk=self.monitoring_return.pk, name="submit")


class ReturnEvidenceView(EditsReturnMixin, FormView):
    """Upload evidence (checked by content) and remove it, while the return can change."""

    form_class = EvidenceForm
    template_name = "monitoring/return_evidence.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "monitoring_return": self.monitoring_return}

    def post(self, request, *args, **kwargs):
        if "remove" not in request.POST:
            return super().post(request, *args, **kwargs)
        guard = self._guard()
        if guard:
            return guard
        attachment = self.monitoring_return.attachments.filter(
            pk=submitted_id(request.POST, "remove")
        ).first()
        if attachment is None:
            messages.error(request, "That file has already been removed")
            return redirect("monitoring:return_evidence", pk=self.monitoring_return.pk)
        try:
            services.return_attachment_remove(attachment=attachment, user=request.user)
        except services.ReturnLocked as error:
            return self.locked(str(error))
        messages.success(request, f"{attachment.original_name} removed")
        return redirect("monitoring:return_evidence", pk=self.monitoring_return.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            attachments=selectors.return_attachments(monitoring_return=self.monitoring_return),
            total=selectors.return_attachments_total(monitoring_return=self.monitoring_return),
            **kwargs,
        )

    def form_valid(self, form):
        uploaded = form.cleaned_data["file"]
        try:
            attachment = services.return_attachment_add(
                monitoring_return=self.monitoring_return,
                file=uploaded,
                user=self.request.user,
                original_name=getattr(uploaded, "original_name", ""),
            )
        except services.ReturnLocked as error:
            return self.locked(str(error))
        except ValidationError as error:
            form.add_error("file", error)
            return self.form_invalid(form)
        messages.success(self.request, f"{attachment.original_name} uploaded")
        return redirect("monitoring:return_evidence", pk=self.monitoring_return.pk)


class ReturnEvidenceDownloadView(ReturnMixin, View):
    """A return's evidence file, only for those who may see the return."""

    def get(self, request, pk: int, attachment_pk: int):
        attachment = self.monitoring_return.attachments.filter(pk=attachment_pk).first()
        if attachment is None:
            raise Http404("No such file")
        file_type = file_type_for_name(attachment.file.name)
        if file_type is None:
            raise Http404("No such file")
        try:
            handle = attachment.file.open("rb")
        except OSError as error:
            raise Http404("No such file") from error
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=download_name(attachment.original_name, file_type.extension),
            content_type=file_type.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class ReturnVersionView(ReturnMixin, TemplateView):
    """One submitted version, as it was sent: kept, never changed."""

    template_name = "monitoring/return_version.html"

    def get_context_data(self, **kwargs):
        submission = (
            selectors.return_submissions(monitoring_return=self.monitoring_return)
            .filter(number=self.kwargs["number"])
            .first()
        )
        if submission is None:
            raise Http404("No such version")
        return super().get_context_data(submission=submission, content=submission.content, **kwargs)


class ReturnTransitionView(ReturnMixin, TransitionConfirmView):
    """Confirm and make one lifecycle action. Submitting is the check-answers page: what
    is still missing is listed instead of the button. Asking for changes takes a comment on
    each part of the return that needs one."""

    template_name = "monitoring/return_action.html"
    record_name = "return"
    reason_asked = False
    changed_message = services.ReturnChanged.message
    shown_errors = (services.ReturnChanged,)

    def get_object(self) -> MonitoringReturn:
        return self.monitoring_return

    def spec_find(self, name: str):
        """Declared out of the return's state, whatever its conditions say: what is missing
        for submitting is listed on the page instead."""
        from core.transitions import transition_from_state, transition_spec_get

        transition_spec_get(instance=self.monitoring_return, name=name)
        return transition_from_state(instance=self.monitoring_return, name=name)

    def check_access(self) -> None:
        """Providers make the provider's actions and officers the council's: anyone else
        gets 403 before learning whether the action is allowed now."""
        name = self.kwargs["name"]
        may = (
            self.can_edit
            if name in ("start", "submit")
            else monitoring_rules.can_review_return(self.monitoring_return, self.request.user)
        )
        if not may:
            raise PermissionDenied

    def prepare(self):
        refused = super().prepare()
        if refused:
            return refused
        self.checklist = (
            selectors.return_checklist(monitoring_return=self.monitoring_return)
            if self.spec.name == "submit"
            else []
        )
        self.problems = checklist_problems(self.checklist)
        return None

    def refuse_post(self):
        refused = super().refuse_post()
        if refused or not self.problems:
            return refused
        return self.get(self.request, *self.args, **self.kwargs)

    def get_form_class(self):
        return ChangesRequestForm if self.spec.name == "request_changes" else ReturnTransitionForm

    def get_context_data(self, **kwargs):
        monitoring_return = self.monitoring_return
        return super().get_context_data(
            checklist=self.checklist,
            problems=self.problems,
            lines=selectors.return_actual_lines(monitoring_return=monitoring_return),
            spend=selectors.return_spend_summary(monitoring_return=monitoring_return),
            attachments=selectors.return_attachments(monitoring_return=monitoring_return),
            **kwargs,
        )

    def form_valid(self, form):
        self.comments = form.comments() if isinstance(form, ChangesRequestForm) else None
        return super().form_valid(form)

    def transition_make(self, *, name, user, reason, seen_state):
        return services.return_transition(
            monitoring_return=self.monitoring_return,
            name=name,
            user=user,
            reason=reason,
            seen_state=seen_state,
            comments=self.comments,
        )

    def transition_done(self, result):
        if self.spec.name in ("accept", "request_changes"):
            messages.success(self.request, self.success_message(result))
            return redirect("monitoring:staff_returns")
        return super().transition_done(result)

    def success_message(self, monitoring_return) -> str:
        organisation = monitoring_return.agreement.organisation.name
        return {
            "start": "You have started the return",
            "submit": f"Return for {monitoring_return.period_label} submitted. We have told "
            "the council’s officer.",
            "accept": f"Return for {monitoring_return.period_label} from {organisation} "
            "accepted. We have emailed its members.",
            "request_changes": f"Return for {monitoring_return.period_label} sent back to "
            f"{organisation} with your comments.",
        }[self.spec.name]


# --- An agreement's monitoring: RAG status and payments -------------------------------------------


class AgreementMonitoringMixin(LoginRequiredMixin):
    """Council staff who read monitoring (officers, approvers, administrators); anyone else
    signed in gets 403 (a provider 404 for an agreement that is not theirs)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.agreement = agreement_selectors.agreement_get(pk=kwargs["pk"])
        except Agreement.DoesNotExist as error:
            raise Http404("No such agreement") from error
        if not rules.has_perm("monitoring.view_returns", request.user, None):
            if not is_council_staff.test(
                request.user
            ) and not procurement_rules.view_agreement.test(request.user, self.agreement):
                raise Http404("No such agreement")
            raise PermissionDenied("Only council staff see an agreement's monitoring")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(agreement=self.agreement, **kwargs)


class AgreementMonitoringView(AgreementMonitoringMixin, TemplateView):
    """An agreement's returns, its RAG status with its history, and its payments with what
    was paid and what is held."""

    template_name = "monitoring/agreement_monitoring.html"

    def get_context_data(self, **kwargs):
        agreement = self.agreement
        user = self.request.user
        return super().get_context_data(
            returns=selectors.agreement_returns(agreement=agreement),
            rag_history=selectors.agreement_rag_history(agreement=agreement),
            payment_rows=selectors.agreement_payment_rows(agreement=agreement),
            payments_received=selectors.agreement_payments_received(agreement=agreement),
            can_set_rag=rules.has_perm("monitoring.set_rag", user, agreement)
            and agreement.state == AgreementState.ACCEPTED,
            can_manage_payments=rules.has_perm("monitoring.manage_payments", user, agreement)
            and agreement.state == AgreementState.ACCEPTED,
            **kwargs,
        )


class OfficerOnlyMixin(AgreementMonitoringMixin):
    permission = ""

    def _guard(self):
        if not rules.has_perm(self.permission, self.request.user, self.agreement):
            raise PermissionDenied("Only commissioning officers do this")
        if self.agreement.state != AgreementState.ACCEPTED:
            messages.error(self.request, "This agreement is not in delivery yet")
            return redirect("monitoring:agreement_monitoring", pk=self.agreement.pk)
        return None

    def get(self, request, *args, **kwargs):
        return self._guard() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._guard() or super().post(request, *args, **kwargs)

    def back(self):
        return redirect("monitoring:agreement_monitoring", pk=self.agreement.pk)


class RagSetView(OfficerOnlyMixin, FormView):
    """Rate how the agreement is going, with why; the rating is added to its history."""

    permission = "monitoring.set_rag"
    form_class = RagForm
    template_name = "monitoring/rag_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            current=selectors.agreement_rag_current(agreement=self.agreement), **kwargs
        )

    def form_valid(self, form):
        try:
            status = services.rag_set(
                agreement=self.agreement,
                user=self.request.user,
                rating=form.cleaned_data["rating"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"RAG status set to {status.get_rating_display()}")
        return self.back()


class InstalmentMixin(OfficerOnlyMixin):
    permission = "monitoring.manage_payments"

    @cached_property
    def instalment(self):
        instalment = self.agreement.payments.filter(pk=self.kwargs["instalment_pk"]).first()
        if instalment is None:
            raise Http404("No such payment")
        return instalment

    def get_context_data(self, **kwargs):
        return super().get_context_data(instalment=self.instalment, **kwargs)


class PaymentPaidView(InstalmentMixin, FormView):
    """Record that a scheduled payment was made: the date and the amount."""

    form_class = PaymentPaidForm
    template_name = "monitoring/payment_paid.html"

    def get_initial(self):
        return {"amount": self.instalment.amount}

    def form_valid(self, form):
        try:
            services.payment_mark_paid(
                instalment=self.instalment,
                user=self.request.user,
                paid_on=form.cleaned_data["paid_on"],
                amount=form.cleaned_data["amount"],
                invoice_received_on=form.cleaned_data["invoice_received_on"],
            )
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Payment recorded as paid")
        return self.back()


class PaymentHoldView(InstalmentMixin, FormView):
    """Hold a scheduled payment until one of the agreement's returns is accepted."""

    form_class = PaymentHoldForm
    template_name = "monitoring/payment_hold.html"

    @cached_property
    def returns(self):
        return list(selectors.returns_not_accepted(agreement=self.agreement))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "returns": self.returns}

    def form_valid(self, form):
        chosen = next(r for r in self.returns if r.pk == form.cleaned_data["monitoring_return"])
        try:
            hold = services.payment_hold(
                instalment=self.instalment, user=self.request.user, monitoring_return=chosen
            )
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Payment held until the return for {hold.monitoring_return.period_label} is accepted",
        )
        return self.back()
