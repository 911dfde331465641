"""Submitting needs a complete return: each missing part is named on the check-answers
page, with a link to where it is filled in, and the return stays a draft."""

from decimal import Decimal

import pytest
from django_fsm import TransitionNotAllowed

from core.transitions import transition_checklist, transition_problems
from monitoring.models import ReturnState
from monitoring.services import return_transition
from tests.monitoring.factories import agreement_in_delivery, return_filled
from tests.procurement.factories_agreements import org_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def made():
    return agreement_in_delivery(months=12)


@pytest.mark.parametrize(
    ("spoil", "problem"),
    [
        (lambda r: r.actuals.all().delete(), "Enter the actual for People supported (people)"),
        (
            lambda r: setattr(r, "outcomes_narrative", ""),
            "Write what the service achieved towards its outcomes",
        ),
        (lambda r: setattr(r, "spend_in_period", None), "Enter how much was spent in the period"),
        (
            lambda r: r.actuals.update(value=Decimal("51")),  # over twice 25
            "Confirm the actuals that are more than twice this period's share of the target",
        ),
        (
            lambda r: setattr(r, "spend_in_period", Decimal("30000.01")),
            "Explain why spending to date is more than the award",
        ),
    ],
    ids=["no actual", "no narrative", "no spend", "high actual", "overspend"],
)
def test_an_incomplete_return_cannot_be_submitted(made, spoil, problem):
    monitoring_return = return_filled(made.agreement.monitoring_returns.first())
    spoil(monitoring_return)
    monitoring_return.save()
    assert transition_problems(instance=monitoring_return, name="submit") == [problem]
    with pytest.raises(TransitionNotAllowed):
        return_transition(
            monitoring_return=monitoring_return,
            name="submit",
            user=org_member(made.organisation),
        )
    monitoring_return.refresh_from_db()
    assert monitoring_return.state == ReturnState.DRAFT


def test_the_checklist_links_each_missing_part_to_its_place_in_the_form(made):
    monitoring_return = made.agreement.monitoring_returns.first()
    checklist = transition_checklist(instance=monitoring_return, name="submit")
    edit = f"/returns/{monitoring_return.pk}/edit/"
    assert [(item.met, item.url) for item in checklist] == [
        (False, f"{edit}#actuals"),
        (False, f"{edit}#outcomes_narrative"),
        (False, f"{edit}#spend_in_period"),
        (True, f"{edit}#actuals"),
        (True, f"{edit}#spend_explanation"),
    ]
