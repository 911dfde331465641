"""Writes for Commissioning Plans: drafting, the approval lifecycle, publishing, new versions
and the stored PDF.

A published version never changes: it can only be superseded by publishing a new version
of the same plan (the same `series`), and stays readable at its own address.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from commissioning.models import CommissioningPlan, PlanState, Sector, Specification
from core.models import User
from core.transitions import transition_check

SECTIONS = (
    "purpose",
    "investment_levels",
    "expected_outcomes",
    "procurement_arrangements",
    "contractual_arrangements",
    "performance_management",
)


class PlanNotEditable(Exception):
    """The plan is not a draft, so its words and specifications cannot change."""

    def __init__(self, plan: CommissioningPlan):
        if plan.state in (PlanState.PUBLISHED, PlanState.SUPERSEDED):
            message = "A published plan never changes — start a new version"
        elif plan.state == PlanState.AWAITING_APPROVAL:
            message = (
                "This plan is waiting for an approver. It can be changed if they return it to draft"
            )
        else:
            message = "This plan has been approved. Publish it, then start a new version"
        super().__init__(message)
        self.message = message


class PlanVersionRefused(Exception):
    """A new version can only be started from the version that is published now."""


def _check_specifications(*, sector: Sector, specifications: Iterable[Specification]) -> None:
    wrong = [spec for spec in specifications if spec.commission.sector_id != sector.pk]
    if wrong:
        raise ValidationError(
            {"specifications": f"Select only specifications for {sector.name} commissions"}
        )


def _unique_series(title: str) -> str:
    base = slugify(title)[:190] or "commissioning-plan"
    series, number = base, 1
    while CommissioningPlan.objects.filter(series=series).exists():
        number += 1
        series = f"{base}-{number}"
    return series


@transaction.atomic
def plan_create(
    *,
    author: User,
    sector: Sector,
    title: str,
    period_start: datetime.date,
    period_end: datetime.date,
    purpose: str,
    investment_levels: str,
    expected_outcomes: str,
    procurement_arrangements: str,
    contractual_arrangements: str,
    performance_management: str,
    specifications: Iterable[Specification] = (),
    series: str = "",
) -> CommissioningPlan:
    """A new plan in draft, version 1 of a new series (from the title unless given).

    Its address is `<series>-v1`; every later version gets `<series>-v<version>`.
    """
    specifications = list(specifications)
    _check_specifications(sector=sector, specifications=specifications)
    series = series or _unique_series(title)
    plan = CommissioningPlan(
        author=author,
        sector=sector,
        title=title,
        series=series,
        version=1,
        slug=f"{series}-v1",
        period_start=period_start,
        period_end=period_end,
        purpose=purpose,
        investment_levels=investment_levels,
        expected_outcomes=expected_outcomes,
        procurement_arrangements=procurement_arrangements,
        contractual_arrangements=contractual_arrangements,
        performance_management=performance_management,
    )
    plan.full_clean(exclude=["state", "pdf"])
    plan.save()
    plan.specifications.set(specifications)
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: CommissioningPlan,
    specifications: Iterable[Specification] | None = None,
    **fields,
) -> CommissioningPlan:
    """Change a draft's sector, title, period, sections or specifications.

    Raises PlanNotEditable for anything but a draft: a published plan never changes.
    """
    locked = CommissioningPlan.objects.select_for_update().get(pk=plan.pk)
    if not locked.is_editable:
        raise PlanNotEditable(locked)
    allowed = {"sector", "title", "period_start", "period_end", *SECTIONS}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"plan_update cannot change {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(plan, name, value)
    if specifications is not None:
        specifications = list(specifications)
        _check_specifications(sector=plan.sector, specifications=specifications)
    elif "sector" in fields:
        _check_specifications(
            sector=plan.sector,
            specifications=plan.specifications.select_related("commission"),
        )
    plan.full_clean(exclude=["state", "pdf"])
    plan.save()
    if specifications is not None:
        plan.specifications.set(specifications)
    return plan


def plan_transition(
    *, plan: CommissioningPlan, name: str, user: User, reason: str = ""
) -> CommissioningPlan:
    """Run the lifecycle action `name` as `user`, recording who and why (django-fsm-log).

    Raises PermissionDenied when the person may not make it (an approver never approves a
    plan they wrote or sent for approval), TransitionNotAllowed when the plan is not in a
    state to allow it or a condition is not met (no specifications), and ValidationError
    when reasons are required and missing. Publishing has side effects: see `plan_publish`.
    """
    if name == "publish":
        return plan_publish(plan=plan, user=user, reason=reason)
    method = transition_check(instance=plan, name=name, user=user, reason=reason)
    with transaction.atomic():
        method(by=user, description=reason.strip() or None)
        plan.save()
    return plan


def plan_publish(*, plan: CommissioningPlan, user: User, reason: str = "") -> CommissioningPlan:
    """Publish an approved plan for everyone.

    In one transaction: the version published until now (same series) is superseded and
    stays readable; this version is published with today's time. Once committed, its PDF
    is made and stored by a task, so no page ever renders it.
    """
    method = transition_check(instance=plan, name="publish", user=user, reason=reason)
    with transaction.atomic():
        # Lock the series so two people publishing at once cannot both succeed.
        series = list(
            CommissioningPlan.objects.select_for_update()
            .filter(series=plan.series)
            .order_by("version")
        )
        for earlier in series:
            if earlier.pk != plan.pk and earlier.state == PlanState.PUBLISHED:
                earlier.supersede(
                    by=user, description=f"Superseded by version {plan.version}, published"
                )
                earlier.save()
        method(by=user, description=reason.strip() or None)
        plan.published_at = timezone.now()
        plan.save()
        _plan_pdf_enqueue(plan.pk)
    return plan


def _plan_pdf_enqueue(plan_id: int) -> None:
    from commissioning import tasks
    from core.outbox import outbox_enqueue

    outbox_enqueue(task=tasks.plan_pdf_generate, args=[plan_id])


@transaction.atomic
def plan_new_version(*, plan: CommissioningPlan, user: User) -> CommissioningPlan:
    """Start the next version of the published plan: a draft with the same sections and
    specifications, version + 1, in the same series, linked to this one.

    If the next version has already been started (and not yet published) it is returned
    rather than started twice. PlanVersionRefused for a plan that is not published now.
    """
    plan = CommissioningPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.state != PlanState.PUBLISHED:
        raise PlanVersionRefused(
            "Only the version published now can have a new version. "
            "Start from the current version of this plan."
        )
    existing = CommissioningPlan.objects.filter(previous_version=plan).first()
    if existing is not None:
        return existing
    latest = (
        CommissioningPlan.objects.filter(series=plan.series)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    version = max(latest or 0, plan.version) + 1
    draft = CommissioningPlan(
        sector=plan.sector,
        title=plan.title,
        series=plan.series,
        version=version,
        slug=f"{plan.series}-v{version}",
        period_start=plan.period_start,
        period_end=plan.period_end,
        author=user,
        previous_version=plan,
        **{name: getattr(plan, name) for name in SECTIONS},
    )
    draft.full_clean(exclude=["state", "pdf", "previous_version"])
    draft.save()
    draft.specifications.set(plan.specifications.all())
    return draft


def plan_pdf_store(*, plan: CommissioningPlan) -> CommissioningPlan:
    """Render the published (or superseded) plan to PDF and store it as plans/<slug>.pdf,
    replacing any earlier file. Plans that were never published get no PDF."""
    from commissioning import pdf as plan_pdf
    from commissioning.selectors.plans import plan_public_get

    if plan.state not in (PlanState.PUBLISHED, PlanState.SUPERSEDED):
        raise ValidationError("Only a published plan has a PDF")
    plan = plan_public_get(slug=plan.slug)
    content = plan_pdf.plan_pdf_render(plan=plan)
    name = f"{plan.slug}.pdf"
    storage = plan.pdf.storage
    if plan.pdf:
        storage.delete(plan.pdf.name)
    if storage.exists(f"plans/{name}"):
        storage.delete(f"plans/{name}")
    plan.pdf.save(name, ContentFile(content), save=False)
    CommissioningPlan.objects.filter(pk=plan.pk).update(pdf=plan.pdf.name)
    return plan
