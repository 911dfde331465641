"""Opportunities: made from a published plan's specification, weighted questions,
publishing (which starts procurement), the public list, page, documents and feed."""

import datetime as dt
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from html import unescape

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_fsm_log.models import StateLog

from commissioning.models import CoreCriterion, CorporatePriority, Sector, ServiceCriterion
from core.roles import Role
from procurement.models import Bid, Opportunity, OpportunityDocument
from procurement.selectors.opportunities import opportunity_deadline_words
from procurement.services.opportunities import (
    OpportunityRefused,
    opportunity_create,
    opportunity_publish,
)
from tests.engagement.factories_events import EventFactory
from tests.factories import (
    CommissionFactory,
    OrganisationFactory,
    PlanFactory,
    SpecificationFactory,
)
from tests.procurement.factories_opportunities import (
    ClosedOpportunityFactory,
    DraftOpportunityFactory,
    OpportunityFactory,
    PublishedClarificationFactory,
    StartedBidFactory,
    UpcomingOpportunityFactory,
    at,
    published_specification,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def text_of(response) -> str:
    """The page's text with tags removed and spaces collapsed, as a person reads it."""
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def form_data(**overrides) -> dict:
    opens = timezone.localdate() + dt.timedelta(days=7)
    closes = timezone.localdate() + dt.timedelta(days=50)
    data = {
        "title": "Money advice in Morecambe",
        "summary": "Free advice on money, debt and benefits.",
        "budget": "",
        "funding_type": "grant",
        "opens_date_0": str(opens.day),
        "opens_date_1": str(opens.month),
        "opens_date_2": str(opens.year),
        "opens_time": "9am",
        "closes_date_0": str(closes.day),
        "closes_date_1": str(closes.month),
        "closes_date_2": str(closes.year),
        "closes_time": "5pm",
        "eligibility": "Charities and CIOs working in the district.",
    }
    data.update(overrides)
    return data


def core_criteria():
    return CoreCriterion.objects.filter(framework__is_current=True).exclude(slug="service-specific")


# --- Creating an opportunity -----------------------------------------------------------------


def test_officer_creates_an_opportunity_from_a_published_plans_specification(client, officer):
    specification = published_specification(lead_officer=officer)
    client.force_login(officer)

    form_page = text_of(client.get(f"/staff/opportunities/new/?specification={specification.pk}"))
    response = client.post(
        f"/staff/opportunities/new/?specification={specification.pk}", form_data()
    )

    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/opportunities/{opportunity.pk}/"
    assert specification.title in form_page  # the title starts as the specification's
    assert opportunity.reference == f"OPP-{timezone.localdate().year}-001"
    assert opportunity.slug == "money-advice-in-morecambe"
    assert opportunity.budget == specification.budget  # left empty: the specification's
    assert opportunity.published_at is None
    closes = timezone.localtime(opportunity.closes_at)
    assert (closes.hour, closes.minute) == (17, 0)  # 5pm London time
    assert opportunity.created_by == officer


def test_second_opportunity_gets_the_next_reference_and_its_own_address(officer):
    specification = published_specification(lead_officer=officer)
    kwargs = {
        "specification": specification,
        "created_by": officer,
        "title": "Advice",
        "summary": "Advice.",
        "funding_type": "grant",
        "opens_at": at(1, 9),
        "closes_at": at(30),
        "eligibility": "Anyone.",
    }

    first = opportunity_create(**kwargs)
    second = opportunity_create(**kwargs)

    year = timezone.localdate().year
    assert (first.reference, second.reference) == (f"OPP-{year}-001", f"OPP-{year}-002")
    assert (first.slug, second.slug) == ("advice", "advice-2")


def test_an_opportunity_for_a_lot_takes_the_lots_budget(client, officer):
    specification = published_specification(lead_officer=officer)
    lot = specification.lots.create(name="Lancaster", budget=Decimal("80000"))
    client.force_login(officer)

    client.post(
        f"/staff/opportunities/new/?specification={specification.pk}",
        form_data(lot=str(lot.pk)),
    )

    opportunity = Opportunity.objects.get()
    assert opportunity.lot == lot
    assert opportunity.budget == Decimal("80000")


def test_a_specification_not_in_a_published_plan_is_refused(client, officer):
    commission = CommissionFactory(lead_officer=officer, state="approved")
    specification = SpecificationFactory(commission=commission, title="Befriending in Heysham")
    PlanFactory(state="approved", specifications=[specification])
    client.force_login(officer)
    url = f"/staff/opportunities/new/?specification={specification.pk}"

    shown = client.get(url, follow=True)
    client.post(url, form_data())

    assert shown.redirect_chain[-1][0] == "/staff/opportunities/new/"
    assert "“Befriending in Heysham” is not in a published Commissioning Plan" in text_of(shown)
    assert not Opportunity.objects.exists()
    with pytest.raises(OpportunityRefused):
        opportunity_create(
            specification=specification,
            created_by=officer,
            title="Befriending",
            summary="…",
            funding_type="grant",
            opens_at=at(1),
            closes_at=at(20),
            eligibility="…",
        )


def test_the_chooser_lists_only_specifications_in_published_plans(client, officer):
    published = published_specification()
    published.title = "Published and ready"
    published.save()
    draft_plan_spec = SpecificationFactory(
        title="Still being planned", commission=CommissionFactory(state="approved")
    )
    PlanFactory(state="draft", specifications=[draft_plan_spec])
    client.force_login(officer)

    page = text_of(client.get("/staff/opportunities/new/"))

    assert "Published and ready" in page
    assert "Still being planned" not in page


def test_the_closing_date_must_be_after_the_opening_date(client, officer):
    specification = published_specification(lead_officer=officer)
    client.force_login(officer)
    opens = timezone.localdate() + dt.timedelta(days=7)

    response = client.post(
        f"/staff/opportunities/new/?specification={specification.pk}",
        form_data(
            closes_date_0=str(opens.day),
            closes_date_1=str(opens.month),
            closes_date_2=str(opens.year),
            closes_time="9am",
        ),
    )

    page = text_of(response)
    assert page.startswith("Error:")
    assert "The closing date must be after the opening date" in page
    assert "Money advice in Morecambe" in response.content.decode()  # nothing entered is lost
    assert not Opportunity.objects.exists()


def test_a_time_is_typed_as_people_write_it(client, officer):
    specification = published_specification(lead_officer=officer)
    client.force_login(officer)

    response = client.post(
        f"/staff/opportunities/new/?specification={specification.pk}",
        form_data(closes_time="teatime"),
    )

    assert "The closing time must be a time, like 10am or 2:30pm" in text_of(response)


# --- Questions and weights -------------------------------------------------------------------


def test_default_questions_one_per_core_criterion_and_per_service_criterion(officer):
    specification = published_specification(lead_officer=officer)
    ServiceCriterion.objects.create(
        specification=specification,
        name="Advice Quality Standard",
        description="Holds the Advice Quality Standard.",
        weight=Decimal("10"),
    )

    opportunity = opportunity_create(
        specification=specification,
        created_by=officer,
        title="Advice",
        summary="Advice.",
        funding_type="grant",
        opens_at=at(1, 9),
        closes_at=at(30),
        eligibility="Anyone.",
    )

    questions = list(opportunity.questions.order_by("order"))
    criteria = list(core_criteria().order_by("order"))
    assert [q.criterion for q in questions[:-1]] == criteria
    assert all(q.word_limit == 500 for q in questions)
    assert [q.weight for q in questions[:-1]] == [c.default_weight for c in criteria]
    deliverability = next(
        q for q in questions if q.criterion and q.criterion.slug == "deliverability"
    )
    assert deliverability.text.startswith("No major barriers exist")
    assert deliverability.guidance
    last = questions[-1]
    assert last.service_criterion.name == "Advice Quality Standard"
    assert last.weight == Decimal("10")
    assert "Holds the Advice Quality Standard." in last.text
    assert sum(q.weight for q in questions) == 100


def test_officer_changes_the_questions_and_is_told_when_weights_do_not_add_up(client, officer):
    opportunity = DraftOpportunityFactory()
    questions = list(opportunity.questions.order_by("order"))
    client.force_login(officer)
    data = {
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": str(len(questions)),
    }
    for index, question in enumerate(questions):
        data.update(
            {
                f"questions-{index}-id": str(question.pk),
                f"questions-{index}-text": question.text,
                f"questions-{index}-guidance": question.guidance,
                f"questions-{index}-word_limit": "500",
                f"questions-{index}-weight": str(question.weight),
            }
        )
    data["questions-0-text"] = "How does your service link to the Corporate Priorities?"
    data["questions-0-word_limit"] = "750"
    data["questions-0-weight"] = "10"

    response = client.post(f"/staff/opportunities/{opportunity.pk}/questions/", data, follow=True)

    first = opportunity.questions.order_by("order").first()
    assert first.text == "How does your service link to the Corporate Priorities?"
    assert (first.word_limit, first.weight) == (750, Decimal("10"))
    assert "The weights must add up to 100. They add up to 95" in text_of(response)


def test_a_weight_over_100_is_refused_with_a_clear_message(client, officer):
    opportunity = DraftOpportunityFactory()
    question = opportunity.questions.order_by("order").first()
    client.force_login(officer)

    response = client.post(
        f"/staff/opportunities/{opportunity.pk}/questions/",
        {
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "1",
            "questions-0-id": str(question.pk),
            "questions-0-text": question.text,
            "questions-0-word_limit": "500",
            "questions-0-weight": "150",
        },
    )

    assert "The weight for question 1 must be between 0 and 100" in text_of(response)
    question.refresh_from_db()
    assert question.weight != 150


# --- Publishing ------------------------------------------------------------------------------


def _weights_at_90(opportunity):
    question = opportunity.questions.order_by("order").first()
    question.weight -= 10
    question.save()


def test_weights_must_add_up_to_100_to_publish(client, officer):
    opportunity = DraftOpportunityFactory(
        specification=published_specification(lead_officer=officer)
    )
    _weights_at_90(opportunity)
    client.force_login(officer)

    page = text_of(client.get(f"/staff/opportunities/{opportunity.pk}/publish/"))
    response = client.post(f"/staff/opportunities/{opportunity.pk}/publish/")

    assert "The weights must add up to 100. They add up to 90" in page
    assert "The weights must add up to 100. They add up to 90" in text_of(response)
    opportunity.refresh_from_db()
    assert opportunity.published_at is None
    assert opportunity.specification.commission.state == "approved"


def _ready_to_publish(lead_officer):
    specification = published_specification(lead_officer=lead_officer)
    ServiceCriterion.objects.create(
        specification=specification, name="Trained drivers", weight=Decimal("10")
    )
    return DraftOpportunityFactory(specification=specification)


def test_publishing_opens_the_opportunity_and_moves_the_commission_to_procurement(client, officer):
    opportunity = _ready_to_publish(officer)
    client.force_login(officer)

    page = text_of(client.get(f"/staff/opportunities/{opportunity.pk}/publish/"))
    response = client.post(f"/staff/opportunities/{opportunity.pk}/publish/", follow=True)

    assert "Opening it moves the commission to procurement" in page
    opportunity.refresh_from_db()
    commission = opportunity.specification.commission
    commission.refresh_from_db()
    assert opportunity.published_at is not None
    assert commission.state == "procurement"
    log = StateLog.objects.for_(commission).get(transition="start_procurement")
    assert log.by == officer
    assert log.description == f"Opportunity {opportunity.reference} published"
    assert f"{opportunity.reference} is published" in text_of(response)


def test_publishing_is_refused_for_an_officer_who_does_not_lead_the_commission(
    client, officer, make_user
):
    opportunity = _ready_to_publish(officer)
    other = make_user(Role.OFFICER, full_name="Nina Other")
    client.force_login(other)

    response = client.post(f"/staff/opportunities/{opportunity.pk}/publish/")

    assert "Only the commission’s lead officer, Olive Officer, can publish" in text_of(response)
    opportunity.refresh_from_db()
    opportunity.specification.commission.refresh_from_db()
    assert opportunity.published_at is None
    assert opportunity.specification.commission.state == "approved"


def test_a_commission_already_in_procurement_stays_there(officer, make_user):
    opportunity = _ready_to_publish(officer)
    commission = opportunity.specification.commission
    commission.__dict__["state"] = "procurement"
    commission.save()

    opportunity_publish(opportunity=opportunity, user=make_user(Role.OFFICER))

    opportunity.refresh_from_db()
    assert opportunity.is_published
    assert not StateLog.objects.for_(commission).exists()


def test_publishing_is_refused_once_the_closing_date_has_passed(officer):
    opportunity = _ready_to_publish(officer)
    Opportunity.objects.filter(pk=opportunity.pk).update(opens_at=at(-10), closes_at=at(-1))
    opportunity.refresh_from_db()

    with pytest.raises(OpportunityRefused) as refused:
        opportunity_publish(opportunity=opportunity, user=officer)

    assert "The closing date must be in the future" in refused.value.problems


def test_published_questions_cannot_change(client, officer):
    opportunity = OpportunityFactory()
    question = opportunity.questions.first()
    client.force_login(officer)

    response = client.post(
        f"/staff/opportunities/{opportunity.pk}/questions/",
        {
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "1",
            "questions-0-id": str(question.pk),
            "questions-0-text": "Changed after publishing",
            "questions-0-word_limit": "500",
            "questions-0-weight": "15",
        },
        follow=True,
    )

    assert "The questions cannot change once the opportunity is published" in text_of(response)
    question.refresh_from_db()
    assert question.text != "Changed after publishing"


# --- The public list -------------------------------------------------------------------------


def test_public_list_shows_open_then_upcoming_then_closed(client):
    OpportunityFactory(title="Open, closing later", closes_at=at(40))
    OpportunityFactory(title="Open, closing sooner", closes_at=at(10))
    UpcomingOpportunityFactory(title="Not open yet")
    ClosedOpportunityFactory(title="Closed last week")
    DraftOpportunityFactory(title="Draft nobody should see")

    page = text_of(client.get("/opportunities/"))

    assert "Draft nobody should see" not in page
    order = [
        "Open for bids",
        "Open, closing sooner",
        "Open, closing later",
        "Opening soon",
        "Not open yet",
        "Closed",
        "Closed last week",
    ]
    positions = [page.index(words) for words in order]
    assert positions == sorted(positions)


def test_public_list_shows_money_funding_type_and_deadline_in_words(client):
    opportunity = OpportunityFactory(budget=Decimal("80000"), funding_type="contract")

    page = text_of(client.get("/opportunities/"))

    assert "£80,000" in page
    assert "Contract" in page
    assert opportunity_deadline_words(opportunity=opportunity) in page
    assert "VCFS" in page or "Voluntary" in page


def test_public_list_filters_by_sector_and_priority(client):
    arts = Sector.objects.get(short_name="Arts")
    growth = CorporatePriority.objects.get(slug="economic-growth", framework__is_current=True)
    OpportunityFactory(title="Community advice")  # VCFS, health and well-being
    OpportunityFactory(
        title="Festival commissions",
        specification=published_specification(
            state="procurement", sector=arts, priorities=[growth]
        ),
    )

    by_sector = text_of(client.get("/opportunities/", {"sector": arts.slug}))
    by_priority = text_of(client.get("/opportunities/", {"priority": growth.slug}))
    everything = text_of(client.get("/opportunities/"))

    assert "Festival commissions" in by_sector and "Community advice" not in by_sector
    assert "Festival commissions" in by_priority and "Community advice" not in by_priority
    assert "Festival commissions" in everything and "Community advice" in everything


def test_public_list_takes_the_same_queries_for_5_and_50_opportunities(client):
    specification = published_specification(state="procurement")

    def queries_with(rows: int) -> int:
        Opportunity.objects.all().delete()
        for n in range(rows):
            factory = (OpportunityFactory, UpcomingOpportunityFactory, ClosedOpportunityFactory)
            factory[n % 3](specification=specification, questions=False)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/opportunities/").status_code == 200
        return len(queries)

    assert queries_with(5) == queries_with(50) <= 15


# --- The deadline in plain words -------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "words"),
    [
        (dt.datetime(2026, 11, 26, 8, 0), "Closes 5pm on 15 January 2027 – 50 days left"),
        (dt.datetime(2027, 1, 14, 18, 0), "Closes 5pm on 15 January 2027 – 1 day left"),
        (dt.datetime(2027, 1, 15, 16, 59), "Closes 5pm on 15 January 2027 – closes today"),
        (dt.datetime(2027, 1, 15, 17, 0), "Closed 5pm on 15 January 2027"),
        (dt.datetime(2026, 11, 1, 12, 0), "Opens 5pm on 20 November 2026"),
    ],
)
def test_the_deadline_in_plain_words(now, words):
    opportunity = Opportunity(
        opens_at=timezone.make_aware(dt.datetime(2026, 11, 20, 17, 0)),
        closes_at=timezone.make_aware(dt.datetime(2027, 1, 15, 17, 0)),
        published_at=timezone.make_aware(dt.datetime(2026, 10, 1)),
    )

    deadline = opportunity_deadline_words(opportunity=opportunity, now=timezone.make_aware(now))

    assert deadline == words


def test_summer_deadlines_are_shown_in_london_time(client):
    OpportunityFactory(
        opens_at=timezone.make_aware(dt.datetime(2030, 6, 1, 9, 0)),
        closes_at=timezone.make_aware(dt.datetime(2030, 7, 4, 17, 0)),  # BST
    )

    assert "Opens 9am on 1 June 2030" in text_of(client.get("/opportunities/"))


# --- The opportunity page --------------------------------------------------------------------


def test_opportunity_page_shows_what_a_bidder_needs(client):
    workshop = EventFactory(title="Applicant workshop: advice services", kind="applicant_workshop")
    hidden_event = EventFactory(title="Unpublished event", is_published=False)
    opportunity = OpportunityFactory(
        title="Advice in Lancaster", budget=Decimal("80000"), workshops=[workshop, hidden_event]
    )
    OpportunityDocument.objects.create(
        opportunity=opportunity,
        title="Full specification",
        original_name="spec.pdf",
        file=ContentFile(PDF, name="spec.pdf"),
    )
    PublishedClarificationFactory(
        opportunity=opportunity,
        published_question="Can we bid as a consortium?",
        answer="Yes, with one lead organisation.",
    )

    page = text_of(client.get(opportunity.get_absolute_url()))

    assert "£80,000" in page and "Grant" in page
    assert opportunity_deadline_words(opportunity=opportunity) in page
    assert opportunity.eligibility in page
    assert "Health and Well Being" in page  # the commission's priority
    assert "Older people are less lonely" in page  # the specification's outcome
    assert "People supported" in page and "Year 3" in page and "300" in page
    assert "Question 2: Deliverability" in page
    assert "Weight: 15% · Up to 500 words" in page
    assert "Full specification" in page
    assert "Applicant workshop: advice services" in page
    assert "Unpublished event" not in page
    assert "Can we bid as a consortium?" in page and "Yes, with one lead organisation." in page


def test_provider_users_can_ask_and_start_a_bid_while_it_is_open(client, provider_user):
    opportunity = OpportunityFactory()
    closed = ClosedOpportunityFactory()
    client.force_login(provider_user)

    open_page = client.get(opportunity.get_absolute_url()).content.decode()
    closed_page = text_of(client.get(closed.get_absolute_url()))

    assert f"/opportunities/{opportunity.slug}/bid/" in open_page
    assert f"/opportunities/{opportunity.slug}/ask/" in open_page
    assert "Start a bid" not in closed_page and "Ask a question" not in closed_page


def test_the_public_are_asked_to_sign_in_to_bid(client):
    page = text_of(client.get(OpportunityFactory().get_absolute_url()))

    assert "Sign in or create an account to ask a question or start a bid" in page
    assert "Start a bid" not in page


@pytest.mark.parametrize("who", ["public", "provider"])
def test_an_unpublished_opportunity_is_not_found(client, provider_user, who):
    opportunity = DraftOpportunityFactory()
    if who == "provider":
        client.force_login(provider_user)

    assert client.get(opportunity.get_absolute_url()).status_code == 404
    assert client.get(f"/opportunities/{opportunity.slug}/ask/").status_code in (302, 404)


def test_officers_see_a_preview_of_an_unpublished_opportunity(client, officer):
    opportunity = DraftOpportunityFactory()
    client.force_login(officer)

    page = text_of(client.get(opportunity.get_absolute_url()))

    assert "This opportunity is not published" in page


def test_documents_download_as_attachments_with_a_safe_name(client):
    opportunity = OpportunityFactory()
    document = OpportunityDocument.objects.create(
        opportunity=opportunity,
        title="Budget template: 2027/28",
        original_name="../../etc/budget.pdf",
        file=ContentFile(PDF, name="a1b2c3.pdf"),
    )

    response = client.get(f"/opportunities/{opportunity.slug}/documents/{document.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == ('attachment; filename="budget-template-202728.pdf"')
    assert b"".join(response.streaming_content) == PDF


def test_officer_uploads_a_document_checked_by_its_content(client, officer):
    opportunity = DraftOpportunityFactory()
    client.force_login(officer)
    url = f"/staff/opportunities/{opportunity.pk}/documents/"

    good = client.post(
        url, {"title": "Full specification", "file": ContentFile(PDF, name="spec.pdf")}
    )
    bad = client.post(
        url, {"title": "A program", "file": ContentFile(b"MZ\x90\x00binary", name="evil.pdf")}
    )

    assert good.status_code == 302
    document = opportunity.documents.get()
    assert document.title == "Full specification"
    assert document.original_name == "spec.pdf"
    assert "spec" not in document.file.name  # stored under a random name
    assert "The selected file must be a" in text_of(bad)


# --- The feed --------------------------------------------------------------------------------


def test_the_feed_is_atom_with_published_opportunities_newest_first(client):
    OpportunityFactory(title="Older opportunity", published_at=at(-20))
    OpportunityFactory(title="Newer opportunity", published_at=at(-2))
    DraftOpportunityFactory(title="Draft opportunity")

    response = client.get("/opportunities/feed/")

    assert response["Content-Type"].startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{atom}feed"
    assert feed.find(f"{atom}id") is not None and feed.find(f"{atom}updated") is not None
    entries = feed.findall(f"{atom}entry")
    assert [entry.find(f"{atom}title").text for entry in entries] == [
        "Newer opportunity",
        "Older opportunity",
    ]
    for entry in entries:
        assert entry.find(f"{atom}id").text
        assert entry.find(f"{atom}updated").text
        assert entry.find(f"{atom}link").get("href").startswith("http")


# --- Council staff ---------------------------------------------------------------------------


def test_staff_list_shows_state_questions_waiting_and_a_count_of_bids(client, officer):
    opportunity = OpportunityFactory(title="Advice in Lancaster")
    DraftOpportunityFactory(title="Still a draft")
    StartedBidFactory(opportunity=opportunity, state="submitted", title="Secret project name")
    StartedBidFactory(opportunity=opportunity, state="submitted")
    StartedBidFactory(opportunity=opportunity)  # a draft has not been received
    from tests.procurement.factories_opportunities import ClarificationFactory

    ClarificationFactory(opportunity=opportunity)
    client.force_login(officer)

    response = client.get("/staff/opportunities/")
    page = text_of(response)

    assert "Advice in Lancaster" in page and "Open" in page
    assert "Still a draft" in page and "Draft" in page
    row = re.search(r"Advice in Lancaster.*?</tr>", response.content.decode(), re.S).group(0)
    cells = re.findall(r">\s*(\d+)\s*<", row)
    assert cells[-2:] == ["1", "2"]  # one question waiting, two bids received
    assert "Secret project name" not in page


def test_staff_opportunity_page_says_how_many_bids_but_never_what_they_say(client, officer):
    opportunity = OpportunityFactory()
    StartedBidFactory(opportunity=opportunity, state="submitted", title="Secret project name")
    client.force_login(officer)

    page = text_of(client.get(f"/staff/opportunities/{opportunity.pk}/"))

    assert "Bids received: 1" in page
    assert "Secret project name" not in page
    assert "Bids are sealed until the deadline" in page


def test_staff_page_lists_what_is_missing_before_publishing(client, officer):
    opportunity = DraftOpportunityFactory(
        specification=published_specification(lead_officer=officer)
    )
    _weights_at_90(opportunity)
    client.force_login(officer)

    page = text_of(client.get(f"/staff/opportunities/{opportunity.pk}/"))

    assert "Missing The questions’ weights add up to 100" in page
    assert "The weights must add up to 100. They add up to 90" in page


def test_staff_list_takes_the_same_queries_for_5_and_50_opportunities(client, officer):
    specification = published_specification(state="procurement")
    organisation = OrganisationFactory()
    client.force_login(officer)

    def queries_with(rows: int) -> int:
        Bid.objects.all().delete()
        Opportunity.objects.all().delete()
        for n in range(rows):
            opportunity = OpportunityFactory(specification=specification, questions=False)
            if n % 2:
                StartedBidFactory(
                    opportunity=opportunity, organisation=organisation, state="submitted"
                )
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/staff/opportunities/").status_code == 200
        return len(queries)

    assert queries_with(5) == queries_with(50)


def test_officer_links_applicant_workshops_on_the_edit_page(client, officer):
    opportunity = DraftOpportunityFactory()
    workshop = EventFactory(title="Applicant workshop")
    EventFactory(title="Unpublished planning meeting", is_published=False)
    client.force_login(officer)
    opens = timezone.localtime(opportunity.opens_at)
    closes = timezone.localtime(opportunity.closes_at)
    url = f"/staff/opportunities/{opportunity.pk}/edit/"

    page = text_of(client.get(url))
    response = client.post(
        url,
        form_data(
            title=opportunity.title,
            opens_date_0=str(opens.day),
            opens_date_1=str(opens.month),
            opens_date_2=str(opens.year),
            closes_date_0=str(closes.day),
            closes_date_1=str(closes.month),
            closes_date_2=str(closes.year),
            workshops=[str(workshop.pk)],
        ),
    )

    assert "Unpublished planning meeting" not in page
    assert response.status_code == 302, text_of(response)
    assert list(opportunity.workshops.all()) == [workshop]
