"""The demo for providers: an opportunity with eligibility questions (the demo provider
answers no to "serves Lancaster" from its profile), the demo provider's alert of new
opportunities, and two organisations offering to be found as partners; idempotent."""

import pytest

from demo.for_providers import ELIGIBLE_OPPORTUNITY
from demo.seed import demo_seed
from procurement.models import Opportunity, OpportunityAlert
from procurement.selectors.eligibility import eligibility_questions, eligibility_requirement_get
from providers.models import PartnerProfile
from providers.selectors import partners_findable

pytestmark = pytest.mark.django_db


def test_the_demo_has_eligibility_questions_an_alert_and_partners_to_find():
    demo_seed()
    opportunity = Opportunity.objects.get(title=ELIGIBLE_OPPORTUNITY)
    questions = eligibility_questions(
        requirement=eligibility_requirement_get(opportunity=opportunity)
    )
    assert [question.key for question in questions] == [
        "legal_form",
        "area",
        "registered_number",
    ]
    alert = OpportunityAlert.objects.get(user__email="provider@example.org")
    assert sorted(area.name for area in alert.areas.all()) == ["Heysham", "Morecambe"]
    assert [p.organisation.name for p in partners_findable(offer="minibus")] == [
        "Lune Valley Community Transport"
    ]

    demo_seed()
    assert OpportunityAlert.objects.count() == 1
    assert PartnerProfile.objects.count() == 2
