"""Set-up for the evaluation tests: a commission with an agreement in delivery whose
returns a test puts into any state, and a completed evaluation."""

from decimal import Decimal

from commissioning.models import Commission, CorporatePriority
from monitoring import evaluation_services as services
from monitoring.models import ReturnActual, ReturnState
from tests.monitoring.factories import agreement_in_delivery, return_filled, return_put


def commission_put(commission: Commission, state: str) -> Commission:
    """Put the commission straight into `state` (test set-up only)."""
    commission.__dict__["state"] = state
    commission.save()
    return Commission.objects.get(pk=commission.pk)


def delivered(*, accepted_actual=Decimal("20"), submitted_actual=Decimal("30")):
    """An agreement a year into delivery: its first return accepted (`accepted_actual` for
    each target, £2,000 spent), its second submitted but not accepted."""
    made = agreement_in_delivery(months=12)
    first, second, *_ = list(made.agreement.monitoring_returns.order_by("due_on"))
    return_put(return_filled(first, actual=accepted_actual), ReturnState.ACCEPTED)
    return_put(return_filled(second, actual=submitted_actual), ReturnState.SUBMITTED)
    return made


def priority() -> CorporatePriority:
    return CorporatePriority.objects.get(slug="health-and-well-being")


def evaluation_completed(commission: Commission, *, user, lesson="Weekend sessions filled first"):
    """The commission's evaluation with one lesson, completed."""
    services.lesson_add(
        user=user, commission=commission, text=lesson, priority=priority(), area=None, theme=None
    )
    return services.commission_evaluation_save(
        commission=commission,
        user=user,
        impact_summary="Older people less isolated at weekends",
        recommendation="recommission",
        complete=True,
    )


__all__ = ["ReturnActual"]
