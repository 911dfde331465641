"""The eligibility check before a bid: the officer's yes/no questions, an organisation's
answers on a one-page check that says plainly whether it can apply, and a bid from an
organisation that fails it refused at submit."""

import re
from html import unescape

import pytest
from django_fsm import TransitionNotAllowed

from commissioning.models import Area
from procurement.models import BidSubmission, EligibilityCheck
from procurement.selectors.bids import bid_submit_problems
from procurement.selectors.eligibility import eligibility_requirement_initial
from procurement.services import bids as bid_services
from procurement.services.eligibility import eligibility_requirement_set
from tests.factories import OrganisationFactory
from tests.procurement.factories_bids import BidFactory, OpportunityFactory, bid_complete, member

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def morecambe():
    return Area.objects.create(name="Morecambe", slug="morecambe", kind=Area.Kind.AREA)


@pytest.fixture
def opportunity(morecambe):
    """Open to charities and CIOs serving Morecambe, with a registered number."""
    opportunity = OpportunityFactory()
    eligibility_requirement_set(
        opportunity=opportunity,
        legal_forms=["charity", "cio"],
        areas=[morecambe],
        income_bands=[],
        registered_number_required=True,
        by=None,
    )
    return opportunity


def check_url(opportunity) -> str:
    return f"/opportunities/{opportunity.slug}/eligibility/"


def test_a_check_that_passes_says_you_can_apply(client, opportunity, morecambe):
    organisation = OrganisationFactory(legal_form="cio")
    organisation.wards_served.add(morecambe)
    client.force_login(member(organisation))

    page = client.get(check_url(opportunity))
    # The organisation's details suggest the answers: all yes here.
    assert page.context["form"].initial == {
        "legal_form": "yes",
        "area": "yes",
        "registered_number": "yes",
    }
    assert "Does your organisation serve people in Morecambe?" in text_of(page)

    response = client.post(
        check_url(opportunity),
        {"legal_form": "yes", "area": "yes", "registered_number": "yes"},
        follow=True,
    )

    assert "You can apply" in text_of(response)
    check = EligibilityCheck.objects.get(opportunity=opportunity, organisation=organisation)
    assert check.passed and check.answers == {
        "legal_form": True,
        "area": True,
        "registered_number": True,
    }


def test_a_check_that_fails_says_why_and_the_answers_are_kept(client, opportunity):
    organisation = OrganisationFactory(legal_form="cic", name="Bay Bikes CIC")
    client.force_login(member(organisation))

    response = client.post(
        check_url(opportunity),
        {"legal_form": "no", "area": "yes", "registered_number": "yes"},
        follow=True,
    )

    page = text_of(response)
    assert "Bay Bikes CIC cannot apply" in page
    assert (
        "This opportunity is open only to a registered charity or charitable incorporated "
        "organisation (CIO)." in page
    )
    check = EligibilityCheck.objects.get(opportunity=opportunity, organisation=organisation)
    assert not check.passed
    # Answering again replaces the answers: still one check per organisation.
    client.post(
        check_url(opportunity), {"legal_form": "yes", "area": "yes", "registered_number": "yes"}
    )
    assert EligibilityCheck.objects.filter(organisation=organisation).count() == 1


def test_an_unanswered_question_is_an_error_beside_it_and_keeps_the_others(client, opportunity):
    organisation = OrganisationFactory()
    client.force_login(member(organisation))

    response = client.post(check_url(opportunity), {"legal_form": "yes", "area": "maybe"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error:" in page
    assert "There is a problem" in page
    assert page.count("Select yes or no") == 4  # two in the summary, two beside the fields
    assert response.context["form"].data["legal_form"] == "yes"
    assert not EligibilityCheck.objects.exists()


def test_another_organisations_check_is_not_found(client, opportunity):
    mine = OrganisationFactory()
    theirs = OrganisationFactory()
    client.force_login(member(mine))

    assert client.get(f"{check_url(opportunity)}?organisation={theirs.pk}").status_code == 404
    assert client.get(f"{check_url(opportunity)}?organisation=x").status_code == 400


# --- The refusal at submit ---------------------------------------------------------------------


def test_a_bid_from_an_organisation_that_fails_the_check_cannot_be_submitted(client, opportunity):
    organisation = OrganisationFactory(legal_form="cic")
    lead = member(organisation)
    bid = bid_complete(BidFactory(opportunity=opportunity, organisation=organisation))
    client.force_login(lead)

    # Not checked yet: the checklist says to check, with a link to the check.
    assert bid_submit_problems(bid=bid) == [
        f"Check {organisation.name} can apply: answer the eligibility questions"
    ]
    client.post(
        check_url(opportunity), {"legal_form": "no", "area": "yes", "registered_number": "yes"}
    )

    page = text_of(client.get(f"/bids/{bid.pk}/actions/submit/"))
    assert "You cannot submit your bid yet" in page
    assert (
        f"{organisation.name} cannot apply: This opportunity is open only to a registered" in page
    )
    client.post(
        f"/bids/{bid.pk}/actions/submit/",
        {"seen_state": "draft", "declaration": "on"},
    )
    bid.refresh_from_db()
    assert bid.state == "draft"
    assert not BidSubmission.objects.exists()
    with pytest.raises(TransitionNotAllowed):
        bid_services.bid_transition(bid=bid, name="submit", user=lead)

    # Answering yes (say the organisation had converted to a CIO) lets it submit.
    client.post(
        check_url(opportunity), {"legal_form": "yes", "area": "yes", "registered_number": "yes"}
    )
    bid_services.bid_transition(bid=bid, name="submit", user=lead)
    bid.refresh_from_db()
    assert bid.state == "submitted"


def test_a_question_added_after_the_check_must_be_answered_before_submitting(opportunity):
    organisation = OrganisationFactory()
    lead = member(organisation)
    bid = bid_complete(BidFactory(opportunity=opportunity, organisation=organisation))
    EligibilityCheck.objects.create(
        opportunity=opportunity,
        organisation=organisation,
        answers={"legal_form": True, "area": True, "registered_number": True},
        passed=True,
        checked_at=opportunity.opens_at,
    )
    eligibility_requirement_set(
        opportunity=opportunity,
        legal_forms=["charity", "cio"],
        areas=list(opportunity.eligibility_requirement.areas.all()),
        income_bands=["under_10k"],
        registered_number_required=True,
        by=None,
    )

    with pytest.raises(TransitionNotAllowed):
        bid_services.bid_transition(bid=bid, name="submit", user=lead)


def test_an_opportunity_without_questions_asks_nothing(client):
    opportunity = OpportunityFactory()
    organisation = OrganisationFactory()
    client.force_login(member(organisation))

    assert "any registered organisation can apply" in text_of(client.get(check_url(opportunity)))
    bid = bid_complete(BidFactory(opportunity=opportunity, organisation=organisation))
    assert bid_submit_problems(bid=bid) == []


# --- The officer's questions -------------------------------------------------------------------


def test_the_officers_form_starts_from_the_opportunitys_eligibility_text(morecambe):
    opportunity = OpportunityFactory(
        eligibility="Registered charities and community interest companies with a registered "
        "number."
    )
    opportunity.specification.commission.areas.set([morecambe])

    initial = eligibility_requirement_initial(opportunity=opportunity)

    assert initial["legal_forms"] == ["charity", "cio", "cic"]
    assert initial["areas"] == [morecambe]
    assert initial["registered_number_required"] is True


def test_an_officer_sets_the_questions(client, officer, morecambe):
    opportunity = OpportunityFactory()
    client.force_login(officer)
    url = f"/staff/opportunities/{opportunity.pk}/eligibility/"
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "legal_forms": ["clg", "cic"],
            "areas": [morecambe.pk],
            "income_bands": ["under_10k", "10k_100k"],
            "registered_number_required": "no",
        },
    )

    assert response.status_code == 302
    requirement = opportunity.eligibility_requirement
    assert requirement.legal_forms == ["clg", "cic"]
    assert list(requirement.areas.all()) == [morecambe]
    assert requirement.income_bands == ["under_10k", "10k_100k"]
    assert requirement.registered_number_required is False


def test_the_officers_form_says_what_is_missing_beside_the_field(client, officer):
    opportunity = OpportunityFactory()
    client.force_login(officer)

    response = client.post(
        f"/staff/opportunities/{opportunity.pk}/eligibility/", {"legal_forms": ["clg"]}
    )

    page = response.content.decode()
    assert "Select yes if the organisation must have a number" in page
    assert response.context["form"].data.getlist("legal_forms") == ["clg"]
