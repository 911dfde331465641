"""Emails the portal sends: links back to its pages, and messages made from a pair of
templates, `<template>_subject.txt` and `<template>_message.txt`, with the council's and
the service's names in their context. Services call these from tasks (run once the
transaction commits), never from views.

Every email is recorded (core.models.Email: to whom, template, subject, status, attempts,
when sent) in the current transaction, and delivered once it commits by a task
(`core.tasks.email_deliver`) that sends it once, retries a failure with back-off and
records the outcome (core.outbox). A mail server that is down delays an email, never
loses it, and never fails the page that queued it.
"""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string

from core.models import Email
from core.outbox import outbox_publish_on_commit, work_attempt


def absolute_url(path: str) -> str:
    """`path` on the portal's own domain, for a link in an email (http only for a local
    domain)."""
    domain = settings.SITE_DOMAIN
    scheme = "http" if domain.startswith(("127.0.0.1", "localhost")) else "https"
    return f"{scheme}://{domain}{path}"


def email_render(*, template: str, context: dict) -> tuple[str, str]:
    """The subject, on one line, and the body of the email `template` (a path without the
    `_subject.txt`/`_message.txt` ending)."""
    context = {"council": settings.COUNCIL, "service_name": settings.SERVICE_NAME, **context}
    subject = render_to_string(f"{template}_subject.txt", context)
    body = render_to_string(f"{template}_message.txt", context)
    return " ".join(subject.split()), body


def email_queue(
    *,
    to: str,
    subject: str,
    body: str,
    template: str = "",
    html_body: str = "",
    sealed_until: dt.datetime | None = None,
) -> Email:
    """Record an email to one address and deliver it once the current transaction commits.
    `sealed_until`: the deadline of the bid it is about, if any (see Email)."""
    email = Email.objects.create(
        to=to,
        subject=subject[: Email._meta.get_field("subject").max_length],
        body=body,
        html_body=html_body,
        template=template,
        sealed_until=sealed_until,
    )
    outbox_publish_on_commit(row=email)
    return email


def emails_send(
    *, people, template: str, context: dict, sealed_until: dt.datetime | None = None
) -> int:
    """One email to each person, addressed to them (`person` in the context): once each,
    and only to those with an email address. Returns how many were queued."""
    seen, queued = set(), 0
    for person in people:
        if person is None or not person.email or person.pk in seen:
            continue
        seen.add(person.pk)
        subject, body = email_render(template=template, context={**context, "person": person})
        email_queue(
            to=person.email,
            subject=subject,
            body=body,
            template=template,
            sealed_until=sealed_until,
        )
        queued += 1
    return queued


def emails_to_addresses_send(*, addresses: list[str], template: str, context: dict) -> int:
    """The same email to each address, one message each; returns how many were queued."""
    unique = list(dict.fromkeys(address for address in addresses if address))
    if not unique:
        return 0
    subject, body = email_render(template=template, context=context)
    for address in unique:
        email_queue(to=address, subject=subject, body=body, template=template)
    return len(unique)


def email_message_queue(*, message: EmailMessage, template: str) -> list[Email]:
    """Record a message made elsewhere (allauth's sign-up and password emails), one email
    per recipient, and deliver each once the current transaction commits."""
    text, html = message.body, ""
    if message.content_subtype == "html":
        text, html = "", message.body
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    return [
        email_queue(to=to, subject=message.subject, body=text, html_body=html, template=template)
        for to in message.to
    ]


def email_deliver(*, email_id: int) -> bool:
    """Send the queued email `email_id`, once, if it is due: it is marked sent in the same
    transaction that holds it locked, so two workers never both send it. A failure is
    recorded on the email and retried with back-off (core.outbox.work_attempt). Returns
    whether it was sent now."""
    return work_attempt(model=Email, pk=email_id, work=_email_send)


def _email_send(email: Email) -> None:
    message = EmailMultiAlternatives(subject=email.subject, body=email.body, to=[email.to])
    if email.html_body:
        if email.body:
            message.attach_alternative(email.html_body, "text/html")
        else:
            message.body = email.html_body
            message.content_subtype = "html"
    message.send()


def organisation_members(organisation) -> list:
    """The people who are members of a provider organisation, in the order they joined."""
    memberships = organisation.memberships.select_related("user").order_by("pk")
    return [membership.user for membership in memberships]


def organisation_members_email(
    *,
    organisation,
    template: str,
    context: dict,
    sealed_until: dt.datetime | None = None,
) -> int:
    """One email to each member of the organisation; returns how many were queued."""
    return emails_send(
        people=organisation_members(organisation),
        template=template,
        context=context,
        sealed_until=sealed_until,
    )
