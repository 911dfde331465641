"""The daily reminders: each kind goes to the right people on the right day and not before,
links to the page it is about, leaves a notification, and is sent once however often the
sweep runs."""

import datetime as dt
import io
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from core.emails import absolute_url, organisation_members
from core.models import Email, Notification
from core.outbox import outbox_drain
from monitoring import reminders, tasks
from monitoring.models import MonitoringReturn, Reminder, ReminderKind, ReturnState
from monitoring.reminders import reminders_send_due
from procurement.models import Agreement, AgreementState
from providers.models import ComplianceDocument
from tests.core.broker import CLOSED_PORT_REDIS_URL, broker_at
from tests.monitoring.factories import agreement_in_delivery, return_put
from tests.procurement.factories_agreements import agreement_made, org_member

pytestmark = pytest.mark.django_db

K = ReminderKind
DAY = dt.timedelta(days=1)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the day's sweep as beat would, its emails delivered once each reminder's
    transaction commits."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_send_due(today=timezone.localdate())

    return run


def today() -> dt.date:
    return timezone.localdate()


def one_return(*, due_on: dt.date, state: str = ReturnState.DUE):
    """An agreement in delivery, with one more member than its admin, left with one return,
    due on `due_on`."""
    made = agreement_in_delivery(months=12)
    org_member(made.organisation, email="member@provider.example.org")
    monitoring_return = made.agreement.monitoring_returns.first()
    made.agreement.monitoring_returns.exclude(pk=monitoring_return.pk).delete()
    MonitoringReturn.objects.filter(pk=monitoring_return.pk).update(due_on=due_on)
    monitoring_return.refresh_from_db()
    if state != ReturnState.DUE:
        return_put(monitoring_return, state)
    return made, monitoring_return


def _document(organisation, *, expires_on, kind=ComplianceDocument.Kind.INSURANCE):
    document = ComplianceDocument(
        organisation=organisation, kind=kind, original_name="insurance.pdf", expires_on=expires_on
    )
    document.file.save("insurance.pdf", ContentFile(b"%PDF-1.4"), save=False)
    document.save()
    return document


def emails_to(people) -> list:
    addresses = {person.email for person in people}
    return [message for message in mail.outbox if message.to[0] in addresses]


def members(made) -> list:
    return organisation_members(made.organisation)


# --- Returns: before, on and after the due date -------------------------------------------------


def test_members_are_reminded_14_days_before_a_return_is_due_and_not_before(sweep, clock):
    made, monitoring_return = one_return(due_on=today() + 15 * DAY)
    assert sweep() == {}
    assert mail.outbox == []

    clock.shift(DAY)
    assert sweep() == {K.RETURN_DUE_SOON: 1}

    people = members(made)
    assert len(people) >= 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in people)
    message = mail.outbox[0]
    period = monitoring_return.period_label
    assert message.subject == (
        f"Your monitoring return for {period} is due on "
        f"{monitoring_return.due_on.day} {monitoring_return.due_on:%B %Y}"
    )
    assert "is due in 14 days" in message.body
    assert absolute_url(f"/returns/{monitoring_return.pk}/") in message.body


def test_each_reminder_leaves_a_notification_linking_to_its_page(sweep, client, clock):
    made, monitoring_return = one_return(due_on=today() + 14 * DAY)
    sweep()
    for person in members(made):
        notification = Notification.objects.get(user=person)
        assert notification.title.startswith("Your monitoring return for")
        assert notification.url == f"/returns/{monitoring_return.pk}/"
        assert notification.read_at is None
    person = members(made)[0]
    client.force_login(person)
    assert "Notifications (1 new)" in client.get("/notifications/").content.decode()


def test_members_are_reminded_on_the_due_date_and_not_the_day_before(sweep, clock):
    made, monitoring_return = one_return(due_on=today() + DAY)
    assert sweep() == {K.RETURN_DUE_SOON: 1}
    mail.outbox.clear()

    clock.shift(DAY)
    assert sweep() == {K.RETURN_DUE_TODAY: 1}
    assert {message.subject for message in mail.outbox} == {
        f"Your monitoring return for {monitoring_return.period_label} is due today"
    }
    assert len(mail.outbox) == len(members(made))


def test_members_are_reminded_once_a_return_is_overdue_and_not_on_the_due_date(sweep, clock):
    made, monitoring_return = one_return(due_on=today())
    assert sweep() == {K.RETURN_DUE_TODAY: 1}

    clock.shift(DAY)
    mail.outbox.clear()
    assert sweep() == {K.RETURN_OVERDUE: 1}
    assert {message.subject for message in mail.outbox} == {
        f"Your monitoring return for {monitoring_return.period_label} is overdue"
    }
    assert len(mail.outbox) == len(members(made))
    clock.shift(DAY)
    assert sweep() == {}


def test_the_lead_officer_is_told_when_a_return_is_10_days_overdue_and_not_before(sweep, clock):
    made, monitoring_return = one_return(due_on=today() - 9 * DAY)
    assert sweep() == {K.RETURN_OVERDUE: 1}
    lead = made.assessed.commission.lead_officer
    assert emails_to([lead]) == []

    clock.shift(DAY)
    mail.outbox.clear()
    assert sweep() == {K.RETURN_ESCALATED: 1}
    [message] = mail.outbox
    assert message.to == [lead.email]
    assert message.subject == (
        f"Monitoring return 10 days overdue: {made.organisation.name}, "
        f"{monitoring_return.period_label}"
    )
    assert f"/returns/{monitoring_return.pk}/" in message.body
    assert Notification.objects.filter(user=lead).count() == 1


def test_the_days_before_and_after_come_from_settings(sweep, settings, clock):
    settings.REMINDER_DAYS_BEFORE_DUE = 3
    settings.REMINDER_ESCALATE_AFTER_DAYS_OVERDUE = 2
    one_return(due_on=today() + 4 * DAY)
    assert sweep() == {}
    clock.shift(DAY)
    assert sweep() == {K.RETURN_DUE_SOON: 1}
    clock.shift(5 * DAY)  # two days overdue
    assert sweep() == {K.RETURN_OVERDUE: 1, K.RETURN_ESCALATED: 1}


@pytest.mark.parametrize("state", [ReturnState.SUBMITTED, ReturnState.ACCEPTED])
def test_a_return_submitted_or_accepted_gets_no_reminder(sweep, clock, state):
    one_return(due_on=today() - 20 * DAY, state=state)
    for _ in range(3):
        assert sweep() == {}
        clock.shift(-10 * DAY)  # before, on and after the due date
    assert mail.outbox == []
    assert not Reminder.objects.exists()


def test_a_return_sent_back_for_changes_is_reminded_as_overdue(sweep):
    made, monitoring_return = one_return(due_on=today() - DAY, state=ReturnState.CHANGES_REQUESTED)
    assert sweep() == {K.RETURN_OVERDUE: 1}
    assert "The council asked for changes to it" in mail.outbox[0].body


def test_returns_of_an_agreement_not_yet_accepted_get_no_reminder(sweep):
    made, monitoring_return = one_return(due_on=today())
    Agreement.objects.filter(pk=made.agreement.pk).update(state=AgreementState.ISSUED)
    assert K.RETURN_DUE_TODAY not in sweep()


# --- Exactly once -------------------------------------------------------------------------------


def test_the_sweep_run_twice_sends_one_email_per_reminder(sweep):
    made, monitoring_return = one_return(due_on=today() - 10 * DAY)
    first = sweep()
    assert first == {K.RETURN_OVERDUE: 1, K.RETURN_ESCALATED: 1}
    sent = len(mail.outbox)
    assert sent == len(members(made)) + 1

    assert sweep() == {}
    assert len(mail.outbox) == sent
    assert Email.objects.count() == sent
    assert Reminder.objects.count() == 2
    assert Notification.objects.count() == sent


class FailingOnceBackend(EmailBackend):
    """The mail server fails the first message it is given, then works."""

    failed = False

    def send_messages(self, messages):
        if not FailingOnceBackend.failed:
            FailingOnceBackend.failed = True
            raise ConnectionError("The mail server did not answer")
        return super().send_messages(messages)


def test_a_failed_email_is_retried_by_the_outbox_and_never_doubled(sweep, settings, clock):
    settings.EMAIL_BACKEND = "tests.monitoring.test_reminders.FailingOnceBackend"
    FailingOnceBackend.failed = False
    made, monitoring_return = one_return(due_on=today())
    sweep()
    people = members(made)
    assert len(mail.outbox) == len(people) - 1
    failed = Email.objects.get(status=Email.Status.QUEUED)
    assert failed.last_error == "ConnectionError: The mail server did not answer"

    assert sweep() == {}  # the sweep does not send it again
    clock.shift(dt.timedelta(minutes=1))
    assert outbox_drain().emails == 1  # the outbox does, after its back-off
    assert outbox_drain().emails == 0
    assert sorted(message.to[0] for message in mail.outbox) == sorted(p.email for p in people)


# --- Two sweeps at the same moment --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_send_each_reminder_once_on_postgresql(monkeypatch, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent inserts under a unique constraint: CI runs this on PostgreSQL")
    made, monitoring_return = one_return(due_on=today() - 10 * DAY)  # overdue, escalated
    _document(made.organisation, expires_on=today() + 5 * DAY)
    issued = agreement_made(state=AgreementState.ISSUED)
    Agreement.objects.filter(pk=issued.agreement.pk).update(issued_at=timezone.now() - 8 * DAY)

    # Both sweeps find every reminder unsent before either records one: then they race to
    # record each, and only the one whose INSERT made the row may send it.
    looked = threading.Barrier(2)
    find_due = reminders.reminders_due

    def both_look_first(*, today):
        found = list(find_due(today=today))
        looked.wait(timeout=20)
        return found

    monkeypatch.setattr(reminders, "reminders_due", both_look_first)
    results: list = []

    def sweep_now():
        try:
            results.append(reminders.reminders_send_due(today=timezone.localdate()))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep_now) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(results) == 2
    assert not [record for record in caplog.records if record.levelname == "ERROR"]
    expected = {
        K.RETURN_OVERDUE: 1,
        K.RETURN_ESCALATED: 1,
        K.COMPLIANCE_EXPIRING: 1,
        K.AGREEMENT_NOT_ACCEPTED: 1,
    }
    assert results[0] + results[1] == expected
    assert Reminder.objects.count() == 4
    lead = made.assessed.commission.lead_officer
    expected_to = (
        [p.email for p in members(made)] * 2  # the overdue return, the document
        + [lead.email]
        + [p.email for p in members(issued)]
    )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(expected_to)
    assert Email.objects.count() == len(expected_to)
    assert Notification.objects.count() == len(expected_to)


# --- Compliance documents and agreements -------------------------------------------------------


def test_members_are_reminded_30_days_before_a_compliance_document_expires(sweep, clock):
    made = agreement_made(state=AgreementState.ACCEPTED)
    document = _document(made.organisation, expires_on=today() + 31 * DAY)
    assert sweep() == {}

    clock.shift(DAY)
    assert sweep() == {K.COMPLIANCE_EXPIRING: 1}
    people = members(made)
    assert len(mail.outbox) == len(people)
    message = mail.outbox[0]
    assert message.subject == (
        f"The public liability insurance document for {made.organisation.name} expires on "
        f"{document.expires_on.day} {document.expires_on:%B %Y}"
    )
    compliance_url = f"/organisations/{made.organisation.pk}/compliance/"
    assert absolute_url(compliance_url) in message.body
    assert Notification.objects.filter(url=compliance_url).count() == len(people)
    clock.shift(DAY)
    assert sweep() == {}


def test_a_compliance_document_already_replaced_gets_no_reminder(sweep):
    made = agreement_made(state=AgreementState.ACCEPTED)
    _document(made.organisation, expires_on=today() + 10 * DAY)
    _document(made.organisation, expires_on=today() + 400 * DAY)
    assert sweep() == {}


def test_members_are_reminded_of_an_agreement_not_accepted_7_days_after_it_was_sent(sweep, clock):
    made = agreement_made(state=AgreementState.ISSUED)
    assert sweep() == {}
    clock.shift(6 * DAY)
    assert sweep() == {}

    clock.shift(DAY)
    assert sweep() == {K.AGREEMENT_NOT_ACCEPTED: 1}
    people = members(made)
    assert len(mail.outbox) == len(people)
    message = mail.outbox[0]
    reference = made.agreement.reference
    assert message.subject == f"Agreement {reference} is waiting for you to accept it"
    assert absolute_url(f"/agreements/{made.agreement.pk}/") in message.body
    clock.shift(DAY)
    assert sweep() == {}


def test_an_accepted_agreement_gets_no_reminder_to_accept_it(sweep, clock):
    agreement_made(state=AgreementState.ACCEPTED)
    clock.shift(30 * DAY)
    assert K.AGREEMENT_NOT_ACCEPTED not in sweep()


# --- Beat, the command, no broker --------------------------------------------------------------


def test_beat_runs_the_sweep_task_every_morning_in_london():
    entry = settings.CELERY_BEAT_SCHEDULE["reminders-send"]
    assert entry["task"] == tasks.reminders_send.name
    schedule = entry["schedule"]
    assert schedule.hour == {7} and schedule.minute == {0}
    assert settings.CELERY_TIMEZONE == "Europe/London"


def test_the_task_runs_the_sweep(django_capture_on_commit_callbacks):
    made, monitoring_return = one_return(due_on=today())
    with django_capture_on_commit_callbacks(execute=True):
        tasks.reminders_send.delay()
    assert Reminder.objects.get().kind == K.RETURN_DUE_TODAY
    assert len(mail.outbox) == len(members(made))


def test_send_reminders_runs_the_sweep_by_hand(django_capture_on_commit_callbacks):
    made, monitoring_return = one_return(due_on=today())
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert "Return due today: 1" in out.getvalue()
    assert len(mail.outbox) == len(members(made))

    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "No reminders to send" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_send_reminders_with_the_broker_down_records_them_and_the_drain_sends_each_once():
    made, monitoring_return = one_return(due_on=today())
    with broker_at(CLOSED_PORT_REDIS_URL):
        call_command("send_reminders", stdout=io.StringIO())
    assert Reminder.objects.get().kind == K.RETURN_DUE_TODAY
    assert mail.outbox == []
    assert Email.objects.filter(status=Email.Status.QUEUED).count() == len(members(made))

    call_command("outbox_drain", stdout=io.StringIO())
    call_command("send_reminders", stdout=io.StringIO())
    call_command("outbox_drain", stdout=io.StringIO())
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        person.email for person in members(made)
    )
