"""Reads for commissions: lists, counts, the cycle, next steps, actions, timeline."""

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django_fsm_log.models import StateLog

from commissioning.models import (
    Area,
    Commission,
    CommissionState,
    CorporatePriority,
    CrossCuttingTheme,
    Option,
    Sector,
    Specification,
    Stage,
)
from commissioning.models.commission import STATES_OF_STAGE
from core.selectors import count_of
from core.transitions import (
    Action,
    ChecklistItem,
    conditions_evaluated_once,
    transition_actions_for,
    transition_checklist,
)

# --- Commissions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    """A transition out of the commission's current state and what it still needs."""

    name: str
    label: str
    target: str
    conditions: list[ChecklistItem]

    @property
    def ready(self) -> bool:
        return all(check.met for check in self.conditions)


@dataclass(frozen=True)
class CycleStagePosition:
    value: str
    label: str
    status: str  # "done", "current" or "upcoming"


def commissions_list(
    *,
    stage: str = "",
    sector: Sector | None = None,
    priority: CorporatePriority | None = None,
    lead_officer=None,
    first_led_by=None,
) -> QuerySet[Commission]:
    """Commissions for the staff dashboard, filtered, the latest changed first (those led by
    `first_led_by` before the rest, when given); a flat number of queries."""
    queryset = Commission.objects.for_list()
    if stage == CommissionState.CANCELLED:
        queryset = queryset.filter(state=CommissionState.CANCELLED)
    elif stage:
        queryset = queryset.in_stage(stage)
    if sector is not None:
        queryset = queryset.filter(sector=sector)
    if priority is not None:
        queryset = queryset.filter(priorities=priority)
    if lead_officer is not None:
        queryset = queryset.filter(lead_officer=lead_officer)
    if first_led_by is not None:
        led_first = Case(When(lead_officer=first_led_by, then=0), default=1)
        return queryset.order_by(led_first, "-updated_at", "-pk")
    return queryset.order_by("-updated_at", "-pk")


def commission_stage_counts(*, queryset: QuerySet[Commission], led_by=None) -> dict[str, int]:
    """How many of the commissions are in each stage (and cancelled), and in all, in one
    query; with `led_by`, also how many that person leads (`led`)."""
    aggregates = {
        stage.value: Count("pk", filter=Q(state__in=STATES_OF_STAGE[stage])) for stage in Stage
    }
    aggregates["cancelled"] = Count("pk", filter=Q(state=CommissionState.CANCELLED))
    aggregates["total"] = Count("pk")
    if led_by is not None:
        aggregates["led"] = Count("pk", filter=Q(lead_officer=led_by))
    return queryset.order_by().aggregate(**aggregates)


def commission_detail_get(*, pk: int) -> Commission:
    """The commission with what its page shows and its conditions read: its specifications
    with their parts counted and their opportunities (each with `has_bids` and
    `reviewed_at_assessment`), and its counts (of its options too, with the recommended
    one's title). Its priorities, themes and areas are read by `commission_labels`."""
    from procurement.models import Bid, BidState, ConflictsAssessment, ConflictsStage, Opportunity

    received = Bid.objects.filter(opportunity=OuterRef("pk"), state=BidState.SUBMITTED)
    reviewed = ConflictsAssessment.objects.filter(
        opportunity=OuterRef("pk"), stage=ConflictsStage.ASSESSMENT
    )
    opportunities = Opportunity.objects.annotate(
        has_bids=Exists(received), reviewed_at_assessment=Exists(reviewed)
    )
    options = Option.objects.filter(commission=OuterRef("pk"))
    recommended = options.filter(is_recommended=True)
    return (
        Commission.objects.select_related("sector", "lead_officer", "plan_requested_by")
        .prefetch_related(
            Prefetch(
                "specifications",
                Specification.objects.order_by("title")
                .with_parts_counted()
                .prefetch_related(Prefetch("opportunities", opportunities)),
            ),
        )
        .annotate(
            evidence_count=Count("evidence_items", distinct=True),
            gap_count=Count("gaps", distinct=True),
            event_count=Count("engagement_events", distinct=True),
            feedback_count=Count("feedback", distinct=True),
            option_count=count_of(options, per="commission"),
            recommended_option_count=count_of(recommended, per="commission"),
            recommended_option_title=Subquery(recommended.values("title")[:1]),
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class CommissionLabels:
    """The names of a commission's corporate priorities and cross-cutting themes (in the
    framework's order) and of its wards and areas (by name)."""

    priorities: list[str]
    themes: list[str]
    areas: list[str]


def commission_labels(*, commission: Commission) -> CommissionLabels:
    """The commission's priorities, themes and areas by name, read in one query."""
    names = (
        CorporatePriority.objects.filter(commissions=commission)
        .annotate(group=Value("priorities"), position=F("order"))
        .values_list("group", "position", "name")
        .order_by()
        .union(
            CrossCuttingTheme.objects.filter(commissions=commission)
            .annotate(group=Value("themes"), position=F("order"))
            .values_list("group", "position", "name")
            .order_by(),
            Area.objects.filter(commissions=commission)
            .annotate(group=Value("areas"), position=Value(0))
            .values_list("group", "position", "name")
            .order_by(),
            all=True,
        )
    )
    grouped: dict[str, list[str]] = {"priorities": [], "themes": [], "areas": []}
    for group, _position, name in sorted(names):
        grouped[group].append(name)
    return CommissionLabels(**grouped)


def commission_cycle_position(*, commission: Commission) -> list[CycleStagePosition]:
    """The four stages with where the commission stands: done, current or upcoming."""
    stages = list(Stage)
    if commission.state == CommissionState.CANCELLED:
        return [CycleStagePosition(s.value, s.label, "upcoming") for s in stages]
    current = stages.index(Stage(commission.stage))
    positions = []
    for index, stage in enumerate(stages):
        if commission.state == CommissionState.CLOSED or index < current:
            status = "done"
        elif index == current:
            status = "current"
        else:
            status = "upcoming"
        positions.append(CycleStagePosition(stage.value, stage.label, status))
    return positions


def commission_next_steps(*, commission: Commission) -> list[NextStep]:
    """The forward transitions from here and whether each condition is met yet, in the
    words each condition carries (`core.transitions.condition`)."""
    steps = []
    for spec in commission.get_all_state_transitions():
        if spec.source not in (commission.state, "*") or spec.custom.get("secondary"):
            continue
        if spec.target == CommissionState.CANCELLED:
            continue
        steps.append(
            NextStep(
                name=spec.name,
                label=spec.custom.get("label", spec.name),
                target=CommissionState(spec.target).label,
                conditions=transition_checklist(instance=commission, name=spec.name),
            )
        )
    return steps


def commission_actions_for(*, commission: Commission, user) -> list[Action]:
    """The lifecycle actions this person may take now: the page's buttons come from here."""
    return transition_actions_for(instance=commission, user=user)


def commission_steps_and_actions(
    *, commission: Commission, user
) -> tuple[list[NextStep], list[Action]]:
    """The next steps with what each still needs, and this person's buttons: both ask the
    same conditions, each answered once."""
    with conditions_evaluated_once():
        return (
            commission_next_steps(commission=commission),
            commission_actions_for(commission=commission, user=user),
        )


def commission_timeline(*, commission: Commission) -> QuerySet[StateLog]:
    """Every transition: who, when, from, to and why, oldest first (each entry names its
    states through its content type, fetched with it)."""
    return (
        StateLog.objects.for_(commission)
        .select_related("by", "content_type")
        .order_by("timestamp", "pk")
    )
