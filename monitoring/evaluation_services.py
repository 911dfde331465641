"""Writes for evaluation: the provider's end-of-grant report, the officer's evaluation of an
agreement and of a commission (with the SROI figures of the moment kept), lessons learned,
and opening the next cycle of a commission (recommission or redesign).

Outcomes and spending are never written here: the pages compute them from the accepted
returns (monitoring.evaluation_selectors).
"""

import datetime
import logging
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm_log.models import StateLog

from monitoring.models import (
    AgreementEvaluation,
    CommissionEvaluation,
    CycleCarryForward,
    Lesson,
    NextCycleKind,
)

logger = logging.getLogger(__name__)

#: The commission states in which its evaluation may still be changed.
COMMISSION_EVALUATION_STATES = ("delivery", "review")
#: The commission states from which the next cycle may be opened: closing, or closed.
NEXT_CYCLE_STATES = ("review", "closed")


# --- SROI, when the portal computes it ------------------------------------------------------------


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def sroi_snapshot(**subject) -> tuple[dict, Decimal | None]:
    """The SROI assumptions and ratio for `agreement=` or `commission=` now, from
    monitoring.sroi when it is there (imported when asked, so the evaluation works without
    it): ({}, None) when it is not; the ratio None when no outcome could be valued."""
    try:
        from monitoring import sroi
    except ImportError:
        return {}, None
    try:
        hook = getattr(sroi, "sroi_evaluation_snapshot", None)
        if hook is not None:
            assumptions, ratio = hook(**subject)
        else:
            if "agreement" in subject:
                result = sroi.sroi_for_agreement(subject["agreement"])
            else:
                result = sroi.sroi_for_commission(subject["commission"])
            assumptions = sroi.assumptions_snapshot(result)
            ratio = result.ratio if result.inputs else None
    except Exception:  # a snapshot is a nicety: never lose an evaluation for it
        logger.exception("SROI snapshot failed for %s", subject)
        return {}, None
    try:
        ratio = None if ratio is None else Decimal(str(ratio)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        ratio = None
    return _jsonable(assumptions or {}), ratio


# --- The provider's end-of-grant report ----------------------------------------------------------


@transaction.atomic
def end_of_grant_report_save(
    *,
    agreement,
    user,
    what_worked: str,
    what_did_not_work: str,
    what_would_change: str,
    send: bool,
) -> AgreementEvaluation:
    """Save the provider's report; `send` sends it to the council (it can then no longer be
    changed). ValidationError when sent already, or sending with a part left empty."""
    evaluation, _ = AgreementEvaluation.objects.select_for_update().get_or_create(
        agreement=agreement
    )
    if evaluation.report_is_sent:
        raise ValidationError("You have already sent your end-of-grant report")
    evaluation.what_worked = what_worked
    evaluation.what_did_not_work = what_did_not_work
    evaluation.what_would_change = what_would_change
    if send:
        errors = {}
        if not what_worked.strip():
            errors["what_worked"] = "Enter what worked"
        if not what_did_not_work.strip():
            errors["what_did_not_work"] = "Enter what did not work"
        if not what_would_change.strip():
            errors["what_would_change"] = "Enter what you would change"
        if errors:
            raise ValidationError(errors)
        evaluation.report_sent_at = timezone.now()
        evaluation.report_sent_by = user
    evaluation.save()
    return evaluation


# --- The officer's evaluation ---------------------------------------------------------------------


def _complete_check(evaluation, *, impact_summary: str, recommendation: str) -> None:
    errors = {}
    if not impact_summary.strip():
        errors["impact_summary"] = "Enter the impact before you complete the evaluation"
    if not recommendation:
        errors["recommendation"] = "Select what you recommend for the next cycle"
    if evaluation.pk is None or not evaluation.lessons.exists():
        errors["__all__"] = "Add at least one lesson learned before you complete the evaluation"
    if errors:
        raise ValidationError(errors)


def _evaluation_save(evaluation, *, user, impact_summary, recommendation, complete, subject):
    if evaluation.is_complete:
        raise ValidationError("The evaluation is complete and can no longer be changed")
    evaluation.impact_summary = impact_summary
    evaluation.recommendation = recommendation
    evaluation.updated_by = user
    if complete:
        _complete_check(evaluation, impact_summary=impact_summary, recommendation=recommendation)
        evaluation.completed_at = timezone.now()
        evaluation.completed_by = user
    evaluation.sroi_assumptions, evaluation.sroi_ratio = sroi_snapshot(**subject)
    evaluation.save()
    return evaluation


@transaction.atomic
def agreement_evaluation_save(
    *, agreement, user, impact_summary: str, recommendation: str, complete: bool = False
) -> AgreementEvaluation:
    """Save the officer's evaluation of an agreement, with the SROI figures of the moment;
    `complete` completes it (impact, a recommendation and a lesson needed), after which it
    does not change."""
    evaluation, _ = AgreementEvaluation.objects.select_for_update().get_or_create(
        agreement=agreement
    )
    return _evaluation_save(
        evaluation,
        user=user,
        impact_summary=impact_summary,
        recommendation=recommendation,
        complete=complete,
        subject={"agreement": agreement},
    )


def _commission_editable(commission) -> None:
    if commission.state not in COMMISSION_EVALUATION_STATES:
        raise ValidationError(
            "A commission is evaluated in delivery or review: this one is at "
            f"“{commission.get_state_display()}”"
        )


@transaction.atomic
def commission_evaluation_save(
    *, commission, user, impact_summary: str, recommendation: str, complete: bool = False
) -> CommissionEvaluation:
    """Save the officer's evaluation of the whole commission (as for an agreement)."""
    _commission_editable(commission)
    evaluation, _ = CommissionEvaluation.objects.select_for_update().get_or_create(
        commission=commission
    )
    return _evaluation_save(
        evaluation,
        user=user,
        impact_summary=impact_summary,
        recommendation=recommendation,
        complete=complete,
        subject={"commission": commission},
    )


# --- Lessons --------------------------------------------------------------------------------------


def _agreement_commission(agreement):
    return agreement.decision.bid.opportunity.specification.commission


@transaction.atomic
def lesson_add(
    *, user, text: str, priority, area=None, theme=None, agreement=None, commission=None
) -> Lesson:
    """Record a lesson learned in the evaluation of `agreement` or of `commission` (made
    when there is none yet). ValidationError once that evaluation is complete."""
    if (agreement is None) == (commission is None):
        raise ValueError("A lesson is learned from an agreement or a commission")
    if agreement is not None:
        evaluation, _ = AgreementEvaluation.objects.get_or_create(agreement=agreement)
        owner = {"agreement_evaluation": evaluation}
        learned_in = _agreement_commission(agreement)
    else:
        _commission_editable(commission)
        evaluation, _ = CommissionEvaluation.objects.get_or_create(commission=commission)
        owner = {"commission_evaluation": evaluation}
        learned_in = commission
    if evaluation.is_complete:
        raise ValidationError("The evaluation is complete: no more lessons can be added to it")
    if not text.strip():
        raise ValidationError({"text": "Enter the lesson"})
    lesson = Lesson(
        **owner,
        commission=learned_in,
        text=text.strip(),
        priority=priority,
        area=area,
        theme=theme,
        created_by=user,
    )
    lesson.full_clean()
    lesson.save()
    return lesson


@transaction.atomic
def lesson_remove(*, lesson: Lesson) -> None:
    """Take a lesson out of an evaluation not yet complete."""
    if lesson.evaluation.is_complete:
        raise ValidationError("The evaluation is complete: its lessons can no longer be removed")
    lesson.delete()


# --- The next cycle -------------------------------------------------------------------------------


def _specification_copy(specification, *, commission, user):
    """A copy of the specification, in the new commission, to redesign from: outcomes,
    success measures with their targets, lots and service criteria."""
    from commissioning.models import (
        Lot,
        MeasureTarget,
        ServiceCriterion,
        Specification,
        SpecificationMeasure,
        SpecificationOutcome,
    )

    copy = Specification.objects.create(
        commission=commission,
        title=specification.title,
        summary=specification.summary,
        budget=specification.budget,
        duration_months=specification.duration_months,
        eligibility=specification.eligibility,
        sector_partners=specification.sector_partners,
        created_by=user,
    )
    copy.partner_organisations.set(specification.partner_organisations.all())
    outcomes = {}
    for outcome in SpecificationOutcome.objects.filter(specification=specification):
        outcomes[outcome.pk] = SpecificationOutcome.objects.create(
            specification=copy, description=outcome.description, order=outcome.order
        )
    for measure in SpecificationMeasure.objects.filter(specification=specification):
        targets = list(MeasureTarget.objects.filter(specification_measure=measure))
        measure_copy = SpecificationMeasure.objects.create(
            specification=copy,
            measure_id=measure.measure_id,
            outcome=outcomes.get(measure.outcome_id),
        )
        MeasureTarget.objects.bulk_create(
            MeasureTarget(specification_measure=measure_copy, year=t.year, target=t.target)
            for t in targets
        )
    Lot.objects.bulk_create(
        Lot(specification=copy, name=lot.name, description=lot.description, budget=lot.budget)
        for lot in Lot.objects.filter(specification=specification)
    )
    ServiceCriterion.objects.bulk_create(
        ServiceCriterion(
            specification=copy,
            name=criterion.name,
            description=criterion.description,
            weight=criterion.weight,
        )
        for criterion in ServiceCriterion.objects.filter(specification=specification)
    )
    return copy


def next_cycle_problems(*, commission) -> list[str]:
    """Why the next cycle cannot be opened from the commission yet; empty when it can."""
    from monitoring.evaluation_selectors import commission_evaluation_is_complete

    problems = []
    if commission.state not in NEXT_CYCLE_STATES:
        problems.append("The commission must be in review or closed")
    if not commission_evaluation_is_complete(commission=commission):
        problems.append("Complete the commission’s evaluation first")
    if commission.next_cycles.exists():
        problems.append("The next cycle has already been opened from this commission")
    return problems


@transaction.atomic
def commission_next_cycle_open(
    *,
    commission,
    user,
    kind: str,
    title: str,
    indicative_budget: Decimal,
    period_start: datetime.date,
    period_end: datetime.date,
):
    """Open the next cycle of a commission in review or closed, with a complete evaluation:
    a new commission for the next period with the same sector, priorities, themes and areas,
    linked both ways (`previous_cycle`, and the carry-forward record holding the evaluation
    and the old gaps); the needs evidence is linked to it too. Recommissioning starts at
    draft (Understand); redesigning starts at planning with the old specifications copied to
    work from. ValidationError when it cannot be opened."""
    from commissioning.models import Commission, CommissionState
    from commissioning.services import commission_create
    from monitoring.evaluation_selectors import commission_evaluation_find

    commission = Commission.objects.select_for_update().get(pk=commission.pk)
    problems = next_cycle_problems(commission=commission)
    if problems:
        raise ValidationError(problems)
    if kind not in NextCycleKind.values:
        raise ValidationError({"kind": "Select recommission or redesign"})
    state = CommissionState.PLANNING if kind == NextCycleKind.REDESIGN else CommissionState.DRAFT
    new = commission_create(
        created_by=user,
        title=title,
        sector=commission.sector,
        priorities=commission.priorities.all(),
        themes=commission.themes.all(),
        areas=commission.areas.all(),
        indicative_budget=indicative_budget,
        period_start=period_start,
        period_end=period_end,
        lead_officer=user,
        summary=commission.summary,
        previous_cycle=commission,
        state=state,
    )
    carried = CycleCarryForward.objects.create(
        previous=commission,
        commission=new,
        kind=kind,
        evaluation=commission_evaluation_find(commission=commission),
        created_by=user,
    )
    evidence = list(commission.evidence_items.all())
    carried.evidence.set(evidence)
    for item in evidence:
        item.commissions.add(new)
    carried.gaps.set(commission.gaps.all())
    if kind == NextCycleKind.REDESIGN:
        for specification in commission.specifications.all():
            _specification_copy(specification, commission=new, user=user)
        # On the timeline: it starts at planning, not at draft as a new commission would.
        StateLog.objects.create(
            content_object=new,
            transition="redesign",
            source_state=CommissionState.DRAFT,
            state=CommissionState.PLANNING,
            by=user,
            description=f"Redesigned from {commission.reference}: its specifications copied "
            "to work from.",
        )
    return new
