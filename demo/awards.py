"""Demo awards: the winter light festival, assessed, awarded and in delivery.

Four bids were received. Three panel members declared their interests; one declared a
financial conflict with Halton Mill Makers, so that bid was taken from him and the officer
recorded that the other two panel members score it. The panel scored every bid, the
officer moderated the scores (one question where the panel diverged), and the ranking
proposed the set of bids with the highest total score within the £90,000 budget: the three
smaller bids, not the top-scoring bid and the next one, which greedy ranking would have
chosen. The approver approved the awards, every bidder was told, and the three grant
agreements were sent, accepted by each organisation, and are in delivery; one has an
approved variation, so it is at version 2. Each bid proposed targets in proportion to the
amount it asked for (`demo.bids._targets_seed`), so each agreement's targets are that
organisation's share of the festival's, not the whole festival's.

The panel's records are created directly, as `demo.bids` does for bids: the scores are the
demo's, and the panel's emails are not sent. The commission's and the agreements'
lifecycles go through their services, so their timelines are real.

Idempotent: nothing is done once the commission has reached delivery.
"""

import datetime as dt
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from commissioning.models import Commission
from commissioning.services import commission_transition
from core.models import User
from core.roles import Role
from demo.bids import DemoBid, _bid_seed, _member
from procurement.models import (
    Assignment,
    AwardDecision,
    Bid,
    BidState,
    ConflictDeclaration,
    ConflictKind,
    ModeratedScore,
    Opportunity,
    Outcome,
    PanelMember,
    Score,
)
from procurement.selectors.moderation import opportunity_ranking
from procurement.services.agreements import (
    PaymentRow,
    agreement_accept,
    agreement_transition,
    variation_approve,
    variation_propose,
)
from providers.models import Organisation

FESTIVAL_OF_LIGHT = "Morecambe Bay Festival of Light"
STOREY = "Storey Creative Studios CIC"
HALTON = "Halton Mill Makers"
FOOD_NETWORK = "Morecambe Bay Community Food Network"

FESTIVAL_ANSWERS = (
    "The festival brings visitors to Morecambe in the quietest weeks of the year, when "
    "cafés and guest houses need them most, supporting the Council's priority for economic "
    "growth and the Morecambe Area Action Plan.",
    "We have produced outdoor events on the promenade for six years, with a named safety "
    "officer, a stewarding contract and an event management plan agreed with the Safety "
    "Advisory Group each year.",
    "Every installation is signed off by a structural engineer, and we survey audiences at "
    "each event; last year 91% rated it good or excellent.",
    "Each £1 of council funding brings £1.40 from Arts Council England, sponsors and "
    "traders; artists' fees are at Artists' Union England rates.",
    "Local schools and community groups make half the lanterns and installations in "
    "workshops we run from September, so the festival is made by Morecambe, not brought in.",
    "Ticketed previews and sponsorship pay for a growing share of the running costs each "
    "year; the lanterns and rigging are kept and reused.",
    "We plan the programme with the town council, the Bay's traders and the other festival "
    "producers, so events do not compete for the same weekends.",
    "Our event safety management plan covers crowd flows on the promenade, high winds and "
    "tidal conditions, with a stewarding ratio agreed with the Safety Advisory Group.",
)

FESTIVAL_BIDS = [
    DemoBid(
        organisation=FESTIVAL_OF_LIGHT,
        title="Morecambe Bay Festival of Light: the whole festival, 2027 to 2030",
        share=Decimal("0.69"),
        answers=FESTIVAL_ANSWERS,
        budget=(
            ("Artists' commissions and installations", Decimal("0.5")),
            ("Event management, stewarding and safety", Decimal("0.35")),
            ("Marketing", Decimal("0.15")),
        ),
        match_funding=Decimal("45000"),
        match_funding_sources="Arts Council England project grant, applied for",
        submitted_days_before_close=2,
    ),
    DemoBid(
        organisation=STOREY,
        title="Lantern-making workshops with Morecambe schools",
        share=Decimal("0.31"),
        answers=FESTIVAL_ANSWERS,
        budget=(
            ("Lead artists, 120 workshop days", Decimal("0.7")),
            ("Materials", Decimal("0.3")),
        ),
        match_funding=Decimal("6000"),
        match_funding_sources="Storey Gallery education budget, confirmed",
        submitted_days_before_close=5,
    ),
    DemoBid(
        organisation=HALTON,
        title="Light trail of makers' installations along the promenade",
        share=Decimal("0.33"),
        answers=FESTIVAL_ANSWERS,
        budget=(
            ("Makers' fees and materials", Decimal("0.75")),
            ("Installation and rigging", Decimal("0.25")),
        ),
        submitted_days_before_close=1,
    ),
    DemoBid(
        organisation=FOOD_NETWORK,
        title="Winter food market and community lantern kitchens",
        share=Decimal("0.35"),
        answers=FESTIVAL_ANSWERS,
        budget=(
            ("Market coordinator", Decimal("0.4")),
            ("Community kitchen sessions", Decimal("0.4")),
            ("Stalls, power and licences", Decimal("0.2")),
        ),
        match_funding=Decimal("4000"),
        match_funding_sources="Traders' pitch fees",
        submitted_days_before_close=3,
    ),
]

# (email, full name): the demo's panel member first.
PANEL = [
    ("panel@example.org", "Raj Mistry"),
    ("panel2@example.org", "Anna Kowalski"),
    ("panel3@example.org", "Tom Bell"),
]
CONFLICTED = ("panel3@example.org", HALTON)
CONFLICT_DESCRIPTION = (
    "I am a paid trustee of Halton Mill Makers and my partner exhibits with them."
)

# Each bid's score on every question, by panel member; the officer moderates to the first
# panel member's scores except where noted below.
SCORES = {
    FESTIVAL_OF_LIGHT: {"panel": 4, "panel2": 4, "panel3": 4},
    STOREY: {"panel": 4, "panel2": 4},
    HALTON: {"panel": 3, "panel2": 4},
    FOOD_NETWORK: {"panel": 4, "panel2": 3},
}
# Per bid, questions (by order) scored differently from the rest: each member's score, and
# the moderated score with its reasons. The panel diverged on the food network's delivery
# plan; the Festival of Light's strong answers make it the top-scoring bid, so ranking by
# score alone would fund it and the next bid and nothing else.
OTHER_SCORES = {
    FOOD_NETWORK: {
        2: (
            {"panel": 1, "panel2": 4},
            3,
            "The delivery plan is realistic for the market itself, but the bid does not say "
            "who will run the kitchen sessions if the coordinator is not in post by September.",
        )
    },
    FESTIVAL_OF_LIGHT: {
        order: (
            {"panel": 5, "panel2": 5, "panel3": 5},
            5,
            "An outstanding answer: six years of festivals on the promenade, with audience "
            "figures and match funding to show for them.",
        )
        for order in (1, 4)
    },
}
FEEDBACK = {
    5: "An outstanding answer with strong evidence of what you have already achieved.",
    4: "A strong answer, well evidenced, with only minor points the panel would have liked "
    "more detail on.",
    3: "A satisfactory answer that meets the requirement; the panel wanted more evidence of "
    "how you would measure it.",
    2: "The answer addresses part of the question; the evidence given was limited.",
}
REFUSAL = (
    "Your bid scored well, but funding it with the next-highest bid would have used the "
    "whole budget for two strands of the festival. The panel recommended the three bids "
    "that together scored highest within the £90,000 available."
)
CONDITIONS = (
    "Acknowledge Lancaster City Council's support in all publicity. Send the event safety "
    "management plan to the Safety Advisory Group by 1 September each year."
)


def _panel_user(email: str, full_name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, settings.DEMO_PASSWORD, full_name=full_name)
        user.job_title = "Assessment panel member"
        user.save()
    user.groups.add(Group.objects.get(name=Role.PANEL_MEMBER.value))
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _panel_seed(*, opportunity: Opportunity, bids: dict[str, Bid], officer: User) -> None:
    """Declarations, assignments, scores and moderated scores, as the panel left them."""
    questions = list(opportunity.questions.order_by("order", "pk"))
    declared_at = opportunity.closes_at + dt.timedelta(days=2)
    for email, full_name in PANEL:
        user = _panel_user(email, full_name)
        place, _ = PanelMember.objects.get_or_create(
            opportunity=opportunity,
            user=user,
            defaults={"added_by": officer, "declarations_completed_at": declared_at},
        )
        key = email.split("@")[0]
        for name, bid in bids.items():
            conflicted = (email, name) == CONFLICTED
            declaration, _ = ConflictDeclaration.objects.get_or_create(
                panel_member=place,
                organisation=bid.organisation,
                defaults={
                    "has_conflict": conflicted,
                    "kind": ConflictKind.FINANCIAL if conflicted else "",
                    "description": CONFLICT_DESCRIPTION if conflicted else "",
                    "declared_by": user,
                },
            )
            if key not in SCORES[name] and not conflicted:
                continue
            assignment, _ = Assignment.objects.get_or_create(
                bid=bid, panel_member=place, defaults={"assigned_by": officer}
            )
            if conflicted:
                assignment.conflict = declaration
                assignment.conflict_resolved_at = declared_at + dt.timedelta(hours=3)
                assignment.conflict_resolved_by = officer
                assignment.conflict_resolution = (
                    "No one else is needed: Raj Mistry and Anna Kowalski score this bid."
                )
                assignment.save()
                continue
            others = OTHER_SCORES.get(name, {})
            for question in questions:
                value = SCORES[name][key]
                if question.order in others:
                    value = others[question.order][0][key]
                Score.objects.get_or_create(
                    assignment=assignment,
                    question=question,
                    defaults={"score": value, "comment": FEEDBACK.get(value, FEEDBACK[2])},
                )
            assignment.submitted_at = declared_at + dt.timedelta(days=7)
            assignment.save()
    for name, bid in bids.items():
        others = OTHER_SCORES.get(name, {})
        for question in questions:
            value = SCORES[name]["panel"]
            rationale = FEEDBACK.get(value, FEEDBACK[2])
            if question.order in others:
                _, value, rationale = others[question.order]
            ModeratedScore.objects.get_or_create(
                bid=bid,
                question=question,
                defaults={"score": value, "rationale": rationale, "moderated_by": officer},
            )


def _recommend(*, opportunity: Opportunity, bids: dict[str, Bid], officer: User) -> None:
    """Recommend the optimiser's proposal: awards of the amount requested, the rest
    unsuccessful with reasons."""
    ranking = opportunity_ranking(opportunity=opportunity)
    chosen = set(ranking.proposal.keys)
    for bid in bids.values():
        if bid.pk in chosen:
            defaults = {
                "outcome": Outcome.SUCCESSFUL,
                "amount": bid.amount_requested,
                "conditions": CONDITIONS,
                "recommended_by": officer,
            }
        else:
            defaults = {
                "outcome": Outcome.UNSUCCESSFUL,
                "reasons": REFUSAL,
                "recommended_by": officer,
            }
        AwardDecision.objects.get_or_create(bid=bid, defaults=defaults)


def _agreements_into_delivery(*, bids: dict[str, Bid], officer: User, approver: User) -> None:
    """Send each agreement, have the organisation's admin accept it, and vary one."""
    for name, bid in bids.items():
        decision = bid.decision
        if not decision.is_successful:
            continue
        agreement = decision.agreement
        if agreement.state == "draft":
            agreement_transition(agreement=agreement, name="issue", user=officer)
        if agreement.state == "issued":
            admin = bid.organisation.memberships.filter(role="admin").first().user
            agreement_accept(agreement=agreement, user=admin)
        if name == STOREY and not agreement.variations.exists():
            variation = variation_propose(
                agreement=agreement,
                user=officer,
                reason=(
                    "Two more schools asked to take part: the targets rise by a tenth, at no "
                    "extra cost to the council."
                ),
                ends_on=agreement.ends_on,
                payments=[
                    PaymentRow(due_on=p.due_on, amount=p.amount, description=p.description)
                    for p in agreement.payments.all()
                ],
                targets={
                    t.pk: (t.target * Decimal("1.1")).quantize(Decimal(1))
                    for t in agreement.targets.all()
                },
            )
            variation_approve(variation=variation, user=approver)


@transaction.atomic
def demo_awards_seed(
    *,
    opportunities: dict[str, Opportunity],
    organisations: dict[str, Organisation],
    users: dict,
) -> None:
    """The winter light festival, from bids received to agreements in delivery."""
    opportunity = opportunities.get("Winter light festival on Morecambe promenade")
    if opportunity is None:
        return
    commission = Commission.objects.get(pk=opportunity.specification.commission_id)
    if commission.state in ("delivery", "review", "closed", "cancelled"):
        return
    officer, approver = users[Role.OFFICER], users[Role.APPROVER]
    admins = {
        FESTIVAL_OF_LIGHT: ("lights@example.org", "Mei Lin", "Festival director"),
        STOREY: ("storey@example.org", "Daniel Okoro", "Learning producer"),
        HALTON: ("halton@example.org", "Ruth Ashworth", "Studio manager"),
    }
    bids: dict[str, Bid] = {}
    for demo in FESTIVAL_BIDS:
        organisation = organisations[demo.organisation]
        if demo.organisation in admins:
            by = _member(organisation, *admins[demo.organisation])
        else:
            by = users[Role.PROVIDER]
        bids[demo.organisation] = _bid_seed(
            opportunity=opportunity,
            organisation=organisation,
            demo=demo,
            by=by,
            organisations=organisations,
        )
    # bandit: a check on the demo data while it is seeded, never run on a request.
    assert all(bid.state == BidState.SUBMITTED for bid in bids.values())  # nosec B101
    _panel_seed(opportunity=opportunity, bids=bids, officer=officer)
    _recommend(opportunity=opportunity, bids=bids, officer=officer)
    for name, user in (
        ("start_assessment", officer),
        ("request_award_approval", officer),
        ("approve_awards", approver),
    ):
        if name in {t.name for t in commission.get_available_state_transitions()}:
            commission_transition(commission=commission, name=name, user=user)
    for bid in bids.values():
        bid.refresh_from_db()
    _agreements_into_delivery(bids=bids, officer=officer, approver=approver)
