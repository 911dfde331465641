"""The golden thread: from the needs evidence and gaps that justified a commission, through
the option chosen, the plan, the opportunity and the awards, to the agreements, their
returns and the outcomes they achieved (and the Social Return on Investment where an
evaluation has computed it).

One thread is read for a set of commissions at once, in a fixed number of queries however
many specifications, awards, agreements and returns hang off them: the lists are fetched
with `select_related`/`Prefetch`, and the outcomes and money are summed in the database.

`public=True` keeps only what is published: published and superseded plans, published
opportunities, approved successful awards, and outcomes and spending summed from the
accepted returns of agreements in delivery. Evidence, gaps, options, recommendations not
yet approved, agreements being prepared and any one return are for council staff only.
Nothing here checks who is asking: the views decide `public` from the rules first.
"""

import importlib.util
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from commissioning.models import (
    Commission,
    CommissioningPlan,
    CorporatePriority,
    Option,
    PlanState,
    Specification,
)

ZERO = Decimal(0)
PUBLIC_PLAN_STATES = (PlanState.PUBLISHED, PlanState.SUPERSEDED)
#: From an agreement, award decision or bid to its specification.
SPEC_OF_AGREEMENT = "decision__bid__opportunity__specification"
SPEC_OF_DECISION = "bid__opportunity__specification"


@dataclass(frozen=True)
class MeasureResult:
    """A success measure summed over the specification's agreements in delivery."""

    measure: str
    unit: str
    target: Decimal
    achieved: Decimal

    @property
    def percent(self) -> int | None:
        if not self.target:
            return None
        return int((self.achieved / self.target * 100).to_integral_value())


@dataclass
class AgreementStep:
    agreement: object
    returns_accepted: int = 0
    returns_total: int = 0
    spent: Decimal = ZERO
    sroi_ratio: Decimal | None = None


@dataclass
class SpecificationThread:
    specification: Specification
    plans: list[CommissioningPlan] = field(default_factory=list)
    opportunities: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    agreements: list[AgreementStep] = field(default_factory=list)
    results: list[MeasureResult] = field(default_factory=list)
    awarded: Decimal = ZERO
    spent: Decimal = ZERO
    agreements_reporting: int = 0

    @property
    def has_reported(self) -> bool:
        return self.agreements_reporting > 0

    @property
    def is_published(self) -> bool:
        return any(plan.state in PUBLIC_PLAN_STATES for plan in self.plans)


@dataclass
class CommissionThread:
    commission: Commission
    evidence: list = field(default_factory=list)
    gaps: list = field(default_factory=list)
    option: Option | None = None
    specifications: list[SpecificationThread] = field(default_factory=list)
    sroi_ratio: Decimal | None = None


# --- Reading the thread -----------------------------------------------------------------------


def _evidence_model():
    return apps.get_model("engagement", "EvidenceItem")


def _gap_model():
    return apps.get_model("engagement", "Gap")


def _sroi_available() -> bool:
    """Whether the Review stage computes SROI yet (monitoring.sroi is built separately)."""
    try:
        return importlib.util.find_spec("monitoring.sroi") is not None
    except ImportError:
        return False


def _evaluation_model(name: str):
    try:
        return apps.get_model("monitoring", name)
    except LookupError:
        return None


def _commission_sroi(commission_ids: list[int], *, public: bool) -> dict[int, Decimal]:
    """The saved SROI ratio of each commission's completed evaluation (the published
    figure: it keeps the assumptions it used). The public sees it once the commission is
    closed."""
    model = _evaluation_model("CommissionEvaluation")
    if model is None or not _sroi_available():
        return {}
    rows = model.objects.filter(
        commission_id__in=commission_ids, completed_at__isnull=False, sroi_ratio__isnull=False
    )
    if public:
        rows = rows.filter(commission__state="closed")
    return dict(rows.values_list("commission_id", "sroi_ratio"))


def _agreement_sroi(agreement_ids: list[int]) -> dict[int, Decimal]:
    model = _evaluation_model("AgreementEvaluation")
    if model is None or not _sroi_available():
        return {}
    rows = model.objects.filter(
        agreement_id__in=agreement_ids, completed_at__isnull=False, sroi_ratio__isnull=False
    )
    return dict(rows.values_list("agreement_id", "sroi_ratio"))


def _specifications(
    commission_ids: list[int], *, public: bool, only: int | None
) -> QuerySet[Specification]:
    from procurement.models import Opportunity

    plans = CommissioningPlan.objects.only(
        "pk", "slug", "title", "version", "state", "published_at", "period_start", "period_end"
    ).order_by("-version")
    opportunities = Opportunity.objects.only(
        "pk", "slug", "title", "reference", "state", "opens_at", "closes_at", "specification_id"
    ).order_by("opens_at", "pk")
    if public:
        plans = plans.filter(state__in=PUBLIC_PLAN_STATES)
        opportunities = opportunities.published()
    queryset = Specification.objects.filter(commission_id__in=commission_ids)
    if only is not None:
        queryset = queryset.filter(pk=only)
    if public:
        queryset = queryset.filter(plans__state__in=PUBLIC_PLAN_STATES).distinct()
    return queryset.prefetch_related(
        Prefetch("plans", queryset=plans), Prefetch("opportunities", queryset=opportunities)
    ).order_by("commission__reference", "title", "pk")


def _decisions(specification_ids: list[int], *, public: bool):
    from procurement.models import AwardDecision

    queryset = AwardDecision.objects.filter(**{f"{SPEC_OF_DECISION}__in": specification_ids})
    if public:
        queryset = queryset.published_awards()
    return queryset.select_related("bid__organisation", "bid__opportunity", "agreement").order_by(
        "-outcome", "bid__organisation__name", "pk"
    )


def _results(specification_ids: list[int]) -> dict[int, dict]:
    """Per specification: targets and accepted actuals per success measure, spending in the
    accepted returns, and how many agreements have reported; all from agreements in
    delivery, summed in the database."""
    from monitoring.models import MonitoringReturn, ReturnActual, ReturnState
    from procurement.models import AgreementState, AgreementTarget

    in_delivery = {
        f"{SPEC_OF_AGREEMENT}__in": specification_ids,
        "state": AgreementState.ACCEPTED,
    }
    agreement_filter = {f"agreement__{key}": value for key, value in in_delivery.items()}
    targets = (
        AgreementTarget.objects.filter(**agreement_filter)
        .values(f"agreement__{SPEC_OF_AGREEMENT}", "measure", "unit")
        .annotate(total=Sum("target"))
        .order_by()
    )
    actuals = (
        ReturnActual.objects.filter(
            monitoring_return__state=ReturnState.ACCEPTED,
            **{f"target__{key}": value for key, value in agreement_filter.items()},
        )
        .values(f"target__agreement__{SPEC_OF_AGREEMENT}", "target__measure", "target__unit")
        .annotate(total=Sum("value"))
        .order_by()
    )
    returns = (
        MonitoringReturn.objects.filter(state=ReturnState.ACCEPTED, **agreement_filter)
        .values(f"agreement__{SPEC_OF_AGREEMENT}")
        .annotate(spent=Sum("spend_in_period"), agreements=Count("agreement", distinct=True))
        .order_by()
    )
    results: dict[int, dict] = defaultdict(
        lambda: {"targets": {}, "actuals": {}, "spent": ZERO, "reporting": 0}
    )
    for row in targets:
        key = (row["measure"], row["unit"])
        results[row[f"agreement__{SPEC_OF_AGREEMENT}"]]["targets"][key] = row["total"]
    for row in actuals:
        key = (row["target__measure"], row["target__unit"])
        results[row[f"target__agreement__{SPEC_OF_AGREEMENT}"]]["actuals"][key] = row["total"]
    for row in returns:
        result = results[row[f"agreement__{SPEC_OF_AGREEMENT}"]]
        result["spent"] = row["spent"] or ZERO
        result["reporting"] = row["agreements"]
    return results


def _results_through_agreements(
    specification_ids: list[int], *, detailed: list[int] | None = None
) -> dict[int, dict]:
    """`_results`, found through the agreements first: their ids and specifications (a few
    hundred rows), then the targets, accepted actuals and accepted returns of those
    agreements by their own indexes, summed per agreement in the database and per
    specification here. For a plan of many specifications, where joining every return in
    the portal to its specification costs more than the sums. With `detailed`, only those
    specifications' targets and actuals are summed (the money spent, of all of them)."""
    from monitoring.models import MonitoringReturn, ReturnActual, ReturnState
    from procurement.models import Agreement, AgreementState, AgreementTarget

    specification_of = dict(
        Agreement.objects.filter(
            **{f"{SPEC_OF_AGREEMENT}__in": specification_ids}, state=AgreementState.ACCEPTED
        )
        .order_by()
        .values_list("pk", SPEC_OF_AGREEMENT)
    )
    all_agreement_ids = list(specification_of)
    agreement_ids = all_agreement_ids
    if detailed is not None:
        wanted = set(detailed)
        agreement_ids = [pk for pk, spec in specification_of.items() if spec in wanted]
    results: dict[int, dict] = {}

    def result_for(agreement_id: int) -> dict:
        return results.setdefault(
            specification_of[agreement_id],
            {"targets": {}, "actuals": {}, "spent": ZERO, "reporting": 0},
        )

    targets = (
        AgreementTarget.objects.filter(agreement_id__in=agreement_ids)
        .values_list("agreement_id", "measure", "unit")
        .annotate(total=Sum("target"))
        .order_by()
    )
    for agreement_id, measure, unit, total in targets:
        totals = result_for(agreement_id)["targets"]
        totals[(measure, unit)] = totals.get((measure, unit), ZERO) + (total or ZERO)
    actuals = (
        ReturnActual.objects.filter(
            monitoring_return__state=ReturnState.ACCEPTED,
            monitoring_return__agreement_id__in=agreement_ids,
            target__agreement_id__in=agreement_ids,
        )
        .values_list("target__agreement_id", "target__measure", "target__unit")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for agreement_id, measure, unit, total in actuals:
        totals = result_for(agreement_id)["actuals"]
        totals[(measure, unit)] = totals.get((measure, unit), ZERO) + (total or ZERO)
    returns = (
        MonitoringReturn.objects.filter(
            state=ReturnState.ACCEPTED, agreement_id__in=all_agreement_ids
        )
        .values_list("agreement_id")
        .annotate(spent=Sum("spend_in_period"))
        .order_by()
    )
    for agreement_id, spent in returns:
        result = result_for(agreement_id)
        result["spent"] += spent or ZERO
        result["reporting"] += 1
    return results


def _return_counts(agreement_ids: list[int]) -> dict[int, tuple[int, int]]:
    from monitoring.models import MonitoringReturn, ReturnState

    rows = (
        MonitoringReturn.objects.filter(agreement_id__in=agreement_ids)
        .values("agreement_id")
        .annotate(
            total=Count("pk"),
            accepted=Count("pk", filter=Q(state=ReturnState.ACCEPTED)),
            spent=Sum("spend_in_period", filter=Q(state=ReturnState.ACCEPTED)),
        )
        .order_by()
    )
    return {row["agreement_id"]: (row["accepted"], row["total"], row["spent"]) for row in rows}


def _measure_results(result: dict) -> list[MeasureResult]:
    keys = list(result["targets"]) + [k for k in result["actuals"] if k not in result["targets"]]
    return [
        MeasureResult(
            measure=measure,
            unit=unit,
            target=result["targets"].get((measure, unit), ZERO),
            achieved=result["actuals"].get((measure, unit), ZERO),
        )
        for measure, unit in keys
    ]


def commission_threads(
    *, commission_ids: list[int], public: bool, specification_id: int | None = None
) -> list[CommissionThread]:
    """The thread of each commission, in a fixed number of queries. With
    `specification_id`, only that specification's strand."""
    commissions = list(
        Commission.objects.filter(pk__in=commission_ids)
        .select_related("sector")
        .prefetch_related(
            Prefetch("priorities", queryset=CorporatePriority.objects.order_by("order", "name"))
        )
        .order_by("reference")
    )
    threads = {commission.pk: CommissionThread(commission=commission) for commission in commissions}
    ids = list(threads)
    if not public:
        through = (
            _evidence_model()
            .commissions.through.objects.filter(commission_id__in=ids)
            .select_related("evidenceitem")
        )
        for link in through.order_by("-evidenceitem__dated", "evidenceitem__title"):
            threads[link.commission_id].evidence.append(link.evidenceitem)
        gaps = (
            _gap_model()
            .objects.filter(commission_id__in=ids)
            .select_related("priority", "area")
            .order_by("priority__order", "area__name", "pk")
        )
        for gap in gaps:
            threads[gap.commission_id].gaps.append(gap)
        for option in Option.objects.filter(commission_id__in=ids, is_recommended=True):
            threads[option.commission_id].option = option
    specifications = list(_specifications(ids, public=public, only=specification_id))
    strands = {spec.pk: SpecificationThread(specification=spec) for spec in specifications}
    for spec in specifications:
        strand = strands[spec.pk]
        strand.plans = list(spec.plans.all())
        strand.opportunities = list(spec.opportunities.all())
        threads[spec.commission_id].specifications.append(strand)
    spec_ids = list(strands)
    agreements = []
    for decision in _decisions(spec_ids, public=public):
        strand = strands[decision.bid.opportunity.specification_id]
        strand.decisions.append(decision)
        if decision.is_approved and decision.is_successful:
            strand.awarded += decision.amount or ZERO
        agreement = getattr(decision, "agreement", None) if _has_agreement(decision) else None
        if agreement is not None and (not public or agreement.state == "accepted"):
            step = AgreementStep(agreement=agreement)
            strand.agreements.append(step)
            agreements.append(step)
    if not public and agreements:
        counts = _return_counts([step.agreement.pk for step in agreements])
        ratios = _agreement_sroi([step.agreement.pk for step in agreements])
        for step in agreements:
            accepted, total, spent = counts.get(step.agreement.pk, (0, 0, None))
            step.returns_accepted, step.returns_total = accepted, total
            step.spent = spent or ZERO
            step.sroi_ratio = ratios.get(step.agreement.pk)
    for spec_id, result in _results(spec_ids).items():
        strand = strands[spec_id]
        strand.results = _measure_results(result)
        strand.spent = result["spent"]
        strand.agreements_reporting = result["reporting"]
    for commission_id, ratio in _commission_sroi(ids, public=public).items():
        threads[commission_id].sroi_ratio = ratio
    return [threads[pk] for pk in ids]


def _has_agreement(decision) -> bool:
    from procurement.models import AwardDecision

    try:
        return decision.agreement is not None
    except AwardDecision.agreement.RelatedObjectDoesNotExist:
        return False


# --- The three ways in ------------------------------------------------------------------------


def specification_thread_get(*, pk: int, public: bool) -> CommissionThread:
    """The thread through one specification. Specification.DoesNotExist when there is no
    such specification or, for the public, it is in no published plan."""
    queryset = Specification.objects.all()
    if public:
        queryset = queryset.filter(plans__state__in=PUBLIC_PLAN_STATES)
    commission_id = (
        queryset.filter(pk=pk).values_list("commission_id", flat=True).order_by().distinct().get()
    )
    threads = commission_threads(commission_ids=[commission_id], public=public, specification_id=pk)
    return threads[0]


@dataclass(frozen=True)
class GapThread:
    gap: object
    thread: CommissionThread


def gap_thread_get(*, pk: int) -> GapThread:
    """The thread forwards from a gap: its commission and everything that followed. For
    council staff only. Gap.DoesNotExist for an unknown gap."""
    gap = (
        _gap_model()
        .objects.select_related("commission", "priority", "area")
        .prefetch_related("evidence")
        .get(pk=pk)
    )
    threads = commission_threads(commission_ids=[gap.commission_id], public=False)
    return GapThread(gap=gap, thread=threads[0])


@dataclass(frozen=True)
class EvidenceThread:
    evidence: object
    gaps: list
    threads: list[CommissionThread]


def evidence_thread_get(*, pk: int) -> EvidenceThread:
    """The thread forwards from a piece of evidence: the gaps it supports and the
    commissions it informed (linked directly or through a gap), each with everything that
    followed. For council staff only. EvidenceItem.DoesNotExist for unknown evidence."""
    evidence = _evidence_model().objects.get(pk=pk)
    gaps = list(
        evidence.gaps.select_related("commission", "priority", "area").order_by(
            "commission__reference", "priority__order", "pk"
        )
    )
    commission_ids = set(evidence.commissions.values_list("pk", flat=True))
    commission_ids.update(gap.commission_id for gap in gaps)
    threads = commission_threads(commission_ids=sorted(commission_ids), public=False)
    return EvidenceThread(evidence=evidence, gaps=gaps, threads=threads)


# --- What a published plan achieved -----------------------------------------------------------


@dataclass(frozen=True)
class SpecificationAchievement:
    specification: Specification
    results: list[MeasureResult]
    awarded: Decimal
    spent: Decimal
    agreements_reporting: int


@dataclass(frozen=True)
class PlanAchievements:
    """What the whole plan awarded and spent, whether any of its agreements has reported,
    and the rows of the specifications asked for (a page of the plan's)."""

    rows: list[SpecificationAchievement]
    awarded: Decimal
    spent: Decimal
    agreements_reporting: int

    @property
    def has_reported(self) -> bool:
        return bool(self.agreements_reporting)


def plan_achievements_get(
    *, plan: CommissioningPlan, specifications: list[Specification] | None = None
) -> PlanAchievements:
    """What a published plan's specifications achieved: per specification, outcomes against
    targets summed from the accepted returns of its agreements in delivery, the money
    awarded (approved awards) and spent (as the accepted returns report it); and the same
    money for the whole plan. Aggregates only: nothing of any one return. Rows for
    `specifications` (one page of the plan's: only theirs have their outcomes summed), or
    for every one of the plan's specifications (prefetched) when not given."""
    from procurement.models import AwardDecision

    every_id = [spec.pk for spec in plan.specifications.all()]
    if specifications is None:
        specifications = list(plan.specifications.all())
    awarded = dict(
        AwardDecision.objects.published_awards()
        .filter(**{f"{SPEC_OF_DECISION}__in": every_id})
        .values_list(SPEC_OF_DECISION)
        .annotate(total=Sum("amount"))
        .order_by()
    )
    ids = [spec.pk for spec in specifications]
    results = _results_through_agreements(every_id, detailed=ids) if every_id else {}
    rows = []
    for spec in specifications:
        result = results.get(spec.pk)
        rows.append(
            SpecificationAchievement(
                specification=spec,
                results=_measure_results(result) if result else [],
                awarded=awarded.get(spec.pk) or ZERO,
                spent=result["spent"] if result else ZERO,
                agreements_reporting=result["reporting"] if result else 0,
            )
        )
    return PlanAchievements(
        rows=rows,
        awarded=sum(awarded.values(), ZERO),
        spent=sum((result["spent"] for result in results.values()), ZERO),
        agreements_reporting=sum(result["reporting"] for result in results.values()),
    )
