"""The lessons library: every lesson from every evaluation, searchable, filtered by
priority, area and theme in the address, paginated, its queries flat from 5 to 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commissioning.models import Area, CommissionState, CorporatePriority, CrossCuttingTheme
from core.roles import Role
from monitoring import evaluation_services as services
from tests.factories import CommissionFactory, UserFactory
from tests.monitoring.factories_evaluation import commission_put, delivered

pytestmark = pytest.mark.django_db
URL = "/staff/lessons/"


@pytest.fixture
def officer():
    for name in ("Harbour", "Skerton East"):
        Area.objects.get_or_create(slug=name.lower().replace(" ", "-"), defaults={"name": name})
    return UserFactory(roles=[Role.OFFICER])


def _lessons(officer, count: int, start: int = 0):
    priorities = list(CorporatePriority.objects.order_by("pk"))
    areas = list(Area.objects.order_by("pk"))
    themes = list(CrossCuttingTheme.objects.order_by("pk"))
    for number in range(start, count):
        commission = commission_put(CommissionFactory(), CommissionState.REVIEW)
        services.lesson_add(
            user=officer,
            commission=commission,
            text=f"Lesson number {number}",
            priority=priorities[number % len(priorities)],
            area=areas[number % len(areas)] if number % 2 else None,
            theme=themes[number % len(themes)] if number % 3 else None,
        )


def test_lessons_are_searched_and_filtered(client, officer):
    made = delivered()
    health = CorporatePriority.objects.get(slug="health-and-well-being")
    other = CorporatePriority.objects.exclude(pk=health.pk).first()
    area = Area.objects.first()
    theme = CrossCuttingTheme.objects.first()
    services.lesson_add(
        user=officer,
        agreement=made.agreement,
        text="Volunteers drove the minibus",
        priority=health,
        area=area,
        theme=theme,
    )
    commission = commission_put(CommissionFactory(), CommissionState.REVIEW)
    services.lesson_add(
        user=officer, commission=commission, text="Arts sessions need a venue", priority=other
    )
    client.force_login(officer)
    page = client.get(URL).content.decode()
    assert "2 lessons" in page
    assert "Volunteers drove the minibus" in page
    assert made.agreement.reference in page
    page = client.get(URL, {"q": "minibus"}).content.decode()
    assert "1 lesson matching your search" in page
    assert "Arts sessions" not in page
    page = client.get(URL, {"priority": other.pk}).content.decode()
    assert "Arts sessions need a venue" in page and "minibus" not in page
    page = client.get(URL, {"area": area.pk, "theme": theme.pk}).content.decode()
    assert "minibus" in page and "Arts sessions" not in page
    # A provider's name finds its lessons too.
    page = client.get(URL, {"q": made.organisation.name.split()[0]}).content.decode()
    assert "minibus" in page
    # Nonsense in the filters is ignored, not a 500.
    assert client.get(URL, {"priority": "x", "area": "999999", "q": "a\x00b"}).status_code == 200


def test_lessons_are_paginated(client, officer):
    _lessons(officer, 25)
    client.force_login(officer)
    page = client.get(URL).content.decode()
    assert "25 lessons" in page
    assert 'aria-label="Pages of lessons"' in page
    assert client.get(URL, {"page": "2"}).content.decode().count("Lesson number") == 5


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_queries_stay_flat_from_5_to_50_lessons(client, officer):
    made = delivered()
    client.force_login(officer)
    services.lesson_add(
        user=officer,
        agreement=made.agreement,
        text="From an agreement",
        priority=CorporatePriority.objects.get(slug="health-and-well-being"),
    )
    _lessons(officer, 5)
    commission = CommissionFactory()  # for health and well-being, as some lessons are
    gap_analysis = reverse("engagement:gap_analysis", args=[commission.pk])
    _queries(client, URL)  # the session and the person, once
    library_5 = _queries(client, f"{URL}?page=1")
    understand_5 = _queries(client, gap_analysis)
    _lessons(officer, 50, start=5)
    assert _queries(client, f"{URL}?page=1") == library_5
    assert _queries(client, gap_analysis) == understand_5
