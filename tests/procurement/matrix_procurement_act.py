"""Permission matrix rows for the Procurement Act 2023 pages and the panel's workload.

The conflicts assessment page is for officers, approvers and administrators (they declare;
officers and administrators record); the notices page and the panel workload page for
officers and administrators. Everyone else signed in gets 403.
"""

from tests.matrix import Row, only
from tests.procurement.factories_assessment import closed_opportunity, panel_member_add
from tests.procurement.factories_bids import submitted_bid
from tests.procurement.factories_opportunities import OpportunityFactory

MANAGERS = ("officer", "admin")
DECLARERS = ("officer", "approver", "admin")


def _draft(user):
    return OpportunityFactory(published_at=None, conflicts_assessed=False)


def _closed_with_panel(user):
    opportunity = closed_opportunity()
    submitted_bid(opportunity=opportunity)
    panel_member_add(opportunity)
    return opportunity


ROWS = [
    Row(
        "procurement:conflicts_assessment",
        lambda user: f"/staff/opportunities/{_draft(user).pk}/conflicts/",
        only(*DECLARERS),
    ),
    Row(
        "procurement:conflicts_assessment declare",
        lambda user: f"/staff/opportunities/{_draft(user).pk}/conflicts/",
        only(*DECLARERS, status=302),
        method="post",
        data={"action": "declare", "has_conflict": "no"},
    ),
    Row(
        "procurement:procurement_notices",
        lambda user: (
            f"/staff/opportunities/{OpportunityFactory(funding_type='contract').pk}/notices/"
        ),
        only(*MANAGERS),
    ),
    Row(
        "procurement:procurement_notices grant",
        lambda user: f"/staff/opportunities/{OpportunityFactory().pk}/notices/",
        only(*MANAGERS),
    ),
    Row(
        "procurement:panel_workload",
        lambda user: f"/staff/opportunities/{_closed_with_panel(user).pk}/panel/workload/",
        only(*MANAGERS),
    ),
    Row(
        "procurement:panel_workload auto",
        lambda user: f"/staff/opportunities/{_closed_with_panel(user).pk}/panel/workload/",
        only(*MANAGERS, status=302),
        method="post",
        data={"action": "auto", "per_bid": "1"},
    ),
]
