"""The published files, written from the records: the 360Giving Data Standard package (JSON,
and the same as one spreadsheet row per grant in CSV and XLSX, with the standard's column
titles), and the Local Government Transparency Code 2015 registers of grants to voluntary,
community and social enterprise organisations and of contracts and invitations to tender.
"""

import datetime as dt
import io
import json
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.emails import absolute_url
from core.spreadsheets import csv_bytes
from procurement.open_data.records import (
    AwardRecord,
    OutcomeRecord,
    TenderRecord,
    is_sme,
    is_vcse,
    registration_number,
)

THREESIXTY_GIVING_VERSION = "1.4"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def _number(value: Decimal) -> int | float:
    """Pounds as a JSON number: 12500 or 12500.5."""
    return int(value) if value == value.to_integral_value() else float(value)


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _datetime(value: dt.datetime) -> str:
    """A full date-time in UTC: "2026-11-26T10:00:00+00:00"."""
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def _yes_no(value: bool | None) -> str:
    return {True: "Yes", False: "No", None: "Not known"}[value]


def _council() -> dict:
    return settings.COUNCIL


# --- 360Giving ---------------------------------------------------------------------------------


def threesixty_grant(record: AwardRecord) -> dict:
    """One grant as the 360Giving Data Standard (1.4) describes it."""
    organisation = record.organisation
    recipient = {"id": organisation.org_id, "name": organisation.name}
    if organisation.charity_number.strip():
        recipient["charityNumber"] = organisation.charity_number.strip()
    if organisation.company_number.strip():
        recipient["companyNumber"] = organisation.company_number.strip()
    if organisation.postcode.strip():
        recipient["postalCode"] = organisation.postcode.strip()
    programme = {"code": record.programme.code, "title": record.programme.title}
    if record.programme.url:
        programme["url"] = record.programme.url
    locations = []
    for place in record.places:
        location = {"name": place.name, "countryCode": "GB"}
        if place.geo_code:
            location["geoCode"] = place.geo_code
        if place.geo_code_type:
            location["geoCodeType"] = place.geo_code_type
        locations.append(location)
    grant = {
        "id": record.grant_id,
        "title": record.title,
        "description": record.description,
        "currency": "GBP",
        "amountAwarded": _number(record.amount_awarded),
        "awardDate": _date(record.award_date),
        "url": record.url,
        "plannedDates": [
            {
                "startDate": _date(record.starts_on),
                "endDate": _date(record.ends_on),
                "duration": _number(record.duration_months),
            }
        ],
        "recipientOrganization": [recipient],
        "fundingOrganization": [
            {
                "id": _council()["org_id"],
                "name": _council()["name"],
                "department": _council()["department"],
            }
        ],
        "grantProgramme": [programme],
        "beneficiaryLocation": locations,
        "fromOpenCall": "Yes" if record.from_open_call else "No",
        "dateModified": _datetime(record.modified),
    }
    if record.amount_applied_for is not None:
        grant["amountAppliedFor"] = _number(record.amount_applied_for)
    return grant


def threesixty_package(*, records: list[AwardRecord], modified: dt.datetime | None) -> dict:
    """The data package: every grant, with who publishes it and under which licence."""
    council = _council()
    package = {
        "grants": [threesixty_grant(record) for record in records],
        "version": THREESIXTY_GIVING_VERSION,
        "title": f"{council['name']} grants and contracts awarded through the "
        f"{settings.SERVICE_NAME.lower()}",
        "description": (
            f"Every grant and contract {council['name']} has awarded to voluntary, community, "
            "faith and arts organisations through its commissioning portal, from the register "
            "of award decisions."
        ),
        "identifier": f"{settings.THREESIXTY_GIVING_PREFIX}-portal",
        "publisher": {
            "identifier": council["org_id"],
            "name": council["name"],
            "website": council["website"],
        },
        "license": LICENCE_URL,
        "downloadURL": absolute_url(reverse("procurement:open_data_360giving_json")),
        "accessURL": absolute_url(reverse("procurement:open_data")),
    }
    if modified is not None:
        package["modified"] = _datetime(modified)
    return package


# The standard's column titles (its schema's titles, "Parent:Child" for the first item of a
# list), in the order of its spreadsheet template. Beneficiary locations are numbered,
# "Beneficiary Location:0:Name", as a grant may serve several.
THREESIXTY_COLUMNS = [
    ("Identifier", ("id",)),
    ("Title", ("title",)),
    ("Description", ("description",)),
    ("Currency", ("currency",)),
    ("Amount Applied For", ("amountAppliedFor",)),
    ("Amount Awarded", ("amountAwarded",)),
    ("Award Date", ("awardDate",)),
    ("URL", ("url",)),
    ("Planned Dates:Start Date", ("plannedDates", "startDate")),
    ("Planned Dates:End Date", ("plannedDates", "endDate")),
    ("Planned Dates:Duration (months)", ("plannedDates", "duration")),
    ("Recipient Org:Identifier", ("recipientOrganization", "id")),
    ("Recipient Org:Name", ("recipientOrganization", "name")),
    ("Recipient Org:Charity Number", ("recipientOrganization", "charityNumber")),
    ("Recipient Org:Company Number", ("recipientOrganization", "companyNumber")),
    ("Recipient Org:Postal Code", ("recipientOrganization", "postalCode")),
    ("Funding Org:Identifier", ("fundingOrganization", "id")),
    ("Funding Org:Name", ("fundingOrganization", "name")),
    ("Funding Org:Department", ("fundingOrganization", "department")),
    ("Grant Programme:Code", ("grantProgramme", "code")),
    ("Grant Programme:Title", ("grantProgramme", "title")),
    ("Grant Programme:URL", ("grantProgramme", "url")),
    ("From An Open Call?", ("fromOpenCall",)),
    ("Last Modified", ("dateModified",)),
]
LOCATION_COLUMNS = [
    ("Name", "name"),
    ("Country Code", "countryCode"),
    ("Geographic Code", "geoCode"),
    ("Geographic Code Type", "geoCodeType"),
]


def _value(grant: dict, path: tuple[str, ...]):
    value = grant.get(path[0], "")
    if len(path) == 2:
        value = value[0].get(path[1], "") if value else ""
    return value


def threesixty_table(grants: list[dict]) -> tuple[list[str], list[list]]:
    """The grants as one row each, under the standard's column titles."""
    places = max((len(grant["beneficiaryLocation"]) for grant in grants), default=1)
    header = [title for title, _ in THREESIXTY_COLUMNS]
    header += [
        f"Beneficiary Location:{number}:{title}"
        for number in range(places)
        for title, _ in LOCATION_COLUMNS
    ]
    rows = []
    for grant in grants:
        row = [_value(grant, path) for _, path in THREESIXTY_COLUMNS]
        locations = grant["beneficiaryLocation"]
        for number in range(places):
            location = locations[number] if number < len(locations) else {}
            row += [location.get(key, "") for _, key in LOCATION_COLUMNS]
        rows.append(row)
    return header, rows


def threesixty_json_bytes(package: dict) -> bytes:
    """The package, indented. Written piece by piece into one buffer: `json.dumps` with an
    indent gathers every piece in a list first, several times the file's size in memory."""
    buffer = io.BytesIO()
    with io.TextIOWrapper(buffer, encoding="utf-8", write_through=False) as text:
        json.dump(package, text, indent=2, ensure_ascii=False)
        text.write("\n")
        text.flush()
        return buffer.getvalue()


def threesixty_csv_bytes(package: dict) -> bytes:
    header, rows = threesixty_table(package["grants"])
    return csv_bytes(header=header, rows=rows)


def threesixty_xlsx_bytes(package: dict) -> bytes:
    """The same table as an Excel workbook, every text cell stored as text (never a
    formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    header, rows = threesixty_table(package["grants"])
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("grants")

    def cell(value):
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            written.data_type = "s"
        return written

    sheet.append([cell(title) for title in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.properties.creator = _council()["name"]
    workbook.properties.created = timezone.now().replace(tzinfo=None)
    workbook.save(buffer)
    return buffer.getvalue()


# --- Transparency Code registers ---------------------------------------------------------------

GRANTS_REGISTER_HEADER = [
    "Date awarded",
    "Time period start",
    "Time period end",
    "Department",
    "Beneficiary",
    "Beneficiary registration number",
    "Beneficiary organisation identifier",
    "Summary of purpose",
    "Amount (£)",
    "Grant identifier",
]


def grants_register_rows(records: list[AwardRecord]) -> list[list]:
    """The grants (not contracts) on the register, one row each."""
    department = _council()["department"]
    return [
        [
            _date(record.award_date),
            _date(record.starts_on),
            _date(record.ends_on),
            department,
            record.organisation.name,
            registration_number(record.organisation),
            record.organisation.org_id,
            record.description,
            f"{record.amount_awarded:.2f}",
            record.grant_id,
        ]
        for record in records
        if record.is_grant
    ]


CONTRACTS_REGISTER_HEADER = [
    "Type",
    "Reference",
    "Title",
    "Description",
    "Department",
    "Supplier",
    "Supplier registration number",
    "Supplier organisation identifier",
    "Value (£)",
    "Start date",
    "End date",
    "Review date",
    "Result of an open tender",
    "Supplier is a VCSE",
    "Supplier is an SME",
    "Date awarded or published",
]


def contracts_register_rows(
    *, records: list[AwardRecord], tenders: list[TenderRecord], threshold: Decimal
) -> list[list]:
    """Every contract awarded for more than `threshold`, then every invitation to tender
    for one."""
    department = _council()["department"]
    rows = [
        [
            "Contract",
            record.reference,
            record.title,
            record.description,
            department,
            record.organisation.name,
            registration_number(record.organisation),
            record.organisation.org_id,
            f"{record.amount_awarded:.2f}",
            _date(record.starts_on),
            _date(record.ends_on),
            _date(record.review_on),
            _yes_no(record.from_open_call),
            _yes_no(is_vcse(record.organisation)),
            _yes_no(is_sme(record.organisation)),
            _date(record.award_date),
        ]
        for record in records
        if not record.is_grant and record.amount_awarded > threshold
    ]
    rows += [
        [
            "Invitation to tender",
            tender.opportunity.reference,
            tender.opportunity.title,
            tender.opportunity.summary,
            department,
            "",
            "",
            "",
            f"{tender.opportunity.budget:.2f}",
            _date(tender.starts_on),
            _date(tender.ends_on),
            "",
            "Yes",
            "",
            "",
            _date(timezone.localdate(tender.modified)),
        ]
        for tender in tenders
    ]
    return rows


OUTCOMES_HEADER = [
    "Grant identifier",
    "Recipient",
    "Recipient organisation identifier",
    "Title",
    "Programme",
    "Success measure",
    "Unit",
    "Target for the whole agreement",
    "Achieved so far",
    "Monitoring returns accepted",
    "Reported up to",
    "Start date",
    "End date",
]


def _figure(value: Decimal) -> str:
    """12.00 → "12", 7.50 → "7.5": figures as people write them."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def outcomes_rows(records: list[OutcomeRecord]) -> list[list]:
    """One row per award and success measure: the target and what the accepted monitoring
    returns add up to so far."""
    return [
        [
            record.award.grant_id,
            record.award.organisation.name,
            record.award.organisation.org_id,
            record.award.title,
            record.award.programme.title,
            record.measure,
            record.unit,
            _figure(record.target),
            _figure(record.achieved),
            record.returns_accepted,
            _date(record.reported_to),
            _date(record.award.starts_on),
            _date(record.award.ends_on),
        ]
        for record in records
    ]
