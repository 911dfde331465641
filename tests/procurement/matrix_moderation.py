"""Permission matrix rows for moderation, ranking and the award recommendation.

Officers and administrators moderate, rank and recommend; approvers read the
recommendation too. Panel members and providers get 403, the public the sign-in page.
Before the deadline the bids are sealed: 403 for everyone signed in. A bid that was never
received (a draft), or an opportunity that does not exist, has no moderation page: 404 for
those who may moderate; everyone else gets 403 before anything is looked up, so they
cannot tell which bids were received.
"""

from tests.matrix import Row, only
from tests.procurement.factories_assessment import assessed_opportunity, closed_opportunity
from tests.procurement.factories_bids import BidFactory, OpportunityFactory, submitted_bid

MANAGERS = ("officer", "admin")
READERS = ("officer", "approver", "admin")


def _assessed(user):
    return assessed_opportunity(panel_size=1, amounts=("30000", "20000"), scores=(4, 2))


def opportunity_url(path: str, *, sealed: bool = False):
    def build(user):
        if sealed:
            opportunity = submitted_bid(opportunity=OpportunityFactory()).opportunity
        else:
            opportunity = _assessed(user).opportunity
        return path.format(pk=opportunity.pk)

    return build


def moderate_url(*, sealed: bool = False):
    def build(user):
        bid = submitted_bid(opportunity=OpportunityFactory()) if sealed else _assessed(user).bids[0]
        return f"/staff/bids/{bid.pk}/moderate/"

    return build


def draft_bid_url(user):
    bid = BidFactory(opportunity=closed_opportunity())
    return f"/staff/bids/{bid.pk}/moderate/"


MODERATION = "/staff/opportunities/{pk}/moderation/"
RANKING = "/staff/opportunities/{pk}/ranking/"
RECOMMENDATION = "/staff/opportunities/{pk}/recommendation/"

ROWS = [
    Row("procurement:moderation", opportunity_url(MODERATION), only(*MANAGERS)),
    Row("procurement:moderation_sealed", opportunity_url(MODERATION, sealed=True), only()),
    Row("procurement:moderate_bid", moderate_url(), only(*MANAGERS)),
    Row(
        "procurement:moderate_bid_post",
        moderate_url(),
        only(*MANAGERS),  # nothing chosen: the form comes back with its errors
        method="post",
    ),
    Row("procurement:moderate_bid_sealed", moderate_url(sealed=True), only()),
    Row("procurement:moderate_bid_not_received", draft_bid_url, only(*MANAGERS, status=404)),
    Row("procurement:ranking", opportunity_url(RANKING), only(*MANAGERS)),
    Row(
        "procurement:ranking_post",
        opportunity_url(RANKING),
        only(*MANAGERS),  # nothing chosen: the form comes back with its errors
        method="post",
    ),
    Row("procurement:ranking_sealed", opportunity_url(RANKING, sealed=True), only()),
    Row("procurement:recommendation", opportunity_url(RECOMMENDATION), only(*READERS)),
    Row(
        "procurement:recommendation_sealed",
        opportunity_url(RECOMMENDATION, sealed=True),
        only(),
    ),
    Row(
        "procurement:moderation_missing",
        "/staff/opportunities/999999/moderation/",
        only(*MANAGERS, status=404),
    ),
]
