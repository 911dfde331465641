"""Approvers are told when a plan or a commission's awards await their approval."""

import pytest

from commissioning.models import Commission
from commissioning.services import commission_transition
from core.roles import Role
from tests.commissioning.test_commission_lifecycle import _assessed_commission
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "lead": UserFactory(roles=[Role.OFFICER], email="lead@example.org", full_name="Sam Lead"),
        "approver": UserFactory(roles=[Role.APPROVER], email="approver@example.org"),
        "second_approver": UserFactory(roles=[Role.APPROVER], email="second@example.org"),
        "officer_approver": UserFactory(
            roles=[Role.OFFICER, Role.APPROVER], email="both@example.org"
        ),
        "panel": UserFactory(roles=[Role.PANEL_MEMBER], email="panel@example.org"),
    }


def _request(commission, name, user, reason, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        commission_transition(commission=commission, name=name, user=user, reason=reason)


def test_approvers_are_told_the_plan_awaits_their_approval(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    commission = _assessed_commission(lead=people["lead"], state="planning")
    _request(
        commission,
        "request_plan_approval",
        people["lead"],
        "Ready for the March committee.",
        django_capture_on_commit_callbacks,
    )

    recipients = sorted(message.to[0] for message in mailoutbox)
    assert recipients == ["approver@example.org", "both@example.org", "second@example.org"]
    message = mailoutbox[0]
    assert message.subject == (
        f"For your approval: the plan for {commission.title} ({commission.reference})"
    )
    assert "Sam Lead has asked for the plan" in message.body
    assert "Ready for the March committee." in message.body
    assert f"/staff/commissions/{commission.pk}/" in message.body


def test_approvers_are_told_the_awards_await_approval_but_never_whoever_asked(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    commission = _assessed_commission(lead=people["officer_approver"], state="assessment")
    _request(
        commission,
        "request_award_approval",
        people["officer_approver"],
        "",
        django_capture_on_commit_callbacks,
    )

    assert Commission.objects.get(pk=commission.pk).state == "award_approval"
    recipients = sorted(message.to[0] for message in mailoutbox)
    # The officer who recommended holds the approver role too, but may not approve.
    assert recipients == ["approver@example.org", "second@example.org"]
    assert mailoutbox[0].subject.startswith("For your approval: the awards for")
    assert "award recommendation" in mailoutbox[0].body
    assert "What they said" not in mailoutbox[0].body


def test_no_email_for_other_transitions(people, mailoutbox, django_capture_on_commit_callbacks):
    commission = _assessed_commission(lead=people["lead"], state="procurement")
    _request(commission, "start_assessment", people["lead"], "", django_capture_on_commit_callbacks)

    assert mailoutbox == []
