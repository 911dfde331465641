"""The Procurement Act 2023 pages for an opportunity: the conflicts assessment (s.83) that
officers and approvers declare for and an officer records, and the notices published on the
Central Digital Platform for a contract.

Who may do what (procurement/rules_act.py): officers, approvers and administrators declare
and read the conflicts assessment; officers and administrators record it, and record the
notices. Anyone else signed in gets 403.
"""

import rules
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from core.forms import form_errors_add
from core.mixins import StaffRequiredMixin
from procurement.forms.act import ConflictsAssessmentForm, NoticeForm, OfficerDeclarationForm
from procurement.models import Agreement, FundingType, Opportunity
from procurement.models.notices import TENDER_NOTICE_THRESHOLD, NoticeKind
from procurement.selectors import conflicts_assessment as selectors
from procurement.services import conflicts_assessment as services
from procurement.services.notices import notice_record


class OpportunityPageMixin(StaffRequiredMixin):
    @cached_property
    def opportunity(self) -> Opportunity:
        return get_object_or_404(
            Opportunity.objects.select_related("specification__commission"), pk=self.kwargs["pk"]
        )


class ConflictsAssessmentView(OpportunityPageMixin, TemplateView):
    """Everyone involved and what they declared at the stage the opportunity is at, the
    assessments recorded so far, a declaration form and, for officers, the assessment."""

    permission_required = "procurement.declare_officer_interests"
    template_name = "procurement/act/conflicts_assessment.html"

    @cached_property
    def stage(self) -> str:
        return selectors.conflicts_stage_now(opportunity=self.opportunity)

    def get_context_data(self, **kwargs):
        people = selectors.people_involved(opportunity=self.opportunity)
        entries = selectors.declarations_by_person(
            opportunity=self.opportunity, stage=self.stage, people=people
        )
        assessments = selectors.conflicts_assessments(opportunity=self.opportunity)
        recorded = next((a for a in assessments if a.stage == self.stage), None)
        may_record = rules.has_perm("procurement.record_conflicts_assessment", self.request.user)
        kwargs.setdefault("declaration_form", OfficerDeclarationForm())
        kwargs.setdefault(
            "assessment_form", ConflictsAssessmentForm() if may_record and not recorded else None
        )
        forms = [kwargs["declaration_form"], kwargs["assessment_form"]]
        return super().get_context_data(
            opportunity=self.opportunity,
            stage_label=dict(selectors.ConflictsStage.choices)[self.stage],
            entries=entries,
            waiting=[entry.user for entry in entries if entry.declaration is None],
            assessments=assessments,
            shortlist_declarations=selectors.shortlist_declarations(opportunity=self.opportunity),
            recorded=recorded,
            has_errors=any(form is not None and form.errors for form in forms),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "record":
            return self._record()
        if action == "declare":
            return self._declare()
        return redirect("procurement:conflicts_assessment", pk=self.opportunity.pk)

    def _declare(self):
        form = OfficerDeclarationForm(self.request.POST)
        if form.is_valid():
            try:
                services.officer_declaration_record(
                    opportunity=self.opportunity,
                    user=self.request.user,
                    stage=self.stage,
                    has_conflict=form.cleaned_data["has_conflict"] == "yes",
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(self.request, "Your declaration of interests has been recorded")
                return redirect("procurement:conflicts_assessment", pk=self.opportunity.pk)
        return self.render_to_response(self.get_context_data(declaration_form=form))

    def _record(self):
        if not rules.has_perm("procurement.record_conflicts_assessment", self.request.user):
            return self.handle_no_permission()
        form = ConflictsAssessmentForm(self.request.POST)
        if form.is_valid():
            try:
                services.conflicts_assessment_record(
                    opportunity=self.opportunity,
                    stage=self.stage,
                    steps_taken=form.cleaned_data["steps_taken"],
                    recorded_by=self.request.user,
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(self.request, "The conflicts assessment has been recorded")
                return redirect("procurement:conflicts_assessment", pk=self.opportunity.pk)
        return self.render_to_response(self.get_context_data(assessment_form=form))


class NoticesView(OpportunityPageMixin, TemplateView):
    """A contract's notices on the Central Digital Platform, whether it needs a tender
    notice, the standstill period the contract award notice started, and a form to record
    a notice. Grants are outside the Act: the page says so."""

    permission_required = "procurement.manage_notices"
    template_name = "procurement/act/notices.html"

    @cached_property
    def agreements(self):
        return Agreement.objects.filter(decision__bid__opportunity=self.opportunity).select_related(
            "decision__bid__organisation"
        )

    def form(self, data=None) -> NoticeForm:
        return NoticeForm(data, agreements=self.agreements)

    def get_context_data(self, **kwargs):
        opportunity = self.opportunity
        is_contract = opportunity.funding_type == FundingType.CONTRACT
        notices = list(opportunity.notices.select_related("agreement__decision__bid__organisation"))
        award_notice = next((n for n in notices if n.kind == NoticeKind.CONTRACT_AWARD), None)
        decision = (
            opportunity.bids.filter(decision__isnull=False)
            .select_related("decision")
            .order_by("pk")
            .first()
        )
        kwargs.setdefault("form", self.form() if is_contract else None)
        return super().get_context_data(
            opportunity=opportunity,
            is_contract=is_contract,
            notices=notices,
            needs_tender_notice=is_contract and opportunity.budget >= TENDER_NOTICE_THRESHOLD,
            has_tender_notice=any(n.kind == NoticeKind.TENDER for n in notices),
            threshold=TENDER_NOTICE_THRESHOLD,
            award_notice=award_notice,
            standstill_ends_on=decision.decision.standstill_ends_on if decision else None,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if self.opportunity.funding_type != FundingType.CONTRACT:
            return redirect("procurement:procurement_notices", pk=self.opportunity.pk)
        form = self.form(request.POST)
        if form.is_valid():
            try:
                notice = notice_record(
                    opportunity=self.opportunity,
                    kind=form.cleaned_data["kind"],
                    identifier=form.cleaned_data["identifier"],
                    published_on=form.cleaned_data["published_on"],
                    agreement=form.cleaned_data["agreement"],
                    recorded_by=request.user,
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, f"{notice.get_kind_display()} recorded")
                return redirect("procurement:procurement_notices", pk=self.opportunity.pk)
        return self.render_to_response(self.get_context_data(form=form))
