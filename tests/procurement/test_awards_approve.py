"""Approving a commission's awards: the commission moves to delivery, every decision is
approved and dated, contracts get a standstill period, successful awards become
agreements, and every bidder is emailed their feedback. The recommender may not approve."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from commissioning.services.commissions import commission_transition
from core.roles import Role
from procurement.models import Agreement, AwardDecision, Outcome
from tests.procurement.factories_bids import member
from tests.procurement.factories_decisions import approve, awaiting_approval

pytestmark = pytest.mark.django_db


def london(year, month, day, hour=10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, 0))


def decisions_of(assessed) -> list[AwardDecision]:
    return list(AwardDecision.objects.filter(bid__in=assessed.bids).order_by("bid__reference"))


def test_approving_moves_the_commission_to_delivery_and_approves_every_decision(
    approver, django_capture_on_commit_callbacks
):
    assessed = awaiting_approval()
    with django_capture_on_commit_callbacks(execute=True):
        approve(assessed, by=approver)
    assessed.commission.refresh_from_db()
    assert assessed.commission.state == "delivery"
    decisions = decisions_of(assessed)
    assert len(decisions) == 3
    for decision in decisions:
        assert decision.approved_by == approver
        assert decision.approved_at is not None
        assert decision.decided_on == timezone.localdate()
        assert decision.notified_at is not None
    assert [d.outcome for d in decisions] == [
        Outcome.SUCCESSFUL,
        Outcome.SUCCESSFUL,
        Outcome.UNSUCCESSFUL,
    ]


def test_grants_have_no_standstill_period(approver):
    assessed = awaiting_approval()
    approve(assessed, by=approver)
    assert all(d.standstill_ends_on is None for d in decisions_of(assessed))


def test_successful_awards_become_agreements_and_the_others_do_not(approver):
    assessed = awaiting_approval()
    approve(assessed, by=approver)
    agreements = Agreement.objects.filter(decision__bid__in=assessed.bids)
    assert sorted(a.decision.bid.reference for a in agreements) == sorted(
        bid.reference for bid in assessed.bids[:2]
    )
    assert {a.amount for a in agreements} == {bid.amount_requested for bid in assessed.bids[:2]}
    assert not Agreement.objects.filter(decision__bid=assessed.bids[2]).exists()


def test_a_contract_standstill_period_waits_for_the_contract_award_notice(approver):
    """Procurement Act 2023, s.51: the standstill period begins with the contract award
    notice, which is published after every bidder has its assessment summary, so approving
    the awards does not start it (tests/procurement/test_notices.py counts it)."""
    assessed = awaiting_approval(funding_type="contract")
    approve(assessed, by=approver)
    assert all(d.standstill_ends_on is None for d in decisions_of(assessed))


def test_a_decision_late_in_the_evening_is_dated_in_london(approver, clock):
    """11:30pm UTC on 30 June is 12:30am on 1 July in London (summer time)."""
    assessed = awaiting_approval(funding_type="contract")
    late = dt.datetime(2027, 6, 30, 23, 30, tzinfo=dt.UTC)
    clock.move_to(late)
    approve(assessed, by=approver)
    decision = decisions_of(assessed)[0]
    assert decision.decided_on == dt.date(2027, 7, 1)


# --- Emails ------------------------------------------------------------------------------------


def test_every_bidder_is_emailed_their_decision_and_feedback(
    approver, mailoutbox, django_capture_on_commit_callbacks
):
    assessed = awaiting_approval()
    with django_capture_on_commit_callbacks(execute=True):
        approve(assessed, by=approver)
    members = {
        bid.reference: [m.user.email for m in bid.organisation.memberships.all()]
        for bid in assessed.bids
    }
    assert len(mailoutbox) == sum(len(emails) for emails in members.values()) == 3
    by_bid = {}
    for message in mailoutbox:
        reference = next(ref for ref in members if ref in message.subject)
        assert message.to[0] in members[reference]
        by_bid[reference] = message
    first, second, third = (by_bid[bid.reference] for bid in assessed.bids)

    assert first.subject == f"Decision on your bid {assessed.bids[0].reference}: successful"
    assert "Your bid was successful." in first.body
    assert "Amount awarded: £30,000" in first.body
    assert "Quarterly monitoring returns." in first.body
    assert third.subject == f"Decision on your bid {assessed.bids[2].reference}: not successful"
    assert "Your bid was not successful." in third.body
    assert "The bid scored below others within the budget available." in third.body
    assert "Amount awarded" not in third.body

    questions = list(assessed.opportunity.questions.select_related("criterion"))
    assert len(questions) == 3
    for message, score, label, total in (
        (first, 4, "Good", "80"),
        (second, 3, "Satisfactory", "60"),
        (third, 2, "Weak", "40"),
    ):
        for number, question in enumerate(questions, start=1):
            assert f"Question {number}: {question.criterion.name} (weight 20%)" in message.body
        assert message.body.count(f"Score: {score} out of 5 – {label}") == 3
        assert message.body.count(f"Moderated to {score}: the panel agreed on the evidence") == 3
        assert f"Weighted total: {total} out of 100" in message.body
        assert "Standstill" not in message.body
    for bid, message in zip(assessed.bids, (first, second, third), strict=True):
        assert f"/bids/{bid.pk}/feedback/" in message.body


def test_the_email_never_names_the_panel_or_their_own_scores(
    approver, mailoutbox, django_capture_on_commit_callbacks
):
    assessed = awaiting_approval()
    with django_capture_on_commit_callbacks(execute=True):
        approve(assessed, by=approver)
    for message in mailoutbox:
        for place in assessed.panel:
            assert place.user.get_full_name() not in message.body
            assert place.user.email not in message.body
        assert "the answer was read in full" not in message.body  # a panel member's comment


def test_a_contract_email_is_the_assessment_summary_and_says_when_standstill_begins(
    approver, mailoutbox, django_capture_on_commit_callbacks, clock
):
    assessed = awaiting_approval(funding_type="contract")
    clock.move_to(london(2026, 12, 22))
    with django_capture_on_commit_callbacks(execute=True):
        approve(assessed, by=approver)
    assert len(mailoutbox) == 3
    for message in mailoutbox:
        assert "this email is your assessment summary" in message.body
        assert "The standstill period of 8 working days begins the day it is published" in (
            message.body
        )
        assert "Date of the decision: 22 December 2026" in message.body


def test_every_member_of_the_lead_organisation_is_emailed(
    approver, mailoutbox, django_capture_on_commit_callbacks
):
    assessed = awaiting_approval()
    second = member(assessed.bids[0].organisation, email="second@bidder.example.org")
    with django_capture_on_commit_callbacks(execute=True):
        approve(assessed, by=approver)
    recipients = [message.to[0] for message in mailoutbox]
    assert len(recipients) == 4
    assert second.email in recipients
    greeting = next(m for m in mailoutbox if m.to == [second.email]).body.splitlines()[0]
    assert greeting == f"Dear {second.get_full_name()},"


def test_emails_wait_until_the_approval_is_committed(approver, mailoutbox):
    """Emails go once the approval is committed: here the test's transaction never is."""
    assessed = awaiting_approval()
    approve(assessed, by=approver)
    assert mailoutbox == []
    assert all(d.notified_at is None for d in decisions_of(assessed))


# --- Who may approve ---------------------------------------------------------------------------


def test_the_recommender_may_not_approve_even_as_an_approver(mailoutbox):
    assessed = awaiting_approval()
    recommender = assessed.officer
    recommender.groups.add(Group.objects.get(name=Role.APPROVER.value))
    with pytest.raises(PermissionDenied):
        approve(assessed, by=recommender)
    assessed.commission.refresh_from_db()
    assert assessed.commission.state == "award_approval"
    assert all(d.approved_at is None for d in decisions_of(assessed))
    assert not Agreement.objects.filter(decision__bid__in=assessed.bids).exists()
    assert mailoutbox == []


@pytest.mark.parametrize("role", [Role.OFFICER, Role.PANEL_MEMBER, Role.PROVIDER])
def test_only_an_approver_may_approve(make_user, role):
    assessed = awaiting_approval()
    with pytest.raises(PermissionDenied):
        approve(assessed, by=make_user(role))
    assert all(d.approved_at is None for d in decisions_of(assessed))


def test_returning_the_recommendation_approves_nothing(approver, mailoutbox):
    assessed = awaiting_approval()
    commission_transition(
        commission=assessed.commission,
        name="return_awards",
        user=approver,
        reason="Check the amount for the second bid",
    )
    assessed.commission.refresh_from_db()
    assert assessed.commission.state == "assessment"
    assert all(d.approved_at is None for d in decisions_of(assessed))
    assert mailoutbox == []
