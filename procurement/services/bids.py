"""Writes for bids: starting one, saving the draft, the budget, consortium partners,
attachments, and the lifecycle (submit, reopen, withdraw) that keeps every submitted version.

Deadlines are enforced here, on the server: nothing changes a bid after its opportunity
closes, and a late submission leaves the draft exactly as it was.
"""

import secrets
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed, has_transition_perm

from core.emails import absolute_url, organisation_members_email
from core.files import safe_storage_name
from core.models import User
from core.outbox import outbox_enqueue
from core.templatetags.portal import money
from core.uploads import validate_upload
from procurement import tasks
from procurement.models import (
    Bid,
    BidAnswer,
    BidAttachment,
    BidState,
    BidSubmission,
    BidTarget,
    BudgetLine,
    ConsortiumPartner,
    Opportunity,
)
from procurement.selectors import bids as selectors
from procurement.services import expressions
from providers.models import Organisation


class BidLocked(Exception):
    """The bid cannot be changed now: it is not a draft, or the deadline has passed."""


class BidChanged(Exception):
    """Someone else moved the bid on while this person was looking at it."""

    message = (
        "This bid was changed by someone else in your organisation while you were looking "
        "at it. Check where it is now before you try again."
    )


class BidDeadlinePassed(TransitionNotAllowed):
    """The opportunity has closed: the bid was not submitted and nothing was changed."""


# BidTarget.target holds 12 digits, 2 of them after the point.
TARGET_LIMIT = Decimal(10) ** 10


@dataclass(frozen=True)
class BudgetRow:
    id: int | None
    item: str
    amount: Decimal


# --- Starting and saving -------------------------------------------------------------------------


def bid_reference_next(*, opportunity: Opportunity) -> str:
    """The next bid reference for the opportunity: "BID-OPP-2026-001-007"."""
    prefix = f"BID-{opportunity.reference}-"
    taken = Bid.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    numbers = [int(ref.removeprefix(prefix)) for ref in taken if ref.removeprefix(prefix).isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def bid_start(
    *, opportunity: Opportunity, organisation: Organisation, user: User
) -> tuple[Bid, bool]:
    """The organisation's live bid for the opportunity, started now if it has none.

    Returns (bid, created). Any member may start a bid while the opportunity is open, even
    for an organisation the council has not verified yet: it may save a draft, but not
    submit it. The reference is "BID-<opportunity reference>-007".
    """
    if not organisation.memberships.filter(user=user).exists():
        raise PermissionDenied("You are not a member of that organisation")
    existing = selectors.bid_live_for(opportunity=opportunity, organisation=organisation)
    if existing is not None:
        return existing, False
    if not opportunity.is_open():
        raise ValidationError("This opportunity is not open for bids")
    refusal = expressions.full_bid_refusal(opportunity=opportunity, organisation=organisation)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        # One bid number at a time for each opportunity.
        Opportunity.objects.select_for_update().filter(pk=opportunity.pk).first()
        try:
            with transaction.atomic():
                bid = Bid.objects.create(
                    opportunity=opportunity,
                    organisation=organisation,
                    reference=bid_reference_next(opportunity=opportunity),
                    created_by=user,
                )
                expressions.full_bid_prefill(bid=bid)
        except IntegrityError:  # another member started one at the same moment
            existing = selectors.bid_live_for(opportunity=opportunity, organisation=organisation)
            if existing is None:
                raise
            return existing, False
    return bid, True


def _lock_editable(bid: Bid) -> Bid:
    """The bid, locked for the change, or BidLocked when it may not be changed now."""
    locked = Bid.objects.select_for_update().select_related("opportunity", "organisation")
    locked = locked.get(pk=bid.pk)
    if locked.state != BidState.DRAFT:
        raise BidLocked(
            "This bid has been submitted. Reopen it to make changes before the deadline."
            if locked.state == BidState.SUBMITTED
            else "This bid has been withdrawn and cannot be changed."
        )
    if not locked.opportunity.is_open():
        raise BidLocked("The deadline for this opportunity has passed. The bid cannot be changed.")
    return locked


@transaction.atomic
def bid_update(
    *,
    bid: Bid,
    title: str,
    amount_requested: Decimal | None,
    match_funding: Decimal | None,
    match_funding_sources: str,
    other_leverage: str,
    answers: dict[int, str],
) -> Bid:
    """Save the draft: title, amounts and answers (question id → text). Saved any number of
    times; nothing has to be complete until the bid is submitted.

    ValidationError (by field) when an answer is over its word limit or the amount is more
    than the opportunity's budget; BidLocked when the bid may not be changed now.
    """
    locked = _lock_editable(bid)
    opportunity = locked.opportunity
    errors: dict[str, str] = {}
    if amount_requested is not None and amount_requested > opportunity.budget:
        errors["amount_requested"] = f"The amount must be {money(opportunity.budget)} or less"
    questions = selectors.bid_questions(bid=locked)
    for number, question in enumerate(questions, start=1):
        text = answers.get(question.pk, "").strip()
        words = selectors.word_count(text)
        if words > question.word_limit:
            errors[selectors.answer_field_name(question)] = selectors.words_message(
                number=number, limit=question.word_limit, words=words
            )
    if errors:
        raise ValidationError(errors)
    locked.title = title.strip()
    locked.amount_requested = amount_requested
    locked.match_funding = match_funding
    locked.match_funding_sources = match_funding_sources.strip()
    locked.other_leverage = other_leverage.strip()
    # The member who started it may since have left: that does not stop a change.
    locked.full_clean(exclude=["state", "created_by"])
    locked.save()
    existing = {answer.question_id: answer for answer in locked.answers.all()}
    for question in questions:
        text = answers.get(question.pk, "").strip()
        answer = existing.get(question.pk)
        if answer is None:
            if text:
                BidAnswer.objects.create(bid=locked, question=question, text=text)
        elif answer.text != text:
            answer.text = text
            answer.save(update_fields=["text"])
    _copy_fields(locked, bid)
    return bid


def _copy_fields(source: Bid, target: Bid) -> None:
    for name in (
        "title",
        "amount_requested",
        "match_funding",
        "match_funding_sources",
        "other_leverage",
        "updated_at",
    ):
        setattr(target, name, getattr(source, name))


@transaction.atomic
def bid_budget_set(*, bid: Bid, lines: list[BudgetRow]) -> list[BudgetLine]:
    """Replace the budget breakdown with `lines`: rows with an id are changed, new ones
    added, and rows no longer listed removed."""
    locked = _lock_editable(bid)
    existing = {line.pk: line for line in locked.budget_lines.all()}
    kept = []
    for row in lines:
        line = existing.pop(row.id, None) if row.id else None
        if line is None:
            line = BudgetLine(bid=locked)
        line.item = row.item.strip()
        line.amount = row.amount
        line.full_clean(exclude=["bid"])
        line.save()
        kept.append(line)
    BudgetLine.objects.filter(pk__in=list(existing)).delete()
    locked.save(update_fields=["updated_at"])
    return kept


@transaction.atomic
def bid_targets_set(*, bid: Bid, targets: dict[tuple[int, int], Decimal | None]) -> list[BidTarget]:
    """Save what the bid proposes to achieve: (specification measure id, year) → target.
    A year left out or given as None has no target (it can be entered later; every one is
    needed before the bid is submitted). Only the specification's measures and years are
    kept. Returns the targets the bid now has.

    ValidationError (by field) when a target is negative; BidLocked when the bid may not be
    changed now.
    """
    locked = _lock_editable(bid)
    errors: dict[str, str] = {}
    wanted: dict[tuple[int, int], Decimal] = {}
    for measure in selectors.bid_target_measures(bid=locked):
        for year in measure.years:
            value = targets.get((measure.chosen.pk, year.year))
            if value is None:
                continue
            if value < 0:
                errors[year.field_name] = (
                    f"The number of {measure.unit} you will achieve in year {year.year} "
                    "must be 0 or more"
                )
            elif value >= TARGET_LIMIT:
                errors[year.field_name] = (
                    f"The number of {measure.unit} you will achieve in year {year.year} "
                    "must be less than 10 billion"
                )
            wanted[(measure.chosen.pk, year.year)] = value
    if errors:
        raise ValidationError(errors)
    existing = {(t.specification_measure_id, t.year): t for t in locked.targets.all()}
    for key, value in wanted.items():
        target = existing.pop(key, None)
        if target is None:
            BidTarget.objects.create(
                bid=locked, specification_measure_id=key[0], year=key[1], target=value
            )
        elif target.target != value:
            target.target = value
            target.save(update_fields=["target"])
    BidTarget.objects.filter(pk__in=[t.pk for t in existing.values()]).delete()
    locked.save(update_fields=["updated_at"])
    return list(locked.targets.all())


# --- Consortium partners -------------------------------------------------------------------------


@transaction.atomic
def bid_partner_add(
    *, bid: Bid, organisation: Organisation, role: str, added_by: User
) -> ConsortiumPartner:
    """Name a partner organisation and its role; its members are emailed to confirm.

    Adding a partner changes nothing else: partners that have confirmed stay confirmed.
    """
    locked = _lock_editable(bid)
    if organisation.pk == locked.organisation_id:
        raise ValidationError(
            {"organisation": "Your organisation is the lead. Choose a different organisation"}
        )
    if organisation.verification_status == Organisation.Verification.REJECTED:
        raise ValidationError({"organisation": "Choose an organisation from the list"})
    if locked.partners.filter(organisation=organisation).exists():
        raise ValidationError(
            {"organisation": f"{organisation.name} is already a partner in this bid"}
        )
    if not role.strip():
        raise ValidationError({"role": "Enter the partner’s role in the consortium"})
    partner = ConsortiumPartner.objects.create(
        bid=locked, organisation=organisation, role=role.strip()
    )
    locked.save(update_fields=["updated_at"])
    outbox_enqueue(task=tasks.bid_partner_email_send, args=[partner.pk])
    return partner


@transaction.atomic
def bid_partner_remove(*, partner: ConsortiumPartner) -> None:
    locked = _lock_editable(partner.bid)
    locked.partners.filter(pk=partner.pk).delete()
    locked.save(update_fields=["updated_at"])


@transaction.atomic
def partnership_confirm(*, partner: ConsortiumPartner, user: User) -> ConsortiumPartner:
    """A member of the partner organisation confirms, from their own account, that it is a
    partner in the bid. Only while the bid is a draft and the opportunity is open."""
    partner = ConsortiumPartner.objects.select_for_update().get(pk=partner.pk)
    if not partner.organisation.memberships.filter(user=user).exists():
        raise PermissionDenied("You are not a member of the partner organisation")
    if partner.confirmed_at is not None:
        return partner
    bid = partner.bid
    if bid.state == BidState.WITHDRAWN:
        raise BidLocked("This bid has been withdrawn.")
    if not bid.opportunity.is_open():
        raise BidLocked("The deadline for this opportunity has passed.")
    partner.confirmed_at = timezone.now()
    partner.confirmed_by = user
    partner.save(update_fields=["confirmed_at", "confirmed_by"])
    return partner


# --- Attachments ---------------------------------------------------------------------------------


def _display_name(name: str) -> str:
    """The file's name as the bidder's computer called it, for showing: no folders, no
    control characters."""
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return cleaned[:255] or "file"


@transaction.atomic
def bid_attachment_add(
    *, bid: Bid, file: UploadedFile, uploaded_by: User, original_name: str = ""
) -> BidAttachment:
    """Attach a file to a draft bid. Its type is checked by content (PDF, DOCX, XLSX, ODT,
    PNG or JPEG), each file must be under 10MB and a bid's files under 25MB together. The
    file is stored under a random name; the name it came with is kept for showing.
    """
    locked = _lock_editable(bid)
    file_type = validate_upload(
        file, allowed=selectors.ATTACHMENT_TYPES, max_size=selectors.MAX_ATTACHMENT_SIZE
    )
    problem = selectors.bid_attachment_total_problem(bid=locked, adding=file.size)
    if problem:
        raise ValidationError(problem, code="total_too_big")
    attachment = BidAttachment(
        bid=locked,
        original_name=_display_name(original_name or file.name),
        content_type=file_type.content_type,
        size=file.size,
        uploaded_by=uploaded_by,
    )
    attachment.file.save(safe_storage_name(f"file{file_type.extension}"), file, save=False)
    attachment.save()
    locked.save(update_fields=["updated_at"])
    return attachment


@transaction.atomic
def bid_attachment_remove(*, attachment: BidAttachment) -> None:
    """Remove a file from a draft bid; the stored file is deleted once that is committed.
    Earlier submissions keep its name and size in their snapshots."""
    locked = _lock_editable(attachment.bid)
    name, storage = attachment.file.name, attachment.file.storage
    locked.attachments.filter(pk=attachment.pk).delete()
    locked.save(update_fields=["updated_at"])
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- Lifecycle -----------------------------------------------------------------------------------


# Letters and digits no one mistakes for another when reading or typing a receipt: no I, L,
# O, U, 0 or 1.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def _receipt_reference(bid: Bid, number: int) -> str:
    """A short, readable receipt reference for one submitted version: "R7KQ-26B3", random and
    unique. Receipts made before these ("BID-OPP-2026-001-007-2-7F3A") stay as they are; the
    bid's own reference and the version number are shown beside it."""
    while True:
        code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(7))
        receipt = f"R{code[:3]}-{code[3:]}"
        if not BidSubmission.objects.filter(receipt=receipt).exists():
            return receipt


def bid_transition(
    *,
    bid: Bid,
    name: str,
    user: User,
    reason: str = "",
    seen_state: str | None = None,
) -> BidSubmission | None:
    """Submit, reopen or withdraw the bid as `user`, recording who and why.

    Submitting keeps the version sent as a BidSubmission (numbered 1, 2, …) with a
    snapshot of everything in it and a receipt reference, and emails the receipt to every
    member of the lead organisation. Returns that submission, or None for other actions.

    Raises BidChanged when someone else moved the bid first, PermissionDenied when the
    person may not act for the bid, BidDeadlinePassed when the opportunity has closed
    (nothing is changed), and TransitionNotAllowed when the state or another condition
    does not allow it.
    """
    with transaction.atomic():
        locked = Bid.objects.select_for_update().select_related("opportunity", "organisation")
        locked = locked.get(pk=bid.pk)
        if seen_state is not None and locked.state != seen_state:
            raise BidChanged(BidChanged.message)
        spec = selectors.bid_transition_declared(bid=locked, name=name)
        if spec is None:
            raise TransitionNotAllowed(f"Cannot {name} from {locked.state}")
        if not spec.has_perm(locked, user):
            raise PermissionDenied("You may not do that")
        if locked.opportunity.has_closed():
            raise BidDeadlinePassed(selectors.bid_deadline_message(bid=locked))
        method = getattr(locked, name)
        if not has_transition_perm(method, user):
            raise TransitionNotAllowed("Conditions not met")
        method(by=user, description=reason.strip() or None)
        locked.save()
        submission = None
        if name == "submit":
            last = locked.submissions.order_by("-number").values_list("number", flat=True)
            number = (last.first() or 0) + 1
            submission = BidSubmission.objects.create(
                bid=locked,
                number=number,
                receipt=_receipt_reference(locked, number),
                submitted_at=locked.submitted_at,
                submitted_by=user,
                content=selectors.bid_snapshot(bid=locked),
            )
            outbox_enqueue(task=tasks.bid_receipt_email_send, args=[submission.pk])
    bid.refresh_from_db()
    return submission


# --- Emails --------------------------------------------------------------------------------------


def bid_receipt_email_send(*, submission: BidSubmission) -> int:
    """Email the receipt for a submitted version to every member of the lead organisation."""
    bid = submission.bid
    return organisation_members_email(
        organisation=bid.organisation,
        template="procurement/email/bid_receipt",
        sealed_until=bid.opportunity.closes_at,
        context={
            "bid": bid,
            "submission": submission,
            "opportunity": bid.opportunity,
            "receipt_url": absolute_url(
                reverse(
                    "procurement:bid_receipt", kwargs={"pk": bid.pk, "number": submission.number}
                )
            ),
        },
    )


def bid_partner_email_send(*, partner: ConsortiumPartner) -> int:
    """Ask the members of a partner organisation to confirm it is a partner in the bid."""
    bid = partner.bid
    return organisation_members_email(
        organisation=partner.organisation,
        template="procurement/email/bid_partner_added",
        sealed_until=bid.opportunity.closes_at,
        context={
            "bid": bid,
            "partner": partner,
            "opportunity": bid.opportunity,
            "confirm_url": absolute_url(
                reverse("procurement:partnership_confirm", kwargs={"pk": partner.pk})
            ),
        },
    )
