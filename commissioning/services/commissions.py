"""Writes for commissions. The one way to move a commission through its lifecycle."""

from django.db import transaction
from django_fsm import ConcurrentTransition
from django_fsm_log.models import StateLog

from commissioning.models import Commission
from core.models import User
from core.transitions import transition_check


class CommissionChanged(Exception):
    """Someone else moved the commission on while this person was looking at it."""

    message = (
        "This commission was changed by someone else while you were looking at it. "
        "Check where it is now before you try again."
    )


def commission_transition(
    *,
    commission: Commission,
    name: str,
    user: User,
    reason: str = "",
    seen_state: str | None = None,
) -> Commission:
    """Run transition `name` as `user`, record who and why, and save.

    Raises TransitionNotAllowed when there is no such action, the commission is not in a
    state to allow it or a condition is not met, PermissionDenied when the person may not
    make it, ValidationError when a reason is required and missing, and CommissionChanged
    when someone else moved the commission first (the state they saw, or the state saved
    since, differs).
    """
    if seen_state is not None and commission.state != seen_state:
        raise CommissionChanged(CommissionChanged.message)
    method = transition_check(instance=commission, name=name, user=user, reason=reason)
    try:
        with transaction.atomic():
            method(by=user, description=reason.strip() or None)
            commission.save()
            _after_transition(commission=commission, name=name, user=user)
    except ConcurrentTransition as exc:
        commission.refresh_from_db()
        raise CommissionChanged(CommissionChanged.message) from exc
    return commission


APPROVAL_REQUESTS = ("request_plan_approval", "request_award_approval")


def _after_transition(*, commission: Commission, name: str, user: User) -> None:
    """What a transition sets going, inside the same transaction: approvers are told of a
    request for their approval once it commits; approving the awards makes the decisions."""
    if name in APPROVAL_REQUESTS:
        from commissioning import tasks
        from core.outbox import outbox_enqueue

        outbox_enqueue(task=tasks.approval_requested_email_send, args=[commission.pk, name])
    if name == "approve_awards":
        from procurement.services.awards import awards_approve

        awards_approve(commission=commission, approved_by=user)


def _next_reference(year: int) -> str:
    prefix = f"COM-{year}-"
    last = (
        Commission.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:03d}"


@transaction.atomic
def commission_create(*, created_by: User, priorities, themes=(), areas, **fields) -> Commission:
    """A new commission in draft, with the next reference for this year (COM-2026-001)."""
    from django.utils import timezone

    commission = Commission(created_by=created_by, **fields)
    commission.reference = _next_reference(timezone.localdate().year)
    commission.full_clean(exclude=["state", "reference"])
    commission.save()
    commission.priorities.set(priorities)
    commission.themes.set(themes)
    commission.areas.set(areas)
    return commission


@transaction.atomic
def commission_update(
    *, commission: Commission, priorities, themes=(), areas, **fields
) -> Commission:
    for name, value in fields.items():
        setattr(commission, name, value)
    commission.full_clean(exclude=["state", "reference"])
    commission.save()
    commission.priorities.set(priorities)
    commission.themes.set(themes)
    commission.areas.set(areas)
    return commission


def approval_requested_email_send(*, commission: Commission, name: str) -> int:
    """Email every approver who may approve what `name` (an approval request) asked for:
    never the person who asked, nor anyone else the rules bar from approving it. Returns
    how many were sent."""
    from commissioning import rules
    from core.emails import absolute_url, emails_send
    from core.roles import Role

    awards = name == "request_award_approval"
    may_approve = rules.can_approve_award if awards else rules.can_approve_plan
    approvers = User.objects.filter(groups__name=Role.APPROVER.value, is_active=True)
    people = [person for person in approvers.order_by("pk") if may_approve(commission, person)]
    requested_by = commission.award_requested_by if awards else commission.plan_requested_by
    log = StateLog.objects.for_(commission).filter(transition=name).order_by("-timestamp").first()
    return emails_send(
        people=people,
        template="commissioning/email/approval_requested",
        context={
            "commission": commission,
            "awards": awards,
            "requested_by": requested_by,
            "reason": (log.description or "") if log else "",
            "commission_url": absolute_url(commission.get_absolute_url()),
        },
    )
