"""Browser journey: an officer's first sign-in makes them set up two-factor sign-in (the test
reads the setup key from the page and works out the code as their authenticator app would),
they save their recovery codes, sign out, and sign in again with their password and a code.
axe-core on every page state."""

import pytest

from core.roles import Role
from tests.factories import UserFactory
from tests.mfa import totp_code

PASSWORD = "a-long-test-password"


def _h1(page) -> str:
    return page.locator("h1").first.inner_text()


@pytest.mark.django_db(transaction=True)
def test_an_officer_sets_up_two_factor_sign_in_at_first_sign_in(page, axe):
    UserFactory(
        roles=[Role.OFFICER], email="new.officer@example.org", full_name="Nia New", mfa=False
    )

    # First sign-in: password only, then straight to setting up an authenticator app.
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("new.officer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    assert _h1(page) == "Set up two-factor sign-in"
    assert "You need to set up two-factor sign-in before you can continue" in page.inner_text(
        "main"
    )
    assert page.get_by_role("img", name="QR code").is_visible()
    axe(page)

    # Any other page sends them back here.
    page.goto("/staff/")
    page.wait_for_url("**/accounts/2fa/totp/activate/")

    # A wrong code: the error summary and the message by the field.
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error: ")
    assert "The code is not correct" in page.locator(".govuk-error-summary").inner_text()
    axe(page)

    # The setup key, for those who cannot scan the QR code: the app's code comes from it.
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#totp-secret").inner_text().strip()
    axe(page)
    # The QR code and the setup key fit a 320px screen without scrolling sideways.
    page.set_viewport_size({"width": 320, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.screenshot(path="/tmp/mfa-activate-320.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Enter the 6-digit code from your authenticator app").fill(totp_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.wait_for_url("**/accounts/2fa/recovery-codes/")
    assert _h1(page) == "Your recovery codes"
    assert page.locator("#recovery-codes li").count() == 10
    assert "Two-factor sign-in is on" in page.inner_text("main")
    axe(page)

    page.get_by_role("link", name="I have saved my codes: continue").click()
    page.wait_for_url("**/staff/")
    axe(page)

    # Sign out.
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert (
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sign in").is_visible()
    )

    # Signing in again asks for a code after the password.
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill("new.officer@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/accounts/2fa/authenticate/")
    assert _h1(page) == "Enter your sign-in code"
    axe(page)
    page.get_by_label("Code").fill("123456")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert "The code is not correct" in page.locator(".govuk-error-summary").inner_text()
    axe(page)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff/")
    assert page.get_by_role("link", name="Your account").is_visible()
    page.goto("/account/")
    assert "On: a code from your authenticator app" in page.inner_text("main")
    axe(page)
