"""A provider registers, creates an organisation, is verified by an officer, asks a
clarification that the officer answers and publishes, starts a consortium bid that its
partner confirms, attaches a file, submits and sees the receipt."""

import re

import pytest

from core.roles import Role
from procurement.models import Bid, BidSubmission, Clarification
from providers.models import Organisation
from tests.browser.conftest import enter_sign_in_code
from tests.factories import OrganisationFactory, UserFactory
from tests.procurement.factories_bids import OpportunityFactory
from tests.procurement.factories_opportunities import published_specification

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PASSWORD = "a-long-test-password"
ORGANISATION = "Bare Lane Money Advice"
PARTNER = "Carnforth Community Hub"
PUBLISHED_QUESTION = "Can volunteers’ time count as match funding?"
ANSWER = "Yes, valued at the national minimum wage for the hours given."


def _new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    return context.new_page()


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    enter_sign_in_code(page, email)
    return page


def _main(page) -> str:
    return page.locator("main").inner_text()


def _words(count: int) -> str:
    return " ".join(["advice"] * count)


def _fill_budget(page, lines: list[tuple[str, str]]) -> None:
    """On the bid's budget page, one row for each (item, amount)."""
    for index, (item, amount) in enumerate(lines):
        page.locator(f"#id_lines-{index}-item").fill(item)
        page.locator(f"#id_lines-{index}-amount").fill(amount)


def _fill_targets(page, measure: str, values: list[str]) -> None:
    """On the bid's targets page, the bid's target for `measure` in years 1, 2, 3…"""
    for year, value in enumerate(values, start=1):
        page.get_by_label(f"{measure}, year {year}: your target (people)").fill(value)


def _confirm_partnership(page, axe, *, lead: str, partner: str) -> None:
    """On the partnership's confirmation page, the partner's member confirms it."""
    page.wait_for_url("**/partnerships/*/confirm/")
    assert f"{lead} has named {partner} as a partner" in _main(page)
    axe(page)
    page.get_by_role("button", name="Confirm the partnership").click()
    page.wait_for_url("**/partnerships/")
    main = _main(page)
    assert f"You have confirmed that {partner} is a partner" in main
    assert "Confirmed" in main
    axe(page)


def _submit_bid(page, axe, *, bid, organisation: str, shown: tuple[str, ...]) -> BidSubmission:
    """From the bid's page, the lead checks its answers (which show each of `shown`),
    declares and submits, and reads the receipt; back on the bid, it is submitted."""
    page.get_by_role("link", name="Submit your bid").click()
    page.wait_for_url("**/actions/submit/")
    main = _main(page)
    assert "Check your bid before you submit it" in main
    assert all(text in main for text in shown)
    axe(page)
    page.get_by_label(
        f"I confirm that the information in this bid is correct and that I may submit it for "
        f"{organisation}"
    ).check()
    page.get_by_role("button", name="Submit the bid").click()
    page.wait_for_url(f"**/bids/{bid.pk}/receipts/1/")
    submission = BidSubmission.objects.get(bid=bid)
    panel = page.locator(".govuk-panel--confirmation").inner_text()
    assert "Bid submitted" in panel and submission.receipt in panel
    main = _main(page)
    assert "This is version 1" in main and all(text in main for text in shown)
    axe(page)
    page.get_by_role("link", name="Go to your bid").click()
    page.wait_for_url(re.compile(rf"/bids/{bid.pk}/(#\w*)?$"))
    main = _main(page)
    assert "Submitted" in main and submission.receipt in main
    axe(page)
    return submission


@pytest.mark.django_db(transaction=True)
def test_provider_registers_is_verified_asks_bids_with_a_partner_and_submits(
    browser, live_server, axe, tmp_path, settings, mailoutbox
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    officer = UserFactory(roles=[Role.OFFICER], email="sam@example.org", full_name="Sam Okafor")
    specification = published_specification(lead_officer=officer, state="procurement")
    opportunity = OpportunityFactory(
        specification=specification, title="Community money advice", questions=2
    )
    first, second = opportunity.questions.order_by("order")
    first.word_limit = 20
    first.save(update_fields=["word_limit"])
    partner_member = UserFactory(
        roles=[Role.PROVIDER], email="ravi@example.org", full_name="Ravi Patel"
    )
    partner_organisation = OrganisationFactory(name=PARTNER, members=[partner_member])

    # The provider creates an account and confirms their email address from the email.
    provider = _new_page(browser, live_server)
    provider.goto("/accounts/signup/")
    axe(provider)
    provider.get_by_label("Full name").fill("Jo White")
    provider.get_by_label("Email address").fill("jo@barelane.example.org")
    provider.get_by_label("Create a password").fill(PASSWORD)
    provider.get_by_label("Confirm password").fill(PASSWORD)
    provider.get_by_role("button", name="Create account").click()
    provider.wait_for_url("**/accounts/confirm-email/")
    assert "Check your email" in _main(provider)
    axe(provider)
    [email] = [m for m in mailoutbox if m.to == ["jo@barelane.example.org"]]
    confirm_path = re.search(r"/accounts/confirm-email/\S+", email.body).group(0)
    provider.goto(confirm_path)
    assert "Confirm that jo@barelane.example.org is your email address" in _main(provider)
    axe(provider)
    provider.get_by_role("button", name="Confirm email address").click()
    provider.wait_for_url("**/organisations/")
    assert "You do not belong to an organisation yet" in _main(provider)
    axe(provider)

    # They register their organisation, a CIO; it waits for the council to verify it.
    provider.get_by_role("button", name="Register an organisation").click()
    provider.wait_for_url("**/organisations/new/")
    provider.get_by_label("Organisation name").fill(ORGANISATION)
    provider.get_by_label("Charitable incorporated organisation (CIO)").check()
    provider.get_by_label("Charity number (if you have one)").fill("1187 654")
    provider.get_by_label("Voluntary, Community and Faith Sector").check()
    axe(provider)
    provider.get_by_role("button", name="Register organisation").click()
    provider.wait_for_url(re.compile(r"/organisations/\d+/$"))
    organisation = Organisation.objects.get(name=ORGANISATION)
    assert organisation.verification_status == "pending"
    assert organisation.org_id == "GB-CHC-1187654"
    main = _main(provider)
    assert f"{ORGANISATION} has been registered" in main
    assert "Waiting for the council to verify your organisation" in main
    axe(provider)

    # The officer checks it and verifies it.
    staff = _sign_in(_new_page(browser, live_server), "sam@example.org")
    staff.goto("/staff/organisations/")
    axe(staff)
    staff.get_by_role("link", name=ORGANISATION).click()
    staff.wait_for_url(f"**/staff/organisations/{organisation.pk}/")
    assert "Waiting for verification" in _main(staff)
    axe(staff)
    staff.get_by_label("Yes – verify the organisation").check()
    staff.get_by_role("button", name="Save decision").click()
    staff.wait_for_url(f"**/staff/organisations/{organisation.pk}/")
    assert f"{ORGANISATION} is verified" in _main(staff)
    axe(staff)
    provider.reload()
    assert "The council verified your organisation" in _main(provider)
    axe(provider)

    # The provider asks a clarification question, naming themselves in it.
    provider.goto(opportunity.get_absolute_url())
    axe(provider)
    provider.get_by_role("button", name="Ask a question").click()
    provider.wait_for_url("**/ask/")
    assert f"You are asking for {ORGANISATION}" in _main(provider)
    provider.get_by_label("Your question").fill(
        f"We are {ORGANISATION}. Can volunteers’ time count as match funding?"
    )
    axe(provider)
    provider.get_by_role("button", name="Send your question").click()
    provider.wait_for_url(f"**{opportunity.get_absolute_url()}")
    assert "Your question has been sent" in _main(provider)
    assert "No questions have been answered yet" in _main(provider)

    # The officer sees who asked, words the question without the name and publishes it.
    staff.goto(f"/staff/opportunities/{opportunity.pk}/clarifications/")
    main = _main(staff)
    assert "Waiting for an answer (1)" in main
    assert "Jo White" in main and ORGANISATION in main
    axe(staff)
    staff.get_by_role("link", name=re.compile(r"^Answer")).click()
    staff.wait_for_url("**/staff/clarifications/*/answer/")
    axe(staff)
    staff.get_by_label("The question as it will be published").fill(PUBLISHED_QUESTION)
    staff.get_by_label("Answer", exact=True).fill(ANSWER)
    staff.get_by_role("button", name="Publish the answer").click()
    staff.wait_for_url(f"**/staff/opportunities/{opportunity.pk}/clarifications/")
    main = _main(staff)
    assert "The answer is published" in main
    assert "Published (1)" in main
    axe(staff)

    # Everyone, the provider included, reads the answer without learning who asked.
    provider.reload()
    main = _main(provider)
    assert PUBLISHED_QUESTION in main and ANSWER in main
    assert ORGANISATION not in main and "Jo White" not in main

    # The provider starts a bid.
    provider.get_by_role("button", name="Start a bid").click()
    provider.wait_for_url("**/bid/")
    assert f"You are bidding for {ORGANISATION}" in _main(provider)
    axe(provider)
    provider.get_by_role("button", name="Start your bid").click()
    provider.wait_for_url(re.compile(r"/bids/\d+/$"))
    bid = Bid.objects.get()
    bid_page = re.compile(rf"/bids/{bid.pk}/(#\w*)?$")
    main = _main(provider)
    assert f"Bid started for {ORGANISATION}: {bid.reference}" in main
    assert "Draft" in main
    axe(provider)

    # Title, amounts and answers: an answer over its word limit is refused.
    provider.get_by_role("link", name="Project title and amounts").click()
    provider.wait_for_url("**/edit/#id_title")
    provider.get_by_label("Project title").fill("Money advice in Bare and Torrisholme")
    provider.get_by_label("Amount you are asking for (£)").fill("45000")
    provider.get_by_label("Match funding (£) (optional)").fill("5000")
    provider.get_by_label("Where the match funding comes from (optional)").fill(
        "Volunteer time, valued at the national minimum wage"
    )
    provider.locator(f"#id_answer_{first.pk}").fill(_words(25))
    provider.locator(f"#id_answer_{second.pk}").fill(_words(60))
    axe(provider)
    provider.get_by_role("button", name="Save draft").click()
    provider.locator(".govuk-error-summary").wait_for()
    assert "Your answer to question 1 must be 20 words or fewer. It has 25 words" in _main(provider)
    axe(provider)
    provider.locator(f"#id_answer_{first.pk}").fill(_words(18))
    provider.get_by_role("button", name="Save draft").click()
    provider.wait_for_url(bid_page)  # keeps the link's #id_title
    main = _main(provider)
    assert "Your draft has been saved" in main
    assert "18 of 20 words" in main and "60 of 500 words" in main

    # The budget breakdown adds up to the amount asked for.
    provider.get_by_role("link", name="Budget breakdown").click()
    provider.wait_for_url("**/budget/")
    _fill_budget(
        provider,
        [
            ("Money adviser, 3 days a week for a year", "38000"),
            ("Outreach sessions in Torrisholme", "7000"),
        ],
    )
    axe(provider)
    provider.get_by_role("button", name="Save budget").click()
    provider.wait_for_url(bid_page)
    main = _main(provider)
    assert "Budget saved" in main and "Total £45,000" in main

    # Targets: what the project will achieve, beside the council's target for the service.
    provider.get_by_role("link", name="Targets", exact=True).click()
    provider.wait_for_url("**/targets/")
    main = _main(provider)
    assert "People supported" in main and "200 people" in main
    axe(provider)
    _fill_targets(provider, "People supported", ["60", "120", "180"])
    provider.get_by_role("button", name="Save targets").click()
    provider.wait_for_url(bid_page)
    main = _main(provider)
    assert "Targets saved" in main and "Targets for 1 success measure" in main

    # The partner: found by name and added with its role; it has not confirmed yet.
    provider.get_by_role("link", name="Consortium partners").click()
    provider.wait_for_url("**/partners/")
    axe(provider)
    provider.get_by_label("Organisation name or org-id").fill("Carnforth")
    # The page's own search, not the portal's search box in the navigation.
    provider.get_by_role("main").get_by_role("button", name="Search").click()
    provider.wait_for_url("**/partners/?q=Carnforth")
    provider.get_by_label(PARTNER).check()
    provider.get_by_label("Their role in the consortium").fill(
        "Runs the Carnforth drop-in sessions; receives £9,000"
    )
    axe(provider)
    provider.get_by_role("button", name="Add partner").click()
    provider.wait_for_url("**/partners/")
    main = _main(provider)
    assert f"{PARTNER} added" in main and "Waiting to confirm" in main
    axe(provider)

    # A file attached.
    pdf = tmp_path / "project-plan.pdf"
    pdf.write_bytes(PDF)
    provider.goto(f"/bids/{bid.pk}/attachments/")
    axe(provider)
    provider.get_by_label("Upload a file").set_input_files(pdf)
    provider.get_by_role("button", name="Upload file").click()
    provider.wait_for_url("**/attachments/")
    main = _main(provider)
    assert "project-plan.pdf uploaded" in main
    assert provider.get_by_role("link", name="project-plan.pdf").count() == 1
    axe(provider)

    # Until the partner confirms, the bid cannot be submitted.
    provider.goto(bid.get_absolute_url())
    assert "Waiting for 1 partner to confirm" in _main(provider)
    assert provider.get_by_role("link", name="Submit your bid").count() == 0
    axe(provider)
    provider.goto(f"/bids/{bid.pk}/actions/submit/")
    main = _main(provider)
    assert "You cannot submit your bid yet" in main
    assert f"{PARTNER} has not confirmed it is a partner in this bid" in main
    axe(provider)

    # The partner's member confirms from their own account.
    partner = _sign_in(_new_page(browser, live_server), "ravi@example.org")
    partner.goto("/partnerships/")
    assert ORGANISATION in _main(partner)
    axe(partner)
    partner.get_by_role("link", name=re.compile(r"^Confirm")).click()
    _confirm_partnership(partner, axe, lead=ORGANISATION, partner=PARTNER)

    # The provider checks the bid and submits it.
    provider.goto(bid.get_absolute_url())
    assert "Waiting for 1 partner to confirm" not in _main(provider)
    submission = _submit_bid(
        provider, axe, bid=bid, organisation=ORGANISATION, shown=("project-plan.pdf", PARTNER)
    )

    # What the council now holds.
    bid.refresh_from_db()
    assert bid.state == "submitted"
    assert bid.organisation == organisation
    assert bid.submitted_at is not None
    assert submission.bid == bid and submission.number == 1
    assert submission.content["title"] == "Money advice in Bare and Torrisholme"
    consortium_partner = bid.partners.get()
    assert consortium_partner.organisation == partner_organisation
    assert consortium_partner.confirmed_at is not None
    assert consortium_partner.confirmed_by == partner_member
    assert bid.attachments.get().original_name == "project-plan.pdf"
    organisation.refresh_from_db()
    assert organisation.verification_status == "verified"
    assert organisation.verified_by == officer
    clarification = Clarification.objects.get()
    assert clarification.published_at is not None
    assert clarification.answered_by == officer
    assert clarification.asked_by.email == "jo@barelane.example.org"
    assert clarification.published_question == PUBLISHED_QUESTION
    assert ORGANISATION not in clarification.published_question + clarification.answer
