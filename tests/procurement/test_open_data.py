"""Open data: the awards on the register of decisions as a 360Giving package (JSON, CSV,
XLSX) valid against the standard's schema, the Transparency Code registers of grants and
of contracts, all agreeing with /decisions/ row for row, made again when something is
published, and safe to open in a spreadsheet."""

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jsonschema import Draft202012Validator
from openpyxl import load_workbook
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from commissioning.models import Area
from procurement.models import Outcome
from procurement.services.agreements import agreement_create
from tests.factories import CommissionFactory, OrganisationFactory, PlanFactory
from tests.procurement.factories_decisions import approve, awaiting_approval, award_make

pytestmark = pytest.mark.django_db

STANDARD = Path(__file__).parent / "standards_360giving"  # copied unmodified


@pytest.fixture(autouse=True)
def _no_cached_files():
    """The files are cached in the process's memory: each test starts without them."""
    cache.clear()
    yield
    cache.clear()


def validator() -> Draft202012Validator:
    """The package schema, its grants checked against the grant schema shipped beside it
    (its `$ref` names a remote URL), with the format checker: dates as date-times."""
    grant = json.loads((STANDARD / "360-giving-schema.json").read_text())
    package = json.loads((STANDARD / "360-giving-package-schema.json").read_text())
    remote = package["properties"]["grants"]["items"]["$ref"]
    resource = DRAFT202012.create_resource(grant)
    registry = Registry().with_resources([(remote, resource), (grant["$id"], resource)])
    return Draft202012Validator(
        package, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def errors_of(package: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator().iter_errors(package)
    ]


def package_of(client) -> dict:
    response = client.get("/open-data/360giving.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def table_of(client, path: str) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def everything_published(client) -> str:
    """Every open-data file and the register page, as one text to search."""
    parts = [text_of(client.get("/decisions/")), text_of(client.get("/open-data/"))]
    for name in (
        "360giving.json",
        "360giving.csv",
        "grants-register.csv",
        "contracts-register.csv",
        "outcomes.csv",
    ):
        parts.append(client.get(f"/open-data/{name}").content.decode("utf-8"))
    workbook = load_workbook(io.BytesIO(client.get("/open-data/360giving.xlsx").content))
    for row in workbook["grants"].iter_rows(values_only=True):
        parts.append(" ".join(str(value) for value in row if value is not None))
    return "\n".join(parts)


@pytest.fixture
def wards():
    lancaster = Area.objects.create(
        name="Lancaster", slug="lancaster-od", kind=Area.Kind.AREA, gss_code=""
    )
    castle = Area.objects.create(
        name="Castle", slug="castle-od", kind=Area.Kind.WARD, parent=lancaster, gss_code="E05012153"
    )
    return [lancaster, castle]


# --- The 360Giving package ---------------------------------------------------------------------


def test_the_package_is_valid_against_the_shipped_schema(client, wards):
    commission = CommissionFactory(state="delivery", title="Older people's wellbeing")
    commission.areas.set(wards)
    grant = award_make(
        commission=commission,
        organisation=OrganisationFactory(
            name="Castle Lunch Club", charity_number="1164883", org_id="GB-CHC-1164883"
        ),
        amount="12500.50",
    )
    agreement = agreement_create(decision=grant)
    PlanFactory(state="published", specifications=[grant.bid.opportunity.specification])
    award_make(
        funding_type="contract",
        amount="40000",
        organisation=OrganisationFactory(
            name="Bay Transport CIC",
            charity_number="",
            company_number="01234567",
            org_id="GB-COH-01234567",
            legal_form="cic",
        ),
    )

    package = package_of(client)

    assert errors_of(package) == []
    assert package["license"].endswith("/open-government-licence/version/3/")
    first = next(
        g for g in package["grants"] if g["recipientOrganization"][0]["name"] == "Castle Lunch Club"
    )
    assert first["id"] == f"360G-lancastercc-{grant.bid.reference}"
    assert first["fundingOrganization"] == [
        {
            "id": "GB-LAE-LAC",
            "name": "Lancaster City Council",
            "department": "Communities and Environment",
        }
    ]
    assert first["recipientOrganization"][0]["id"] == "GB-CHC-1164883"
    assert first["amountAwarded"] == 12500.5
    assert first["amountAppliedFor"] == float(grant.bid.amount_requested)
    assert first["awardDate"] == "2026-11-26"
    assert first["plannedDates"] == [
        {
            "startDate": agreement.starts_on.isoformat(),
            "endDate": agreement.ends_on.isoformat(),
            "duration": 36,
        }
    ]
    assert first["grantProgramme"][0]["code"] == commission.reference
    assert first["grantProgramme"][0]["title"] == "Older people's wellbeing"
    assert first["grantProgramme"][0]["url"].endswith("-v1/")
    assert {"name": "Castle", "countryCode": "GB", "geoCode": "E05012153", "geoCodeType": "WD"} in (
        first["beneficiaryLocation"]
    )
    assert first["fromOpenCall"] == "Yes"
    assert first["dateModified"].endswith("+00:00")


@pytest.mark.parametrize(
    "breakage",
    [
        pytest.param(lambda g: g.pop("awardDate"), id="no award date"),
        pytest.param(lambda g: g.update(awardDate="26/11/2026"), id="award date not ISO"),
        pytest.param(lambda g: g.update(dateModified="2026-11-26"), id="modified not a date-time"),
        pytest.param(lambda g: g.update(amountAwarded="£12,500"), id="amount as text"),
        pytest.param(lambda g: g.update(fromOpenCall="Maybe"), id="open call not Yes or No"),
        pytest.param(lambda g: g["recipientOrganization"][0].pop("id"), id="recipient without id"),
    ],
)
def test_a_deliberately_broken_record_fails_the_schema(client, breakage):
    award_make()
    package = package_of(client)
    assert errors_of(package) == []
    breakage(package["grants"][0])
    assert errors_of(package) != []


# --- Every file and the register agree ---------------------------------------------------------


def test_the_files_and_the_register_agree_row_for_row(client, approver):
    award_make(organisation=OrganisationFactory(name="Harbour Foodbank"), amount="12500")
    award_make(organisation=OrganisationFactory(name="Skerton Lunch Club"), amount="8000")
    award_make(
        funding_type="contract",
        amount="40000",
        organisation=OrganisationFactory(name="Lune Valley Transport"),
    )
    award_make(
        funding_type="contract", amount="4000", organisation=OrganisationFactory(name="Small Ride")
    )
    award_make(
        outcome=Outcome.UNSUCCESSFUL, organisation=OrganisationFactory(name="Turned Down Trust")
    )
    award_make(approved=False, organisation=OrganisationFactory(name="Not Yet Approved CIO"))
    assessed = awaiting_approval()
    approve(assessed, by=approver)  # two funded, the third bid loses
    winners = [bid.organisation.name for bid in assessed.bids[:2]]
    loser = assessed.bids[2].organisation.name
    draft = PlanFactory(
        title="Secret draft plan for 2031", specifications=[assessed.opportunity.specification]
    )

    register = text_of(client.get("/decisions/"))
    package = package_of(client)
    threesixty = table_of(client, "/open-data/360giving.csv")
    grants = table_of(client, "/open-data/grants-register.csv")
    contracts = table_of(client, "/open-data/contracts-register.csv")
    workbook = load_workbook(io.BytesIO(client.get("/open-data/360giving.xlsx").content))
    sheet = list(workbook["grants"].iter_rows(values_only=True))

    awarded = {
        "Harbour Foodbank": "12500.00",
        "Skerton Lunch Club": "8000.00",
        "Lune Valley Transport": "40000.00",
        "Small Ride": "4000.00",
        winners[0]: "30000.00",
        winners[1]: "25000.00",
    }
    assert "6 awards, £119,500 in total" in register
    assert all(name in register for name in awarded)
    # The 360Giving package, its CSV and its workbook: every award, once.
    assert {
        g["recipientOrganization"][0]["name"]: f"{Decimal(str(g['amountAwarded'])):.2f}"
        for g in package["grants"]
    } == awarded
    assert len(package["grants"]) == 6
    assert [row["Identifier"] for row in threesixty] == [g["id"] for g in package["grants"]]
    assert {row["Recipient Org:Name"] for row in threesixty} == set(awarded)
    assert [row[0] for row in sheet[1:]] == [g["id"] for g in package["grants"]]
    # The grants register: the grants; the contracts register: contracts over £5,000.
    assert {row["Beneficiary"]: row["Amount (£)"] for row in grants} == {
        name: amount
        for name, amount in awarded.items()
        if name not in ("Lune Valley Transport", "Small Ride")
    }
    assert [
        (row["Supplier"], row["Value (£)"]) for row in contracts if row["Type"] == "Contract"
    ] == [("Lune Valley Transport", "40000.00")]
    # Never published: a bid that lost, a decision not approved or not successful, a draft plan.
    published = everything_published(client)
    for hidden in (loser, "Turned Down Trust", "Not Yet Approved CIO", draft.title, draft.slug):
        assert hidden not in published


def test_an_invitation_to_tender_over_5000_is_on_the_contracts_register(client):
    from tests.procurement.factories_bids import ClosedOpportunityFactory

    ClosedOpportunityFactory(
        title="Dial-a-ride for the Lune Valley",
        funding_type="contract",
        budget=Decimal("60000"),
        state="published",
    )
    ClosedOpportunityFactory(
        title="Tiny repair contract",
        funding_type="contract",
        budget=Decimal("5000"),
        state="published",
    )
    ClosedOpportunityFactory(
        title="Draft transport tender",
        funding_type="contract",
        budget=Decimal("90000"),
        state="draft",
        published_at=None,
    )
    ClosedOpportunityFactory(title="Grant round", funding_type="grant", budget=Decimal("90000"))

    rows = table_of(client, "/open-data/contracts-register.csv")

    assert [
        (row["Type"], row["Title"], row["Value (£)"], row["Result of an open tender"])
        for row in rows
    ] == [("Invitation to tender", "Dial-a-ride for the Lune Valley", "60000.00", "Yes")]


def test_a_contract_says_its_supplier_registration_and_dates(client):
    decision = award_make(
        funding_type="contract",
        amount="40000",
        organisation=OrganisationFactory(
            name="Bay Transport CIC",
            charity_number="",
            company_number="01234567",
            org_id="GB-COH-01234567",
            legal_form="cic",
            income_band="100k_1m",
        ),
    )
    agreement = agreement_create(decision=decision)

    rows = table_of(client, "/open-data/contracts-register.csv")
    (row,) = [row for row in rows if row["Type"] == "Contract"]

    assert row["Reference"] == decision.bid.reference
    assert row["Supplier registration number"] == "01234567"
    assert row["Supplier organisation identifier"] == "GB-COH-01234567"
    assert row["Start date"] == agreement.starts_on.isoformat()
    assert row["End date"] == agreement.ends_on.isoformat()
    ends = agreement.ends_on
    assert row["Review date"] < row["End date"]
    assert dt.date.fromisoformat(row["Review date"]).month == (ends.month - 4) % 12 + 1
    assert row["Supplier is a VCSE"] == "Yes"
    assert row["Supplier is an SME"] == "Yes"
    assert row["Department"] == "Communities and Environment"


# --- Made again when something is published ----------------------------------------------------


def test_approving_awards_and_changing_an_agreement_refresh_the_files(
    client, approver, django_capture_on_commit_callbacks
):
    assessed = awaiting_approval()
    names = [bid.organisation.name for bid in assessed.bids]
    assert package_of(client)["grants"] == []  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        approve(assessed, by=approver)

    package = package_of(client)
    assert [g["recipientOrganization"][0]["name"] for g in package["grants"]] == names[:2]
    rows = table_of(client, "/open-data/grants-register.csv")
    assert {row["Beneficiary"] for row in rows} == set(names[:2])

    agreement = assessed.bids[0].decision.agreement
    new_end = agreement.ends_on + dt.timedelta(days=365)
    with django_capture_on_commit_callbacks(execute=True):
        agreement.ends_on = new_end
        agreement.amount = Decimal("33000")
        agreement.save()

    grant = next(
        g for g in package_of(client)["grants"] if g["recipientOrganization"][0]["name"] == names[0]
    )
    assert grant["plannedDates"][0]["endDate"] == new_end.isoformat()
    assert grant["amountAwarded"] == 33000


def test_an_approved_variation_refreshes_the_files(
    client, approver, django_capture_on_commit_callbacks
):
    from procurement.models import AgreementState
    from procurement.services.agreements import variation_approve
    from tests.procurement.factories_agreements import agreement_made
    from tests.procurement.test_variations import propose_more_money_and_time

    made = agreement_made(state=AgreementState.ACCEPTED)
    name = made.organisation.name
    before = {g["recipientOrganization"][0]["name"]: g for g in package_of(client)["grants"]}
    assert before[name]["amountAwarded"] == 30000

    with django_capture_on_commit_callbacks(execute=True):
        variation = propose_more_money_and_time(made.agreement, made.officer)
        variation_approve(variation=variation, user=approver)

    after = {g["recipientOrganization"][0]["name"]: g for g in package_of(client)["grants"]}
    assert after[name]["amountAwarded"] == 32500
    assert after[name]["plannedDates"][0]["endDate"] == "2030-09-30"
    (row,) = [
        r for r in table_of(client, "/open-data/grants-register.csv") if r["Beneficiary"] == name
    ]
    assert (row["Amount (£)"], row["Time period end"]) == ("32500.00", "2030-09-30")


def test_without_a_publication_the_cached_files_are_served(client):
    package_of(client)  # cached while there are no awards
    award_make(organisation=OrganisationFactory(name="Harbour Foodbank"))  # no commit here
    assert package_of(client)["grants"] == []


# --- Safe to open in a spreadsheet -------------------------------------------------------------


def test_a_formula_looking_beneficiary_name_is_neutralised(client):
    name = '=HYPERLINK("http://example.com/x","Click")'
    award_make(organisation=OrganisationFactory(name=name), title="+Lunch clubs")

    (grant_row,) = table_of(client, "/open-data/grants-register.csv")
    (threesixty_row,) = table_of(client, "/open-data/360giving.csv")
    workbook = load_workbook(io.BytesIO(client.get("/open-data/360giving.xlsx").content))
    header, values = list(workbook["grants"].iter_rows())[:2]

    assert grant_row["Beneficiary"] == f"'{name}"
    assert threesixty_row["Recipient Org:Name"] == f"'{name}"
    assert threesixty_row["Title"] == "'+Lunch clubs"
    cell = values[[c.value for c in header].index("Recipient Org:Name")]
    assert cell.value == name and cell.data_type == "s"  # text in the workbook, not a formula
    assert package_of(client)["grants"][0]["recipientOrganization"][0]["name"] == name


# --- The page and the files' headers -----------------------------------------------------------


def test_the_page_says_what_is_published_under_which_licence_and_how_often(client):
    award_make(organisation=OrganisationFactory(name="Harbour Foodbank"))

    response = client.get("/open-data/")

    assert response.status_code == 200
    page = text_of(response)
    assert "Open Government Licence v3.0" in page
    assert "as soon as an award decision is approved" in page
    assert "1 award so far" in page
    html = response.content.decode()
    for name in (
        "360giving.json",
        "360giving.csv",
        "360giving.xlsx",
        "grants-register.csv",
        "contracts-register.csv",
    ):
        assert f'href="/open-data/{name}"' in html
    assert re.search(r"360giving\.json \(JSON, [\d.]+ (bytes|KB)\)", page)
    assert "Last changed 11am on 26 November 2026" in page
    assert "Contracts and invitations to tender over £5,000" in page
    assert 'href="/open-data/">Open data</a>' in client.get("/decisions/").content.decode()


def test_a_file_asked_for_again_unchanged_is_not_sent_again(client):
    award_make()
    response = client.get("/open-data/grants-register.csv")
    assert response["Content-Disposition"] == 'attachment; filename="grants-register.csv"'
    assert response["Last-Modified"]
    again = client.get("/open-data/grants-register.csv", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


# --- Queries -----------------------------------------------------------------------------------

PATHS = [
    "/open-data/",
    "/open-data/360giving.json",
    "/open-data/360giving.csv",
    "/open-data/360giving.xlsx",
    "/open-data/grants-register.csv",
    "/open-data/contracts-register.csv",
    "/open-data/outcomes.csv",
]


def _queries(client, path: str) -> int:
    cache.clear()  # made from the database, not served from the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def _awards(count: int, wards) -> None:
    for number in range(count):
        commission = CommissionFactory(state="delivery")
        commission.areas.set(wards)
        decision = award_make(
            commission=commission,
            funding_type="contract" if number % 3 == 0 else "grant",
            amount=str(6000 + number),
        )
        if number % 2:
            agreement_create(decision=decision)
            PlanFactory(state="published", specifications=[decision.bid.opportunity.specification])


def test_queries_stay_flat_from_5_to_50_awards(client, wards):
    _awards(5, wards)
    client.get("/open-data/")  # warm the session
    with_5 = {path: _queries(client, path) for path in PATHS}

    _awards(45, wards)
    with_50 = {path: _queries(client, path) for path in PATHS}

    assert with_5 == with_50
    assert len(package_of(client)["grants"]) == 50
