"""Writes for the panel: forming it, assigning bids, declarations of interest (and the
conflicts they reveal), resolving conflicts, and scores.

Declarations are never changed: each one is added, and the latest about an organisation
counts. A declared conflict takes every bid involving that organisation (as lead or
consortium partner) away from the panel member — their scores are kept but no longer count
— and the lead officer is emailed to reassign it.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from commissioning.models import Commission, CommissionState
from core.emails import absolute_url, emails_send
from core.models import User
from core.outbox import outbox_enqueue
from core.roles import Role
from procurement.models import (
    Assignment,
    ConflictDeclaration,
    Opportunity,
    PanelMember,
    Score,
)
from procurement.selectors import assessment as selectors
from procurement.selectors import bids as bid_selectors
from providers.models import Organisation


class AssessmentError(Exception):
    """What was asked cannot be done now; the message says why, for the person asking."""


class AssessmentClosed(AssessmentError):
    """The commission is not in a state where this part of the assessment may change."""


# --- The commission's state ----------------------------------------------------------------------

# The panel may work once bidding has closed, whether or not the officer has moved the
# commission on to assessment yet; once the awards go for approval its work is fixed.
PANEL_STATES = frozenset({CommissionState.PROCUREMENT, CommissionState.ASSESSMENT})


def panel_closed_message(commission: Commission) -> str:
    return (
        f"The commission is at “{commission.get_state_display()}”, so the panel’s "
        "assessments can no longer be changed"
    )


def commission_lock(
    *,
    opportunity: Opportunity,
    states: frozenset[str],
    message: Callable[[Commission], str],
) -> Commission:
    """Lock the opportunity's commission row until the transaction ends, so that nobody
    moves it on (sends the recommendation for approval, say) half way through a change;
    AssessmentClosed, with `message(commission)`, unless it is in one of `states`.

    Lock order, everywhere: the commission, then the opportunity, then the rows changed."""
    commission = Commission.objects.select_for_update().get(
        pk=opportunity.specification.commission_id
    )
    if commission.state not in states:
        raise AssessmentClosed(message(commission))
    return commission


def _lock_panel_work(*, opportunity_id: int) -> Opportunity:
    """Lock the commission (AssessmentClosed once it has moved past assessment), then the
    opportunity, so that a declaration, an assignment and a resolution cannot interleave."""
    opportunity = Opportunity.objects.select_related("specification").get(pk=opportunity_id)
    commission_lock(opportunity=opportunity, states=PANEL_STATES, message=panel_closed_message)
    return Opportunity.objects.select_for_update().get(pk=opportunity_id)


# --- The panel -----------------------------------------------------------------------------------


def panel_member_add(*, opportunity: Opportunity, user: User, added_by: User) -> PanelMember:
    """Put a person in the Panel member role on the opportunity's panel. Panel members may be
    added before the opportunity closes; they see no bid until after it."""
    if not user.groups.filter(name=Role.PANEL_MEMBER.value).exists():
        raise AssessmentError(f"{user.get_full_name()} is not a panel member")
    with transaction.atomic():
        place, created = PanelMember.objects.get_or_create(
            opportunity=opportunity, user=user, defaults={"added_by": added_by}
        )
    if not created:
        raise AssessmentError(f"{user.get_full_name()} is already on the panel")
    return place


@transaction.atomic
def panel_member_remove(*, panel_member: PanelMember) -> None:
    """Take someone off the panel, with the bids assigned to them and any scores they have
    not sent. Refused once they have sent scores, or when a conflict they declared took a
    bid away from them: both are part of the record of the assessment."""
    place = PanelMember.objects.select_for_update().select_related("user").get(pk=panel_member.pk)
    name = place.user.get_full_name()
    if place.assignments.filter(submitted_at__isnull=False).exists():
        raise AssessmentError(
            f"You cannot remove {name} from the panel because they have sent scores"
        )
    if place.assignments.filter(conflict__isnull=False).exists():
        raise AssessmentError(
            f"You cannot remove {name} from the panel because they declared a conflict of "
            "interest with a bid assigned to them. Their declaration is kept."
        )
    place.delete()


@transaction.atomic
def assignments_set(
    *,
    opportunity: Opportunity,
    wanted: set[tuple[int, int]],
    assigned_by: User,
    bid_ids: Collection[int] | None = None,
) -> tuple[int, int]:
    """Make the bids assigned to panel members exactly `wanted` ((bid id, panel member id)
    pairs). Returns (added, removed). With `bid_ids` (the bids on the page of the grid the
    officer saw), only those bids' assignments change; the other bids' are left as they are.

    Only once the opportunity has closed, only for bids received and the opportunity's own
    panel. Assignments a conflict took away are kept as they are. ValidationError (every
    problem found), and nothing changed, when asked to take away a bid whose scores were
    sent or to assign a bid to someone who declared a conflict with its organisations;
    AssessmentError before the opportunity closes or once the commission has moved past
    assessment.
    """
    if not opportunity.has_closed():
        raise AssessmentError("Bids can be assigned once the opportunity has closed")
    _lock_panel_work(opportunity_id=opportunity.pk)
    bids_received = selectors.bids_for_assessment(opportunity=opportunity)
    if bid_ids is not None:
        bids_received = bids_received.filter(pk__in=bid_ids)
    bids = {bid.pk: bid for bid in bids_received}
    members = {place.pk: place for place in opportunity.panel_members.select_related("user")}
    wanted = {(b, p) for b, p in wanted if b in bids and p in members}
    existing = {
        (a.bid_id, a.panel_member_id): a
        for a in Assignment.objects.filter(bid__opportunity=opportunity)
        if bid_ids is None or a.bid_id in bids
    }
    conflicts = selectors.conflicted_organisations(panel_members=members.values())
    problems = []
    removed = 0
    for key, assignment in existing.items():
        if assignment.is_conflicted or key in wanted:
            continue
        if assignment.is_submitted:
            problems.append(
                f"{bids[key[0]].reference} cannot be taken away from "
                f"{members[key[1]].user.get_full_name()}: they have sent their scores"
            )
        else:
            assignment.delete()
            removed += 1
    added = 0
    for bid_id, place_id in sorted(wanted):
        if (bid_id, place_id) in existing:
            continue
        bid = bids[bid_id]
        if conflicts.get(place_id, set()) & selectors.bid_organisation_ids(bid=bid):
            problems.append(
                f"{bid.reference} cannot be assigned to {members[place_id].user.get_full_name()}: "
                "they declared a conflict of interest"
            )
            continue
        Assignment.objects.create(bid=bid, panel_member=members[place_id], assigned_by=assigned_by)
        added += 1
    if problems:
        raise ValidationError(problems)
    return added, removed


@transaction.atomic
def conflict_resolve(
    *,
    assignment: Assignment,
    resolved_by: User,
    reassign_to: PanelMember | None = None,
    reason: str = "",
) -> Assignment | None:
    """Deal with a bid a declared conflict took away: assign it to `reassign_to`, or record
    `reason` why no one else is needed (only while another panel member is still assessing
    the bid). Returns the new assignment, if any."""
    _lock_panel_work(opportunity_id=assignment.bid.opportunity_id)
    locked = Assignment.objects.select_for_update().select_related("bid").get(pk=assignment.pk)
    if not locked.is_conflicted or locked.conflict_resolved_at is not None:
        raise AssessmentError("This conflict has already been dealt with")
    created = None
    if reassign_to is not None:
        candidates = {place.pk for place in selectors.reassign_candidates(assignment=locked)}
        if reassign_to.pk not in candidates:
            raise AssessmentError(
                f"{reassign_to.user.get_full_name()} cannot be assigned {locked.bid.reference}"
            )
        created = Assignment.objects.create(
            bid=locked.bid, panel_member=reassign_to, assigned_by=resolved_by
        )
        resolution = f"Reassigned to {reassign_to.user.get_full_name()}"
    else:
        reason = reason.strip()
        if not reason:
            raise AssessmentError("Enter why no one else is needed")
        if not selectors.bid_has_other_active_assignment(assignment=locked):
            raise AssessmentError(
                f"No one else is assessing {locked.bid.reference}: reassign it to someone"
            )
        resolution = reason
    locked.conflict_resolved_at = timezone.now()
    locked.conflict_resolved_by = resolved_by
    locked.conflict_resolution = resolution
    locked.save(
        update_fields=["conflict_resolved_at", "conflict_resolved_by", "conflict_resolution"]
    )
    assignment.refresh_from_db()
    return created


# --- Declarations of interest --------------------------------------------------------------------


@dataclass(frozen=True)
class DeclarationInput:
    organisation: Organisation
    has_conflict: bool
    kind: str = ""
    description: str = ""


def _take_away_conflicted(*, panel_member: PanelMember, declarations: list[ConflictDeclaration]):
    """Give the declaration to every active assignment of the panel member whose bid's lead
    organisation or a partner it names: that bid leaves their assessments."""
    by_organisation = {d.organisation_id: d for d in declarations if d.has_conflict}
    if not by_organisation:
        return []
    taken = []
    assignments = panel_member.assignments.filter(conflict__isnull=True).select_related("bid")
    for assignment in assignments.prefetch_related("bid__partners"):
        lead_first = [assignment.bid.organisation_id] + [
            partner.organisation_id for partner in assignment.bid.partners.all()
        ]
        declaration = next((by_organisation[o] for o in lead_first if o in by_organisation), None)
        if declaration is not None:
            assignment.conflict = declaration
            assignment.save(update_fields=["conflict"])
            taken.append(assignment)
    return taken


def _email_officer_on_commit(declaration: ConflictDeclaration) -> None:
    from procurement import tasks

    outbox_enqueue(task=tasks.conflict_declared_email_send, args=[declaration.pk])


@transaction.atomic
def declarations_record(
    *, panel_member: PanelMember, declarations: list[DeclarationInput], declared_by: User
) -> list[ConflictDeclaration]:
    """Record the panel member's declaration about every organisation that bid, once the
    opportunity has closed. Each declared conflict takes the bids involving that
    organisation away from them, and the lead officer is emailed about each one."""
    _lock_panel_work(opportunity_id=panel_member.opportunity_id)
    place = (
        PanelMember.objects.select_for_update()
        .select_related("opportunity")
        .get(pk=panel_member.pk)
    )
    if not place.opportunity.has_closed():
        raise AssessmentError("You can declare your interests once bidding has closed")
    if place.has_declared:
        raise AssessmentError("You have already declared your interests for this opportunity")
    expected = {o.pk for o in selectors.declaration_organisations(opportunity=place.opportunity)}
    given = {d.organisation.pk for d in declarations}
    if given != expected:
        raise AssessmentError("Declare your interests for every organisation that bid")
    created = []
    for item in declarations:
        declaration = ConflictDeclaration(
            panel_member=place,
            organisation=item.organisation,
            has_conflict=item.has_conflict,
            kind=item.kind if item.has_conflict else "",
            description=item.description.strip() if item.has_conflict else "",
            declared_by=declared_by,
        )
        declaration.full_clean(exclude=["panel_member", "organisation", "declared_by"])
        declaration.save()
        created.append(declaration)
    place.declarations_completed_at = timezone.now()
    place.save(update_fields=["declarations_completed_at"])
    _take_away_conflicted(panel_member=place, declarations=created)
    for declaration in created:
        if declaration.has_conflict:
            _email_officer_on_commit(declaration)
    panel_member.refresh_from_db()
    return created


@transaction.atomic
def assignment_conflict_declare(
    *,
    assignment: Assignment,
    organisation: Organisation,
    kind: str,
    description: str,
    declared_by: User,
) -> ConflictDeclaration:
    """A panel member declares a conflict they found while reading a bid assigned to them.
    The declaration is added beside their earlier ones; the bid (and any other bid of theirs
    involving the organisation) leaves their assessments, scores kept but no longer
    counting, and the lead officer is emailed."""
    _lock_panel_work(opportunity_id=assignment.bid.opportunity_id)
    locked = (
        Assignment.objects.select_for_update()
        .select_related("panel_member", "bid")
        .get(pk=assignment.pk)
    )
    if locked.is_conflicted:
        raise AssessmentError("This bid has already been removed from your assessments")
    if organisation.pk not in selectors.bid_organisation_ids(bid=locked.bid):
        raise AssessmentError("Choose the organisation from this bid")
    if not kind or not description.strip():
        raise AssessmentError("Give the kind of conflict and describe it")
    declaration = ConflictDeclaration(
        panel_member=locked.panel_member,
        organisation=organisation,
        has_conflict=True,
        kind=kind,
        description=description.strip(),
        declared_by=declared_by,
    )
    declaration.full_clean(exclude=["panel_member", "organisation", "declared_by"])
    declaration.save()
    locked.conflict = declaration
    locked.save(update_fields=["conflict"])
    _take_away_conflicted(panel_member=locked.panel_member, declarations=[declaration])
    _email_officer_on_commit(declaration)
    assignment.refresh_from_db()
    return declaration


def conflict_declared_email_send(*, declaration: ConflictDeclaration) -> int:
    """Tell the commission's lead officer that a panel member declared a conflict, and which
    bids need reassigning. Returns how many emails were sent."""
    opportunity = declaration.panel_member.opportunity
    return emails_send(
        people=[opportunity.specification.commission.lead_officer],
        template="procurement/email/conflict_declared",
        context={
            "declaration": declaration,
            "panel_member": declaration.panel_member.user,
            "opportunity": opportunity,
            "bids": [
                assignment.bid
                for assignment in declaration.assignments.select_related("bid").order_by(
                    "bid__reference"
                )
            ],
            "panel_url": absolute_url(reverse("procurement:panel", kwargs={"pk": opportunity.pk})),
        },
    )


# --- Scores --------------------------------------------------------------------------------------


def _lock_scorable(assignment: Assignment) -> Assignment:
    _lock_panel_work(opportunity_id=assignment.bid.opportunity_id)
    locked = (
        Assignment.objects.select_for_update()
        .select_related("bid__opportunity", "panel_member")
        .get(pk=assignment.pk)
    )
    if locked.is_conflicted:
        raise AssessmentError(
            "This bid was removed from your assessments because you declared a conflict"
        )
    if locked.is_submitted:
        raise AssessmentError("You have sent your scores for this bid. They cannot be changed.")
    if not locked.panel_member.has_declared:
        raise AssessmentError("Declare your interests before you score a bid")
    if not locked.bid.opportunity.has_closed():
        raise AssessmentError("Bids are sealed until the deadline")
    return locked


@transaction.atomic
def scores_save(
    *, assignment: Assignment, scores: dict[int, tuple[int | None, str]]
) -> list[Score]:
    """Save what the panel member has given so far: question id → (score 0 to 5, comment).
    A question with no score keeps no score. Every score given needs a comment
    (ValidationError otherwise). Refused once the scores are sent."""
    locked = _lock_scorable(assignment)
    questions = {q.pk: q for q in bid_selectors.bid_questions(bid=locked.bid)}
    saved = []
    for question_id, (value, comment) in scores.items():
        question = questions.get(question_id)
        if question is None:
            continue
        comment = comment.strip()
        if value is None:
            Score.objects.filter(assignment=locked, question=question).delete()
            continue
        if not comment:
            raise ValidationError("Enter a comment for your score")
        score, _ = Score.objects.update_or_create(
            assignment=locked, question=question, defaults={"score": value, "comment": comment}
        )
        saved.append(score)
    return saved


@transaction.atomic
def scores_submit(*, assignment: Assignment) -> Assignment:
    """Send the scores to the officer: every question scored, with a comment. They cannot
    be changed afterwards, and the other panel members' sent scores for the bid become
    visible to this panel member."""
    locked = _lock_scorable(assignment)
    missing = selectors.assignment_missing(assignment=locked)
    if missing:
        raise AssessmentError(". ".join(missing))
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["submitted_at"])
    assignment.refresh_from_db()
    return locked
