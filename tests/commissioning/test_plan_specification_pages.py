"""A plan with sixty service specifications: its page shows them ten to a page with GOV.UK
pagination, while the summary of investment still lists every one with its budget, each
linking to the page it is on; the public and the staff page alike."""

import re

import pytest

from commissioning.views.plans import SpecificationPagesMixin
from core.roles import Role
from tests.factories import PlanFactory, SpecificationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    specifications = [SpecificationFactory(title=f"Service {n:02d}") for n in range(5)]
    return PlanFactory(state="published", specifications=specifications)


def _shown(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<h3 class="govuk-heading-m" id="[^"]+-title">([^<]+)</h3>', html)


@pytest.mark.parametrize("where", ["public", "staff"])
def test_specifications_are_paginated_and_the_summary_lists_them_all(
    client, plan, where, monkeypatch
):
    monkeypatch.setattr(SpecificationPagesMixin, "paginate_by", 2)
    client.force_login(UserFactory(roles=[Role.OFFICER]))
    address = f"/plans/{plan.slug}/" if where == "public" else f"/staff/plans/{plan.pk}/"
    in_order = [
        sheet.specification for sheet in client.get(address).context["document"].specifications
    ]

    pages = [client.get(address, {"page": number}) for number in (1, 2, 3)]

    assert [_shown(page) for page in pages] == [
        [s.title for s in in_order[:2]],
        [s.title for s in in_order[2:4]],
        [in_order[4].title],
    ]
    second = pages[1].content.decode()
    for spec in in_order:  # the summary of investment: every one, on every page
        assert spec.title in second
    last = in_order[4]
    assert f'href="?page=3#specification-{last.pk}">{last.title}</a>' in second
    assert f'href="#specification-{in_order[2].pk}">{in_order[2].title}</a>' in second
    assert "Showing service specifications 3 to 4 of 5" in second
    assert 'aria-label="Pages of service specifications"' in second
    for garbage in ("4", "x", "0"):
        assert client.get(address, {"page": garbage}).status_code == 404


def test_the_public_page_reads_only_its_own_specifications_in_full(client):
    """Each specification's lots, measures and criteria are read for the page's ten only:
    the page takes the same queries with 12 specifications as with 40."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan = PlanFactory(state="published", specifications=[])

    def add(count: int) -> None:
        for spec in SpecificationFactory.create_batch(count):
            spec.lots.create(name=f"Lot of {spec.title}", budget=1000)
            plan.specifications.add(spec)

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/plans/{plan.slug}/")
        assert response.status_code == 200
        # The lots are read for the page's ten specifications, not for every one.
        [lots] = [q["sql"] for q in captured if 'FROM "commissioning_lot"' in q["sql"]]
        assert len(re.search(r"IN \(([^)]*)\)", lots).group(1).split(",")) == 10
        return len(captured), response.content.decode()

    add(12)
    with_12, html = queries()
    assert html.count("Lot of ") == 10
    assert "Showing service specifications 1 to 10 of 12" in html
    add(28)
    with_40, html = queries()
    assert with_40 == with_12
    assert html.count("Lot of ") == 10
    assert "Showing service specifications 1 to 10 of 40" in html
    assert 'aria-label="Pages of service specifications"' in html
