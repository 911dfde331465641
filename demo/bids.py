"""Demo bids: a draft and a submitted bid for the open advice opportunity, and three bids
received for the closed Dial-a-ride opportunity, ready for assessment.

Idempotent: a bid is keyed on its opportunity and lead organisation; running it twice adds
nothing. Called after `demo_opportunities_seed`.

Submitted bids propose targets in proportion to the amount they ask for. They are
submitted here by setting their state directly, with a BidSubmission snapshot like the one
`bid_transition` keeps: the Dial-a-ride deadline has already passed (the service rightly
refuses anything after it), and the demo should not send receipt emails.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from commissioning.models import MeasureTarget
from core.files import safe_storage_name
from core.models import User
from core.roles import Role
from procurement.models import (
    Bid,
    BidAnswer,
    BidAttachment,
    BidState,
    BidSubmission,
    BidTarget,
    BudgetLine,
    ConsortiumPartner,
    Opportunity,
)
from procurement.selectors.bids import bid_live_for, bid_snapshot
from procurement.services.bids import _receipt_reference, bid_reference_next
from providers.models import Membership, Organisation

FOOD_NETWORK = "Morecambe Bay Community Food Network"
SKERTON = "Skerton Community Centre Association"
REFUGEE_WELCOME = "Lancaster and District Refugee Welcome"
LUNE_VALLEY = "Lune Valley Community Transport"
CARNFORTH = "Carnforth Youth and Community Hub"
CARERS = "Morecambe Bay Carers' Forum"
PROVIDER_EMAIL = "provider@example.org"
ADVICE_LEAD_EMAIL = "advice-lead@example.org"


@dataclass(frozen=True)
class DemoBid:
    organisation: str
    title: str
    share: Decimal  # of the opportunity's budget
    answers: tuple[str, ...]  # one per question, in order; a blank one is left unanswered
    budget: tuple[tuple[str, Decimal], ...]  # item and share of the amount requested
    match_funding: Decimal | None = None
    match_funding_sources: str = ""
    other_leverage: str = ""
    partner: str = ""
    partner_role: str = ""
    partner_confirmed: bool = False
    attachment: str = ""
    submitted_days_before_close: int | None = None  # None: a draft


ADVICE_ANSWERS = (
    "Our advice sessions support the Council's priority of health and well-being: money "
    "worries are the most common reason people give our food bank volunteers for needing "
    "emergency food. Advice at the point of crisis, in places people already come to, stops "
    "problems growing into evictions and ill health.",
    "We already run three food banks and two community pantries in Morecambe and Lancaster, "
    "with 60 trained volunteers and two paid coordinators. An advice worker will join the "
    "team from April, supervised by our partner's Advice Quality Standard holder.",
    "",
    "",
)
ADVICE_SUBMITTED_ANSWERS = (
    "People in Skerton East and West are among the most deprived in the district. Our "
    "weekly drop-in already sees 40 people a month with benefit problems. Advice here "
    "supports the Council's priorities for health and well-being and a thriving economy.",
    "We have run advice sessions at the centre since 2019 with a part-time adviser and six "
    "trained volunteers. We own the building, have a private interview room and are open "
    "six days a week. Staff are in post: nothing has to be recruited to start in April.",
    "Our adviser holds the Advice Quality Standard for debt advice; we will complete it for "
    "welfare benefits by March 2028. Case files are checked monthly by an external "
    "supervisor, and we report outcomes to our trustees every quarter.",
    "£1 of advice funding brings in around £14 of benefits people are entitled to, from our "
    "own records over three years. Volunteers give 2,000 hours a year and the building is "
    "provided at no cost to the service.",
    "Advice sits alongside our lunch club and youth nights, so people who would never walk "
    "into an advice centre hear about it from someone they know. We refer to the food bank "
    "and the credit union rather than duplicating them.",
    "Our community shop's surplus pays for a fifth of the adviser's time already. We will "
    "train two volunteers a year as advice assistants so the service grows without more cost.",
    "We work with Citizens Advice North Lancashire on complex cases and take referrals from "
    "the Morecambe Bay Community Food Network's pantries.",
)
ANSWER_FALLBACK = (
    "We meet this requirement in full. Our policies and procedures are attached, and we "
    "will report against it every quarter."
)
TRANSPORT_ANSWERS = (
    "Door-to-door transport lets people who cannot use buses get to shops, GP appointments "
    "and lunch clubs, supporting the Council's priorities for health and well-being and for "
    "rural communities in the Lune Valley.",
    "We have operated dial-a-ride in the Lune Valley since 2004 with five wheelchair-"
    "accessible minibuses, 4 paid drivers and 25 volunteer drivers. Bookings are taken by "
    "phone and online from 8am to 6pm.",
    "All drivers hold MiDAS training and an enhanced DBS check. Vehicles are serviced every "
    "12 weeks and we survey passengers twice a year; 96% rated the service good or very good.",
    "Fares and a contract with the NHS for hospital journeys cover a third of running "
    "costs. Volunteer drivers give 6,000 hours a year, worth about £70,000.",
    "Journeys link with the Carnforth Youth and Community Hub's lunch club and with "
    "Morecambe Bay Carers' Forum's respite sessions, so people are not double-booked.",
    "We will raise fare income by 10% a year by selling spare capacity to schools and "
    "community groups at weekends.",
    "Our partners plan routes with us each quarter and we share one booking system.",
    "Every vehicle is wheelchair accessible with tail-lifts inspected every six months.",
)

DEMO_ADVICE_BIDS = [
    DemoBid(
        organisation=FOOD_NETWORK,
        title="Advice at the pantry: money help where people already are",
        share=Decimal("0.75"),
        answers=ADVICE_ANSWERS,
        budget=(("Advice worker, 30 hours a week", Decimal("0.8")),),
        match_funding=Decimal("8000"),
        match_funding_sources="Morecambe Bay Foundation, applied for, decision in February",
        other_leverage="Volunteer time in the pantries; rooms at no cost",
        partner=REFUGEE_WELCOME,
        partner_role=(
            "Weekly advice sessions in community languages for new arrivals, with an "
            "interpreter, at the Refugee Welcome drop-in"
        ),
    ),
    DemoBid(
        organisation=SKERTON,
        title="Skerton money advice drop-in",
        share=Decimal("0.6"),
        answers=ADVICE_SUBMITTED_ANSWERS,
        budget=(
            ("Adviser, 22.5 hours a week for three years", Decimal("0.85")),
            ("Supervision and Advice Quality Standard audit", Decimal("0.1")),
            ("Leaflets and outreach", Decimal("0.05")),
        ),
        match_funding=Decimal("6000"),
        match_funding_sources="Skerton community shop surplus, confirmed",
        other_leverage="The centre's interview room and reception, 2,000 volunteer hours",
        attachment="Skerton advice project plan.pdf",
        submitted_days_before_close=34,
    ),
]

DEMO_TRANSPORT_BIDS = [
    DemoBid(
        organisation=LUNE_VALLEY,
        title="Lune Valley Dial-a-ride 2027 to 2030",
        share=Decimal("0.95"),
        answers=TRANSPORT_ANSWERS,
        budget=(
            ("Drivers and booking staff", Decimal("0.6")),
            ("Vehicle lease and running costs", Decimal("0.3")),
            ("Volunteer driver expenses and training", Decimal("0.1")),
        ),
        match_funding=Decimal("15000"),
        match_funding_sources="NHS hospital journeys contract, confirmed to March 2028",
        other_leverage="25 volunteer drivers",
        partner=CARNFORTH,
        partner_role="Books journeys to its lunch club and community café and hosts a minibus",
        partner_confirmed=True,
        attachment="Lune Valley vehicle and safeguarding plan.pdf",
        submitted_days_before_close=3,
    ),
    DemoBid(
        organisation=SKERTON,
        title="Community minibus for Skerton and the Lune Valley",
        share=Decimal("0.7"),
        answers=TRANSPORT_ANSWERS,
        budget=(
            ("Minibus lease", Decimal("0.4")),
            ("Part-time driver", Decimal("0.6")),
        ),
        attachment="Skerton minibus plan.pdf",
        submitted_days_before_close=6,
    ),
    DemoBid(
        organisation=CARERS,
        title="Carers' transport to respite and appointments",
        share=Decimal("0.5"),
        answers=TRANSPORT_ANSWERS,
        budget=(
            ("Accessible taxi journeys", Decimal("0.7")),
            ("Coordinator, 10 hours a week", Decimal("0.3")),
        ),
        match_funding=Decimal("4000"),
        match_funding_sources="Carers' Forum reserves",
        attachment="Carers' Forum transport proposal.pdf",
        submitted_days_before_close=1,
    ),
]


def tiny_pdf(title: str) -> bytes:
    """A one-page PDF, valid enough for any reader, saying `title`."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _user(users: dict, email: str) -> User | None:
    for user in users.values():
        if getattr(user, "email", "") == email:
            return user
    return User.objects.filter(email=email).first()


def _member(
    organisation: Organisation,
    email: str,
    full_name: str,
    job_title: str = "Advice services manager",
) -> User:
    """A demo person who is an admin of the organisation, made if need be."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, settings.DEMO_PASSWORD, full_name=full_name)
        user.job_title = job_title
        user.save()
    user.groups.add(Group.objects.get(name=Role.PROVIDER.value))
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    Membership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": Membership.Role.ADMIN}
    )
    return user


def _pounds(value: Decimal) -> Decimal:
    """Whole hundreds of pounds."""
    return (value / 100).quantize(Decimal(1), rounding=ROUND_DOWN) * 100


def _bid_seed(
    *,
    opportunity: Opportunity,
    organisation: Organisation,
    demo: DemoBid,
    by: User | None,
    organisations: dict[str, Organisation],
) -> Bid:
    bid = bid_live_for(opportunity=opportunity, organisation=organisation)
    if bid is not None:
        return bid
    amount = _pounds(opportunity.budget * demo.share)
    bid = Bid.objects.create(
        opportunity=opportunity,
        organisation=organisation,
        reference=bid_reference_next(opportunity=opportunity),
        title=demo.title,
        amount_requested=amount,
        match_funding=demo.match_funding,
        match_funding_sources=demo.match_funding_sources,
        other_leverage=demo.other_leverage,
        created_by=by,
    )
    submitted = demo.submitted_days_before_close is not None
    questions = list(opportunity.questions.order_by("order", "pk"))
    for number, question in enumerate(questions):
        if number < len(demo.answers):
            text = demo.answers[number]
        else:
            text = ANSWER_FALLBACK if submitted else ""
        if text:
            words = text.split()[: question.word_limit]
            BidAnswer.objects.create(bid=bid, question=question, text=" ".join(words))
    lines = [(item, _pounds(amount * share)) for item, share in demo.budget]
    if submitted and lines:
        # A submitted budget adds up: the last line takes the rounding.
        item, _ = lines[-1]
        lines[-1] = (item, amount - sum(value for _, value in lines[:-1]))
    for item, value in lines:
        BudgetLine.objects.create(bid=bid, item=item, amount=value)
    if demo.partner:
        ConsortiumPartner.objects.create(
            bid=bid,
            organisation=organisations[demo.partner],
            role=demo.partner_role,
            confirmed_at=opportunity.opens_at + dt.timedelta(days=5)
            if demo.partner_confirmed
            else None,
        )
    if demo.attachment:
        content = tiny_pdf(demo.title)
        attachment = BidAttachment(
            bid=bid,
            original_name=demo.attachment,
            content_type="application/pdf",
            size=len(content),
            uploaded_by=by,
        )
        attachment.file.save(safe_storage_name("plan.pdf"), ContentFile(content), save=False)
        attachment.save()
    if submitted:
        _targets_seed(bid=bid)
        _submit_directly(bid=bid, by=by, days_before_close=demo.submitted_days_before_close)
    return bid


def _targets_seed(*, bid: Bid) -> None:
    """Targets in proportion to the amount requested over the specification's budget,
    in whole numbers: a bid for a third of the money proposes a third of each target."""
    specification = bid.opportunity.specification
    share = bid.amount_requested / specification.budget if specification.budget else Decimal(0)
    BidTarget.objects.bulk_create(
        BidTarget(
            bid=bid,
            specification_measure_id=council.specification_measure_id,
            year=council.year,
            target=(council.target * share).quantize(Decimal(1), rounding=ROUND_HALF_UP),
        )
        for council in MeasureTarget.objects.filter(
            specification_measure__specification=specification
        ).order_by("specification_measure_id", "year")
    )


def _submit_directly(*, bid: Bid, by: User | None, days_before_close: int) -> None:
    """Mark the bid submitted before the deadline, as `bid_transition` would have, and keep
    version 1 with its snapshot (the state is set directly: see the module docstring)."""
    closes_at = timezone.localtime(bid.opportunity.closes_at)
    submitted_at = (closes_at - dt.timedelta(days=days_before_close)).replace(
        hour=16, minute=32, second=0, microsecond=0
    )
    submitted_at = max(
        min(submitted_at, timezone.now() - dt.timedelta(hours=1)), bid.opportunity.opens_at
    )
    Bid.objects.filter(pk=bid.pk).update(state=BidState.SUBMITTED, submitted_at=submitted_at)
    bid.refresh_from_db()
    BidSubmission.objects.create(
        bid=bid,
        number=1,
        # The same short receipt a bid submitted in the portal is given (R7KQ-26B3).
        receipt=_receipt_reference(bid, 1),
        submitted_at=submitted_at,
        submitted_by=by,
        content=bid_snapshot(bid=bid),
    )


def _find(opportunities: dict[str, Opportunity], *words: str) -> Opportunity | None:
    for title, opportunity in opportunities.items():
        if any(word.lower() in title.lower() for word in words):
            return opportunity
    return None


@transaction.atomic
def demo_bids_seed(
    *,
    opportunities: dict[str, Opportunity],
    organisations: dict[str, Organisation],
    users: dict,
) -> None:
    """The demo bids (see the module docstring). Opportunities missing from the demo are
    skipped."""
    advice = _find(opportunities, "advice")
    if advice is not None:
        provider = _user(users, PROVIDER_EMAIL)
        advice_lead = _member(organisations[SKERTON], ADVICE_LEAD_EMAIL, "Asha Patel")
        for demo in DEMO_ADVICE_BIDS:
            by = provider if demo.organisation == FOOD_NETWORK else advice_lead
            _bid_seed(
                opportunity=advice,
                organisation=organisations[demo.organisation],
                demo=demo,
                by=by,
                organisations=organisations,
            )
    transport = _find(opportunities, "dial-a-ride", "transport")
    if transport is not None:
        for demo in DEMO_TRANSPORT_BIDS:
            organisation = organisations[demo.organisation]
            by = User.objects.filter(memberships__organisation=organisation).first()
            _bid_seed(
                opportunity=transport,
                organisation=organisation,
                demo=demo,
                by=by,
                organisations=organisations,
            )
