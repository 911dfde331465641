"""Writes for the panel's workload: assigning the bids received automatically, balancing the
number each panel member scores and skipping declared conflicts, and batch actions on
several bids at once (assign to a panel member, move from one to another, remind). The
officer adjusts the result by hand in the panel page's grid.

Every change goes through `assessment.assignments_set`, which locks the panel's work and
refuses a conflicted assignment or taking away a bid whose scores were sent.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from core.emails import absolute_url, emails_send
from core.models import User
from procurement.models import Assignment, Bid, Opportunity, PanelMember
from procurement.selectors import assessment as selectors
from procurement.services.assessment import (
    AssessmentError,
    _lock_panel_work,
    assignments_set,
)


def _active_pairs(opportunity: Opportunity) -> set[tuple[int, int]]:
    return set(
        Assignment.objects.filter(bid__opportunity=opportunity, conflict__isnull=True).values_list(
            "bid_id", "panel_member_id"
        )
    )


def assignments_plan(
    *,
    bids: list[Bid],
    members: list[PanelMember],
    existing: set[tuple[int, int]],
    taken: set[tuple[int, int]],
    conflicts: dict[int, set[int]],
    per_bid: int,
) -> set[tuple[int, int]]:
    """The (bid, panel member) pairs to add so that each bid has `per_bid` panel members:
    each bid, in turn, goes to the panel members with the fewest bids so far (then by
    name), never to one who declared a conflict with its organisations nor one it was
    already assigned to (`taken`, including assignments a conflict took away). Without
    conflicts the counts end within one of each other."""
    load = {member.pk: 0 for member in members}
    for _bid_id, member_id in existing:
        if member_id in load:
            load[member_id] += 1
    order = {member.pk: index for index, member in enumerate(members)}
    added: set[tuple[int, int]] = set()
    for bid in bids:
        have = sum(1 for b, _m in existing if b == bid.pk)
        organisations = selectors.bid_organisation_ids(bid=bid)
        candidates = sorted(
            (
                member.pk
                for member in members
                if (bid.pk, member.pk) not in taken
                and not conflicts.get(member.pk, set()) & organisations
            ),
            key=lambda pk: (load[pk], order[pk]),
        )
        for member_id in candidates[: max(per_bid - have, 0)]:
            added.add((bid.pk, member_id))
            load[member_id] += 1
    return added


def assignments_auto(*, opportunity: Opportunity, per_bid: int, assigned_by: User) -> int:
    """Assign every bid received to `per_bid` panel members (counting those it has), the
    work balanced and conflicts skipped. Returns how many assignments were added.
    AssessmentError before the opportunity closes, with no panel, or for `per_bid` out of
    range."""
    members = list(selectors.panel_members(opportunity=opportunity))
    if not members:
        raise AssessmentError("Add panel members before assigning the bids")
    if not 1 <= per_bid <= len(members):
        raise AssessmentError(
            f"Each bid can be scored by between 1 and {len(members)} panel members"
        )
    if not opportunity.has_closed():
        raise AssessmentError("Bids can be assigned once the opportunity has closed")
    with transaction.atomic():
        _lock_panel_work(opportunity_id=opportunity.pk)
        bids = list(selectors.bids_for_assessment(opportunity=opportunity))
        existing = _active_pairs(opportunity)
        taken = set(
            Assignment.objects.filter(bid__opportunity=opportunity).values_list(
                "bid_id", "panel_member_id"
            )
        )
        plan = assignments_plan(
            bids=bids,
            members=members,
            existing=existing,
            taken=taken,
            conflicts=selectors.conflicted_organisations(panel_members=members),
            per_bid=per_bid,
        )
        added, _removed = assignments_set(
            opportunity=opportunity, wanted=existing | plan, assigned_by=assigned_by
        )
    return added


def assignments_batch_assign(
    *, opportunity: Opportunity, bid_ids: set[int], to: PanelMember, assigned_by: User
) -> int:
    """Assign each of the bids to the panel member too. ValidationError (nothing changed)
    when they declared a conflict with one of them. Returns how many were added."""
    wanted = _active_pairs(opportunity) | {(bid_id, to.pk) for bid_id in bid_ids}
    added, _removed = assignments_set(
        opportunity=opportunity, wanted=wanted, assigned_by=assigned_by
    )
    return added


def assignments_batch_move(
    *,
    opportunity: Opportunity,
    bid_ids: set[int],
    source: PanelMember,
    to: PanelMember,
    assigned_by: User,
) -> int:
    """Move each of the bids assigned to `source` to `to`. ValidationError (nothing
    changed) when `source` has sent scores for one, or `to` declared a conflict with one.
    Returns how many were moved."""
    if source.pk == to.pk:
        raise ValidationError({"to": "Select a different panel member to move the bids to"})
    existing = _active_pairs(opportunity)
    moving = {bid_id for bid_id in bid_ids if (bid_id, source.pk) in existing}
    if not moving:
        raise ValidationError(
            {"source": f"None of the bids chosen is assigned to {source.user.get_full_name()}"}
        )
    wanted = (existing - {(b, source.pk) for b in moving}) | {(b, to.pk) for b in moving}
    assignments_set(opportunity=opportunity, wanted=wanted, assigned_by=assigned_by)
    return len(moving)


def assignments_batch_remind(*, opportunity: Opportunity, bid_ids: set[int]) -> int:
    """Email each panel member who has not yet sent scores for one of the bids, listing
    them. Returns how many panel members were reminded."""
    waiting = (
        Assignment.objects.filter(
            bid__opportunity=opportunity,
            bid_id__in=bid_ids,
            conflict__isnull=True,
            submitted_at__isnull=True,
        )
        .select_related("panel_member__user", "bid")
        .order_by("panel_member__pk", "bid__reference")
    )
    by_member: dict[int, list[Assignment]] = {}
    for assignment in waiting:
        by_member.setdefault(assignment.panel_member_id, []).append(assignment)
    reminded = 0
    with transaction.atomic():
        for assignments in by_member.values():
            reminded += emails_send(
                people=[assignments[0].panel_member.user],
                template="procurement/email/assessment_reminder",
                context={
                    "opportunity": opportunity,
                    "bids": [a.bid for a in assignments],
                    "assessments_url": absolute_url(reverse("procurement:my_assessments")),
                },
            )
    return reminded
