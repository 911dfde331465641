"""Every view × every kind of person → the status they get."""

import importlib
import pkgutil

import pytest

import tests
from tests.matrix import ROLES, SIGN_IN, Row


def _collect_rows() -> list[Row]:
    rows: list[Row] = []
    for module in pkgutil.iter_modules(tests.__path__):
        if not module.ispkg:
            continue
        package = importlib.import_module(f"tests.{module.name}")
        for sub in pkgutil.iter_modules(package.__path__):
            if sub.name == "matrix" or sub.name.startswith("matrix_"):
                rows.extend(importlib.import_module(f"tests.{module.name}.{sub.name}").ROWS)
    return rows


ROWS = _collect_rows()
CASES = [
    pytest.param(row, role, id=f"{row.id}-{role}")
    for row in ROWS
    for role in ROLES
    if role in row.expect
]


def test_matrix_has_rows_for_every_app():
    ids = {row.id.split(":")[0] for row in ROWS}
    assert {"core", "commissioning", "providers"} <= ids


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), CASES)
def test_permission_matrix(client, user_for_role, row: Row, role: str):
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    url = row.url(user) if callable(row.url) else row.url
    response = getattr(client, row.method)(url, row.data)
    expected = row.expect[role]
    if expected == SIGN_IN:
        assert response.status_code == 302, f"{url} as {role}: {response.status_code}"
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, f"{url} as {role}: {response.status_code}"


def _portal_url_names() -> set[str]:
    """Every named URL of the portal's own apps (not the admin's or allauth's)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    names: set[str] = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                module = getattr(pattern.urlconf_module, "__name__", "")
                if module.startswith(("allauth", "django")) or pattern.app_name == "admin":
                    continue
                prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, prefix)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


@pytest.mark.django_db
def test_every_view_of_the_portal_is_in_the_matrix(user_for_role):
    """A new view needs a row: the matrix must name every URL the portal serves."""
    from django.urls import resolve

    officer = user_for_role("officer")
    covered = set()
    for row in ROWS:
        url = row.url(officer) if callable(row.url) else row.url
        match = resolve(url.split("?")[0])
        covered.add(f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name)
    missing = _portal_url_names() - covered
    assert not missing, f"views with no row in the permission matrix: {sorted(missing)}"
