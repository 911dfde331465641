"""Variations: either side proposes a change to an accepted agreement's end date, payments or
targets; an approver who did not propose it decides; approving makes a new version and the
old one is kept exactly as it was."""

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.roles import Role
from procurement.models import AgreementState, VariationState
from procurement.services.agreements import (
    PaymentRow,
    VariationWaiting,
    variation_propose,
    variation_transition,
)
from tests.factories import OrganisationFactory, UserFactory
from tests.procurement.factories_agreements import agreement_made, org_admin, org_member

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def current_payments(agreement) -> list[PaymentRow]:
    return [PaymentRow(p.due_on, p.amount, p.description) for p in agreement.payments.all()]


def propose_more_money_and_time(agreement, user, *, extra: str = "2500") -> object:
    """Six more months and a 13th payment of `extra`; year 3's target up to 350."""
    payments = [*current_payments(agreement), PaymentRow(dt.date(2030, 4, 1), Decimal(extra), "")]
    targets = {t.pk: t.target for t in agreement.targets.all()}
    year_3 = agreement.targets.get(year=3)
    targets[year_3.pk] = Decimal("350")
    return variation_propose(
        agreement=agreement,
        user=user,
        reason="The service is extended to cover the summer.",
        ends_on=dt.date(2030, 9, 30),
        payments=payments,
        targets=targets,
    )


def form_post(
    agreement, *, reason="More sessions are needed.", ends_on=None, targets=None, payments=None
):
    """The proposal form's POST data, starting from the agreement as it is."""
    ends_on = ends_on or agreement.ends_on
    rows = (
        payments
        if payments is not None
        else [(p.due_on, str(p.amount), p.description) for p in agreement.payments.all()]
    )
    data = {
        "reason": reason,
        "ends_on_0": str(ends_on.day),
        "ends_on_1": str(ends_on.month),
        "ends_on_2": str(ends_on.year),
        "payments-TOTAL_FORMS": str(len(rows)),
        "payments-INITIAL_FORMS": "0",
        "payments-MIN_NUM_FORMS": "0",
        "payments-MAX_NUM_FORMS": "120",
    }
    for index, (day, amount, description) in enumerate(rows):
        data[f"payments-{index}-due_on_0"] = str(day.day)
        data[f"payments-{index}-due_on_1"] = str(day.month)
        data[f"payments-{index}-due_on_2"] = str(day.year)
        data[f"payments-{index}-amount"] = amount
        data[f"payments-{index}-description"] = description
    for target in agreement.targets.all():
        value = (targets or {}).get(target.year, target.target)
        data[f"target_{target.pk}"] = str(value)
    return data


# --- Proposing ------------------------------------------------------------------------------------


def test_a_provider_member_proposes_a_variation_from_the_page(
    client, approver, mailoutbox, django_capture_on_commit_callbacks
):
    made = agreement_made(state=AgreementState.ACCEPTED)
    agreement = made.agreement
    member = org_member(agreement.organisation, full_name="Mo Member")
    client.force_login(member)
    page = client.get(f"/agreements/{agreement.pk}/variations/new/")
    html = page.content.decode()
    # Everything starts as it is now.
    assert 'value="2500"' in html
    assert f'name="target_{agreement.targets.get(year=2).pk}" value="200"' in html
    data = form_post(agreement, targets={2: Decimal("250")}, ends_on=dt.date(2030, 6, 30))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/agreements/{agreement.pk}/variations/new/", data)
    assert response.status_code == 302
    variation = agreement.variations.get()
    assert response["Location"] == variation.get_absolute_url()
    assert variation.state == VariationState.PROPOSED
    assert variation.proposed_by == member and variation.proposed_by_provider
    assert variation.changes["ends_on"] == "2030-06-30"
    assert variation.changes["amount"] == "30000.00"
    # Approvers and the council's officer are told; the proposer is not.
    recipients = {m.to[0] for m in mailoutbox}
    assert approver.email in recipients and made.officer.email in recipients
    assert member.email not in recipients
    # The agreement has not changed yet.
    agreement.refresh_from_db()
    assert agreement.ends_on == dt.date(2030, 3, 31) and agreement.version == 1
    page = text_of(client.get(variation.get_absolute_url()))
    assert "Now (version 1) Proposed" in page
    assert "31 March 2030 30 June 2030 Changed" in page
    assert "People supported, year 2 people 200 250 Changed" in page


def test_the_proposal_must_change_something(client):
    made = agreement_made(state=AgreementState.ACCEPTED)
    client.force_login(made.officer)
    response = client.post(
        f"/agreements/{made.agreement.pk}/variations/new/", form_post(made.agreement)
    )
    page = text_of(response)
    assert page.startswith("Error:")
    assert "The proposal is the same as the agreement now" in page
    assert not made.agreement.variations.exists()


def test_the_proposal_needs_a_reason_and_payments_within_the_new_dates(client):
    made = agreement_made(state=AgreementState.ACCEPTED)
    agreement = made.agreement
    client.force_login(made.officer)
    data = form_post(agreement, reason="", ends_on=dt.date(2029, 12, 31))
    page = text_of(client.post(f"/agreements/{agreement.pk}/variations/new/", data))
    assert page.count("Enter why the change is needed") == 2
    data = form_post(agreement, ends_on=dt.date(2029, 12, 31))
    page = text_of(client.post(f"/agreements/{agreement.pk}/variations/new/", data))
    # The last payment, 1 January 2030, is after the new end date.
    assert "Payment 12: the payment date must be between 1 April 2027 and 31 December 2029" in page
    data = form_post(agreement, targets={1: "-5"})
    page = text_of(client.post(f"/agreements/{agreement.pk}/variations/new/", data))
    assert "The target for People supported, year 1 must be 0 or more" in page
    assert not agreement.variations.exists()


def test_a_payment_in_the_longer_period_is_not_refused_when_something_else_is_wrong(client):
    made = agreement_made(state=AgreementState.ACCEPTED)
    agreement = made.agreement
    client.force_login(made.officer)
    later = agreement.ends_on + dt.timedelta(days=90)
    rows = [(p.due_on, str(p.amount), p.description) for p in agreement.payments.all()]
    rows.append((later - dt.timedelta(days=10), "1000", "Extra sessions"))
    data = form_post(agreement, reason="", ends_on=later, payments=rows)
    response = client.post(f"/agreements/{agreement.pk}/variations/new/", data)
    page = text_of(response)
    assert "Enter why the change is needed" in page
    assert "the payment date must be between" not in page
    assert 'value="Extra sessions"' in response.content.decode()  # what was typed is kept


def test_only_an_accepted_agreement_can_be_varied(client):
    made = agreement_made(state=AgreementState.ISSUED)
    client.force_login(made.officer)
    response = client.get(f"/agreements/{made.agreement.pk}/variations/new/", follow=True)
    assert "Only an accepted agreement can be varied" in text_of(response)


def test_only_one_variation_waits_at_a_time(client):
    made = agreement_made(state=AgreementState.ACCEPTED)
    agreement = made.agreement
    first = propose_more_money_and_time(agreement, made.officer)
    with pytest.raises(VariationWaiting):
        propose_more_money_and_time(agreement, made.officer)
    client.force_login(made.officer)
    response = client.get(f"/agreements/{agreement.pk}/variations/new/")
    assert response.status_code == 302 and response["Location"] == first.get_absolute_url()
    assert "Propose a variation" not in text_of(client.get(f"/agreements/{agreement.pk}/"))


def test_approvers_and_administrators_do_not_propose(client, approver, administrator):
    made = agreement_made(state=AgreementState.ACCEPTED)
    for person in (approver, administrator):
        client.force_login(person)
        assert client.get(f"/agreements/{made.agreement.pk}/variations/new/").status_code == 403
        with pytest.raises(PermissionDenied):
            propose_more_money_and_time(made.agreement, person)


# --- Approving keeps the old version --------------------------------------------------------------


def test_an_approved_variation_makes_version_2_and_keeps_version_1(
    client, approver, mailoutbox, django_capture_on_commit_callbacks
):
    made = agreement_made(state=AgreementState.ACCEPTED)
    agreement = made.agreement
    version_1 = agreement.versions.get(number=1)
    terms_before = dict(version_1.terms)
    variation = propose_more_money_and_time(agreement, made.officer)
    client.force_login(approver)
    page = text_of(client.get(variation.get_absolute_url()))
    assert "Approve the variation" in page and "Do not approve" in page
    url = f"/agreements/{agreement.pk}/variations/{variation.number}/actions/approve/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"seen_state": "proposed", "reason": ""})
    assert response.status_code == 302

    agreement.refresh_from_db()
    assert agreement.version == 2
    assert agreement.amount == Decimal("32500")
    assert agreement.ends_on == dt.date(2030, 9, 30)
    assert agreement.payments.count() == 13 and agreement.payments_add_up()
    assert agreement.targets.get(year=3).target == Decimal("350")
    # Monitoring returns due after today are made again for the new end date.
    assert agreement.monitoring_returns.last().period_end == dt.date(2030, 9, 30)
    assert agreement.monitoring_returns.count() == 14
    variation.refresh_from_db()
    assert variation.state == VariationState.APPROVED and variation.decided_by == approver

    version_1.refresh_from_db()
    assert version_1.terms == terms_before
    assert version_1.terms["amount"] == "30000.00"
    assert [t["target"] for t in version_1.terms["targets"] if t["year"] == 3] == ["300.00"]
    version_2 = agreement.versions.get(number=2)
    assert version_2.variation == variation and version_2.created_by == approver
    assert version_2.terms["amount"] == "32500.00"
    assert [t["target"] for t in version_2.terms["targets"] if t["year"] == 3] == ["350.00"]

    page = text_of(client.get(f"/agreements/{agreement.pk}/versions/1/"))
    assert "£30,000" in page and "£32,500" not in page and "This version has been replaced" in page
    assert "People supported people. Towards: Older people are less lonely 100 200 300" in page
    page = text_of(client.get(f"/agreements/{agreement.pk}/versions/2/"))
    assert "£32,500" in page and "100 200 350" in page and "Made by variation 1" in page
    page = text_of(client.get(variation.get_absolute_url()))
    assert "Version 1 Version 2" in page
    assert [m.to[0] for m in mailoutbox if "approved" in m.subject][0] == made.officer.email


def test_the_proposer_cannot_approve_their_own_variation_even_as_an_approver(client):
    made = agreement_made(state=AgreementState.ACCEPTED)
    both = UserFactory(roles=[Role.OFFICER, Role.APPROVER])
    variation = propose_more_money_and_time(made.agreement, both)
    client.force_login(both)
    page = text_of(client.get(variation.get_absolute_url()))
    assert "Approve the variation" not in page
    assert "Withdraw the proposal" in page
    assert "You proposed this variation, so an approver other than you decides on it" in page
    url = f"/agreements/{made.agreement.pk}/variations/{variation.number}/actions/approve/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"seen_state": "proposed"}).status_code == 403
    with pytest.raises(PermissionDenied):
        variation_transition(variation=variation, name="approve", user=both)
    variation.refresh_from_db()
    made.agreement.refresh_from_db()
    assert variation.state == VariationState.PROPOSED and made.agreement.version == 1


def test_officers_and_providers_cannot_decide(client):
    made = agreement_made(state=AgreementState.ACCEPTED)
    member = org_member(made.agreement.organisation)
    variation = propose_more_money_and_time(made.agreement, member)
    for person in (made.officer, member, org_admin(made.agreement.organisation)):
        with pytest.raises(PermissionDenied):
            variation_transition(variation=variation, name="approve", user=person)


# --- Not approving, and withdrawing ---------------------------------------------------------------


def test_not_approving_needs_reasons_and_tells_the_proposer(
    client, approver, mailoutbox, django_capture_on_commit_callbacks
):
    made = agreement_made(state=AgreementState.ACCEPTED)
    member = org_member(made.agreement.organisation)
    variation = propose_more_money_and_time(made.agreement, member)
    with pytest.raises(ValidationError):
        variation_transition(variation=variation, name="reject", user=approver, reason=" ")
    client.force_login(approver)
    url = f"/agreements/{made.agreement.pk}/variations/{variation.number}/actions/reject/"
    page = text_of(client.post(url, {"seen_state": "proposed", "reason": ""}))
    assert page.startswith("Error:")
    assert page.count("Enter why the variation is not approved") == 2
    variation.refresh_from_db()
    assert variation.state == VariationState.PROPOSED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"seen_state": "proposed", "reason": "The budget is fully committed."})
    variation.refresh_from_db()
    assert variation.state == VariationState.REJECTED
    assert variation.decision_note == "The budget is fully committed."
    assert [m.to for m in mailoutbox] == [[member.email]]
    assert "The budget is fully committed." in mailoutbox[0].body
    made.agreement.refresh_from_db()
    assert made.agreement.version == 1 and made.agreement.amount == Decimal("30000")
    page = text_of(client.get(variation.get_absolute_url()))
    assert "Why it was not approved The budget is fully committed." in page
    # Another can now be proposed.
    propose_more_money_and_time(made.agreement, member)


def test_the_proposer_withdraws_their_variation(client):
    made = agreement_made(state=AgreementState.ACCEPTED)
    member = org_member(made.agreement.organisation)
    variation = propose_more_money_and_time(made.agreement, member)
    client.force_login(made.officer)
    url = f"/agreements/{made.agreement.pk}/variations/{variation.number}/actions/withdraw/"
    assert client.get(url).status_code == 403
    client.force_login(member)
    assert client.post(url, {"seen_state": "proposed"}).status_code == 302
    variation.refresh_from_db()
    assert variation.state == VariationState.WITHDRAWN
    # Decided variations offer nothing more.
    response = client.get(url, follow=True)
    assert "it cannot be changed now" in text_of(response)


def test_a_decision_made_meanwhile_is_not_overwritten(client, approver):
    made = agreement_made(state=AgreementState.ACCEPTED)
    variation = propose_more_money_and_time(made.agreement, made.officer)
    other_approver = UserFactory(roles=[Role.APPROVER])
    variation_transition(variation=variation, name="reject", user=other_approver, reason="No")
    client.force_login(approver)
    url = f"/agreements/{made.agreement.pk}/variations/{variation.number}/actions/approve/"
    response = client.post(url, {"seen_state": "proposed"}, follow=True)
    assert "it cannot be changed now" in text_of(response)
    made.agreement.refresh_from_db()
    assert made.agreement.version == 1


def test_variations_of_another_organisations_agreement_are_404(client):
    made = agreement_made(state=AgreementState.ACCEPTED)
    variation = propose_more_money_and_time(made.agreement, made.officer)
    client.force_login(org_admin(OrganisationFactory()))
    assert client.get(variation.get_absolute_url()).status_code == 404
    assert client.get(f"/agreements/{made.agreement.pk}/variations/9/").status_code == 404


def test_targets_are_kept_to_the_penny():
    made = agreement_made(state=AgreementState.ACCEPTED)
    agreement = made.agreement
    variation = variation_propose(
        agreement=agreement,
        user=made.officer,
        reason="Two more schools asked to take part.",
        ends_on=agreement.ends_on,
        payments=current_payments(agreement),
        targets={t.pk: t.target * Decimal("1.1") for t in agreement.targets.all()},
    )
    assert sorted(variation.changes["targets"].values()) == ["110.00", "220.00", "330.00"]
    assert variation.changes["amount"] == "30000.00"


def test_a_target_is_typed_as_people_write_numbers(client):
    made = agreement_made(state=AgreementState.ACCEPTED)
    agreement = made.agreement
    client.force_login(made.officer)
    data = form_post(agreement, targets={1: "1,200"})
    response = client.post(f"/agreements/{agreement.pk}/variations/new/", data)
    assert response.status_code == 302
    variation = agreement.variations.get()
    year_1 = agreement.targets.get(year=1)
    assert variation.changes["targets"][str(year_1.pk)] == "1200.00"
