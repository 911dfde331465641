"""An Office or OpenDocument upload is a zip: one that expands far beyond its size when
unpacked (a "zip bomb") is refused with a GOV.UK error, by the checks every upload shares
(core.uploads.validate_upload): needs evidence, bid attachments, monitoring evidence,
compliance and opportunity documents (issue 14, "Faults and recovery")."""

import io
import random
import struct
import zipfile
import zlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import CheckedFileField, validate_upload
from engagement.models import EvidenceItem
from monitoring.forms import EvidenceFileField
from procurement.forms.bids import BidFileField
from procurement.selectors import bids as bid_selectors
from tests.engagement.test_evidence import evidence_data

MEGABYTE = 1024 * 1024
TOO_BIG = (
    "The selected file must open to less than 100MB and not expand to many times its size "
    "– upload a smaller file or a PDF"
)
DAMAGED = (
    "The selected file is damaged and cannot be opened – save it again and upload the new copy"
)

CONTENT_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>'
)
DOCUMENT = b"<w:document><w:body><w:p>Our project plan</w:p></w:body></w:document>"


def docx(
    extra: dict[str, bytes] | None = None, *, document: bytes = DOCUMENT, level: int = 9
) -> bytes:
    """A Word document, with `extra` files packed in (deflated at `level`)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", document)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def ods_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", b"<table/>" + b" " * (20 * MEGABYTE))
    return buffer.getvalue()


def understated_bomb() -> bytes:
    """A docx whose last file says it holds 1KB and unpacks to 20MB: the declared sizes
    alone would let it through."""
    honest = docx({"word/media/image1.png": b"\0" * (20 * MEGABYTE)})
    data = bytearray(honest)
    # Rewrite the declared uncompressed size (local header and central directory).
    with zipfile.ZipFile(io.BytesIO(honest)) as archive:
        info = archive.getinfo("word/media/image1.png")
    struct.pack_into("<I", data, info.header_offset + 22, 1024)
    central = data.find(b"PK\x01\x02")
    while not data[central + 46 :].startswith(b"word/media/image1.png"):
        central = data.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 24, 1024)
    return bytes(data)


def upload(content: bytes, name: str = "Project plan.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/octet-stream")


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """150MB of zeros in a docx of about 150KB: a thousand times its size."""
    return docx({"word/media/image1.png": b"\0" * (150 * MEGABYTE)})


def test_the_generated_bomb_is_small_and_expands_past_the_limit(bomb):
    assert len(bomb) < MEGABYTE
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert sum(info.file_size for info in archive.infolist()) > 100 * MEGABYTE


@pytest.mark.parametrize(
    "field",
    [
        CheckedFileField(),  # needs evidence, compliance and opportunity documents
        BidFileField(allowed=bid_selectors.ATTACHMENT_TYPES),  # bid attachments
        EvidenceFileField(),  # monitoring returns' evidence
    ],
    ids=["documents", "bid-attachments", "monitoring-evidence"],
)
def test_every_upload_field_refuses_a_zip_bomb_and_accepts_a_normal_document(field, bomb):
    with pytest.raises(ValidationError) as refused:
        field.clean(upload(bomb))
    assert refused.value.messages == [TOO_BIG]
    assert field.clean(upload(docx())).name == "Project_plan.docx"


def test_bid_attachments_added_by_the_service_are_checked_too(bomb):
    # procurement.services.bids checks what it is given with validate_upload itself.
    with pytest.raises(ValidationError) as refused:
        validate_upload(
            upload(bomb),
            allowed=bid_selectors.ATTACHMENT_TYPES,
            max_size=bid_selectors.MAX_ATTACHMENT_SIZE,
        )
    assert refused.value.messages == [TOO_BIG]


def test_an_opendocument_bomb_is_refused(settings):
    settings.UPLOAD_UNPACKED_MAX_SIZE = 10 * MEGABYTE
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload(ods_bomb(), "Budget.ods"), allowed=("ods",))
    assert refused.value.messages == [TOO_BIG.replace("100MB", "10MB")]


def test_a_small_file_expanding_to_many_times_its_size_is_refused(settings):
    # 5MB of one letter packs into a few kilobytes: over 100 times its size, past a megabyte.
    small_bomb = docx({"word/document2.xml": b"a" * (5 * MEGABYTE)})
    assert len(small_bomb) < 50 * 1024
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload(small_bomb))
    assert refused.value.messages == [TOO_BIG]
    # The limits are settings.
    settings.UPLOAD_UNPACKED_MAX_RATIO = 10_000
    assert validate_upload(upload(small_bomb)).key == "docx"


def test_a_document_with_ordinary_compression_is_accepted():
    # A real report: text that packs well, pictures that do not.
    words = random.Random(14).choices(
        ["service", "older", "people", "Harbour", "ward", "volunteers", "412", "£12,500"], k=300_000
    )
    text = ("<w:p>" + " ".join(words) + "</w:p>").encode()
    pictures = zlib.compress(bytes(range(256)) * 4000)  # already compressed data
    report = docx({"word/media/image1.png": pictures}, document=text, level=6)
    assert validate_upload(upload(report)).key == "docx"


def test_a_zip_that_understates_what_it_holds_is_refused():
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload(understated_bomb()))
    assert refused.value.messages == [DAMAGED]


def test_the_position_in_the_file_is_kept(bomb):
    file = upload(docx())
    file.seek(7)
    validate_upload(file)
    assert file.tell() == 7


@pytest.mark.django_db
def test_an_officer_uploading_a_zip_bomb_as_evidence_sees_a_govuk_error(client, officer, bomb):
    client.force_login(officer)
    response = client.post(
        "/staff/engagement/evidence/new/", evidence_data(file=upload(bomb, "Survey.docx"))
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not EvidenceItem.objects.exists()
    assert "<title>Error: " in html
    assert 'href="#id_file"' in html  # in the error summary, linked to the field
    assert html.count(TOO_BIG) == 2  # and beside the field
    assert "govuk-file-upload--error" in html


def test_the_field_error_is_a_form_error_not_a_crash(bomb):
    class Form(forms.Form):
        file = CheckedFileField()

    form = Form(data={}, files={"file": upload(bomb)})
    assert not form.is_valid()
    assert form.errors["file"] == [TOO_BIG]
