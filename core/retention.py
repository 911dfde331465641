"""Personal data (UK GDPR): how long each kind of record is kept (settings.RETENTION, shown
on the privacy notice), the nightly sweep that removes what is past its period, and closing
a person's account by anonymising it.

The published record stays whole: decisions, the 360Giving data and plans name the
organisation, never the person, so removing a person changes none of them. A person's account
row is kept (the records it touched still point at it) but says nothing about them any more.
Every function here is safe to run twice: each only touches what it has not done yet.
"""

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.models import ClosureRequest, Email, Notification, OutboxTask, PersonalDataEvent

log = logging.getLogger(__name__)

ANONYMISED_DOMAIN = "anonymised.invalid"
ANONYMISED_NAME = "Former user"


def retention_period(key: str) -> int:
    return int(settings.RETENTION[key])


def _years_ago(now: dt.datetime, years: int) -> dt.datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def _plural(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


# --- The privacy notice's table ---------------------------------------------------------------


@dataclass(frozen=True)
class NoticeRow:
    record: str
    kept: str


def retention_notice_rows() -> list[NoticeRow]:
    """The privacy notice's "How long we keep each kind of record", made from RETENTION."""
    r = retention_period
    return [
        NoticeRow(
            "Bids that are funded, agreements and monitoring returns",
            f"{_plural(r('funded_records'), 'year')} after the agreement ends",
        ),
        NoticeRow(
            "Documents attached to bids that are not funded",
            f"{_plural(r('unsuccessful_bid_files'), 'year')} after the decision",
        ),
        NoticeRow(
            "Event bookings, including access needs",
            f"{_plural(r('event_bookings'), 'year')} after the event",
        ),
        NoticeRow(
            "The name of who gave feedback",
            f"{_plural(r('feedback'), 'year')} after we received it",
        ),
        NoticeRow(
            "Your account",
            "Until you ask us to close it, or "
            f"{_plural(r('inactive_provider_accounts'), 'year')} after you last signed in",
        ),
        NoticeRow(
            "The text of emails we sent you",
            f"{_plural(r('email_log'), 'day')} after we sent them",
        ),
        NoticeRow("Notifications in the portal", f"{_plural(r('notifications'), 'day')}"),
        NoticeRow(
            "Records of signing in and failed attempts to sign in",
            f"{_plural(r('axes_attempts'), 'day')}",
        ),
        NoticeRow("Published award decisions", "Permanently, as part of the public record"),
    ]


# --- Anonymising one person -----------------------------------------------------------------


def _axes_models():
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return AccessAttempt, AccessFailureLog, AccessLog


def is_anonymised(user) -> bool:
    return user.email.endswith("@" + ANONYMISED_DOMAIN)


@transaction.atomic
def user_anonymise(*, user, actor=None, note: str = "") -> bool:
    """Close a person's account: name and email replaced, password unusable, signed out
    everywhere, memberships and roles removed; what they wrote stays but no longer names
    them. Recorded as a PersonalDataEvent that says it happened, not what was removed.
    Returns False (and does nothing) when the account is already anonymised."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from engagement.models import Booking, Feedback
    from procurement.models import Clarification
    from providers.models import Invitation, JoinRequest, Membership

    User = get_user_model()
    user = User.objects.select_for_update().get(pk=user.pk)
    if is_anonymised(user):
        return False
    old_email = user.email

    # What they wrote is kept, without their name on it.
    Clarification.objects.filter(asked_by=user).update(asked_by=None)
    Feedback.objects.filter(submitted_by=user).update(submitted_by=None, given_by="")
    Booking.objects.filter(user=user).update(access_needs="")
    JoinRequest.objects.filter(user=user).update(message="")
    Invitation.objects.filter(email__iexact=old_email).update(
        email=f"invitation-{uuid.uuid4().hex[:12]}@{ANONYMISED_DOMAIN}"
    )
    Membership.objects.filter(user=user).delete()
    Notification.objects.filter(user=user).delete()
    Email.objects.filter(to__iexact=old_email).update(
        to=f"removed@{ANONYMISED_DOMAIN}", subject="(removed)", body="", html_body=""
    )
    for model in _axes_models():
        model.objects.filter(username__iexact=old_email).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()

    user.email = f"user-{user.pk}@{ANONYMISED_DOMAIN}"
    user.full_name = ANONYMISED_NAME
    user.job_title = ""
    user.is_active = False  # signs them out everywhere (core.sessions)
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    from core.sessions import sessions_end_for_user

    sessions_end_for_user(user_id=user.pk)

    ClosureRequest.objects.filter(user=user, status=ClosureRequest.Status.PENDING).update(
        status=ClosureRequest.Status.DONE, done_at=timezone.now()
    )
    PersonalDataEvent.objects.create(
        kind=PersonalDataEvent.Kind.ACCOUNT_ANONYMISED, subject_id=user.pk, actor=actor, note=note
    )
    # The audit trail (core.audit) says it happened and who did it, not what was removed.
    from core.audit import AuditKind, audit_record

    audit_record(
        kind=AuditKind.CHANGED,
        user=actor,
        object_type="core.user",
        object_id=user.pk,
        detail=": ".join(filter(None, ["Account closed and anonymised", note])),
    )
    return True


def closure_request_make(*, user, reason: str = "") -> ClosureRequest:
    """Ask for one's account to be closed: one request waits at a time."""
    with transaction.atomic():
        request = ClosureRequest.objects.filter(
            user=user, status=ClosureRequest.Status.PENDING
        ).first()
        if request is None:
            request = ClosureRequest.objects.create(user=user, reason=reason)
            PersonalDataEvent.objects.create(
                kind=PersonalDataEvent.Kind.CLOSURE_REQUESTED, subject_id=user.pk, actor=user
            )
    return request


# --- The nightly sweep ------------------------------------------------------------------------


def _delete_files(queryset) -> int:
    """Delete each row's stored file and then the row; a file already gone is no matter."""
    count = 0
    for row in queryset.iterator():
        if row.file:
            try:
                row.file.delete(save=False)
            except OSError:  # already gone, or the storage refused: the row goes anyway
                log.warning("retention: could not delete %s", row.file.name)
        row.delete()
        count += 1
    return count


def retention_apply(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remove or anonymise everything past its retention period; returns what was done,
    by kind (all zeros when there was nothing to do, as on a second run)."""
    from engagement.models import Booking, Feedback
    from procurement.models import BidAttachment
    from procurement.models.awards import Outcome

    now = now or timezone.now()
    done: dict[str, int] = {}

    # Documents of bids not funded, once the decision is old enough.
    decided_before = _years_ago(now, retention_period("unsuccessful_bid_files")).date()
    done["unsuccessful_bid_files"] = _delete_files(
        BidAttachment.objects.filter(
            bid__decision__outcome=Outcome.UNSUCCESSFUL,
            bid__decision__approved_at__isnull=False,
            bid__decision__decided_on__lt=decided_before,
        )
    )

    # Access needs given when booking an event, once the event is old enough.
    done["event_bookings"] = (
        Booking.objects.filter(
            event__ends_at__lt=_years_ago(now, retention_period("event_bookings"))
        )
        .exclude(access_needs="")
        .update(access_needs="")
    )

    # Who gave feedback: the feedback stays (it shaped plans), the name goes.
    feedback_before = _years_ago(now, retention_period("feedback")).date()
    old_feedback = Feedback.objects.filter(received_on__lt=feedback_before)
    done["feedback"] = old_feedback.exclude(given_by="", submitted_by=None).update(
        given_by="", submitted_by=None
    )

    # Provider accounts nobody has used for long enough.
    User = get_user_model()
    idle_since = _years_ago(now, retention_period("inactive_provider_accounts"))
    from django.db.models import Q

    idle = (
        User.objects.filter(is_staff=False, is_superuser=False)
        .exclude(email__endswith="@" + ANONYMISED_DOMAIN)
        .filter(
            Q(last_login__lt=idle_since) | Q(last_login__isnull=True, date_joined__lt=idle_since)
        )
    )
    from core.rules import is_council_staff

    anonymised = 0
    for user in idle.iterator():
        if is_council_staff.test(user):
            continue
        if user_anonymise(user=user, note="Not signed in within the retention period"):
            anonymised += 1
    done["inactive_provider_accounts"] = anonymised

    # Emails' text (password-reset links among them), once sent or given up.
    email_before = now - dt.timedelta(days=retention_period("email_log"))
    done["email_log"] = (
        Email.objects.filter(created_at__lt=email_before)
        .exclude(status=Email.Status.QUEUED)
        .exclude(body="", html_body="")
        .update(body="", html_body="")
    )

    done["notifications"] = Notification.objects.filter(
        created_at__lt=now - dt.timedelta(days=retention_period("notifications"))
    ).delete()[0]

    done["outbox_done"] = OutboxTask.objects.filter(
        status=OutboxTask.Status.DONE,
        done_at__lt=now - dt.timedelta(days=retention_period("outbox_done")),
    ).delete()[0]

    attempts_before = now - dt.timedelta(days=retention_period("axes_attempts"))
    done["axes_attempts"] = sum(
        model.objects.filter(attempt_time__lt=attempts_before).delete()[0]
        for model in _axes_models()
    )

    if any(done.values()):
        PersonalDataEvent.objects.create(
            kind=PersonalDataEvent.Kind.RETENTION_APPLIED,
            note=", ".join(f"{key} {count}" for key, count in done.items() if count)[:300],
        )
    return done
