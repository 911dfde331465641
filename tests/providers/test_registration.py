"""Registering an organisation: registration numbers, org-ids and who becomes its admin."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from commissioning.models import Sector
from providers import services
from providers.models import Membership, Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

CHARITY_FORMAT = "Enter a charity number in the correct format, like 1164883"
COMPANY_FORMAT = "Enter a company number in the correct format, like 01234567 or SC123456"


def form_data(**overrides) -> dict:
    vcfs = Sector.objects.get(short_name="VCFS")
    data = {
        "name": "Bare Village Lunch Club",
        "legal_form": "cio",
        "charity_number": "1164883",
        "company_number": "",
        "sector": vcfs.pk,
        "address": "Bare Methodist Church\nPrincess Crescent",
        "postcode": "la4 6bp",
        "income_band": "10k_100k",
        "contact_name": "Jo Bloggs",
        "contact_email": "jo@example.org",
        "contact_telephone": "01524 000000",
        "website": "https://bare.example.org",
        "description": "A weekly lunch club for older people.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def signed_in(client, provider_user):
    client.force_login(provider_user)
    return client


# --- org-id ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("charity", "company", "expected"),
    [
        ("1164883", "", "GB-CHC-1164883"),
        ("1164883", "01234567", "GB-CHC-1164883"),
        ("", "1234567", "GB-COH-01234567"),
        ("", "SC123456", "GB-COH-SC123456"),
        ("", "sc 123456", "GB-COH-SC123456"),
    ],
)
def test_org_id_comes_from_the_charity_number_then_the_company_number(charity, company, expected):
    org_id = services.organisation_derive_org_id(
        charity_number=charity, company_number=company, pk=None
    )
    assert org_id == expected


def test_an_unregistered_organisation_gets_an_id_from_the_portal(provider_user):
    organisation = services.organisation_create(
        created_by=provider_user,
        name="Halton Knitters",
        legal_form="unincorporated",
        sector=Sector.objects.get(short_name="Arts"),
    )
    assert organisation.org_id == f"{settings.THREESIXTY_GIVING_PREFIX}-ORG-{organisation.pk:05d}"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1234567", "01234567"),
        ("01234567", "01234567"),
        ("SC123456", "SC123456"),
        ("sc123456", "SC123456"),
        ("NI 012345", "NI012345"),
        ("OC1234", "OC001234"),
    ],
)
def test_company_numbers_are_stored_with_leading_zeros(typed, stored):
    assert services.normalise_company_number(typed) == stored
    assert services.company_number_is_valid(stored)


@pytest.mark.parametrize("number", ["123456789", "XX123456", "SC1234567", "12-34", "ABCDEFGH"])
def test_company_numbers_in_the_wrong_format_are_refused(number):
    assert not services.company_number_is_valid(services.normalise_company_number(number))


@pytest.mark.parametrize(("number", "valid"), [("1164883", True), ("522871", True),
                                              ("12345", False), ("12345678", False),
                                              ("SC012345", False), ("116488a", False)])  # fmt: skip
def test_charity_numbers_are_six_or_seven_digits(number, valid):
    assert services.charity_number_is_valid(number) is valid


# --- The registration form ------------------------------------------------------------------


def test_registering_makes_the_creator_its_admin_and_waits_for_verification(
    signed_in, provider_user
):
    response = signed_in.post("/organisations/new/", form_data())

    organisation = Organisation.objects.get(name="Bare Village Lunch Club")
    assert response.status_code == 302
    assert response["Location"] == f"/organisations/{organisation.pk}/"
    assert organisation.org_id == "GB-CHC-1164883"
    assert organisation.postcode == "LA4 6BP"
    assert organisation.verification_status == Organisation.Verification.PENDING
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.role) == (provider_user, Membership.Role.ADMIN)

    page = signed_in.get(response["Location"]).content.decode()
    assert "Waiting for the council to verify your organisation." in page
    assert "You cannot submit bids until it is verified." in page
    assert "GB-CHC-1164883" in page


def test_a_company_gets_a_companies_house_org_id_with_leading_zeros(signed_in):
    signed_in.post(
        "/organisations/new/",
        form_data(legal_form="clg", charity_number="", company_number="1234567"),
    )
    organisation = Organisation.objects.get(name="Bare Village Lunch Club")
    assert organisation.company_number == "01234567"
    assert organisation.org_id == "GB-COH-01234567"


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("charity_number", "11648", CHARITY_FORMAT),
        ("charity_number", "AB12345", CHARITY_FORMAT),
        ("company_number", "123456789", COMPANY_FORMAT),
        ("company_number", "XY123456", COMPANY_FORMAT),
    ],
)
def test_numbers_in_the_wrong_format_are_explained_and_kept(signed_in, field, typed, message):
    response = signed_in.post("/organisations/new/", form_data(**{field: typed}))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count(message) == 2  # in the error summary and beside the field
    assert '<div class="govuk-error-summary"' in page
    assert f'href="#id_{field}"' in page
    assert f'value="{typed}"' in page  # what they typed is kept
    assert 'value="Bare Village Lunch Club"' in page
    assert "<title>Error: " in page
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("legal_form", "field", "message"),
    [
        ("charity", "charity_number", services.CHARITY_NUMBER_NEEDED),
        ("cio", "charity_number", services.CHARITY_NUMBER_NEEDED),
        ("clg", "company_number", services.COMPANY_NUMBER_NEEDED),
        ("cic", "company_number", services.COMPANY_NUMBER_NEEDED),
    ],
)
def test_charities_need_a_charity_number_and_companies_a_company_number(
    signed_in, legal_form, field, message
):
    response = signed_in.post(
        "/organisations/new/",
        form_data(legal_form=legal_form, charity_number="", company_number=""),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors[field] == [message]


def test_an_organisation_already_registered_is_refused_with_a_link_to_join_it(signed_in):
    existing = OrganisationFactory(name="Morecambe Bay Food Network", charity_number="1164883")

    response = signed_in.post("/organisations/new/", form_data())

    page = response.content.decode()
    assert page.count(services.CHARITY_NUMBER_TAKEN) == 2
    assert f'href="/organisations/join/?organisation={existing.pk}"' in page
    assert Organisation.objects.count() == 1


def test_a_company_number_already_registered_is_refused(signed_in):
    OrganisationFactory(charity_number="", company_number="01234567", org_id="GB-COH-01234567")
    response = signed_in.post(
        "/organisations/new/",
        form_data(legal_form="clg", charity_number="", company_number="1234567"),
    )
    assert response.context["form"].errors["company_number"] == [services.COMPANY_NUMBER_TAKEN]


def test_the_service_refuses_what_the_form_refuses(provider_user):
    OrganisationFactory(charity_number="1164883")
    with pytest.raises(ValidationError) as error:
        services.organisation_create(
            created_by=provider_user,
            name="Copycat",
            legal_form="cio",
            charity_number="1164883",
            sector=Sector.objects.get(short_name="VCFS"),
        )
    assert error.value.message_dict == {"charity_number": [services.CHARITY_NUMBER_TAKEN]}


def test_missing_answers_get_govuk_messages(signed_in):
    response = signed_in.post("/organisations/new/", {})
    errors = response.context["form"].errors
    assert errors["name"] == ["Enter your organisation’s name"]
    assert errors["legal_form"] == ["Select your organisation’s legal form"]
    assert errors["sector"] == ["Select the sector your organisation is in"]


def test_the_form_offers_every_legal_form_and_the_wards(signed_in):
    from demo.commissions import demo_areas_seed

    demo_areas_seed()
    page = signed_in.get("/organisations/new/").content.decode()
    for label in (
        "Registered charity",
        "Charitable incorporated organisation (CIO)",
        "Company limited by guarantee",
        "Community interest company (CIC)",
        "Community benefit society",
        "Unincorporated group or association",
        "Faith group",
        "Other",
    ):
        assert label in page
    assert "Skerton East (Lancaster)" in page or "Skerton East" in page


# --- Public Procurement Organisation Number ------------------------------------------------------


def test_a_ppon_is_kept_beside_the_registration_numbers(signed_in):
    response = signed_in.post("/organisations/new/", form_data(ppon="pabc-1234-defg "))
    organisation = Organisation.objects.get(name="Bare Village Lunch Club")
    assert organisation.ppon == "PABC-1234-DEFG"
    page = signed_in.get(response["Location"]).content.decode()
    assert "Public Procurement Organisation Number (PPON)" in page
    assert "PABC-1234-DEFG" in page


def test_a_ppon_in_the_wrong_format_is_explained_and_kept(signed_in):
    response = signed_in.post("/organisations/new/", form_data(ppon="not a number!"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Enter the PPON as the Central Digital Platform shows it") == 2
    assert 'value="not a number!"' in page
    assert not Organisation.objects.exists()


def test_the_ppon_can_be_added_later_without_verifying_again(signed_in, provider_user):
    organisation = OrganisationFactory(verification_status=Organisation.Verification.VERIFIED)
    Membership.objects.create(
        organisation=organisation, user=provider_user, role=Membership.Role.ADMIN
    )
    services.organisation_update(
        organisation=organisation, changed_by=provider_user, ppon="PXYZ-0001-ABCD"
    )
    organisation.refresh_from_db()
    assert organisation.ppon == "PXYZ-0001-ABCD"
    assert organisation.verification_status == Organisation.Verification.VERIFIED
