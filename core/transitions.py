"""The checks every lifecycle makes before a person moves a record on, and the words
people read about them.

Every condition of every transition says what it guards in words of its own, with
`@condition`: the sentence shown ticked or missing on the record's page, what is still
needed when it is not met, and where that is done. `transition_checklist` is the one
answer to "why can't I do this yet?" for every record with a state machine (commissions,
plans, bids, agreements, variations, opportunities); `transition_check` is the one set of
checks before an action is made (bids add a deadline check between the permission and the
conditions, so they keep their own order).

A transition marked `custom={"internal": True}` is made only by the portal itself (a plan
is superseded when its next version is published), never from a button. The words on a
transition's own confirmation page are `custom["explanation"]`; docstrings are for readers
of the code.
"""

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
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
    style: str  # "" (the primary button), "secondary" or "warning" (destructive)

    @property
    def destructive(self) -> bool:
        """It cancels, withdraws or refuses: shown as a warning link after the buttons."""
        return self.style == "warning"


def transition_actions_for(*, instance, user) -> list[Action]:
    """The buttons for the actions this person may take now, labelled by the machine, in
    the order a page shows them: the next step first (the one primary button), then other
    steps (secondary), then the destructive ones, `custom={"destructive": True}` (cancel,
    withdraw, reject…), last and never the primary button.

    A transition marked `custom={"secondary": True}` is never the primary button either."""
    steps, others, destructive = [], [], []
    for spec in transitions_for_user(instance=instance, user=user):
        label = spec.custom.get("label", spec.name)
        if spec.custom.get("destructive"):
            destructive.append(Action(spec.name, label, "warning"))
        elif spec.custom.get("secondary"):
            others.append(Action(spec.name, label, "secondary"))
        else:
            steps.append(Action(spec.name, label, ""))
    primary = steps[:1]
    others = [Action(a.name, a.label, "secondary") for a in steps[1:]] + others
    return primary + others + destructive


# --- What each condition says -------------------------------------------------------------------

#: Words about a record: a sentence, or a function of the record giving one.
Words = str | Callable[[Any], str]


@dataclass(frozen=True)
class ConditionWords:
    """What people read about one condition (or one permission) of a transition."""

    #: What must be true, as a whole sentence: shown ticked ("Done") or "Missing".
    label: Words
    #: What is still needed when it is not met, worded for the person who must do it: a
    #: sentence, or a function of the record giving one or several ("Answer question 3",
    #: "Answer question 5"). The label when not given.
    needed: str | Callable[[Any], str | Iterable[str]] | None = None
    #: Where it is done: a function of the record giving the address, or None.
    link: Callable[[Any], str] | None = None
    #: The permission the page at `link` checks against the record ("" when the page is
    #: open to whoever sees the checklist): the link is shown only to those who have it.
    link_permission: str = ""


#: While a page is read (`conditions_evaluated_once`): each condition's answer for each record,
#: by (condition, model, pk). None the rest of the time, when every call asks afresh.
_answers: ContextVar[dict | None] = ContextVar("transition_condition_answers", default=None)


@contextmanager
def conditions_evaluated_once() -> Iterator[None]:
    """Within it, each condition of each saved record is evaluated once and its answer
    reused: for a page that shows a record's checklist ("Still needed") and its buttons,
    which ask the same conditions. Only around reads: nothing that changes a record may run
    inside it, since the answers would not follow the change."""
    token = _answers.set({})
    try:
        yield
    finally:
        _answers.reset(token)


def page_loaded(instance, name: str):
    """Inside `conditions_evaluated_once`, what the page already loaded with the record: the
    records of its relation `name` (prefetched, as a list) or its annotation `name`; None
    when the page did not load it, and always None outside a page, where every condition
    asks afresh."""
    if _answers.get() is None:
        return None
    prefetched = getattr(instance, "_prefetched_objects_cache", {})
    if name in prefetched:
        return list(prefetched[name])
    return getattr(instance, name, None) if name in vars(instance) else None


def answered_once(function):
    """A function of a record (a condition, or what several conditions' words ask), answering
    from `conditions_evaluated_once` when inside it and afresh otherwise. Called with more
    than the record (a permission: the record and a person), it is always asked afresh."""

    @functools.wraps(function)
    def answered(instance, *args, **kwargs):
        answers = _answers.get()
        if answers is None or args or kwargs or instance.pk is None:
            return function(instance, *args, **kwargs)
        key = (function, type(instance), instance.pk)
        if key not in answers:
            answers[key] = function(instance)
        return answers[key]

    return answered


def condition(
    label: Words,
    *,
    needed: str | Callable[[Any], str | Iterable[str]] | None = None,
    link: Callable[[Any], str] | None = None,
    link_permission: str = "",
):
    """Give a transition's condition the words people read about it.

        @condition("At least one gap is recorded in the gap analysis.", link=gaps_url)
        def has_gap_analysis(self) -> bool: ...

    Every condition of every transition must carry them (`transition_checklist` refuses one
    that does not). A permission (a function of the record and the person) may carry them
    too, for an action whose page should say who may make it and why.

    `link_permission` is the rule the linked page checks (with the record): the checklist
    links only for someone who has it (`{% has_perm %}` in includes/checklist.html).
    """

    def decorate(function):
        function = answered_once(function)
        function.condition_words = ConditionWords(
            label=label, needed=needed, link=link, link_permission=link_permission
        )
        return function

    return decorate


def condition_words(function) -> ConditionWords | None:
    """The words a condition (or permission) carries, or None when it carries none."""
    return getattr(function, "condition_words", None)


@dataclass(frozen=True)
class ChecklistItem:
    """One thing an action needs, and whether it is there yet."""

    label: str
    met: bool
    url: str = ""
    #: When not met: what is still needed, one sentence each. Empty when met.
    needed: tuple[str, ...] = ()
    #: The condition's (or permission's) name in the machine, for code that asks after one.
    name: str = ""
    #: The rule the page at `url` checks, with `record`: "" when anyone seeing it may follow.
    url_permission: str = ""
    record: Any = field(default=None, compare=False, repr=False)

    def url_for(self, user) -> str:
        """Where it is done, when this person may open that page; otherwise ""."""
        if not self.url or (
            self.url_permission and not user.has_perm(self.url_permission, self.record)
        ):
            return ""
        return self.url


def _said(words: Words, instance) -> str:
    return words(instance) if callable(words) else words


def _item(words: ConditionWords, *, instance, met: bool, name: str) -> ChecklistItem:
    label = _said(words.label, instance)
    needed: tuple[str, ...] = ()
    if not met:
        said = words.needed(instance) if callable(words.needed) else words.needed
        if isinstance(said, str):
            said = [said]
        needed = tuple(sentence for sentence in (said or ()) if sentence) or (label,)
    url = words.link(instance) if words.link is not None else ""
    return ChecklistItem(
        label=label,
        met=met,
        url=url or "",
        needed=needed,
        name=name,
        url_permission=words.link_permission if url else "",
        record=instance,
    )


def transition_checklist(*, instance, name: str, user=None) -> list[ChecklistItem]:
    """What the action `name` needs before it can be made, and whether each is there yet:
    one item per condition of the transition, in the order the machine lists them. The
    transition is the one declared out of the record's current state, or else the first
    declared anywhere under that name (so an approver can still see what the plan they were
    sent has); no items when there is no transition of that name.

    With `user`, the transition's permission is an item too when it carries words of its
    own (`@condition` on the permission): who may make the action, and why.

    Raises ImproperlyConfigured for a condition that carries no words.
    """
    spec = transition_from_state(instance=instance, name=name) or next(
        (spec for spec in instance.get_all_state_transitions() if spec.name == name), None
    )
    if spec is None:
        return []
    items = []
    for check in spec.conditions:
        words = condition_words(check)
        if words is None:
            raise ImproperlyConfigured(
                f"The condition {check.__qualname__} of {type(instance).__name__}.{name} "
                "carries no words: decorate it with core.transitions.condition"
            )
        met = bool(check(instance))
        items.append(_item(words, instance=instance, met=met, name=check.__name__))
    permission_words = condition_words(spec.permission) if spec.permission else None
    if user is not None and permission_words is not None:
        met = spec.has_perm(instance, user)
        name = spec.permission.__name__
        items.append(_item(permission_words, instance=instance, met=met, name=name))
    return items


def checklist_problems(checklist: Iterable[ChecklistItem]) -> list[str]:
    """What is still needed, one sentence each, in the checklist's order."""
    return [sentence for item in checklist if not item.met for sentence in item.needed]


def transition_problems(*, instance, name: str, user=None) -> list[str]:
    """Why the action `name` cannot be made yet (its conditions, and with `user` a
    permission that carries words), one sentence each; empty when nothing is missing."""
    return checklist_problems(transition_checklist(instance=instance, name=name, user=user))


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
