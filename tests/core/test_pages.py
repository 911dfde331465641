"""The site pages and the page template: a council service built on GOV.UK Frontend."""

import re
from pathlib import Path

import pytest
from django.conf import settings

COMPILED_CSS = Path(settings.BASE_DIR) / "static" / "css" / "portal.css"


@pytest.fixture
def get_page(client, db):
    def get(path: str, status: int = 200) -> str:
        response = client.get(path)
        assert response.status_code == status, path
        return response.content.decode()

    return get


def test_accessibility_statement(get_page):
    html = get_page("/accessibility/")
    assert "Accessibility statement for the Commissioning portal" in html
    assert "Web Content Accessibility Guidelines version 2.2" in html
    assert "axe-core" in html
    assert "has not yet had a full manual accessibility audit" in html
    assert "Equality and Human Rights Commission (EHRC)" in html
    assert "Equality Advisory and Support Service (EASS)" in html
    assert f'href="mailto:{settings.COUNCIL["email"]}' in html


def test_privacy_notice(get_page):
    html = get_page("/privacy/")
    assert '<h1 class="govuk-heading-l">Privacy notice</h1>' in html
    assert f"{settings.COUNCIL['name']} is the data controller" in html
    for collected in ("email address", "organisation", "bids", "monitoring returns"):
        assert collected in html
    assert "public task" in html
    assert "How long we keep your information" in html
    assert "UK GDPR" in html
    assert "Information Commissioner’s Office (ICO)" in html


def test_cookies_page_lists_only_essential_cookies(get_page):
    html = get_page("/cookies/")
    cookie_names = re.findall(r'<td class="govuk-table__cell">(\w+)</td>\s*<td', html)
    assert cookie_names == ["sessionid", "csrftoken", "messages"]
    assert "When you sign out or close your browser" in html
    assert "1 year" in html
    assert "we do not ask for your permission" in html


def test_page_title_names_the_page_service_and_council(get_page):
    html = get_page("/cookies/")
    assert "<title>Cookies – Commissioning portal – Lancaster City Council</title>" in html


def test_page_template_follows_the_govuk_layout(get_page):
    html = get_page("/accessibility/")
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert re.search(r'<main class="govuk-main-wrapper[^"]*" id="main-content">', html)
    assert '<span class="portal-header__council">Lancaster City Council</span>' in html
    assert 'class="govuk-service-navigation"' in html
    assert 'class="govuk-phase-banner"' in html
    assert "Beta</strong>" in html
    assert '<div class="govuk-grid-column-two-thirds">' in html
    footer = html[html.index('<footer class="govuk-footer') :]
    for name, text in (
        ("accessibility", "Accessibility statement"),
        ("privacy", "Privacy"),
        ("cookies", "Cookies"),
    ):
        assert f'href="/{name}/">{text}</a>' in footer


def test_inline_script_carries_the_csp_nonce(client, db):
    response = client.get("/cookies/")
    html = response.content.decode()
    nonce = re.search(r'<script nonce="([^"]+)">', html).group(1)
    assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
    assert "style=" not in html


def test_no_govuk_branding(get_page):
    html = get_page("/accessibility/")
    assert "govuk-header__logotype" not in html
    assert "govuk-logo" not in html
    assert "GOV.UK</" not in html
    assert "Crown copyright" not in html


def test_compiled_css_is_not_gds_transport():
    css = COMPILED_CSS.read_text()
    assert "GDS Transport" not in css
    assert "/assets/fonts/" not in css
    assert "font-family:system-ui" in css
    assert ".portal-cycle__stage--current" in css
    assert ".portal-timeline" in css


def test_missing_page_renders_the_govuk_404(get_page):
    html = get_page("/no-such-page/", status=404)
    assert "<title>Page not found – Commissioning portal – Lancaster City Council</title>" in html
    assert "If you typed the web address, check it is correct." in html
    assert "If you pasted the web address, check you copied the entire address." in html


def test_service_navigation_marks_the_current_section(get_page):
    html = get_page("/framework/glossary/")
    assert (
        '<a class="govuk-service-navigation__link" href="/framework/" aria-current="true">'
        '<strong class="govuk-service-navigation__active-fallback">Framework</strong></a>'
    ) in html
    assert "Sign in</a>" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("person", "start", "not_shown"),
    [
        ("provider_user", "Your organisations", "Staff dashboard"),
        ("officer", "Staff dashboard", "Your organisations"),
    ],
)
def test_service_navigation_for_people_signed_in(client, request, person, start, not_shown):
    client.force_login(request.getfixturevalue(person))
    html = client.get("/cookies/").content.decode()
    assert f"{start}</a>" in html
    assert not_shown not in html
    assert "Sign out</a>" in html
