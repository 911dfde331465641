"""Writes for clarification questions: a bidder asks privately before the deadline; the
officer publishes the question (with anything identifying removed) and the answer for
everyone. The asker is told; so is everyone who has started a bid."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.emails import absolute_url, emails_send
from core.models import User
from core.outbox import outbox_enqueue
from procurement.models import Clarification, Opportunity
from procurement.selectors import clarifications as selectors
from procurement.selectors.opportunities import Status, opportunity_status
from providers.models import Organisation

DEADLINE_PASSED = "The deadline has passed, so questions can no longer be asked"
NOT_PUBLISHED = "Questions can be asked once the opportunity is published"


class ClarificationRefused(ValidationError):
    """A question could not be asked or answered; the message says why."""


def clarification_ask(
    *,
    opportunity: Opportunity,
    user: User,
    question: str,
    organisation: Organisation | None = None,
) -> Clarification:
    """Ask a question privately about a published opportunity, before its deadline. Only
    council staff see who asked. The lead officer is emailed that a question is waiting."""
    status = opportunity_status(opportunity=opportunity)
    if status == Status.DRAFT:
        raise ClarificationRefused(NOT_PUBLISHED)
    if status == Status.CLOSED:
        raise ClarificationRefused(DEADLINE_PASSED)
    if organisation is not None and not (
        Organisation.objects.for_user(user).filter(pk=organisation.pk).exists()
    ):
        raise ClarificationRefused({"organisation": "Select one of your organisations"})
    if not question.strip():
        raise ClarificationRefused({"question": "Enter your question"})
    with transaction.atomic():
        clarification = Clarification.objects.create(
            opportunity=opportunity,
            question=question.strip(),
            asked_by=user,
            organisation=organisation,
        )
        _email_enqueue(clarification.pk, "asked")
    return clarification


def clarification_publish(
    *, clarification: Clarification, user: User, published_question: str, answer: str
) -> Clarification:
    """Publish the question, as edited by the officer, and its answer on the opportunity's
    page, without naming who asked. Emails the asker that it is answered, and everyone
    who has started a bid that a new clarification is published.

    A published answer is part of the record every bidder relies on, so it is not changed.
    """
    errors = {}
    if not published_question.strip():
        errors["published_question"] = "Enter the question as it will be published"
    if not answer.strip():
        errors["answer"] = "Enter the answer"
    if errors:
        raise ClarificationRefused(errors)
    with transaction.atomic():
        locked = Clarification.objects.select_for_update().get(pk=clarification.pk)
        if locked.published_at is not None:
            raise ClarificationRefused("This answer has already been published")
        locked.published_question = published_question.strip()
        locked.answer = answer.strip()
        locked.answered_by = user
        locked.published_at = timezone.now()
        locked.save(update_fields=["published_question", "answer", "answered_by", "published_at"])
        _email_enqueue(locked.pk, "answered")
        _email_enqueue(locked.pk, "published")
    return locked


# --- Emails -----------------------------------------------------------------------------------


def _email_enqueue(clarification_id: int, kind: str) -> None:
    from procurement import tasks

    outbox_enqueue(task=tasks.clarification_email_send, args=[clarification_id, kind])


def _recipients(*, clarification: Clarification, kind: str) -> list[User]:
    if kind == "asked":
        lead = clarification.opportunity.specification.commission.lead_officer
        return [lead] if lead and lead.is_active else []
    if kind == "answered":
        asker = clarification.asked_by
        return [asker] if asker and asker.is_active else []
    if kind == "published":
        return list(selectors.clarification_bidders(clarification=clarification))
    raise ValueError(f"Unknown clarification email: {kind}")


def clarification_email_send(*, clarification: Clarification, kind: str) -> int:
    """Email each person concerned, one message each: the lead officer that a question was
    asked (`kind="asked"`), the asker that it is answered (`"answered"`), or those who have
    started a bid that a new clarification is published (`"published"`). Returns how many
    were sent."""
    opportunity = clarification.opportunity
    return emails_send(
        people=_recipients(clarification=clarification, kind=kind),
        template=f"procurement/email/clarification_{kind}",
        context={
            "clarification": clarification,
            "opportunity": opportunity,
            "opportunity_url": absolute_url(opportunity.get_absolute_url()) + "#clarifications",
            "answer_url": absolute_url(
                reverse("procurement:clarification_answer", kwargs={"pk": clarification.pk})
            ),
        },
    )
