"""Permission matrix rows for the public lists' CSV downloads: everyone, filtered or not."""

from tests.matrix import Row, everyone
from tests.procurement.factories_decisions import award_make
from tests.procurement.factories_opportunities import OpportunityFactory

ROWS = [
    Row(
        "procurement:decision_csv",
        lambda user: award_make() and "/decisions.csv",
        everyone(200),
    ),
    Row(
        "procurement:decision_csv_filtered",
        "/decisions.csv?q=lunch&sector=vcfs&funding_type=grant&year=2026&area=nowhere",
        everyone(200),
    ),
    Row(
        "procurement:opportunity_csv",
        lambda user: OpportunityFactory() and "/opportunities.csv",
        everyone(200),
    ),
    Row(
        "procurement:opportunity_csv_filtered",
        "/opportunities.csv?sector=arts&priority=economic-growth",
        everyone(200),
    ),
    Row("procurement:opportunity_list_page_2", "/opportunities/?page=2", everyone(200)),
]
