"""Writes to the map of existing service provision."""

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from commissioning.models import Area, CorporatePriority
from core.models import User
from engagement.models import Rating, ServiceProvision
from providers.models import Organisation


def _apply(
    service: ServiceProvision,
    *,
    service_name: str,
    description: str,
    organisation: Organisation | None,
    provider_name: str,
    priority: CorporatePriority,
    funding_source: str,
    annual_value: Decimal | None,
    quality: int,
    impact: int,
    status: str,
    notes: str,
) -> None:
    service.service = service_name
    service.description = description
    service.organisation = organisation
    # A registered organisation is named by its record; the free text is for the others.
    service.provider_name = "" if organisation is not None else provider_name
    service.priority = priority
    service.funding_source = funding_source
    service.annual_value = annual_value
    service.quality = quality
    service.impact = impact
    service.status = status
    service.notes = notes


@transaction.atomic
def provision_create(
    *,
    recorded_by: User,
    service: str,
    priority: CorporatePriority,
    areas: Iterable[Area],
    organisation: Organisation | None = None,
    provider_name: str = "",
    description: str = "",
    funding_source: str = "",
    annual_value: Decimal | None = None,
    quality: int = Rating.UNKNOWN,
    impact: int = Rating.UNKNOWN,
    status: str = ServiceProvision.Status.ACTIVE,
    notes: str = "",
) -> ServiceProvision:
    """Add a service to the map of existing provision, provided by a registered
    organisation or by a provider named in free text."""
    provision = ServiceProvision(recorded_by=recorded_by)
    _apply(
        provision,
        service_name=service,
        description=description,
        organisation=organisation,
        provider_name=provider_name,
        priority=priority,
        funding_source=funding_source,
        annual_value=annual_value,
        quality=quality,
        impact=impact,
        status=status,
        notes=notes,
    )
    provision.full_clean()
    provision.save()
    provision.areas.set(areas)
    return provision


@transaction.atomic
def provision_update(
    *,
    provision: ServiceProvision,
    service: str,
    priority: CorporatePriority,
    areas: Iterable[Area],
    organisation: Organisation | None = None,
    provider_name: str = "",
    description: str = "",
    funding_source: str = "",
    annual_value: Decimal | None = None,
    quality: int = Rating.UNKNOWN,
    impact: int = Rating.UNKNOWN,
    status: str = ServiceProvision.Status.ACTIVE,
    notes: str = "",
) -> ServiceProvision:
    """Change an existing service: its provider, reach, funding, quality, impact or status."""
    _apply(
        provision,
        service_name=service,
        description=description,
        organisation=organisation,
        provider_name=provider_name,
        priority=priority,
        funding_source=funding_source,
        annual_value=annual_value,
        quality=quality,
        impact=impact,
        status=status,
        notes=notes,
    )
    # The person who recorded it may since have left: that does not stop a change.
    provision.full_clean(exclude=["recorded_by"])
    provision.save()
    provision.areas.set(areas)
    return provision
