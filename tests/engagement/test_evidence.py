"""The local needs assessment: evidence, its files and the filters on its list."""

import datetime
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.uploads import MAX_UPLOAD_SIZE, CheckedFileField, sniff_file_type
from demo.commissions import demo_areas_seed
from engagement.models import EvidenceItem
from tests.engagement.factories_understand import SMALL_PDF, EvidenceItemFactory, priority
from tests.factories import CommissionFactory

pytestmark = pytest.mark.django_db

WRONG_TYPE = "The selected file must be a PDF, DOCX, XLSX, ODT, CSV, PNG or JPEG"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot"
HTML = b"<!DOCTYPE html><html><body><script>alert('hello')</script></body></html>"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def district(db):
    return demo_areas_seed()


def evidence_data(**overrides) -> dict:
    data = {
        "title": "Census 2021: older people living alone in Morecambe",
        "category": "demography",
        "source": "Office for National Statistics (ONS)",
        "dated_0": "19",
        "dated_1": "1",
        "dated_2": "2023",
        "summary": "One in five people over 65 in Harbour ward lives alone.",
        "url": "",
    }
    data.update(overrides)
    return data


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = _zip(
    {
        "[Content_Types].xml": b'<Types><Override ContentType="application/vnd.'
        b'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "word/document.xml": b"<w:document/>",
    }
)
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
DOCM = _zip(
    {
        "[Content_Types].xml": b'<Types ContentType="application/vnd.ms-word.document.'
        b'macroEnabled.main+xml"/>',
        "word/document.xml": b"<w:document/>",
        "word/vbaProject.bin": b"\x00\x01",
    }
)


# --- What a file is, judged by what it contains ---------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (SMALL_PDF, "pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
        (DOCX, "docx"),
        (XLSX, "xlsx"),
        (ODT, "odt"),
        (b"Ward,People living alone\nHarbour,1 204\nPoulton,987\n", "csv"),
        ("\ufeffWard,Café visits\r\nBare,12\r\n".encode(), "csv"),
        (HTML, None),
        (b"  <svg xmlns='http://www.w3.org/2000/svg'/>", None),
        (EXECUTABLE, None),
        (b"\x7fELF\x02\x01\x01", None),
        (DOCM, None),
        (b"PK\x03\x04not really a zip", None),
        (b"", None),
    ],
    ids=[
        "pdf",
        "png",
        "jpeg",
        "docx",
        "xlsx",
        "odt",
        "csv",
        "csv-with-bom",
        "html",
        "svg",
        "exe",
        "elf",
        "docm-with-macros",
        "broken-zip",
        "empty",
    ],
)
def test_file_type_is_read_from_the_content(content, expected):
    assert sniff_file_type(io.BytesIO(content)) == expected


def test_checked_file_field_names_the_file_by_what_it_is():
    field = CheckedFileField()
    cleaned = field.clean(SimpleUploadedFile("Survey results.pdf", DOCX))
    assert cleaned.name == "Survey_results.docx"


# --- Adding evidence ----------------------------------------------------------------------


def test_officer_adds_evidence_with_a_small_pdf(client, officer, district):
    client.force_login(officer)
    health = priority()
    response = client.post(
        "/staff/engagement/evidence/new/",
        evidence_data(
            file=SimpleUploadedFile("older-people.pdf", SMALL_PDF, "application/pdf"),
            priorities=[health.pk],
            areas=[district["Harbour"].pk],
            url="https://www.ons.gov.uk/census",
        ),
    )
    evidence = EvidenceItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/engagement/evidence/{evidence.pk}/"
    assert evidence.recorded_by == officer
    assert list(evidence.priorities.all()) == [health]
    assert list(evidence.areas.all()) == [district["Harbour"]]
    # Stored under a random name that keeps only the extension.
    stored = Path(evidence.file.name)
    assert stored.parent.name == "evidence"
    assert stored.suffix == ".pdf"
    assert "older" not in stored.name
    assert evidence.file.read() == SMALL_PDF


def test_summary_and_source_are_enough(client, officer):
    client.force_login(officer)
    response = client.post("/staff/engagement/evidence/new/", evidence_data())
    assert response.status_code == 302
    evidence = EvidenceItem.objects.get()
    assert not evidence.file
    assert evidence.url == ""


@pytest.mark.parametrize(
    "content", [HTML, EXECUTABLE], ids=["html-called-pdf", "executable-called-pdf"]
)
def test_a_file_that_is_not_what_its_name_says_is_refused(client, officer, content):
    client.force_login(officer)
    response = client.post(
        "/staff/engagement/evidence/new/",
        evidence_data(file=SimpleUploadedFile("census.pdf", content, "application/pdf")),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not EvidenceItem.objects.exists()
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Error: " in html
    # In the error summary, linked to the field, and beside the field.
    assert 'href="#id_file"' in html
    assert html.count(WRONG_TYPE) == 2
    assert "govuk-file-upload--error" in html
    # What was typed is kept.
    assert 'value="Census 2021: older people living alone in Morecambe"' in html
    assert 'value="Office for National Statistics (ONS)"' in html
    assert "One in five people over 65 in Harbour ward lives alone." in html
    assert 'name="dated_2" value="2023"' in html


def test_a_file_over_10mb_is_refused(client, officer):
    client.force_login(officer)
    too_big = SMALL_PDF + b"0" * (MAX_UPLOAD_SIZE - len(SMALL_PDF) + 1)
    response = client.post(
        "/staff/engagement/evidence/new/",
        evidence_data(file=SimpleUploadedFile("census.pdf", too_big, "application/pdf")),
    )
    assert "The selected file must be smaller than 10MB" in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_missing_fields_get_govuk_messages(client, officer):
    client.force_login(officer)
    response = client.post(
        "/staff/engagement/evidence/new/",
        {"url": "not a link", "dated_0": "31", "dated_1": "2", "dated_2": "2023"},
    )
    html = response.content.decode()
    for message in (
        "Enter a title",
        "Select a category",
        "Enter the source",
        "Enter a summary",
        "Enter a link in the correct format, like https://www.example.org",
        "Date of the evidence must be a real date",
    ):
        assert message in html, message


def test_the_date_of_the_evidence_is_required_and_not_in_the_future(client, officer):
    client.force_login(officer)
    response = client.post(
        "/staff/engagement/evidence/new/", evidence_data(dated_0="", dated_1="", dated_2="")
    )
    assert "Enter the date of the evidence" in response.content.decode()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        "/staff/engagement/evidence/new/",
        evidence_data(
            dated_0=str(tomorrow.day), dated_1=str(tomorrow.month), dated_2=str(tomorrow.year)
        ),
    )
    assert "Date of the evidence must be today or in the past" in response.content.decode()
    assert not EvidenceItem.objects.exists()


def test_adding_evidence_from_a_commission_ticks_it_and_goes_back_to_its_gaps(client, officer):
    commission = CommissionFactory(state="understanding")
    other = CommissionFactory(state="understanding")
    client.force_login(officer)
    html = client.get(f"/staff/engagement/evidence/new/?commission={commission.pk}").content
    html = html.decode()
    assert re.search(rf'name="commissions"[^>]*value="{commission.pk}"\s+checked', html)
    assert not re.search(rf'name="commissions"[^>]*value="{other.pk}"\s+checked', html)
    response = client.post(
        f"/staff/engagement/evidence/new/?commission={commission.pk}",
        evidence_data(commissions=[commission.pk]),
    )
    assert response["Location"] == f"/staff/commissions/{commission.pk}/gaps/"
    assert commission.has_needs_evidence()


# --- Changing evidence --------------------------------------------------------------------


def test_replacing_the_file_deletes_the_old_one(
    client, officer, django_capture_on_commit_callbacks
):
    evidence = EvidenceItemFactory(with_file=True)
    old = evidence.file.path
    client.force_login(officer)
    data = evidence_data(file=SimpleUploadedFile("new.png", b"\x89PNG\r\n\x1a\nrest"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/engagement/evidence/{evidence.pk}/edit/", data)
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.file.name.endswith(".png")
    assert not Path(old).exists()


def test_editing_keeps_the_file_unless_it_is_removed(
    client, officer, django_capture_on_commit_callbacks
):
    evidence = EvidenceItemFactory(with_file=True)
    name = evidence.file.name
    client.force_login(officer)
    page = client.get(f"/staff/engagement/evidence/{evidence.pk}/edit/").content.decode()
    assert "Replace the file (optional)" in page
    assert name not in page  # the stored name is never shown
    client.post(f"/staff/engagement/evidence/{evidence.pk}/edit/", evidence_data())
    evidence.refresh_from_db()
    assert evidence.file.name == name
    assert evidence.title == "Census 2021: older people living alone in Morecambe"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/staff/engagement/evidence/{evidence.pk}/edit/", evidence_data(remove_file="on")
        )
    evidence.refresh_from_db()
    assert not evidence.file


# --- Downloading the file -----------------------------------------------------------------


def test_the_file_downloads_only_through_the_permission_checked_view(
    client, officer, provider_user, panel_member
):
    evidence = EvidenceItemFactory(with_file=True, title="Census 2021: living alone")
    url = f"/staff/engagement/evidence/{evidence.pk}/file/"

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    for refused in (provider_user, panel_member):
        client.force_login(refused)
        assert client.get(url).status_code == 403

    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="census-2021-living-alone.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == SMALL_PDF

    detail = client.get(f"/staff/engagement/evidence/{evidence.pk}/").content.decode()
    assert f'href="{url}"' in detail
    assert evidence.file.name not in detail
    assert "/uploaded-files-are-not-served/" not in detail


def test_evidence_without_a_file_has_nothing_to_download(client, officer):
    evidence = EvidenceItemFactory()
    client.force_login(officer)
    assert client.get(f"/staff/engagement/evidence/{evidence.pk}/file/").status_code == 404


# --- The list and its filters -------------------------------------------------------------


def _titles(response) -> set[str]:
    return {item.title for item in response.context["evidence_items"]}


def test_filters_narrow_the_list(client, approver, district):
    health = priority()
    growth = priority("economic-growth")
    commission = CommissionFactory(state="understanding")
    EvidenceItemFactory(
        title="Older people living alone",
        priorities=[health],
        areas=[district["Harbour"]],
        commissions=[commission],
    )
    EvidenceItemFactory(
        title="Employment and skills in Lancaster",
        category="economy",
        priorities=[growth],
        areas=[district["Lancaster"]],
    )
    EvidenceItemFactory(title="Green space audit", category="environmental")
    client.force_login(approver)

    assert len(_titles(client.get("/staff/engagement/evidence/"))) == 3
    assert _titles(client.get("/staff/engagement/evidence/?category=economy")) == {
        "Employment and skills in Lancaster"
    }
    assert _titles(client.get(f"/staff/engagement/evidence/?priority={health.pk}")) == {
        "Older people living alone"
    }
    # An area finds evidence tagged with one of its wards.
    morecambe = district["Morecambe"].pk
    assert _titles(client.get(f"/staff/engagement/evidence/?area={morecambe}")) == {
        "Older people living alone"
    }
    assert _titles(client.get(f"/staff/engagement/evidence/?commission={commission.pk}")) == {
        "Older people living alone"
    }
    response = client.get(f"/staff/engagement/evidence/?priority={growth.pk}&area={morecambe}")
    assert "No evidence matches these filters." in response.content.decode()


def test_the_list_shows_what_each_item_is_about(client, officer, district):
    commission = CommissionFactory(reference="COM-2026-042")
    EvidenceItemFactory(
        title="Food insecurity survey",
        source="Lancaster District food insecurity survey 2026",
        priorities=[priority()],
        areas=[district["Heysham South"]],
        commissions=[commission],
    )
    client.force_login(officer)
    html = client.get("/staff/engagement/evidence/").content.decode()
    for text in (
        "Food insecurity survey",
        "Lancaster District food insecurity survey 2026",
        "19 January 2023",
        "Health and Well Being",
        "Heysham South",
        "COM-2026-042",
        "Add evidence",
    ):
        assert text in html, text


def test_approvers_read_evidence_but_cannot_add_it(client, approver):
    client.force_login(approver)
    assert "Add evidence" not in client.get("/staff/engagement/evidence/").content.decode()
    assert client.get("/staff/engagement/evidence/new/").status_code == 403


def _evidence_rows(count: int, district) -> None:
    commission = CommissionFactory()
    for n in range(count):
        EvidenceItemFactory(
            priorities=[priority()],
            areas=[district["Harbour"], district["Lancaster"]],
            commissions=[commission],
            recorded_by=None,
            title=f"Evidence {n}",
        )


def test_evidence_list_query_count_does_not_grow_with_rows(client, officer, district):
    client.force_login(officer)

    def count(rows: int) -> int:
        EvidenceItem.objects.all().delete()
        _evidence_rows(rows, district)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/staff/engagement/evidence/")
        assert len(response.context["evidence_items"]) == rows
        return len(queries)

    few, many = count(5), count(50)
    print(f"queries: {few} with 5 rows, {many} with 50")
    assert few == many
