"""Reads for the officers' report of payments made late: paid more than 30 days after the
council received the invoice (the payment terms the Procurement Act 2023, s.68, implies
into public contracts, and that the council keeps for its grants too)."""

import datetime as dt

from django.db.models import DateField, ExpressionWrapper, F, QuerySet

from monitoring.models import PAYMENT_TERMS_DAYS, InstalmentPayment


def payments_late() -> QuerySet[InstalmentPayment]:
    """Payments paid after the end of their payment terms, latest paid first, with their
    agreement and organisation (one query however many)."""
    pay_by = ExpressionWrapper(
        F("invoice_received_on") + dt.timedelta(days=PAYMENT_TERMS_DAYS),
        output_field=DateField(),
    )
    return (
        InstalmentPayment.objects.filter(invoice_received_on__isnull=False)
        .alias(terms_end=pay_by)
        .filter(paid_on__gt=F("terms_end"))
        .select_related("agreement__decision__bid__organisation")
        .order_by("-paid_on", "pk")
    )


def payments_late_csv_rows(*, payments) -> list[list]:
    rows = []
    for payment in payments:
        agreement = payment.agreement
        rows.append(
            [
                agreement.reference,
                agreement.decision.bid.organisation.name,
                agreement.get_kind_display(),
                payment.amount,
                payment.invoice_received_on.isoformat(),
                payment.pay_by.isoformat(),
                payment.paid_on.isoformat(),
                payment.days_late,
            ]
        )
    return rows


CSV_HEADER = [
    "Agreement",
    "Organisation",
    "Type",
    "Amount paid",
    "Invoice received",
    "Pay by (30 days)",
    "Paid",
    "Days late",
]
