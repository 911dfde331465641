"""Signing in, creating an account, confirming an email address, resetting a password."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.test import Client

from core.models import User
from core.roles import Role
from tests.factories import UserFactory

PASSWORD = "a-long-test-password"
LOGIN_URL = "/accounts/login/"
SIGNUP_URL = "/accounts/signup/"
VERIFICATION_SENT_URL = "/accounts/confirm-email/"
AFTER_LOGIN_URL = "/signed-in/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts sign-ins and failures per IP address in the cache; start each test at 0."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def verified_user():
    """An officer whose email address is confirmed, as an administrator would set them up:
    they set up two-factor sign-in after their first sign-in (tests/core/test_mfa.py)."""
    user = UserFactory(roles=[Role.OFFICER], email="olive.officer@example.org", mfa=False)
    assert EmailAddress.objects.get(user=user).verified
    return user


def sign_in(client, email, password=PASSWORD):
    return client.post(LOGIN_URL, {"login": email, "password": password})


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def link_in(message) -> str:
    """The path of the one link in a plain-text email."""
    (url,) = re.findall(r"https?://testserver(/\S+)", message.body)
    return url


def summary_errors(response) -> list[tuple[str, str]]:
    """(field anchor, message) for each entry in the GOV.UK error summary."""
    html = response.content.decode()
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert summary, "no error summary on the page"
    return re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', summary.group(0))


def field_errors(response, field_id: str) -> list[str]:
    """The error messages shown beside one field."""
    html = response.content.decode()
    group = re.search(
        rf'<div id="div_{field_id}" class="govuk-form-group[^"]*">.*?<input[^>]*>', html, re.S
    )
    assert group, f"no form group for {field_id}"
    return [
        message.strip()
        for message in re.findall(
            r'class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span>'
            r"([^<]+)<",
            group.group(0),
        )
    ]


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


# --- Signing in ------------------------------------------------------------------------------


def test_sign_in_page_is_a_govuk_form(client):
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    assert title(response).startswith("Sign in – ")
    assert response.templates[0].name == "account/login.html"
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in html
    assert re.search(r'<label for="id_login" class="govuk-label">\s*Email address\s*</label>', html)
    assert re.search(r'<input type="email" name="login"[^>]*class="govuk-input"', html)
    assert re.search(r'<input type="password" name="password"[^>]*class="govuk-input"', html)
    assert 'value="Sign in"' in html
    assert "placeholder" not in html
    assert 'name="remember"' not in html
    assert 'href="/accounts/signup/"' in html
    assert 'href="/accounts/password/reset/"' in html


def test_sign_in_with_email_address_and_password(client, verified_user):
    response = sign_in(client, "Olive.Officer@Example.org")

    assert response.status_code == 302
    assert response["Location"] == AFTER_LOGIN_URL
    assert signed_in_user_id(client) == str(verified_user.pk)


def test_wrong_password_shows_the_error_summary_and_keeps_the_email_address(client, verified_user):
    response = sign_in(client, verified_user.email, password="not-the-password")

    assert response.status_code == 200
    assert title(response).startswith("Error: Sign in – ")
    assert summary_errors(response) == [
        ("id_login", "The email address or password is not correct")
    ]
    html = response.content.decode()
    assert f'value="{verified_user.email}"' in html
    assert "not-the-password" not in html
    assert signed_in_user_id(client) is None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"login": "", "password": ""},
            [("id_login", "Enter your email address"), ("id_password", "Enter your password")],
        ),
        (
            {"login": "olive.officer", "password": PASSWORD},
            [
                (
                    "id_login",
                    "Enter an email address in the correct format, like name@example.org",
                )
            ],
        ),
    ],
)
def test_sign_in_asks_for_what_is_missing(client, data, expected):
    response = client.post(LOGIN_URL, data)

    assert summary_errors(response) == expected
    for field_id, message in expected:
        assert field_errors(response, field_id) == [message]


def test_sign_out_asks_then_signs_out_on_post(client, verified_user):
    client.force_login(verified_user)

    confirm = client.get("/accounts/logout/")
    assert confirm.status_code == 200
    assert signed_in_user_id(client) == str(verified_user.pk)
    assert re.search(r'<form method="post" action="/accounts/logout/"', confirm.content.decode())
    assert '<button type="submit" class="govuk-button"' in confirm.content.decode()

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) is None


# --- Creating an account and confirming the email address --------------------------------


def test_create_an_account_confirm_the_email_address_then_sign_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    page = client.get(SIGNUP_URL)
    assert "voluntary, community, faith or arts organisation" in page.content.decode()

    # The confirmation email is recorded and sent once the sign-up has committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SIGNUP_URL,
            {
                "full_name": "Sam Smith",
                "email": "Sam.Smith@Example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )

    assert response.status_code == 302
    assert response["Location"] == VERIFICATION_SENT_URL
    assert "Check your email" in client.get(VERIFICATION_SENT_URL).content.decode()
    assert signed_in_user_id(client) is None
    (email,) = mailoutbox
    assert email.to == ["sam.smith@example.org"]
    assert email.subject == "[Commissioning portal] Confirm your email address"

    # Someone with the password still cannot sign in until the address is confirmed.
    elsewhere = Client()
    blocked = sign_in(elsewhere, "sam.smith@example.org")
    assert blocked["Location"] == VERIFICATION_SENT_URL
    assert signed_in_user_id(elsewhere) is None

    confirm_url = link_in(email)
    confirm_page = client.get(confirm_url)
    assert confirm_page.status_code == 200
    assert "Confirm email address</button>" in confirm_page.content.decode()
    confirmed = client.post(confirm_url)

    assert confirmed["Location"] == AFTER_LOGIN_URL
    user = User.objects.get(email="sam.smith@example.org")
    assert signed_in_user_id(client) == str(user.pk)
    assert user.full_name == "Sam Smith"
    assert list(user.groups.values_list("name", flat=True)) == [Role.PROVIDER.value]
    assert EmailAddress.objects.get(user=user).verified
    assert sign_in(elsewhere, "sam.smith@example.org")["Location"] == AFTER_LOGIN_URL


def test_create_an_account_without_a_full_name(client, mailoutbox):
    response = client.post(
        SIGNUP_URL,
        {
            "full_name": "",
            "email": "sam.smith@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 200
    assert title(response).startswith("Error: Create an account – ")
    assert summary_errors(response) == [("id_full_name", "Enter your full name")]
    assert field_errors(response, "id_full_name") == ["Enter your full name"]
    assert 'value="sam.smith@example.org"' in response.content.decode()
    assert not User.objects.filter(email="sam.smith@example.org").exists()
    assert mailoutbox == []


def test_create_an_account_with_passwords_that_do_not_match(client):
    response = client.post(
        SIGNUP_URL,
        {
            "full_name": "Sam Smith",
            "email": "sam.smith@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD + "x",
        },
    )

    assert summary_errors(response) == [("id_password2", "Enter the same password in both fields")]


def test_an_expired_confirmation_link_says_what_to_do(client):
    response = client.get("/accounts/confirm-email/not-a-real-key/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "This link has expired" in html
    assert 'href="/accounts/login/"' in html


# --- Resetting a forgotten password ----------------------------------------------------------


def test_reset_a_forgotten_password(
    client, verified_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": verified_user.email})

    assert response["Location"] == "/accounts/password/reset/done/"
    assert "Check your email" in client.get(response["Location"]).content.decode()
    (email,) = mailoutbox
    assert email.to == [verified_user.email]
    assert email.subject == "[Commissioning portal] Reset your password"

    # The emailed link swaps its key into the session and redirects to a key-free URL.
    form_url = client.get(link_in(email))["Location"]
    form_page = client.get(form_url)
    assert form_page.status_code == 200
    assert "Set a new password" in form_page.content.decode()
    saved = client.post(
        form_url, {"password1": "a-brand-new-password", "password2": "a-brand-new-password"}
    )
    assert saved["Location"] == "/accounts/password/reset/key/done/"

    assert sign_in(Client(), verified_user.email).status_code == 200  # the old one fails
    assert sign_in(Client(), verified_user.email, "a-brand-new-password")["Location"] == (
        AFTER_LOGIN_URL
    )


def test_a_used_or_wrong_reset_link_says_what_to_do(client):
    response = client.get("/accounts/password/reset/key/1-not-a-real-key/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "This link has expired" in html
    assert 'href="/accounts/password/reset/"' in html


# --- Too many failed sign-ins (django-axes) --------------------------------------------------


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    return settings


def test_too_many_wrong_passwords_show_the_lockout_page(client, verified_user, axes_on):
    limit = axes_on.AXES_FAILURE_LIMIT

    for _ in range(limit - 1):
        assert sign_in(client, verified_user.email, "not-the-password").status_code == 200
    locked = sign_in(client, verified_user.email, "not-the-password")

    assert locked.status_code == 429
    assert "You have tried to sign in too many times" in locked.content.decode()
    assert "Try again in an hour" in locked.content.decode()
    # Even the right password is refused until the hour is up.
    assert sign_in(client, verified_user.email).status_code == 429
    assert signed_in_user_id(client) is None


def test_a_lockout_is_for_one_email_address_not_everyone_at_the_same_address(
    client, verified_user, axes_on
):
    attempts = [
        sign_in(client, "someone.else@example.org", "guess")
        for _ in range(axes_on.AXES_FAILURE_LIMIT)
    ]
    assert attempts[-1].status_code == 429

    # A colleague in the same office (same IP address) can still sign in.
    assert sign_in(Client(), verified_user.email)["Location"] == AFTER_LOGIN_URL
