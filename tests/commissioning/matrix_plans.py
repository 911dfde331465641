"""Commissioning Plans in the role × URL permission matrix.

Public addresses answer only for published and superseded plans, to everyone alike; a
draft, a plan awaiting approval and an approved plan are not found there by anyone, staff
included (they read it at /staff/plans/<pk>/).
"""

from tests.matrix import SIGN_IN, Row, everyone, only, staff_only


def _plan(state: str, *, stored_pdf: bool = False, specifications: int = 1):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from commissioning.models import CommissioningPlan
    from tests.factories import PlanFactory, SpecificationFactory

    plan = PlanFactory(
        state=state,
        specifications=[SpecificationFactory() for _ in range(specifications)],
    )
    plan.submitted_by = plan.author if state != "draft" else None
    plan.published_at = timezone.now() if state in ("published", "superseded") else None
    plan.save()
    if stored_pdf:
        plan.pdf.save(f"{plan.slug}.pdf", ContentFile(b"%PDF-1.7 matrix"), save=False)
        CommissioningPlan.objects.filter(pk=plan.pk).update(pdf=plan.pdf.name)
    return plan


def _public(state: str, **kwargs):
    return lambda user: f"/plans/{_plan(state, **kwargs).slug}/"


def _pdf(state: str, **kwargs):
    return lambda user: f"/plans/{_plan(state, **kwargs).slug}.pdf"


def _staff(state: str, suffix: str = ""):
    return lambda user: f"/staff/plans/{_plan(state).pk}/{suffix}"


NOT_FOUND = everyone(404)
ACTION_NOT_FOUND = {**everyone(404), "public": SIGN_IN}
OFFICER_REDIRECTED = {**only("officer"), "officer": 302}

ROWS = [
    # Public.
    Row("commissioning:plan-public-list", "/plans/", everyone(200)),
    Row("commissioning:plan-public-detail-published", _public("published"), everyone(200)),
    Row("commissioning:plan-public-detail-superseded", _public("superseded"), everyone(200)),
    Row("commissioning:plan-public-detail-draft", _public("draft"), NOT_FOUND),
    Row("commissioning:plan-public-detail-awaiting", _public("awaiting_approval"), NOT_FOUND),
    Row("commissioning:plan-public-detail-approved", _public("approved"), NOT_FOUND),
    Row(
        "commissioning:plan-pdf-published",
        _pdf("published", stored_pdf=True),
        everyone(200),
    ),
    Row(
        "commissioning:plan-pdf-superseded",
        _pdf("superseded", stored_pdf=True),
        everyone(200),
    ),
    Row("commissioning:plan-pdf-being-prepared", _pdf("published"), NOT_FOUND),
    Row("commissioning:plan-pdf-draft", _pdf("draft", stored_pdf=True), NOT_FOUND),
    Row("commissioning:plan-pdf-approved", _pdf("approved"), NOT_FOUND),
    Row("commissioning:plan-public-missing", "/plans/no-such-plan-v1/", NOT_FOUND),
    # Staff.
    Row("commissioning:plan-staff-list", "/staff/plans/", staff_only(200)),
    Row("commissioning:plan-create", "/staff/plans/new/", only("officer")),
    Row("commissioning:plan-staff-detail-draft", _staff("draft"), staff_only(200)),
    Row("commissioning:plan-staff-detail-published", _staff("published"), staff_only(200)),
    Row("commissioning:plan-update-draft", _staff("draft", "edit/"), only("officer")),
    Row(
        "commissioning:plan-update-published",
        _staff("published", "edit/"),
        OFFICER_REDIRECTED,
    ),
    Row(
        "commissioning:plan-new-version",
        _staff("published", "new-version/"),
        only("officer"),
    ),
    Row(
        "commissioning:plan-new-version-draft",
        _staff("draft", "new-version/"),
        OFFICER_REDIRECTED,
    ),
    Row(
        "commissioning:plan-action-submit",
        _staff("draft", "actions/submit/"),
        only("officer"),
    ),
    Row(
        "commissioning:plan-action-approve",
        _staff("awaiting_approval", "actions/approve/"),
        only("approver"),
    ),
    Row(
        "commissioning:plan-action-return",
        _staff("awaiting_approval", "actions/return_to_draft/"),
        only("approver"),
    ),
    Row(
        "commissioning:plan-action-publish",
        _staff("approved", "actions/publish/"),
        only("officer"),
    ),
    Row(
        "commissioning:plan-action-supersede",
        _staff("published", "actions/supersede/"),
        ACTION_NOT_FOUND,
    ),
]
