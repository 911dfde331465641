"""Sessions end: after 30 minutes without activity for staff and 2 hours for providers (with
a warning shortly before), at once for an account made inactive; and the most sensitive
actions ask the person to confirm who they are first."""

import datetime as dt
import re
from html import unescape

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache

from core.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Codes used and sign-in attempts are counted in the cache; each test starts afresh."""
    cache.clear()


PASSWORD = "a-long-test-password"


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- Idle sessions -----------------------------------------------------------------------------


def test_a_staff_session_ends_after_30_minutes_without_activity(client, officer, clock):
    client.force_login(officer)
    assert client.get("/staff/").status_code == 200

    clock.idle(dt.timedelta(minutes=29))
    assert client.get("/staff/").status_code == 200  # activity: the 30 minutes start again
    clock.idle(dt.timedelta(minutes=29))
    assert client.get("/staff/").status_code == 200

    clock.idle(dt.timedelta(minutes=31))
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/staff/"
    assert not signed_in(client)
    page = text_of(client.get(response["Location"]))
    assert "You were signed out because you had not done anything for 30 minutes" in page


def test_a_provider_session_lasts_two_hours_without_activity(client, provider_user, clock):
    client.force_login(provider_user)
    assert client.get("/organisations/").status_code == 200
    clock.idle(dt.timedelta(minutes=119))
    assert client.get("/organisations/").status_code == 200
    clock.idle(dt.timedelta(minutes=121))
    response = client.get("/organisations/")
    assert response["Location"] == "/accounts/login/?next=/organisations/"
    assert "had not done anything for 2 hours" in text_of(client.get(response["Location"]))


def test_the_limits_are_settings(client, officer, clock, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 10
    client.force_login(officer)
    client.get("/staff/")
    clock.idle(dt.timedelta(minutes=11))
    assert client.get("/staff/").status_code == 302
    assert not signed_in(client)


def test_a_post_after_the_limit_changes_nothing(client, officer, clock):
    client.force_login(officer)
    client.get("/staff/")
    clock.idle(dt.timedelta(minutes=31))
    response = client.post(
        "/staff/commissions/new/", {"title": "Late"}, HTTP_REFERER="http://testserver/staff/"
    )
    assert response["Location"] == "/accounts/login/?next=/staff/"
    assert not signed_in(client)


def test_pages_carry_the_timeout_warning_for_signed_in_people_only(client, officer):
    assert 'id="session-timeout"' not in client.get("/").content.decode()
    client.force_login(officer)
    response = client.get("/staff/")
    html = response.content.decode()
    assert 'data-seconds-left="1800"' in html and 'data-warn-seconds="120"' in html
    assert "You are about to be signed out" in html and "Stay signed in" in html
    (nonce,) = re.findall(r'src="/static/js/session-timeout.js" nonce="([^"]+)"', html)
    assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]


def test_asking_how_long_is_left_is_not_activity_but_staying_signed_in_is(client, officer, clock):
    client.force_login(officer)
    client.get("/staff/")
    clock.idle(dt.timedelta(minutes=28))
    assert client.get("/session/").json() == {"signed_in": True, "seconds_left": 120}
    clock.idle(dt.timedelta(minutes=1))
    assert client.get("/session/").json() == {"signed_in": True, "seconds_left": 60}

    response = client.post("/session/extend/", {"next": "/staff/"}, HTTP_ACCEPT="application/json")
    assert response.json() == {"signed_in": True, "seconds_left": 1800}
    clock.idle(dt.timedelta(minutes=29))
    assert client.get("/staff/").status_code == 200

    # Should the script fall back to posting the form, it comes back to the page.
    response = client.post("/session/extend/", {"next": "/staff/"})
    assert response["Location"] == "/staff/"
    response = client.post("/session/extend/", {"next": "https://elsewhere.example/"})
    assert response["Location"] == "/"


def test_after_the_limit_the_status_says_signed_out(client, officer, clock):
    client.force_login(officer)
    client.get("/staff/")
    clock.idle(dt.timedelta(minutes=31))
    response = client.get("/session/")
    assert response.status_code == 302 or response.json()["signed_in"] is False
    assert not signed_in(client)


# --- Deactivated accounts ---------------------------------------------------------------------


def test_a_deactivated_account_is_signed_out_at_its_next_request(client, officer):
    client.force_login(officer)
    assert client.get("/staff/").status_code == 200
    type(officer).objects.filter(pk=officer.pk).update(is_active=False)  # no signal

    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not signed_in(client)


def test_deactivating_an_account_deletes_its_sessions(client, officer, provider_user):
    client.force_login(officer)
    client.get("/staff/")
    other = client.__class__()
    other.force_login(provider_user)
    assert Session.objects.count() == 2

    officer.is_active = False
    officer.save()

    assert Session.objects.count() == 1
    assert not signed_in(client)
    assert other.get("/organisations/").status_code == 200


# --- Re-authentication before the most sensitive actions ----------------------------------------


def test_approving_awards_asks_for_the_password_again_after_5_minutes(client, approver, clock):
    from tests.procurement.factories_assessment import assessed_opportunity

    both = UserFactory(roles=[Role.OFFICER, Role.APPROVER])
    assessed = assessed_opportunity(recommended=True, lead_officer=both)
    from tests.procurement.test_moderation_recommendation import to_award_approval

    commission = to_award_approval(assessed, both)
    client.force_login(approver)
    clock.idle(dt.timedelta(minutes=6))
    url = f"/staff/commissions/{commission.pk}/actions/approve_awards/"
    assert client.get(url).status_code == 200  # the confirmation page itself is shown

    response = client.post(url, {"seen_state": "award_approval"})
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/reauthenticate/?next={url.replace('/', '%2F')}"
    commission.refresh_from_db()
    assert commission.state == "award_approval"

    page = client.get(response["Location"])
    assert "Confirm it is you" in text_of(page)
    assert "enter your password again" in text_of(page)
    wrong = client.post(response["Location"], {"password": "not-it", "next": url})
    assert "The password is not correct" in text_of(wrong)
    commission.refresh_from_db()
    assert commission.state == "award_approval"

    done = client.post(response["Location"], {"password": PASSWORD, "next": url})
    assert done.status_code == 302
    commission.refresh_from_db()
    assert commission.state == "delivery"


def test_approving_a_variation_asks_for_the_password_again(client, approver, clock):
    from procurement.models import AgreementState, VariationState
    from tests.procurement.factories_agreements import agreement_made
    from tests.procurement.test_variations import propose_more_money_and_time

    made = agreement_made(state=AgreementState.ACCEPTED)
    variation = propose_more_money_and_time(made.agreement, made.officer)
    client.force_login(approver)
    clock.idle(dt.timedelta(minutes=6))
    url = f"/agreements/{made.agreement.pk}/variations/{variation.number}/actions/approve/"
    response = client.post(url, {"seen_state": "proposed", "reason": ""})
    assert response["Location"].startswith("/accounts/reauthenticate/")
    variation.refresh_from_db()
    assert variation.state == VariationState.PROPOSED

    client.post(response["Location"], {"password": PASSWORD, "next": url})
    variation.refresh_from_db()
    assert variation.state == VariationState.APPROVED


def test_not_approving_a_variation_needs_no_password(client, approver, clock):
    from procurement.models import AgreementState, VariationState
    from tests.procurement.factories_agreements import agreement_made
    from tests.procurement.test_variations import propose_more_money_and_time

    made = agreement_made(state=AgreementState.ACCEPTED)
    variation = propose_more_money_and_time(made.agreement, made.officer)
    client.force_login(approver)
    clock.idle(dt.timedelta(minutes=6))
    url = f"/agreements/{made.agreement.pk}/variations/{variation.number}/actions/reject/"
    client.post(url, {"seen_state": "proposed", "reason": "Not within the budget."})
    variation.refresh_from_db()
    assert variation.state == VariationState.REJECTED


def test_changing_someones_role_asks_for_the_password_again(client, administrator, clock):
    from django.contrib.auth.models import Group

    person = UserFactory(roles=[Role.PROVIDER], email="someone@example.org")
    approvers = Group.objects.get(name=Role.APPROVER.value)
    client.force_login(administrator)
    url = f"/admin/core/user/{person.pk}/change/"
    assert client.get(url).status_code == 200
    clock.idle(dt.timedelta(minutes=6))
    data = {
        "email": person.email,
        "full_name": person.full_name,
        "job_title": "",
        "is_active": "on",
        "groups": [str(approvers.pk)],
    }
    response = client.post(url, data)
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not person.groups.filter(pk=approvers.pk).exists()

    client.post(response["Location"], {"password": PASSWORD, "next": url})
    assert person.groups.filter(pk=approvers.pk).exists()


def test_a_code_confirms_it_too(client, approver, clock):
    from tests.mfa import totp_code

    client.force_login(approver)
    clock.idle(dt.timedelta(minutes=6))
    page = client.get("/accounts/reauthenticate/?next=/staff/")
    assert 'href="/accounts/2fa/reauthenticate/?next=%2Fstaff%2F"' in page.content.decode()
    response = client.post(
        "/accounts/2fa/reauthenticate/", {"code": totp_code(), "next": "/staff/"}
    )
    assert response["Location"] == "/staff/"
