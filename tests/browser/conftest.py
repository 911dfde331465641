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
# WCAG 2.2 1.4.10 (Reflow): nothing scrolls sideways 320 CSS pixels wide.
NARROW = {"width": 320, "height": 900}
# A 320-pixel window in a browser that draws classic scrollbars (desktop Chromium, Firefox on
# Linux and Windows) lays the page out 305 pixels wide: the sideways-scroll check is made there.
REFLOW = {"width": 305, "height": 900}
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


@pytest.fixture(autouse=True)
def pages_seen(request):
    """Every browser context a browser test opens (the `page` fixture's and any of its own)
    keeps the pages it is sent; once the test is over each is checked at 320 pixels
    (`PagesSeen.check_each`)."""
    if "browser" not in request.fixturenames:
        yield None
        return
    browser = request.getfixturevalue("browser")
    live_server = request.getfixturevalue("live_server")
    seen = PagesSeen()
    new_context = browser.new_context

    def new_context_keeping_pages(*args, **kwargs):
        context = new_context(*args, **kwargs)
        context.route(seen.wanted, seen.keep)
        return context

    browser.new_context = new_context_keeping_pages
    try:
        yield seen
    finally:
        del browser.new_context
    seen.check_each(browser, live_server.url)


class AxeViolations(AssertionError):
    pass


class PageProblems(AssertionError):
    pass


# Each link's and button's accessible name (as axe-core computes it, visually hidden text
# included) and where it goes: a link its address, a button its form's address and the values
# it sends. Two with the same name going to different places cannot be told apart by someone
# listening to a list of the page's links or buttons.
ALIKE_JS = """() => {
  axe.setup(document);
  const named = {};
  const shown = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  for (const el of document.querySelectorAll(
      'a[href], button, input[type=submit], [role=button]')) {
    if (!shown(el) || el.closest('[hidden], [aria-hidden=true]')) continue;
    let target;
    if (el.matches('a[href]')) {
      const url = new URL(el.href, document.baseURI);
      url.hash = '';
      url.searchParams.delete('next');  // the same page, returning elsewhere afterwards
      if (url.protocol === 'mailto:') url.search = '';  // the same address, another subject
      target = url.href;
    } else if (el.form) {
      const data = new FormData(el.form);
      if (el.name) data.append(el.name, el.value);
      data.delete('csrfmiddlewaretoken');
      const action = el.getAttribute('formaction') || el.form.getAttribute('action') || '';
      target = 'form ' + new URL(action, document.baseURI).href + ' '
        + new URLSearchParams(data).toString();
    } else {
      continue;
    }
    const kind = el.matches('a[href]') ? 'link' : 'button';
    const vnode = axe.utils.getNodeFromTree(el);
    const name = axe.commons.text.accessibleTextVirtual(vnode).trim().replace(/\\s+/g, ' ');
    const key = kind + ' "' + name + '"';
    (named[key] = named[key] || new Set()).add(target);
  }
  axe.teardown();
  return Object.entries(named).filter(([, t]) => t.size > 1).map(
    ([key, t]) => key + ' goes to ' + [...t].slice(0, 3).join(' | '));
}"""
WIDTH_JS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def _axe_run(page) -> None:
    # A click that submits a form may leave the next page still loading: wait for its
    # document before injecting axe-core into it.
    page.wait_for_load_state("domcontentloaded")
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
        size = page.viewport_size or {}
        raise AxeViolations(
            f"axe-core found on {page.url} at {size.get('width')} px:\n" + "\n".join(lines)
        )


def page_problems(page) -> list[str]:
    """What the page's own checks find beyond axe-core's rules: links or buttons of one name
    going to different places, and the page scrolling sideways in a 320-pixel window (305
    pixels once a classic scrollbar takes its 15). The viewport is left as it was."""
    page.wait_for_load_state("domcontentloaded")
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(url="/static/vendor/axe/axe.min.js")
    problems = [f"{alike} (name each one's object)" for alike in page.evaluate(ALIKE_JS)]
    size = page.viewport_size
    if size != REFLOW:
        page.set_viewport_size(REFLOW)
    width, viewport = page.evaluate(WIDTH_JS)
    if width > viewport:
        problems.append(f"{width} px wide at {viewport} px: it scrolls sideways")
    if size and size != REFLOW:
        page.set_viewport_size(size)
    return problems


def assert_accessible(page) -> None:
    """axe-core (from npm, served from our static files) with WCAG 2.2 A/AA rules at the
    page's width and at 320 pixels; no two links or buttons of one name going to different
    places; no sideways scroll at 320 pixels."""
    _axe_run(page)
    size = page.viewport_size
    if size != NARROW:
        page.set_viewport_size(NARROW)
        try:
            _axe_run(page)
        finally:
            page.set_viewport_size(size)
    problems = page_problems(page)
    if problems:
        raise PageProblems(f"On {page.url}:\n" + "\n".join(problems))


def _serve(html: str):
    def fulfil(route) -> None:
        route.fulfill(body=html, content_type="text/html; charset=utf-8")

    return fulfil


class PagesSeen:
    """Every page the browser was sent during a test, kept as it came (GET or POST), so that
    each is checked afterwards with `page_problems` at 320 pixels, whether or not the test
    called `assert_accessible` on it."""

    def __init__(self):
        self.pages: dict[str, str] = {}

    @staticmethod
    def wanted(url: str) -> bool:
        return "/static/" not in url and "/media/" not in url

    def keep(self, route) -> None:
        if route.request.resource_type != "document" or route.request.frame.parent_frame:
            route.continue_()
            return
        if route.request.headers.get("content-type", "").startswith("multipart/"):
            # route.fetch() does not pass an uploaded file on (the portal would see it
            # empty): an upload goes through untouched, and its page is not kept.
            route.continue_()
            return
        response = route.fetch(max_redirects=0)
        content_type = response.headers.get("content-type", "")
        if response.status == 200 and content_type.startswith("text/html"):
            self.pages.setdefault(response.text(), route.request.url)
        route.fulfill(response=response)

    def check_each(self, browser, base_url: str) -> None:
        if not self.pages:
            return
        context = browser.new_context(base_url=base_url, locale="en-GB", viewport=NARROW)
        context.set_default_timeout(10_000)
        found = []
        try:
            probe = context.new_page()
            for html, url in self.pages.items():
                probe.route(url, _serve(html))
                probe.goto(url)
                found += [f"{url}: {problem}" for problem in page_problems(probe)]
                probe.unroute(url)
        finally:
            context.close()
        if found:
            raise PageProblems(
                f"{len(found)} problems on the {len(self.pages)} pages this test visited:\n"
                + "\n".join(dict.fromkeys(found))
            )


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
