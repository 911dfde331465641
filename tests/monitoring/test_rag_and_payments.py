"""The officer rates the agreement red, amber or green with a reason (kept as a history),
records payments made, and holds a payment until a return is accepted: the agreement page
says so until the return is accepted, which releases it."""

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.roles import Role
from monitoring.models import InstalmentPayment, ReturnState
from monitoring.services import rag_set, return_transition
from procurement.services.agreements import PaymentRow, variation_approve, variation_propose
from tests.factories import UserFactory
from tests.monitoring.factories import agreement_in_delivery, return_filled, return_put
from tests.procurement.factories_agreements import org_member

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def made():
    return agreement_in_delivery(months=12)


# --- RAG ------------------------------------------------------------------------------------------


def test_the_rag_status_needs_a_rating_and_a_reason(client, made, officer):
    client.force_login(officer)
    response = client.post(f"/staff/agreements/{made.agreement.pk}/rag/", {})
    assert response.status_code == 200
    page = text_of(response)
    assert "There is a problem" in page
    assert "Select red, amber or green" in page and "Enter why you gave this rating" in page
    assert not made.agreement.rag_statuses.exists()


def test_the_rag_history_is_kept_and_the_latest_is_the_status(client, made, officer, clock):
    agreement = made.agreement
    client.force_login(officer)
    url = f"/staff/agreements/{agreement.pk}/rag/"
    reason = "The first two returns are late."
    response = client.post(url, {"rating": "amber", "reason": reason})
    assert response["Location"] == f"/staff/agreements/{agreement.pk}/monitoring/"
    clock.shift(dt.timedelta(hours=1))
    later = "Both late returns are in and on target."
    response = client.post(url, {"rating": "green", "reason": later})
    assert response["Location"] == f"/staff/agreements/{agreement.pk}/monitoring/"

    history = list(agreement.rag_statuses.all())
    assert [(s.rating, s.reason, s.set_by) for s in history] == [
        ("green", later, officer),
        ("amber", reason, officer),
    ]
    page = text_of(client.get(f"/staff/agreements/{agreement.pk}/monitoring/"))
    assert f"Green since {timezone.localdate():%-d %B %Y}" in page
    assert "History of the RAG status" in page
    assert page.index(later) < page.index(reason)
    assert "RAG status Green" in text_of(client.get(f"/agreements/{agreement.pk}/"))
    # Providers see their returns, not the council's rating.
    client.force_login(org_member(made.organisation))
    assert "RAG status" not in text_of(client.get(f"/agreements/{agreement.pk}/"))


@pytest.mark.parametrize("role", [Role.APPROVER, Role.ADMINISTRATOR, Role.PROVIDER])
def test_only_officers_set_the_rag_status(made, role):
    with pytest.raises(PermissionDenied):
        rag_set(agreement=made.agreement, user=UserFactory(roles=[role]), rating="red", reason="x")
    assert not made.agreement.rag_statuses.exists()


# --- Payments -------------------------------------------------------------------------------------


def test_a_held_payment_is_released_when_its_return_is_accepted(client, made, officer):
    agreement = made.agreement
    first = return_put(return_filled(agreement.monitoring_returns.first()), ReturnState.SUBMITTED)
    second_payment = agreement.payments.all()[1]
    client.force_login(officer)
    hold_url = f"/staff/agreements/{agreement.pk}/payments/{second_payment.pk}/hold/"
    assert client.post(hold_url, {"monitoring_return": first.pk}).status_code == 302

    held = f"Held: the return for {first.period_label} is not yet accepted"
    assert held in text_of(client.get(f"/agreements/{agreement.pk}/"))
    assert held in text_of(client.get(f"/staff/agreements/{agreement.pk}/monitoring/"))
    member = org_member(made.organisation)
    client.force_login(member)
    assert held in text_of(client.get(f"/agreements/{agreement.pk}/"))

    client.force_login(officer)
    paid_url = f"/staff/agreements/{agreement.pk}/payments/{second_payment.pk}/paid/"
    today = timezone.localdate()
    paid = {
        "paid_on_0": today.day,
        "paid_on_1": today.month,
        "paid_on_2": today.year,
        "amount": "2500",
    }
    response = client.post(paid_url, paid)
    assert response.status_code == 200
    assert f"This payment is held until the return for {first.period_label} is accepted" in text_of(
        response
    )
    assert not InstalmentPayment.objects.exists()

    return_transition(monitoring_return=first, name="accept", user=officer)

    assert "Held:" not in text_of(client.get(f"/agreements/{agreement.pk}/"))
    hold = agreement.payment_holds.get()
    assert hold.released_at is not None
    assert client.post(paid_url, paid).status_code == 302
    payment = InstalmentPayment.objects.get()
    assert (payment.instalment, payment.amount, payment.paid_on) == (
        second_payment,
        Decimal("2500"),
        today,
    )
    page = text_of(client.get(f"/staff/agreements/{agreement.pk}/monitoring/"))
    assert "Paid so far: £2,500 of £30,000" in page


def test_a_payment_cannot_be_held_for_an_accepted_return(client, made, officer):
    agreement = made.agreement
    accepted = return_put(return_filled(agreement.monitoring_returns.first()), "accepted")
    payment = agreement.payments.first()
    client.force_login(officer)
    url = f"/staff/agreements/{agreement.pk}/payments/{payment.pk}/hold/"
    page = text_of(client.get(url))
    assert accepted.period_label not in page  # only returns not yet accepted are offered
    response = client.post(url, {"monitoring_return": accepted.pk})
    assert response.status_code == 200
    assert "Select one of this agreement’s returns" in text_of(response)
    response = client.post(url, {"monitoring_return": "nonsense"})
    assert response.status_code == 200
    assert not agreement.payment_holds.exists()


def test_a_payment_is_recorded_once_with_a_date_not_in_the_future(client, made, officer):
    agreement = made.agreement
    payment = agreement.payments.first()
    client.force_login(officer)
    url = f"/staff/agreements/{agreement.pk}/payments/{payment.pk}/paid/"
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        url,
        {
            "paid_on_0": tomorrow.day,
            "paid_on_1": tomorrow.month,
            "paid_on_2": tomorrow.year,
            "amount": "0",
        },
    )
    page = text_of(response)
    assert "The date paid must be today or in the past" in page
    assert "The amount paid must be more than £0" in page
    today = timezone.localdate()
    good = {"paid_on_0": today.day, "paid_on_1": today.month, "paid_on_2": today.year}
    assert client.post(url, {**good, "amount": "2500"}).status_code == 302
    again = client.post(url, {**good, "amount": "2500"})
    assert "This payment has already been recorded as paid" in text_of(again)
    assert InstalmentPayment.objects.count() == 1


def test_what_was_paid_stays_paid_when_a_variation_remakes_the_payments(made, officer):
    from monitoring.services import payment_mark_paid

    agreement = made.agreement
    first_payment = agreement.payments.first()
    payment_mark_paid(
        instalment=first_payment,
        user=officer,
        paid_on=first_payment.due_on,
        amount=first_payment.amount,
    )
    variation = variation_propose(
        agreement=agreement,
        user=made.officer,
        reason="Three months more",
        ends_on=agreement.ends_on + dt.timedelta(days=90),
        payments=[PaymentRow(p.due_on, p.amount, p.description) for p in agreement.payments.all()],
        targets={},
    )
    variation_approve(variation=variation, user=UserFactory(roles=[Role.APPROVER]))
    new_first = agreement.payments.first()
    assert new_first.pk != first_payment.pk
    assert new_first.payment_made.amount == first_payment.amount
