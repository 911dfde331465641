"""Every state machine in the portal says why an action is not available yet in words of its
own: each condition of each transition carries them (`core.transitions.condition`), and
each action a person can take says what it does. Adding a bare condition fails here."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django_fsm import FSMFieldMixin

from commissioning.models import Commission, CommissionState
from core.transitions import condition_words, transition_checklist
from tests.factories import CommissionFactory


def _transitions():
    """(model, transition) for every transition of every FSM field of every model, once
    per name."""
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, FSMFieldMixin):
                continue
            seen = set()
            for transition in field.get_all_transitions(model):
                if transition.name not in seen:
                    seen.add(transition.name)
                    found.append((model, transition))
    return found


TRANSITIONS = _transitions()


def test_every_machine_is_looked_at():
    models = {model.__name__ for model, _ in TRANSITIONS}
    assert {
        "Commission",
        "CommissioningPlan",
        "Bid",
        "Agreement",
        "Variation",
        "Opportunity",
    } <= models


@pytest.mark.parametrize(
    ("model", "transition"),
    [
        pytest.param(model, transition, id=f"{model.__name__}.{transition.name}")
        for model, transition in TRANSITIONS
    ],
)
def test_every_condition_carries_its_words(model, transition):
    for check in transition.conditions:
        words = condition_words(check)
        assert words is not None, (
            f"{model.__name__}.{transition.name}: the condition {check.__name__} carries no "
            "words; decorate it with core.transitions.condition"
        )
        assert isinstance(words.label, str) or callable(words.label)
        assert words.label, f"{model.__name__}.{check.__name__} has an empty label"


@pytest.mark.parametrize(
    ("model", "transition"),
    [
        pytest.param(model, transition, id=f"{model.__name__}.{transition.name}")
        for model, transition in TRANSITIONS
        if not transition.custom.get("internal")
    ],
)
def test_every_action_a_person_takes_says_what_it_does(model, transition):
    assert transition.custom.get("label"), f"{model.__name__}.{transition.name} has no label"
    assert transition.custom.get("explanation"), (
        f"{model.__name__}.{transition.name} has no explanation for its confirmation page"
    )


@pytest.mark.django_db
def test_a_condition_without_words_is_refused_rather_than_shown_as_its_docstring(monkeypatch):
    commission = CommissionFactory(state=CommissionState.UNDERSTANDING)
    monkeypatch.delattr(Commission.has_gap_analysis, "condition_words")

    with pytest.raises(ImproperlyConfigured, match="has_gap_analysis"):
        transition_checklist(instance=commission, name="start_planning")
