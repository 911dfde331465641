"""Permission matrix rows for the panel: the officer's panel page and conflict resolution,
and the panel member's assessments, declarations, scores and conflicts.

Officers and administrators manage the panel; everyone else signed in gets 403. A panel
member's pages need the Panel member role (403 otherwise); a place or assignment that is
not theirs is 404, one a declared conflict took away is 403, and before they declare their
interests a bid's pages send them to declare (302). Each URL callable builds what it needs:
for the panel column, rows marked "own" put the signed-in panel member on the panel.
"""

from procurement.models import Assignment, ConflictDeclaration
from tests.matrix import Row, only
from tests.procurement.factories_assessment import (
    assign,
    closed_opportunity,
    panel_member_add,
)
from tests.procurement.factories_bids import OpportunityFactory, partner_add, submitted_bid

MANAGERS = ("officer", "admin")


def _is_panel(user) -> bool:
    return user is not None and user.groups.filter(name="Panel member").exists()


def _bid():
    opportunity = closed_opportunity()
    bid = submitted_bid(opportunity=opportunity)
    partner_add(bid, confirmed=True)
    return bid


def _assignment(user, *, own: bool, declared: bool = True) -> Assignment:
    """A bid assigned to the signed-in panel member (own) or to someone else."""
    bid = _bid()
    place = panel_member_add(
        bid.opportunity, user=user if own and _is_panel(user) else None, declared=declared
    )
    return assign(bid, place)


def _conflicted(user, *, own: bool = True) -> Assignment:
    assignment = _assignment(user, own=own)
    declaration = ConflictDeclaration.objects.create(
        panel_member=assignment.panel_member,
        organisation=assignment.bid.organisation,
        has_conflict=True,
        kind="personal",
        description="My sister chairs its board.",
        declared_by=assignment.panel_member.user,
    )
    assignment.conflict = declaration
    assignment.save()
    return assignment


def _resolved(user) -> Assignment:
    from django.utils import timezone

    assignment = _conflicted(user, own=False)
    assignment.conflict_resolved_at = timezone.now()
    assignment.conflict_resolution = "Two others are scoring it"
    assignment.save()
    return assignment


def _panel_place(user, *, own: bool, closed: bool = True):
    opportunity = closed_opportunity() if closed else OpportunityFactory()
    if closed:
        submitted_bid(opportunity=opportunity)
    return panel_member_add(
        opportunity, user=user if own and _is_panel(user) else None, declared=False
    )


# The panel member's own record: 200 for them, 403 for everyone else signed in.
PANEL_OWN = only("panel")
# Someone else's record: 404 for a panel member, 403 for everyone else signed in.
PANEL_OTHER = only(others=403) | {"panel": 404}
# Theirs, but a declared conflict took it away: 403 for everyone signed in.
PANEL_FORBIDDEN = only(others=403)
# Theirs, before they declared their interests: sent to declare them.
PANEL_UNDECLARED = only(others=403) | {"panel": 302}

ASSIGNMENT = "/assessment/assignments/{pk}/"


def assignment_url(suffix: str, make):
    return lambda user: ASSIGNMENT.format(pk=make(user).pk) + suffix


ROWS = [
    Row(
        "procurement:panel",
        lambda user: f"/staff/opportunities/{_bid().opportunity.pk}/panel/",
        only(*MANAGERS),
    ),
    Row(
        "procurement:panel_sealed",
        lambda user: f"/staff/opportunities/{OpportunityFactory().pk}/panel/",
        only(*MANAGERS),
    ),
    Row(
        "procurement:conflict_resolve",
        lambda user: f"/staff/assignments/{_conflicted(user, own=False).pk}/resolve/",
        only(*MANAGERS),
    ),
    Row(
        "procurement:conflict_resolve_already_resolved",
        lambda user: f"/staff/assignments/{_resolved(user).pk}/resolve/",
        only(*MANAGERS, status=404),
    ),
    Row(
        "procurement:conflict_resolve_no_conflict",
        lambda user: f"/staff/assignments/{_assignment(user, own=False).pk}/resolve/",
        only(*MANAGERS, status=404),
    ),
    Row("procurement:my_assessments", "/assessment/", PANEL_OWN),
    Row(
        "procurement:declare_interests_own",
        lambda user: (
            f"/assessment/opportunities/{_panel_place(user, own=True).opportunity_id}/declare/"
        ),
        PANEL_OWN,
    ),
    Row(
        "procurement:declare_interests_before_closing",
        lambda user: (
            "/assessment/opportunities/"
            f"{_panel_place(user, own=True, closed=False).opportunity_id}/declare/"
        ),
        PANEL_OWN,
    ),
    Row(
        "procurement:declare_interests_not_on_panel",
        lambda user: (
            f"/assessment/opportunities/{_panel_place(user, own=False).opportunity_id}/declare/"
        ),
        PANEL_OTHER,
    ),
    Row(
        "procurement:assignment_score_own",
        assignment_url("", lambda user: _assignment(user, own=True)),
        PANEL_OWN,
    ),
    Row(
        "procurement:assignment_score_other",
        assignment_url("", lambda user: _assignment(user, own=False)),
        PANEL_OTHER,
    ),
    Row(
        "procurement:assignment_score_conflicted", assignment_url("", _conflicted), PANEL_FORBIDDEN
    ),
    Row(
        "procurement:assignment_score_conflicted_post",
        assignment_url("", _conflicted),
        PANEL_FORBIDDEN,
        method="post",
        data={"save": "1"},
    ),
    Row(
        "procurement:assignment_score_undeclared",
        assignment_url("", lambda user: _assignment(user, own=True, declared=False)),
        PANEL_UNDECLARED,
    ),
    Row(
        "procurement:assignment_submit_own",
        assignment_url("submit/", lambda user: _assignment(user, own=True)),
        PANEL_OWN,
    ),
    Row(
        "procurement:assignment_submit_other",
        assignment_url("submit/", lambda user: _assignment(user, own=False)),
        PANEL_OTHER,
    ),
    Row(
        "procurement:assignment_submit_conflicted",
        assignment_url("submit/", _conflicted),
        PANEL_FORBIDDEN,
    ),
    Row(
        "procurement:assignment_submit_undeclared",
        assignment_url("submit/", lambda user: _assignment(user, own=True, declared=False)),
        PANEL_UNDECLARED,
    ),
    Row(
        "procurement:assignment_conflict_own",
        assignment_url("conflict/", lambda user: _assignment(user, own=True)),
        PANEL_OWN,
    ),
    Row(
        "procurement:assignment_conflict_other",
        assignment_url("conflict/", lambda user: _assignment(user, own=False)),
        PANEL_OTHER,
    ),
    Row(
        "procurement:assignment_conflict_conflicted",
        assignment_url("conflict/", _conflicted),
        PANEL_FORBIDDEN,
    ),
    Row(
        "procurement:assignment_conflict_undeclared",
        assignment_url("conflict/", lambda user: _assignment(user, own=True, declared=False)),
        PANEL_UNDECLARED,
    ),
]
