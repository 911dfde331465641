"""Reads for agreements: their terms (live, or as kept in a version), the lists each kind of
person sees, what stops an agreement being sent, and a variation set against the terms it
would change.

Nothing here checks who is asking: the views check `procurement.view_agreement` first.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet

from core.models import User
from core.roles import Role
from core.transitions import Action, transition_actions_for
from procurement.models import (
    Agreement,
    AgreementState,
    AgreementVersion,
    Variation,
    VariationState,
)

# --- Terms --------------------------------------------------------------------------------------


def _decimal(value: Decimal | None) -> str | None:
    """Pounds and pence (and targets) always with two decimal places: "30000.00"."""
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def agreement_terms(*, agreement: Agreement) -> dict:
    """The agreement's terms as JSON: kept in each AgreementVersion and never changed."""
    organisation = agreement.organisation
    return {
        "reference": agreement.reference,
        "version": agreement.version,
        "kind": agreement.kind,
        "kind_display": agreement.get_kind_display(),
        "organisation": {"name": organisation.name, "org_id": organisation.org_id},
        "purpose": agreement.purpose,
        "amount": _decimal(agreement.amount),
        "starts_on": agreement.starts_on.isoformat(),
        "ends_on": agreement.ends_on.isoformat(),
        "monitoring_frequency": agreement.monitoring_frequency,
        "monitoring_frequency_display": agreement.get_monitoring_frequency_display(),
        "communications": agreement.communications,
        "special_conditions": agreement.special_conditions,
        "targets": [
            {
                "id": target.pk,
                "outcome": target.outcome,
                "measure": target.measure,
                "unit": target.unit,
                "year": target.year,
                "target": _decimal(target.target),
            }
            for target in agreement.targets.all()
        ],
        "payments": [
            {
                "due_on": payment.due_on.isoformat(),
                "amount": _decimal(payment.amount),
                "description": payment.description,
            }
            for payment in agreement.payments.all()
        ],
        "returns_due": [
            {
                "period_start": row.period_start.isoformat(),
                "period_end": row.period_end.isoformat(),
                "due_on": row.due_on.isoformat(),
            }
            for row in agreement.monitoring_returns.all()
        ],
    }


@dataclass(frozen=True)
class TargetCell:
    year: int
    target: Decimal | None
    target_id: int | None


@dataclass(frozen=True)
class TargetRow:
    """One success measure with its target in each year of the agreement."""

    outcome: str
    measure: str
    unit: str
    cells: list[TargetCell]


@dataclass(frozen=True)
class PaymentLine:
    due_on: datetime.date
    amount: Decimal
    description: str


@dataclass(frozen=True)
class ReturnLine:
    period_start: datetime.date
    period_end: datetime.date
    due_on: datetime.date


@dataclass(frozen=True)
class Terms:
    """An agreement's terms ready for a page or the PDF, from live records or a version."""

    reference: str
    version: int | None
    kind_display: str
    organisation_name: str
    organisation_org_id: str
    purpose: str
    amount: Decimal
    starts_on: datetime.date
    ends_on: datetime.date
    monitoring_frequency_display: str
    communications: str
    special_conditions: str
    years: list[int]
    target_rows: list[TargetRow]
    outcomes: list[str]
    payments: list[PaymentLine]
    returns: list[ReturnLine]

    @property
    def payments_total(self) -> Decimal:
        return sum((line.amount for line in self.payments), start=Decimal(0))


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def target_rows(targets: list[dict]) -> tuple[list[int], list[TargetRow]]:
    """The years, and one row per success measure with a cell for each year."""
    years = sorted({int(t["year"]) for t in targets})
    grouped: dict[tuple[str, str, str], dict[int, dict]] = {}
    for target in targets:
        key = (target.get("outcome", ""), target["measure"], target["unit"])
        grouped.setdefault(key, {})[int(target["year"])] = target
    rows = []
    for (outcome, measure, unit), by_year in grouped.items():
        cells = []
        for year in years:
            found = by_year.get(year)
            cells.append(
                TargetCell(
                    year=year,
                    target=Decimal(found["target"]) if found else None,
                    target_id=found.get("id") if found else None,
                )
            )
        rows.append(TargetRow(outcome=outcome, measure=measure, unit=unit, cells=cells))
    return years, rows


def terms_from_json(terms: dict) -> Terms:
    """The terms kept as JSON (`agreement_terms`), typed for showing."""
    years, rows = target_rows(terms.get("targets", []))
    outcomes = []
    for row in rows:
        if row.outcome and row.outcome not in outcomes:
            outcomes.append(row.outcome)
    return Terms(
        reference=terms["reference"],
        version=terms.get("version"),
        kind_display=terms.get("kind_display", ""),
        organisation_name=terms["organisation"]["name"],
        organisation_org_id=terms["organisation"].get("org_id", ""),
        purpose=terms.get("purpose", ""),
        amount=Decimal(terms["amount"]),
        starts_on=_date(terms["starts_on"]),
        ends_on=_date(terms["ends_on"]),
        monitoring_frequency_display=terms.get("monitoring_frequency_display", ""),
        communications=terms.get("communications", ""),
        special_conditions=terms.get("special_conditions", ""),
        years=years,
        target_rows=rows,
        outcomes=outcomes,
        payments=[
            PaymentLine(
                due_on=_date(p["due_on"]),
                amount=Decimal(p["amount"]),
                description=p.get("description", ""),
            )
            for p in terms.get("payments", [])
        ],
        returns=[
            ReturnLine(
                period_start=_date(r["period_start"]),
                period_end=_date(r["period_end"]),
                due_on=_date(r["due_on"]),
            )
            for r in terms.get("returns_due", [])
        ],
    )


def agreement_terms_now(*, agreement: Agreement) -> Terms:
    """The agreement's terms as they stand."""
    return terms_from_json(agreement_terms(agreement=agreement))


# --- One agreement ------------------------------------------------------------------------------


def agreement_get(*, pk: int) -> Agreement:
    """The agreement with everything its pages show about the award. DoesNotExist if none."""
    return Agreement.objects.select_related(
        "decision__bid__organisation",
        "decision__bid__opportunity__specification__commission__lead_officer",
        "issued_by",
        "accepted_by",
    ).get(pk=pk)


def agreement_actions_for(*, agreement: Agreement, user: User) -> list[Action]:
    """The lifecycle buttons for this person now (accepting has its own page)."""
    return transition_actions_for(instance=agreement, user=user)


def agreement_payments_outside(*, agreement: Agreement) -> int:
    """How many payments are dated outside the agreement's period."""
    return agreement.payments.filter(
        Q(due_on__lt=agreement.starts_on) | Q(due_on__gt=agreement.ends_on)
    ).count()


def agreement_versions(*, agreement: Agreement) -> QuerySet[AgreementVersion]:
    return agreement.versions.select_related("created_by", "variation").order_by("number")


def agreement_variations(*, agreement: Agreement) -> QuerySet[Variation]:
    return agreement.variations.select_related("proposed_by", "decided_by").order_by("-number")


def agreement_open_variation(*, agreement: Agreement) -> Variation | None:
    """The variation waiting for a decision, if there is one (only one at a time)."""
    return agreement.variations.filter(state=VariationState.PROPOSED).first()


def organisation_admins(*, agreement: Agreement) -> list[User]:
    """The admins of the provider organisation: they may accept the agreement."""
    memberships = agreement.organisation.memberships.filter(role="admin").select_related("user")
    return [membership.user for membership in memberships]


# --- Lists --------------------------------------------------------------------------------------


def _with_award(queryset: QuerySet[Agreement]) -> QuerySet[Agreement]:
    waiting = Variation.objects.filter(agreement=OuterRef("pk"), state=VariationState.PROPOSED)
    return queryset.select_related(
        "decision__bid__organisation", "decision__bid__opportunity"
    ).annotate(has_open_variation=Exists(waiting))


def agreements_staff_list(*, state: str = "", query: str = "") -> QuerySet[Agreement]:
    """Every agreement, for council staff: by state, and by reference or organisation."""
    agreements = _with_award(Agreement.objects.all())
    if state:
        agreements = agreements.filter(state=state)
    query = query.strip()
    if query:
        agreements = agreements.filter(
            Q(reference__icontains=query)
            | Q(decision__bid__organisation__name__icontains=query)
            | Q(decision__bid__organisation__org_id__icontains=query)
        )
    return agreements.order_by("-created_at", "-pk")


def agreements_for_user(*, user: User) -> QuerySet[Agreement]:
    """The agreements of the person's organisations, once sent to them (never drafts)."""
    agreements = Agreement.objects.exclude(state=AgreementState.DRAFT).filter(
        decision__bid__organisation__memberships__user=user
    )
    return _with_award(agreements).order_by("-issued_at", "-pk")


def approvers() -> QuerySet[User]:
    """Everyone who may decide variations: the users in the Approver group."""
    return User.objects.filter(groups__name=Role.APPROVER.value, is_active=True).order_by("pk")


# --- Variations ---------------------------------------------------------------------------------


def variation_get(*, agreement: Agreement, number: int) -> Variation:
    """DoesNotExist when the agreement has no variation with that number."""
    return agreement.variations.select_related("proposed_by", "decided_by").get(number=number)


def variation_actions_for(*, variation: Variation, user: User) -> list[Action]:
    return transition_actions_for(instance=variation, user=user)


@dataclass(frozen=True)
class TargetChange:
    measure: str
    unit: str
    year: int
    before: Decimal | None
    after: Decimal | None

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class Comparison:
    """A variation set beside the terms it changes."""

    before_label: str
    after_label: str
    before: Terms
    ends_on: datetime.date
    amount: Decimal
    payments: list[PaymentLine]
    targets: list[TargetChange]
    version_made: AgreementVersion | None = None  # once approved: the version it made

    @property
    def ends_on_changed(self) -> bool:
        return self.ends_on != self.before.ends_on

    @property
    def amount_changed(self) -> bool:
        return self.amount != self.before.amount

    @property
    def payments_changed(self) -> bool:
        return [(p.due_on, p.amount) for p in self.payments] != [
            (p.due_on, p.amount) for p in self.before.payments
        ]

    @property
    def payments_total(self) -> Decimal:
        return sum((line.amount for line in self.payments), start=Decimal(0))

    @property
    def payment_columns(self) -> list[tuple[str, list[PaymentLine], Decimal]]:
        """The payments before and after, for showing side by side."""
        return [
            (self.before_label, self.before.payments, self.before.payments_total),
            (self.after_label, self.payments, self.payments_total),
        ]


def variation_changes_payments(changes: dict) -> list[PaymentLine]:
    return [
        PaymentLine(
            due_on=_date(p["due_on"]), amount=Decimal(p["amount"]), description=p["description"]
        )
        for p in changes.get("payments", [])
    ]


def variation_comparison(*, variation: Variation) -> Comparison:
    """What the variation changes. Once approved, it is set beside the version before it;
    otherwise beside the agreement as it stands now."""
    agreement = variation.agreement
    made = AgreementVersion.objects.filter(variation=variation).first()
    before = None
    if made is not None:
        before = agreement.versions.filter(number=made.number - 1).first()
    if before is not None:
        terms = terms_from_json(before.terms)
        labels = (f"Version {before.number}", f"Version {made.number}")
    else:
        terms = agreement_terms_now(agreement=agreement)
        labels = (f"Now (version {agreement.version})", "Proposed")
    changes = variation.changes
    proposed_targets = {str(k): Decimal(v) for k, v in changes.get("targets", {}).items()}
    targets = []
    for row in terms.target_rows:
        for cell in row.cells:
            if cell.target_id is None:
                continue
            targets.append(
                TargetChange(
                    measure=row.measure,
                    unit=row.unit,
                    year=cell.year,
                    before=cell.target,
                    after=proposed_targets.get(str(cell.target_id), cell.target),
                )
            )
    return Comparison(
        before_label=labels[0],
        after_label=labels[1],
        before=terms,
        ends_on=_date(changes["ends_on"]),
        amount=Decimal(changes["amount"]),
        payments=variation_changes_payments(changes),
        targets=targets,
        version_made=made,
    )
