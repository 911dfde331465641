"""The public pages that explain the framework: home, framework and glossary."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from commissioning import reference_data
from commissioning.models import CoreCriterion, CycleStage, CycleStep, Framework

pytestmark = pytest.mark.django_db

PRIORITIES = [
    "Economic Growth",
    "Health and Well Being",
    "Clean, Green and Safe Places",
    "Community Leadership",
]


def test_framework_page_shows_the_period_priorities_and_all_core_criteria(client):
    response = client.get(reverse("framework"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Commissioning Framework 2012 to 2015" in content
    assert "2012 to 2015" in content
    for name in PRIORITIES:
        assert escape(name) in content
    for criterion in reference_data.CORE_CRITERIA:
        assert escape(criterion["name"]) in content
        assert escape(criterion["description"]) in content
    for theme in reference_data.CROSS_CUTTING_THEMES:
        assert escape(theme["name"]) in content
    for principle in reference_data.COMMISSIONING_PRINCIPLES:
        assert escape(principle["name"]) in content
    assert "Prevention and early intervention" in content
    assert '<div class="govuk-inset-text" id="definition">The process of specifying' in content
    assert reverse("glossary") in content


def test_framework_page_shows_criteria_weights_in_a_table(client):
    response = client.get(reverse("framework"))

    content = response.content.decode()
    assert '<table class="govuk-table">' in content
    assert "Default weight" in content
    assert content.count(">15%<") == 4
    assert content.count(">10%<") == 4
    assert "100%" in content


def test_framework_page_shows_every_stage_and_step(client):
    response = client.get(reverse("framework"))

    content = response.content.decode()
    for stage in reference_data.CYCLE_STAGES:
        assert f'id="stage-{stage["slug"]}"' in content
        for step in stage["steps"]:
            assert f'id="step-{step["slug"]}"' in content
            assert step["name"] in content


def test_framework_page_title(client):
    response = client.get(reverse("framework"))

    assert "<title>Commissioning Framework 2012 to 2015 – " in response.content.decode()


def test_home_shows_the_cycle_and_where_each_audience_starts(client):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    content = response.content.decode()
    assert '<ol class="portal-cycle"' in content
    assert content.count('class="portal-cycle__stage"') == 4
    stage_positions = [
        content.index(f">{name}</a>") for name in ("Understand", "Plan", "Do", "Review")
    ]
    assert stage_positions == sorted(stage_positions)
    assert "voluntary, community, faith and arts organisations" in content
    for url in (
        reverse("framework"),
        reverse("glossary"),
        reverse("account_signup"),
        reverse("account_login"),
    ):
        assert f'href="{url}"' in content


def test_glossary_shows_every_term_with_an_anchor(client):
    response = client.get(reverse("glossary"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>Glossary – " in content
    for entry in reference_data.GLOSSARY:
        assert f'id="{entry["slug"]}"' in content
        assert escape(entry["term"]) in content
        assert escape(entry["definition"]) in content


@pytest.mark.parametrize("url_name", ["home", "framework", "glossary"])
def test_pages_answer_before_any_framework_is_loaded(client, url_name):
    Framework.objects.all().delete()

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    if url_name != "home":
        assert "has not published its Commissioning Framework yet" in response.content.decode()


def test_framework_page_query_count_does_not_grow_with_its_rows(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        client.get(reverse("framework"))

    framework = Framework.objects.current()
    stage = CycleStage.objects.create(framework=framework, name="Extra stage", slug="extra")
    for number in range(5):
        CycleStep.objects.create(
            stage=stage, name=f"Step {number}", slug=f"step-{number}", description="A step."
        )
        CoreCriterion.objects.create(
            framework=framework,
            name=f"Criterion {number}",
            slug=f"criterion-{number}",
            description="A criterion.",
        )

    with django_assert_max_num_queries(10):
        response = client.get(reverse("framework"))
    assert "Extra stage" in response.content.decode()
