"""Writes for agreements: made from an approved award with its terms copied from the
specification and the decision, prepared by an officer, sent to the provider, accepted
online, and varied only with an approver's approval — every version kept.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed
from django_fsm_log.models import StateLog

from core.audit import bulk_create_recorded
from core.emails import absolute_url, emails_send, organisation_members
from core.models import User
from core.outbox import outbox_enqueue
from core.rules import is_officer
from core.templatetags.portal import govuk_date, money
from core.transitions import transition_check, transition_from_state
from monitoring.models import MonitoringReturn, ReturnState
from procurement import rules as procurement_rules
from procurement import tasks
from procurement.models import (
    MONTHS_OF_FREQUENCY,
    Agreement,
    AgreementState,
    AgreementTarget,
    AgreementVersion,
    AwardDecision,
    PaymentInstalment,
    Variation,
)
from procurement.selectors import agreements as selectors

PENNY = Decimal("0.01")


# --- Month arithmetic -----------------------------------------------------------------------------


def months_add(day: datetime.date, months: int) -> datetime.date:
    """`day` moved on by `months` whole months; the 31st becomes the last day of a shorter
    month (31 January + 1 month is 28 or 29 February)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def first_of_next_month(day: datetime.date) -> datetime.date:
    return months_add(day.replace(day=1), 1)


# --- Schedules ------------------------------------------------------------------------------------


def monitoring_periods(
    *, starts_on: datetime.date, ends_on: datetime.date, frequency: str
) -> list[tuple[datetime.date, datetime.date, datetime.date]]:
    """(period start, period end, due on) for each return from `starts_on` to `ends_on`:
    periods of the frequency's months (the last one shorter if the agreement ends sooner),
    each return due one month after its period ends."""
    months = MONTHS_OF_FREQUENCY[frequency]
    periods = []
    number = 0
    start = starts_on
    while start <= ends_on:
        number += 1
        end = min(months_add(starts_on, months * number) - datetime.timedelta(days=1), ends_on)
        periods.append((start, end, months_add(end, 1)))
        start = end + datetime.timedelta(days=1)
    return periods


def monitoring_schedule_generate(*, agreement: Agreement) -> list[MonitoringReturn]:
    """Make the agreement's monitoring returns those its dates and frequency call for: one
    per period (see `monitoring_periods`).

    Only returns not yet started are touched: a return the provider has started, sent or
    had accepted is never removed or changed, and no return is made for a period that
    overlaps one of them. Returns not started are given their period's new end and due
    date, made for new periods (an end date moved later) and removed for periods that no
    longer exist (an end date moved earlier)."""
    returns = list(agreement.monitoring_returns.all())
    started = [r for r in returns if r.state != ReturnState.DUE]
    not_started = {r.period_start: r for r in returns if r.state == ReturnState.DUE}
    kept, made = set(), []
    periods = monitoring_periods(
        starts_on=agreement.starts_on,
        ends_on=agreement.ends_on,
        frequency=agreement.monitoring_frequency,
    )
    for start, end, due in periods:
        if any(r.period_start <= end and r.period_end >= start for r in started):
            continue
        existing = not_started.get(start)
        if existing is None:
            made.append(
                MonitoringReturn(
                    agreement=agreement, period_start=start, period_end=end, due_on=due
                )
            )
            continue
        kept.add(existing.pk)
        if (existing.period_end, existing.due_on) != (end, due):
            existing.period_end, existing.due_on = end, due
            existing.save(update_fields=["period_end", "due_on", "updated_at"])
    gone = [r.pk for r in not_started.values() if r.pk not in kept]
    MonitoringReturn.objects.filter(pk__in=gone, state=ReturnState.DUE).delete()
    bulk_create_recorded(MonitoringReturn, made)
    return list(agreement.monitoring_returns.all())


def payments_made_relink(*, agreement: Agreement) -> None:
    """After the payment schedule is made again (a variation), link what was paid and what
    is held to the new instalment on the same date: paid stays paid, held stays held."""
    instalments: dict[datetime.date, list[PaymentInstalment]] = {}
    for instalment in agreement.payments.all():
        instalments.setdefault(instalment.due_on, []).append(instalment)
    for paid in agreement.payments_made.filter(instalment__isnull=True):
        candidates = instalments.get(paid.scheduled_on) or []
        if candidates:
            paid.instalment = candidates.pop(0)
            paid.save(update_fields=["instalment"])
    holds = agreement.payment_holds.filter(instalment__isnull=True, released_at__isnull=True)
    for hold in holds:
        candidates = [p for p in agreement.payments.all() if p.due_on == hold.scheduled_on]
        if candidates:
            hold.instalment = candidates[0]
            hold.save(update_fields=["instalment"])


def payment_schedule_default(
    *, amount: Decimal, starts_on: datetime.date, ends_on: datetime.date
) -> list[tuple[datetime.date, Decimal, str]]:
    """Equal quarterly instalments paid in advance at the start of each quarter; the last
    takes the pennies so that they add up to exactly `amount`."""
    dates = []
    due = starts_on
    while due <= ends_on:
        dates.append(due)
        due = months_add(starts_on, 3 * len(dates))
    count = len(dates)
    each = (amount / count).quantize(PENNY, rounding=ROUND_DOWN)
    rows = []
    for number, due_on in enumerate(dates, start=1):
        value = each if number < count else amount - each * (count - 1)
        rows.append((due_on, value, f"Quarter {number} in advance"))
    return rows


def communications_default() -> str:
    council = settings.COUNCIL
    return (
        f"The council's contact for this agreement is the {council['department']} "
        f"commissioning team at {council['name']}: {council['email']}, {council['telephone']}. "
        "The provider names its own contact and tells the council of any change. The council "
        "and the provider meet at least once a year to review progress. The provider "
        f"acknowledges the support of {council['name']} in publicity about the service and "
        "uses the council's logo only as the council agrees."
    )


# --- Creating -------------------------------------------------------------------------------------


def _next_reference(year: int) -> str:
    prefix = f"AGR-{year}-"
    taken = Agreement.objects.filter(reference__startswith=prefix).values_list(
        "reference", flat=True
    )
    numbers = [int(ref.removeprefix(prefix)) for ref in taken if ref.removeprefix(prefix).isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def agreement_dates(*, decision: AwardDecision) -> tuple[datetime.date, datetime.date]:
    """The agreement starts on the first day of the month after the decision (or when the
    commission's period starts, if that is later) and runs for the specification's
    duration."""
    opportunity = decision.bid.opportunity
    specification = opportunity.specification
    decided = decision.decided_on or (
        timezone.localdate(decision.approved_at) if decision.approved_at else timezone.localdate()
    )
    starts_on = max(first_of_next_month(decided), specification.commission.period_start)
    ends_on = months_add(starts_on, specification.duration_months) - datetime.timedelta(days=1)
    return starts_on, ends_on


def agreement_create(*, decision: AwardDecision, created_by: User | None = None) -> Agreement:
    """The agreement for an approved, successful award, made now if it has none (the same
    agreement is returned if it already exists).

    Its terms come from what is already recorded: the purpose from the bid's project title
    and the opportunity it was funded under; the amount and special conditions from the
    decision; the outcomes and success measures from the specification, with the yearly
    targets the bid proposed for them (the specification's own target for a year the bid
    has none), never typed again; a default payment schedule of equal quarterly instalments
    in advance adding up to the amount, and a monitoring schedule. It starts as a draft for
    an officer to check and send (who made it, `created_by`, is the approver of the awards;
    the agreement records who sent it and who accepted it).

    ValidationError when the decision is not an approved award.
    """
    existing = Agreement.objects.filter(decision=decision).first()
    if existing is not None:
        return existing
    if not decision.is_successful or not decision.amount:
        raise ValidationError("Only a successful award becomes an agreement")
    if not decision.is_approved:
        raise ValidationError("The award must be approved before it becomes an agreement")
    bid = decision.bid
    opportunity = bid.opportunity
    specification = opportunity.specification
    starts_on, ends_on = agreement_dates(decision=decision)
    title = bid.title.strip() or opportunity.title
    purpose = f"{title.rstrip('.')}, funded under {opportunity.title} ({opportunity.reference})."
    try:
        with transaction.atomic():
            agreement = Agreement.objects.create(
                decision=decision,
                reference=_next_reference(timezone.localdate().year),
                kind=opportunity.funding_type,
                purpose=purpose,
                amount=decision.amount,
                starts_on=starts_on,
                ends_on=ends_on,
                communications=communications_default(),
                special_conditions=decision.conditions.strip(),
            )
            proposed = {
                (target.specification_measure_id, target.year): target.target
                for target in bid.targets.all()
            }
            measures = specification.measures.select_related("measure", "outcome")
            for chosen in measures.prefetch_related("targets"):
                for target in chosen.targets.all():
                    AgreementTarget.objects.create(
                        agreement=agreement,
                        outcome=chosen.outcome.description if chosen.outcome else "",
                        measure=chosen.measure.name,
                        unit=chosen.measure.unit,
                        year=target.year,
                        target=proposed.get((chosen.pk, target.year), target.target),
                        specification_measure=chosen,
                    )
            bulk_create_recorded(
                PaymentInstalment,
                [
                    PaymentInstalment(
                        agreement=agreement, due_on=due, amount=value, description=text
                    )
                    for due, value, text in payment_schedule_default(
                        amount=agreement.amount, starts_on=starts_on, ends_on=ends_on
                    )
                ],
            )
            monitoring_schedule_generate(agreement=agreement)
    except IntegrityError:
        # Made at the same moment by someone else (one agreement per decision).
        existing = Agreement.objects.filter(decision=decision).first()
        if existing is None:
            raise
        return existing
    return agreement


# --- Checks shared with the forms -----------------------------------------------------------------


class AgreementLocked(Exception):
    """The agreement cannot be changed this way now."""


class AgreementChanged(Exception):
    """Someone else moved the agreement on while this person was looking at it."""

    message = (
        "This agreement was changed by someone else while you were looking at it. Check "
        "where it is now before you try again."
    )


class VariationChanged(Exception):
    message = (
        "This variation was decided or withdrawn by someone else while you were looking at "
        "it. Check where it is now."
    )


class VariationWaiting(Exception):
    """Only one variation may wait for a decision at a time."""


@dataclass(frozen=True)
class PaymentRow:
    due_on: datetime.date
    amount: Decimal
    description: str = ""


def payments_total_problem(*, total: Decimal, amount: Decimal) -> str:
    """What is wrong with the payments' total, or "" when it is the amount."""
    if total == amount:
        return ""
    difference = money(abs(amount - total))
    side = f"{difference} short" if total < amount else f"{difference} too much"
    return f"The payments add up to {money(total)}: they must add up to {money(amount)} ({side})"


def payment_date_problem(
    *, due_on: datetime.date, starts_on: datetime.date, ends_on: datetime.date
) -> str:
    if starts_on <= due_on <= ends_on:
        return ""
    return (
        f"The payment date must be between {govuk_date(starts_on)} and {govuk_date(ends_on)}, "
        "when the agreement runs"
    )


def _payments_check(
    *, rows: list[PaymentRow], starts_on: datetime.date, ends_on: datetime.date
) -> dict[str, str]:
    errors = {}
    if not rows:
        errors["payments"] = "Enter at least one payment"
    for row in rows:
        if row.amount <= 0:
            errors["payments"] = "Each payment must be more than £0"
        problem = payment_date_problem(due_on=row.due_on, starts_on=starts_on, ends_on=ends_on)
        if problem:
            errors["payments"] = problem
    return errors


# --- The draft: details and payments --------------------------------------------------------------


def _lock(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def _lock_draft(agreement: Agreement) -> Agreement:
    locked = _lock(agreement)
    if locked.state == AgreementState.ISSUED:
        raise AgreementLocked(
            "This agreement has been sent to the provider. Take it back to change it."
        )
    if locked.state == AgreementState.ACCEPTED:
        raise AgreementLocked(
            "This agreement has been accepted. It can only be changed by a variation."
        )
    return locked


@transaction.atomic
def agreement_update(
    *,
    agreement: Agreement,
    purpose: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    monitoring_frequency: str,
    communications: str,
    special_conditions: str,
) -> Agreement:
    """Change a draft's details. Changing its dates or how often returns are due makes the
    monitoring schedule again. ValidationError (by field); AgreementLocked once sent."""
    locked = _lock_draft(agreement)
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": "The end date must be after the start date"})
    schedule_changed = (locked.starts_on, locked.ends_on, locked.monitoring_frequency) != (
        starts_on,
        ends_on,
        monitoring_frequency,
    )
    locked.purpose = purpose.strip()
    locked.starts_on = starts_on
    locked.ends_on = ends_on
    locked.monitoring_frequency = monitoring_frequency
    locked.communications = communications.strip()
    locked.special_conditions = special_conditions.strip()
    locked.full_clean(exclude=["state", "decision", "issued_by", "accepted_by"])
    locked.save()
    if schedule_changed:
        monitoring_schedule_generate(agreement=locked)
    return locked


@transaction.atomic
def agreement_payments_set(*, agreement: Agreement, rows: list[PaymentRow]) -> list:
    """Replace a draft's payment schedule. The payments must be dated within the agreement's
    period and add up to its amount. ValidationError; AgreementLocked once sent."""
    locked = _lock_draft(agreement)
    errors = _payments_check(rows=rows, starts_on=locked.starts_on, ends_on=locked.ends_on)
    total = sum((row.amount for row in rows), start=Decimal(0))
    problem = payments_total_problem(total=total, amount=locked.amount)
    if problem and "payments" not in errors:
        errors["payments"] = problem
    if errors:
        raise ValidationError(errors)
    locked.payments.all().delete()
    made = bulk_create_recorded(
        PaymentInstalment,
        [
            PaymentInstalment(
                agreement=locked, due_on=row.due_on, amount=row.amount, description=row.description
            )
            for row in sorted(rows, key=lambda row: row.due_on)
        ],
    )
    locked.save(update_fields=["updated_at"])
    return made


# --- Versions -------------------------------------------------------------------------------------


def agreement_version_snapshot(
    *, agreement: Agreement, user: User | None, variation: Variation | None = None
) -> AgreementVersion:
    """Keep the terms as they stand as the agreement's current version number, if that
    version is not kept yet. A kept version is never changed by this."""
    existing = agreement.versions.filter(number=agreement.version).first()
    if existing is not None:
        return existing
    return AgreementVersion.objects.create(
        agreement=agreement,
        number=agreement.version,
        terms=selectors.agreement_terms(agreement=agreement),
        variation=variation,
        created_by=user,
    )


def _issued_version_keep(*, agreement: Agreement, user: User) -> AgreementVersion:
    """The version sent to the provider. Sent again after being taken back (and so never
    accepted), version 1 is what is sent now: the provider only ever accepts the terms
    kept."""
    existing = agreement.versions.filter(number=agreement.version).first()
    if existing is None or agreement.accepted_at is not None or existing.variation_id:
        return agreement_version_snapshot(agreement=agreement, user=user)
    existing.terms = selectors.agreement_terms(agreement=agreement)
    existing.created_by = user
    existing.save(update_fields=["terms", "created_by"])
    return existing


# --- Lifecycle ------------------------------------------------------------------------------------

EMAIL_KIND_OF_TRANSITION = {"issue": "issued", "withdraw": "withdrawn"}


def agreement_transition(
    *,
    agreement: Agreement,
    name: str,
    user: User,
    reason: str = "",
    seen_state: str | None = None,
) -> Agreement:
    """Send the agreement to the provider ("issue") or take it back ("withdraw", with
    reasons), recording who and why. Sending it keeps version 1 of its terms and emails
    the provider organisation's members; taking it back tells them too.

    Raises AgreementChanged when someone else moved it first, PermissionDenied when the
    person may not, TransitionNotAllowed when the state or a condition does not allow it
    (the payments must add up, there must be a monitoring schedule and targets), and
    ValidationError when reasons are needed and missing.
    """
    try:
        with transaction.atomic():
            locked = _lock(agreement)
            if seen_state is not None and locked.state != seen_state:
                raise AgreementChanged(AgreementChanged.message)
            method = transition_check(instance=locked, name=name, user=user, reason=reason)
            method(by=user, description=reason.strip() or None)
            if name == "issue":
                locked.issued_at = timezone.now()
                locked.issued_by = user
            locked.save()
            if name == "issue":
                _issued_version_keep(agreement=locked, user=user)
            kind = EMAIL_KIND_OF_TRANSITION.get(name)
            if kind:
                outbox_enqueue(task=tasks.agreement_email_send, args=[locked.pk, kind])
    except ConcurrentTransition as error:
        raise AgreementChanged(AgreementChanged.message) from error
    agreement.refresh_from_db()
    return agreement


def agreement_accept(*, agreement: Agreement, user: User, seen_state: str | None = None):
    """An admin of the provider organisation accepts the agreement sent to them: who and
    when are recorded, the terms accepted are kept as a version, and the council's officers
    are emailed. Delivery starts.

    Raises AgreementChanged when someone else moved it first, TransitionNotAllowed when it
    is not waiting to be accepted, and PermissionDenied when the person is not an admin of
    the provider organisation.
    """
    try:
        with transaction.atomic():
            locked = _lock(agreement)
            if seen_state is not None and locked.state != seen_state:
                raise AgreementChanged(AgreementChanged.message)
            spec = transition_from_state(instance=locked, name="accept")
            if spec is None:
                raise TransitionNotAllowed("The agreement is not waiting to be accepted")
            if not spec.has_perm(locked, user):
                raise PermissionDenied("Only an admin of the organisation can accept it")
            if not can_proceed(locked.accept):
                raise TransitionNotAllowed("Conditions not met")
            locked.accept(by=user, description=None)
            locked.accepted_by = user
            locked.accepted_at = timezone.now()
            locked.save()
            agreement_version_snapshot(agreement=locked, user=locked.issued_by)
            outbox_enqueue(task=tasks.agreement_email_send, args=[locked.pk, "accepted"])
    except ConcurrentTransition as error:
        raise AgreementChanged(AgreementChanged.message) from error
    agreement.refresh_from_db()
    return agreement


# --- Variations -----------------------------------------------------------------------------------


def variation_propose(
    *,
    agreement: Agreement,
    user: User,
    reason: str,
    ends_on: datetime.date,
    payments: list[PaymentRow],
    targets: dict[int, Decimal],
) -> Variation:
    """Propose a change to an accepted agreement's end date, payments (their total is the
    new amount) and targets (target id → new value, to the penny). An approver decides;
    approvers and the other side are emailed.

    Raises AgreementLocked unless the agreement is accepted, VariationWaiting when another
    variation is waiting for a decision, PermissionDenied when the person may not propose
    one, and ValidationError (by field) for a change that cannot be made or changes nothing.
    """
    targets = {
        int(tid): None if value is None else Decimal(value).quantize(PENNY)
        for tid, value in targets.items()
    }
    with transaction.atomic():
        locked = _lock(agreement)
        if locked.state != AgreementState.ACCEPTED:
            raise AgreementLocked("Only an accepted agreement can be varied")
        if not rules.has_perm("procurement.propose_variation", user, locked):
            raise PermissionDenied("You may not propose a variation to this agreement")
        waiting = selectors.agreement_open_variation(agreement=locked)
        if waiting is not None:
            raise VariationWaiting(
                f"Variation {waiting.number} is waiting for a decision. Only one variation "
                "can be proposed at a time."
            )
        errors: dict[str, str] = {}
        if not reason.strip():
            errors["reason"] = "Enter why the change is needed"
        if ends_on <= locked.starts_on:
            errors["ends_on"] = (
                f"The new end date must be after the start date, {govuk_date(locked.starts_on)}"
            )
        else:
            errors.update(
                _payments_check(rows=payments, starts_on=locked.starts_on, ends_on=ends_on)
            )
        current = {target.pk: target.target for target in locked.targets.all()}
        for target_id, value in targets.items():
            if target_id not in current:
                errors["targets"] = "Targets can only be changed for this agreement's measures"
            elif value is None or value < 0:
                errors[f"target_{target_id}"] = "Each target must be 0 or more"
        if errors:
            raise ValidationError(errors)
        amount = sum((row.amount for row in payments), start=Decimal(0))
        new_targets = {tid: value for tid, value in targets.items() if value != current[tid]}
        payments_now = [(p.due_on, p.amount) for p in locked.payments.all()]
        rows = sorted(payments, key=lambda row: row.due_on)
        unchanged = (
            ends_on == locked.ends_on
            and not new_targets
            and [(row.due_on, row.amount) for row in rows] == payments_now
        )
        if unchanged:
            raise ValidationError(
                "The proposal is the same as the agreement now. Change the end date, the "
                "payments or a target."
            )
        last = locked.variations.order_by("-number").values_list("number", flat=True).first()
        variation = Variation.objects.create(
            agreement=locked,
            number=(last or 0) + 1,
            reason=reason.strip(),
            changes={
                "ends_on": ends_on.isoformat(),
                "amount": str(amount.quantize(PENNY)),
                "payments": [
                    {
                        "due_on": row.due_on.isoformat(),
                        "amount": str(row.amount.quantize(PENNY)),
                        "description": row.description.strip(),
                    }
                    for row in rows
                ],
                "targets": {
                    str(tid): str(Decimal(targets.get(tid, value)).quantize(PENNY))
                    for tid, value in current.items()
                },
            },
            proposed_by=user,
            proposed_by_provider=procurement_rules.is_member_of_agreement_organisation.test(
                user, locked
            )
            and not is_officer.test(user),
        )
        outbox_enqueue(task=tasks.variation_email_send, args=[variation.pk, "proposed"])
    return variation


def _lock_variation(variation: Variation, seen_state: str | None) -> Variation:
    locked = Variation.objects.select_for_update().get(pk=variation.pk)
    if seen_state is not None and locked.state != seen_state:
        raise VariationChanged(VariationChanged.message)
    return locked


def variation_approve(
    *, variation: Variation, user: User, note: str = "", seen_state: str | None = None
) -> Variation:
    """An approver who did not propose it approves the variation, and in the same
    transaction the agreement changes: its amount, end date, payments and targets become
    those proposed, monitoring returns not yet started are added or removed for the new end
    date (what was paid or held stays so), and its version goes up by one with the new
    terms kept. Earlier versions are kept exactly as they were. The proposer is emailed.

    Raises VariationChanged, PermissionDenied and TransitionNotAllowed like
    `variation_transition`.
    """
    try:
        with transaction.atomic():
            locked = _lock_variation(variation, seen_state)
            method = transition_check(instance=locked, name="approve", user=user, reason=note)
            agreement = _lock(locked.agreement)
            if agreement.state != AgreementState.ACCEPTED:
                raise TransitionNotAllowed("Only an accepted agreement can be varied")
            # The terms before the change are kept first, if they were not already.
            agreement_version_snapshot(agreement=agreement, user=agreement.issued_by)
            method(by=user, description=note.strip() or None)
            locked.decided_by = user
            locked.decided_at = timezone.now()
            locked.decision_note = note.strip()
            locked.save()
            _variation_apply(agreement=agreement, variation=locked, user=user)
            outbox_enqueue(task=tasks.variation_email_send, args=[locked.pk, "approved"])
    except ConcurrentTransition as error:
        raise VariationChanged(VariationChanged.message) from error
    variation.refresh_from_db()
    return variation


def _variation_apply(*, agreement: Agreement, variation: Variation, user: User) -> None:
    changes = variation.changes
    agreement.amount = Decimal(changes["amount"])
    agreement.ends_on = datetime.date.fromisoformat(changes["ends_on"])
    agreement.payments.all().delete()
    bulk_create_recorded(
        PaymentInstalment,
        [
            PaymentInstalment(
                agreement=agreement,
                due_on=datetime.date.fromisoformat(row["due_on"]),
                amount=Decimal(row["amount"]),
                description=row.get("description", ""),
            )
            for row in changes["payments"]
        ],
    )
    payments_made_relink(agreement=agreement)
    new_targets = {int(tid): Decimal(value) for tid, value in changes.get("targets", {}).items()}
    for target in agreement.targets.filter(pk__in=list(new_targets)):
        if target.target != new_targets[target.pk]:
            target.target = new_targets[target.pk]
            target.save(update_fields=["target"])
    agreement.version += 1
    agreement.save()
    monitoring_schedule_generate(agreement=agreement)
    AgreementVersion.objects.create(
        agreement=agreement,
        number=agreement.version,
        terms=selectors.agreement_terms(agreement=agreement),
        variation=variation,
        created_by=user,
    )


def variation_transition(
    *,
    variation: Variation,
    name: str,
    user: User,
    reason: str = "",
    seen_state: str | None = None,
) -> Variation:
    """Approve (see `variation_approve`), reject (an approver who did not propose it, with
    reasons: the proposer is emailed) or withdraw (the proposer) a proposed variation.

    Raises VariationChanged when someone else acted first, PermissionDenied when the person
    may not, TransitionNotAllowed when it is no longer proposed, and ValidationError when
    reasons are needed and missing.
    """
    if name == "approve":
        return variation_approve(variation=variation, user=user, note=reason, seen_state=seen_state)
    try:
        with transaction.atomic():
            locked = _lock_variation(variation, seen_state)
            method = transition_check(instance=locked, name=name, user=user, reason=reason)
            method(by=user, description=reason.strip() or None)
            if name == "reject":
                locked.decided_by = user
                locked.decided_at = timezone.now()
                locked.decision_note = reason.strip()
            locked.save()
            if name == "reject":
                outbox_enqueue(task=tasks.variation_email_send, args=[locked.pk, "rejected"])
    except ConcurrentTransition as error:
        raise VariationChanged(VariationChanged.message) from error
    variation.refresh_from_db()
    return variation


# --- Emails ---------------------------------------------------------------------------------------


def _officers(agreement: Agreement) -> list[User]:
    """The commission's lead officer, and whoever sent the agreement."""
    return [agreement.bid.opportunity.specification.commission.lead_officer, agreement.issued_by]


def agreement_email_send(*, agreement: Agreement, kind: str) -> int:
    """`issued`: ask the provider organisation's members to read it (its admins accept it);
    `withdrawn`: tell them it was taken back, and why; `accepted`: tell the officers."""
    context = {
        "agreement": agreement,
        "organisation": agreement.organisation,
        "agreement_url": absolute_url(agreement.get_absolute_url()),
    }
    if kind == "accepted":
        return emails_send(
            people=_officers(agreement),
            template="procurement/email/agreement_accepted",
            context=context,
        )
    if kind == "withdrawn":
        log = (
            StateLog.objects.for_(agreement)
            .filter(transition="withdraw")
            .order_by("-timestamp")
            .first()
        )
        context["reason"] = log.description if log else ""
        return emails_send(
            people=organisation_members(agreement.organisation),
            template="procurement/email/agreement_withdrawn",
            context=context,
        )
    if kind == "issued":
        context["accept_url"] = absolute_url(
            reverse("procurement:agreement_accept", kwargs={"pk": agreement.pk})
        )
        context["admins"] = selectors.organisation_admins(agreement=agreement)
        return emails_send(
            people=organisation_members(agreement.organisation),
            template="procurement/email/agreement_issued",
            context=context,
        )
    raise ValueError(f"No agreement email of kind {kind}")


def variation_email_send(*, variation: Variation, kind: str) -> int:
    """`proposed`: tell the approvers and the other side (the provider's members when the
    council proposed it, the officers when the provider did); `approved` or `rejected`:
    tell the proposer (and, when approved, the provider's members: their agreement
    changed)."""
    agreement = variation.agreement
    context = {
        "variation": variation,
        "agreement": agreement,
        "organisation": agreement.organisation,
        "variation_url": absolute_url(variation.get_absolute_url()),
    }
    if kind == "proposed":
        other_side = (
            _officers(agreement)
            if variation.proposed_by_provider
            else organisation_members(agreement.organisation)
        )
        people = [p for p in [*selectors.approvers(), *other_side] if p != variation.proposed_by]
        return emails_send(
            people=people, template="procurement/email/variation_proposed", context=context
        )
    if kind in ("approved", "rejected"):
        people = [variation.proposed_by]
        if kind == "approved":
            people += organisation_members(agreement.organisation)
        return emails_send(
            people=people, template=f"procurement/email/variation_{kind}", context=context
        )
    raise ValueError(f"No variation email of kind {kind}")
