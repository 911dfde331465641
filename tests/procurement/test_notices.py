"""The Procurement Act 2023 for contracts: the Central Digital Platform notices recorded for
an opportunity, and the standstill period (s.51) — 8 working days beginning with the day
the contract award notice is published, after every bidder has its assessment summary —
before which the contract is not sent. Grants are outside the Act."""

import datetime as dt
import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from core.roles import Role
from core.transitions import transition_checklist
from procurement.models import (
    Agreement,
    AgreementState,
    AwardDecision,
    NoticeKind,
    ProcurementNotice,
)
from procurement.services.agreements import agreement_transition
from procurement.services.notices import notice_record
from tests.procurement.factories_agreements import agreement_made
from tests.procurement.factories_opportunities import OpportunityFactory

pytestmark = pytest.mark.django_db

STANDSTILL = "For a contract, the contract award notice is published and the standstill period"


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def london(year, month, day, hour=10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, 0))


def summaries_sent(opportunity):
    AwardDecision.objects.filter(bid__opportunity=opportunity).update(notified_at=timezone.now())


def award_notice(opportunity, officer, published_on):
    return notice_record(
        opportunity=opportunity,
        kind=NoticeKind.CONTRACT_AWARD,
        identifier="CAN-2026-0042",
        published_on=published_on,
        recorded_by=officer,
    )


def test_standstill_is_counted_from_the_award_notice_over_christmas(clock):
    """Awards approved on Thursday 26 November 2026; the contract award notice is published
    on Tuesday 22 December: 22 (1), 23 (2), 24 (3), [Christmas Day, the weekend, the Boxing
    Day substitute on Monday 28th], 29 (4), 30 (5), 31 (6), [New Year's Day, the weekend,
    Monday 4 January: Scotland's 2 January holiday falls on the Saturday, and a bank holiday
    in any part of the UK is not a working day (Procurement Act 2023, s.123(1))], Tuesday 5
    (7), Wednesday 6 January 2027 (8). The contract can be sent on the 7th."""
    made = agreement_made(funding_type="contract")
    agreement, opportunity = made.agreement, made.agreement.decision.bid.opportunity
    summaries_sent(opportunity)

    with pytest.raises(TransitionNotAllowed):  # no award notice yet: no standstill begun
        agreement_transition(agreement=agreement, name="issue", user=made.officer)

    clock.move_to(london(2026, 12, 22))
    award_notice(opportunity, made.officer, dt.date(2026, 12, 22))
    decisions = AwardDecision.objects.filter(bid__opportunity=opportunity)
    assert {d.standstill_ends_on for d in decisions} == {dt.date(2027, 1, 6)}
    assert all(d.decided_on < dt.date(2026, 12, 1) for d in decisions)  # not counted from

    clock.move_to(london(2027, 1, 6, 16))
    agreement.refresh_from_db()
    item = next(
        i
        for i in transition_checklist(instance=agreement, name="issue", user=made.officer)
        if i.label.startswith(STANDSTILL)
    )
    assert not item.met
    assert item.needed == (
        "The standstill period ends at the end of 6 January 2027. You can send this contract "
        "from midnight on 7 January 2027",
    )
    with pytest.raises(TransitionNotAllowed):
        agreement_transition(agreement=agreement, name="issue", user=made.officer)

    clock.move_to(london(2027, 1, 7, 9))
    agreement_transition(agreement=agreement, name="issue", user=made.officer)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ISSUED


def test_standstill_over_st_andrews_day_ends_a_working_day_later(clock):
    """A contract award notice published today, Thursday 26 November 2026: Thursday (1),
    Friday (2), [the weekend, Monday 30 November: St Andrew's Day, a bank holiday in
    Scotland, so not a working day under the Procurement Act 2023, s.123(1)], Tuesday 1
    December (3) … Monday 7 (7), Tuesday 8 December (8). The contract can be sent on the
    9th, not the 8th as England's bank holidays alone would say."""
    made = agreement_made(funding_type="contract")
    agreement, opportunity = made.agreement, made.agreement.decision.bid.opportunity
    summaries_sent(opportunity)
    award_notice(opportunity, made.officer, dt.date(2026, 11, 26))
    decisions = AwardDecision.objects.filter(bid__opportunity=opportunity)
    assert {d.standstill_ends_on for d in decisions} == {dt.date(2026, 12, 8)}

    clock.move_to(london(2026, 12, 8, 16))
    with pytest.raises(TransitionNotAllowed):
        agreement_transition(agreement=agreement, name="issue", user=made.officer)

    clock.move_to(london(2026, 12, 9, 9))
    agreement_transition(agreement=agreement, name="issue", user=made.officer)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ISSUED


def test_standstill_over_st_patricks_day_ends_a_working_day_later(clock):
    """Published on Friday 12 March 2027: St Patrick's Day (Wednesday 17 March), a bank
    holiday in Northern Ireland, is not a working day (s.123(1)), so the 8th working day
    is Wednesday 24 March, not Tuesday 23."""
    made = agreement_made(funding_type="contract")
    opportunity = made.agreement.decision.bid.opportunity
    summaries_sent(opportunity)
    clock.move_to(london(2027, 3, 12))
    award_notice(opportunity, made.officer, dt.date(2027, 3, 12))
    decisions = AwardDecision.objects.filter(bid__opportunity=opportunity)
    assert {d.standstill_ends_on for d in decisions} == {dt.date(2027, 3, 24)}


def test_the_award_notice_waits_for_every_assessment_summary(clock):
    made = agreement_made(funding_type="contract")
    opportunity = made.agreement.decision.bid.opportunity
    with pytest.raises(ValidationError) as refused:
        award_notice(opportunity, made.officer, timezone.localdate())
    assert "Every bidder must be sent its assessment summary" in str(refused.value)
    assert not ProcurementNotice.objects.exists()
    assert not AwardDecision.objects.filter(standstill_ends_on__isnull=False).exists()


def test_grants_have_no_notices_and_are_sent_without_standstill(officer):
    made = agreement_made()
    opportunity = made.agreement.decision.bid.opportunity
    summaries_sent(opportunity)
    with pytest.raises(ValidationError):
        award_notice(opportunity, officer, timezone.localdate())
    agreement_transition(agreement=made.agreement, name="issue", user=made.officer)


def test_a_notice_twice_and_a_date_in_the_future_are_refused(officer):
    opportunity = OpportunityFactory(funding_type="contract")
    with pytest.raises(ValidationError):
        notice_record(
            opportunity=opportunity,
            kind=NoticeKind.TENDER,
            identifier="TN-1",
            published_on=timezone.localdate() + dt.timedelta(days=1),
            recorded_by=officer,
        )
    notice_record(
        opportunity=opportunity,
        kind=NoticeKind.TENDER,
        identifier="TN-1",
        published_on=timezone.localdate(),
        recorded_by=officer,
    )
    with pytest.raises(ValidationError) as refused:
        notice_record(
            opportunity=opportunity,
            kind=NoticeKind.TENDER,
            identifier="TN-2",
            published_on=timezone.localdate(),
            recorded_by=officer,
        )
    assert "The tender notice has already been recorded" in str(refused.value)


@pytest.mark.parametrize(("budget", "needed"), [("30000", True), ("29999.99", False)])
def test_a_contract_of_30000_or_more_is_flagged_as_needing_a_tender_notice(
    client, officer, budget, needed
):
    opportunity = OpportunityFactory(funding_type="contract", budget=budget)
    client.force_login(officer)
    page = text_of(client.get(f"/staff/opportunities/{opportunity.pk}/notices/"))
    assert ("so it needs a tender notice" in page) is needed
    assert ("Tender notice needed Yes" in page) is needed


def test_the_officer_records_a_notice_on_the_page_and_bad_input_is_kept(client, officer):
    opportunity = OpportunityFactory(funding_type="contract")
    url = f"/staff/opportunities/{opportunity.pk}/notices/"
    client.force_login(officer)
    response = client.post(
        url,
        {
            "kind": "tender",
            "identifier": "TN-2026-77",
            "published_on_0": "31",
            "published_on_1": "2",
            "published_on_2": "2026",
        },
    )
    page = text_of(response)
    assert response.status_code == 200
    assert page.startswith("Error:")
    assert "The date the notice was published must be a real date" in page
    assert 'value="TN-2026-77"' in response.content.decode()

    response = client.post(
        url,
        {
            "kind": "tender",
            "identifier": "TN-2026-77",
            "published_on_0": "20",
            "published_on_1": "11",
            "published_on_2": "2026",
        },
    )
    assert response.status_code == 302
    page = text_of(client.get(url))
    assert "Tender notice TN-2026-77 20 November 2026" in page


def test_a_grant_has_no_notices_page_form(client, officer):
    opportunity = OpportunityFactory(funding_type="grant")
    client.force_login(officer)
    page = text_of(client.get(f"/staff/opportunities/{opportunity.pk}/notices/"))
    assert "Grants are outside the Procurement Act 2023" in page
    assert "Record the notice" not in page


def test_panel_members_and_providers_cannot_record_notices(client, make_user):
    opportunity = OpportunityFactory(funding_type="contract")
    for role in (Role.PANEL_MEMBER, Role.APPROVER):
        client.force_login(make_user(role))
        assert client.get(f"/staff/opportunities/{opportunity.pk}/notices/").status_code == 403


def test_the_contract_details_notice_follows_the_award_notice_and_the_accepted_contract():
    made = agreement_made(funding_type="contract")
    agreement, opportunity = made.agreement, made.agreement.decision.bid.opportunity
    summaries_sent(opportunity)

    def details():
        return notice_record(
            opportunity=opportunity,
            kind=NoticeKind.CONTRACT_DETAILS,
            identifier="CDN-7",
            published_on=timezone.localdate(),
            agreement=agreement,
            recorded_by=made.officer,
        )

    with pytest.raises(ValidationError) as refused:
        details()
    assert "Record the contract award notice first" in str(refused.value)
    award_notice(opportunity, made.officer, timezone.localdate())
    with pytest.raises(ValidationError) as refused:
        details()
    assert "has not been accepted yet" in str(refused.value)

    Agreement.objects.filter(pk=agreement.pk).update(state=AgreementState.ACCEPTED)
    agreement.refresh_from_db()
    notice = details()
    assert (notice.agreement, notice.kind) == (agreement, NoticeKind.CONTRACT_DETAILS)
