"""Demo of a contract under the Procurement Act 2023, awarded and entered into: accessible
transport to the council's day centres, bought as a contract (not a grant), with its
notices on the Central Digital Platform.

Two organisations bid. Lune Valley Community Transport won, Carnforth Youth and Community
Hub did not, and both were sent their assessment summaries the day after the award was
approved. The council then published the contract award notice, which started the
standstill period of 8 working days (s.51); after it ended the contract was sent, and Lune
Valley accepted it, so the contract details notice followed. The tender notice was
published the day the opportunity opened: the contract is worth £30,000 or more including
VAT. The conflicts assessment was recorded before publication and reviewed at the
assessment of bids and at the award (s.83). Both suppliers have their Public Procurement
Organisation Numbers (`demo.procurement_act`).

How the contract came to be awarded (the commission, its specification, the opportunity,
the bids and the approved decisions) is recorded directly, as `demo.monitoring` records the
community hubs': the services start a commission today and will not take bids after a
deadline. The notices are recorded through `notice_record`, which computes the standstill
period from the contract award notice, and the contract is made, sent and accepted through
the agreement services, then dated.

Idempotent: keyed on the commission's and the opportunity's titles, each bid's
organisation and each notice's kind.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from commissioning.models import (
    Area,
    Commission,
    CommissionState,
    CorporatePriority,
    CrossCuttingTheme,
    Sector,
    Specification,
)
from commissioning.services.commissions import commission_create
from core.models import User
from core.roles import Role
from core.working_days import working_days_add
from demo.bids import CARNFORTH, LUNE_VALLEY, DemoBid, _bid_seed, _member
from demo.opportunities import _balance_weights, _conflicts_assess
from demo.plan import ELIGIBLE_VCFS, DemoSpecification, _specification
from procurement.models import (
    Agreement,
    AwardDecision,
    Bid,
    ConflictsAssessment,
    ConflictsStage,
    FundingType,
    NoticeKind,
    Opportunity,
    OpportunityState,
    Outcome,
)
from procurement.services.agreements import (
    agreement_accept,
    agreement_create,
    agreement_transition,
    first_of_next_month,
)
from procurement.services.notices import notice_record
from procurement.services.opportunities import _next_reference as opportunity_reference_next
from procurement.services.opportunities import _unique_slug as opportunity_slug
from procurement.services.opportunities import opportunity_questions_create_default
from providers.models import Organisation

COMMISSION = "Accessible transport to day centres"
OPPORTUNITY = "Accessible transport to the council's day centres"
SUPPLIER = LUNE_VALLEY

SPECIFICATION = DemoSpecification(
    "Accessible transport to day centres",
    "Door-to-door accessible transport, with trained passenger assistants, taking people to "
    "and from the council's day centres in Lancaster and Morecambe five days a week.",
    "84000",
    24,
    ELIGIBLE_VCFS,
    "Lune Valley Community Transport; the day centres' managers",
    ("Older and disabled people get to their day centre safely and on time",),
    (("People supported", (140, 150)),),
)

ANSWERS = (
    "Our drivers and passenger assistants know the day centres' members already: we take "
    "many of them to hospital appointments, and we plan each route with the centre's "
    "manager so nobody spends more than 45 minutes on the bus.",
    "Eleven wheelchair-accessible minibuses, each under five years old, with a spare "
    "vehicle for breakdowns; every driver holds MiDAS accessible training.",
)

BIDS = [
    (
        DemoBid(
            organisation=LUNE_VALLEY,
            title="Day centre transport for Lancaster and Morecambe, 2027 to 2029",
            share=Decimal("0.95"),
            answers=ANSWERS,
            budget=(
                ("Drivers and passenger assistants", Decimal("0.7")),
                ("Vehicles, fuel and insurance", Decimal("0.3")),
            ),
            submitted_days_before_close=3,
        ),
        ("transport@example.org", "Gareth Price", "Operations manager"),
        Outcome.SUCCESSFUL,
    ),
    (
        DemoBid(
            organisation=CARNFORTH,
            title="Community minibus runs to the day centres",
            share=Decimal("0.9"),
            answers=ANSWERS,
            budget=(
                ("Volunteer drivers' expenses and a coordinator", Decimal("0.6")),
                ("Minibus lease", Decimal("0.4")),
            ),
            submitted_days_before_close=1,
        ),
        ("carnforth@example.org", "Ravi Shah", "Hub manager"),
        Outcome.UNSUCCESSFUL,
    ),
]

REASONS = (
    "Your bid scored well on local knowledge, but it relies on volunteer drivers for a "
    "service that runs five days a week, and the panel was less sure every journey would run."
)
CONDITIONS = "Every vehicle and driver checked against the council's passenger transport policy."


# --- When things happened -------------------------------------------------------------------------


def _award_notice_day() -> dt.date:
    """The contract award notice: published five weeks ago (on a working day), so that the
    standstill period and the contract that followed it are all in the past."""
    day = timezone.localdate() - dt.timedelta(days=36)
    return working_days_add(start=day, days=1)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


# --- How it was awarded (recorded directly: see the module docstring) -----------------------------


def _commission(*, officer: User, starts_on: dt.date) -> Commission:
    commission = Commission.objects.filter(title=COMMISSION).first()
    if commission is None:
        commission = commission_create(
            created_by=officer,
            title=COMMISSION,
            sector=Sector.objects.get(short_name="VCFS"),
            priorities=CorporatePriority.objects.filter(slug="health-and-well-being"),
            themes=CrossCuttingTheme.objects.filter(slug="working-together-in-partnership"),
            areas=Area.objects.filter(name__in=("Lancaster", "Morecambe"), kind=Area.Kind.AREA),
            indicative_budget=Decimal(SPECIFICATION.budget),
            period_start=starts_on,
            period_end=starts_on.replace(year=starts_on.year + 2) - dt.timedelta(days=1),
            lead_officer=officer,
            summary=(
                "Accessible transport to and from the council's day centres, bought as a "
                "contract under the Procurement Act 2023."
            ),
        )
        Commission.objects.filter(pk=commission.pk).update(state=CommissionState.DELIVERY)
        commission.refresh_from_db()
    return commission


def _opportunity(*, specification: Specification, officer: User, decided: dt.date) -> Opportunity:
    opportunity = Opportunity.objects.filter(title=OPPORTUNITY).first()
    if opportunity is not None:
        return opportunity
    closes_at = _at(decided - dt.timedelta(days=28), 17)
    opens_at = _at(timezone.localdate(closes_at) - dt.timedelta(weeks=6), 9)
    opportunity = Opportunity(
        specification=specification,
        title=OPPORTUNITY,
        summary=(
            "A contract for door-to-door accessible transport to and from the council's day "
            "centres in Lancaster and Morecambe, five days a week, for two years."
        ),
        budget=specification.budget,
        funding_type=FundingType.CONTRACT,
        opens_at=opens_at,
        closes_at=closes_at,
        eligibility=specification.eligibility,
        created_by=officer,
        slug=opportunity_slug(OPPORTUNITY),
        reference=opportunity_reference_next(timezone.localtime(opens_at).year),
        state=OpportunityState.CLOSED,
        published_at=opens_at,
    )
    opportunity.save()
    opportunity_questions_create_default(opportunity=opportunity)
    _balance_weights(opportunity)
    return opportunity


def _decision(
    *, bid: Bid, outcome: str, officer: User, approver: User, decided: dt.date
) -> AwardDecision:
    approved_at = _at(decided, 14)
    successful = outcome == Outcome.SUCCESSFUL
    decision, _ = AwardDecision.objects.get_or_create(
        bid=bid,
        defaults={
            "outcome": outcome,
            "amount": bid.amount_requested if successful else None,
            "conditions": CONDITIONS if successful else "",
            "reasons": "" if successful else REASONS,
            "recommended_by": officer,
            "approved_by": approver,
            "approved_at": approved_at,
            "decided_on": decided,
            # The assessment summaries, sent the next morning.
            "notified_at": approved_at + dt.timedelta(hours=20),
        },
    )
    return decision


def _conflicts_reviews(*, opportunity: Opportunity, officer: User, decided: dt.date) -> None:
    """The conflicts assessment before publication, reviewed at the assessment of bids and
    at the award (Procurement Act 2023, s.83; the contract is not sent without the last),
    through the services; then dated: the day before it opened, the day after bidding
    closed, and the day the awards were approved."""
    when = {
        ConflictsStage.PUBLICATION: opportunity.opens_at - dt.timedelta(days=1),
        ConflictsStage.ASSESSMENT: opportunity.closes_at + dt.timedelta(hours=16),
        ConflictsStage.AWARD: _at(decided, 11),
    }
    for stage, at in when.items():
        if opportunity.conflicts_assessments.filter(stage=stage).exists():
            continue
        _conflicts_assess(opportunity=opportunity, officer=officer, stage=stage)
        ConflictsAssessment.objects.filter(opportunity=opportunity, stage=stage).update(
            recorded_at=at
        )
        opportunity.officer_declarations.filter(stage=stage).update(declared_at=at)


def _contract(*, decision: AwardDecision, officer: User, approver: User, admin: User) -> Agreement:
    """Made, sent once the standstill period had ended, and accepted, through the agreement
    services; then dated."""
    agreement = agreement_create(decision=decision, created_by=approver)
    sent_on = working_days_add(start=decision.standstill_ends_on, days=1)
    if agreement.state == "draft":
        agreement = agreement_transition(agreement=agreement, name="issue", user=officer)
        Agreement.objects.filter(pk=agreement.pk).update(issued_at=_at(sent_on, 10))
    if agreement.state == "issued":
        agreement = agreement_accept(agreement=agreement, user=admin)
        Agreement.objects.filter(pk=agreement.pk).update(
            accepted_at=_at(working_days_add(start=sent_on, days=2), 15)
        )
    agreement.refresh_from_db()
    return agreement


def _notice(opportunity: Opportunity, kind: str, published_on: dt.date, officer: User, **more):
    if opportunity.notices.filter(kind=kind).exists():
        return
    notice_record(
        opportunity=opportunity,
        kind=kind,
        identifier=f"{published_on.year}/S 000-{opportunity.pk:03d}{len(kind):03d}",
        published_on=published_on,
        recorded_by=officer,
        **more,
    )


@transaction.atomic
def demo_contract_seed(*, organisations: dict[str, Organisation], users: dict) -> Opportunity:
    """The day centre transport contract, awarded with its notices (see the module
    docstring)."""
    officer, approver = users[Role.OFFICER], users[Role.APPROVER]
    award_notice_on = _award_notice_day()
    decided = award_notice_on - dt.timedelta(days=3)
    commission = _commission(officer=officer, starts_on=first_of_next_month(timezone.localdate()))
    specification = _specification(commission, SPECIFICATION, officer)
    opportunity = _opportunity(specification=specification, officer=officer, decided=decided)
    _conflicts_reviews(opportunity=opportunity, officer=officer, decided=decided)
    winner = None
    for demo_bid, person, outcome in BIDS:
        organisation = organisations[demo_bid.organisation]
        admin = _member(organisation, *person)
        bid = _bid_seed(
            opportunity=opportunity,
            organisation=organisation,
            demo=demo_bid,
            by=admin,
            organisations=organisations,
        )
        decision = _decision(
            bid=bid, outcome=outcome, officer=officer, approver=approver, decided=decided
        )
        if outcome == Outcome.SUCCESSFUL:
            winner = (decision, admin)
    _notice(opportunity, NoticeKind.TENDER, timezone.localdate(opportunity.opens_at), officer)
    _notice(opportunity, NoticeKind.CONTRACT_AWARD, award_notice_on, officer)
    decision, admin = winner
    decision.refresh_from_db()
    agreement = _contract(decision=decision, officer=officer, approver=approver, admin=admin)
    details_on = timezone.localdate(agreement.accepted_at) + dt.timedelta(days=1)
    _notice(opportunity, NoticeKind.CONTRACT_DETAILS, details_on, officer, agreement=agreement)
    return opportunity
