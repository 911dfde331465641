"""Payments: the date each invoice was received and the date it was paid, the 30-day
payment terms shown beside each payment, and the officers' report of payments made late
(/staff/payments/late/, and as a CSV file)."""

import csv
import datetime as dt
import io
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from monitoring.models import InstalmentPayment
from monitoring.services import payment_mark_paid
from tests.monitoring.factories import agreement_in_delivery

pytestmark = pytest.mark.django_db

URL = "/staff/payments/late/"


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def pay(made, index, *, invoiced_days_before, officer):
    """Pay the agreement's `index`-th instalment today, its invoice received
    `invoiced_days_before` days ago."""
    instalment = list(made.agreement.payments.all())[index]
    today = timezone.localdate()
    return payment_mark_paid(
        instalment=instalment,
        user=officer,
        paid_on=today,
        amount=instalment.amount,
        invoice_received_on=today - dt.timedelta(days=invoiced_days_before),
    )


def test_the_report_lists_only_payments_made_after_their_30_days(client, officer, approver):
    """Today is 26 November 2026: an invoice received on 27 October (30 days ago) is paid on
    the last day of its terms; one received on 26 October (31 days ago) is a day late."""
    on_time, late = agreement_in_delivery(), agreement_in_delivery()
    pay(on_time, 0, invoiced_days_before=30, officer=officer)
    pay(late, 0, invoiced_days_before=31, officer=officer)
    pay(late, 1, invoiced_days_before=45, officer=officer)

    client.force_login(approver)
    page = text_of(client.get(URL))

    assert on_time.agreement.reference not in page
    assert page.count(late.agreement.reference) == 2
    assert "26 October 2026 25 November 2026 26 November 2026 1" in page
    assert "12 October 2026 11 November 2026 26 November 2026 15" in page


def test_a_payment_without_an_invoice_is_never_late(client, officer):
    made = agreement_in_delivery()
    instalment = made.agreement.payments.first()
    payment_mark_paid(
        instalment=instalment, user=officer, paid_on=timezone.localdate(), amount=instalment.amount
    )
    client.force_login(officer)
    assert "No payment has been made late" in text_of(client.get(URL))


def test_the_report_downloads_as_a_csv_file(client, officer):
    made = agreement_in_delivery()
    pay(made, 0, invoiced_days_before=40, officer=officer)
    client.force_login(officer)
    response = client.get("/staff/payments/late.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Agreement", "Organisation", "Type"]
    assert rows[1][0] == made.agreement.reference
    assert rows[1][4:] == ["2026-10-17", "2026-11-16", "2026-11-26", "10"]


def test_the_report_keeps_its_queries_flat(client, officer, django_assert_max_num_queries):
    client.force_login(officer)
    pay(agreement_in_delivery(), 0, invoiced_days_before=40, officer=officer)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for _ in range(4):
        pay(agreement_in_delivery(), 0, invoiced_days_before=40, officer=officer)
    with django_assert_max_num_queries(len(few)):
        page = text_of(client.get(URL))
    assert page.count("AGR-") >= 5


def test_the_payment_shows_its_terms_and_an_invoice_after_payment_is_refused(client, officer):
    made = agreement_in_delivery()
    instalment = made.agreement.payments.first()
    client.force_login(officer)
    url = f"/staff/agreements/{made.agreement.pk}/payments/{instalment.pk}/paid/"
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    paid = {"paid_on_0": today.day, "paid_on_1": today.month, "paid_on_2": today.year}
    response = client.post(
        url,
        {
            **paid,
            "amount": str(instalment.amount),
            "invoice_received_on_0": tomorrow.day,
            "invoice_received_on_1": tomorrow.month,
            "invoice_received_on_2": tomorrow.year,
        },
    )
    page = text_of(response)
    assert "The date the invoice was received must be the same as or before the date paid" in page
    assert not InstalmentPayment.objects.exists()

    received = today - dt.timedelta(days=35)
    response = client.post(
        url,
        {
            **paid,
            "amount": str(instalment.amount),
            "invoice_received_on_0": received.day,
            "invoice_received_on_1": received.month,
            "invoice_received_on_2": received.year,
        },
    )
    assert response.status_code == 302
    page = text_of(client.get(f"/staff/agreements/{made.agreement.pk}/monitoring/"))
    assert (
        "Invoice received 22 October 2026; 30-day terms: pay by 21 November 2026. "
        "Paid 5 days late" in page
    )
