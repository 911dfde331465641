"""The demo's two-stage opportunity, at shortlisting: expressions of interest received
before their deadline (two days ago), sealed no longer, no decisions yet; idempotent."""

import pytest

from demo.expressions import TITLE
from demo.seed import demo_seed
from procurement.models import ExpressionOfInterest, Opportunity
from procurement.selectors.expressions import shortlist_send_problems, shortlist_state_counts

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_two_stage_opportunity_at_shortlisting_and_seeding_twice_adds_nothing():
    demo_seed()
    opportunity = Opportunity.objects.get(title=TITLE)
    stage = opportunity.expression_stage
    assert opportunity.is_open()
    assert stage.has_closed() and not stage.decisions_sent
    assert stage.closes_at < opportunity.closes_at
    assert shortlist_state_counts(stage=stage)["undecided"] == 3
    assert shortlist_send_problems(stage=stage) == [
        "Decide on every expression of interest: 3 still have no decision."
    ]
    assert all(e.submitted_at < stage.closes_at for e in ExpressionOfInterest.objects.all())
    demo_seed()
    assert ExpressionOfInterest.objects.count() == 3
    assert Opportunity.objects.filter(title=TITLE).count() == 1
