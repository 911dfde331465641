"""The audit trail: who changed what and when (model history), sign-ins and failures,
refusals, views of bid content, downloads and exports; read by administrators only at
/staff/audit/, filtered, a page at a flat cost, and never changed through the portal."""

import datetime as dt
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.audit import AuditEvent, AuditKind
from core.roles import Role
from procurement.models import Bid
from procurement.services import bids as procurement_services
from tests.factories import (
    CommissionFactory,
    OrganisationFactory,
    PlanFactory,
    SpecificationFactory,
    UserFactory,
)
from tests.procurement.factories_bids import (
    BidFactory,
    OpportunityFactory,
    attachment_add,
    bid_complete,
    member,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
AUDIT = "/staff/audit/"


def london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def test_each_kind_of_record_keeps_its_changes_with_when():
    records = [
        OrganisationFactory(),
        CommissionFactory(),
        SpecificationFactory(),
        PlanFactory(),
        OpportunityFactory(),
    ]
    for record in records:
        history = record.history.all()
        assert history.count() >= 1, type(record).__name__
        assert history.first().history_date == timezone.now()
    organisation = records[0]
    organisation.name = "Renamed charity"
    organisation.save()
    assert [row.history_type for row in organisation.history.all()[:2]] == ["~", "+"]
    assert organisation.history.first().name == "Renamed charity"


def test_a_change_made_through_a_page_records_who_made_it(client, clock):
    opportunity = OpportunityFactory(
        opens_at=london(2026, 11, 1, 9),
        closes_at=london(2026, 12, 3, 17),
        published_at=london(2026, 11, 1, 9),
    )
    bid = bid_complete(BidFactory(opportunity=opportunity))
    lead = member(bid.organisation, email="lead@charity.example.org")
    client.force_login(lead)
    response = client.post(f"/bids/{bid.pk}/edit/", {"title": "Secret project name"})
    assert response.status_code == 302
    latest = bid.history.first()
    assert latest.history_user == lead
    assert latest.title == "Secret project name"
    assert latest.history_date == timezone.now()


def test_a_state_change_is_recorded(clock):
    opportunity = OpportunityFactory(
        opens_at=london(2026, 11, 1, 9),
        closes_at=london(2026, 12, 3, 17),
        published_at=london(2026, 11, 1, 9),
    )
    bid = bid_complete(BidFactory(opportunity=opportunity))
    lead = member(bid.organisation)
    procurement_services.bid_transition(bid=bid, name="submit", user=lead)
    assert bid.history.first().state == "submitted"


def test_role_changes_are_recorded_with_who_gave_them(admin_client, administrator):
    person = UserFactory(email="newcomer@test.example.org")
    person.groups.add(Group.objects.get(name=Role.APPROVER.value))
    person.groups.remove(Group.objects.get(name=Role.APPROVER.value))
    kinds = list(
        AuditEvent.objects.filter(object_type="core.user", object_id=str(person.pk))
        .order_by("pk")
        .values_list("kind", "detail")
    )
    assert (AuditKind.ROLE_ADDED, Role.APPROVER.value) in kinds
    assert (AuditKind.ROLE_REMOVED, Role.APPROVER.value) in kinds


def test_a_bids_content_is_not_in_the_audit_trail_before_the_deadline(client, admin_client, clock):
    opportunity = OpportunityFactory(
        opens_at=london(2026, 11, 1, 9),
        closes_at=london(2026, 12, 3, 17),
        published_at=london(2026, 11, 1, 9),
    )
    bid = bid_complete(BidFactory(opportunity=opportunity))
    lead = member(bid.organisation, email="lead@charity.example.org")
    lead_client = client.__class__()
    lead_client.force_login(lead)
    lead_client.post(f"/bids/{bid.pk}/edit/", {"title": "Secret project name"})
    bid_complete(bid)
    procurement_services.bid_transition(bid=bid, name="submit", user=lead)

    page = text_of(admin_client.get(AUDIT))
    assert f"Bid {bid.pk} " not in page + " "
    assert "Secret project name" not in page
    page = text_of(admin_client.get(f"{AUDIT}?person=lead%40charity"))
    assert "Changed Bid" not in page  # the lead's own saves of the bid are not listed
    assert "Created Bid" not in page
    page = text_of(admin_client.get(f"{AUDIT}?object_type=procurement.bid"))
    assert "Nothing matches your filters" in page
    page = text_of(admin_client.get(f"{AUDIT}?object_type=procurement.bidanswer"))
    assert "Nothing matches your filters" in page

    clock.move_to(london(2026, 12, 3, 17, 1))
    page = text_of(admin_client.get(f"{AUDIT}?object_type=procurement.bid"))
    assert f"Bid {bid.pk}" in page
    assert "lead@charity.example.org" in page
    assert "Secret project name" not in page  # the trail names what changed, not its content


def test_a_failed_sign_in_and_a_sign_in_are_recorded(client, provider_user):
    client.post("/accounts/login/", {"login": provider_user.email, "password": "wrong"})
    failed = AuditEvent.objects.get(kind=AuditKind.SIGN_IN_FAILED)
    assert failed.object_id == str(provider_user.pk)
    assert failed.ip == "127.0.0.1"
    assert failed.occurred_at == timezone.now()
    client.post("/accounts/login/", {"login": "nobody@nowhere.example.org", "password": "x"})
    assert AuditEvent.objects.filter(kind=AuditKind.SIGN_IN_FAILED, object_id="").exists()

    client.post(
        "/accounts/login/", {"login": provider_user.email, "password": "commission-demo-pw"}
    )
    provider_user.set_password("a-long-test-password-1")
    provider_user.save()
    client.post(
        "/accounts/login/", {"login": provider_user.email, "password": "a-long-test-password-1"}
    )
    signed_in = AuditEvent.objects.get(kind=AuditKind.SIGNED_IN)
    assert signed_in.user == provider_user


def test_a_refusal_is_recorded_with_who_and_where(client, provider_user):
    client.force_login(provider_user)
    assert client.get(AUDIT).status_code == 403
    refused = AuditEvent.objects.get(kind=AuditKind.REFUSED)
    assert refused.user == provider_user
    assert refused.path == AUDIT


def test_downloads_exports_and_staff_views_of_bids_are_recorded(client, officer, clock):
    opportunity = OpportunityFactory(
        opens_at=london(2026, 11, 1, 9),
        closes_at=london(2026, 12, 3, 17),
        published_at=london(2026, 11, 1, 9),
    )
    bid = bid_complete(BidFactory(opportunity=opportunity))
    lead = member(bid.organisation)
    attachment = attachment_add(bid)
    procurement_services.bid_transition(bid=bid, name="submit", user=lead)
    client.force_login(lead)
    response = client.get(f"/bids/{bid.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    download = AuditEvent.objects.get(kind=AuditKind.DOWNLOADED)
    assert (download.user, download.object_type, download.object_id) == (
        lead,
        "procurement.bid",
        str(bid.pk),
    )
    # The lead organisation reading its own bid is not a staff view.
    client.get(f"/bids/{bid.pk}/")
    assert not AuditEvent.objects.filter(kind=AuditKind.BID_VIEWED).exists()

    clock.move_to(london(2026, 12, 4, 9))
    client.force_login(officer)
    assert client.get(f"/bids/{bid.pk}/").status_code == 200
    viewed = AuditEvent.objects.get(kind=AuditKind.BID_VIEWED)
    assert (viewed.user, viewed.object_id) == (officer, str(bid.pk))
    assert client.get("/opportunities.csv").status_code == 200
    assert AuditEvent.objects.get(kind=AuditKind.EXPORTED).path == "/opportunities.csv"
    assert client.get("/staff/portfolio.csv").status_code == 200
    assert AuditEvent.objects.filter(kind=AuditKind.EXPORTED).count() == 2


def test_only_administrators_read_the_trail(client, officer, approver, panel_member):
    for person in (officer, approver, panel_member):
        client.force_login(person)
        assert client.get(AUDIT).status_code == 403


def test_the_trail_lists_who_what_and_when(admin_client, administrator):
    organisation = OrganisationFactory(name="Morecambe Bay Advice")
    page = text_of(admin_client.get(AUDIT))
    assert f"Organisation {organisation.pk}" in page
    assert "Created" in page
    assert "26 November 2026" in page


def test_filters_by_person_kind_record_and_date(admin_client, clock, provider_user):
    first = OrganisationFactory()
    clock.move_to(london(2026, 11, 28, 10))
    second = OrganisationFactory()
    provider_client = admin_client.__class__()
    provider_client.force_login(provider_user)
    provider_client.get(AUDIT)  # refused

    def rows(query: str) -> str:
        return text_of(admin_client.get(f"{AUDIT}?{query}"))

    page = rows(f"object_type=providers.organisation&object_id={first.pk}")
    assert f"Organisation {first.pk}" in page
    assert f"Organisation {second.pk}" not in page
    page = rows("date_from_0=27&date_from_1=11&date_from_2=2026")
    assert f"Organisation {second.pk}" in page
    assert f"Organisation {first.pk}" not in page
    page = rows("date_to_0=26&date_to_1=11&date_to_2=2026")
    assert f"Organisation {first.pk}" in page
    assert f"Organisation {second.pk}" not in page
    page = rows("kind=refused")
    assert "Refused (403)" in page
    assert "Organisation" not in page.split("entr", 1)[1]
    page = rows("person=provider%40test")
    assert "provider@test.example.org" in page
    assert f"Organisation {first.pk}" not in page
    page = rows("date_from_0=45&date_from_1=11&date_from_2=2026")
    assert "There is a problem" in page
    assert "must be a real date" in page
    page = rows("object_id=abc")
    assert "Record number must be a whole number" in page


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(AUDIT)
    assert response.status_code == 200
    return len(queries)


def _events(count: int, people):
    for number in range(count):
        AuditEvent.objects.create(
            kind=AuditKind.DOWNLOADED,
            user=people[number % len(people)],
            object_type="procurement.bid",
            object_id=str(number),
            path=f"/bids/{number}/attachments/1/",
        )


def test_queries_stay_flat_from_5_to_50_events(admin_client, make_user):
    people = [make_user(Role.OFFICER, email=f"officer{n}@test.example.org") for n in range(6)]
    _events(5, people[:2])
    admin_client.get(AUDIT)  # warm the session and caches
    with_5 = _queries(admin_client)
    _events(45, people)
    with_50 = _queries(admin_client)
    assert with_5 == with_50


def test_nothing_in_the_portal_changes_or_deletes_the_trail(admin_client, admin_user, client):
    OrganisationFactory()
    AuditEvent.objects.create(kind=AuditKind.EXPORTED, path="/decisions.csv")
    before = AuditEvent.objects.count()
    assert admin_client.post(AUDIT, {"kind": "refused"}).status_code == 405
    assert admin_client.delete(AUDIT).status_code == 405
    assert admin_client.put(AUDIT).status_code == 405
    assert AuditEvent.objects.count() == before
    event = AuditEvent.objects.first()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(detail="changed")

    client.force_login(admin_user)
    changelist = client.get("/admin/core/auditevent/")
    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    assert client.get(f"/admin/core/auditevent/{event.pk}/delete/").status_code == 403
    response = client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert client.get("/admin/core/auditevent/add/").status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    # The history tables have no admin at all.
    assert client.get("/admin/providers/historicalorganisation/").status_code == 404


def test_no_bid_rows_at_all_before_the_deadline_even_with_many_bids(admin_client, clock):
    opportunity = OpportunityFactory(
        opens_at=london(2026, 11, 1, 9),
        closes_at=london(2026, 12, 3, 17),
        published_at=london(2026, 11, 1, 9),
    )
    for _ in range(3):
        bid_complete(BidFactory(opportunity=opportunity))
    assert Bid.history.count() >= 3
    for label in ("bid", "bidanswer", "budgetline", "bidtarget"):
        page = text_of(admin_client.get(f"{AUDIT}?object_type=procurement.{label}"))
        assert "Nothing matches your filters" in page, label


def test_payments_and_returns_made_in_bulk_have_their_history():
    from tests.procurement.factories_agreements import agreement_made

    agreement = agreement_made().agreement
    payments = list(agreement.payments.all())
    assert payments
    for payment in payments:
        assert payment.history.filter(history_type="+").count() == 1
    returns = list(agreement.monitoring_returns.all())
    assert returns
    assert all(item.history.filter(history_type="+").exists() for item in returns)


def test_administrators_find_the_trail_from_the_staff_dashboard(admin_client, client, officer):
    assert 'href="/staff/audit/"' in admin_client.get("/staff/").content.decode()
    client.force_login(officer)
    assert 'href="/staff/audit/"' not in client.get("/staff/").content.decode()
