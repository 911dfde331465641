"""The demo's awarded contract (Procurement Act 2023): the day centre transport contract, awarded to
Lune Valley Community Transport and entered into, with its tender notice, its contract
award notice and the standstill period counted from it, its contract details notice and
the supplier's PPON, as an officer sees them; seeding twice adds nothing."""

import re
from html import unescape

import pytest
from django.urls import reverse

from core.models import User
from core.templatetags.portal import govuk_date
from core.working_days import standstill_last_day
from demo.contract import OPPORTUNITY, SUPPLIER
from demo.seed import demo_seed
from procurement.models import Agreement, AwardDecision, NoticeKind, Opportunity
from tests.mfa import authenticator_give

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_an_officer_sees_the_contract_with_its_notices_and_standstill(client):
    demo_seed()
    contract = Opportunity.objects.get(title=OPPORTUNITY)
    assert contract.funding_type == "contract" and contract.budget >= 30000
    notices = {notice.kind: notice for notice in contract.notices.all()}
    assert set(notices) == {
        NoticeKind.TENDER,
        NoticeKind.CONTRACT_AWARD,
        NoticeKind.CONTRACT_DETAILS,
    }
    award_notice = notices[NoticeKind.CONTRACT_AWARD]
    ends = standstill_last_day(award_notice_published_on=award_notice.published_on)
    decisions = AwardDecision.objects.filter(bid__opportunity=contract)
    assert decisions.count() == 2
    assert set(decisions.values_list("standstill_ends_on", flat=True)) == {ends}
    agreement = Agreement.objects.get(decision__bid__opportunity=contract)
    assert agreement.state == "accepted"
    assert agreement.decision.bid.organisation.name == SUPPLIER
    # The contract was sent only after the standstill period ended.
    assert agreement.issued_at.date() > ends
    assert notices[NoticeKind.CONTRACT_DETAILS].agreement == agreement
    supplier = agreement.decision.bid.organisation
    assert supplier.ppon

    officer = User.objects.get(email="officer@example.org")
    authenticator_give(officer)  # council staff sign in with two factors
    client.force_login(officer)
    page = text_of(client.get(reverse("procurement:procurement_notices", args=[contract.pk])))
    for notice in notices.values():
        assert notice.identifier in page
    assert f"{govuk_date(award_notice.published_on)}, when the contract award notice" in page
    assert f"it ends {govuk_date(ends)}" in page
    assert f"{agreement.reference} – {SUPPLIER} (PPON {supplier.ppon})" in page
    detail = text_of(
        client.get(reverse("procurement:staff_opportunity_detail", args=[contract.pk]))
    )
    assert "Notices on the Central Digital Platform" in detail


def test_the_contracts_conflicts_assessment_was_reviewed_at_each_stage_before_it_was_sent():
    """Procurement Act 2023, s.83: recorded before publication, reviewed at the assessment
    of bids and at the award, in that order and before the contract was sent."""
    demo_seed()
    contract = Opportunity.objects.get(title=OPPORTUNITY)
    assessments = {a.stage: a for a in contract.conflicts_assessments.all()}
    assert list(assessments) == ["publication", "assessment", "award"]
    assert (
        assessments["publication"].recorded_at
        < contract.opens_at
        < contract.closes_at
        < assessments["assessment"].recorded_at
        < assessments["award"].recorded_at
    )
    agreement = Agreement.objects.get(decision__bid__opportunity=contract)
    assert assessments["award"].recorded_at < agreement.issued_at
    for assessment in assessments.values():
        people = set(assessment.people.all())
        assert people
        declared = {d.user for d in contract.officer_declarations.filter(stage=assessment.stage)}
        assert people <= declared


def test_seeding_the_contract_twice_adds_nothing():
    demo_seed()
    counts = (Opportunity.objects.count(), AwardDecision.objects.count(), Agreement.objects.count())
    contract = Opportunity.objects.get(title=OPPORTUNITY)
    notices = list(contract.notices.values_list("pk", flat=True))
    demo_seed()
    assert (
        Opportunity.objects.count(),
        AwardDecision.objects.count(),
        Agreement.objects.count(),
    ) == counts
    assert list(contract.notices.values_list("pk", flat=True)) == notices
