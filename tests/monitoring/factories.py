"""Set-up for the monitoring tests: an accepted agreement in delivery whose dates and
frequency a test chooses (relative to the fixed clock), with its returns made from them,
and returns put straight into any state."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from monitoring.models import (
    SENT_STATES,
    MonitoringReturn,
    ReturnActual,
    ReturnState,
    ReturnSubmission,
)
from monitoring.selectors import return_snapshot
from procurement.models import Agreement, AgreementState, PaymentInstalment
from procurement.services.agreements import (
    monitoring_schedule_generate,
    months_add,
    payment_schedule_default,
)
from tests.procurement.factories_agreements import Made, agreement_made, org_member


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def agreement_in_delivery(
    *, starts_on: dt.date | None = None, months: int = 12, frequency: str = "quarterly"
) -> Made:
    """An accepted agreement (£30,000, targets of 100, 200 and 300 people supported in
    years 1 to 3) running `months` from `starts_on` (by default the first of the month,
    a year before today), paid quarterly in advance, with its monitoring returns."""
    made = agreement_made(state=AgreementState.ACCEPTED)
    agreement = made.agreement
    if starts_on is None:
        starts_on = months_add(first_of_month(timezone.localdate()), -12)
    ends_on = months_add(starts_on, months) - dt.timedelta(days=1)
    Agreement.objects.filter(pk=agreement.pk).update(
        starts_on=starts_on, ends_on=ends_on, monitoring_frequency=frequency
    )
    agreement.refresh_from_db()
    agreement.payments.all().delete()
    PaymentInstalment.objects.bulk_create(
        PaymentInstalment(agreement=agreement, due_on=due, amount=amount, description=text)
        for due, amount, text in payment_schedule_default(
            amount=agreement.amount, starts_on=starts_on, ends_on=ends_on
        )
    )
    monitoring_schedule_generate(agreement=agreement)
    return made


def provider_member(made: Made):
    """A plain member of the agreement's organisation."""
    return org_member(made.organisation)


def return_put(monitoring_return: MonitoringReturn, state: str, **fields) -> MonitoringReturn:
    """Put a return straight into `state` (test set-up only: bypasses protected=True). A
    return put among those sent has its first version kept, as submitting would."""
    monitoring_return.__dict__["state"] = state
    for name, value in fields.items():
        setattr(monitoring_return, name, value)
    if state in SENT_STATES and monitoring_return.submitted_at is None:
        monitoring_return.submitted_at = timezone.now()
    monitoring_return.save()
    if state in SENT_STATES and not monitoring_return.submissions.exists():
        ReturnSubmission.objects.create(
            monitoring_return=monitoring_return,
            number=1,
            submitted_at=monitoring_return.submitted_at,
            content=return_snapshot(monitoring_return=monitoring_return),
        )
    return monitoring_return


def return_filled(monitoring_return: MonitoringReturn, *, actual: Decimal = Decimal("20")):
    """A return with everything a submission needs, as a draft."""
    for target in monitoring_return.targets_for_period():
        ReturnActual.objects.update_or_create(
            monitoring_return=monitoring_return, target=target, defaults={"value": actual}
        )
    return return_put(
        monitoring_return,
        ReturnState.DRAFT,
        outcomes_narrative="Twenty older people joined the lunch club.",
        spend_in_period=Decimal("2000"),
        risks="None this quarter.",
    )
