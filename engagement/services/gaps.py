"""Writes to a commission's gap analysis."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from commissioning.models import Area, Commission, CorporatePriority
from core.models import User
from engagement.models import EvidenceItem, Gap


def _check_belongs_to_commission(
    *,
    commission: Commission,
    priority: CorporatePriority,
    area: Area | None,
    evidence: Iterable[EvidenceItem],
) -> None:
    """A gap is about one of the commission's priorities, in one of its areas (or the whole
    district), and cites only evidence linked to the commission."""
    errors = {}
    if not commission.priorities.filter(pk=priority.pk).exists():
        errors["priority"] = "Select one of the commission's Corporate Priorities"
    if area is not None and not commission.areas.filter(pk=area.pk).exists():
        errors["area"] = "Select one of the commission's areas, or the whole district"
    evidence_ids = {item.pk for item in evidence}
    if evidence_ids and (
        commission.evidence_items.filter(pk__in=evidence_ids).count() != len(evidence_ids)
    ):
        errors["evidence"] = "Select evidence linked to this commission"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def gap_record(
    *,
    commission: Commission,
    recorded_by: User,
    priority: CorporatePriority,
    area: Area | None,
    need: str,
    current_provision: str,
    gap: str,
    opportunity: str,
    severity: str,
    evidence: Iterable[EvidenceItem] = (),
) -> Gap:
    """Record a gap between need and existing provision in the commission's gap analysis.

    Once a commission has a gap (and linked evidence) it may move to planning.
    """
    evidence = list(evidence)
    _check_belongs_to_commission(
        commission=commission, priority=priority, area=area, evidence=evidence
    )
    recorded = Gap(
        commission=commission,
        priority=priority,
        area=area,
        need=need,
        current_provision=current_provision,
        gap=gap,
        opportunity=opportunity,
        severity=severity,
        recorded_by=recorded_by,
    )
    recorded.full_clean()
    recorded.save()
    recorded.evidence.set(evidence)
    return recorded


@transaction.atomic
def gap_update(
    *,
    recorded_gap: Gap,
    priority: CorporatePriority,
    area: Area | None,
    need: str,
    current_provision: str,
    gap: str,
    opportunity: str,
    severity: str,
    evidence: Iterable[EvidenceItem] = (),
) -> Gap:
    """Change a recorded gap."""
    evidence = list(evidence)
    _check_belongs_to_commission(
        commission=recorded_gap.commission, priority=priority, area=area, evidence=evidence
    )
    recorded_gap.priority = priority
    recorded_gap.area = area
    recorded_gap.need = need
    recorded_gap.current_provision = current_provision
    recorded_gap.gap = gap
    recorded_gap.opportunity = opportunity
    recorded_gap.severity = severity
    # The person who recorded it may since have left: that does not stop a change.
    recorded_gap.full_clean(exclude=["recorded_by"])
    recorded_gap.save()
    recorded_gap.evidence.set(evidence)
    return recorded_gap
