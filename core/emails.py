"""Emails the portal sends: links back to its pages, and messages made from a pair of
templates, `<template>_subject.txt` and `<template>_message.txt`, with the council's and
the service's names in their context. Services call these from tasks (run once the
transaction commits), never from views.
"""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string


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


def emails_send(*, people, template: str, context: dict) -> int:
    """One email to each person, addressed to them (`person` in the context): once each,
    and only to those with an email address. Returns how many were sent."""
    seen, messages = set(), []
    for person in people:
        if person is None or not person.email or person.pk in seen:
            continue
        seen.add(person.pk)
        subject, body = email_render(template=template, context={**context, "person": person})
        messages.append((subject, body, None, [person.email]))
    return send_mass_mail(messages) if messages else 0


def organisation_members(organisation) -> list:
    """The people who are members of a provider organisation, in the order they joined."""
    memberships = organisation.memberships.select_related("user").order_by("pk")
    return [membership.user for membership in memberships]


def organisation_members_email(*, organisation, template: str, context: dict) -> int:
    """One email to each member of the organisation; returns how many were sent."""
    return emails_send(
        people=organisation_members(organisation), template=template, context=context
    )
