"""Every (transition, source, target) of the Commission's state machine, and the refusals."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog

from commissioning.models import Commission, CommissionState, CorporatePriority
from commissioning.models.commission import CANCELLABLE
from commissioning.services import commission_transition
from core.roles import Role
from engagement.models import EvidenceItem, Gap
from monitoring.models import CommissionEvaluation
from procurement.models import (
    Assignment,
    AwardDecision,
    Bid,
    ConflictDeclaration,
    ModeratedScore,
    Opportunity,
)
from tests.factories import (
    CommissionFactory,
    OptionFactory,
    PlanFactory,
    SpecificationFactory,
    UserFactory,
)
from tests.procurement.factories_assessment import (
    assessed_opportunity,
    assign,
    panel_member_add,
)
from tests.procurement.factories_bids import OpportunityFactory

S = CommissionState
LEAD, APPROVER = "lead", "approver"

# transition -> (sources, target, who may make it, needs a reason)
MACHINE = {
    "start_understanding": ([S.DRAFT], S.UNDERSTANDING, LEAD, False),
    "start_planning": ([S.UNDERSTANDING], S.PLANNING, LEAD, False),
    "request_plan_approval": ([S.PLANNING], S.PLAN_APPROVAL, LEAD, False),
    "approve_plan": ([S.PLAN_APPROVAL], S.APPROVED, APPROVER, False),
    "return_plan": ([S.PLAN_APPROVAL], S.PLANNING, APPROVER, True),
    "start_procurement": ([S.APPROVED], S.PROCUREMENT, LEAD, False),
    "start_assessment": ([S.PROCUREMENT], S.ASSESSMENT, LEAD, False),
    "request_award_approval": ([S.ASSESSMENT], S.AWARD_APPROVAL, LEAD, False),
    "approve_awards": ([S.AWARD_APPROVAL], S.DELIVERY, APPROVER, False),
    "return_awards": ([S.AWARD_APPROVAL], S.ASSESSMENT, APPROVER, True),
    "start_review": ([S.DELIVERY], S.REVIEW, LEAD, False),
    "close": ([S.REVIEW], S.CLOSED, LEAD, False),
    "cancel": (CANCELLABLE, S.CANCELLED, LEAD, True),
}

ALLOWED = [
    pytest.param(name, source, target, id=f"{name}:{source}->{target}")
    for name, (sources, target, _, _) in MACHINE.items()
    for source in sources
]
WRONG_SOURCE = [
    pytest.param(name, source, id=f"{name}:from-{source}")
    for name, (sources, _, _, _) in MACHINE.items()
    for source in S.values
    if source not in sources
]
WRONG_ROLE = [
    pytest.param(name, sources[0], role, id=f"{name}:{role}")
    for name, (sources, _, actor, _) in MACHINE.items()
    for role in (
        ["provider", "panel", "other_officer", "approver_only"]
        if actor == LEAD
        else ["provider", "panel", "lead"]
    )
    # Approvers may cancel as well as lead officers.
    if not (name == "cancel" and role == "approver_only")
]


def _satisfy_conditions(commission: Commission) -> None:
    """Everything the Understand and Plan stages ask for: evidence, a gap, a recommended
    option, a complete specification in a published Commissioning Plan. (The Do stage's
    conditions come with the commission itself: see `_assessed_commission`.)"""
    _satisfy_understand(commission)
    OptionFactory(commission=commission, is_recommended=True, recommendation_rationale="Best")
    PlanFactory(state="published", specifications=[SpecificationFactory(commission=commission)])
    # Review: closing needs a completed evaluation (monitoring.models_evaluation).
    CommissionEvaluation.objects.create(
        commission=commission,
        impact_summary="Fewer older people alone at weekends",
        recommendation="recommission",
        completed_at=timezone.now(),
    )


def _assessed_commission(*, lead, state) -> Commission:
    """A commission in `state` whose opportunity has closed (budget £60,000), every bid
    received scored and submitted by a panel of two, moderated, and recommended within the
    budget; with the Understand and Plan stages' conditions met too."""
    commission = assessed_opportunity(state=state, lead_officer=lead, recommended=True).commission
    _satisfy_conditions(commission)
    return commission


def _satisfy_understand(commission: Commission) -> None:
    evidence = EvidenceItem.objects.create(
        title="Census 2021: people aged 65 and over living alone",
        category=EvidenceItem.Category.DEMOGRAPHY,
        source="Office for National Statistics",
        dated=datetime.date(2022, 11, 2),
        summary="One in three people over 65 in Morecambe live alone.",
    )
    evidence.commissions.add(commission)
    Gap.objects.create(
        commission=commission,
        priority=CorporatePriority.objects.get(slug="health-and-well-being"),
        need="Older people are isolated",
        current_provision="Two lunch clubs",
        gap="No weekend provision",
        opportunity="Weekend community meals",
        severity=Gap.Severity.HIGH,
    )


@pytest.fixture
def people(db):
    lead = UserFactory(roles=[Role.OFFICER], email="lead@example.org")
    return {
        "lead": lead,
        "other_officer": UserFactory(roles=[Role.OFFICER], email="other@example.org"),
        "approver_only": UserFactory(roles=[Role.APPROVER], email="approver2@example.org"),
        "approver": UserFactory(roles=[Role.APPROVER], email="approver@example.org"),
        "provider": UserFactory(roles=[Role.PROVIDER], email="provider@example.org"),
        "panel": UserFactory(roles=[Role.PANEL_MEMBER], email="panel@example.org"),
    }


def _commission(people, state) -> Commission:
    commission = _assessed_commission(lead=people["lead"], state=state)
    if state == S.PLAN_APPROVAL:
        commission.plan_requested_by = people["lead"]
    if state == S.AWARD_APPROVAL:
        commission.award_requested_by = people["lead"]
    commission.save()
    return Commission.objects.get(pk=commission.pk)


def _actor(people, name):
    return people[LEAD] if MACHINE[name][2] == LEAD else people[APPROVER]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source", "target"), ALLOWED)
def test_allowed_transition_moves_and_is_logged(people, name, source, target):
    commission = _commission(people, source)
    actor = _actor(people, name)

    commission_transition(commission=commission, name=name, user=actor, reason="Agreed at DMT")

    commission.refresh_from_db()
    assert commission.state == target
    log = StateLog.objects.for_(commission).get()
    assert (log.source_state, log.state, log.transition) == (source, target, name)
    assert log.by == actor
    assert log.description == "Agreed at DMT"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source"), WRONG_SOURCE)
def test_transition_from_a_wrong_state_is_not_allowed(people, name, source):
    commission = _commission(people, source)
    with pytest.raises(TransitionNotAllowed):
        commission_transition(
            commission=commission, name=name, user=_actor(people, name), reason="Because"
        )
    commission.refresh_from_db()
    assert commission.state == source
    assert not StateLog.objects.for_(commission).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source", "role"), WRONG_ROLE)
def test_transition_by_the_wrong_person_is_refused(people, name, source, role):
    commission = _commission(people, source)
    with pytest.raises(PermissionDenied):
        commission_transition(commission=commission, name=name, user=people[role], reason="x")
    commission.refresh_from_db()
    assert commission.state == source


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("request_name", "approve_name", "source"),
    [
        ("request_plan_approval", "approve_plan", S.PLANNING),
        ("request_award_approval", "approve_awards", S.ASSESSMENT),
    ],
)
def test_nobody_approves_what_they_asked_for(people, request_name, approve_name, source):
    # A lead officer who is also an approver asks for approval, then tries to give it.
    both = UserFactory(roles=[Role.OFFICER, Role.APPROVER], email="both@example.org")
    commission = _assessed_commission(lead=both, state=source)
    commission_transition(commission=commission, name=request_name, user=both)

    with pytest.raises(PermissionDenied):
        commission_transition(commission=commission, name=approve_name, user=both)
    # ...and for returning it too.
    return_name = "return_plan" if approve_name == "approve_plan" else "return_awards"
    with pytest.raises(PermissionDenied):
        commission_transition(commission=commission, name=return_name, user=both, reason="No")

    commission_transition(commission=commission, name=approve_name, user=people[APPROVER])
    commission.refresh_from_db()
    assert commission.state in (S.APPROVED, S.DELIVERY)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "missing", ["recommended option", "specification", "complete specification"]
)
def test_no_plan_approval_without_a_recommended_option_and_a_complete_specification(
    people, missing
):
    commission = CommissionFactory(lead_officer=people[LEAD], state=S.PLANNING)
    if missing != "recommended option":
        OptionFactory(commission=commission, is_recommended=True)
    else:
        OptionFactory(commission=commission, is_recommended=False)
    if missing == "complete specification":
        SpecificationFactory(commission=commission, complete=False)
    elif missing != "specification":
        SpecificationFactory(commission=commission)
    if missing == "recommended option":
        SpecificationFactory(commission=commission)

    with pytest.raises(TransitionNotAllowed):
        commission_transition(
            commission=commission, name="request_plan_approval", user=people[LEAD]
        )
    commission.refresh_from_db()
    assert commission.state == S.PLANNING


@pytest.mark.django_db
@pytest.mark.parametrize("plan_state", ["draft", "awaiting_approval", "approved", "superseded"])
def test_no_procurement_until_the_plan_is_published(people, plan_state):
    commission = CommissionFactory(lead_officer=people[LEAD], state=S.APPROVED)
    PlanFactory(state=plan_state, specifications=[SpecificationFactory(commission=commission)])

    with pytest.raises(TransitionNotAllowed):
        commission_transition(commission=commission, name="start_procurement", user=people[LEAD])
    commission.refresh_from_db()
    assert commission.state == S.APPROVED


@pytest.mark.django_db
@pytest.mark.parametrize("missing", ["evidence", "gap", "both"])
def test_no_planning_without_evidence_and_a_gap(people, missing):
    commission = CommissionFactory(lead_officer=people[LEAD], state=S.UNDERSTANDING)
    _satisfy_understand(commission)
    if missing in ("evidence", "both"):
        commission.evidence_items.clear()
    if missing in ("gap", "both"):
        commission.gaps.all().delete()

    with pytest.raises(TransitionNotAllowed):
        commission_transition(commission=commission, name="start_planning", user=people[LEAD])
    commission.refresh_from_db()
    assert commission.state == S.UNDERSTANDING


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "source"), [("return_plan", S.PLAN_APPROVAL), ("cancel", S.DRAFT)]
)
def test_returning_or_cancelling_needs_reasons(people, name, source):
    commission = _commission(people, source)
    with pytest.raises(ValidationError):
        commission_transition(
            commission=commission, name=name, user=_actor(people, name), reason="  "
        )
    commission.refresh_from_db()
    assert commission.state == source


@pytest.mark.django_db
def test_no_assessment_before_the_deadline(people):
    commission = CommissionFactory(lead_officer=people[LEAD], state=S.PROCUREMENT)
    with pytest.raises(TransitionNotAllowed):
        commission_transition(commission=commission, name="start_assessment", user=people[LEAD])
    # An opportunity still open for bids.
    OpportunityFactory(specification=SpecificationFactory(commission=commission))
    with pytest.raises(TransitionNotAllowed):
        commission_transition(commission=commission, name="start_assessment", user=people[LEAD])
    commission.refresh_from_db()
    assert commission.state == S.PROCUREMENT


def _first_bid(commission: Commission) -> Bid:
    return Bid.objects.filter(opportunity__specification__commission=commission).earliest("pk")


def _score_missing(commission):
    """One panel member has not submitted their scores for one bid."""
    assignment = Assignment.objects.filter(bid=_first_bid(commission)).first()
    assignment.scores.first().delete()
    assignment.submitted_at = None
    assignment.save()


def _bid_not_assigned(commission):
    Assignment.objects.filter(bid=_first_bid(commission)).delete()


def _conflict_unresolved(commission):
    bid = _first_bid(commission)
    place = panel_member_add(bid.opportunity)
    assignment = assign(bid, place)
    assignment.conflict = ConflictDeclaration.objects.create(
        panel_member=place,
        organisation=bid.organisation,
        has_conflict=True,
        kind="financial",
        description="I am paid by the organisation as a consultant",
        declared_by=place.user,
    )
    assignment.save()


def _moderation_missing(commission):
    ModeratedScore.objects.filter(bid=_first_bid(commission)).first().delete()


def _decision_missing(commission):
    AwardDecision.objects.filter(bid=_first_bid(commission)).delete()


def _over_budget(commission):
    """The awards recommended add up to £55,000; the budget is cut below that."""
    Opportunity.objects.filter(specification__commission=commission).update(budget=50000)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "spoil",
    [
        _score_missing,
        _bid_not_assigned,
        _conflict_unresolved,
        _moderation_missing,
        _decision_missing,
        _over_budget,
    ],
    ids=lambda spoil: spoil.__name__.strip("_"),
)
def test_no_award_approval_until_assessment_and_recommendation_are_whole(people, spoil):
    commission = _commission(people, S.ASSESSMENT)
    spoil(commission)
    with pytest.raises(TransitionNotAllowed):
        commission_transition(
            commission=commission, name="request_award_approval", user=people[LEAD]
        )
    commission.refresh_from_db()
    assert commission.state == S.ASSESSMENT
    assert commission.award_requested_by is None


@pytest.mark.django_db
def test_the_state_cannot_be_set_directly(people):
    commission = _commission(people, S.DRAFT)
    with pytest.raises(AttributeError):
        commission.state = S.DELIVERY


def test_the_machine_covers_every_transition():
    """The table above names every transition the model has: a new one needs a row."""
    names = {t.name for t in Commission._meta.get_field("state").get_all_transitions(Commission)}
    assert names == set(MACHINE)
