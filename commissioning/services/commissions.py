"""Writes for commissions. The one way to move a commission through its lifecycle."""

from django.db import transaction
from django_fsm import ConcurrentTransition

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


def _after_transition(*, commission: Commission, name: str, user: User) -> None:
    """What a transition sets going in other stages, inside the same transaction."""
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
