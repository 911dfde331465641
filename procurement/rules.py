"""Who may do what in procurement. Bids are sealed until the deadline."""

import rules

from commissioning import rules as commission_rules
from core.rules import is_administrator, is_approver, is_officer, is_panel_member
from core.transitions import condition


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


@rules.predicate
def is_assigned_to_bid(user, bid) -> bool:
    """The person is on the panel, has declared their interests, and the bid is assigned
    to them without a conflict."""
    if bid is None or not user.is_authenticated:
        return False
    return bid.assignments.filter(
        panel_member__user=user,
        panel_member__declarations_completed_at__isnull=False,
        conflict__isnull=True,
    ).exists()


# Council staff who may see that bids exist (how many, before the deadline) and, once the
# deadline has passed, read the bids received. Panel members read only the bids assigned to
# them without a conflict, once they have declared their interests.
reads_bids = is_officer | is_approver | is_administrator

act_for_bid = is_member_of_bid_organisation
view_bid_content = (
    is_member_of_bid_organisation
    | is_member_of_partner
    | (reads_bids & bid_deadline_passed & bid_was_received)
    | (is_panel_member & is_assigned_to_bid & bid_deadline_passed & bid_was_received)
)

# The feedback on a decided bid: the lead organisation's and its partners' members, and
# council staff who read bids received. Panel members read the bids assigned to them, not
# the feedback.
view_bid_feedback = view_bid_content & (
    is_member_of_bid_organisation | is_member_of_partner | reads_bids
)

rules.add_perm("procurement.act_for_bid", act_for_bid)
rules.add_perm("procurement.view_bid_feedback", view_bid_feedback)
rules.add_perm("procurement.view_bid_content", view_bid_content)
rules.add_perm("procurement.view_bids_received", reads_bids)
rules.add_perm("procurement.manage_opportunities", is_officer | is_administrator)


def can_act_for_bid(bid, user) -> bool:
    """A member of the lead organisation."""
    return act_for_bid.test(user, bid)


# --- Opportunities -------------------------------------------------------------------------


def _opening_moves_commission(opportunity) -> bool:
    return opportunity.specification.commission.state == "approved"


def _publish_label(opportunity) -> str:
    if _opening_moves_commission(opportunity):
        return "You lead the commission: opening the opportunity moves it to procurement"
    return "You manage opportunities"


def _publish_needed(opportunity) -> str:
    if _opening_moves_commission(opportunity):
        lead = opportunity.specification.commission.lead_officer
        return (
            f"Only the commission’s lead officer, {lead.get_full_name()}, can publish this "
            "opportunity: opening it moves the commission to procurement"
        )
    return "Only commissioning officers and administrators can publish opportunities"


@condition(_publish_label, needed=_publish_needed)
def can_publish_opportunity(opportunity, user) -> bool:
    """Someone who manages opportunities; while the commission's plan is only approved, its
    lead officer alone, since opening the opportunity moves the commission to procurement."""
    if not user.has_perm("procurement.manage_opportunities"):
        return False
    commission = opportunity.specification.commission
    return not _opening_moves_commission(opportunity) or commission_rules.can_lead(commission, user)


def can_manage_opportunity(opportunity, user) -> bool:
    """A commissioning officer or administrator."""
    return user.has_perm("procurement.manage_opportunities")


# --- Assessment ----------------------------------------------------------------------------


@rules.predicate
def is_own_active_assignment(user, assignment) -> bool:
    """The assignment is the person's, they have declared their interests, and no conflict
    has taken the bid away from them."""
    return (
        assignment is not None
        and user.is_authenticated
        and assignment.panel_member.user_id == user.pk
        and assignment.panel_member.declarations_completed_at is not None
        and assignment.conflict_id is None
        and assignment.bid.opportunity.has_closed()
    )


@rules.predicate
def is_own_panel_place(user, panel_member) -> bool:
    return panel_member is not None and panel_member.user_id == user.pk


manage_assessment = is_officer | is_administrator
rules.add_perm("procurement.manage_assessment", manage_assessment)
# Panel members: their own assessments (declarations, the bids assigned to them).
rules.add_perm("procurement.assess_bids", is_panel_member)
rules.add_perm("procurement.score_assignment", is_panel_member & is_own_active_assignment)
rules.add_perm("procurement.declare_interests", is_panel_member & is_own_panel_place)
rules.add_perm("procurement.view_recommendation", is_officer | is_approver | is_administrator)


# --- Agreements ----------------------------------------------------------------------------


@rules.predicate
def is_member_of_agreement_organisation(user, agreement) -> bool:
    if agreement is None or not user.is_authenticated:
        return False
    return agreement.decision.bid.organisation.memberships.filter(user=user).exists()


@rules.predicate
def is_admin_of_agreement_organisation(user, agreement) -> bool:
    if agreement is None or not user.is_authenticated:
        return False
    return agreement.decision.bid.organisation.memberships.filter(user=user, role="admin").exists()


@rules.predicate
def agreement_is_visible_to_provider(user, agreement) -> bool:
    """A draft is the council's own working copy until it is sent."""
    return agreement is not None and agreement.state != "draft"


@rules.predicate
def proposed_variation(user, variation) -> bool:
    return variation is not None and variation.proposed_by_id == user.pk


manage_agreements = is_officer | is_administrator
view_agreement = (is_officer | is_approver | is_administrator) | (
    is_member_of_agreement_organisation & agreement_is_visible_to_provider
)
rules.add_perm("procurement.manage_agreements", manage_agreements)
rules.add_perm("procurement.view_agreement", view_agreement)
rules.add_perm("procurement.accept_agreement", is_admin_of_agreement_organisation)
rules.add_perm(
    "procurement.propose_variation",
    is_officer | (is_member_of_agreement_organisation & agreement_is_visible_to_provider),
)
rules.add_perm("procurement.decide_variation", is_approver & ~proposed_variation)


def can_manage_agreement(agreement, user) -> bool:
    """A commissioning officer or an administrator."""
    return manage_agreements.test(user, agreement)


def can_accept_agreement(agreement, user) -> bool:
    """An admin of the provider organisation."""
    return is_admin_of_agreement_organisation.test(user, agreement)


def can_decide_variation(variation, user) -> bool:
    """An approver who did not propose the variation."""
    return (is_approver & ~proposed_variation).test(user, variation)


def can_withdraw_variation(variation, user) -> bool:
    """The person who proposed the variation."""
    return proposed_variation.test(user, variation)


# --- Expressions of interest (two-stage opportunities) ---------------------------------------


@rules.predicate
def is_member_of_expression_organisation(user, expression) -> bool:
    if expression is None or not user.is_authenticated:
        return False
    return expression.organisation.memberships.filter(user=user).exists()


@rules.predicate
def expression_deadline_passed(user, expression) -> bool:
    return expression is not None and expression.opportunity.expression_stage.has_closed()


@rules.predicate
def expression_was_received(user, expression) -> bool:
    """Sent to the council (and perhaps decided on): not a draft, not withdrawn."""
    return expression is not None and expression.state in (
        "submitted",
        "shortlisted",
        "not_shortlisted",
    )


@rules.predicate
def declared_no_conflict_with_expression(user, expression) -> bool:
    """The person has declared, for this stage, no conflict of interest with the
    organisation that expressed interest."""
    if expression is None or not user.is_authenticated:
        return False
    return user.shortlist_declarations.filter(
        stage__opportunity_id=expression.opportunity_id,
        organisation_id=expression.organisation_id,
        has_conflict=False,
    ).exists()


# Officers (and administrators) shortlist; they read an expression of interest only after
# its deadline, once they have declared no conflict with the organisation.
shortlists = is_officer | is_administrator
act_for_expression = is_member_of_expression_organisation
view_expression_content = is_member_of_expression_organisation | (
    shortlists
    & expression_deadline_passed
    & expression_was_received
    & declared_no_conflict_with_expression
)
rules.add_perm("procurement.shortlist", shortlists)
rules.add_perm("procurement.view_expression_content", view_expression_content)


def can_act_for_expression(expression, user) -> bool:
    """A member of the organisation that expressed interest."""
    return act_for_expression.test(user, expression)


def can_shortlist(expression, user) -> bool:
    """A commissioning officer or administrator who has declared no conflict with the
    organisation."""
    return (shortlists & declared_no_conflict_with_expression).test(user, expression)
