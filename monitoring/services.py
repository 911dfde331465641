"""Writes for monitoring: the provider fills in a return (saved as a draft, started on its
first save) and submits it; an officer accepts it or asks for changes with comments on
each part; the officer rates the agreement red, amber or green; records payments made; and
holds a payment until a return is accepted (released when it is).

Emails go through the outbox (core.outbox) in the same transaction as the action.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition

from core.emails import absolute_url, organisation_members
from core.files import safe_storage_name
from core.models import User
from core.notifications import people_notify
from core.outbox import outbox_enqueue
from core.templatetags.portal import money
from core.transitions import transition_check
from core.uploads import validate_upload
from monitoring import rules as monitoring_rules
from monitoring import selectors, tasks
from monitoring.models import (
    EDITABLE_STATES,
    InstalmentPayment,
    MonitoringReturn,
    PaymentHold,
    RagStatus,
    Rating,
    ReturnActual,
    ReturnAttachment,
    ReturnReview,
    ReturnState,
    ReturnSubmission,
    ReviewComment,
    ReviewOutcome,
    Section,
)
from monitoring.periods import period_share, spend_before
from procurement.models import Agreement, AgreementState, PaymentInstalment

PENNY = Decimal("0.01")


class ReturnLocked(Exception):
    """The return cannot be changed now: it has been sent, or accepted."""


class ReturnChanged(Exception):
    """Someone else moved the return on while this person was looking at it."""

    message = (
        "This return was changed by someone else while you were looking at it. Check where "
        "it is now before you try again."
    )


def _number(value: Decimal) -> str:
    """ "1,250" or "12.5": a figure as people write it."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value.quantize(PENNY):,}".rstrip("0").rstrip(".")


# --- The provider's answers -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReturnAnswers:
    """What the provider typed: everything else (organisation, targets, period, amounts)
    the portal already knows."""

    #: Target id → the actual for the period (None: not answered yet).
    actuals: dict[int, Decimal | None]
    outcomes_narrative: str = ""
    case_study: str = ""
    case_study_consent: bool = False
    spend_in_period: Decimal | None = None
    spend_explanation: str = ""
    risks: str = ""
    #: Target ids whose actual the provider confirmed is right although it is more than
    #: twice the period's share of the target.
    confirmed: frozenset[int] = field(default_factory=frozenset)


def actual_field(target_id: int) -> str:
    return f"actual_{target_id}"


def return_answers_check(
    *, monitoring_return: MonitoringReturn, answers: ReturnAnswers
) -> dict[str, str]:
    """What is wrong with the answers, by form field: negative figures; an actual more than
    twice the period's share of its target that has not been confirmed ("Is this right?",
    asked once for each figure); spending to date above the award with no explanation."""
    errors: dict[str, str] = {}
    agreement = monitoring_return.agreement
    targets = {t.pk: t for t in monitoring_return.targets_for_period()}
    saved = {a.target_id: a for a in monitoring_return.actuals.all()}
    for target_id, value in answers.actuals.items():
        target = targets.get(target_id)
        if target is None:
            errors["__all__"] = "Actuals can only be given for this agreement's success measures"
            continue
        if value is None:
            continue
        name = actual_field(target_id)
        if value < 0:
            errors[name] = f"The number of {target.unit} must be 0 or more"
            continue
        share = period_share(
            agreement=agreement,
            target=target,
            start=monitoring_return.period_start,
            end=monitoring_return.period_end,
        )
        already = saved.get(target_id)
        confirmed_before = already is not None and already.confirmed and already.value == value
        if value > 2 * share and target_id not in answers.confirmed and not confirmed_before:
            errors[name] = (
                f"Is this right? {_number(value)} is more than twice this period’s share of the "
                f"target ({_number(share)}). Check the number, or confirm it is right"
            )
    if answers.spend_in_period is not None:
        if answers.spend_in_period < 0:
            errors["spend_in_period"] = "Spending in the period must be £0 or more"
        else:
            to_date = spend_before(monitoring_return=monitoring_return) + answers.spend_in_period
            if to_date > agreement.amount and not answers.spend_explanation.strip():
                errors["spend_explanation"] = (
                    f"Explain why spending to date ({money(to_date)}) is more than the award "
                    f"({money(agreement.amount)})"
                )
    return errors


def _lock(monitoring_return: MonitoringReturn) -> MonitoringReturn:
    return (
        MonitoringReturn.objects.select_for_update()
        .select_related("agreement")
        .get(pk=monitoring_return.pk)
    )


def _lock_editable(monitoring_return: MonitoringReturn, user: User) -> MonitoringReturn:
    """The return locked for changing by `user`, started if it was not: PermissionDenied
    for someone who may not change it, ReturnLocked once it is sent or accepted."""
    locked = _lock(monitoring_return)
    if not monitoring_rules.can_edit_return(locked, user):
        raise PermissionDenied("Only the provider's members can change the return")
    if locked.state not in EDITABLE_STATES:
        raise ReturnLocked(
            "This return has been accepted and can no longer be changed."
            if locked.state == ReturnState.ACCEPTED
            else "This return has been submitted. It can be changed again only if the council "
            "asks for changes."
        )
    if locked.state == ReturnState.DUE:
        transition_check(instance=locked, name="start", user=user)(by=user, description=None)
        locked.save()
    return locked


@transaction.atomic
def return_save(
    *, monitoring_return: MonitoringReturn, user: User, answers: ReturnAnswers
) -> MonitoringReturn:
    """Save what the provider has typed as the return's draft (the first save starts it).
    Nothing is saved when anything is wrong: ValidationError by field (see
    `return_answers_check`). PermissionDenied and ReturnLocked as `_lock_editable`."""
    locked = _lock_editable(monitoring_return, user)
    errors = return_answers_check(monitoring_return=locked, answers=answers)
    if errors:
        raise ValidationError(errors)
    saved = {a.target_id: a for a in locked.actuals.all()}
    for target_id, value in answers.actuals.items():
        actual = saved.get(target_id)
        if value is None:
            if actual is not None:
                actual.delete()
            continue
        value = Decimal(value).quantize(PENNY)
        if actual is None:
            actual = ReturnActual(monitoring_return=locked, target_id=target_id, value=value)
        elif actual.value != value:
            actual.value = value
            actual.confirmed = False
        if target_id in answers.confirmed:
            actual.confirmed = True
        actual.save()
    locked.outcomes_narrative = answers.outcomes_narrative.strip()
    locked.case_study = answers.case_study.strip()
    locked.case_study_consent = bool(answers.case_study_consent and locked.case_study)
    locked.spend_in_period = (
        None if answers.spend_in_period is None else answers.spend_in_period.quantize(PENNY)
    )
    locked.spend_explanation = answers.spend_explanation.strip()
    locked.risks = answers.risks.strip()
    locked.save()
    return locked


# --- Evidence -------------------------------------------------------------------------------------


def _display_name(name: str) -> str:
    base = PurePath(name.replace("\\", "/")).name
    cleaned = "".join(ch for ch in base if ch.isprintable()).strip()
    return cleaned[:255] or "file"


@transaction.atomic
def return_attachment_add(
    *, monitoring_return: MonitoringReturn, file: UploadedFile, user: User, original_name: str = ""
) -> ReturnAttachment:
    """Attach evidence to the return (starting it if it was not): checked by content like a
    bid's attachments (PDF, DOCX, XLSX, ODT, PNG or JPEG, each under 10MB, 25MB together),
    stored under a random name. ValidationError; PermissionDenied; ReturnLocked."""
    locked = _lock_editable(monitoring_return, user)
    file_type = validate_upload(
        file, allowed=selectors.ATTACHMENT_TYPES, max_size=selectors.MAX_ATTACHMENT_SIZE
    )
    problem = selectors.return_attachment_total_problem(monitoring_return=locked, adding=file.size)
    if problem:
        raise ValidationError(problem, code="total_too_big")
    attachment = ReturnAttachment(
        monitoring_return=locked,
        original_name=_display_name(original_name or file.name),
        content_type=file_type.content_type,
        size=file.size,
        uploaded_by=user,
    )
    attachment.file.save(safe_storage_name(f"file{file_type.extension}"), file, save=False)
    attachment.save()
    locked.save(update_fields=["updated_at"])
    return attachment


@transaction.atomic
def return_attachment_remove(*, attachment: ReturnAttachment, user: User) -> None:
    """Remove evidence from a return that can still be changed; the stored file is deleted
    once that is committed. Submitted versions keep its name and size."""
    locked = _lock_editable(attachment.monitoring_return, user)
    name, storage = attachment.file.name, attachment.file.storage
    locked.attachments.filter(pk=attachment.pk).delete()
    locked.save(update_fields=["updated_at"])
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- Lifecycle ------------------------------------------------------------------------------------

EMAIL_KIND_OF_TRANSITION = {
    "submit": "submitted",
    "accept": "accepted",
    "request_changes": "changes_requested",
}


def return_transition(
    *,
    monitoring_return: MonitoringReturn,
    name: str,
    user: User,
    reason: str = "",
    seen_state: str | None = None,
    comments: dict[str, str] | None = None,
) -> MonitoringReturn:
    """Make a lifecycle action on the return, recording who (and any note):

    - `start` (a provider member): the return becomes a draft;
    - `submit` (a provider member, once it is complete): a version is kept with everything
      in it, and the commission's lead officer is emailed;
    - `accept` (an officer): it can no longer be changed, payments held until it is
      accepted are released, and the provider's members are emailed;
    - `request_changes` (an officer): with `comments` by section (at least one), sent to
      the provider's members.

    Raises ReturnChanged when someone else moved it first, PermissionDenied when the person
    may not, TransitionNotAllowed when its state or a condition does not allow it, and
    ValidationError when comments are needed and missing.
    """
    comments = {section: text.strip() for section, text in (comments or {}).items() if text.strip()}
    try:
        with transaction.atomic():
            locked = _lock(monitoring_return)
            if seen_state is not None and locked.state != seen_state:
                raise ReturnChanged(ReturnChanged.message)
            method = transition_check(instance=locked, name=name, user=user, reason=reason)
            if name == "request_changes":
                unknown = set(comments) - set(Section.values)
                if unknown or not comments:
                    raise ValidationError(
                        {
                            "comments": "Enter a comment on at least one part of the return "
                            "that needs changing"
                        }
                    )
            method(by=user, description=reason.strip() or None)
            now = timezone.now()
            if name == "submit":
                locked.submitted_at, locked.submitted_by = now, user
            elif name == "accept":
                locked.accepted_at, locked.accepted_by = now, user
            locked.save()
            if name == "submit":
                _submission_keep(locked, user=user, at=now)
            elif name in ("accept", "request_changes"):
                _review_record(locked, user=user, at=now, name=name, comments=comments)
            if name == "accept":
                locked.payment_holds.filter(released_at__isnull=True).update(released_at=now)
            kind = EMAIL_KIND_OF_TRANSITION.get(name)
            if kind:
                outbox_enqueue(task=tasks.return_email_send, args=[locked.pk, kind])
    except ConcurrentTransition as error:
        raise ReturnChanged(ReturnChanged.message) from error
    monitoring_return.refresh_from_db()
    return monitoring_return


def _submission_keep(locked: MonitoringReturn, *, user: User, at) -> ReturnSubmission:
    last = locked.submissions.order_by("-number").values_list("number", flat=True).first()
    return ReturnSubmission.objects.create(
        monitoring_return=locked,
        number=(last or 0) + 1,
        submitted_at=at,
        submitted_by=user,
        content=selectors.return_snapshot(monitoring_return=locked),
    )


def _review_record(
    locked: MonitoringReturn, *, user: User, at, name: str, comments: dict[str, str]
) -> ReturnReview:
    submission = locked.submissions.order_by("-number").first()
    review = ReturnReview.objects.create(
        monitoring_return=locked,
        submission=submission,
        outcome=ReviewOutcome.ACCEPTED if name == "accept" else ReviewOutcome.CHANGES_REQUESTED,
        reviewed_by=user,
        reviewed_at=at,
    )
    ReviewComment.objects.bulk_create(
        ReviewComment(review=review, section=section, text=text)
        for section, text in sorted(
            comments.items(), key=lambda item: Section.values.index(item[0])
        )
    )
    return review


# --- RAG status -----------------------------------------------------------------------------------


@transaction.atomic
def rag_set(*, agreement: Agreement, user: User, rating: str, reason: str) -> RagStatus:
    """Rate how the agreement is going, with why: a new row in its history (the latest is
    its status). PermissionDenied for anyone but an officer; ValidationError by field."""
    if not rules.has_perm("monitoring.set_rag", user, agreement):
        raise PermissionDenied("Only commissioning officers set the RAG status")
    locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
    errors = {}
    if locked.state != AgreementState.ACCEPTED:
        errors["__all__"] = "Only an agreement in delivery has a RAG status"
    if rating not in Rating.values:
        errors["rating"] = "Select red, amber or green"
    if not reason.strip():
        errors["reason"] = "Enter why you gave this rating"
    if errors:
        raise ValidationError(errors)
    return RagStatus.objects.create(
        agreement=locked, rating=rating, reason=reason.strip(), set_by=user, set_at=timezone.now()
    )


# --- Payments -------------------------------------------------------------------------------------


def _lock_payments(
    instalment: PaymentInstalment, user: User
) -> tuple[Agreement, PaymentInstalment]:
    """The agreement locked (one payment change at a time) and the instalment, for an
    officer, while the agreement is in delivery."""
    if not rules.has_perm("monitoring.manage_payments", user, instalment.agreement):
        raise PermissionDenied("Only commissioning officers record payments")
    agreement = Agreement.objects.select_for_update().get(pk=instalment.agreement_id)
    if agreement.state != AgreementState.ACCEPTED:
        raise ValidationError("Payments are recorded once the agreement is accepted")
    instalment = PaymentInstalment.objects.get(pk=instalment.pk)
    return agreement, instalment


def _live_hold(instalment: PaymentInstalment) -> PaymentHold | None:
    return (
        PaymentHold.objects.filter(instalment=instalment, released_at__isnull=True)
        .select_related("monitoring_return")
        .first()
    )


@transaction.atomic
def payment_mark_paid(
    *,
    instalment: PaymentInstalment,
    user: User,
    paid_on: datetime.date,
    amount: Decimal,
    invoice_received_on: datetime.date | None = None,
) -> InstalmentPayment:
    """Record that the council paid a scheduled instalment: the date (today or before), the
    amount and, when the provider invoiced, the day the invoice was received (on or before
    the day paid; the 30-day payment terms run from it). A payment held until a return is
    accepted cannot be paid; nor can one paid already. PermissionDenied for anyone but an
    officer; ValidationError by field."""
    agreement, instalment = _lock_payments(instalment, user)
    errors = {}
    if InstalmentPayment.objects.filter(instalment=instalment).exists():
        errors["__all__"] = "This payment has already been recorded as paid"
    hold = _live_hold(instalment)
    if hold is not None:
        errors["__all__"] = (
            f"This payment is held until the return for {hold.monitoring_return.period_label} "
            "is accepted"
        )
    if paid_on > timezone.localdate():
        errors["paid_on"] = "The date paid must be today or in the past"
    elif paid_on < agreement.starts_on:
        errors["paid_on"] = "The date paid must be on or after the start of the agreement"
    if amount <= 0:
        errors["amount"] = "The amount paid must be more than £0"
    if invoice_received_on is not None and invoice_received_on > paid_on:
        errors["invoice_received_on"] = (
            "The date the invoice was received must be the same as or before the date paid"
        )
    if errors:
        raise ValidationError(errors)
    return InstalmentPayment.objects.create(
        agreement=agreement,
        instalment=instalment,
        scheduled_on=instalment.due_on,
        invoice_received_on=invoice_received_on,
        paid_on=paid_on,
        amount=amount.quantize(PENNY),
        recorded_by=user,
        recorded_at=timezone.now(),
    )


def payment_hold(
    *, instalment: PaymentInstalment, user: User, monitoring_return: MonitoringReturn
) -> PaymentHold:
    """Hold a scheduled payment until one of the agreement's returns is accepted: it is
    released when the return is accepted. PermissionDenied for anyone but an officer;
    ValidationError for a payment already paid or held, or a return already accepted."""
    try:
        with transaction.atomic():
            agreement, instalment = _lock_payments(instalment, user)
            chosen = MonitoringReturn.objects.filter(
                pk=monitoring_return.pk, agreement=agreement
            ).first()
            errors = {}
            if chosen is None:
                errors["monitoring_return"] = "Select one of this agreement’s returns"
            elif chosen.state == ReturnState.ACCEPTED:
                errors["monitoring_return"] = (
                    f"The return for {chosen.period_label} has already been accepted"
                )
            if InstalmentPayment.objects.filter(instalment=instalment).exists():
                errors["__all__"] = "This payment has already been paid"
            elif _live_hold(instalment) is not None:
                errors["__all__"] = "This payment is already held"
            if errors:
                raise ValidationError(errors)
            return PaymentHold.objects.create(
                agreement=agreement,
                instalment=instalment,
                scheduled_on=instalment.due_on,
                monitoring_return=chosen,
                held_by=user,
                held_at=timezone.now(),
            )
    except IntegrityError as error:  # held at the same moment by someone else
        raise ValidationError("This payment is already held") from error


# --- Emails ---------------------------------------------------------------------------------------


def return_email_send(*, monitoring_return: MonitoringReturn, kind: str) -> int:
    """`submitted`: tell the commission's lead officer there is a return to review;
    `changes_requested`: send the provider's members the officer's comments; `accepted`:
    tell the provider's members. Each is emailed and left a notification in the portal
    linking to the return (core.notifications)."""
    agreement = monitoring_return.agreement
    path = monitoring_return.get_absolute_url()
    context = {
        "monitoring_return": monitoring_return,
        "agreement": agreement,
        "organisation": agreement.organisation,
        "return_url": absolute_url(path),
    }
    summary = f"Agreement {agreement.reference}, {agreement.organisation.name}."
    if kind == "submitted":
        lead = agreement.bid.opportunity.specification.commission.lead_officer
        return people_notify(
            people=[lead],
            template="monitoring/email/return_submitted",
            context=context,
            url=path,
            body=summary,
        )
    if kind in ("changes_requested", "accepted"):
        review = monitoring_return.reviews.prefetch_related("comments").first()
        context["comments"] = list(review.comments.all()) if review else []
        return people_notify(
            people=organisation_members(agreement.organisation),
            template=f"monitoring/email/return_{kind}",
            context=context,
            url=path,
            body=summary,
        )
    raise ValueError(f"No monitoring return email of kind {kind}")
