"""Set-up for the SROI tests: the worked example of tests/monitoring/test_sroi.py (an
agreement of £10,000 whose accepted returns report 12 people helped into work and 437.5
volunteer hours, each valued by a test proxy; "People supported" left without one)."""

from decimal import Decimal

from commissioning.models import (
    FinancialProxy,
    SpecificationMeasure,
    SuccessMeasure,
    SuccessMeasureProxy,
)
from monitoring.models import ReturnActual, ReturnState
from procurement.models import Agreement, AgreementTarget
from tests.monitoring.factories import agreement_in_delivery, return_put

INTO_WORK = "People helped into work, training or volunteering"
VOLUNTEER_HOURS = "Volunteer hours given"


def proxy_for(measure_name: str, **values) -> FinancialProxy:
    """A (non-illustrative) proxy of `values`, made the one that values the measure."""
    proxy = FinancialProxy.objects.create(
        source="Test figures", year=2026, illustrative=False, **values
    )
    SuccessMeasureProxy.objects.update_or_create(
        measure=SuccessMeasure.objects.get(name=measure_name), defaults={"proxy": proxy}
    )
    return proxy


def target_for(agreement: Agreement, measure_name: str, unit: str) -> AgreementTarget:
    specification = agreement.decision.bid.opportunity.specification
    chosen, _ = SpecificationMeasure.objects.get_or_create(
        specification=specification, measure=SuccessMeasure.objects.get(name=measure_name)
    )
    return AgreementTarget.objects.create(
        agreement=agreement,
        measure=measure_name,
        unit=unit,
        year=1,
        target=Decimal("100"),
        specification_measure=chosen,
    )


def sroi_worked_example() -> Agreement:
    """The worked example of tests/monitoring/test_sroi.py's docstring."""
    made = agreement_in_delivery(months=12)
    Agreement.objects.filter(pk=made.agreement.pk).update(amount=Decimal("10000"))
    agreement = Agreement.objects.get(pk=made.agreement.pk)
    SuccessMeasureProxy.objects.filter(measure__name="People supported").delete()
    into_work = target_for(agreement, INTO_WORK, "people")
    hours = target_for(agreement, VOLUNTEER_HOURS, "hours")
    proxy_for(
        INTO_WORK,
        name="Test: person into work",
        unit="person",
        value=Decimal("3000.00"),
        deadweight=Decimal("30"),
        attribution=Decimal("20"),
        displacement=Decimal("10"),
        duration_years=3,
        drop_off=Decimal("30"),
    )
    proxy_for(
        VOLUNTEER_HOURS,
        name="Test: volunteer hour",
        unit="hour",
        value=Decimal("12.35"),
        deadweight=Decimal("10"),
        attribution=Decimal("25"),
        displacement=Decimal("5"),
        duration_years=3,
        drop_off=Decimal("50"),
    )
    returns = list(agreement.monitoring_returns.order_by("period_start"))
    for monitoring_return, people, volunteer_hours, state in (
        (returns[0], "5", "200.25", ReturnState.ACCEPTED),
        (returns[1], "7", "237.25", ReturnState.ACCEPTED),
        (returns[2], "4", "50", ReturnState.SUBMITTED),
        (returns[3], "9", None, ReturnState.DRAFT),
    ):
        ReturnActual.objects.create(
            monitoring_return=monitoring_return, target=into_work, value=Decimal(people)
        )
        if volunteer_hours is not None:
            ReturnActual.objects.create(
                monitoring_return=monitoring_return, target=hours, value=Decimal(volunteer_hours)
            )
        return_put(monitoring_return, state)
    return agreement


def measure_key(name: str) -> str:
    """The outcome's key in the SROI form and snapshot: measure-<SuccessMeasure pk>."""
    return f"measure-{SuccessMeasure.objects.get(name=name).pk}"
