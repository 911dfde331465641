"""Writes for feedback: providers give it online, officers record what they hear."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from commissioning.models import Area, Commission, CorporatePriority
from engagement.models import EngagementEvent, Feedback
from engagement.selectors.feedback import STATES_OPEN_FOR_FEEDBACK
from providers.models import Organisation


def _feedback_save(
    feedback: Feedback, *, priorities: Iterable[CorporatePriority], areas: Iterable[Area]
) -> Feedback:
    feedback.full_clean()
    feedback.save()
    feedback.priorities.set(priorities)
    feedback.areas.set(areas)
    return feedback


@transaction.atomic
def feedback_give(
    *,
    submitted_by,
    summary: str,
    text: str,
    commission: Commission | None = None,
    organisation: Organisation | None = None,
    priorities: Iterable[CorporatePriority] = (),
    areas: Iterable[Area] = (),
) -> Feedback:
    """A provider user sends feedback online: source "provider", received today.

    The commission must still be understanding needs or planning, and the organisation
    must be one the person belongs to.
    """
    if commission is not None and commission.state not in STATES_OPEN_FOR_FEEDBACK:
        raise ValidationError({"commission": "Select a commission that is open for feedback"})
    if organisation is not None and not (
        Organisation.objects.for_user(submitted_by).filter(pk=organisation.pk).exists()
    ):
        raise ValidationError({"organisation": "Select one of your organisations"})
    feedback = Feedback(
        source=Feedback.Source.PROVIDER,
        submitted_by=submitted_by,
        organisation=organisation,
        given_by=submitted_by.get_full_name(),
        commission=commission,
        summary=summary.strip(),
        text=text.strip(),
        received_on=timezone.localdate(),
    )
    return _feedback_save(feedback, priorities=priorities, areas=areas)


@transaction.atomic
def feedback_record(
    *,
    recorded_by,
    source: str,
    summary: str,
    text: str,
    received_on: dt.date,
    given_by: str = "",
    organisation: Organisation | None = None,
    commission: Commission | None = None,
    event: EngagementEvent | None = None,
    priorities: Iterable[CorporatePriority] = (),
    areas: Iterable[Area] = (),
) -> Feedback:
    """An officer records feedback heard from an individual, a community or a provider."""
    if received_on > timezone.localdate():
        raise ValidationError(
            {"received_on": "The date the feedback was received must be today or in the past"}
        )
    feedback = Feedback(
        source=source,
        given_by=given_by.strip(),
        organisation=organisation,
        recorded_by=recorded_by,
        commission=commission,
        event=event,
        summary=summary.strip(),
        text=text.strip(),
        received_on=received_on,
    )
    return _feedback_save(feedback, priorities=priorities, areas=areas)
