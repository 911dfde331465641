"""Every link a person is shown is one they may follow.

As each role of the demo (a provider, a panel member, an officer, an approver and an
administrator), start at the page signing in lands on and follow every same-site link found,
breadth first, up to a bound: none may answer 403, 404 or 500, or send a signed-in person to
the sign-in page. A link to a page the view refuses means the template shows it by a copy of
the rules, not the rules (`{% has_perm %}` from `rules`, as the view checks).
"""

import logging
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from core.models import User
from tests.mfa import authenticator_give

pytestmark = pytest.mark.django_db

PAGES_PER_ROLE = 300
ROLES = {
    "provider": "provider@example.org",
    "panel member": "panel@example.org",
    "officer": "officer@example.org",
    "approver": "approver@example.org",
    "administrator": "admin@example.org",
}
# Not pages to read: signing out ends the walk; the Django admin is its own site, reached by
# administrators only; files are served by their own views (their links are checked, their
# contents are not read); the session endpoints answer the timeout warning's script.
NOT_WALKED = ("/accounts/logout/", "/admin/", "/static/", "/media/", "/session/")
# Same-page variations that add nothing but more pages: another page of a list, a sort.
VARIATIONS = ("page=", "sort=", "order=")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _links(page: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url, _ = urldefrag(urljoin(page, href))
        parts = urlsplit(url)
        if parts.scheme not in {"", "http"} or parts.netloc not in {"", "testserver"}:
            continue  # another site, mailto:, tel:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path.startswith(NOT_WALKED) or not path:
            continue
        found.append(path)
    return found


def _walk(client: Client, start: str) -> tuple[int, list[str]]:
    """Breadth first from `start`; the bad links, each with the page that showed it."""
    seen = {start: "(start)"}
    queue = deque([start])
    bad = []
    walked = 0
    while queue and walked < PAGES_PER_ROLE:
        url = queue.popleft()
        response = client.get(url)
        walked += 1
        status = response.status_code
        location = response.get("Location", "")
        if status in {403, 404} or status >= 500:
            bad.append(f"{status} {url} (linked from {seen[url]})")
            continue
        if status in {301, 302}:
            if "/accounts/login/" in location:
                bad.append(f"sign-in page {url} (linked from {seen[url]})")
                continue
            target = urljoin(url, location)
            target = urlsplit(target).path + (
                f"?{urlsplit(target).query}" if urlsplit(target).query else ""
            )
            if target not in seen and not target.startswith(NOT_WALKED):
                seen[target] = url
                queue.append(target)
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for link in _links(url, response.content.decode()):
            if link in seen:
                continue
            if any(v in urlsplit(link).query for v in VARIATIONS) and urlsplit(link).path in {
                urlsplit(s).path for s in seen
            }:
                continue
            seen[link] = url
            queue.append(link)
    return walked, bad


def test_every_link_each_role_is_shown_opens(capsys):
    call_command("seed_demo", verbosity=0)
    logging.disable(logging.WARNING)  # refusals are reported below, not logged
    report = {}
    try:
        for role, email in ROLES.items():
            user = User.objects.get(email=email)
            if role != "provider":
                authenticator_give(user)
            client = Client(raise_request_exception=False)
            client.force_login(user)
            start = urlsplit(client.get("/signed-in/").get("Location", "/")).path or "/"
            report[role] = _walk(client, start)
    finally:
        logging.disable(logging.NOTSET)
    with capsys.disabled():
        print("\nlink walk: " + ", ".join(f"{r} {n} pages" for r, (n, _) in report.items()))
    bad = [f"{role}: {line}" for role, (_, lines) in report.items() for line in lines]
    assert not bad, f"{len(bad)} links shown that do not open:\n" + "\n".join(bad)
