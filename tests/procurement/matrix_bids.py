"""Permission matrix rows for bids and consortium partnerships.

Bids are sealed: before the deadline council staff get 403 on everything in a bid; a
provider with no part in a bid gets 404. Each URL callable builds what it needs; for the
provider column it makes the person a member of the lead (or partner) organisation where
the row says "own".
"""

from core.roles import Role
from tests.matrix import ROLES, SIGN_IN, Row, only, signed_in
from tests.procurement.factories_bids import (
    BidFactory,
    ClosedOpportunityFactory,
    OpportunityFactory,
    attachment_add,
    bid_complete,
    partner_add,
    submitted_bid,
)

READERS = ("officer", "approver", "admin")


def _own(user, bid):
    """Make a provider a member of the bid's lead organisation."""
    if user is not None and user.groups.filter(name=Role.PROVIDER.value).exists():
        bid.organisation.memberships.get_or_create(user=user)
    return bid


def own_draft(user):
    return _own(user, bid_complete(BidFactory()))


def own_submitted(user):
    return _own(user, submitted_bid())


def someone_elses_draft(user):
    return BidFactory()


def received_after_deadline(user):
    """A bid someone else submitted; the deadline has passed."""
    bid = submitted_bid(opportunity=ClosedOpportunityFactory())
    attachment_add(bid)
    return bid


def own_partnership(user):
    partner = partner_add(BidFactory())
    if user is not None:
        partner.organisation.memberships.get_or_create(user=user)
    return partner


def url(path: str, make):
    def build(user):
        bid = make(user)
        attachment = bid.attachments.first() or attachment_add(bid)
        return path.format(bid=bid, attachment=attachment, opportunity=bid.opportunity)

    return build


# Own bid before the deadline: its provider may, staff are sealed out (403).
OWN = {**only("provider", others=403)}
# Someone else's bid before the deadline: providers 404, staff 403.
OTHERS = {**only(others=403), "provider": 404}
# A bid received, after the deadline: staff who read bids 200, panel 403, providers 404.
AFTER = {**only(*READERS, others=403), "provider": 404}
# Changing a bid after the deadline: nobody (staff may read but not act).
AFTER_CHANGE = {**only(others=403), "provider": 404}

BID = "/bids/{bid.pk}/"

ROWS = [
    Row(
        "procurement:bid_start",
        lambda user: f"/opportunities/{OpportunityFactory().slug}/bid/",
        signed_in(200),
    ),
    Row("procurement:bid_my_bids", "/bids/", signed_in(200)),
    Row("procurement:bid_detail_own", url(BID, own_draft), OWN),
    Row("procurement:bid_detail_other", url(BID, someone_elses_draft), OTHERS),
    Row("procurement:bid_detail_after_deadline", url(BID, received_after_deadline), AFTER),
    Row("procurement:bid_edit_own", url(BID + "edit/", own_draft), OWN),
    Row("procurement:bid_edit_other", url(BID + "edit/", someone_elses_draft), OTHERS),
    Row(
        "procurement:bid_edit_after_deadline",
        url(BID + "edit/", received_after_deadline),
        AFTER_CHANGE,
    ),
    Row("procurement:bid_budget_own", url(BID + "budget/", own_draft), OWN),
    Row("procurement:bid_budget_other", url(BID + "budget/", someone_elses_draft), OTHERS),
    Row("procurement:bid_targets_own", url(BID + "targets/", own_draft), OWN),
    Row("procurement:bid_targets_other", url(BID + "targets/", someone_elses_draft), OTHERS),
    Row(
        "procurement:bid_targets_after_deadline",
        url(BID + "targets/", received_after_deadline),
        AFTER_CHANGE,
    ),
    Row("procurement:bid_partners_own", url(BID + "partners/", own_draft), OWN),
    Row("procurement:bid_partners_other", url(BID + "partners/", someone_elses_draft), OTHERS),
    Row("procurement:bid_attachments_own", url(BID + "attachments/", own_draft), OWN),
    Row(
        "procurement:bid_attachments_other",
        url(BID + "attachments/", someone_elses_draft),
        OTHERS,
    ),
    Row(
        "procurement:bid_attachment_own",
        url(BID + "attachments/{attachment.pk}/", own_draft),
        OWN,
    ),
    Row(
        "procurement:bid_attachment_other",
        url(BID + "attachments/{attachment.pk}/", someone_elses_draft),
        OTHERS,
    ),
    Row(
        "procurement:bid_attachment_after_deadline",
        url(BID + "attachments/{attachment.pk}/", received_after_deadline),
        AFTER,
    ),
    Row("procurement:bid_transition_submit_own", url(BID + "actions/submit/", own_draft), OWN),
    Row(
        "procurement:bid_transition_withdraw_own",
        url(BID + "actions/withdraw/", own_draft),
        OWN,
    ),
    Row(
        "procurement:bid_transition_other",
        url(BID + "actions/withdraw/", someone_elses_draft),
        OTHERS,
    ),
    Row(
        "procurement:bid_transition_after_deadline",
        url(BID + "actions/withdraw/", received_after_deadline),
        AFTER_CHANGE,
    ),
    Row("procurement:bid_receipt_own", url(BID + "receipts/1/", own_submitted), OWN),
    Row(
        "procurement:bid_receipt_after_deadline",
        url(BID + "receipts/1/", received_after_deadline),
        AFTER_CHANGE,
    ),
    Row(
        "procurement:bid_staff_list_sealed",
        url("/staff/opportunities/{opportunity.pk}/bids/", someone_elses_draft),
        only(*READERS),
    ),
    Row(
        "procurement:bid_staff_list_after_deadline",
        url("/staff/opportunities/{opportunity.pk}/bids/", received_after_deadline),
        only(*READERS),
    ),
    Row(
        "procurement:bid_staff_export_sealed",
        url("/staff/opportunities/{opportunity.pk}/bids.csv", someone_elses_draft),
        only(),
    ),
    Row(
        "procurement:bid_staff_export_after_deadline",
        url("/staff/opportunities/{opportunity.pk}/bids.csv", received_after_deadline),
        only(*READERS),
    ),
    Row("procurement:partnership_list", "/partnerships/", signed_in(200)),
    Row(
        "procurement:partnership_confirm_own",
        lambda user: f"/partnerships/{own_partnership(user).pk}/confirm/",
        {**dict.fromkeys(ROLES, 200), "public": SIGN_IN},
    ),
    Row(
        "procurement:partnership_confirm_other",
        lambda user: f"/partnerships/{partner_add(BidFactory()).pk}/confirm/",
        {**dict.fromkeys(ROLES, 404), "public": SIGN_IN},
    ),
]
