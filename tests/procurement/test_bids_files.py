"""Bid attachments: checked by content, size limits per file and per bid, stored under
safe names, and downloaded only through a permission check."""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from procurement.models import BidAttachment
from tests.factories import OrganisationFactory
from tests.procurement.factories_bids import (
    PDF_BYTES,
    BidFactory,
    attachment_add,
    member,
    partner_add,
)

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def bid():
    return BidFactory()


@pytest.fixture
def lead(bid, client):
    person = member(bid.organisation)
    client.force_login(person)
    return person


def upload(client, bid, name, content, **extra):
    return client.post(
        f"/bids/{bid.pk}/attachments/", {"file": SimpleUploadedFile(name, content), **extra}
    )


def test_a_pdf_is_attached_under_a_safe_name_keeping_its_own(client, bid, lead):
    response = upload(client, bid, "Our project plan (final).pdf", PDF_BYTES)
    assert response.status_code == 302
    attachment = BidAttachment.objects.get()
    assert attachment.original_name == "Our project plan (final).pdf"
    assert re.fullmatch(r"bids/[0-9a-f]{32}\.pdf", attachment.file.name)
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF_BYTES)
    assert attachment.uploaded_by == lead
    page = text_of(client.get(f"/bids/{bid.pk}/attachments/"))
    assert "Our project plan (final).pdf" in page


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),
        ("plan.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("budget.csv", b"item,amount\nAdvice worker,25000\n"),
        ("plan.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 64),
    ],
    ids=["executable", "html", "csv", "elf"],
)
def test_files_are_judged_by_content_not_by_name(client, bid, lead, name, content):
    response = upload(client, bid, name, content)
    page = text_of(response)
    assert page.startswith("Error:")
    message = "The selected file must be a PDF, DOCX, XLSX, ODT, PNG or JPEG"
    assert page.count(message) == 2  # in the error summary and beside the field
    assert not BidAttachment.objects.exists()


def test_a_word_document_called_pdf_is_kept_as_what_it_is(client, bid, lead):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    upload(client, bid, "plan.pdf", buffer.getvalue())
    attachment = BidAttachment.objects.get()
    assert attachment.file.name.endswith(".docx")
    response = client.get(f"/bids/{bid.pk}/attachments/{attachment.pk}/")
    assert 'filename="plan.docx"' in response["Content-Disposition"]


def test_a_file_over_10mb_is_refused_and_the_page_keeps_the_rest(client, bid, lead):
    kept = attachment_add(bid, "Accounts.pdf")
    response = upload(client, bid, "big.pdf", b"%PDF-1.4\n" + b"0" * (10 * MB))
    page = text_of(response)
    assert page.count("The selected file must be smaller than 10MB") == 2
    assert "Accounts.pdf" in page
    assert list(bid.attachments.all()) == [kept]


def test_a_bid_s_files_must_add_up_to_25mb_or_less(client, bid, lead):
    attachment_add(bid, "one.pdf", size=int(9.5 * MB))
    attachment_add(bid, "two.pdf", size=int(9.5 * MB))
    response = upload(client, bid, "three.pdf", b"%PDF-1.4\n" + b"0" * int(8.3 * MB - 9))
    page = text_of(response)
    message = "Your attachments must add up to 25MB or less. This file would take them to 27.3MB"
    assert page.count(message) == 2
    assert bid.attachments.count() == 2


def test_an_empty_upload_asks_for_a_file(client, bid, lead):
    response = client.post(f"/bids/{bid.pk}/attachments/", {})
    assert text_of(response).count("Select a file to upload") == 2


def test_download_is_an_attachment_with_the_sanitised_name(client, bid, lead):
    attachment = attachment_add(bid, "../../etc/Our plan; final.pdf")
    response = client.get(f"/bids/{bid.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="Our_plan_final.pdf"' in disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_an_attachment_of_another_bid_is_not_found_through_this_one(client, bid, lead):
    other = attachment_add(BidFactory())
    assert client.get(f"/bids/{bid.pk}/attachments/{other.pk}/").status_code == 404


def test_an_attachment_is_removed_and_its_file_deleted(
    client, bid, lead, django_capture_on_commit_callbacks
):
    attachment = attachment_add(bid, "old.pdf")
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/bids/{bid.pk}/attachments/", {"remove": attachment.pk}, follow=True
        )
    assert "old.pdf removed" in text_of(response)
    assert not bid.attachments.exists()
    assert not storage.exists(name)


def test_files_cannot_be_changed_once_submitted(client, lead, bid):
    attachment = attachment_add(bid, "kept.pdf")
    bid.__dict__["state"] = "submitted"
    bid.save()
    upload(client, bid, "more.pdf", PDF_BYTES)
    client.post(f"/bids/{bid.pk}/attachments/", {"remove": attachment.pk})
    assert list(bid.attachments.all()) == [attachment]


def test_a_partner_downloads_but_cannot_upload(client, bid):
    attachment = attachment_add(bid)
    partner = partner_add(bid)
    client.force_login(member(partner.organisation))
    assert client.get(f"/bids/{bid.pk}/attachments/{attachment.pk}/").status_code == 200
    assert upload(client, bid, "mine.pdf", PDF_BYTES).status_code == 403
    assert bid.attachments.count() == 1


def test_another_organisation_gets_404_on_the_bid_and_its_files(client, bid):
    attachment = attachment_add(bid)
    client.force_login(member(OrganisationFactory()))
    for url in (
        f"/bids/{bid.pk}/",
        f"/bids/{bid.pk}/edit/",
        f"/bids/{bid.pk}/budget/",
        f"/bids/{bid.pk}/partners/",
        f"/bids/{bid.pk}/attachments/",
        f"/bids/{bid.pk}/attachments/{attachment.pk}/",
        f"/bids/{bid.pk}/actions/submit/",
    ):
        assert client.get(url).status_code == 404, url
    assert upload(client, bid, "x.pdf", PDF_BYTES).status_code == 404
    assert bid.attachments.count() == 1
