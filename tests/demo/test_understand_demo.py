"""The demo Understand stage: evidence, existing provision and gaps for the demo commissions."""

import pytest

from demo.commissions import demo_areas_seed, demo_commissions_seed
from demo.organisations import demo_organisations_seed
from demo.understand import demo_understand_seed
from engagement.models import EvidenceItem, Gap, ServiceProvision
from engagement.selectors.gaps import gap_analysis_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(db):
    return demo_areas_seed()


def cell(analysis, priority_slug: str, column_label: str):
    row = next(row for row in analysis.rows if row.priority.slug == priority_slug)
    return next(cell for column, cell in row.cells if column.label == column_label)


def test_demo_data_gives_the_demo_commissions_their_evidence_and_gaps(
    officer, district, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    commissions = demo_commissions_seed(lead_officer=officer)
    organisations = demo_organisations_seed(verifier=officer)
    first = demo_understand_seed(
        officer=officer, commissions=commissions, organisations=organisations
    )
    counts = (EvidenceItem.objects.count(), ServiceProvision.objects.count(), Gap.objects.count())
    assert counts[0] >= 10 and counts[1] >= 10 and counts[2] >= 5
    demo_understand_seed(officer=officer, commissions=commissions, organisations=organisations)
    assert (
        EvidenceItem.objects.count(),
        ServiceProvision.objects.count(),
        Gap.objects.count(),
    ) == counts

    loneliness = commissions["Tackling loneliness and isolation in later life"]
    loneliness.refresh_from_db()
    assert loneliness.has_needs_evidence() and loneliness.has_gap_analysis()
    pantries = first["services"]["Morecambe community pantries"]
    assert pantries.organisation == organisations["Morecambe Bay Community Food Network"]
    prescribing = first["services"]["Social prescribing link workers"]
    assert prescribing.provider_display == "NHS Lancashire and South Cumbria social prescribing"
    census = first["evidence"]["Census 2021: older people living alone in Morecambe"]
    assert census.file.name.endswith(".pdf")
    analysis = gap_analysis_get(commission=loneliness)
    morecambe = cell(analysis, "health-and-well-being", "Morecambe")
    assert morecambe.evidence_count >= 3
    assert morecambe.service_count >= 2
    assert [gap.severity for gap in morecambe.gaps] == ["high"]
