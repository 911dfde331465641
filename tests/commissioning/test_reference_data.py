"""The framework document is in the database after migrating, once and only once."""

from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse

from commissioning import reference_data
from commissioning.models import (
    CommissioningPrinciple,
    CoreCriterion,
    CorporatePriority,
    CrossCuttingTheme,
    CycleStage,
    CycleStep,
    Framework,
    GlossaryTerm,
    Sector,
)

pytestmark = pytest.mark.django_db

REFERENCE_MODELS = [
    Framework,
    Sector,
    CorporatePriority,
    CrossCuttingTheme,
    CommissioningPrinciple,
    CoreCriterion,
    CycleStage,
    CycleStep,
    GlossaryTerm,
]


@pytest.fixture
def framework() -> Framework:
    return Framework.objects.get(slug="commissioning-framework-2012-2015")


def names(model, **filters) -> list[str]:
    return list(model.objects.filter(**filters).values_list("name", flat=True))


def test_the_framework_is_current_and_runs_from_2012_to_2015(framework):
    assert Framework.objects.current() == framework
    assert framework.title == "Commissioning Framework"
    assert framework.period == "2012 to 2015"
    assert framework.what_is_commissioning.startswith(
        "The process of specifying, securing and monitoring services"
    )
    assert "protect the most vulnerable" in framework.vulnerable_thread
    assert framework.corporate_plan_url.startswith("http://www.lancaster.gov.uk/")


def test_the_two_sectors():
    assert list(Sector.objects.values_list("short_name", "name")) == [
        ("VCFS", "Voluntary, Community and Faith Sector"),
        ("Arts", "Arts sector"),
    ]


def test_the_four_corporate_priorities(framework):
    assert names(CorporatePriority, framework=framework) == [
        "Economic Growth",
        "Health and Well Being",
        "Clean, Green and Safe Places",
        "Community Leadership",
    ]


def test_the_three_cross_cutting_themes(framework):
    assert names(CrossCuttingTheme, framework=framework) == [
        "Working Together in Partnership",
        "Managing the Council's Resources",
        "Environmental Sustainability",
    ]


def test_the_five_commissioning_principles(framework):
    assert names(CommissioningPrinciple, framework=framework) == [
        "Citizen focused",
        "Working together",
        "Transparency",
        "Value focused",
        "Engagement",
    ]
    value_focused = CommissioningPrinciple.objects.get(framework=framework, slug="value-focused")
    assert "Social Return on Investment" in value_focused.text
    points = value_focused.bullet_points.splitlines()
    assert len(points) == 4
    assert points[0].startswith("Prevention and early intervention")


def test_the_eight_core_criteria_with_weights_that_sum_to_100(framework):
    criteria = CoreCriterion.objects.filter(framework=framework)
    assert [(c.slug, c.name) for c in criteria] == [
        ("links-to-priorities", "Links to corporate priorities and other approved strategies"),
        ("deliverability", "Deliverability"),
        ("quality-assurance", "Quality Assurance"),
        ("value-for-money", "Value for Money"),
        ("added-value", "Added value / additionality"),
        ("sustainability", "Sustainability"),
        ("collaboration", "Collaboration"),
        ("service-specific", "Service specific criteria"),
    ]
    assert all(c.description for c in criteria)
    assert sum(c.default_weight for c in criteria) == Decimal("100")


def test_the_four_stages_of_the_cycle_and_their_steps(framework):
    stages = CycleStage.objects.filter(framework=framework).prefetch_related("steps")
    assert {stage.name: [step.name for step in stage.steps.all()] for stage in stages} == {
        "Understand": [
            "Engagement",
            "Local assessment",
            "Existing service provision",
            "Gap analysis",
        ],
        "Plan": ["Options appraisal", "Service design"],
        "Do": ["Procurement", "Service delivery"],
        "Review": ["Performance monitoring", "Evaluation"],
    }
    assert [stage.name for stage in stages] == ["Understand", "Plan", "Do", "Review"]
    assert all(stage.summary for stage in stages)
    assert not CycleStep.objects.filter(description="").exists()


def test_the_nine_glossary_terms(framework):
    terms = GlossaryTerm.objects.filter(framework=framework)
    assert sorted(terms.values_list("term", flat=True)) == sorted(
        [
            "Commissioning",
            "Commissioning Cycle",
            "Commissioning Framework",
            "Commissioning Plan",
            "Engagement",
            "Outcomes",
            "Procurement",
            "Success Measure",
            "VCFS",
        ]
    )
    assert terms.get(slug="vcfs").definition == (
        "Acronym used for the 'Voluntary, Community and Faith Sector'."
    )


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in REFERENCE_MODELS}


def test_loading_again_adds_nothing():
    before = row_counts()
    assert before == {
        "Framework": 1,
        "Sector": 2,
        "CorporatePriority": 4,
        "CrossCuttingTheme": 3,
        "CommissioningPrinciple": 5,
        "CoreCriterion": 8,
        "CycleStage": 4,
        "CycleStep": 10,
        "GlossaryTerm": 9,
    }

    reference_data.load(apps)
    migration = import_module("commissioning.migrations.0002_load_framework")
    migration.load_framework(apps, schema_editor=None)

    assert row_counts() == before


def test_loading_again_restores_the_documents_text(framework):
    CoreCriterion.objects.filter(slug="deliverability").update(name="Renamed")

    reference_data.load(apps)

    assert CoreCriterion.objects.get(framework=framework, slug="deliverability").name == (
        "Deliverability"
    )


def test_administrators_keep_the_reference_data_and_officers_read_it():
    administrator = Group.objects.get(name="Administrator")
    officer = Group.objects.get(name="Commissioning officer")
    for model in [*REFERENCE_MODELS, apps.get_model("commissioning", "Area")]:
        name = model._meta.model_name
        for action in ("add", "change", "delete", "view"):
            assert administrator.permissions.filter(
                content_type__app_label="commissioning", codename=f"{action}_{name}"
            ).exists()
        assert officer.permissions.filter(codename=f"view_{name}").exists()
        assert not officer.permissions.filter(codename=f"change_{name}").exists()


@pytest.mark.parametrize("model", [*REFERENCE_MODELS, apps.get_model("commissioning", "Area")])
def test_every_reference_model_can_be_kept_in_the_admin(admin_client, model):
    opts = model._meta
    changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200

    add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == 200

    instance = model.objects.first()
    if instance is not None:
        change = admin_client.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])
        )
        assert change.status_code == 200
