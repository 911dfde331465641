"""Two people acting on the same commission at once: one wins, the other is told."""

import threading

import pytest
from django.db import connection
from django_fsm_log.models import StateLog

from commissioning.models import Commission, CommissionState
from commissioning.services import CommissionChanged, commission_transition
from core.roles import Role
from tests.commissioning.test_commission_lifecycle import _satisfy_conditions
from tests.factories import CommissionFactory, UserFactory

S = CommissionState


def _understanding_commission():
    lead = UserFactory(roles=[Role.OFFICER], email="lead@example.org")
    approver = UserFactory(roles=[Role.APPROVER], email="approver@example.org")
    commission = CommissionFactory(lead_officer=lead, state=S.UNDERSTANDING)
    _satisfy_conditions(commission)
    return commission, lead, approver


@pytest.mark.django_db(transaction=True)
def test_simultaneous_transitions_have_one_winner_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("Row locking is PostgreSQL's: CI runs this against PostgreSQL")
    commission, lead, approver = _understanding_commission()
    # The lead officer moves it to planning while an approver cancels it, at the same moment.
    attempts = [
        (lead, "start_planning", ""),
        (approver, "cancel", "The budget has been withdrawn"),
    ]
    barrier = threading.Barrier(len(attempts))
    outcomes: dict[str, str] = {}

    def act(user, name, reason):
        try:
            mine = Commission.objects.get(pk=commission.pk)
            barrier.wait(timeout=10)
            commission_transition(commission=mine, name=name, user=user, reason=reason)
            outcomes[name] = "done"
        except CommissionChanged as exc:
            outcomes[name] = str(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=attempt) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(outcomes) == 2
    assert list(outcomes.values()).count("done") == 1
    loser = next(text for text in outcomes.values() if text != "done")
    assert "changed by someone else" in loser
    commission.refresh_from_db()
    winner = next(name for name, text in outcomes.items() if text == "done")
    assert commission.state == {"start_planning": S.PLANNING, "cancel": S.CANCELLED}[winner]
    assert StateLog.objects.for_(commission).count() == 1


@pytest.mark.django_db
def test_a_stale_copy_cannot_overwrite_a_newer_state():
    commission, lead, approver = _understanding_commission()
    seen_by_lead = Commission.objects.get(pk=commission.pk)
    seen_by_approver = Commission.objects.get(pk=commission.pk)

    commission_transition(commission=seen_by_lead, name="start_planning", user=lead)
    with pytest.raises(CommissionChanged):
        commission_transition(
            commission=seen_by_approver, name="cancel", user=approver, reason="Withdrawn"
        )

    commission.refresh_from_db()
    assert commission.state == S.PLANNING
    assert StateLog.objects.for_(commission).count() == 1


@pytest.mark.django_db
def test_second_officer_sees_a_clear_message_in_the_browser(client):
    commission, lead, approver = _understanding_commission()
    url = f"/staff/commissions/{commission.pk}/actions/"
    # Both open their confirmation pages while the commission is in Understanding...
    client.force_login(approver)
    assert client.get(url + "cancel/").status_code == 200
    other = client.__class__()
    other.force_login(lead)
    assert other.get(url + "start_planning/").status_code == 200

    # ...the lead officer confirms first, then the approver.
    other.post(url + "start_planning/", {"seen_state": S.UNDERSTANDING, "reason": ""})
    response = client.post(
        url + "cancel/", {"seen_state": S.UNDERSTANDING, "reason": "Withdrawn"}, follow=True
    )

    assert "changed by someone else" in response.content.decode()
    commission.refresh_from_db()
    assert commission.state == S.PLANNING
