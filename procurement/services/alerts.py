"""Writes for opportunity alerts: a person sets up, changes or stops their alert; the sweep
(Celery beat's `procurement.tasks.opportunity_alerts_send`, every few minutes) emails each
person once about each new opportunity their alert matches.

Once per opportunity per person: the sweep writes an OpportunityAlertSent row under its
unique constraint in the same transaction that queues the email (core.emails: an Email
row, delivered once the transaction commits, retried with back-off, never sent twice).
Only the sweep whose INSERT made the row sends: a second sweep, or one running at the same
moment in another worker, finds the row (or waits for the first's transaction and then
finds it) and sends nothing.
"""

import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.urls import reverse

from core.emails import absolute_url, emails_send
from procurement.models import Opportunity, OpportunityAlert, OpportunityAlertSent
from procurement.selectors.alerts import alerts_due
from procurement.selectors.opportunities import opportunity_deadline_words

logger = logging.getLogger(__name__)


@transaction.atomic
def opportunity_alert_set(*, user, sectors, priorities, areas) -> OpportunityAlert:
    """Set up the person's alert, or change what it matches. Opportunities published
    before it was first set up are not sent."""
    alert, _ = OpportunityAlert.objects.get_or_create(user=user)
    alert.sectors.set(sectors)
    alert.priorities.set(priorities)
    alert.areas.set(areas)
    alert.save(update_fields=["updated_at"])
    return alert


def opportunity_alert_stop(*, user) -> None:
    """Stop the person's alert (and its feed's address)."""
    OpportunityAlert.objects.filter(user=user).delete()


def opportunity_alert_send(*, alert: OpportunityAlert, opportunity: Opportunity) -> bool:
    """Email the alert's person about `opportunity` unless they have been told of it:
    record it and queue the email in one transaction. Returns whether this call sent it."""
    with transaction.atomic():
        # INSERT under the unique constraint: when another sweep holds the same row in an
        # open transaction, this waits for it, then finds its row and sends nothing.
        _, created = OpportunityAlertSent.objects.get_or_create(
            opportunity=opportunity, user=alert.user
        )
        if not created:
            return False
        emails_send(
            people=[alert.user],
            template="procurement/email/opportunity_alert",
            context={
                "opportunity": opportunity,
                "deadline": opportunity_deadline_words(opportunity=opportunity),
                "opportunity_url": absolute_url(opportunity.get_absolute_url()),
                "alert_url": absolute_url(reverse("procurement:opportunity_alert")),
            },
        )
    return True


def opportunity_alerts_send_due() -> int:
    """The sweep: tell each person with an alert of each new opportunity it matches, once.
    Returns how many emails this sweep sent. Each is its own transaction: one that fails
    (logged) is left unrecorded, to be tried by the next sweep."""
    sent = 0
    for alert, opportunity in alerts_due():
        try:
            sent += opportunity_alert_send(alert=alert, opportunity=opportunity)
        except SoftTimeLimitExceeded:
            raise
        except Exception:
            logger.exception("The alert of %r to %s could not be sent", opportunity, alert.user)
    logger.info("Opportunity alerts sent: %d", sent)
    return sent
