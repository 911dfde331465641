"""Pages for evaluation: the provider's end-of-grant report; the officer's evaluation of an
agreement and of a commission, with lessons learned; the lessons library; opening the next
cycle of a commission."""

import datetime

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic import FormView, ListView

from commissioning.models import Commission
from core.forms import form_errors_add, submitted_id
from core.mixins import FilterQueryMixin, object_access_check
from monitoring import evaluation_rules  # noqa: F401  (registers the rules)
from monitoring import evaluation_selectors as selectors
from monitoring import evaluation_services as services
from monitoring.evaluation_forms import (
    EndOfGrantReportForm,
    EvaluationForm,
    LessonFilterForm,
    LessonForm,
    NextCycleForm,
)
from monitoring.models import Recommendation
from procurement import rules as procurement_rules
from procurement.models import Agreement, AgreementState
from procurement.selectors import agreements as agreement_selectors
from procurement.services.agreements import months_add


def _require(permission: str, user, obj=None, message: str = "You may not do that") -> None:
    if not rules.has_perm(permission, user, obj):
        raise PermissionDenied(message)


# --- The provider's end-of-grant report ----------------------------------------------------------


class EndOfGrantReportView(LoginRequiredMixin, FormView):
    """The provider's members say what worked, what did not and what they would change."""

    form_class = EndOfGrantReportForm
    template_name = "monitoring/evaluation_report_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.agreement = agreement_selectors.agreement_get(pk=kwargs["pk"])
        except Agreement.DoesNotExist as error:
            raise Http404("No such agreement") from error
        allowed = rules.has_perm(
            "monitoring.send_end_of_grant_report", request.user, self.agreement
        )
        if not allowed:
            if procurement_rules.view_agreement.test(request.user, self.agreement):
                raise PermissionDenied("The report is sent once the agreement is accepted")
            object_access_check(
                allowed=False,
                user=request.user,
                staff_message="Only the provider sends its end-of-grant report",
                not_found="No such agreement",
            )
        self.evaluation = selectors.agreement_evaluation_find(agreement=self.agreement)
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        evaluation = self.evaluation
        if evaluation is None:
            return {}
        return {
            "what_worked": evaluation.what_worked,
            "what_did_not_work": evaluation.what_did_not_work,
            "what_would_change": evaluation.what_would_change,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            agreement=self.agreement,
            evaluation=self.evaluation,
            sent=self.evaluation is not None and self.evaluation.report_is_sent,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if self.evaluation is not None and self.evaluation.report_is_sent:
            messages.error(request, "You have already sent your end-of-grant report")
            return redirect(request.path)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        send = "draft" not in self.request.POST
        try:
            services.end_of_grant_report_save(
                agreement=self.agreement, user=self.request.user, send=send, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        if send:
            messages.success(self.request, "Your end-of-grant report has been sent to the council")
        else:
            messages.success(self.request, "Your end-of-grant report has been saved as a draft")
        return redirect(self.request.path)


# --- The officer's evaluation ---------------------------------------------------------------------


class EvaluationMixin(LoginRequiredMixin):
    """Council staff who read monitoring see an evaluation; officers change it. A provider
    gets 404, other staff 403."""

    subject_kind = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.subject = self.subject_get(kwargs["pk"])
        object_access_check(
            allowed=rules.has_perm("monitoring.view_evaluation", request.user, self.subject),
            user=request.user,
            staff_message="Only commissioning officers, approvers and administrators see "
            "evaluations",
            not_found="Not found",
        )
        return super().dispatch(request, *args, **kwargs)

    def subject_get(self, pk):
        raise NotImplementedError

    @property
    def can_evaluate(self) -> bool:
        return rules.has_perm("monitoring.evaluate", self.request.user, self.subject)


class _AgreementSubject:
    subject_kind = "agreement"

    def subject_get(self, pk):
        try:
            agreement = agreement_selectors.agreement_get(pk=pk)
        except Agreement.DoesNotExist as error:
            raise Http404("No such agreement") from error
        return agreement

    def evaluation_find(self):
        return selectors.agreement_evaluation_find(agreement=self.subject)

    @property
    def is_open(self) -> bool:
        """An agreement is evaluated once it is accepted (in delivery)."""
        return self.subject.state == AgreementState.ACCEPTED

    def evaluation_url(self):
        return self.subject_url("monitoring:agreement_evaluation")

    def subject_url(self, name):
        from django.urls import reverse

        return reverse(name, kwargs={"pk": self.subject.pk})

    def lesson_defaults(self):
        commission = self.subject.decision.bid.opportunity.specification.commission
        return commission


class _CommissionSubject:
    subject_kind = "commission"

    def subject_get(self, pk):
        commission = Commission.objects.select_related("sector", "lead_officer").filter(pk=pk)
        commission = commission.first()
        if commission is None:
            raise Http404("No such commission")
        return commission

    def evaluation_find(self):
        return selectors.commission_evaluation_find(commission=self.subject)

    @property
    def is_open(self) -> bool:
        return self.subject.state in services.COMMISSION_EVALUATION_STATES

    def evaluation_url(self):
        return self.subject_url("monitoring:commission_evaluation")

    def subject_url(self, name):
        from django.urls import reverse

        return reverse(name, kwargs={"pk": self.subject.pk})

    def lesson_defaults(self):
        return self.subject


class EvaluationPageMixin(EvaluationMixin, FormView):
    form_class = EvaluationForm

    @cached_property
    def evaluation(self):
        return self.evaluation_find()

    def get_initial(self):
        if self.evaluation is None:
            return {}
        return {
            "impact_summary": self.evaluation.impact_summary,
            "recommendation": self.evaluation.recommendation,
        }

    def get_context_data(self, **kwargs):
        evaluation = self.evaluation
        editable = (
            self.can_evaluate and self.is_open and not (evaluation and evaluation.is_complete)
        )
        lessons = selectors.evaluation_lessons(evaluation=evaluation) if evaluation else []
        return super().get_context_data(
            evaluation=evaluation,
            editable=editable,
            lessons=lessons,
            is_open=self.is_open,
            recommendations=Recommendation,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        _require("monitoring.evaluate", request.user, self.subject, "Only officers evaluate")
        if "remove" in request.POST:
            return self.lesson_remove(submitted_id(request.POST, "remove"))
        if not self.is_open:
            messages.error(request, "This cannot be evaluated at this stage")
            return redirect(self.evaluation_url())
        if self.evaluation is not None and self.evaluation.is_complete:
            messages.error(request, "The evaluation is complete and can no longer be changed")
            return redirect(self.evaluation_url())
        return super().post(request, *args, **kwargs)

    def lesson_remove(self, pk: int):
        """Take lesson `pk` out of this evaluation (the Remove button's value)."""
        lesson = self.evaluation.lessons.filter(pk=pk).first() if self.evaluation else None
        if lesson is None:
            raise Http404("No such lesson in this evaluation")
        try:
            services.lesson_remove(lesson=lesson)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
        else:
            messages.success(self.request, "Lesson removed")
        return redirect(self.evaluation_url())

    def form_valid(self, form):
        complete = "complete" in self.request.POST
        try:
            self.evaluation_save(complete=complete, **form.cleaned_data)
        except ValidationError as error:
            form_errors_add(form, error)
            self.__dict__.pop("evaluation", None)
            return self.form_invalid(form)
        messages.success(
            self.request, "The evaluation is complete" if complete else "The evaluation is saved"
        )
        return redirect(self.evaluation_url())


class AgreementEvaluationView(_AgreementSubject, EvaluationPageMixin):
    """An agreement's evaluation: outcomes and spending from the accepted returns, the
    provider's report, the officer's impact, lessons and recommendation."""

    template_name = "monitoring/evaluation_agreement.html"

    def get_context_data(self, **kwargs):
        agreement = self.subject
        accepted, total = selectors.agreement_returns_accepted_count(agreement=agreement)
        return super().get_context_data(
            agreement=agreement,
            outcomes=selectors.agreement_outcomes(agreement=agreement),
            spend=selectors.agreement_spend(agreement=agreement),
            returns_accepted=accepted,
            returns_total=total,
            commission=self.lesson_defaults(),
            **kwargs,
        )

    def evaluation_save(self, **fields):
        return services.agreement_evaluation_save(
            agreement=self.subject, user=self.request.user, **fields
        )


class CommissionEvaluationView(_CommissionSubject, EvaluationPageMixin):
    """A commission's evaluation: its agreements' outcomes and spending with the totals,
    each agreement's evaluation, the impact, lessons and recommendation; then the next
    cycle."""

    template_name = "monitoring/evaluation_commission.html"

    def get_context_data(self, **kwargs):
        commission = self.subject
        return super().get_context_data(
            commission=commission,
            figures=selectors.commission_figures(commission=commission),
            next_cycle_problems=services.next_cycle_problems(commission=commission),
            can_open_next_cycle=rules.has_perm(
                "monitoring.open_next_cycle", self.request.user, commission
            ),
            chain=selectors.commission_cycle_chain(commission=commission),
            **kwargs,
        )

    def evaluation_save(self, **fields):
        return services.commission_evaluation_save(
            commission=self.subject, user=self.request.user, **fields
        )


# --- Lessons --------------------------------------------------------------------------------------


class LessonAddMixin(EvaluationMixin, FormView):
    form_class = LessonForm
    template_name = "monitoring/lessons_form.html"

    def _guard(self):
        _require("monitoring.evaluate", self.request.user, self.subject, "Only officers evaluate")
        evaluation = self.evaluation_find()
        if not self.is_open or (evaluation is not None and evaluation.is_complete):
            messages.error(self.request, "No more lessons can be added to this evaluation")
            return redirect(self.evaluation_url())
        return None

    def get(self, request, *args, **kwargs):
        return self._guard() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._guard() or super().post(request, *args, **kwargs)

    def get_initial(self):
        commission = self.lesson_defaults()
        priority = commission.priorities.order_by("order").first()
        return {"priority": priority.pk if priority else None}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subject=self.subject,
            subject_kind=self.subject_kind,
            back_url=self.evaluation_url(),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.lesson_add(
                user=self.request.user, **{self.subject_kind: self.subject}, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Lesson added")
        return redirect(self.evaluation_url())


class AgreementLessonAddView(_AgreementSubject, LessonAddMixin):
    pass


class CommissionLessonAddView(_CommissionSubject, LessonAddMixin):
    pass


class LessonsLibraryView(LoginRequiredMixin, FilterQueryMixin, ListView):
    """Every lesson from every evaluation, searchable and filtered by priority, area and
    theme (in the address), 20 a page."""

    template_name = "monitoring/lessons_library.html"
    context_object_name = "lessons"
    paginate_by = 20

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        _require("monitoring.view_lessons", request.user, None, "Only council staff see lessons")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.filter_form = LessonFilterForm(self.request.GET or None)
        return selectors.lessons_list(**self.filter_form.filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form=self.filter_form, filtered=bool(self.filter_form.filters), **kwargs
        )


# --- The next cycle -------------------------------------------------------------------------------


class NextCycleView(_CommissionSubject, EvaluationMixin, FormView):
    """Recommission or redesign a commission in review or closed, with a complete
    evaluation, into a new commission for the next period."""

    form_class = NextCycleForm
    template_name = "monitoring/evaluation_next_cycle.html"

    def _guard(self):
        _require("monitoring.open_next_cycle", self.request.user, self.subject, "Only officers")
        problems = services.next_cycle_problems(commission=self.subject)
        if problems:
            for problem in problems:
                messages.error(self.request, problem)
            return redirect(self.evaluation_url())
        return None

    def get(self, request, *args, **kwargs):
        return self._guard() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._guard() or super().post(request, *args, **kwargs)

    def get_initial(self):
        commission = self.subject
        evaluation = self.evaluation_find()
        start = commission.period_end + datetime.timedelta(days=1)
        months = max(
            (commission.period_end.year - commission.period_start.year) * 12
            + commission.period_end.month
            - commission.period_start.month
            + 1,
            1,
        )
        kind = ""
        if evaluation is not None and evaluation.recommendation in ("recommission", "redesign"):
            kind = evaluation.recommendation
        return {
            "kind": kind,
            "title": commission.title,
            "indicative_budget": commission.indicative_budget,
            "period_start": start,
            "period_end": months_add(start, months) - datetime.timedelta(days=1),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            commission=self.subject, evaluation=self.evaluation_find(), **kwargs
        )

    def form_valid(self, form):
        try:
            new = services.commission_next_cycle_open(
                commission=self.subject, user=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form_errors_add(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"{new.reference} opened for the next cycle, carrying forward the evaluation, "
            "its lessons, the needs evidence and the gaps",
        )
        return redirect(new)
