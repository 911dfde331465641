"""Two-factor sign-in: required of council staff (enrolment forced at their first sign-in,
the Django admin included), offered to providers; signing in with a code."""

import datetime as dt
import re
from html import unescape

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache

from core.roles import Role
from tests.factories import UserFactory
from tests.mfa import TEST_TOTP_SECRET, totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Codes used and sign-in attempts are counted in the cache; each test starts afresh."""
    cache.clear()


PASSWORD = "a-long-test-password"
ACTIVATE_URL = "/accounts/2fa/totp/activate/"
STAFF_ROLES = [Role.OFFICER, Role.APPROVER, Role.PANEL_MEMBER, Role.ADMINISTRATOR]


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def secret_on(response) -> str:
    (secret,) = re.findall(r'id="totp-secret">([A-Z2-7]+)<', response.content.decode())
    return secret


@pytest.mark.parametrize("role", STAFF_ROLES, ids=lambda role: role.name.lower())
@pytest.mark.parametrize("path", ["/staff/", "/", "/framework/", "/notifications/"])
def test_staff_without_an_authenticator_are_sent_to_set_one_up(client, role, path):
    person = UserFactory(roles=[role], is_staff=role == Role.ADMINISTRATOR, mfa=False)
    client.force_login(person)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == ACTIVATE_URL
    page = text_of(client.get(ACTIVATE_URL))
    assert "You need to set up two-factor sign-in before you can continue" in page
    assert "Council staff sign in with a password and a code from an authenticator app" in page


def test_a_post_from_staff_without_an_authenticator_changes_nothing(client):
    person = UserFactory(roles=[Role.OFFICER], mfa=False)
    client.force_login(person)
    response = client.post("/staff/commissions/new/", {"title": "Sneaked in"})
    assert response.status_code == 302 and response["Location"] == ACTIVATE_URL


def test_the_django_admin_is_behind_it_too(client):
    admin = UserFactory(roles=[Role.ADMINISTRATOR], is_staff=True, is_superuser=True, mfa=False)
    client.force_login(admin)
    assert client.get("/admin/")["Location"] == ACTIVATE_URL
    assert client.get("/admin/core/user/")["Location"] == ACTIVATE_URL


def test_the_admin_sign_in_page_sends_people_to_the_portal_sign_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_staff_with_an_authenticator_use_the_portal(client, officer, administrator):
    client.force_login(officer)
    assert client.get("/staff/").status_code == 200
    client.force_login(administrator)
    assert client.get("/admin/").status_code == 200


def test_providers_are_not_made_to_set_it_up_but_are_offered_it(client, provider_user):
    client.force_login(provider_user)
    assert client.get("/organisations/").status_code == 200
    page = text_of(client.get("/account/"))
    assert "Two-factor sign-in Off" in page
    assert f'href="{ACTIVATE_URL}"' in client.get("/account/").content.decode()
    page = text_of(client.get(ACTIVATE_URL))
    assert "When you sign in, you will be asked for a code" in page
    assert "Council staff" not in page


def test_the_enrolment_pages_and_signing_out_stay_open(client):
    person = UserFactory(roles=[Role.APPROVER], mfa=False)
    client.force_login(person)
    assert client.get(ACTIVATE_URL).status_code == 200
    assert client.get("/accounts/logout/").status_code == 200
    assert client.get("/session/").status_code == 200
    assert client.get("/static/js/session-timeout.js").status_code == 200


def test_setting_up_the_app_shows_the_recovery_codes_then_the_portal_opens(client):
    person = UserFactory(roles=[Role.OFFICER], mfa=False, email="new.officer@example.org")
    client.force_login(person)
    response = client.get(ACTIVATE_URL)
    html = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html and 'alt="QR code' in html
    secret = secret_on(response)

    wrong = client.post(ACTIVATE_URL, {"code": "000000"})
    assert wrong.status_code == 200
    assert text_of(wrong).startswith("Error: Set up two-factor sign-in")
    assert "The code is not correct" in text_of(wrong)
    assert client.get("/staff/")["Location"] == ACTIVATE_URL

    response = client.post(ACTIVATE_URL, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/recovery-codes/"
    page = text_of(client.get(response["Location"]))
    assert "Your recovery codes" in page and "You have 10 of 10 codes left" in page
    assert Authenticator.objects.filter(user=person, type="totp").exists()
    assert client.get("/staff/").status_code == 200


def test_staff_sign_in_with_a_password_and_then_a_code(client, officer, clock):
    response = client.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.session.get("_auth_user_id") is None
    assert client.get("/staff/")["Location"].startswith("/accounts/login/")

    page = client.get("/accounts/2fa/authenticate/")
    assert "Enter your sign-in code" in text_of(page)
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "123456"})
    assert "The code is not correct" in text_of(wrong)
    assert client.session.get("_auth_user_id") is None

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(TEST_TOTP_SECRET)})
    assert response["Location"] == "/signed-in/"
    assert client.session["_auth_user_id"] == str(officer.pk)
    assert client.get("/staff/").status_code == 200


def test_a_code_works_once(client, officer, clock):
    code = totp_code()
    client.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
    client.post("/accounts/2fa/authenticate/", {"code": code})
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"login": officer.email, "password": PASSWORD})
    again = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert "The code is not correct" in text_of(again)
    clock.shift(dt.timedelta(seconds=60))
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})
    assert response["Location"] == "/signed-in/"


def test_a_recovery_code_signs_in_instead(client):
    person = UserFactory(roles=[Role.PANEL_MEMBER], mfa=False, email="rc@example.org")
    client.force_login(person)
    secret = secret_on(client.get(ACTIVATE_URL))
    client.post(ACTIVATE_URL, {"code": totp_code(secret)})
    codes = re.findall(
        r"<code>(\w+)</code>", client.get("/accounts/2fa/recovery-codes/").content.decode()
    )
    assert len(codes) == 10
    client.post("/accounts/logout/")

    client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": codes[0]})
    assert response["Location"] == "/signed-in/"


def test_staff_cannot_turn_it_off_but_providers_can(client, officer):
    client.force_login(officer)
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert "You cannot turn off two-factor sign-in: council staff must use it" in text_of(response)
    assert Authenticator.objects.filter(user=officer, type="totp").exists()

    provider = UserFactory(roles=[Role.PROVIDER], mfa=True)
    client.force_login(provider)
    response = client.post("/accounts/2fa/totp/deactivate/")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=provider, type="totp").exists()


def test_demo_staff_sign_in_with_the_code_demo_signins_prints(client, settings):
    from io import StringIO

    from django.core.management import call_command

    from demo.people import demo_users_seed

    demo_users_seed()
    demo_users_seed()  # idempotent: still one authenticator each
    out = StringIO()
    call_command("demo_signins", stdout=out)
    (code,) = re.findall(r"the code now: (\d{6})", out.getvalue())
    assert settings.DEMO_TOTP_SECRET in out.getvalue()
    assert Authenticator.objects.filter(type="totp").count() == 4  # staff, not the provider

    response = client.post(
        "/accounts/login/",
        {"login": "officer@example.org", "password": settings.DEMO_PASSWORD},
    )
    assert response["Location"] == "/accounts/2fa/authenticate/"
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response["Location"] == "/signed-in/"

    client.post("/accounts/logout/")
    response = client.post(
        "/accounts/login/",
        {"login": "provider@example.org", "password": settings.DEMO_PASSWORD},
    )
    assert response["Location"] == "/signed-in/"
