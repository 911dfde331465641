"""Permission matrix rows for what providers ask of the portal: the eligibility check and
the officer's eligibility questions, and opportunity alerts."""

from tests.matrix import Row, everyone, only, signed_in
from tests.procurement.factories_opportunities import DraftOpportunityFactory, OpportunityFactory

MANAGERS = ("officer", "admin")


def check(user) -> str:
    return f"/opportunities/{OpportunityFactory().slug}/eligibility/"


def check_unpublished(user) -> str:
    return f"/opportunities/{DraftOpportunityFactory().slug}/eligibility/"


def requirement(user) -> str:
    return f"/staff/opportunities/{DraftOpportunityFactory().pk}/eligibility/"


ROWS = [
    Row("procurement:eligibility_check", check, signed_in(200)),
    Row("procurement:eligibility_check_unpublished", check_unpublished, signed_in(404)),
    Row("procurement:eligibility_requirement", requirement, only(*MANAGERS)),
    Row("procurement:opportunity_alert", "/alerts/", signed_in(200)),
    Row(
        "procurement:opportunity_feed_filtered",
        "/opportunities/feed/?sector=vcfs&priority=health-and-well-being",
        everyone(200),
    ),
]
