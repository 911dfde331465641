"""A two-stage opportunity: a provider checks its organisation's eligibility (a wrong answer
first, which says why it cannot apply, then corrected), sends an expression of interest
before its deadline; after it, an officer declares no conflict, shortlists the organisation
with reasons and sends the decisions; the provider reads why, starts the full bid from what
it wrote, and finds a partner with the partner finder on the bid's partners step. The
partner's member confirms from the to-do on their own page; the provider does what the bid's
task list says is still needed and submits before the deadline. The officer cannot read the
sealed bid. axe-core clean on every page."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from core.models import Email
from core.roles import Role
from procurement.models import Bid, ExpressionOfInterest
from procurement.selectors.eligibility import eligibility_questions, eligibility_requirement_get
from procurement.services.eligibility import eligibility_requirement_set
from providers.models import PartnerProfile
from tests.browser.test_bid_journey import (
    _confirm_partnership,
    _fill_budget,
    _fill_targets,
    _main,
    _new_page,
    _sign_in,
    _submit_bid,
)
from tests.factories import OrganisationFactory, UserFactory
from tests.procurement.factories_expressions import two_stage_opportunity
from tests.procurement.factories_opportunities import published_specification

ORGANISATION = "Bare Lane Money Advice"
SUMMARY = "Money advice at the Bare Lane library every Tuesday, and home visits for carers."
REASONS = "Reaches the wards with the most debt and works with the credit union."
PARTNER = "Heysham Befriending Network"
PARTNER_ROLE = "Home visits to carers in Heysham; receives £6,000"
TITLE = "Money advice for carers in Bare and Heysham"
DELIVERY = "Two advisers, trained by the credit union, run the sessions from January."


@pytest.mark.django_db(transaction=True)
def test_provider_expresses_interest_is_shortlisted_and_bids(browser, live_server, axe, clock):
    officer = UserFactory(roles=[Role.OFFICER], email="sam@example.org", full_name="Sam Okafor")
    specification = published_specification(lead_officer=officer, state="procurement")
    opportunity = two_stage_opportunity(
        specification=specification, title="Community money advice", questions=2
    )
    eligibility_requirement_set(
        opportunity=opportunity,
        legal_forms=["charity", "cio"],
        areas=[],
        income_bands=[],
        registered_number_required=True,
        by=officer,
    )
    legal_form, _registered = eligibility_questions(
        requirement=eligibility_requirement_get(opportunity=opportunity)
    )
    jo = UserFactory(roles=[Role.PROVIDER], email="jo@example.org", full_name="Jo White")
    OrganisationFactory(name=ORGANISATION, members=[jo])
    # An organisation that offers to be found for consortium bids, and one that does not.
    ali = UserFactory(roles=[Role.PROVIDER], email="ali@example.org", full_name="Ali Khan")
    partner = OrganisationFactory(name=PARTNER, members=[ali])
    PartnerProfile.objects.create(
        organisation=partner, findable=True, offer="Befriending and home visits for carers"
    )
    hidden = OrganisationFactory(name="Hala Befriending Circle")
    PartnerProfile.objects.create(
        organisation=hidden, findable=False, offer="Befriending for older people"
    )

    # The provider checks whether its organisation can apply: a wrong answer says why not.
    provider = _sign_in(_new_page(browser, live_server), jo.email)
    provider.goto(opportunity.get_absolute_url())
    assert "This opportunity has two stages." in _main(provider)
    axe(provider)
    provider.get_by_role("link", name="Check if your organisation can apply").click()
    assert "Check if you can apply" in _main(provider)
    axe(provider)
    provider.get_by_role("group", name=legal_form.text).get_by_label("No").check()
    provider.get_by_role("button", name="Check if you can apply").click()
    main = _main(provider)
    assert f"{ORGANISATION} cannot apply" in main and legal_form.refusal in main
    axe(provider)
    provider.get_by_role("group", name=legal_form.text).get_by_label("Yes").check()
    provider.get_by_role("button", name="Check if you can apply").click()
    main = _main(provider)
    assert "You can apply" in main and legal_form.refusal not in main
    axe(provider)

    # It goes on to express interest.
    provider.get_by_role("button", name="Express interest").click()
    assert f"You are expressing interest for {ORGANISATION}" in _main(provider)
    axe(provider)
    provider.get_by_role("button", name="Start your expression of interest").click()
    provider.get_by_label("Summary of your proposal").fill(SUMMARY)
    provider.get_by_label("Estimate of the amount you will ask for (£)").fill("lots")
    provider.get_by_role("button", name="Save and continue").click()
    assert "must be an amount of money" in _main(provider)
    assert provider.get_by_label("Summary of your proposal").input_value() == SUMMARY
    axe(provider)
    provider.get_by_label("Estimate of the amount you will ask for (£)").fill("38,000")
    provider.get_by_label("Who you work with (optional)").fill("Quayside Credit Union")
    provider.get_by_role("button", name="Save and continue").click()
    send = provider.get_by_role("button", name="Send the expression of interest")
    send.wait_for()
    assert "Quayside Credit Union" in _main(provider)
    axe(provider)
    send.click()
    assert "Send the expression of interest" in provider.locator("h1").inner_text()
    axe(provider)
    send.click()
    assert "The council shortlists after the deadline" in _main(provider)
    expression = ExpressionOfInterest.objects.get()
    assert expression.state == "submitted"

    # After the deadline the officer declares, reads, shortlists and sends the decisions.
    clock.move_to(opportunity.expression_stage.closes_at + dt.timedelta(minutes=5))
    staff = _sign_in(_new_page(browser, live_server), officer.email)
    staff.goto(f"/staff/opportunities/{opportunity.pk}/shortlist/")
    assert "Expressions of interest received: 1" in _main(staff)
    axe(staff)
    staff.get_by_role("button", name="Declare your interests").click()
    axe(staff)
    staff.get_by_label("No conflict of interest").check()
    staff.get_by_role("button", name="Send your declarations").click()
    staff.get_by_role("link", name=ORGANISATION).click()
    assert SUMMARY in _main(staff)
    axe(staff)
    staff.get_by_role("button", name="Shortlist the organisation", exact=True).click()
    staff.get_by_role("button", name="Shortlist the organisation", exact=True).click()
    assert "Enter the reasons for the decision" in _main(staff)
    axe(staff)
    staff.get_by_label("Reasons for the decision").fill(REASONS)
    staff.get_by_role("button", name="Shortlist the organisation", exact=True).click()
    assert f"{ORGANISATION} shortlisted" in _main(staff)
    axe(staff)
    staff.get_by_role("button", name="Send the decisions").click()
    axe(staff)
    staff.get_by_role("button", name="Send the decisions").click()
    assert "The decisions have been sent to every organisation" in _main(staff)
    assert REASONS in Email.objects.get(to=jo.email, subject__startswith="You are shortlisted").body

    # The provider reads why, and starts the full bid from what it wrote.
    provider.goto(expression.get_absolute_url())
    assert "You are shortlisted" in _main(provider)
    assert REASONS in _main(provider)
    axe(provider)
    provider.get_by_role("button", name="Start your full bid").click()
    bid = Bid.objects.get()
    provider.wait_for_url(f"**{bid.get_absolute_url()}")
    axe(provider)
    assert bid.amount_requested == Decimal("38000")
    assert bid.answers.filter(text__startswith=SUMMARY).exists()

    # From the bid's partners step it finds an organisation that offers to work together
    # (not one that asked not to be found) and adds it as a partner.
    provider.get_by_role("link", name="Consortium partners").click()
    provider.wait_for_url("**/partners/")
    axe(provider)
    provider.get_by_label("What you are looking for").fill("befriending")
    provider.get_by_role("button", name="Find organisations").click()
    provider.wait_for_url("**/partners/?offer=befriending*")
    main = _main(provider)
    assert PARTNER in main and "Befriending and home visits for carers" in main
    assert "Hala Befriending Circle" not in main
    axe(provider)
    provider.get_by_role("link", name=f"Add {PARTNER} as a partner").click()
    provider.get_by_label(PARTNER).check()
    provider.get_by_label("Their role in the consortium").fill(PARTNER_ROLE)
    axe(provider)
    provider.get_by_role("button", name="Add partner").click()
    provider.wait_for_url(re.compile(r".*/partners/(#.*)?$"))
    main = _main(provider)
    assert f"{PARTNER} added" in main and "Waiting to confirm" in main and PARTNER_ROLE in main
    axe(provider)
    assert Email.objects.filter(to=ali.email).exists()

    # The bid shows the partner still to confirm.
    provider.goto(bid.get_absolute_url())
    assert "Waiting for 1 partner to confirm" in _main(provider)
    axe(provider)

    # The partner's member signs in the next morning; their first page asks them to confirm.
    clock.shift(dt.timedelta(days=1))
    partner_page = _sign_in(_new_page(browser, live_server), ali.email)
    partner_page.wait_for_url("**/organisations/")
    assert f"Confirm {PARTNER} is a partner in {ORGANISATION}’s bid" in _main(partner_page)
    axe(partner_page)
    partner_page.get_by_role("link", name=re.compile(r"^Confirm the partnership")).click()
    _confirm_partnership(partner_page, axe, lead=ORGANISATION, partner=PARTNER)

    # The provider follows what the task list says is still needed, one link at a time.
    provider.reload()
    main = _main(provider)
    assert "1 partner confirmed" in main and "Still needed" in main
    axe(provider)
    bid_page = re.compile(rf"/bids/{bid.pk}/(#\w*)?$")
    provider.get_by_role("link", name="Enter the project title").click()
    provider.wait_for_url("**/edit/#id_title")
    axe(provider)
    provider.get_by_label("Project title").fill(TITLE)
    provider.get_by_role("button", name="Save draft").click()
    provider.wait_for_url(bid_page)
    main = _main(provider)
    assert "Your draft has been saved" in main and "Enter the project title" not in main
    axe(provider)
    provider.get_by_role("link", name="Answer question 2").click()
    second = opportunity.questions.order_by("order")[1]
    provider.wait_for_url(f"**/edit/#id_answer_{second.pk}")
    provider.locator(f"#id_answer_{second.pk}").fill(DELIVERY)
    provider.get_by_role("button", name="Save draft").click()
    provider.wait_for_url(bid_page)
    assert "Answer question 2" not in _main(provider)
    axe(provider)
    provider.get_by_role("link", name="Enter your targets for People supported").click()
    provider.wait_for_url("**/targets/")
    axe(provider)
    _fill_targets(provider, "People supported", ["50", "100", "150"])
    provider.get_by_role("button", name="Save targets").click()
    provider.wait_for_url(bid_page)
    main = _main(provider)
    assert "Targets saved" in main and "Still needed" not in main
    axe(provider)

    # The budget is not required to submit, but the task list shows it not started.
    provider.get_by_role("link", name="Budget breakdown").click()
    provider.wait_for_url("**/budget/")
    _fill_budget(
        provider,
        [("Two money advisers, part time", "32000"), ("Home visits to carers", "6000")],
    )
    axe(provider)
    provider.get_by_role("button", name="Save budget").click()
    provider.wait_for_url(bid_page)
    assert "Total £38,000" in _main(provider)
    axe(provider)

    # It submits before the deadline and reads its receipt.
    submission = _submit_bid(
        provider, axe, bid=bid, organisation=ORGANISATION, shown=(TITLE, PARTNER)
    )
    bid.refresh_from_db()
    assert bid.state == "submitted" and bid.submitted_at < opportunity.closes_at
    assert submission.content["title"] == TITLE
    assert submission.content["answers"][1]["text"] == DELIVERY

    # Sealed: before the deadline the officer sees that a bid came in, and nothing of it.
    staff.goto(f"/staff/opportunities/{opportunity.pk}/bids/")
    main = _main(staff)
    assert "1 bid received. Bids are sealed until" in main
    assert ORGANISATION not in main and TITLE not in main and DELIVERY not in main
    axe(staff)
