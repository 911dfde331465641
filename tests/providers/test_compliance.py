"""Compliance documents: where an organisation stands on each kind, uploads, downloads."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.roles import Role
from providers import selectors
from providers.models import ComplianceDocument
from tests.providers.factories_organisations import (
    SMALL_PDF,
    ComplianceDocumentFactory,
    MembershipFactory,
    organisation_with_admin,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def organisation(provider_user):
    return organisation_with_admin(provider_user, name="Morecambe Bay Food Network")


def statuses(organisation) -> dict[str, str]:
    summary = selectors.organisation_compliance_summary(organisation=organisation, today=TODAY)
    return {row.kind: row.status for row in summary}


def test_each_kind_is_missing_expired_expiring_or_up_to_date(organisation):
    ComplianceDocumentFactory(
        organisation=organisation, kind="insurance", expires_on=TODAY - dt.timedelta(days=1)
    )
    ComplianceDocumentFactory(
        organisation=organisation, kind="safeguarding", expires_on=TODAY + dt.timedelta(days=30)
    )
    ComplianceDocumentFactory(
        organisation=organisation, kind="accounts", expires_on=TODAY + dt.timedelta(days=31)
    )
    ComplianceDocumentFactory(organisation=organisation, kind="constitution", expires_on=None)

    assert statuses(organisation) == {
        "safeguarding": "expires_soon",
        "insurance": "expired",
        "accounts": "up_to_date",
        "constitution": "up_to_date",
        "equality": "not_added",
    }


def test_a_new_certificate_replaces_an_expired_one(organisation):
    ComplianceDocumentFactory(
        organisation=organisation, kind="insurance", expires_on=TODAY - dt.timedelta(days=300)
    )
    ComplianceDocumentFactory(
        organisation=organisation, kind="insurance", expires_on=TODAY + dt.timedelta(days=200)
    )
    assert statuses(organisation)["insurance"] == "up_to_date"


def test_the_organisation_page_shows_the_status_of_all_five_kinds(
    client, provider_user, organisation
):
    expires = timezone.localdate() + dt.timedelta(days=10)
    ComplianceDocumentFactory(organisation=organisation, kind="insurance", expires_on=expires)
    client.force_login(provider_user)
    page = client.get(f"/organisations/{organisation.pk}/").content.decode()
    for label in (
        "Safeguarding policy",
        "Public liability insurance",
        "Latest accounts",
        "Constitution or governing document",
        "Equality and diversity policy",
    ):
        assert label in page
    assert page.count(">Not added yet<") == 4  # nothing has asked for them yet
    assert ">Missing<" not in page
    assert ">Expires soon<" in page
    assert f"{expires.day} {expires:%B %Y}" in page


def upload(client, organisation, **overrides):
    data = {
        "kind": "insurance",
        "file": SimpleUploadedFile("certificate.pdf", SMALL_PDF, "application/pdf"),
        "expires_on_0": "31",
        "expires_on_1": "3",
        "expires_on_2": "2027",
    }
    data.update(overrides)
    return client.post(f"/organisations/{organisation.pk}/compliance/", data)


def test_a_member_uploads_a_document(client, make_user, organisation):
    member = make_user(Role.PROVIDER)
    MembershipFactory(organisation=organisation, user=member)
    client.force_login(member)

    response = upload(client, organisation)

    assert response.status_code == 302
    document = ComplianceDocument.objects.get()
    assert document.expires_on == dt.date(2027, 3, 31)
    assert document.original_name == "certificate.pdf"
    assert document.uploaded_by == member
    assert not document.file.name.endswith("certificate.pdf")  # stored under a random name


def test_insurance_needs_an_expiry_date(client, provider_user, organisation):
    client.force_login(provider_user)
    response = upload(client, organisation, expires_on_0="", expires_on_1="", expires_on_2="")
    assert response.content.decode().count("Enter the date the insurance expires") == 2
    assert not ComplianceDocument.objects.exists()

    response = upload(
        client, organisation, kind="equality", expires_on_0="", expires_on_1="", expires_on_2=""
    )
    assert response.status_code == 302


def test_a_file_that_is_not_a_document_is_refused(client, provider_user, organisation):
    client.force_login(provider_user)
    response = upload(
        client,
        organisation,
        file=SimpleUploadedFile("policy.pdf", b"MZ\x90\x00 program", "application/pdf"),
    )
    assert "The selected file must be a PDF" in response.content.decode()
    assert not ComplianceDocument.objects.exists()


def test_members_and_council_staff_download_documents(client, provider_user, officer, organisation):
    document = ComplianceDocumentFactory(
        organisation=organisation, original_name="Insurance 2026.pdf"
    )
    url = f"/organisations/{organisation.pk}/compliance/{document.pk}/"
    for person in (provider_user, officer):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        assert "Insurance_2026.pdf" in response["Content-Disposition"]
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == SMALL_PDF


def test_a_document_is_not_found_through_another_organisation(
    client, provider_user, organisation, officer
):
    other = organisation_with_admin(officer, name="Someone Else")
    document = ComplianceDocumentFactory(organisation=other)
    client.force_login(provider_user)
    assert (
        client.get(f"/organisations/{organisation.pk}/compliance/{document.pk}/").status_code == 404
    )


def test_the_uploader_and_admins_delete_documents_but_other_members_cannot(
    client, provider_user, make_user, organisation
):
    uploader, bystander = make_user(Role.PROVIDER), make_user(Role.PROVIDER)
    MembershipFactory(organisation=organisation, user=uploader)
    MembershipFactory(organisation=organisation, user=bystander)
    mine = ComplianceDocumentFactory(organisation=organisation, uploaded_by=uploader)
    theirs = ComplianceDocumentFactory(organisation=organisation, uploaded_by=uploader)

    client.force_login(bystander)
    assert (
        client.get(f"/organisations/{organisation.pk}/compliance/{mine.pk}/?delete").status_code
        == 403
    )
    assert client.post(f"/organisations/{organisation.pk}/compliance/{mine.pk}/").status_code == 403

    client.force_login(uploader)
    page = client.get(f"/organisations/{organisation.pk}/compliance/{mine.pk}/?delete")
    assert "Are you sure you want to delete this document?" in page.content.decode()
    client.post(f"/organisations/{organisation.pk}/compliance/{mine.pk}/")

    client.force_login(provider_user)  # an organisation admin
    client.post(f"/organisations/{organisation.pk}/compliance/{theirs.pk}/")
    assert not ComplianceDocument.objects.exists()


def test_once_it_bids_the_documents_bidding_needs_are_missing_and_the_optional_one_is_not(
    client, provider_user, organisation
):
    from tests.procurement.factories_bids import BidFactory

    BidFactory(organisation=organisation)
    client.force_login(provider_user)

    page = " ".join(client.get(f"/organisations/{organisation.pk}/").content.decode().split())

    assert page.count(">Missing<") == 4
    assert page.count(">Not added yet<") == 1  # the equality and diversity policy: optional
    assert page.count("Needed before a bid is funded") == 4
    assert statuses(organisation)["equality"] == "not_added"
