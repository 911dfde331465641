"""The demo Commissioning Plans: one per sector, published through the plan services, once."""

import pytest

from commissioning.models import CommissioningPlan, PlanState, Sector
from core.roles import Role
from demo.commissioning_plans import demo_plans_seed
from tests.factories import CommissionFactory, SpecificationFactory, UserFactory

S = PlanState


@pytest.fixture
def people(db):
    return {
        "officer": UserFactory(roles=[Role.OFFICER], email="author@example.org"),
        "approver": UserFactory(roles=[Role.APPROVER], email="approver@example.org"),
    }


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture(autouse=True)
def _no_weasyprint(monkeypatch):
    """Publishing enqueues the PDF; this test is about the plans, not the PDF."""
    monkeypatch.setattr("commissioning.pdf.plan_pdf_render", lambda *, plan: b"%PDF-1.7 test")


@pytest.mark.django_db
def test_demo_plans_are_published_once(people):
    arts = Sector.objects.get(short_name="Arts")
    specs = {
        "VCFS": [SpecificationFactory(), SpecificationFactory()],
        "Arts": [SpecificationFactory(commission=CommissionFactory(sector=arts))],
    }
    first = demo_plans_seed(
        author=people["officer"], approver=people["approver"], specifications_by_sector=specs
    )
    again = demo_plans_seed(
        author=people["officer"], approver=people["approver"], specifications_by_sector=specs
    )
    assert [p.pk for p in first] == [p.pk for p in again]
    assert [p.title for p in first] == [
        "Voluntary, Community and Faith Sector Commissioning Plan 2027 to 2030",
        "Arts Commissioning Plan 2027 to 2030",
    ]
    assert {p.state for p in CommissioningPlan.objects.all()} == {S.PUBLISHED}
    assert CommissioningPlan.objects.count() == 2
    assert "£120,000" in first[0].investment_levels
