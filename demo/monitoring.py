"""Demo monitoring: community hubs in their second year of delivery, with returns in every
state, a RAG mix with its history, and payments paid and held.

The winter light festival's agreements start next month, so none of their returns is due
yet. The demo's monitoring needs agreements that have been running for a year: the
council's community hubs, three grants (Morecambe Bay Community Food Network, Skerton
Community Centre Association, Carnforth Youth and Community Hub) that started on the first
of the month a year before the demo is seeded. Everything is dated from that day.

How the hubs came to be funded (the commission, its specification, the opportunity, the
bids and the approved awards) is recorded directly, as `demo.bids` and `demo.awards` record
what the services refuse to do after the fact: the services start a commission today and
will not take bids after a deadline. From the award on, everything goes through the
services: the agreements are made, sent and accepted; the providers fill in and submit
their returns; the officer asks for changes and accepts them, records payments, holds one
and rates each agreement. Each record is then dated to when it happened in the story (the
services stamp "now"), as `demo.bids` dates its submissions.

- Food Network (the demo provider's organisation): three returns accepted, one of them
  after changes were asked for; the latest sent back with comments on two parts; amber,
  after green.
- Skerton: two accepted, the third waiting for review, the fourth in progress; green.
- Carnforth: one accepted, two overdue (one started, one not), one due this month; green,
  then amber, then red, and a payment held until the first overdue return is accepted.

Idempotent: keyed on the commission's title and each agreement's returns; an agreement
whose returns have been started is left as it is.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
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
from demo.bids import DemoBid, _bid_seed, _member, tiny_pdf
from demo.opportunities import _balance_weights
from demo.plan import ELIGIBLE_VCFS, DemoSpecification, _specification
from monitoring.models import (
    InstalmentPayment,
    MonitoringReturn,
    PaymentHold,
    RagStatus,
    ReturnReview,
    ReturnState,
    ReturnSubmission,
)
from monitoring.services import (
    ReturnAnswers,
    payment_hold,
    payment_mark_paid,
    rag_set,
    return_attachment_add,
    return_save,
    return_transition,
)
from procurement.models import (
    Agreement,
    AwardDecision,
    Bid,
    FundingType,
    Opportunity,
    OpportunityState,
    Outcome,
)
from procurement.services.agreements import (
    agreement_accept,
    agreement_create,
    agreement_transition,
    months_add,
)
from procurement.services.opportunities import _next_reference as opportunity_reference_next
from procurement.services.opportunities import _unique_slug as opportunity_slug
from procurement.services.opportunities import opportunity_questions_create_default
from providers.models import Organisation

COMMISSION = "Community hubs in Morecambe, Skerton and Carnforth"
OPPORTUNITY = "Community hubs: a warm welcome, a hot meal and help with money worries"
FOOD_NETWORK = "Morecambe Bay Community Food Network"
SKERTON = "Skerton Community Centre Association"
CARNFORTH = "Carnforth Youth and Community Hub"

SPECIFICATION = DemoSpecification(
    "Community hubs",
    "Community buildings open as hubs at least two days a week: a warm welcome, a hot meal, "
    "activities and help with money worries, in Morecambe, Skerton and Carnforth.",
    "90000",
    24,
    ELIGIBLE_VCFS,
    "Lancaster District CVS; Citizens Advice North Lancashire",
    (
        "People on low incomes are less isolated and get help with money worries early",
        "More residents volunteer in their community",
    ),
    (
        ("People supported", (600, 650)),
        ("Volunteers recruited", (30, 24)),
        ("Community events held", (150, 160)),
    ),
)

HUB_ANSWERS = (
    "A hub where people already go, with a hot meal and someone to talk to, reaches people "
    "who would never walk into an advice centre. It supports the Council's priorities for "
    "health and well-being and for community leadership.",
    "Our building is open six days a week, with a kitchen, a warm room and a private room "
    "for advice. Volunteers and a paid coordinator are in post.",
)

BIDS = [
    DemoBid(
        organisation=FOOD_NETWORK,
        title="Harbour and Poulton community hubs",
        share=Decimal("0.34"),
        answers=HUB_ANSWERS,
        budget=(("Hub coordinator", Decimal("0.6")), ("Food and running costs", Decimal("0.4"))),
        submitted_days_before_close=4,
    ),
    DemoBid(
        organisation=SKERTON,
        title="Skerton hub: lunch club, warm room and advice drop-in",
        share=Decimal("0.33"),
        answers=HUB_ANSWERS,
        budget=(("Hub worker", Decimal("0.7")), ("Meals and heating", Decimal("0.3"))),
        submitted_days_before_close=2,
    ),
    DemoBid(
        organisation=CARNFORTH,
        title="Carnforth community café hub",
        share=Decimal("0.30"),
        answers=HUB_ANSWERS,
        budget=(("Café hub coordinator", Decimal("0.65")), ("Café costs", Decimal("0.35"))),
        submitted_days_before_close=1,
    ),
]

# The organisations' admins who fill in the returns (the Food Network's is the demo
# provider, Jo Whitehead; Skerton's is the advice lead from the bids demo).
ADMINS = {
    SKERTON: ("advice-lead@example.org", "Asha Patel", "Advice services manager"),
    CARNFORTH: ("carnforth@example.org", "Gemma Pritchard", "Hub manager"),
}


@dataclass(frozen=True)
class Report:
    """What a provider wrote for one period. `actuals`: people supported, volunteers
    recruited and community events held, None where not filled in yet."""

    actuals: tuple[int | None, int | None, int | None]
    narrative: str = ""
    spend: Decimal | None = None
    risks: str = ""
    case_study: str = ""
    consent: bool = False
    evidence: str = ""


@dataclass(frozen=True)
class DemoReturn:
    """One period's return (1: the first period of the agreement) and what happened to it:
    saved as `report`; sent `sent_after` days after the period ended (None: not sent);
    sent back with `changes` (comments by section) `revised` and sent again, or not
    (None); accepted or not."""

    period: int
    report: Report
    sent_after: int | None = None
    changes: dict[str, str] = field(default_factory=dict)
    revised: Report | None = None
    accepted: bool = False


@dataclass(frozen=True)
class DemoRating:
    """A RAG rating `days` after the `period`'s due date (negative: before); `{p2}` in the
    reason is the label of period 2 ("Mar–May 2026")."""

    period: int
    days: int
    rating: str
    reason: str


@dataclass(frozen=True)
class DemoDelivery:
    organisation: str
    returns: tuple[DemoReturn, ...]
    paid: int  # how many instalments, from the first, are paid
    ratings: tuple[DemoRating, ...]
    held: tuple[int, int] | None = None  # (instalment, until the return for period) held


FOOD_NETWORK_P4 = Report(
    (58, 0, 13),
    "Both hubs were busy through the school holidays, when we served lunch to families as "
    "well as older people. Two new volunteers started in September after our open day.",
    Decimal("5200"),
    "Two of our longest-serving volunteers have stepped down. We are recruiting through "
    "Lancaster District CVS.",
)

DELIVERIES = [
    DemoDelivery(
        organisation=FOOD_NETWORK,
        returns=(
            DemoReturn(
                1,
                Report(
                    (46, 3, 12),
                    "The Harbour hub opened in the church hall three days a week and the "
                    "Poulton hub two days. 46 people came at least twice; most came for the "
                    "hot lunch and stayed for the warm room. We referred 11 people to "
                    "Citizens Advice about energy debts.",
                    Decimal("3610"),
                    "The church hall's boiler is old; the church has a quote for a new one.",
                    case_study=(
                        "Pat, 74, from Poulton, started coming for lunch after her husband "
                        "died. She had not turned her heating on since. A volunteer helped "
                        "her claim Pension Credit, which she now gets, with help towards her "
                        "energy bills. Pat now sets out the tables on Thursdays."
                    ),
                    consent=True,
                    evidence="Hub attendance summary.pdf",
                ),
                sent_after=18,
                accepted=True,
            ),
            DemoReturn(
                2,
                Report(
                    (55, 2, 14),
                    "Numbers grew through the winter. We ran a cooking-on-a-budget course "
                    "for eight people at the Harbour hub.",
                    Decimal("3790"),
                    "None this quarter.",
                ),
                sent_after=21,
                changes={
                    "narrative": "Tell us how many people you referred for money advice this "
                    "quarter, as the specification asks, and what came of it."
                },
                revised=Report(
                    (55, 2, 14),
                    "Numbers grew through the winter. We ran a cooking-on-a-budget course "
                    "for eight people at the Harbour hub. We referred 14 people for money "
                    "advice: 9 have had their benefits checked and 4 now get money they "
                    "were missing.",
                    Decimal("3790"),
                    "None this quarter.",
                ),
                accepted=True,
            ),
            DemoReturn(
                3,
                Report(
                    (61, 2, 13),
                    "Fewer people came for warmth, but more families came in the holidays. "
                    "Nine people joined the Poulton walking group that started from the hub.",
                    Decimal("3840"),
                    "None this quarter.",
                ),
                sent_after=16,
                accepted=True,
            ),
            DemoReturn(
                4,
                FOOD_NETWORK_P4,
                sent_after=4,
                changes={
                    "actuals": "You report no volunteers recruited, but the outcomes section "
                    "says two new volunteers started in September. Please check the figure.",
                    "spend": "Spending of £5,200 is well above the £3,825 paid for the "
                    "quarter. Tell us what the extra was for and how it was paid for.",
                },
            ),
        ),
        paid=5,
        ratings=(
            DemoRating(
                1,
                30,
                "green",
                "Both hubs are open as planned and people supported are close to target.",
            ),
            DemoRating(
                4,
                -20,
                "amber",
                "Volunteer numbers have fallen and the latest return's spending needs "
                "explaining. I have asked for changes and will look again when it comes back.",
            ),
        ),
    ),
    DemoDelivery(
        organisation=SKERTON,
        returns=(
            DemoReturn(
                1,
                Report(
                    (52, 3, 13),
                    "The lunch club now runs as a hub on Tuesdays and Fridays, with the warm "
                    "room open from 10 till 4 and the advice drop-in on Fridays. 52 people "
                    "came, 30 of them from Skerton East.",
                    Decimal("3650"),
                    "None this quarter.",
                ),
                sent_after=12,
                accepted=True,
            ),
            DemoReturn(
                2,
                Report(
                    (50, 2, 12),
                    "The drop-in helped 19 people with benefit claims. Three volunteers "
                    "finished their food hygiene training.",
                    Decimal("3700"),
                    "Our heating bills rose by a third; the trustees are covering the "
                    "difference from reserves.",
                    case_study=(
                        "A young father who had lost his job came in for lunch with his "
                        "daughter. Our adviser helped him claim Universal Credit and he now "
                        "volunteers in the kitchen while he looks for work."
                    ),
                    consent=False,
                ),
                sent_after=14,
                accepted=True,
            ),
            DemoReturn(
                3,
                Report(
                    (57, 3, 14),
                    "A summer of holiday lunches with the youth club: 57 people came, "
                    "including 12 families new to the centre.",
                    Decimal("3720"),
                    "None this quarter.",
                ),
                sent_after=20,
            ),
            DemoReturn(
                4,
                Report(
                    (49, None, 12),
                    "The autumn term's youth nights now end with a shared meal.",
                ),
            ),
        ),
        paid=4,
        ratings=(
            DemoRating(
                1,
                25,
                "green",
                "The hub is running as planned; returns arrive on time and every target "
                "is close to being met.",
            ),
        ),
    ),
    DemoDelivery(
        organisation=CARNFORTH,
        returns=(
            DemoReturn(
                1,
                Report(
                    (40, 2, 10),
                    "The community café opened as a hub on Mondays and Wednesdays. People "
                    "from Warton and Silverdale come on the community minibus.",
                    Decimal("3300"),
                    "Our coordinator is on a fixed-term contract that ends in the spring.",
                ),
                sent_after=34,
                accepted=True,
            ),
            DemoReturn(2, Report((31, None, 7))),
        ),
        paid=3,
        held=(4, 2),
        ratings=(
            DemoRating(
                1,
                14,
                "green",
                "The café hub is open twice a week; numbers are a little under target but growing.",
            ),
            DemoRating(
                2,
                10,
                "amber",
                "The return for {p2} is overdue. The hub tells us its coordinator has left "
                "and a new one starts soon.",
            ),
            DemoRating(
                3,
                10,
                "red",
                "The returns for {p2} and {p3} are overdue and the Warton sessions have "
                "stopped. The next payment is held until the return for {p2} is accepted. "
                "Meeting the hub's trustees.",
            ),
        ),
    ),
]


# --- When things happened -------------------------------------------------------------------------


def _start() -> dt.date:
    """The hubs' agreements start on the first of the month a year before today."""
    return months_add(timezone.localdate().replace(day=1), -12)


class _Story:
    """Hands out the story's moments in order, none later than now: a moment the story puts
    in the future (today is early in the month) is moved to just before now, and each is
    after the one before."""

    def __init__(self) -> None:
        self.latest = timezone.now() - dt.timedelta(minutes=30)
        self.last: dt.datetime | None = None

    def at(self, day: dt.date, hour: int) -> dt.datetime:
        when = min(timezone.make_aware(dt.datetime.combine(day, dt.time(hour))), self.latest)
        if self.last is not None and when <= self.last:
            when = self.last + dt.timedelta(minutes=1)
        self.last = when
        return when


# --- How the hubs were funded (recorded directly: see the module docstring) -----------------------


def _commission(*, officer: User, starts_on: dt.date) -> Commission:
    commission = Commission.objects.filter(title=COMMISSION).first()
    if commission is None:
        commission = commission_create(
            created_by=officer,
            title=COMMISSION,
            sector=Sector.objects.get(short_name="VCFS"),
            priorities=CorporatePriority.objects.filter(
                slug__in=("health-and-well-being", "community-leadership")
            ),
            themes=CrossCuttingTheme.objects.filter(slug="working-together-in-partnership"),
            areas=Area.objects.filter(
                name__in=("Morecambe", "Lancaster", "Carnforth"), kind=Area.Kind.AREA
            ),
            indicative_budget=Decimal("90000"),
            period_start=starts_on,
            period_end=months_add(starts_on, 24) - dt.timedelta(days=1),
            lead_officer=officer,
            summary=(
                "Community buildings open as hubs with a warm welcome, a hot meal, "
                "activities and help with money worries, so that people on low incomes are "
                "less isolated and get help before problems become crises."
            ),
        )
        Commission.objects.filter(pk=commission.pk).update(state=CommissionState.DELIVERY)
        commission.refresh_from_db()
    return commission


def _opportunity(*, specification: Specification, officer: User, decided: dt.date) -> Opportunity:
    opportunity = Opportunity.objects.filter(title=OPPORTUNITY).first()
    if opportunity is not None:
        return opportunity
    closes_at = timezone.make_aware(
        dt.datetime.combine(decided - dt.timedelta(days=35), dt.time(17))
    )
    opens_at = (closes_at - dt.timedelta(weeks=8)).replace(hour=9)
    opportunity = Opportunity(
        specification=specification,
        title=OPPORTUNITY,
        summary=(
            "Grants for community buildings in Morecambe, Skerton and Carnforth to open as "
            "hubs: a warm welcome, a hot meal, activities and help with money worries."
        ),
        budget=specification.budget,
        funding_type=FundingType.GRANT,
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


def _award(*, bid: Bid, officer: User, approver: User, decided: dt.date) -> AwardDecision:
    approved_at = timezone.make_aware(dt.datetime.combine(decided, dt.time(14)))
    decision, _ = AwardDecision.objects.get_or_create(
        bid=bid,
        defaults={
            "outcome": Outcome.SUCCESSFUL,
            "amount": bid.amount_requested,
            "conditions": "Acknowledge Lancaster City Council's support in all publicity.",
            "recommended_by": officer,
            "approved_by": approver,
            "approved_at": approved_at,
            "decided_on": decided,
            "notified_at": approved_at + dt.timedelta(hours=1),
        },
    )
    return decision


def _agreement(
    *, decision: AwardDecision, officer: User, approver: User, admin: User, decided: dt.date
) -> Agreement:
    """Made, sent and accepted through the agreement services, then dated."""
    agreement = agreement_create(decision=decision, created_by=approver)
    if agreement.state == "draft":
        agreement = agreement_transition(agreement=agreement, name="issue", user=officer)
        Agreement.objects.filter(pk=agreement.pk).update(
            issued_at=timezone.make_aware(
                dt.datetime.combine(decided + dt.timedelta(days=6), dt.time(10))
            )
        )
    if agreement.state == "issued":
        agreement = agreement_accept(agreement=agreement, user=admin)
        Agreement.objects.filter(pk=agreement.pk).update(
            accepted_at=timezone.make_aware(
                dt.datetime.combine(decided + dt.timedelta(days=11), dt.time(15))
            )
        )
    agreement.refresh_from_db()
    return agreement


# --- A year of delivery (through the monitoring services) -----------------------------------------


def _answers(monitoring_return: MonitoringReturn, report: Report) -> ReturnAnswers:
    targets = list(monitoring_return.targets_for_period())  # in the specification's order
    return ReturnAnswers(
        actuals={
            target.pk: None if value is None else Decimal(value)
            for target, value in zip(targets, report.actuals, strict=True)
        },
        outcomes_narrative=report.narrative,
        case_study=report.case_study,
        case_study_consent=report.consent,
        spend_in_period=report.spend,
        risks=report.risks,
    )


def _return_story(
    *, monitoring_return: MonitoringReturn, demo: DemoReturn, member: User, officer: User
) -> None:
    story = _Story()
    ended = monitoring_return.period_end
    return_save(
        monitoring_return=monitoring_return,
        user=member,
        answers=_answers(monitoring_return, demo.report),
    )
    if demo.report.evidence:
        content = tiny_pdf(demo.report.evidence.removesuffix(".pdf"))
        return_attachment_add(
            monitoring_return=monitoring_return,
            file=SimpleUploadedFile(demo.report.evidence, content, "application/pdf"),
            user=member,
        )
    if demo.sent_after is None:
        return
    sent_on = ended + dt.timedelta(days=demo.sent_after)
    _transition(monitoring_return, "submit", member, at=story.at(sent_on, 15))
    if demo.changes:
        _transition(
            monitoring_return,
            "request_changes",
            officer,
            at=story.at(sent_on + dt.timedelta(days=5), 11),
            comments=demo.changes,
        )
        if demo.revised is None:
            return
        return_save(
            monitoring_return=monitoring_return,
            user=member,
            answers=_answers(monitoring_return, demo.revised),
        )
        sent_on += dt.timedelta(days=9)
        _transition(monitoring_return, "submit", member, at=story.at(sent_on, 10))
    if demo.accepted:
        _transition(
            monitoring_return, "accept", officer, at=story.at(sent_on + dt.timedelta(days=6), 12)
        )


def _transition(
    monitoring_return: MonitoringReturn, name: str, user: User, *, at: dt.datetime, **kwargs
) -> None:
    """Make the transition through the service, then date it `at`."""
    return_transition(monitoring_return=monitoring_return, name=name, user=user, **kwargs)
    if name == "submit":
        MonitoringReturn.objects.filter(pk=monitoring_return.pk).update(submitted_at=at)
        latest = monitoring_return.submissions.order_by("-number").first()
        ReturnSubmission.objects.filter(pk=latest.pk).update(submitted_at=at)
        return
    latest = monitoring_return.reviews.order_by("-pk").first()
    ReturnReview.objects.filter(pk=latest.pk).update(reviewed_at=at)
    if name == "accept":
        MonitoringReturn.objects.filter(pk=monitoring_return.pk).update(accepted_at=at)


def _delivery_story(
    *, agreement: Agreement, demo: DemoDelivery, member: User, officer: User
) -> None:
    """Payments first (each return shows what had been received by the end of its period),
    then the returns in order, the hold and the ratings."""
    today = timezone.localdate()
    instalments = list(agreement.payments.order_by("due_on"))
    for instalment in instalments[: demo.paid]:
        paid_on = min(instalment.due_on + dt.timedelta(days=2), today)
        payment = payment_mark_paid(
            instalment=instalment, user=officer, paid_on=paid_on, amount=instalment.amount
        )
        recorded_at = _Story().at(paid_on, 16)
        InstalmentPayment.objects.filter(pk=payment.pk).update(recorded_at=recorded_at)
    returns = list(agreement.monitoring_returns.order_by("period_start"))
    for demo_return in demo.returns:
        _return_story(
            monitoring_return=returns[demo_return.period - 1],
            demo=demo_return,
            member=member,
            officer=officer,
        )
    if demo.held is not None:
        number, period = demo.held
        instalment = instalments[number - 1]
        hold = payment_hold(
            instalment=instalment, user=officer, monitoring_return=returns[period - 1]
        )
        held_at = _Story().at(instalment.due_on - dt.timedelta(days=3), 9)
        PaymentHold.objects.filter(pk=hold.pk).update(held_at=held_at)
    story = _Story()
    for rating in demo.ratings:
        labels = {f"p{number}": r.period_label for number, r in enumerate(returns, start=1)}
        reason = rating.reason.format(**labels)
        status = rag_set(agreement=agreement, user=officer, rating=rating.rating, reason=reason)
        day = returns[rating.period - 1].due_on + dt.timedelta(days=rating.days)
        RagStatus.objects.filter(pk=status.pk).update(set_at=story.at(day, 10))


def _started(agreement: Agreement) -> bool:
    return (
        agreement.monitoring_returns.exclude(state=ReturnState.DUE).exists()
        or agreement.rag_statuses.exists()
        or agreement.payments_made.exists()
    )


@transaction.atomic
def demo_monitoring_seed(*, organisations: dict[str, Organisation], users: dict) -> None:
    """The community hubs, funded a year ago and in delivery (see the module docstring)."""
    officer, approver = users[Role.OFFICER], users[Role.APPROVER]
    starts_on = _start()
    decided = months_add(starts_on, -1) + dt.timedelta(days=9)
    commission = _commission(officer=officer, starts_on=starts_on)
    specification = _specification(commission, SPECIFICATION, officer)
    opportunity = _opportunity(specification=specification, officer=officer, decided=decided)
    admins = {FOOD_NETWORK: users[Role.PROVIDER]}
    for name, person in ADMINS.items():
        admins[name] = _member(organisations[name], *person)
    for demo_bid, delivery in zip(BIDS, DELIVERIES, strict=True):
        organisation = organisations[demo_bid.organisation]
        admin = admins[demo_bid.organisation]
        bid = _bid_seed(
            opportunity=opportunity,
            organisation=organisation,
            demo=demo_bid,
            by=admin,
            organisations=organisations,
        )
        decision = _award(bid=bid, officer=officer, approver=approver, decided=decided)
        agreement = _agreement(
            decision=decision, officer=officer, approver=approver, admin=admin, decided=decided
        )
        if not _started(agreement):
            _delivery_story(agreement=agreement, demo=delivery, member=admin, officer=officer)
