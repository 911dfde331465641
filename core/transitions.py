"""The checks every lifecycle makes before a person moves a record on.

Commissions and Commissioning Plans use these (bids add a deadline check between the
permission and the conditions, so they keep their own order). A transition marked
`custom={"internal": True}` is made only by the portal itself (a plan is superseded when
its next version is published), never from a button.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import Transition, TransitionNotAllowed


def transition_spec_get(*, instance, name: str) -> Transition:
    """The transition a person may ask for by `name`, in any state.

    TransitionNotAllowed when there is no such action, or it is internal.
    """
    for spec in instance.get_all_state_transitions():
        if spec.name == name and not spec.custom.get("internal"):
            return spec
    raise TransitionNotAllowed(f"{name} is not an action anyone can take")


def transition_from_state(*, instance, name: str) -> Transition | None:
    """The transition `name` declared out of the record's current state (internal ones
    too), whatever its permission and conditions say; None when there is none."""
    state = instance.state
    return next(
        (
            spec
            for spec in instance.get_all_state_transitions()
            if spec.name == name and spec.source in (state, "*")
        ),
        None,
    )


def transition_spec_available(*, instance, name: str) -> Transition | None:
    """The transition `name` if the record's state and the transition's conditions allow it
    now, otherwise None. TransitionNotAllowed when there is no such action at all."""
    transition_spec_get(instance=instance, name=name)
    for spec in instance.get_available_state_transitions():
        if spec.name == name:
            return spec
    return None


def transitions_for_user(*, instance, user) -> list[Transition]:
    """The actions this person may take now: allowed by state, conditions and permission."""
    return [
        spec
        for spec in instance.get_available_user_state_transitions(user)
        if not spec.custom.get("internal")
    ]


@dataclass(frozen=True)
class Action:
    """A button on a record's page, built from the state machine."""

    name: str
    label: str
    style: str  # "", "secondary" or "warning"


def transition_actions_for(*, instance, user) -> list[Action]:
    """The buttons for the actions this person may take now, labelled by the machine."""
    actions = []
    for spec in transitions_for_user(instance=instance, user=user):
        style = "warning" if spec.custom.get("warning") else ""
        style = "secondary" if spec.custom.get("secondary") else style
        actions.append(Action(spec.name, spec.custom.get("label", spec.name), style))
    return actions


def transition_check(*, instance, name: str, user, reason: str = "") -> Callable:
    """The bound transition method, once every check has passed.

    Raises TransitionNotAllowed when there is no such action or the record is not in a
    state to allow it, PermissionDenied when this person may not make it, TransitionNotAllowed
    when a condition is not met, and ValidationError when reasons are required and missing.
    """
    transition_spec_get(instance=instance, name=name)
    spec = transition_from_state(instance=instance, name=name)
    if spec is None:
        raise TransitionNotAllowed(f"Cannot {name} from {instance.state}")
    if not spec.has_perm(instance, user):
        raise PermissionDenied("You may not do that")
    if not all(condition(instance) for condition in spec.conditions):
        raise TransitionNotAllowed("Conditions not met")
    if spec.custom.get("reason_required") and not reason.strip():
        raise ValidationError({"reason": "Enter the reasons"})
    return getattr(instance, name)
