"""Evaluation: outcomes computed from accepted returns only, completing an evaluation, the
commission that cannot close without one (and its checklist), the provider's report, and
the SROI snapshot kept with a saved evaluation."""

from decimal import Decimal

import pytest
from django.urls import reverse

import monitoring
from commissioning.models import CommissionState
from monitoring import evaluation_services as services
from monitoring.models import AgreementEvaluation, CommissionEvaluation, Lesson
from tests.monitoring.factories import provider_member
from tests.monitoring.factories_evaluation import (
    commission_put,
    delivered,
    evaluation_completed,
    priority,
)

pytestmark = pytest.mark.django_db


def test_outcomes_count_accepted_returns_only(client):
    made = delivered(accepted_actual=Decimal("20"), submitted_actual=Decimal("30"))
    client.force_login(made.officer)
    response = client.get(reverse("monitoring:agreement_evaluation", args=[made.agreement.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "From the 1 accepted monitoring return of 4" in page
    # Targets of 100, 200 and 300 over three years: 600 for the agreement; achieved 20
    # (the accepted return), not 50 (with the submitted one).
    assert ">600<" in page
    assert ">20<" in page
    assert ">50<" not in page
    assert "3%" in page
    # Spending: only the accepted return's £2,000.
    assert "£2,000" in page


def test_completing_needs_impact_recommendation_and_a_lesson(client):
    made = delivered()
    client.force_login(made.officer)
    url = reverse("monitoring:agreement_evaluation", args=[made.agreement.pk])
    response = client.post(url, {"impact_summary": "", "recommendation": "", "complete": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the impact before you complete the evaluation" in page
    assert "Select what you recommend for the next cycle" in page
    assert "Add at least one lesson learned" in page

    lesson_url = reverse("monitoring:agreement_lesson_add", args=[made.agreement.pk])
    response = client.post(lesson_url, {"text": "", "priority": ""})
    assert "Enter the lesson" in response.content.decode()
    response = client.post(
        lesson_url, {"text": "Lunch clubs fill by word of mouth", "priority": priority().pk}
    )
    assert response.status_code == 302
    response = client.post(
        url,
        {
            "impact_summary": "Twenty people less alone",
            "recommendation": "redesign",
            "complete": "1",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "The evaluation is complete" in page
    assert "Lunch clubs fill by word of mouth" in page
    evaluation = AgreementEvaluation.objects.get(agreement=made.agreement)
    assert evaluation.is_complete
    assert Lesson.objects.get().commission == made.assessed.commission
    # Complete: no more changes.
    client.post(url, {"impact_summary": "Changed", "recommendation": "decommission"})
    evaluation.refresh_from_db()
    assert evaluation.impact_summary == "Twenty people less alone"


def test_commission_cannot_close_without_a_completed_evaluation(client):
    made = delivered()
    commission = commission_put(made.assessed.commission, CommissionState.REVIEW)
    officer = made.officer
    client.force_login(officer)
    page = client.get(commission.get_absolute_url()).content.decode()
    evaluation_url = reverse("monitoring:commission_evaluation", args=[commission.pk])
    assert "Close the commission" in page
    assert "The commission’s evaluation is complete" in page
    assert f'href="{evaluation_url}"' in page
    assert "Missing" in page

    response = client.post(
        reverse("commission_transition", args=[commission.pk, "close"]),
        {"seen_state": CommissionState.REVIEW, "reason": ""},
        follow=True,
    )
    commission.refresh_from_db()
    assert commission.state == CommissionState.REVIEW

    evaluation_completed(commission, user=officer)
    page = client.get(commission.get_absolute_url()).content.decode()
    assert "Done" in page
    response = client.post(
        reverse("commission_transition", args=[commission.pk, "close"]),
        {"seen_state": CommissionState.REVIEW, "reason": ""},
    )
    commission.refresh_from_db()
    assert commission.state == CommissionState.CLOSED, response.content.decode()[:2000]


def test_commission_evaluation_totals_its_agreements(client):
    made = delivered()
    client.force_login(made.officer)
    page = client.get(
        reverse("monitoring:commission_evaluation", args=[made.assessed.commission.pk])
    ).content.decode()
    assert made.agreement.reference in page
    assert "All agreements: target and achieved" in page
    assert "£30,000" in page  # awarded
    assert "Not started" in page


def test_provider_sends_the_end_of_grant_report(client):
    made = delivered()
    member = provider_member(made)
    client.force_login(member)
    url = reverse("monitoring:end_of_grant_report", args=[made.agreement.pk])
    response = client.post(url, {"what_worked": "Volunteers", "what_did_not_work": ""})
    assert "Enter what did not work" in response.content.decode()
    response = client.post(
        url,
        {
            "what_worked": "Volunteers",
            "what_did_not_work": "Transport",
            "what_would_change": "A minibus",
        },
        follow=True,
    )
    assert "Your end-of-grant report has been sent to the council" in response.content.decode()
    client.force_login(made.officer)
    page = client.get(
        reverse("monitoring:agreement_evaluation", args=[made.agreement.pk])
    ).content.decode()
    assert "A minibus" in page


def test_saved_evaluation_keeps_its_sroi_snapshot(monkeypatch):
    """The SROI figures and assumptions of the moment are kept with the evaluation; a
    later change of the calculation does not change it once complete."""
    import sys
    import types

    made = delivered()
    fake = types.ModuleType("monitoring.sroi")
    fake.sroi_evaluation_snapshot = lambda **subject: (
        {"proxy": "Isolation", "value": Decimal("100.00")},
        Decimal("3.456"),
    )
    monkeypatch.setitem(sys.modules, "monitoring.sroi", fake)
    monkeypatch.setattr(monitoring, "sroi", fake, raising=False)
    services.lesson_add(
        user=made.officer, agreement=made.agreement, text="Lesson", priority=priority()
    )
    evaluation = services.agreement_evaluation_save(
        agreement=made.agreement,
        user=made.officer,
        impact_summary="Impact",
        recommendation="recommission",
        complete=True,
    )
    evaluation.refresh_from_db()
    assert evaluation.sroi_ratio == Decimal("3.46")
    assert evaluation.sroi_assumptions == {"proxy": "Isolation", "value": "100.00"}
    fake.sroi_evaluation_snapshot = lambda **subject: ({"proxy": "Changed"}, Decimal("9"))
    evaluation.refresh_from_db()
    assert evaluation.sroi_ratio == Decimal("3.46")


def test_without_the_sroi_module_the_ratio_is_left_empty(monkeypatch):
    import sys

    made = delivered()
    monkeypatch.setitem(sys.modules, "monitoring.sroi", None)  # import fails
    monkeypatch.delattr(monitoring, "sroi", raising=False)
    evaluation = services.agreement_evaluation_save(
        agreement=made.agreement, user=made.officer, impact_summary="x", recommendation=""
    )
    assert evaluation.sroi_ratio is None
    assert evaluation.sroi_assumptions == {}


def test_commission_evaluation_only_in_delivery_or_review():
    made = delivered()
    commission = commission_put(made.assessed.commission, CommissionState.CLOSED)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.commission_evaluation_save(
            commission=commission, user=made.officer, impact_summary="x", recommendation=""
        )
    assert not CommissionEvaluation.objects.exists()


def test_with_the_sroi_module_an_evaluation_saves():
    """The real SROI calculation (no proxies linked in this set-up): the evaluation saves,
    and keeps whatever assumptions it was given."""
    made = delivered()
    evaluation = services.agreement_evaluation_save(
        agreement=made.agreement, user=made.officer, impact_summary="x", recommendation=""
    )
    evaluation.refresh_from_db()
    assert isinstance(evaluation.sroi_assumptions, dict)


def test_an_officer_removes_a_lesson_until_the_evaluation_is_complete(client):
    made = delivered()
    lesson = services.lesson_add(
        user=made.officer, agreement=made.agreement, text="Too early to tell", priority=priority()
    )
    client.force_login(made.officer)
    url = reverse("monitoring:agreement_evaluation", args=[made.agreement.pk])
    assert client.post(url, {"remove": "abc"}).status_code == 400
    assert client.post(url, {"remove": "999999"}).status_code == 404
    page = client.post(url, {"remove": str(lesson.pk)}, follow=True).content.decode()
    assert "Lesson removed" in page
    assert not Lesson.objects.filter(pk=lesson.pk).exists()
