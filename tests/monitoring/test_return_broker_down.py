"""Celery's broker (Redis) down: a provider still fills in and submits a monitoring return
through the pages; the lead officer's email and notification wait in the outbox, and the
drain (`manage.py outbox_drain`, or Celery beat's once Redis is back) sends them once."""

import io

import pytest
from django.core.management import call_command

from core.models import Email, Notification, OutboxTask
from monitoring.models import ReturnState
from tests.core.broker import CLOSED_PORT_REDIS_URL, broker_at
from tests.monitoring.factories import agreement_in_delivery
from tests.procurement.factories_agreements import org_member


@pytest.fixture
def broker_down():
    """Celery is not eager and its broker (Redis) refuses connections, as in production
    with Redis stopped."""
    with broker_at(CLOSED_PORT_REDIS_URL):
        yield


def pending_tasks() -> list[str]:
    return sorted(
        OutboxTask.objects.filter(status=OutboxTask.Status.PENDING).values_list("task", flat=True)
    )


def drain() -> str:
    out = io.StringIO()
    call_command("outbox_drain", stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_return_submitted_with_the_broker_down_is_kept_and_the_officer_told_once_it_is_back(
    client, broker_down, mailoutbox
):
    made = agreement_in_delivery(months=12)
    lead = made.agreement.bid.opportunity.specification.commission.lead_officer
    member = org_member(made.organisation, full_name="Mo Member", email="mo@example.org")
    monitoring_return = made.agreement.monitoring_returns.first()
    target = monitoring_return.targets_for_period().get()
    client.force_login(member)

    filled = client.post(
        f"/returns/{monitoring_return.pk}/edit/",
        {
            f"actual_{target.pk}": "20",
            "outcomes_narrative": "Twenty older people joined the lunch club.",
            "case_study": "",
            "spend_in_period": "2000",
            "spend_explanation": "",
            "risks": "None this quarter.",
        },
    )
    assert filled.status_code == 302
    response = client.post(
        f"/returns/{monitoring_return.pk}/actions/submit/", {"seen_state": "draft"}
    )

    assert response.status_code == 302
    monitoring_return.refresh_from_db()
    assert monitoring_return.state == ReturnState.SUBMITTED
    assert pending_tasks() == ["monitoring.tasks.return_email_send"]
    assert mailoutbox == []
    assert not Notification.objects.exists()

    assert drain() == "Done: 1 outbox tasks, 1 emails\n"
    assert [message.to for message in mailoutbox] == [[lead.email]]
    assert monitoring_return.period_label in mailoutbox[0].subject
    assert f"/returns/{monitoring_return.pk}/" in mailoutbox[0].body
    email = Email.objects.get()
    assert (email.to, email.status) == (lead.email, "sent")
    notification = Notification.objects.get()
    assert (notification.user, notification.url) == (lead, f"/returns/{monitoring_return.pk}/")

    assert drain() == "Done: 0 outbox tasks, 0 emails\n"
    assert len(mailoutbox) == 1
    assert Notification.objects.count() == 1
    assert OutboxTask.objects.get().status == "done"
