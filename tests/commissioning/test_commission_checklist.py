"""The commission page says what each next step still needs, each condition in its whole
sentence, from the state machine's own words."""

import re
from html import unescape

import pytest

from commissioning.models import CommissionState
from tests.commissioning.test_commission_lifecycle import _satisfy_conditions
from tests.factories import CommissionFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_a_condition_longer_than_a_line_is_shown_whole(client, officer):
    commission = CommissionFactory(lead_officer=officer, state=CommissionState.PLANNING)
    client.force_login(officer)

    page = text_of(client.get(commission.get_absolute_url()))

    assert (
        "Missing At least one service specification is complete: outcomes, success measures "
        "with targets, budget, duration and eligibility." in page
    )
    assert (
        "Missing One option in the options appraisal is recorded as recommended, with its "
        "rationale." in page
    )


def test_the_award_conditions_are_shown_whole_too(client, officer):
    commission = CommissionFactory(lead_officer=officer, state=CommissionState.ASSESSMENT)
    client.force_login(officer)

    page = text_of(client.get(commission.get_absolute_url()))

    for sentence in (
        "Every bid received is assigned to a panel member, and every panel member has "
        "submitted all their scores for the bids assigned to them.",
        "Every declared conflict of interest has been dealt with: the bid reassigned to "
        "another panel member, or the reason recorded why no one else is needed.",
        "Every bid received has a moderated score for every question and a recommendation: an "
        "award with its amount, or the reasons it was not successful; and the awards for each "
        "opportunity fit within its budget.",
    ):
        assert sentence in page


def test_a_step_whose_conditions_are_met_says_done_and_offers_the_button(client, officer):
    commission = CommissionFactory(lead_officer=officer, state=CommissionState.UNDERSTANDING)
    _satisfy_conditions(commission)
    client.force_login(officer)

    page = text_of(client.get(commission.get_absolute_url()))

    assert "Done At least one gap is recorded in the gap analysis." in page
    assert (
        "Done At least one piece of needs-assessment evidence is linked to the commission." in page
    )
    assert "Move to planning" in page


def test_a_crafted_request_for_a_step_not_ready_says_what_is_still_needed(client, officer):
    commission = CommissionFactory(lead_officer=officer, state=CommissionState.UNDERSTANDING)
    client.force_login(officer)

    response = client.get(
        f"/staff/commissions/{commission.pk}/actions/start_planning/", follow=True
    )

    assert (
        "You cannot move to planning yet. Still needed: add needs-assessment evidence for "
        "this commission; record at least one gap in the gap analysis. Nothing has been "
        "changed." in text_of(response)
    )
    commission.refresh_from_db()
    assert commission.state == CommissionState.UNDERSTANDING


def _evaluation_row(response) -> str:
    html = response.content.decode()
    row = re.search(r"Evaluation</dt>.*?</div>", html, re.S)
    return row.group(0) if row else ""


def test_a_commission_in_planning_is_not_offered_evaluate(client, officer):
    commission = CommissionFactory(lead_officer=officer, state=CommissionState.PLANNING)
    client.force_login(officer)

    row = _evaluation_row(client.get(commission.get_absolute_url()))

    assert "Not started" in row
    assert "The commission is evaluated once delivery starts." in row
    assert "/evaluation/" not in row
    assert "Evaluate" not in row


def test_a_commission_in_review_offers_evaluate_to_its_officer_only(client, officer, approver):
    commission = CommissionFactory(lead_officer=officer, state=CommissionState.REVIEW)
    client.force_login(officer)

    row = _evaluation_row(client.get(commission.get_absolute_url()))

    assert f'href="/staff/commissions/{commission.pk}/evaluation/"' in row
    assert "Evaluate" in row

    client.force_login(approver)
    assert "Evaluate" not in _evaluation_row(client.get(commission.get_absolute_url()))
