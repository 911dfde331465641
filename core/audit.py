"""The audit trail: who changed what and when, and the events that are not changes.

Two sources, read together on the administrators' page /staff/audit/:

- **Model history** from django-simple-history: every save and delete of the models that
  matter (organisations and members, commissions, specifications, plans, opportunities,
  bids, scores and moderation, decisions, agreements, payments, returns, reference data,
  people's accounts) writes a row to the model's historical table with who (the request's
  user, through `simple_history.middleware.HistoryRequestMiddleware`) and when. A state
  change through a django-fsm transition saves the model, so it is captured too. We use
  django-simple-history rather than django-pghistory because pghistory records changes
  with PostgreSQL triggers, and `make run` and the tests use SQLite: simple-history works
  in Python on any database.
- **`AuditEvent`**: an append-only row for what is not a save: sign-ins and failed
  sign-ins, sign-outs, refusals (403), staff looking at a bid's content, downloads of
  attachments and exports, and changes to someone's roles (group membership, which is a
  many-to-many change that simple-history does not record).

Sealed bids: a bid's history is stored from its first save, but every reader of it goes
through `procurement.selectors.bids.bids_readable_by`, so nothing of a bid (not even that
it changed) is listed before its deadline has passed and it stands submitted. An expression
of interest's history likewise goes through `expressions_readable_by`. The list
never shows a field's value, so no answer text is in it.

Nothing in the portal changes or deletes the trail: `AuditEvent` refuses updates and
deletes, the admin lists it read-only, and the history tables have no admin at all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast
from django.utils import timezone


class AuditKind(models.TextChoices):
    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    DELETED = "deleted", "Deleted"
    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGNED_OUT = "signed_out", "Signed out"
    REFUSED = "refused", "Refused (403)"
    BID_VIEWED = "bid_viewed", "Bid content viewed"
    DOWNLOADED = "downloaded", "File downloaded"
    EXPORTED = "exported", "Export downloaded"
    ROLE_ADDED = "role_added", "Role given"
    ROLE_REMOVED = "role_removed", "Role taken away"


HISTORY_KINDS = {"+": AuditKind.CREATED, "~": AuditKind.CHANGED, "-": AuditKind.DELETED}


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit trail cannot be changed")

    def delete(self):
        raise PermissionError("The audit trail cannot be deleted")


class AuditEvent(models.Model):
    """Something that happened that is not a model's save. Append-only."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    # No database constraint: the row stays, with its id, whatever becomes of the account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    kind = models.CharField(max_length=32, choices=AuditKind.choices, db_index=True)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=500, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.CharField(max_length=200, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        app_label = "core"
        ordering = ["-occurred_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit trail cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit trail cannot be deleted")


# --- Recording ------------------------------------------------------------------------------


def request_ip(request) -> str | None:
    """The client's address as the server saw it (REMOTE_ADDR; the proxy sets it)."""
    address = (request.META.get("REMOTE_ADDR") or "").strip() if request is not None else ""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_ipv46_address

    try:
        validate_ipv46_address(address)
    except ValidationError:
        return None
    return address


def audit_record(
    *,
    kind: str,
    request=None,
    user=None,
    object_type: str = "",
    object_id: str | int = "",
    detail: str = "",
) -> AuditEvent:
    """Append one event. `user` defaults to the request's signed-in person."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    return AuditEvent.objects.create(
        kind=kind,
        user=user,
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        path=(request.get_full_path()[:500] if request is not None else ""),
        ip=request_ip(request),
        detail=detail[:200],
    )


def _current_request():
    from simple_history.models import HistoricalRecords

    return getattr(HistoricalRecords.context, "request", None)


# --- Model history --------------------------------------------------------------------------

# (model label, options for simple_history.register). Reference data included.
HISTORY_MODELS: tuple[tuple[str, dict], ...] = (
    # People's accounts: not their name or email (anonymising must leave nothing behind).
    (
        "core.User",
        {
            "excluded_fields": [
                "password",
                "email",
                "full_name",
                "job_title",
                "last_login",
            ]
        },
    ),
    ("providers.Organisation", {}),
    ("providers.Membership", {}),
    ("providers.ComplianceDocument", {}),
    ("commissioning.Commission", {}),
    ("commissioning.Option", {}),
    ("commissioning.OptionScore", {}),
    ("commissioning.SuccessMeasure", {}),
    ("commissioning.Specification", {}),
    ("commissioning.SpecificationOutcome", {}),
    ("commissioning.SpecificationMeasure", {}),
    ("commissioning.MeasureTarget", {}),
    ("commissioning.Lot", {}),
    ("commissioning.ServiceCriterion", {}),
    ("commissioning.CommissioningPlan", {}),
    ("commissioning.Framework", {}),
    ("commissioning.Sector", {}),
    ("commissioning.CorporatePriority", {}),
    ("commissioning.CrossCuttingTheme", {}),
    ("commissioning.CommissioningPrinciple", {}),
    ("commissioning.CoreCriterion", {}),
    ("commissioning.CycleStage", {}),
    ("commissioning.CycleStep", {}),
    ("commissioning.GlossaryTerm", {}),
    ("commissioning.Area", {}),
    ("commissioning.FinancialProxy", {}),
    ("procurement.Opportunity", {}),
    ("procurement.Question", {}),
    ("procurement.Bid", {}),
    ("procurement.BidAnswer", {}),
    ("procurement.BidTarget", {}),
    ("procurement.BudgetLine", {}),
    ("procurement.ConsortiumPartner", {}),
    ("procurement.BidAttachment", {}),
    ("procurement.ScoreDescriptor", {}),
    ("procurement.PanelMember", {}),
    ("procurement.ConflictDeclaration", {}),
    ("procurement.Assignment", {}),
    ("procurement.Score", {}),
    ("procurement.ModeratedScore", {}),
    ("procurement.AwardDecision", {}),
    ("procurement.Agreement", {}),
    ("procurement.AgreementTarget", {}),
    ("procurement.PaymentInstalment", {}),
    ("procurement.Variation", {}),
    # The Procurement Act 2023's records, two-stage opportunities and eligibility.
    ("procurement.ProcurementNotice", {}),
    ("procurement.OfficerDeclaration", {}),
    ("procurement.ConflictsAssessment", {}),
    ("procurement.ExpressionStage", {}),
    ("procurement.ExpressionOfInterest", {}),
    ("procurement.ShortlistDeclaration", {}),
    ("procurement.EligibilityRequirement", {}),
    ("providers.PartnerProfile", {}),
    ("monitoring.MonitoringReturn", {}),
    ("monitoring.ReturnActual", {}),
    ("monitoring.ReturnReview", {}),
    ("monitoring.RagStatus", {}),
    ("monitoring.InstalmentPayment", {}),
    ("monitoring.PaymentHold", {}),
)

# Models whose rows are a bid's content, and the path from the row to its bid's id.
SEALED_BID_PATHS: dict[str, str] = {
    "procurement.bid": "id",
    "procurement.bidanswer": "bid_id",
    "procurement.bidtarget": "bid_id",
    "procurement.budgetline": "bid_id",
    "procurement.consortiumpartner": "bid_id",
    "procurement.bidattachment": "bid_id",
    "procurement.assignment": "bid_id",
    "procurement.score": "assignment__bid_id",
    "procurement.moderatedscore": "bid_id",
}

# Models whose rows are an expression of interest's content, and the path to its id.
SEALED_EXPRESSION_PATHS: dict[str, str] = {"procurement.expressionofinterest": "id"}


def history_register() -> None:
    """Give each model that matters its historical table (called from CoreConfig.ready)."""
    import simple_history
    from simple_history.exceptions import MultipleRegistrationsError

    for label, options in HISTORY_MODELS:
        model = apps.get_model(label)
        with contextlib.suppress(MultipleRegistrationsError):
            simple_history.register(model, **options)


def bulk_create_recorded(model, objects) -> list:
    """`model.objects.bulk_create(objects)` with a history row for each ("Created", by the
    request's person): bulk_create sends no signals, so simple-history would miss them."""
    from simple_history.utils import bulk_create_with_history

    request = _current_request()
    user = getattr(request, "user", None) if request is not None else None
    return bulk_create_with_history(
        list(objects),
        model,
        default_user=user if user is not None and user.is_authenticated else None,
    )


def history_models() -> list[tuple[str, type[models.Model]]]:
    """(the original model's label, its historical model) for each registered model."""
    found = []
    for label, _options in HISTORY_MODELS:
        model = apps.get_model(label)
        history = getattr(model, "history", None)
        if history is not None:
            found.append((model._meta.label_lower, history.model))
    return found


def object_type_choices() -> list[tuple[str, str]]:
    types = [
        (apps.get_model(label)._meta.label_lower, apps.get_model(label)._meta.verbose_name)
        for label, _options in HISTORY_MODELS
    ]
    types.append(("core.group", "role"))
    return sorted(types, key=lambda pair: str(pair[1]).lower())


def object_type_name(label: str) -> str:
    if not label:
        return ""
    if label == "core.group":
        return "Role"
    try:
        name = str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label
    return name[:1].upper() + name[1:]


# --- Signals: sign-ins, failures, sign-outs, roles -------------------------------------------


def _signed_in(sender, request, user, **kwargs):
    audit_record(kind=AuditKind.SIGNED_IN, request=request, user=user)


def _signed_out(sender, request, user, **kwargs):
    audit_record(
        kind=AuditKind.SIGNED_OUT,
        request=request,
        user=user if user is not None and user.is_authenticated else None,
    )


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    """A failed sign-in: the address it came from, not the password nor who it was for,
    so the trail enumerates no one; a known account is linked to it."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    identifier = str(credentials.get("email") or credentials.get("username") or "").strip()
    user = User.objects.filter(email__iexact=identifier).first() if identifier else None
    audit_record(
        kind=AuditKind.SIGN_IN_FAILED,
        request=request,
        user=None,
        object_type="core.user" if user is not None else "",
        object_id=user.pk if user is not None else "",
    )


def _roles_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if action != "pre_clear" and not pk_set:
        return
    from django.contrib.auth.models import Group

    request = _current_request()
    kind = AuditKind.ROLE_ADDED if action == "post_add" else AuditKind.ROLE_REMOVED
    if reverse:  # group.user_set.add(user, ...)
        pairs = [(user_pk, instance.pk) for user_pk in pk_set or ()]
        names = {instance.pk: instance.name}
    else:  # user.groups.add(group, ...)
        group_pks = (
            set(instance.groups.values_list("pk", flat=True)) if action == "pre_clear" else pk_set
        )
        pairs = [(instance.pk, group_pk) for group_pk in group_pks]
        names = dict(Group.objects.filter(pk__in=group_pks).values_list("pk", "name"))
    for user_pk, group_pk in pairs:
        actor = getattr(request, "user", None) if request is not None else None
        audit_record(
            kind=kind,
            request=request,
            user=actor if actor is not None and actor.is_authenticated else None,
            object_type="core.user",
            object_id=user_pk,
            detail=names.get(group_pk, "")[:200],
        )


def signals_connect() -> None:
    from django.contrib.auth import get_user_model, user_logged_in, user_logged_out
    from django.contrib.auth.signals import user_login_failed
    from django.db.models.signals import m2m_changed

    user_logged_in.connect(_signed_in, dispatch_uid="audit_signed_in")
    user_logged_out.connect(_signed_out, dispatch_uid="audit_signed_out")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="audit_sign_in_failed")
    m2m_changed.connect(
        _roles_changed,
        sender=get_user_model().groups.through,
        dispatch_uid="audit_roles_changed",
    )


# --- Requests: refusals, bid content, downloads, exports --------------------------------------

# URL name → (kind, object type of its `pk`, only when council staff ask).
WATCHED_VIEWS: dict[str, tuple[str, str, bool]] = {
    "procurement:bid_detail": (AuditKind.BID_VIEWED, "procurement.bid", True),
    "procurement:bid_receipt": (AuditKind.BID_VIEWED, "procurement.bid", True),
    "procurement:moderate_bid": (AuditKind.BID_VIEWED, "procurement.bid", True),
    "procurement:assignment_score": (AuditKind.BID_VIEWED, "procurement.assignment", True),
    "procurement:bid_attachment": (AuditKind.DOWNLOADED, "procurement.bid", False),
    "monitoring:return_evidence_file": (
        AuditKind.DOWNLOADED,
        "monitoring.monitoringreturn",
        False,
    ),
    "compliance_document": (AuditKind.DOWNLOADED, "providers.organisation", False),
    "engagement:evidence_file": (AuditKind.DOWNLOADED, "engagement.evidenceitem", False),
    "procurement:staff_bids_export": (AuditKind.EXPORTED, "procurement.opportunity", False),
    "monitoring:portfolio_csv": (AuditKind.EXPORTED, "", False),
    "procurement:opportunity_csv": (AuditKind.EXPORTED, "", False),
    "procurement:decision_csv": (AuditKind.EXPORTED, "", False),
    "procurement:open_data_360giving_json": (AuditKind.EXPORTED, "", False),
    "procurement:open_data_360giving_csv": (AuditKind.EXPORTED, "", False),
    "procurement:open_data_360giving_xlsx": (AuditKind.EXPORTED, "", False),
    "procurement:open_data_grants_register": (AuditKind.EXPORTED, "", False),
    "procurement:open_data_contracts_register": (AuditKind.EXPORTED, "", False),
    "procurement:agreement_pdf": (AuditKind.DOWNLOADED, "procurement.agreement", False),
}


class AuditMiddleware:
    """Appends an event for each refusal (403) and each successful view of bid content by
    staff, download or export. Goes after the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        try:
            self._record(request, response)
        except Exception:  # noqa: BLE001  the trail must never turn a page into a 500
            import logging

            logging.getLogger(__name__).exception("Could not record an audit event")
        return response

    def _record(self, request, response) -> None:
        match = getattr(request, "resolver_match", None)
        if response.status_code == 403:
            audit_record(kind=AuditKind.REFUSED, request=request)
            return
        if match is None or response.status_code != 200:
            return
        watched = WATCHED_VIEWS.get(match.view_name)
        if watched is None:
            return
        kind, object_type, staff_only = watched
        user = getattr(request, "user", None)
        if staff_only:
            if user is None or not user.is_authenticated:
                return
            if not user.has_perm("core.view_staff_area"):
                return
        audit_record(
            kind=kind,
            request=request,
            object_type=object_type,
            object_id=match.kwargs.get("pk", "") if object_type else "",
        )


# --- Reading: one list of history rows and events -------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    person: str = ""  # part of an email address
    object_type: str = ""
    object_id: str = ""
    kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


COLUMNS = ("e_at", "e_user", "e_kind", "e_type", "e_id", "e_path", "e_ip", "e_detail")


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _history_part(label: str, history_model, *, viewer, filters: AuditFilters):
    from procurement.selectors.bids import bids_readable_by

    rows = history_model.objects.all()
    if label in SEALED_BID_PATHS:
        # Sealed bids: only what the viewer may read, and so nothing before the deadline.
        rows = rows.filter(
            **{f"{SEALED_BID_PATHS[label]}__in": bids_readable_by(user=viewer).values("pk")}
        )
    elif label in SEALED_EXPRESSION_PATHS:
        # Sealed expressions of interest likewise, until the expressions' deadline.
        from procurement.selectors.expressions import expressions_readable_by

        rows = rows.filter(
            **{
                f"{SEALED_EXPRESSION_PATHS[label]}__in": expressions_readable_by(
                    user=viewer
                ).values("pk")
            }
        )
    if filters.person:
        rows = rows.filter(history_user__email__icontains=filters.person)
    if filters.object_id:
        rows = rows.filter(id=filters.object_id)
    if filters.kind:
        codes = [code for code, kind in HISTORY_KINDS.items() if kind == filters.kind]
        rows = rows.filter(history_type__in=codes)
    if filters.date_from:
        rows = rows.filter(history_date__gte=_day_start(filters.date_from))
    if filters.date_to:
        rows = rows.filter(history_date__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    return (
        rows.annotate(
            e_at=F("history_date"),
            e_user=F("history_user_id"),
            e_kind=F("history_type"),
            e_type=Value(label, output_field=CharField()),
            e_id=Cast("id", output_field=CharField()),
            e_path=Value("", output_field=CharField()),
            e_ip=Value("", output_field=CharField()),
            e_detail=Value("", output_field=CharField()),
        )
        .order_by()
        .values_list(*COLUMNS)
    )


def _events_part(filters: AuditFilters):
    rows = AuditEvent.objects.all()
    if filters.person:
        from django.contrib.auth import get_user_model

        rows = rows.filter(
            user_id__in=get_user_model()
            .objects.filter(email__icontains=filters.person)
            .values("pk")
        )
    if filters.object_type:
        rows = rows.filter(object_type=filters.object_type)
    if filters.object_id:
        rows = rows.filter(object_id=filters.object_id)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.date_from:
        rows = rows.filter(occurred_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        rows = rows.filter(occurred_at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    return (
        rows.annotate(
            e_at=F("occurred_at"),
            e_user=F("user_id"),
            e_kind=F("kind"),
            e_type=F("object_type"),
            e_id=F("object_id"),
            e_path=F("path"),
            e_ip=Cast("ip", output_field=CharField()),
            e_detail=F("detail"),
        )
        .order_by()
        .values_list(*COLUMNS)
    )


def audit_entries(*, viewer, filters: AuditFilters):
    """The trail, newest first, as one UNION query of tuples (see COLUMNS): pages of it cost
    the same whatever its length. Sealed bids' rows are left out by `bids_readable_by`."""
    history_kinds = {str(kind) for kind in HISTORY_KINDS.values()}
    parts = []
    if not filters.kind or filters.kind in history_kinds:
        for label, history_model in history_models():
            if filters.object_type and filters.object_type != label:
                continue
            parts.append(_history_part(label, history_model, viewer=viewer, filters=filters))
    if not filters.kind or filters.kind not in history_kinds:
        parts.append(_events_part(filters))
    first, *rest = parts
    if rest:
        return first.union(*rest, all=True).order_by("-e_at")
    return first.order_by("-e_at")


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    user: object
    user_id: int | None
    kind: str
    kind_label: str
    object_type: str
    object_type_name: str
    object_id: str
    path: str
    ip: str
    detail: str


def audit_entries_described(rows) -> list[AuditEntry]:
    """Tuples from `audit_entries` as entries to show, with their people (one query)."""
    from django.contrib.auth import get_user_model

    rows = list(rows)
    user_ids = {row[1] for row in rows if row[1] is not None}
    users = get_user_model().objects.in_bulk(user_ids) if user_ids else {}
    labels = dict(AuditKind.choices)
    entries = []
    for at, user_id, kind, object_type, object_id, path, ip, detail in rows:
        kind = str(HISTORY_KINDS.get(kind, kind))
        entries.append(
            AuditEntry(
                at=at,
                user=users.get(user_id),
                user_id=user_id,
                kind=kind,
                kind_label=str(labels.get(kind, kind)),
                object_type=object_type or "",
                object_type_name=object_type_name(object_type or ""),
                object_id=object_id or "",
                path=path or "",
                ip=ip or "",
                detail=detail or "",
            )
        )
    return entries


def _permissions_add() -> None:
    import rules

    from core.rules import is_administrator

    # Only administrators read the trail; no one writes to it through the portal.
    rules.add_perm("core.view_audit_trail", is_administrator)


_permissions_add()
