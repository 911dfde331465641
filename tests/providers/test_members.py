"""Joining an organisation, invitations, removing members, switching organisations, and
keeping each organisation's pages to its own members."""

import datetime as dt

import pytest
from django.utils import timezone

from core.roles import Role
from providers import selectors, services
from providers.models import Invitation, JoinRequest, Membership
from tests.factories import OrganisationFactory
from tests.providers.factories_organisations import (
    ComplianceDocumentFactory,
    InvitationFactory,
    JoinRequestFactory,
    MembershipFactory,
    organisation_with_admin,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def admin_person(make_user):
    return make_user(Role.PROVIDER, email="ada@food.example.org", full_name="Ada Admin")


@pytest.fixture
def organisation(admin_person):
    return organisation_with_admin(admin_person, name="Morecambe Bay Food Network")


# --- Another organisation's pages -----------------------------------------------------------


def test_a_provider_gets_404_on_another_organisations_pages_and_files(
    client, provider_user, organisation
):
    organisation_with_admin(provider_user, name="Lancaster Youth Theatre")
    document = ComplianceDocumentFactory(organisation=organisation)
    request = JoinRequestFactory(organisation=organisation)
    membership = organisation.memberships.get()
    client.force_login(provider_user)

    for url in (
        f"/organisations/{organisation.pk}/",
        f"/organisations/{organisation.pk}/edit/",
        f"/organisations/{organisation.pk}/members/",
        f"/organisations/{organisation.pk}/members/{membership.pk}/remove/",
        f"/organisations/{organisation.pk}/requests/{request.pk}/",
        f"/organisations/{organisation.pk}/compliance/",
        f"/organisations/{organisation.pk}/compliance/{document.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(f"/organisations/{organisation.pk}/members/{membership.pk}/remove/").status_code
        == 404
    )
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_member_who_is_not_an_admin_cannot_manage_the_organisation(
    client, provider_user, organisation
):
    MembershipFactory(organisation=organisation, user=provider_user)
    client.force_login(provider_user)

    page = client.get(f"/organisations/{organisation.pk}/")
    assert page.status_code == 200
    assert "Only the organisation’s admins can change its details." in page.content.decode()
    assert client.get(f"/organisations/{organisation.pk}/edit/").status_code == 403
    assert client.get(f"/organisations/{organisation.pk}/members/").status_code == 403


# --- Joining --------------------------------------------------------------------------------


def test_a_person_finds_an_organisation_by_name_or_number(client, provider_user, organisation):
    OrganisationFactory(name="Lancaster Youth Theatre")
    client.force_login(provider_user)

    by_name = client.get("/organisations/join/", {"q": "food net"})
    by_number = client.get("/organisations/join/", {"q": organisation.charity_number})

    assert [o.name for o in by_name.context["results"]] == ["Morecambe Bay Food Network"]
    assert [o.name for o in by_number.context["results"]] == ["Morecambe Bay Food Network"]
    assert f"?organisation={organisation.pk}" in by_name.content.decode()


def test_asking_to_join_emails_the_admins_and_approval_makes_a_member(
    client,
    provider_user,
    admin_person,
    organisation,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(provider_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/organisations/join/",
            {"organisation": organisation.pk, "message": "I run the lunch club."},
        )
    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    assert join_request.status == JoinRequest.Status.PENDING
    assert [m.to for m in mailoutbox] == [[admin_person.email]]
    assert "Priya Provider has asked to join Morecambe Bay Food Network" in mailoutbox[0].subject
    assert "I run the lunch club." in mailoutbox[0].body
    assert f"/organisations/{organisation.pk}/members/" in mailoutbox[0].body
    home = client.get("/organisations/").content.decode()
    assert "Your requests to join" in home

    client.force_login(admin_person)
    members = client.get(f"/organisations/{organisation.pk}/members/").content.decode()
    assert "I run the lunch club." in members
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/organisations/{organisation.pk}/requests/{join_request.pk}/",
            {"decision": "approve"},
        )

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.APPROVED
    assert join_request.decided_by == admin_person
    assert organisation.memberships.filter(user=provider_user, role="member").exists()
    assert mailoutbox[-1].to == [provider_user.email]
    assert mailoutbox[-1].subject.endswith("You are now a member of Morecambe Bay Food Network")


def test_a_declined_request_makes_no_member_and_tells_the_person(
    client,
    provider_user,
    admin_person,
    organisation,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    join_request = JoinRequestFactory(organisation=organisation, user=provider_user)
    client.force_login(admin_person)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/organisations/{organisation.pk}/requests/{join_request.pk}/",
            {"decision": "decline"},
        )
    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED
    assert not organisation.memberships.filter(user=provider_user).exists()
    assert mailoutbox[-1].to == [provider_user.email]
    assert "declined" in mailoutbox[-1].body


def test_asking_twice_or_as_a_member_is_refused(client, provider_user, organisation):
    client.force_login(provider_user)
    client.post("/organisations/join/", {"organisation": organisation.pk})
    response = client.post("/organisations/join/", {"organisation": organisation.pk}, follow=True)
    assert "You have already asked to join Morecambe Bay Food Network" in response.content.decode()
    assert JoinRequest.objects.count() == 1


def test_a_request_already_decided_cannot_be_decided_again(client, admin_person, organisation):
    join_request = JoinRequestFactory(organisation=organisation, status="declined")
    client.force_login(admin_person)
    response = client.post(
        f"/organisations/{organisation.pk}/requests/{join_request.pk}/",
        {"decision": "approve"},
        follow=True,
    )
    assert "This request has already been decided" in response.content.decode()
    assert organisation.memberships.count() == 1


# --- Invitations ----------------------------------------------------------------------------


def test_an_admin_invites_someone_by_email(
    client, admin_person, organisation, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(admin_person)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/organisations/{organisation.pk}/members/",
            {"email": "New.Person@Example.org", "role": "admin"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@example.org"
    assert invitation.role == "admin"
    lifetime = invitation.expires_at - timezone.now()
    assert dt.timedelta(days=13, hours=23) < lifetime <= dt.timedelta(days=14)
    assert mailoutbox[0].to == ["new.person@example.org"]
    assert f"/invitations/{invitation.token}/" in mailoutbox[0].body
    assert "new.person@example.org" in client.get(response["Location"]).content.decode()


def test_inviting_needs_an_email_address(client, admin_person, organisation):
    client.force_login(admin_person)
    response = client.post(
        f"/organisations/{organisation.pk}/members/", {"email": "not-an-email", "role": "member"}
    )
    page = response.content.decode()
    assert page.count("Enter an email address in the correct format, like name@example.org") == 2
    assert 'value="not-an-email"' in page


def test_accepting_an_invitation_with_the_matching_email(client, make_user, organisation):
    person = make_user(Role.PROVIDER, email="sam@example.org")
    invitation = InvitationFactory(organisation=organisation, email="Sam@Example.org", role="admin")
    client.force_login(person)

    page = client.get(f"/invitations/{invitation.token}/").content.decode()
    assert "Accept invitation" in page
    response = client.post(f"/invitations/{invitation.token}/")

    assert response["Location"] == f"/organisations/{organisation.pk}/"
    assert organisation.memberships.get(user=person).role == Membership.Role.ADMIN
    invitation.refresh_from_db()
    assert invitation.accepted_by == person
    assert client.post(f"/invitations/{invitation.token}/").status_code == 302
    assert organisation.memberships.filter(user=person).count() == 1


def test_an_invitation_is_refused_to_someone_signed_in_with_another_email(
    client, provider_user, organisation
):
    invitation = InvitationFactory(organisation=organisation, email="sam@example.org")
    client.force_login(provider_user)

    page = client.get(f"/invitations/{invitation.token}/").content.decode()
    assert "This invitation was sent to sam@example.org, but you are signed in as" in page
    assert "Accept invitation" not in page
    client.post(f"/invitations/{invitation.token}/")
    assert not organisation.memberships.filter(user=provider_user).exists()


def test_an_expired_invitation_is_refused(client, make_user, organisation):
    person = make_user(Role.PROVIDER, email="sam@example.org")
    invitation = InvitationFactory(
        organisation=organisation,
        email="sam@example.org",
        expires_at=timezone.now() - dt.timedelta(minutes=1),
    )
    client.force_login(person)
    response = client.post(f"/invitations/{invitation.token}/", follow=True)
    assert "This invitation has expired." in response.content.decode()
    assert not organisation.memberships.filter(user=person).exists()


def test_a_withdrawn_invitation_is_refused(client, make_user, admin_person, organisation):
    person = make_user(Role.PROVIDER, email="sam@example.org")
    invitation = InvitationFactory(organisation=organisation, email="sam@example.org")
    client.force_login(admin_person)
    client.post(f"/organisations/{organisation.pk}/members/", {"revoke": invitation.pk})
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None

    client.force_login(person)
    response = client.post(f"/invitations/{invitation.token}/", follow=True)
    assert "This invitation has been withdrawn." in response.content.decode()
    assert not organisation.memberships.filter(user=person).exists()


def test_the_public_are_asked_to_sign_in_with_the_invited_address(client, organisation):
    invitation = InvitationFactory(organisation=organisation, email="sam@example.org")
    page = client.get(f"/invitations/{invitation.token}/").content.decode()
    assert "To accept, sign in with sam@example.org" in page
    response = client.post(f"/invitations/{invitation.token}/")
    assert response["Location"].startswith("/accounts/login/")


# --- Removing members -----------------------------------------------------------------------


def test_the_last_admin_cannot_be_removed(client, admin_person, organisation):
    membership = organisation.memberships.get(user=admin_person)
    client.force_login(admin_person)

    page = client.get(f"/organisations/{organisation.pk}/members/{membership.pk}/remove/")
    assert "An organisation must have at least one admin" in page.content.decode()
    response = client.post(
        f"/organisations/{organisation.pk}/members/{membership.pk}/remove/", follow=True
    )
    assert "An organisation must have at least one admin" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_admin_removes_a_member(client, admin_person, provider_user, organisation):
    membership = MembershipFactory(organisation=organisation, user=provider_user)
    client.force_login(admin_person)
    response = client.post(
        f"/organisations/{organisation.pk}/members/{membership.pk}/remove/", follow=True
    )
    assert "Priya Provider has been removed from Morecambe Bay Food Network" in (
        response.content.decode()
    )
    assert not organisation.memberships.filter(user=provider_user).exists()


def test_an_admin_can_leave_when_another_admin_remains(
    client, admin_person, make_user, organisation
):
    MembershipFactory(organisation=organisation, user=make_user(), role="admin")
    mine = organisation.memberships.get(user=admin_person)
    client.force_login(admin_person)
    response = client.post(f"/organisations/{organisation.pk}/members/{mine.pk}/remove/")
    assert response["Location"] == "/organisations/"
    assert client.get(f"/organisations/{organisation.pk}/").status_code == 404


# --- Switching organisations ----------------------------------------------------------------


def test_a_member_of_several_organisations_switches_between_them(client, provider_user):
    first = organisation_with_admin(provider_user, name="Arts in Bare")
    second = organisation_with_admin(provider_user, name="Bolton-le-Sands Bowls Club")
    other = OrganisationFactory(name="Not Mine")
    client.force_login(provider_user)

    page = client.get("/organisations/")
    assert page.context["current_organisation"] == first
    assert "Switch organisation" in page.content.decode()

    response = client.post("/organisations/switch/", {"organisation": second.pk})
    assert response["Location"] == "/organisations/"
    assert client.get("/organisations/").context["current_organisation"] == second

    response = client.post("/organisations/switch/", {"organisation": other.pk}, follow=True)
    assert "Select one of your organisations" in response.content.decode()
    assert response.context["current_organisation"] == second


def test_the_current_organisation_falls_back_to_the_first_when_the_person_leaves(rf, provider_user):
    first = organisation_with_admin(provider_user, name="Arts in Bare")
    second = organisation_with_admin(provider_user, name="Bolton-le-Sands Bowls Club")
    request = rf.get("/")
    request.user = provider_user
    request.session = {selectors.CURRENT_ORGANISATION_SESSION_KEY: second.pk}
    assert selectors.current_organisation_get(request) == second

    Membership.objects.filter(organisation=second).delete()
    request = rf.get("/")
    request.user = provider_user
    request.session = {selectors.CURRENT_ORGANISATION_SESSION_KEY: second.pk}
    assert selectors.current_organisation_get(request) == first


def test_a_person_without_an_organisation_is_offered_both_ways_in(client, provider_user):
    client.force_login(provider_user)
    page = client.get("/organisations/").content.decode()
    assert "You do not belong to an organisation yet" in page
    assert "Register an organisation" in page
    assert "Ask to join an organisation" in page


def test_services_refuse_removing_the_last_admin(admin_person, organisation):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="at least one admin"):
        services.membership_remove(membership=organisation.memberships.get())
