"""The demo bids: ready for a walk-through and for assessment, and idempotent."""

from decimal import Decimal

import pytest
from django.conf import settings

from commissioning.models import MeasureTarget
from core.roles import Role
from demo.bids import demo_bids_seed, tiny_pdf
from demo.opportunities import demo_opportunities_seed
from demo.seed import demo_seed
from procurement.models import Agreement, Bid, BidSubmission
from procurement.selectors.bids import bid_budget_summary, bid_submit_problems

pytestmark = pytest.mark.django_db


def seed() -> dict:
    data = demo_seed()
    opportunities = demo_opportunities_seed(
        officer=data["users"][Role.OFFICER], commissions=data["commissions"]
    )
    demo_bids_seed(
        opportunities=opportunities, organisations=data["organisations"], users=data["users"]
    )
    return {**data, "opportunities": opportunities}


def test_the_demo_bids_are_ready_and_seeding_twice_adds_nothing():
    data = seed()
    counts = (Bid.objects.count(), BidSubmission.objects.count())
    seed()
    assert (Bid.objects.count(), BidSubmission.objects.count()) == counts

    advice = next(o for t, o in data["opportunities"].items() if "advice" in t.lower())
    draft = advice.bids.get(organisation__name="Morecambe Bay Community Food Network")
    assert draft.state == "draft"
    assert draft.partners.get().confirmed_at is None
    assert 0 < draft.answers.count() < advice.questions.count()
    assert draft.organisation.memberships.filter(user__email="provider@example.org").exists()
    sent = advice.bids.get(state="submitted")
    assert sent.organisation.memberships.filter(user__email="advice-lead@example.org").exists()
    lead = sent.organisation.memberships.get(user__email="advice-lead@example.org").user
    assert lead.check_password(settings.DEMO_PASSWORD)

    transport = next(o for t, o in data["opportunities"].items() if "dial-a-ride" in t.lower())
    assert transport.has_closed()
    received = transport.bids.filter(state="submitted")
    assert set(received.values_list("organisation__name", flat=True)) == {
        "Lune Valley Community Transport",
        "Skerton Community Centre Association",
        "Morecambe Bay Carers' Forum",
    }
    for bid in received:
        assert bid.submitted_at < transport.closes_at
        assert bid.answers.count() == transport.questions.count()
        assert bid.amount_requested <= transport.budget
        assert bid_budget_summary(bid=bid).matches
        assert bid.submissions.get().number == 1
        assert bid.attachments.get().file.read().startswith(b"%PDF-1.4")
    lune = received.get(organisation__name="Lune Valley Community Transport")
    partner = lune.partners.get()
    assert partner.organisation.name == "Carnforth Youth and Community Hub"
    assert partner.confirmed_at is not None


def test_the_demo_draft_says_what_is_left_to_do():
    data = seed()
    advice = next(o for t, o in data["opportunities"].items() if "advice" in t.lower())
    draft = advice.bids.get(state="draft")
    problems = bid_submit_problems(bid=draft)
    assert any("has not confirmed" in problem for problem in problems)
    assert any(problem.startswith("Answer question") for problem in problems)


def test_the_tiny_pdf_is_a_pdf():
    pdf = tiny_pdf("Plan (draft)")
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert b"startxref" in pdf


def test_the_demos_bids_and_agreements_have_targets_in_proportion_to_the_money():
    demo_seed()
    submitted = Bid.objects.filter(state="submitted").select_related("opportunity__specification")
    assert submitted.count() >= 8
    for bid in submitted:
        specification = bid.opportunity.specification
        share = bid.amount_requested / specification.budget
        assert bid.targets_are_proposed()
        for target in bid.targets.all():
            council = MeasureTarget.objects.get(
                specification_measure=target.specification_measure, year=target.year
            ).target
            assert abs(target.target - council * share) <= Decimal("0.5")
            assert target.target == target.target.to_integral_value()
        assert len(bid.submissions.get().content["targets"]) == bid.targets.count()
    halton = Agreement.objects.get(decision__bid__organisation__name="Halton Mill Makers")
    visitors = halton.targets.get(measure="Visitors to the district", year=1)
    # £29,700 of the festival's £90,000: a third of its 15,000 visitors, not all of them.
    assert visitors.target == Decimal("4950")
    assert halton.decision.bid.targets.get(
        specification_measure_id=visitors.specification_measure_id, year=1
    ).target == Decimal("4950")
