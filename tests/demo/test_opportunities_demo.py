"""The demo opportunities: one open and two closed, each starting procurement; idempotent."""

import pytest
from django.utils import timezone

from core.models import User
from demo.opportunities import demo_opportunities_seed
from demo.seed import demo_seed
from procurement.models import Opportunity

pytestmark = pytest.mark.django_db


def test_demo_opportunities_one_open_and_two_closed_each_starting_procurement():
    data = demo_seed()
    officer = User.objects.get(email="officer@example.org")

    first = demo_opportunities_seed(officer=officer, commissions=data["commissions"])
    again = demo_opportunities_seed(officer=officer, commissions=data["commissions"])

    # Three from demo.opportunities, the community hubs' of a year ago (demo.monitoring),
    # the warm spaces pilot's of two years ago (demo.evaluation), the two-stage money
    # advice at shortlisting (demo.expressions) and the awarded day centre transport contract
    # (demo.contract).
    assert first == again and Opportunity.objects.count() == 7
    advice = first["Money, debt and benefits advice in Lancaster"]
    transport = first["Dial-a-ride for the Lune Valley"]
    festival = first["Winter light festival on Morecambe promenade"]
    assert advice.is_open() and advice.lot.name == "Lancaster"
    assert advice.workshops.filter(kind="applicant_workshop").exists()
    for closed in (transport, festival):
        assert closed.has_closed() and closed.is_published
        assert timezone.localtime(closed.closes_at).hour == 17
    for opportunity in (advice, transport, festival):
        assert sum(q.weight for q in opportunity.questions.all()) == 100
        assert opportunity.clarifications.filter(published_at__isnull=False).count() == 1
    for opportunity in (advice, transport):
        opportunity.specification.commission.refresh_from_db()
        assert opportunity.specification.commission.state == "procurement"
    # The festival was assessed and awarded by the rest of the demo.
    festival.specification.commission.refresh_from_db()
    assert festival.specification.commission.state == "delivery"
