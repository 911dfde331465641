"""Financial proxies in the admin: administrators keep them (value, source, year, notes,
usual assumptions) and link each to the success measures it values; the portal ships an
illustrative set, marked as such and linked to the library's measures."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from commissioning.models import FinancialProxy, SuccessMeasure, SuccessMeasureProxy

pytestmark = pytest.mark.django_db


def test_the_shipped_proxies_are_all_marked_illustrative_and_value_measures():
    proxies = FinancialProxy.objects.all()
    assert proxies.count() >= 5
    assert not proxies.filter(illustrative=False).exists()
    assert all("not taken from any published or paid-for source" in p.source for p in proxies)
    people = SuccessMeasure.objects.get(name="People supported")
    assert people.proxy_link.proxy.illustrative
    assert "(illustrative)" in str(people.proxy_link.proxy)


def test_a_success_measure_is_valued_by_one_proxy_at_most():
    measure = SuccessMeasure.objects.get(name="People supported")
    other = FinancialProxy.objects.exclude(pk=measure.proxy_link.proxy_id).first()
    with pytest.raises(IntegrityError):
        SuccessMeasureProxy.objects.create(measure=measure, proxy=other)


def test_an_administrator_keeps_proxies_in_the_admin(client, administrator):
    client.force_login(administrator)
    listing = client.get("/admin/commissioning/financialproxy/")
    assert listing.status_code == 200
    assert "Person supported by a community service" in listing.content.decode()

    measure = SuccessMeasure.objects.get(name="Training sessions provided")
    response = client.post(
        "/admin/commissioning/financialproxy/add/",
        {
            "name": "Training session delivered",
            "unit": "session",
            "value": "180.00",
            "source": "Council training budget 2026/27, cost per session",
            "year": "2026",
            "notes": "",
            "deadweight": "10",
            "attribution": "0",
            "displacement": "0",
            "duration_years": "1",
            "drop_off": "0",
            "links-TOTAL_FORMS": "1",
            "links-INITIAL_FORMS": "0",
            "links-MIN_NUM_FORMS": "0",
            "links-MAX_NUM_FORMS": "1000",
            "links-0-measure": str(measure.pk),
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    proxy = FinancialProxy.objects.get(name="Training session delivered")
    assert proxy.value == Decimal("180.00") and not proxy.illustrative
    assert SuccessMeasureProxy.objects.get(measure=measure).proxy == proxy


def test_an_officer_may_only_read_them(client, officer):
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    assert client.get("/admin/commissioning/financialproxy/").status_code == 200
    assert client.get("/admin/commissioning/financialproxy/add/").status_code == 403
