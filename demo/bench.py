"""The bench data set (`manage.py seed_bench`, for `make bench`): ten times Lancaster's
volume, built in bulk on top of the demo.

The demo (demo.seed) gives the reference data, the demo people (with their authenticators)
and one valid example of every record; the bench multiplies those records with
`bulk_create`, bypassing the per-row services (which would take hours) but keeping what they
guarantee: states that agree with each other along the cycle (a commission in delivery has
closed opportunities, scored and moderated bids, approved awards, accepted agreements and
returns), bids sealed until their deadline, references in the portal's formats and the
lifecycle history (django-fsm-log's StateLog) of every record that has a lifecycle. The
audit trail (django-simple-history) is not written for the bulk rows.

Deterministic: one `random.Random(SEED)`, and dates counted from the day it is run.
"""

import datetime as dt
import random
import time
from collections import defaultdict
from decimal import ROUND_DOWN, Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django_fsm_log.models import StateLog

from commissioning.models import (
    Area,
    Commission,
    CommissioningPlan,
    CorporatePriority,
    CrossCuttingTheme,
    MeasureTarget,
    Option,
    Sector,
    Specification,
    SpecificationMeasure,
    SpecificationOutcome,
    SuccessMeasure,
)
from core.bench import MARK
from core.models import User
from core.roles import Role
from engagement.models import Booking, EngagementEvent, EvidenceItem, Feedback, Gap
from monitoring.models import (
    InstalmentPayment,
    MonitoringReturn,
    RagStatus,
    ReturnActual,
    ReturnReview,
    ReturnSubmission,
)
from procurement.models import (
    Agreement,
    AgreementTarget,
    AgreementVersion,
    Assignment,
    AwardDecision,
    Bid,
    BidAnswer,
    BidSubmission,
    BidTarget,
    BudgetLine,
    ConflictDeclaration,
    ConsortiumPartner,
    ModeratedScore,
    Opportunity,
    PanelMember,
    PaymentInstalment,
    Question,
    Score,
)
from providers.models import Membership, Organisation

SEED = 17
ORGANISATIONS = 2000
PANEL_PEOPLE = 12
COMMISSIONS_PER_STATE = 25
OPPORTUNITIES_PER_COMMISSION = 4
BIG_OPPORTUNITY_BIDS = 400
PROVIDER_BIDS = 112
#: Bids per opportunity, by the commission's state.
BIDS_PER_OPPORTUNITY = {
    "procurement": 91,
    "assessment": 20,
    "award_approval": 20,
    "delivery": 22,
    "review": 22,
    "closed": 22,
}
SUCCESSFUL_PER_OPPORTUNITY = 17
#: How long ago bidding closed, by how far the commission has got (assessment onwards).
CLOSED_DAYS_AGO = {6: 20, 7: 40, 8: 420, 9: 1150, 10: 1500}
PLAN_SIZE = 60
PROVIDER_ORGANISATION = "Morecambe Bay Community Food Network"
BATCH = 5000

PATH = [
    ("draft", "", ""),
    ("understanding", "start_understanding", "Engagement with providers and residents starts."),
    ("planning", "start_planning", "Needs evidence and the gap analysis are agreed."),
    ("plan_approval", "request_plan_approval", "Options appraisal and specifications are ready."),
    ("approved", "approve_plan", "Approved at the Cabinet member briefing."),
    ("procurement", "start_procurement", "The opportunities are published."),
    ("assessment", "start_assessment", "Bidding has closed."),
    ("award_approval", "request_award_approval", "The panel's recommendation is ready."),
    ("delivery", "approve_awards", "Awards approved."),
    ("review", "start_review", "Delivery has run its course."),
    ("closed", "close", "The evaluation is recorded."),
]
STATES = [state for state, _, _ in PATH]
ORDER = {state: number for number, state in enumerate(STATES)}

PLACES = [
    "Lancaster", "Morecambe", "Heysham", "Carnforth", "Skerton", "Bolton-le-Sands", "Halton",
    "Caton", "Galgate", "Silverdale", "Overton", "Bulk", "Scotforth", "Torrisholme", "Hest Bank",
    "Slyne", "Warton", "Arkholme", "Wray", "Hornby",
]  # fmt: skip
KINDS = [
    "Community Trust", "Youth Project", "Food Network", "Arts Collective", "Carers' Group",
    "Advice Centre", "Men's Shed", "Lunch Club", "Credit Union", "Sports Club", "Theatre Company",
    "Heritage Society", "Gardening Group", "Befriending Service", "Music Hub", "Women's Centre",
    "Refugee Welcome", "Community Transport", "Family Hub", "Dance Company",
]  # fmt: skip
SENTENCES = [
    "Our service supports the council's priorities for health and well-being and for a "
    "thriving local economy, in the wards where need is greatest.",
    "We have delivered similar work in the district for over ten years with trained staff and "
    "volunteers, and nothing has to be recruited before the service starts.",
    "Quality is checked every quarter by our trustees and an external supervisor, and people "
    "who use the service are surveyed twice a year.",
    "Every pound of funding brings in match funding and volunteer time worth more than its "
    "value, from our own records over three years.",
    "We work alongside other local groups so people are referred on rather than turned away, "
    "and we avoid duplicating what already exists.",
    "Income from our own trading covers part of the cost already and we will grow it so the "
    "service relies less on public funding each year.",
    "We share delivery with two partner organisations who bring premises and specialist "
    "skills, under a written partnership agreement.",
]


def _now():
    return timezone.now()


class Bench:
    """Builds the data set; each step reports its rows to `log`."""

    def __init__(self, *, log=print):
        # A fixed seed makes the same made-up data set every time: nothing secret.
        self.rng = random.Random(SEED)  # nosec B311
        self.log = log
        self.now = _now()
        self.today = timezone.localdate()
        self.year = self.today.year
        self.counts: dict[str, int] = defaultdict(int)
        self.history: list[StateLog] = []

    # --- helpers --------------------------------------------------------------------------

    def save(self, model, objects: list) -> list:
        if not objects:
            return objects
        model.objects.bulk_create(objects, batch_size=BATCH)
        self.counts[model._meta.label] += len(objects)
        return objects

    def transition(self, obj, name: str, source: str, target: str, at, by, description=""):
        self.history.append(
            StateLog(
                timestamp=at,
                by=by,
                source_state=source,
                state=target,
                transition=name,
                content_type=ContentType.objects.get_for_model(type(obj)),
                object_id=obj.pk,
                description=description or None,
            )
        )

    def flush_history(self) -> None:
        self.save(StateLog, self.history)
        self.history = []

    def pounds(self, value) -> Decimal:
        return (Decimal(value) / 100).quantize(Decimal(1), rounding=ROUND_DOWN) * 100

    def sentence(self, number: int) -> str:
        return SENTENCES[number % len(SENTENCES)]

    # --- the steps ------------------------------------------------------------------------

    def run(self) -> dict[str, int]:
        steps = [
            self.people, self.organisations, self.commissions, self.engagement,
            self.specifications, self.plans, self.opportunities, self.bids, self.panels,
            self.awards, self.agreements, self.returns, self.flush_history,
        ]  # fmt: skip
        for step in steps:
            started = time.monotonic()
            step()
            self.log(f"{step.__name__}: {time.monotonic() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return dict(self.counts)

    def people(self) -> None:
        self.officer = User.objects.get(email="officer@example.org")
        self.approver = User.objects.get(email="approver@example.org")
        self.panel_user = User.objects.get(email="panel@example.org")
        self.password = make_password("bench-not-for-signing-in", salt="benchsalt")
        panel_group = Group.objects.get(name=Role.PANEL_MEMBER.value)
        people = self.save(
            User,
            [
                User(
                    email=f"bench-panel-{number}@example.org",
                    full_name=f"Panel Member {number}",
                    password=self.password,
                    job_title="Commissioning officer",
                )
                for number in range(1, PANEL_PEOPLE + 1)
            ],
        )
        self.save(
            User.groups.through,
            [User.groups.through(user_id=person.pk, group_id=panel_group.pk) for person in people],
        )
        self.panel_people = [self.panel_user, *people]

    def organisations(self) -> None:
        sectors = list(Sector.objects.order_by("pk"))
        areas = list(Area.objects.order_by("pk"))
        provider_group = Group.objects.get(name=Role.PROVIDER.value)
        rng = self.rng
        organisations = []
        for number in range(1, ORGANISATIONS + 1):
            place = PLACES[number % len(PLACES)]
            kind = KINDS[(number // len(PLACES)) % len(KINDS)]
            verified = rng.random() < 0.95
            organisations.append(
                Organisation(
                    name=f"{place} {kind} {number}",
                    legal_form="charity",
                    charity_number=f"9{number:06d}",
                    org_id=f"GB-CHC-9{number:06d}",
                    sector=rng.choice(sectors),
                    address=f"{number} High Street, {place}",
                    postcode="LA1 1PJ",
                    income_band=rng.choice(["under_10k", "10k_100k", "100k_1m"]),
                    contact_name=f"Contact {number}",
                    contact_email=f"contact-{number}@example.org",
                    description=self.sentence(number),
                    verification_status="verified" if verified else "pending",
                    verified_at=self.now - dt.timedelta(days=400) if verified else None,
                    verified_by=self.officer if verified else None,
                )
            )
        self.save(Organisation, organisations)
        self.save(
            Organisation.wards_served.through,
            [
                Organisation.wards_served.through(organisation_id=o.pk, area_id=area.pk)
                for o in organisations
                for area in rng.sample(areas, 2)
            ],
        )
        users, memberships = [], []
        for organisation in organisations:
            for seat in range(1 if rng.random() < 0.5 else 2):
                user = User(
                    email=f"bench-{organisation.charity_number}-{seat}@example.org",
                    full_name=f"Member {seat + 1} of {organisation.name}",
                    password=self.password,
                )
                users.append(user)
                memberships.append((organisation, user, "admin" if seat == 0 else "member"))
        self.save(User, users)
        self.save(
            User.groups.through,
            [User.groups.through(user_id=u.pk, group_id=provider_group.pk) for u in users],
        )
        self.save(
            EmailAddress,
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        )
        self.save(
            Membership,
            [Membership(organisation=o, user=u, role=role) for o, u, role in memberships],
        )
        self.member_of = {}
        for organisation, user, _ in memberships:
            self.member_of.setdefault(organisation.pk, user)
        self.bench_organisations = [o for o in organisations if o.verification_status == "verified"]
        self.provider_organisation = Organisation.objects.get(name=PROVIDER_ORGANISATION)
        self.member_of[self.provider_organisation.pk] = User.objects.get(
            email="provider@example.org"
        )

    def commissions(self) -> None:
        rng = self.rng
        sectors = list(Sector.objects.order_by("pk"))
        priorities = list(CorporatePriority.objects.order_by("pk"))
        themes = list(CrossCuttingTheme.objects.order_by("pk"))
        areas = list(Area.objects.order_by("pk"))
        commissions = []
        number = 0
        for state in [*STATES, "cancelled"]:
            for _ in range(COMMISSIONS_PER_STATE):
                number += 1
                reached = ORDER.get(state, 2)
                start = self.today - dt.timedelta(days=200 * max(0, reached - 5))
                commissions.append(
                    Commission(
                        reference=f"COM-{self.year}-{MARK}{number:03d}",
                        title=f"{rng.choice(KINDS)} services in {rng.choice(PLACES)} ({number})",
                        sector=sectors[number % len(sectors)],
                        indicative_budget=Decimal(rng.randrange(60, 400) * 1000),
                        period_start=start,
                        period_end=start + dt.timedelta(days=3 * 365),
                        lead_officer=self.officer,
                        summary=self.sentence(number),
                        state=state,
                        plan_requested_by=self.officer if reached >= 3 else None,
                        award_requested_by=self.officer if 7 <= reached < 11 else None,
                        created_by=self.officer,
                    )
                )
        self.save(Commission, commissions)
        through = Commission.priorities.through
        self.save(
            through,
            [
                through(commission_id=c.pk, corporatepriority_id=p.pk)
                for c in commissions
                for p in rng.sample(priorities, 2)
            ],
        )
        through = Commission.themes.through
        self.save(
            through,
            [
                through(commission_id=c.pk, crosscuttingtheme_id=rng.choice(themes).pk)
                for c in commissions
            ],
        )
        through = Commission.areas.through
        self.save(
            through,
            [
                through(commission_id=c.pk, area_id=a.pk)
                for c in commissions
                for a in rng.sample(areas, 3)
            ],
        )
        for commission in commissions:
            target = ORDER.get(commission.state, 2)
            days = 60 * (target + 1)
            for step in range(1, target + 1):
                state, name, words = PATH[step]
                by = self.approver if name in ("approve_plan", "approve_awards") else self.officer
                at = self.now - dt.timedelta(days=days - 60 * step)
                self.transition(commission, name, PATH[step - 1][0], state, at, by, words)
            if commission.state == "cancelled":
                self.transition(
                    commission, "cancel", "planning", "cancelled", self.now, self.officer,
                    "The need is now met by another service.",
                )  # fmt: skip
        self.bench_commissions = commissions

    def engagement(self) -> None:
        """Events with bookings, feedback, evidence and gaps for the commissions past draft."""
        rng = self.rng
        event = EngagementEvent.objects.order_by("pk").first()
        evidence = EvidenceItem.objects.order_by("pk").first()
        feedback = Feedback.objects.order_by("pk").first()
        gap = Gap.objects.order_by("pk").first()
        understood = [c for c in self.bench_commissions if c.state != "draft"]
        events = self.save(
            EngagementEvent,
            [
                clone(
                    event,
                    title=f"Provider workshop {number}",
                    starts_at=self.now + dt.timedelta(days=number * 7 - 300),
                    ends_at=self.now + dt.timedelta(days=number * 7 - 300, hours=2),
                    is_published=True,
                )
                for number in range(60)
            ],
        )
        self.save(
            EngagementEvent.commissions.through,
            [
                EngagementEvent.commissions.through(
                    engagementevent_id=e.pk, commission_id=rng.choice(understood).pk
                )
                for e in events
            ],
        )
        bookings = {}
        for _ in range(2000):
            organisation = rng.choice(self.bench_organisations)
            chosen = rng.choice(events)
            bookings[(chosen.pk, organisation.pk)] = Booking(
                event=chosen,
                user=self.member_of[organisation.pk],
                organisation=organisation,
                status="booked",
            )
        self.save(Booking, list(bookings.values()))
        self.save(
            Feedback,
            [
                clone(
                    feedback,
                    commission=rng.choice(understood),
                    event=rng.choice(events) if number % 2 else None,
                    organisation=rng.choice(self.bench_organisations),
                    submitted_by=None,
                    summary=f"Feedback {number}",
                    text=self.sentence(number),
                    received_on=self.today - dt.timedelta(days=rng.randrange(1, 900)),
                )
                for number in range(2000)
            ],
        )
        items = self.save(
            EvidenceItem,
            [
                clone(evidence, title=f"Needs evidence {number}", summary=self.sentence(number))
                for number in range(300)
            ],
        )
        through = EvidenceItem.commissions.through
        self.save(
            through,
            [
                through(evidenceitem_id=item.pk, commission_id=c.pk)
                for item, c in zip(items, understood * 2, strict=False)
            ],
        )
        self.save(Gap, [clone(gap, commission=c) for c in understood])

    def specifications(self) -> None:
        rng = self.rng
        measures = list(SuccessMeasure.objects.order_by("pk"))
        planned = [c for c in self.bench_commissions if ORDER.get(c.state, 0) >= 2]
        self.save(
            Option,
            [
                Option(
                    commission=c,
                    title="Commission a new service",
                    description=self.sentence(1),
                    estimated_cost=c.indicative_budget,
                    expected_outcomes=self.sentence(2),
                    risks=self.sentence(3),
                    is_recommended=True,
                    recommendation_rationale=self.sentence(4),
                    created_by=self.officer,
                )
                for c in planned
            ],
        )
        specifications = self.save(
            Specification,
            [
                Specification(
                    commission=c,
                    title=f"{c.title}: the service",
                    summary=self.sentence(c.pk),
                    budget=c.indicative_budget,
                    duration_months=36,
                    eligibility="Voluntary, community, faith and arts organisations.",
                    created_by=self.officer,
                )
                for c in planned
            ],
        )
        outcomes = self.save(
            SpecificationOutcome,
            [
                SpecificationOutcome(specification=s, description=self.sentence(n), order=n)
                for s in specifications
                for n in range(2)
            ],
        )
        by_specification = defaultdict(list)
        for outcome in outcomes:
            by_specification[outcome.specification_id].append(outcome)
        spec_measures = self.save(
            SpecificationMeasure,
            [
                SpecificationMeasure(specification=s, measure=m, outcome=o)
                for s in specifications
                for m, o in zip(rng.sample(measures, 2), by_specification[s.pk], strict=True)
            ],
        )
        targets = self.save(
            MeasureTarget,
            [
                MeasureTarget(specification_measure=m, year=year, target=Decimal(100 * year + 400))
                for m in spec_measures
                for year in (1, 2, 3)
            ],
        )
        self.measure_targets = defaultdict(list)
        measure_of = {m.pk: m for m in spec_measures}
        for target in targets:
            spec_id = measure_of[target.specification_measure_id].specification_id
            self.measure_targets[spec_id].append(
                (measure_of[target.specification_measure_id], target)
            )
        self.specification_of = {s.commission_id: s for s in specifications}

    def plans(self) -> None:
        published = [c for c in self.bench_commissions if ORDER.get(c.state, 0) >= 4]
        by_sector = defaultdict(list)
        for commission in published:
            by_sector[commission.sector_id].append(self.specification_of[commission.pk])
        plans, members = [], []
        for sector in Sector.objects.order_by("pk"):
            specifications = by_sector[sector.pk]
            for number in range(0, len(specifications), PLAN_SIZE):
                series = f"bench-{sector.slug}-plan-{number // PLAN_SIZE + 1}"
                plan = CommissioningPlan(
                    sector=sector,
                    title=f"{sector.name} commissioning plan, part {number // PLAN_SIZE + 1}",
                    slug=f"{series}-v1",
                    series=series,
                    period_start=self.today - dt.timedelta(days=365),
                    period_end=self.today + dt.timedelta(days=2 * 365),
                    purpose=self.sentence(0),
                    investment_levels=self.sentence(1),
                    expected_outcomes=self.sentence(2),
                    procurement_arrangements=self.sentence(3),
                    contractual_arrangements=self.sentence(4),
                    performance_management=self.sentence(5),
                    state="published",
                    author=self.officer,
                    submitted_by=self.officer,
                    approved_by=self.approver,
                    published_at=self.now - dt.timedelta(days=300),
                )
                plans.append(plan)
                members.append((plan, specifications[number : number + PLAN_SIZE]))
        self.save(CommissioningPlan, plans)
        through = CommissioningPlan.specifications.through
        self.save(
            through,
            [
                through(commissioningplan_id=plan.pk, specification_id=s.pk)
                for plan, specifications in members
                for s in specifications
            ],
        )
        for plan in plans:
            at = plan.published_at
            self.transition(plan, "submit", "draft", "awaiting_approval", at, self.officer)
            self.transition(plan, "approve", "awaiting_approval", "approved", at, self.approver)
            self.transition(plan, "publish", "approved", "published", at, self.officer)

    def opportunities(self) -> None:
        rng = self.rng
        with_criteria = (
            Question.objects.filter(criterion__isnull=False)
            .values("opportunity_id")
            .annotate(n=models.Count("pk"))
            .filter(n__gte=7)
            .order_by("opportunity_id")
        )
        template = list(
            Question.objects.filter(
                opportunity_id=with_criteria[0]["opportunity_id"], criterion__isnull=False
            ).order_by("order", "pk")[:7]
        )
        weights = [Decimal(w) for w in (25, 15, 15, 15, 10, 10, 10)]
        opportunities = []
        number = 0
        for commission in self.bench_commissions:
            if ORDER.get(commission.state, 0) < 5:
                continue
            specification = self.specification_of[commission.pk]
            reached = ORDER[commission.state]
            for slot in range(OPPORTUNITIES_PER_COMMISSION):
                number += 1
                if reached == 5:
                    opens = self.now - dt.timedelta(days=30)
                    closes = self.now + dt.timedelta(days=10 + 10 * slot)
                    state = "published"
                else:
                    closes = self.now - dt.timedelta(days=CLOSED_DAYS_AGO[reached])
                    opens = closes - dt.timedelta(days=60)
                    state = "closed"
                title = f"{specification.title} – lot {slot + 1}"
                opportunities.append(
                    Opportunity(
                        specification=specification,
                        title=title,
                        slug=f"{slugify(title)[:180]}-{MARK.lower()}{number}",
                        reference=f"OPP-{self.year}-{MARK}{number:03d}",
                        summary=self.sentence(number),
                        budget=self.pounds(specification.budget / OPPORTUNITIES_PER_COMMISSION),
                        funding_type="grant" if number % 3 else "contract",
                        opens_at=opens,
                        closes_at=closes,
                        eligibility=specification.eligibility,
                        state=state,
                        published_at=opens,
                        created_by=self.officer,
                    )
                )
        self.save(Opportunity, opportunities)
        questions = self.save(
            Question,
            [
                Question(
                    opportunity=o,
                    criterion_id=q.criterion_id,
                    text=q.text,
                    guidance=q.guidance,
                    word_limit=q.word_limit,
                    weight=weight,
                    order=n + 1,
                )
                for o in opportunities
                for n, (q, weight) in enumerate(zip(template, weights, strict=True))
            ],
        )
        self.questions = defaultdict(list)
        for question in questions:
            self.questions[question.opportunity_id].append(question)
        for o in opportunities:
            self.transition(o, "publish", "draft", "published", o.opens_at, self.officer)
            if o.state == "closed":
                self.transition(o, "close", "published", "closed", o.closes_at, self.officer)
        self.bench_opportunities = opportunities
        self.state_of = {c.pk: c.state for c in self.bench_commissions}
        self.commission_of = {
            o.pk: self.specification_of_commission(o.specification_id) for o in opportunities
        }
        assessed = [
            o for o in opportunities if self.state_of[self.commission_of[o.pk]] == "assessment"
        ]
        self.big_opportunity = assessed[0]
        provider_choice = rng.sample(opportunities, PROVIDER_BIDS - 1)
        self.provider_opportunities = {o.pk for o in provider_choice} | {self.big_opportunity.pk}

    def specification_of_commission(self, specification_id: int) -> int:
        if not hasattr(self, "_commission_of_specification"):
            self._commission_of_specification = {s.pk: c for c, s in self.specification_of.items()}
        return self._commission_of_specification[specification_id]

    def bids(self) -> None:
        rng = self.rng
        bids = []
        for o in self.bench_opportunities:
            state = self.state_of[self.commission_of[o.pk]]
            count = (
                BIG_OPPORTUNITY_BIDS
                if o.pk == self.big_opportunity.pk
                else BIDS_PER_OPPORTUNITY[state]
            )
            organisations = rng.sample(self.bench_organisations, count)
            if o.pk in self.provider_opportunities:
                organisations[0] = self.provider_organisation
            for number, organisation in enumerate(organisations, start=1):
                is_open = o.state == "published"
                submitted = not is_open or rng.random() < 0.6
                share = Decimal(rng.randrange(20, 50)) / 1000
                if o.pk == self.big_opportunity.pk:
                    share = Decimal(rng.randrange(2, 5)) / 1000
                bids.append(
                    Bid(
                        opportunity=o,
                        organisation=organisation,
                        reference=f"BID-{o.reference}-{number:03d}",
                        title=f"{organisation.name}: {o.title}"[:200],
                        amount_requested=max(self.pounds(o.budget * share), Decimal(1000)),
                        match_funding=Decimal(rng.randrange(0, 20) * 500),
                        match_funding_sources="Our own reserves, confirmed",
                        other_leverage="Volunteer time",
                        state="submitted" if submitted else "draft",
                        created_by=self.member_of[organisation.pk],
                        submitted_at=(o.closes_at - dt.timedelta(days=rng.randrange(1, 20)))
                        if submitted and not is_open
                        else (self.now - dt.timedelta(days=rng.randrange(1, 20)))
                        if submitted
                        else None,
                    )
                )
        self.save(Bid, bids)
        self.bids_of = defaultdict(list)
        for bid in bids:
            self.bids_of[bid.opportunity_id].append(bid)
        answers, lines, targets, partners, submissions = [], [], [], [], []
        opportunity_of = {o.pk: o for o in self.bench_opportunities}
        for bid in bids:
            o = opportunity_of[bid.opportunity_id]
            texts = []
            for n, question in enumerate(self.questions[o.pk]):
                text = self.sentence(bid.pk + n)
                texts.append({"question_id": question.pk, "number": n + 1, "text": text})
                answers.append(BidAnswer(bid=bid, question=question, text=text))
            first = self.pounds(bid.amount_requested * Decimal("0.7"))
            lines += [
                BudgetLine(bid=bid, item="Staff", amount=first),
                BudgetLine(bid=bid, item="Running costs", amount=bid.amount_requested - first),
            ]
            share = bid.amount_requested / o.specification.budget
            for measure, target in self.measure_targets[o.specification_id]:
                targets.append(
                    BidTarget(
                        bid=bid,
                        specification_measure=measure,
                        year=target.year,
                        target=(target.target * share).quantize(Decimal(1)),
                    )
                )
            if bid.pk % 10 == 0:
                partner = self.bench_organisations[bid.pk % len(self.bench_organisations)]
                if partner.pk != bid.organisation_id:
                    partners.append(
                        ConsortiumPartner(
                            bid=bid,
                            organisation=partner,
                            role="Delivers sessions in its own premises",
                            confirmed_at=o.opens_at + dt.timedelta(days=3),
                            confirmed_by=self.member_of[partner.pk],
                        )
                    )
            if bid.state == "submitted":
                submissions.append(
                    BidSubmission(
                        bid=bid,
                        number=1,
                        receipt=f"{bid.reference}-1",
                        submitted_at=bid.submitted_at,
                        submitted_by=bid.created_by,
                        content={
                            "title": bid.title,
                            "reference": bid.reference,
                            "amount_requested": str(bid.amount_requested),
                            "answers": texts,
                            "organisation": {"name": bid.organisation.name},
                            "opportunity": {"reference": o.reference, "title": o.title},
                        },
                    )
                )
                self.transition(
                    bid, "submit", "draft", "submitted", bid.submitted_at, bid.created_by
                )
        self.save(BidAnswer, answers)
        self.save(BudgetLine, lines)
        self.save(BidTarget, targets)
        self.save(ConsortiumPartner, partners)
        self.save(BidSubmission, submissions)

    def panels(self) -> None:
        """Panels for every opportunity past its deadline: declarations, assignments, scores,
        and moderated scores once the commission has gone past assessment."""
        rng = self.rng
        members, plans = [], []
        for o in self.bench_opportunities:
            state = self.state_of[self.commission_of[o.pk]]
            if ORDER[state] < 6:
                continue
            size = 3 if o.pk == self.big_opportunity.pk else (2 if ORDER[state] < 8 else 1)
            people = [self.panel_user, *rng.sample(self.panel_people[1:], size - 1)]
            for person in people:
                members.append(
                    PanelMember(
                        opportunity=o,
                        user=person,
                        added_by=self.officer,
                        declarations_completed_at=o.closes_at + dt.timedelta(days=1),
                    )
                )
            plans.append((o, state))
        self.save(PanelMember, members)
        panel_of = defaultdict(list)
        for member in members:
            panel_of[member.opportunity_id].append(member)
        declarations, assignments = [], []
        for o, _ in plans:
            for member in panel_of[o.pk]:
                for bid in self.bids_of[o.pk]:
                    declarations.append(
                        ConflictDeclaration(
                            panel_member=member,
                            organisation_id=bid.organisation_id,
                            has_conflict=False,
                            declared_by=member.user,
                        )
                    )
                    assignments.append(
                        Assignment(
                            bid=bid,
                            panel_member=member,
                            assigned_by=self.officer,
                            submitted_at=o.closes_at + dt.timedelta(days=10),
                        )
                    )
        self.save(ConflictDeclaration, declarations)
        self.save(Assignment, assignments)
        scores = []
        self.bid_score = {}
        opportunity_of = {o.pk: o for o in self.bench_opportunities}
        bid_of = {bid.pk: bid for bids in self.bids_of.values() for bid in bids}
        for assignment in assignments:
            bid = bid_of[assignment.bid_id]
            for question in self.questions[bid.opportunity_id]:
                scores.append(
                    Score(
                        assignment=assignment,
                        question=question,
                        score=rng.randrange(1, 6),
                        comment="Meets the criterion with clear evidence.",
                    )
                )
        self.save(Score, scores)
        moderated = []
        for o, state in plans:
            if ORDER[state] < 7:
                continue
            for bid in self.bids_of[o.pk]:
                total = Decimal(0)
                for question in self.questions[o.pk]:
                    value = rng.randrange(2, 6)
                    total += question.weight * value / 5
                    moderated.append(
                        ModeratedScore(
                            bid=bid,
                            question=question,
                            score=value,
                            rationale="The panel agreed the evidence meets the criterion.",
                            moderated_by=self.officer,
                        )
                    )
                self.bid_score[bid.pk] = total
        self.save(ModeratedScore, moderated)
        self.moderated_opportunities = [(opportunity_of[o.pk], state) for o, state in plans]

    def awards(self) -> None:
        decisions = []
        for o, state in self.moderated_opportunities:
            reached = ORDER[state]
            if reached < 7:
                continue
            approved = reached >= 8
            bids = sorted(
                self.bids_of[o.pk],
                key=lambda bid: (bid.organisation_id != self.provider_organisation.pk,
                                 -self.bid_score[bid.pk]),
            )  # fmt: skip
            decided = (o.closes_at + dt.timedelta(days=30)).date()
            for rank, bid in enumerate(bids):
                successful = rank < SUCCESSFUL_PER_OPPORTUNITY
                decisions.append(
                    AwardDecision(
                        bid=bid,
                        outcome="successful" if successful else "unsuccessful",
                        amount=bid.amount_requested if successful else None,
                        conditions="Report every quarter." if successful else "",
                        reasons="" if successful else "Other bids scored higher.",
                        recommended_by=self.officer,
                        approved_by=self.approver if approved else None,
                        approved_at=o.closes_at + dt.timedelta(days=30) if approved else None,
                        decided_on=decided if approved else None,
                        notified_at=o.closes_at + dt.timedelta(days=31) if approved else None,
                    )
                )
        self.save(AwardDecision, decisions)
        self.awarded = [d for d in decisions if d.approved_at and d.outcome == "successful"]

    def agreements(self) -> None:
        bid_of = {bid.pk: bid for bids in self.bids_of.values() for bid in bids}
        opportunity_of = {o.pk: o for o in self.bench_opportunities}
        agreements = []
        for number, decision in enumerate(self.awarded, start=1):
            bid = bid_of[decision.bid_id]
            o = opportunity_of[bid.opportunity_id]
            starts = decision.decided_on + dt.timedelta(days=30)
            agreements.append(
                Agreement(
                    decision=decision,
                    reference=f"AGR-{self.year}-{MARK}{number:04d}",
                    kind=o.funding_type,
                    purpose=f"{bid.title}, funded under {o.title} ({o.reference}).",
                    amount=decision.amount,
                    starts_on=starts,
                    ends_on=add_months(starts, 36) - dt.timedelta(days=1),
                    monitoring_frequency="quarterly",
                    communications="The council's commissioning team is the contact.",
                    state="accepted",
                    issued_at=decision.approved_at + dt.timedelta(days=10),
                    issued_by=self.officer,
                    accepted_at=decision.approved_at + dt.timedelta(days=12),
                    accepted_by=self.member_of[bid.organisation_id],
                )
            )
        self.save(Agreement, agreements)
        targets, payments, versions, rags = [], [], [], []
        self.agreement_targets = defaultdict(list)
        for agreement in agreements:
            bid = bid_of[agreement.decision.bid_id]
            o = opportunity_of[bid.opportunity_id]
            share = agreement.amount / o.specification.budget
            for measure, target in self.measure_targets[o.specification_id]:
                row = AgreementTarget(
                    agreement=agreement,
                    outcome="People are better supported",
                    measure=f"Measure {measure.measure_id}",
                    unit="people",
                    year=target.year,
                    target=(target.target * share).quantize(Decimal(1)),
                    specification_measure=measure,
                )
                targets.append(row)
                self.agreement_targets[agreement.pk].append(row)
            part = (agreement.amount / 6).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
            for n in range(6):
                payments.append(
                    PaymentInstalment(
                        agreement=agreement,
                        due_on=add_months(agreement.starts_on, 6 * n),
                        amount=part if n < 5 else agreement.amount - 5 * part,
                        description=f"Instalment {n + 1}",
                    )
                )
            versions.append(
                AgreementVersion(
                    agreement=agreement,
                    number=1,
                    created_by=self.officer,
                    terms={
                        "reference": agreement.reference,
                        "kind": agreement.kind,
                        "amount": str(agreement.amount),
                        "starts_on": agreement.starts_on.isoformat(),
                        "ends_on": agreement.ends_on.isoformat(),
                        "purpose": agreement.purpose,
                        "monitoring_frequency": "quarterly",
                        "version": 1,
                    },
                )
            )
            rags.append(
                RagStatus(
                    agreement=agreement,
                    rating=("green", "green", "amber", "red")[agreement.pk % 4],
                    reason="Returns are on time and targets are being met.",
                    set_by=self.officer,
                    set_at=self.now - dt.timedelta(days=agreement.pk % 90),
                )
            )
            self.transition(
                agreement, "issue", "draft", "issued", agreement.issued_at, self.officer
            )
            self.transition(
                agreement, "accept", "issued", "accepted", agreement.accepted_at,
                agreement.accepted_by,
            )  # fmt: skip
        self.save(AgreementTarget, targets)
        self.save(PaymentInstalment, payments)
        self.save(AgreementVersion, versions)
        self.save(RagStatus, rags)
        self.save(
            InstalmentPayment,
            [
                InstalmentPayment(
                    agreement_id=p.agreement_id,
                    instalment=p,
                    scheduled_on=p.due_on,
                    paid_on=p.due_on,
                    amount=p.amount,
                    recorded_by=self.officer,
                    recorded_at=self.now,
                )
                for p in payments
                if p.due_on < self.today
            ],
        )
        self.bench_agreements = agreements

    def returns(self) -> None:
        rng = self.rng
        returns = []
        for agreement in self.bench_agreements:
            for n in range(12):
                start = add_months(agreement.starts_on, 3 * n)
                end = add_months(agreement.starts_on, 3 * (n + 1)) - dt.timedelta(days=1)
                due = end + dt.timedelta(days=30)
                if due < self.today - dt.timedelta(days=60):
                    state = "accepted" if rng.random() < 0.95 else "submitted"
                elif due < self.today:
                    state = ("submitted", "accepted", "due", "draft")[rng.randrange(4)]
                else:
                    state = "due"
                sent = state in ("submitted", "accepted")
                returns.append(
                    MonitoringReturn(
                        agreement=agreement,
                        period_start=start,
                        period_end=end,
                        due_on=due,
                        state=state,
                        outcomes_narrative=self.sentence(n) if sent else "",
                        spend_in_period=self.pounds(agreement.amount / 12) if sent else None,
                        submitted_at=timezone.make_aware(
                            dt.datetime.combine(due - dt.timedelta(days=5), dt.time(12))
                        )
                        if sent
                        else None,
                        submitted_by=agreement.accepted_by if sent else None,
                        accepted_at=timezone.make_aware(dt.datetime.combine(due, dt.time(12)))
                        if state == "accepted"
                        else None,
                        accepted_by=self.officer if state == "accepted" else None,
                    )
                )
        self.save(MonitoringReturn, returns)
        actuals, submissions = [], []
        agreement_of = {a.pk: a for a in self.bench_agreements}
        for r in returns:
            if r.state not in ("submitted", "accepted"):
                continue
            agreement = agreement_of[r.agreement_id]
            year = (r.period_start - agreement.starts_on).days // 365 + 1
            for target in self.agreement_targets[r.agreement_id]:
                if target.year == year:
                    actuals.append(
                        ReturnActual(
                            monitoring_return=r,
                            target=target,
                            value=(target.target / 4).quantize(Decimal(1)),
                        )
                    )
            submissions.append(
                ReturnSubmission(
                    monitoring_return=r,
                    number=1,
                    submitted_at=r.submitted_at,
                    submitted_by=r.submitted_by,
                    content={
                        "outcomes_narrative": r.outcomes_narrative,
                        "spend_in_period": str(r.spend_in_period),
                    },
                )
            )
            self.transition(r, "start", "due", "draft", r.submitted_at, r.submitted_by)
            self.transition(r, "submit", "draft", "submitted", r.submitted_at, r.submitted_by)
            if r.state == "accepted":
                self.transition(r, "accept", "submitted", "accepted", r.accepted_at, self.officer)
        self.save(ReturnActual, actuals)
        self.save(ReturnSubmission, submissions)
        return_of = {r.pk: r for r in returns}
        self.save(
            ReturnReview,
            [
                ReturnReview(
                    monitoring_return_id=s.monitoring_return_id,
                    submission=s,
                    outcome="accepted",
                    reviewed_by=self.officer,
                    reviewed_at=return_of[s.monitoring_return_id].accepted_at,
                )
                for s in submissions
                if return_of[s.monitoring_return_id].state == "accepted"
            ],
        )


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def clone(template: models.Model, **changes) -> models.Model:
    """A new, unsaved copy of `template` with `changes`: every other field as it was."""
    values = {
        field.attname: getattr(template, field.attname)
        for field in template._meta.concrete_fields
        if not field.primary_key
    }
    for name, value in changes.items():
        field = template._meta.get_field(name)
        values.pop(field.attname, None)
        values[name] = value
    return type(template)(**values)


def bench_seed(*, log=print) -> tuple[dict[str, int], float]:
    """Build the bench data set on top of the demo; returns the rows made and the seconds."""
    started = time.monotonic()
    with transaction.atomic():
        counts = Bench(log=log).run()
    return counts, time.monotonic() - started
