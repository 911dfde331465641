"""Reminders: one sweep, run every morning by Celery beat (monitoring.tasks.reminders_send)
or by hand (`manage.py send_reminders`), that emails, and leaves a notification in the
portal for:

- the provider organisation's members, about each monitoring return of an agreement in
  delivery that they have not sent: REMINDER_DAYS_BEFORE_DUE days before it is due (or on
  the first sweep after that, while it is not yet due), on the day it is due, and once it
  is overdue;
- the commission's lead officer, once a return is REMINDER_ESCALATE_AFTER_DAYS_OVERDUE days
  overdue (escalation);
- the organisation's members, about a compliance document that expires within 30 days
  (the days after which the compliance page says "Expires soon"), unless a document of
  the same kind keeps them covered for longer;
- the organisation's members, about an agreement sent to them to accept and still not
  accepted REMINDER_AGREEMENT_ACCEPT_DAYS days later.

A return submitted or accepted gets no reminder; one sent back for changes is reminded like
one not yet sent (it is overdue once its due date has passed, as the portal shows it).

Each reminder is sent once. The sweep writes a Reminder row for (subject, kind) under a
unique constraint in the same transaction that queues its emails (core.emails: Email rows,
delivered once the transaction commits, a failure retried with back-off, never sent
twice) and its notifications. Only the sweep whose INSERT made the row sends: a second
sweep, or one running at the same moment in another worker, finds the row (or waits for the
first's transaction and then finds it) and sends nothing.
"""

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse

from core.emails import organisation_members
from core.notifications import people_notify
from core.templatetags.portal import govuk_date
from monitoring.models import EDITABLE_STATES, MonitoringReturn, Reminder, ReminderKind
from procurement.models import Agreement, AgreementState
from providers.models import ComplianceDocument
from providers.selectors import EXPIRES_SOON_DAYS

logger = logging.getLogger(__name__)

K = ReminderKind


def days_before_due() -> int:
    """How many days before a return is due its members are first reminded."""
    return settings.REMINDER_DAYS_BEFORE_DUE


def escalate_after_days_overdue() -> int:
    """How many days overdue a return is when its lead officer is told."""
    return settings.REMINDER_ESCALATE_AFTER_DAYS_OVERDUE


def agreement_accept_days() -> int:
    """How many days after an agreement is sent its members are reminded to accept it."""
    return settings.REMINDER_AGREEMENT_ACCEPT_DAYS


# --- Selectors: what is due a reminder today ---------------------------------------------------


def _not_yet_reminded(queryset: QuerySet, *, field: str, kind: str) -> QuerySet:
    sent = Reminder.objects.filter(kind=kind, **{field: OuterRef("pk")})
    return queryset.exclude(Exists(sent))


def returns_due_for_reminder(*, kind: str, today: dt.date) -> QuerySet[MonitoringReturn]:
    """The returns that should have the reminder `kind` today and have not had it: those
    of agreements in delivery that the provider has not sent (or must send again)."""
    returns = MonitoringReturn.objects.filter(
        agreement__state=AgreementState.ACCEPTED, state__in=EDITABLE_STATES
    )
    if kind == K.RETURN_DUE_SOON:
        soon = today + dt.timedelta(days=days_before_due())
        returns = returns.filter(due_on__gt=today, due_on__lte=soon)
    elif kind == K.RETURN_DUE_TODAY:
        returns = returns.filter(due_on=today)
    elif kind == K.RETURN_OVERDUE:
        returns = returns.filter(due_on__lt=today)
    elif kind == K.RETURN_ESCALATED:
        returns = returns.filter(
            due_on__lte=today - dt.timedelta(days=escalate_after_days_overdue())
        )
    else:
        raise ValueError(f"{kind} is not a reminder about a return")
    return (
        _not_yet_reminded(returns, field="monitoring_return", kind=kind)
        .select_related(
            "agreement__decision__bid__organisation",
            "agreement__decision__bid__opportunity__specification__commission__lead_officer",
        )
        .order_by("due_on", "pk")
    )


def compliance_documents_expiring(*, today: dt.date) -> QuerySet[ComplianceDocument]:
    """Compliance documents that expire within 30 days (today included) and are not yet
    reminded of, leaving out any the organisation has a document of the same kind to
    replace: one with no expiry date or a later one."""
    replaced_by = ComplianceDocument.objects.filter(
        organisation=OuterRef("organisation"), kind=OuterRef("kind")
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=OuterRef("expires_on")))
    documents = ComplianceDocument.objects.filter(
        expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=EXPIRES_SOON_DAYS)
    ).exclude(Exists(replaced_by))
    return (
        _not_yet_reminded(documents, field="compliance_document", kind=K.COMPLIANCE_EXPIRING)
        .select_related("organisation")
        .order_by("expires_on", "pk")
    )


def agreements_awaiting_acceptance(*, today: dt.date) -> QuerySet[Agreement]:
    """Agreements sent to the provider at least REMINDER_AGREEMENT_ACCEPT_DAYS days ago (by
    the date in Europe/London) and not yet accepted, nor reminded of."""
    sent_by = today - dt.timedelta(days=agreement_accept_days())
    agreements = Agreement.objects.filter(
        state=AgreementState.ISSUED, issued_at__isnull=False, issued_at__date__lte=sent_by
    )
    return (
        _not_yet_reminded(agreements, field="agreement", kind=K.AGREEMENT_NOT_ACCEPTED)
        .select_related("decision__bid__organisation")
        .order_by("issued_at", "pk")
    )


def reminders_due(*, today: dt.date) -> Iterator[tuple[str, models.Model]]:
    """Every (kind, subject) due a reminder today, not yet sent."""
    for kind in (K.RETURN_DUE_SOON, K.RETURN_DUE_TODAY, K.RETURN_OVERDUE, K.RETURN_ESCALATED):
        for monitoring_return in returns_due_for_reminder(kind=kind, today=today):
            yield kind, monitoring_return
    for document in compliance_documents_expiring(today=today):
        yield K.COMPLIANCE_EXPIRING, document
    for agreement in agreements_awaiting_acceptance(today=today):
        yield K.AGREEMENT_NOT_ACCEPTED, agreement


# --- What each reminder says, and to whom ------------------------------------------------------


@dataclass(frozen=True)
class Message:
    people: list
    template: str
    context: dict
    url: str  # the page it is about: a path on the portal
    summary: str  # the notification's short text


def _return_message(kind: str, monitoring_return: MonitoringReturn, today: dt.date) -> Message:
    agreement = monitoring_return.agreement
    organisation = agreement.organisation
    lead_officer = agreement.bid.opportunity.specification.commission.lead_officer
    context = {
        "monitoring_return": monitoring_return,
        "agreement": agreement,
        "organisation": organisation,
        "lead_officer": lead_officer,
        "days_to_go": (monitoring_return.due_on - today).days,
        "days_overdue": (today - monitoring_return.due_on).days,
    }
    summary = (
        f"Agreement {agreement.reference}, {organisation.name}. "
        f"Due on {govuk_date(monitoring_return.due_on)}."
    )
    return Message(
        people=[lead_officer] if kind == K.RETURN_ESCALATED else organisation_members(organisation),
        template=f"monitoring/email/reminder_{kind}",
        context=context,
        url=monitoring_return.get_absolute_url(),
        summary=summary,
    )


def _compliance_message(document: ComplianceDocument) -> Message:
    organisation = document.organisation
    return Message(
        people=organisation_members(organisation),
        template="monitoring/email/reminder_compliance_expiring",
        context={"document": document, "organisation": organisation},
        url=reverse("organisation_compliance", kwargs={"pk": organisation.pk}),
        summary=f"{organisation.name}. Expires on {govuk_date(document.expires_on)}.",
    )


def _agreement_message(agreement: Agreement) -> Message:
    organisation = agreement.organisation
    admins = [
        membership.user
        for membership in organisation.memberships.filter(role="admin").select_related("user")
    ]
    return Message(
        people=organisation_members(organisation),
        template="monitoring/email/reminder_agreement_not_accepted",
        context={"agreement": agreement, "organisation": organisation, "admins": admins},
        url=agreement.get_absolute_url(),
        summary=f"{organisation.name}. Sent on {govuk_date(agreement.issued_at)}.",
    )


def reminder_message(*, kind: str, subject: models.Model, today: dt.date) -> Message:
    if kind in (K.RETURN_DUE_SOON, K.RETURN_DUE_TODAY, K.RETURN_OVERDUE, K.RETURN_ESCALATED):
        return _return_message(kind, subject, today)
    if kind == K.COMPLIANCE_EXPIRING:
        return _compliance_message(subject)
    if kind == K.AGREEMENT_NOT_ACCEPTED:
        return _agreement_message(subject)
    raise ValueError(f"No reminder of kind {kind}")


# --- Services: sending -------------------------------------------------------------------------

_SUBJECT_FIELD = {
    MonitoringReturn: "monitoring_return",
    ComplianceDocument: "compliance_document",
    Agreement: "agreement",
}


def reminder_send(*, kind: str, subject: models.Model, today: dt.date) -> Reminder | None:
    """Send the reminder `kind` about `subject` (a return, compliance document or agreement)
    unless it has been sent: record it and queue its emails and notifications in one
    transaction. Returns the Reminder if this call sent it, None if it had been sent (by an
    earlier sweep, or by one running at the same moment)."""
    field = _SUBJECT_FIELD[type(subject)]
    with transaction.atomic():
        # INSERT under the unique constraint: when another sweep holds the same row in an
        # open transaction, this waits for it, then finds its row and sends nothing.
        reminder, created = Reminder.objects.get_or_create(kind=kind, **{field: subject})
        if not created:
            return None
        message = reminder_message(kind=kind, subject=subject, today=today)
        reminder.recipients = people_notify(
            people=message.people,
            template=message.template,
            context=message.context,
            url=message.url,
            body=message.summary,
        )
        reminder.save(update_fields=["recipients"])
    return reminder


def reminders_send_due(*, today: dt.date) -> Counter:
    """The daily sweep: send every reminder due `today` (a date in Europe/London) that has
    not been sent. Returns how many of each kind this sweep sent.

    Each reminder is its own transaction: one that fails (logged) is left unrecorded, to be
    tried again by the next sweep, and does not stop the others."""
    sent: Counter = Counter()
    for kind, subject in reminders_due(today=today):
        try:
            if reminder_send(kind=kind, subject=subject, today=today) is not None:
                sent[kind] += 1
        except SoftTimeLimitExceeded:
            raise  # the task's time is up: what is sent is recorded, the rest waits
        except Exception:
            logger.exception("The %s reminder about %r could not be sent", kind, subject)
    counts = ", ".join(f"{kind}: {count}" for kind, count in sent.items())
    logger.info("Reminders sent for %s: %s", today.isoformat(), counts or "none")
    return sent
