"""Notifications in the portal: what the portal emails a person about (a reminder, news of
their monitoring return) is also left on their notifications page, counted in the header
until they open it, and linking to the page it is about.

`people_notify` is the one way to do both: the email (core.emails, delivered once the
transaction commits) and the notification are written in the caller's transaction, so a
person gets both or neither.
"""

from django.db.models import Count, Q, QuerySet, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from core.emails import absolute_url, email_queue, email_render
from core.models import Notification, User

# --- Services ---------------------------------------------------------------------------------


def notifications_create(*, people, title: str, url: str, body: str = "") -> list[Notification]:
    """One notification for each person (once each), titled `title`, linking to `url` (a
    path on the portal)."""
    users = list({person.pk: person for person in people if person is not None}.values())
    return Notification.objects.bulk_create(
        Notification(user=user, title=title[:300], body=body, url=url) for user in users
    )


def people_notify(*, people, template: str, context: dict, url: str, body: str = "") -> int:
    """Email each person the message `template` (core.emails: `<template>_subject.txt` and
    `_message.txt`, with `person` and `url`, the page's full address, in the context) and
    leave them a notification titled as the email's subject, with `body` as its short text,
    linking to `url` (a path on the portal). Once per person. Returns how many emails were
    queued."""
    seen: set[int] = set()
    notifications, queued = [], 0
    link = absolute_url(url)
    for person in people:
        if person is None or person.pk in seen:
            continue
        seen.add(person.pk)
        subject, message = email_render(
            template=template, context={**context, "person": person, "url": link}
        )
        if person.email:
            email_queue(to=person.email, subject=subject, body=message, template=template)
            queued += 1
        notifications.append(Notification(user=person, title=subject[:300], body=body, url=url))
    Notification.objects.bulk_create(notifications)
    return queued


def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark the notification read (the first time it is opened; opening it again keeps the
    first time)."""
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


# --- Selectors --------------------------------------------------------------------------------


def notifications_for_user(*, user: User) -> QuerySet[Notification]:
    """The person's notifications, the newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def notifications_latest_get(*, user: User, limit: int) -> tuple[list[Notification], int]:
    """The person's `limit` newest notifications and how many of all theirs they have not
    opened, in one query (with none at all, none are unread); the header's count reuses
    it."""
    latest = list(
        notifications_for_user(user=user).annotate(
            unread_in_all=Window(Count("pk", filter=Q(read_at__isnull=True)))
        )[:limit]
    )
    unread = latest[0].unread_in_all if latest else 0
    user._portal_unread_notifications = unread
    return latest, unread


def notification_get(*, user: User, pk: int) -> Notification:
    """The person's own notification `pk`: Notification.DoesNotExist for anyone else's."""
    return Notification.objects.get(user=user, pk=pk)


def notifications_unread_count(*, user: User) -> int:
    """How many of the person's notifications they have not opened: one COUNT query a
    request (kept on the user object, new each request, so the header and a page that shows
    the number share it)."""
    count = getattr(user, "_portal_unread_notifications", None)
    if count is None:
        count = Notification.objects.filter(user=user).unread().count()
        user._portal_unread_notifications = count
    return count


def notification_destination(*, notification: Notification) -> str:
    """Where opening the notification takes the person: its page on the portal, or their
    notifications if the link is not a path on this site."""
    url = notification.url
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return reverse("notifications")
