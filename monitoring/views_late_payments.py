"""The officers' report of payments made late (/staff/payments/late/), and as a CSV file.
Officers, approvers and administrators (they read monitoring); anyone else signed in gets
403."""

from django.views.generic import ListView, View

from core.csv_export import csv_response
from monitoring import late_payments
from monitoring.views_dashboards import ReadsMonitoringMixin


class LatePaymentsView(ReadsMonitoringMixin, ListView):
    """Each payment made after its 30-day terms: the agreement, the organisation, when the
    invoice was received, when it should have been paid, when it was and how late."""

    template_name = "monitoring/late_payments.html"
    context_object_name = "payments"
    paginate_by = 50

    def get_queryset(self):
        return late_payments.payments_late()


class LatePaymentsCsvView(ReadsMonitoringMixin, View):
    def get(self, request, *args, **kwargs):
        return csv_response(
            filename="late-payments.csv",
            header=late_payments.CSV_HEADER,
            rows=late_payments.payments_late_csv_rows(payments=late_payments.payments_late()),
            public=False,
        )
