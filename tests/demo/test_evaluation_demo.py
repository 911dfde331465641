"""The demo's evaluation: a closed pilot from the cycle before, with its provider's report,
completed evaluations, lessons and SROI, recommissioned as the community hubs, whose page
shows the chain of cycles and whose Understand page shows the pilot's lessons."""

import pytest
from django.urls import reverse

from commissioning.models import Commission, CommissionState
from core.models import User
from demo.evaluation import PILOT
from demo.monitoring import COMMISSION as HUBS
from demo.seed import demo_seed
from monitoring.models import AgreementEvaluation, CycleCarryForward, Lesson
from tests.mfa import authenticator_give

pytestmark = pytest.mark.django_db


def test_the_pilot_was_evaluated_closed_and_recommissioned_as_the_hubs(client):
    demo_seed()
    pilot = Commission.objects.get(title=PILOT)
    hubs = Commission.objects.get(title=HUBS)
    assert pilot.state == CommissionState.CLOSED
    assert pilot.evaluation.is_complete
    assert hubs.previous_cycle == pilot
    assert CycleCarryForward.objects.get(commission=hubs).previous == pilot
    agreement_evaluation = AgreementEvaluation.objects.get(
        agreement__decision__bid__opportunity__specification__commission=pilot
    )
    assert agreement_evaluation.is_complete and agreement_evaluation.report_is_sent
    assert Lesson.objects.filter(commission=pilot).count() == 3
    # Evaluated after the pilot ended, in the past.
    assert pilot.period_end < pilot.evaluation.completed_at.date() < hubs.period_end
    officer = User.objects.get(email="officer@example.org")
    authenticator_give(officer)  # council staff sign in with two factors
    client.force_login(officer)
    page = client.get(hubs.get_absolute_url()).content.decode()
    assert pilot.reference in page and "Recommissioned from" in page
    understand = client.get(reverse("engagement:gap_analysis", args=[hubs.pk])).content.decode()
    assert "Offer benefit checks at the lunch table" in understand
    evaluation = client.get(reverse("monitoring:commission_evaluation", args=[pilot.pk]))
    assert "190" in evaluation.content.decode()  # people supported, from accepted returns


def test_seeding_twice_adds_no_evaluation_rows():
    demo_seed()
    counts = (
        Lesson.objects.count(),
        AgreementEvaluation.objects.count(),
        Commission.objects.count(),
    )
    demo_seed()
    assert (
        Lesson.objects.count(),
        AgreementEvaluation.objects.count(),
        Commission.objects.count(),
    ) == counts
