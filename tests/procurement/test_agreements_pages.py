"""Agreements: the officer prepares one (details, payments that add up to the award), sends
it, the provider's admin accepts it online, and everyone who may read it sees every term."""

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog

from core.roles import Role
from procurement.models import Agreement, AgreementState, AgreementVersion
from procurement.services.agreements import agreement_accept, agreement_transition
from tests.factories import OrganisationFactory, UserFactory
from tests.procurement.factories_agreements import agreement_made, org_admin, org_member

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's text with tags removed and spaces collapsed, as a person reads it."""
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def payments_post(rows, *, extra_blank: int = 0) -> dict:
    """The payment formset's POST data for rows of (date, amount, description)."""
    data = {
        "payments-TOTAL_FORMS": str(len(rows) + extra_blank),
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
    for index in range(len(rows), len(rows) + extra_blank):
        for part in ("due_on_0", "due_on_1", "due_on_2", "amount", "description"):
            data[f"payments-{index}-{part}"] = ""
    return data


# --- The agreement page ---------------------------------------------------------------------------


def test_staff_see_every_term_and_what_is_missing_in_a_draft(client):
    made = agreement_made()
    agreement = made.agreement
    client.force_login(made.officer)
    page = text_of(client.get(f"/agreements/{agreement.pk}/"))
    assert agreement.reference in page
    assert agreement.organisation.name in page
    assert "Lancaster City Council" in page
    assert "Money advice in Morecambe" in page  # the purpose, from the bid
    assert "£30,000" in page
    assert "From 1 April 2027 to 31 March 2030" in page
    assert "Older people are less lonely" in page
    assert "People supported" in page
    assert "Year 1 Year 2 Year 3" in page
    assert "Total £30,000" in page  # the payment schedule's total
    assert "1 April 2027 to 30 June 2027 30 July 2027" in page  # the first monitoring return
    assert "commissioning@lancaster.example.org" in page
    assert "Quarterly monitoring returns." in page  # special conditions, from the decision
    assert "Being prepared" in page
    # The checklist comes from the issue transition's conditions.
    assert "Done The payment instalments add up to the amount of the agreement" in page
    assert "Done The success measures and their targets are in the agreement" in page
    assert "Send to the provider to accept" in page
    assert "Read and accept" not in page


def test_targets_are_the_bids_and_are_never_typed_into_the_agreement(client):
    made = agreement_made()
    agreement = made.agreement
    specification = agreement.bid.opportunity.specification
    expected = sorted(
        (chosen.measure.name, target.year, target.target)
        for chosen in specification.measures.all()
        for target in chosen.targets.all()
    )
    assert sorted((t.measure, t.year, t.target) for t in agreement.targets.all()) == expected
    client.force_login(made.officer)
    form = client.get(f"/staff/agreements/{agreement.pk}/edit/").content.decode()
    names = re.findall(r'name="([^"]+)"', form)
    assert "purpose" in names
    assert not [name for name in names if "target" in name or "amount" in name]
    # Posting a target anyway changes nothing.
    data = {
        "purpose": "Money advice.",
        "starts_on_0": "1",
        "starts_on_1": "4",
        "starts_on_2": "2027",
        "ends_on_0": "31",
        "ends_on_1": "3",
        "ends_on_2": "2030",
        "monitoring_frequency": "quarterly",
        "communications": "Monthly calls.",
        "special_conditions": "",
        f"target_{agreement.targets.first().pk}": "9999",
        "amount": "1",
    }
    response = client.post(f"/staff/agreements/{agreement.pk}/edit/", data)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.purpose == "Money advice."
    assert agreement.amount == Decimal("30000")
    assert sorted((t.measure, t.year, t.target) for t in agreement.targets.all()) == expected


def test_changing_the_frequency_or_dates_makes_the_monitoring_schedule_again(client):
    made = agreement_made()
    agreement = made.agreement
    client.force_login(made.officer)
    data = {
        "purpose": agreement.purpose,
        "starts_on_0": "1",
        "starts_on_1": "4",
        "starts_on_2": "2027",
        "ends_on_0": "31",
        "ends_on_1": "3",
        "ends_on_2": "2029",
        "monitoring_frequency": "six_monthly",
        "communications": agreement.communications,
        "special_conditions": agreement.special_conditions,
    }
    assert client.post(f"/staff/agreements/{agreement.pk}/edit/", data).status_code == 302
    returns = list(agreement.monitoring_returns.all())
    assert [(r.period_start, r.period_end, r.due_on) for r in returns] == [
        (dt.date(2027, 4, 1), dt.date(2027, 9, 30), dt.date(2027, 10, 30)),
        (dt.date(2027, 10, 1), dt.date(2028, 3, 31), dt.date(2028, 4, 30)),
        (dt.date(2028, 4, 1), dt.date(2028, 9, 30), dt.date(2028, 10, 30)),
        (dt.date(2028, 10, 1), dt.date(2029, 3, 31), dt.date(2029, 4, 30)),
    ]


def test_the_end_date_must_be_after_the_start_and_nothing_typed_is_lost(client):
    made = agreement_made()
    agreement = made.agreement
    client.force_login(made.officer)
    data = {
        "purpose": "A purpose typed just now",
        "starts_on_0": "1",
        "starts_on_1": "4",
        "starts_on_2": "2027",
        "ends_on_0": "1",
        "ends_on_1": "3",
        "ends_on_2": "2027",
        "monitoring_frequency": "annual",
        "communications": "",
        "special_conditions": "",
    }
    response = client.post(f"/staff/agreements/{agreement.pk}/edit/", data)
    assert response.status_code == 200
    page = text_of(response)
    assert page.startswith("Error:")
    assert page.count("The end date must be after the start date") == 2  # summary and field
    assert "A purpose typed just now" in page
    agreement.refresh_from_db()
    assert agreement.ends_on == dt.date(2030, 3, 31)


# --- Payments -------------------------------------------------------------------------------------


def test_payments_must_add_up_to_the_award(client):
    made = agreement_made()
    agreement = made.agreement
    client.force_login(made.officer)
    rows = [
        (dt.date(2027, 4, 1), "15000", "First half"),
        (dt.date(2028, 4, 1), "14000", "Second half"),
    ]
    response = client.post(
        f"/staff/agreements/{agreement.pk}/payments/", payments_post(rows, extra_blank=1)
    )
    assert response.status_code == 200
    page = text_of(response)
    assert page.startswith("Error:")
    message = "The payments add up to £29,000: they must add up to £30,000 (£1,000 short)"
    assert page.count(message) == 2  # in the summary and beside the total
    html = response.content.decode()
    assert 'value="First half"' in html and 'value="14000"' in html  # what was typed is kept
    assert agreement.payments.count() == 12  # nothing saved

    rows[1] = (dt.date(2028, 4, 1), "15000", "Second half")
    response = client.post(f"/staff/agreements/{agreement.pk}/payments/", payments_post(rows))
    assert response.status_code == 302
    assert [(p.due_on, p.amount) for p in agreement.payments.all()] == [
        (dt.date(2027, 4, 1), Decimal("15000")),
        (dt.date(2028, 4, 1), Decimal("15000")),
    ]


def test_too_much_is_refused_too(client):
    made = agreement_made()
    client.force_login(made.officer)
    rows = [(dt.date(2027, 4, 1), "30000.50", "")]
    page = text_of(
        client.post(f"/staff/agreements/{made.agreement.pk}/payments/", payments_post(rows))
    )
    assert "The payments add up to £30,000.50: they must add up to £30,000 (£0.50 too much)" in page


def test_payment_dates_must_be_within_the_agreement(client):
    made = agreement_made()
    client.force_login(made.officer)
    rows = [
        (dt.date(2027, 3, 31), "10000", ""),
        (dt.date(2027, 7, 1), "20000", ""),
    ]
    response = client.post(f"/staff/agreements/{made.agreement.pk}/payments/", payments_post(rows))
    page = text_of(response)
    message = (
        "Payment 1: the payment date must be between 1 April 2027 and 31 March 2030, when the "
        "agreement runs"
    )
    assert page.count(message) == 2


def test_a_half_filled_payment_row_says_what_is_missing(client):
    made = agreement_made()
    client.force_login(made.officer)
    data = payments_post([(dt.date(2027, 4, 1), "30000", "")], extra_blank=1)
    data["payments-1-amount"] = "500"
    page = text_of(client.post(f"/staff/agreements/{made.agreement.pk}/payments/", data))
    assert "Enter the date of payment 2" in page


def test_the_agreement_cannot_be_sent_until_the_payments_add_up(client):
    made = agreement_made()
    agreement = made.agreement
    payment = agreement.payments.first()
    payment.amount -= 1000
    payment.save()
    with pytest.raises(TransitionNotAllowed):
        agreement_transition(agreement=agreement, name="issue", user=made.officer)
    client.force_login(made.officer)
    page = text_of(client.get(f"/agreements/{agreement.pk}/"))
    assert "Missing The payment instalments add up to the amount of the agreement" in page
    assert "Send to the provider to accept" not in page
    response = client.get(f"/staff/agreements/{agreement.pk}/actions/issue/", follow=True)
    page = text_of(response)
    assert (
        "The agreement cannot be sent yet. Still needed: the payment instalments add up to the "
        "amount of the agreement" in page
    )
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.DRAFT


def test_sending_keeps_version_1_and_emails_the_provider(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    made = agreement_made()
    agreement = made.agreement
    admin = org_admin(agreement.organisation, full_name="Ada Admin")
    client.force_login(made.officer)
    page = text_of(client.get(f"/staff/agreements/{agreement.pk}/actions/issue/"))
    assert "We will email every member of" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/agreements/{agreement.pk}/actions/issue/", {"seen_state": "draft"}
        )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ISSUED
    assert agreement.issued_by == made.officer
    version = agreement.versions.get()
    assert version.number == 1 and version.terms["amount"] == "30000.00"
    recipients = sorted(message.to[0] for message in mailoutbox)
    members = sorted(m.user.email for m in agreement.organisation.memberships.all())
    assert recipients == members and admin.email in recipients
    assert f"Agreement to accept: {agreement.reference}" in mailoutbox[0].subject
    assert "Ada Admin" in mailoutbox[0].body


def test_taking_it_back_needs_reasons(client, mailoutbox, django_capture_on_commit_callbacks):
    made = agreement_made(state=AgreementState.ISSUED)
    agreement = made.agreement
    client.force_login(made.officer)
    url = f"/staff/agreements/{agreement.pk}/actions/withdraw/"
    page = text_of(client.post(url, {"seen_state": "issued", "reason": " "}))
    assert page.startswith("Error:")
    assert page.count("Enter why you are taking the agreement back") == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"seen_state": "issued", "reason": "The start date is wrong"})
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.DRAFT
    log = StateLog.objects.for_(agreement).get(transition="withdraw")
    assert log.description == "The start date is wrong" and log.by == made.officer
    assert "The start date is wrong" in mailoutbox[0].body


def test_a_sent_agreement_cannot_be_edited(client):
    made = agreement_made(state=AgreementState.ISSUED)
    client.force_login(made.officer)
    response = client.get(f"/staff/agreements/{made.agreement.pk}/edit/", follow=True)
    assert "Take it back to change it" in text_of(response)


# --- Accepting ------------------------------------------------------------------------------------


def test_the_provider_admin_accepts_and_who_and_when_are_recorded(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    made = agreement_made(state=AgreementState.ISSUED)
    agreement = made.agreement
    admin = org_admin(agreement.organisation, full_name="Ada Admin")
    client.force_login(admin)
    detail = text_of(client.get(f"/agreements/{agreement.pk}/"))
    assert "Read and accept" in detail
    page = text_of(client.get(f"/agreements/{agreement.pk}/accept/"))
    assert (
        f"I confirm I am authorised to accept this agreement on behalf of "
        f"{agreement.organisation.name}" in page
    )
    assert "£30,000" in page
    # The box must be ticked.
    page = text_of(client.post(f"/agreements/{agreement.pk}/accept/", {"seen_state": "issued"}))
    assert page.startswith("Error:")
    assert page.count("Confirm that you are authorised to accept this agreement") == 2
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ISSUED
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/agreements/{agreement.pk}/accept/", {"seen_state": "issued", "confirm": "on"}
        )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ACCEPTED
    assert agreement.accepted_by == admin
    assert agreement.accepted_at is not None
    assert [m.to for m in mailoutbox] == [[made.officer.email]]
    assert "Ada Admin accepted agreement" in mailoutbox[0].body
    page = text_of(client.get(f"/agreements/{agreement.pk}/"))
    assert "Accepted: in delivery" in page
    assert "Accepted by Ada Admin" in page
    assert "Propose a variation" in page


def test_a_plain_member_cannot_accept_and_is_told_who_can(client):
    made = agreement_made(state=AgreementState.ISSUED)
    agreement = made.agreement
    org_admin(agreement.organisation, full_name="Ada Admin")
    member = org_member(agreement.organisation)
    client.force_login(member)
    assert "Read and accept" not in text_of(client.get(f"/agreements/{agreement.pk}/"))
    response = client.get(f"/agreements/{agreement.pk}/accept/")
    assert response.status_code == 403
    page = text_of(response)
    assert f"Only an admin of {agreement.organisation.name} can accept this agreement" in page
    assert "Ada Admin" in page
    response = client.post(
        f"/agreements/{agreement.pk}/accept/", {"seen_state": "issued", "confirm": "on"}
    )
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        agreement_accept(agreement=agreement, user=member)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ISSUED and agreement.accepted_by is None


def test_another_organisation_gets_404(client):
    made = agreement_made(state=AgreementState.ISSUED)
    agreement = made.agreement
    stranger = org_admin(OrganisationFactory())
    client.force_login(stranger)
    for path in ("", "accept/", "agreement.pdf", "versions/1/", "variations/new/"):
        assert client.get(f"/agreements/{agreement.pk}/{path}").status_code == 404, path
    assert agreement.reference not in text_of(client.get("/agreements/"))


def test_a_draft_is_404_to_the_provider(client):
    made = agreement_made()
    agreement = made.agreement
    client.force_login(org_admin(agreement.organisation))
    for path in ("", "accept/", "agreement.pdf"):
        assert client.get(f"/agreements/{agreement.pk}/{path}").status_code == 404, path
    assert agreement.reference not in text_of(client.get("/agreements/"))


def test_staff_cannot_accept_for_the_provider(client, approver):
    made = agreement_made(state=AgreementState.ISSUED)
    client.force_login(made.officer)
    assert client.get(f"/agreements/{made.agreement.pk}/accept/").status_code == 404
    with pytest.raises(PermissionDenied):
        agreement_accept(agreement=made.agreement, user=made.officer)


def test_accept_is_not_a_button_or_an_action_anyone_can_ask_for(client):
    made = agreement_made(state=AgreementState.ISSUED)
    admin = org_admin(made.agreement.organisation)
    client.force_login(made.officer)
    assert client.get(f"/staff/agreements/{made.agreement.pk}/actions/accept/").status_code == 404
    client.force_login(admin)
    response = client.get(f"/staff/agreements/{made.agreement.pk}/actions/accept/")
    assert response.status_code in (403, 404)


def test_an_agreement_accepted_already_cannot_be_accepted_again(client):
    made = agreement_made(state=AgreementState.ACCEPTED)
    admin = made.agreement.accepted_by
    client.force_login(admin)
    response = client.get(f"/agreements/{made.agreement.pk}/accept/", follow=True)
    assert "This agreement has already been accepted" in text_of(response)


def test_accepting_an_agreement_taken_back_meanwhile_changes_nothing(client):
    made = agreement_made(state=AgreementState.ISSUED)
    agreement = made.agreement
    admin = org_admin(agreement.organisation)
    client.force_login(admin)
    agreement_transition(agreement=agreement, name="withdraw", user=made.officer, reason="Fix it")
    with pytest.raises(TransitionNotAllowed):
        agreement_accept(agreement=agreement, user=admin)
    assert Agreement.objects.get(pk=agreement.pk).state == AgreementState.DRAFT


# --- The PDF --------------------------------------------------------------------------------------


def test_the_pdf_is_a_pdf_with_the_terms_and_the_acceptance(client):
    from io import BytesIO

    from pypdf import PdfReader

    made = agreement_made(state=AgreementState.ACCEPTED)
    agreement = made.agreement
    agreement.accepted_by.full_name = "Priya Provider"
    agreement.accepted_by.save()
    client.force_login(made.officer)
    response = client.get(f"/agreements/{agreement.pk}/agreement.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert agreement.organisation.name in text
    assert "£30,000" in text
    assert "People supported" in text
    assert "Accepted on behalf of" in text and "Priya Provider" in text
    assert agreement.reference in reader.metadata.title


def test_the_provider_can_download_the_pdf_once_sent(client):
    made = agreement_made(state=AgreementState.ISSUED)
    client.force_login(org_member(made.agreement.organisation))
    response = client.get(f"/agreements/{made.agreement.pk}/agreement.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


# --- Versions -------------------------------------------------------------------------------------


def test_version_page_shows_the_kept_terms(client):
    made = agreement_made(state=AgreementState.ISSUED)
    client.force_login(org_member(made.agreement.organisation))
    page = text_of(client.get(f"/agreements/{made.agreement.pk}/versions/1/"))
    assert "Version 1" in page and "£30,000" in page and "This is the current version" in page
    assert client.get(f"/agreements/{made.agreement.pk}/versions/2/").status_code == 404


def test_sending_again_after_taking_it_back_keeps_what_is_sent(client):
    made = agreement_made(state=AgreementState.ISSUED)
    agreement = made.agreement
    agreement_transition(agreement=agreement, name="withdraw", user=made.officer, reason="Dates")
    agreement.special_conditions = "A new condition"
    agreement.save()
    agreement_transition(agreement=agreement, name="issue", user=made.officer)
    assert AgreementVersion.objects.filter(agreement=agreement).count() == 1
    assert agreement.versions.get().terms["special_conditions"] == "A new condition"


# --- Lists ----------------------------------------------------------------------------------------


def test_your_agreements_lists_those_sent_to_your_organisations(client):
    sent = agreement_made(state=AgreementState.ISSUED).agreement
    person = org_member(sent.organisation)
    draft = agreement_made().agreement
    draft.organisation.memberships.create(user=person)
    others = agreement_made(state=AgreementState.ACCEPTED).agreement
    client.force_login(person)
    page = text_of(client.get("/agreements/"))
    assert sent.reference in page
    assert "Waiting for your organisation to accept it" in page
    assert draft.reference not in page
    assert others.reference not in page


def test_staff_list_filters_by_state_and_finds_by_reference_or_organisation(client, approver):
    draft = agreement_made().agreement
    accepted = agreement_made(state=AgreementState.ACCEPTED).agreement
    client.force_login(approver)
    page = text_of(client.get("/staff/agreements/"))
    assert draft.reference in page and accepted.reference in page
    page = text_of(client.get("/staff/agreements/?state=accepted"))
    assert accepted.reference in page and draft.reference not in page
    page = text_of(client.get(f"/staff/agreements/?q={draft.organisation.name}"))
    assert draft.reference in page and accepted.reference not in page
    page = text_of(client.get(f"/staff/agreements/?q={accepted.reference.lower()}"))
    assert accepted.reference in page and draft.reference not in page
    page = text_of(client.get("/staff/agreements/?q=nothing-like-this"))
    assert "No agreements match your filters" in page


def _agreements_add(count: int, *, organisation=None, state=AgreementState.ISSUED) -> None:
    """`count` more agreements (each for its own opportunity and bid) with a variation
    waiting on every other one, for the query-count tests."""
    from django.utils import timezone

    from procurement.models import AwardDecision, Variation
    from tests.procurement.factories_bids import BidFactory, OpportunityFactory

    for _ in range(count):
        bid = BidFactory(
            opportunity=OpportunityFactory(questions=0),
            organisation=organisation or OrganisationFactory(),
            state="submitted",
        )
        decision = AwardDecision.objects.create(
            bid=bid, outcome="successful", amount=Decimal("1000"), approved_at=timezone.now()
        )
        number = Agreement.objects.count() + 1
        agreement = Agreement(
            decision=decision,
            reference=f"AGR-TEST-{number:04d}",
            kind="grant",
            purpose="Lunch clubs",
            amount=Decimal("1000"),
            starts_on=dt.date(2027, 4, 1),
            ends_on=dt.date(2028, 3, 31),
        )
        agreement.__dict__["state"] = state  # bypass protected=True for test set-up
        agreement.save()
        if number % 2:
            Variation.objects.create(agreement=agreement, number=1, reason="Later", changes={})


def test_staff_list_query_count_does_not_grow(client, officer):
    client.force_login(officer)

    def queries_with(count: int) -> int:
        _agreements_add(count - Agreement.objects.count())
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/staff/agreements/")
        assert page.status_code == 200
        assert f"{count} agreements" in text_of(page)
        return len(queries)

    assert queries_with(3) == queries_with(20) <= 15


def test_your_agreements_query_count_does_not_grow(client):
    organisation = OrganisationFactory()
    person = UserFactory(roles=[Role.PROVIDER])
    organisation.memberships.create(user=person)
    client.force_login(person)

    def queries_with(count: int) -> int:
        _agreements_add(count - Agreement.objects.count(), organisation=organisation)
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/agreements/")
        assert page.status_code == 200
        assert text_of(page).count("AGR-TEST-") == count
        return len(queries)

    assert queries_with(3) == queries_with(20) <= 15


def test_your_agreements_come_25_to_a_page_the_newest_first(client):
    organisation = OrganisationFactory()
    person = UserFactory(roles=[Role.PROVIDER])
    organisation.memberships.create(user=person)
    client.force_login(person)
    _agreements_add(27, organisation=organisation)

    first = client.get("/agreements/")
    second = client.get("/agreements/", {"page": 2})

    shown = re.findall(r"AGR-TEST-\d{4}", text_of(first))
    assert shown == [f"AGR-TEST-{number:04d}" for number in range(27, 2, -1)]
    assert re.findall(r"AGR-TEST-\d{4}", text_of(second)) == ["AGR-TEST-0002", "AGR-TEST-0001"]
    assert 'aria-label="Pages of your agreements"' in first.content.decode()
    assert 'href="?page=2" rel="next"' in first.content.decode()


def test_a_contract_is_not_sent_before_the_standstill_period_ends(client):
    from django.utils import timezone

    made = agreement_made()
    agreement = made.agreement
    decision = agreement.decision
    decision.standstill_ends_on = timezone.localdate() + dt.timedelta(days=3)
    decision.save()
    client.force_login(made.officer)
    page = text_of(client.get(f"/agreements/{agreement.pk}/"))
    assert (
        "Missing For a contract, the contract award notice is published and the standstill "
        "period after it has ended (bidders could challenge the award until then)" in page
    )
    with pytest.raises(TransitionNotAllowed):
        agreement_transition(agreement=agreement, name="issue", user=made.officer)
