"""The council verifies organisations; changing the numbers of a verified one undoes it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from providers.models import Organisation
from tests.factories import OrganisationFactory
from tests.providers.factories_organisations import (
    ComplianceDocumentFactory,
    MembershipFactory,
    organisation_with_admin,
)
from tests.providers.test_registration import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def organisation(provider_user):
    return organisation_with_admin(
        provider_user, name="Morecambe Bay Food Network", verification_status="pending"
    )


def test_an_officer_verifies_an_organisation_and_its_admins_are_emailed(
    client, officer, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    page = client.get(f"/staff/organisations/{organisation.pk}/").content.decode()
    assert "Register of Charities, Charity Commission for England and Wales" in page
    assert organisation.org_id in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/organisations/{organisation.pk}/verify/", {"decision": "verify"}
        )

    assert response["Location"] == f"/staff/organisations/{organisation.pk}/"
    organisation.refresh_from_db()
    assert organisation.is_verified
    assert organisation.verified_by == officer
    assert mailoutbox[0].to == ["provider@test.example.org"]
    assert mailoutbox[0].subject.endswith("Morecambe Bay Food Network is verified")


def test_rejection_needs_a_note_which_the_organisation_sees(
    client, officer, provider_user, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    response = client.post(
        f"/staff/organisations/{organisation.pk}/verify/", {"decision": "reject"}
    )
    assert response.content.decode().count("Enter why the organisation cannot be verified") == 2
    organisation.refresh_from_db()
    assert organisation.verification_status == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/staff/organisations/{organisation.pk}/verify/",
            {"decision": "reject", "note": "The charity number belongs to another charity."},
        )
    organisation.refresh_from_db()
    assert organisation.verification_status == "rejected"
    assert "The charity number belongs to another charity." in mailoutbox[0].body

    client.force_login(provider_user)
    page = client.get(f"/organisations/{organisation.pk}/").content.decode()
    assert "Not verified" in page
    assert "The charity number belongs to another charity." in page


@pytest.mark.parametrize("role", [Role.APPROVER, Role.PANEL_MEMBER])
def test_approvers_and_panel_members_see_organisations_but_cannot_verify(
    client, make_user, organisation, role
):
    client.force_login(make_user(role))
    page = client.get(f"/staff/organisations/{organisation.pk}/")
    assert page.status_code == 200
    assert "Save decision" not in page.content.decode()
    response = client.post(
        f"/staff/organisations/{organisation.pk}/verify/", {"decision": "verify"}
    )
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert not organisation.is_verified


def test_changing_the_numbers_of_a_verified_organisation_makes_it_pending(client, provider_user):
    organisation = organisation_with_admin(
        provider_user, name="Bare Village Lunch Club", charity_number="1164883"
    )
    client.force_login(provider_user)
    page = client.get(f"/organisations/{organisation.pk}/edit/").content.decode()
    assert "the council will need to verify your organisation again" in page

    client.post(f"/organisations/{organisation.pk}/edit/", form_data(description="Lunches."))
    organisation.refresh_from_db()
    assert organisation.is_verified
    assert organisation.description == "Lunches."

    response = client.post(
        f"/organisations/{organisation.pk}/edit/", form_data(charity_number="1098234"), follow=True
    )
    organisation.refresh_from_db()
    assert organisation.verification_status == "pending"
    assert organisation.org_id == "GB-CHC-1098234"
    assert "The council will verify your organisation again" in response.content.decode()


def test_correcting_a_rejected_organisation_sends_it_back_to_the_council(client, provider_user):
    organisation = organisation_with_admin(
        provider_user,
        name="Bare Village Lunch Club",
        charity_number="1164883",
        verification_status="rejected",
    )
    client.force_login(provider_user)
    page = client.get(f"/organisations/{organisation.pk}/edit/").content.decode()
    assert "When you save your changes, the council will check your organisation again." in page
    client.post(f"/organisations/{organisation.pk}/edit/", form_data(charity_number="1098234"))
    organisation.refresh_from_db()
    assert organisation.verification_status == "pending"


def test_editing_keeps_the_saved_details_when_the_form_has_errors(client, provider_user):
    organisation = organisation_with_admin(provider_user, name="Bare Village Lunch Club")
    client.force_login(provider_user)
    response = client.post(
        f"/organisations/{organisation.pk}/edit/", form_data(name="", charity_number="12")
    )
    page = response.content.decode()
    assert "Enter your organisation’s name" in page
    assert 'value="12"' in page
    assert "<h1" in page and "Bare Village Lunch Club" in page  # the caption keeps the name


def test_the_staff_list_puts_pending_first_and_filters(client, officer):
    OrganisationFactory(name="Aardvark Arts", verification_status="verified")
    OrganisationFactory(name="Zebra Youth", verification_status="pending")
    OrganisationFactory(name="Mallard Makers", verification_status="rejected")
    client.force_login(officer)

    page = client.get("/staff/organisations/")
    assert [o.name for o in page.context["organisations"]] == [
        "Zebra Youth",
        "Aardvark Arts",
        "Mallard Makers",
    ]
    assert page.context["counts"] == {"pending": 1, "verified": 1, "rejected": 1, "all": 3}
    pending = client.get("/staff/organisations/", {"status": "pending"})
    assert [o.name for o in pending.context["organisations"]] == ["Zebra Youth"]


# --- Query counts ---------------------------------------------------------------------------


def _organisation_rows(rows: int, *, member=None):
    for n in range(rows):
        organisation = OrganisationFactory(
            name=f"Organisation {n:03d}", verification_status="pending" if n % 2 else "verified"
        )
        MembershipFactory(organisation=organisation, **({"user": member} if member else {}))
        ComplianceDocumentFactory(organisation=organisation, kind="insurance")


def test_your_organisations_takes_the_same_queries_for_5_and_50(client, provider_user):
    client.force_login(provider_user)

    def count(rows: int) -> int:
        Organisation.objects.all().delete()
        _organisation_rows(rows, member=provider_user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/organisations/")
        assert len(response.context["memberships"]) == rows
        return len(queries)

    few, many = count(5), count(50)
    print(f"/organisations/ queries: {few} with 5 rows, {many} with 50")
    assert few == many


def test_the_staff_list_takes_the_same_queries_for_5_and_50(client, officer):
    client.force_login(officer)

    def count(rows: int) -> int:
        Organisation.objects.all().delete()
        _organisation_rows(rows)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/staff/organisations/")
        assert len(response.context["organisations"]) == rows
        return len(queries)

    few, many = count(5), count(50)
    print(f"/staff/organisations/ queries: {few} with 5 rows, {many} with 50")
    assert few == many
