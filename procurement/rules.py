"""Who may do what in procurement. Bids are sealed until the deadline."""

import rules

from core.rules import is_administrator, is_approver, is_officer


@rules.predicate
def is_member_of_bid_organisation(user, bid) -> bool:
    if bid is None or not user.is_authenticated:
        return False
    return bid.organisation.memberships.filter(user=user).exists()


@rules.predicate
def is_member_of_partner(user, bid) -> bool:
    if bid is None or not user.is_authenticated:
        return False
    return bid.partners.filter(organisation__memberships__user=user).exists()


@rules.predicate
def bid_deadline_passed(user, bid) -> bool:
    return bid is not None and bid.opportunity.has_closed()


@rules.predicate
def bid_was_received(user, bid) -> bool:
    """The bid stands submitted: a draft (never sent, or reopened and not sent again) or a
    withdrawn bid was not received by the council."""
    return bid is not None and bid.state == "submitted"


# Council staff who may see that bids exist (how many, before the deadline) and, once the
# deadline has passed, read the bids received. Panel members come in with assessment.
reads_bids = is_officer | is_approver | is_administrator

act_for_bid = is_member_of_bid_organisation
view_bid_content = (
    is_member_of_bid_organisation
    | is_member_of_partner
    | (reads_bids & bid_deadline_passed & bid_was_received)
)

rules.add_perm("procurement.act_for_bid", act_for_bid)
rules.add_perm("procurement.view_bid_content", view_bid_content)
rules.add_perm("procurement.view_bids_received", reads_bids)
rules.add_perm("procurement.manage_opportunities", is_officer | is_administrator)


def can_act_for_bid(bid, user) -> bool:
    """A member of the lead organisation."""
    return act_for_bid.test(user, bid)
