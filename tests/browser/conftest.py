"""Browser tests: Playwright driving the system Chromium, axe-core served by the portal."""

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# between page actions are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent.name == "browser":
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed: .ci/run should have installed it")
        pytest.skip("Chromium is not installed here (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


class AxeViolations(AssertionError):
    pass


def assert_accessible(page) -> None:
    """Run axe-core (from npm, served from our static files) with WCAG 2.2 A/AA rules."""
    page.add_script_tag(url="/static/vendor/axe/axe.min.js")
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = result["violations"]
    if violations:
        lines = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in violations
        ]
        raise AxeViolations(f"axe-core found on {page.url}:\n" + "\n".join(lines))


@pytest.fixture
def axe():
    return assert_accessible


@pytest.fixture
def sign_in(page):
    def sign_in_as(email: str, password: str = "a-long-test-password") -> None:
        page.goto("/accounts/login/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        enter_sign_in_code(page, email)

    return sign_in_as


def enter_sign_in_code(page, email: str) -> None:
    """After the password, staff (and providers who chose it) are asked for the code from their
    authenticator app: enter the one it shows now (tests/mfa.py). A code works once, so the
    record that it was used in an earlier test at the same frozen moment is forgotten first,
    as 30 seconds passing would forget it."""
    if "/accounts/2fa/authenticate/" not in page.url:
        return
    from allauth.mfa.models import Authenticator
    from django.core.cache import cache

    from tests.mfa import totp_code_for

    authenticator = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
    code = totp_code_for(authenticator.user)
    cache.delete(f"allauth.mfa.totp.used?user={authenticator.user_id}&code={code}")
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
