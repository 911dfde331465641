"""A provider's home page lists what their organisations have to do next — bids to finish,
partners to confirm, questions answered, agreements to accept, returns due, documents
expiring — each with a link to do it, in a fixed number of queries."""

import datetime as dt
import re
from html import unescape

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from procurement.models import AgreementState, Clarification
from providers.models import ComplianceDocument
from tests.factories import OrganisationFactory
from tests.monitoring.factories import agreement_in_delivery
from tests.procurement.factories_agreements import agreement_made, org_member
from tests.procurement.factories_bids import BidFactory, OpportunityFactory, member, partner_add

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def document(organisation, *, days: int, kind=ComplianceDocument.Kind.INSURANCE):
    made = ComplianceDocument(
        organisation=organisation,
        kind=kind,
        original_name="insurance.pdf",
        expires_on=timezone.localdate() + dt.timedelta(days=days),
    )
    made.file.save("insurance.pdf", ContentFile(b"%PDF-1.4"), save=False)
    made.save()
    return made


def answered(opportunity, organisation, text="Can we bid with a partner?"):
    return Clarification.objects.create(
        opportunity=opportunity,
        organisation=organisation,
        question=text,
        published_question=text,
        answer="Yes.",
        published_at=timezone.now() - dt.timedelta(days=1),
    )


def test_the_home_page_lists_each_kind_of_to_do_with_its_next_action(client, clock):
    organisation = OrganisationFactory(name="Bay Lunch Club")
    person = member(organisation)
    bid = BidFactory(organisation=organisation, opportunity=OpportunityFactory(title="Warm spaces"))
    others_bid = BidFactory(opportunity=OpportunityFactory(title="Lunch clubs"))
    invitation = partner_add(others_bid, organisation)
    answered(OpportunityFactory(title="Community transport"), organisation)
    document(organisation, days=10)
    document(organisation, days=10, kind=ComplianceDocument.Kind.SAFEGUARDING)
    document(organisation, days=90, kind=ComplianceDocument.Kind.SAFEGUARDING)  # replaced
    issued = agreement_made(state=AgreementState.ISSUED).agreement
    org_member(issued.organisation).delete()
    issued.organisation.memberships.create(user=person)
    delivering = agreement_in_delivery(months=12).agreement
    delivering.organisation.memberships.create(user=person)
    client.force_login(person)

    response = client.get("/organisations/")

    page = text_of(response)
    todos = {todo.kind: todo for todo in response.context["todos"]}
    assert set(todos) == {"bid", "partner", "answer", "agreement", "return", "document"}
    assert "Finish and submit your bid for Warm spaces" in page
    assert todos["bid"].url == bid.get_absolute_url()
    assert f"Confirm Bay Lunch Club is a partner in {others_bid.organisation.name}’s bid" in page
    assert todos["partner"].url == f"/partnerships/{invitation.pk}/confirm/"
    assert "Your question about Community transport has been answered" in page
    assert f"Accept agreement {issued.reference}" in page
    assert todos["agreement"].url == issued.get_absolute_url()
    assert f"Monitoring return for agreement {delivering.reference}" in page
    assert "Upload a new public liability insurance for Bay Lunch Club" in page
    # The safeguarding policy expiring soon has been replaced by one that lasts longer.
    assert [todo.title for todo in response.context["todos"] if todo.kind == "document"] == [
        "Upload a new public liability insurance for Bay Lunch Club"
    ]
    for todo in response.context["todos"]:
        assert f'href="{todo.url}"' in response.content.decode()


def test_nothing_to_do_says_so(client, provider_user):
    client.force_login(provider_user)

    page = text_of(client.get("/organisations/"))

    assert "Nothing to do now." in page


def test_the_to_do_list_takes_the_same_queries_however_long_it_is(
    client, clock, django_assert_max_num_queries
):
    organisation = OrganisationFactory()
    person = member(organisation)
    client.force_login(person)

    def more():
        BidFactory(organisation=organisation)
        partner_add(BidFactory(), organisation)
        answered(OpportunityFactory(), organisation)
        document(organisation, days=5, kind=ComplianceDocument.Kind.INSURANCE)

    more()
    client.get("/organisations/")
    with django_assert_max_num_queries(15) as few:
        client.get("/organisations/")
    for _ in range(4):
        more()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/organisations/")
    kinds = [todo.kind for todo in response.context["todos"]]
    assert kinds.count("bid") == 5 and kinds.count("partner") == 5


def test_an_agreement_to_accept_stays_a_to_do_behind_five_newer_agreements(client, clock):
    from tests.monitoring.factories_portfolio import agreement_under, funded_commission

    person = member(OrganisationFactory())
    funded = funded_commission()
    issued = agreement_under(funded, amount="1000", state=AgreementState.ISSUED)
    issued.organisation.memberships.create(user=person)
    clock.shift(dt.timedelta(days=1))
    newer = []
    for number in range(5):
        agreement = agreement_under(funded, amount=str(2000 + number))
        agreement.organisation.memberships.create(user=person)
        newer.append(agreement)
    client.force_login(person)

    response = client.get("/organisations/")

    assert [a.reference for a in response.context["provider_home"].agreements] == [
        a.reference for a in reversed(newer)
    ]
    assert "See all 6 agreements" in text_of(response)
    to_accept = [todo for todo in response.context["todos"] if todo.kind == "agreement"]
    assert [todo.title for todo in to_accept] == [f"Accept agreement {issued.reference}"]
