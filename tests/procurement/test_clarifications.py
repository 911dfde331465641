"""Clarification questions: asked privately before the deadline, answered for everyone
without naming who asked; the asker and everyone who has started a bid are told."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from procurement.models import Clarification
from procurement.services.clarifications import clarification_publish
from tests.factories import OrganisationFactory
from tests.procurement.factories_opportunities import (
    ClarificationFactory,
    ClosedOpportunityFactory,
    OpportunityFactory,
    PublishedClarificationFactory,
    StartedBidFactory,
    published_specification,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_a_provider_asks_a_question_privately(
    client, provider_user, officer, mailoutbox, django_capture_on_commit_callbacks
):
    organisation = OrganisationFactory(name="Bowerham Advice Project", members=[provider_user])
    opportunity = OpportunityFactory(
        specification=published_specification(lead_officer=officer, state="procurement")
    )
    client.force_login(provider_user)

    form = text_of(client.get(f"/opportunities/{opportunity.slug}/ask/"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/opportunities/{opportunity.slug}/ask/",
            {"question": "Can volunteer time count as match funding?"},
            follow=True,
        )

    clarification = Clarification.objects.get()
    assert "You are asking for Bowerham Advice Project" in form
    assert clarification.organisation == organisation
    assert clarification.asked_by == provider_user
    assert clarification.published_at is None
    assert "Your question has been sent" in text_of(response)
    # Not published yet: nobody else can read it.
    client.logout()
    assert "Can volunteer time count" not in text_of(client.get(opportunity.get_absolute_url()))
    # The lead officer is told a question is waiting.
    assert [message.to for message in mailoutbox] == [[officer.email]]
    assert "Can volunteer time count as match funding?" in mailoutbox[0].body


def test_a_provider_in_several_organisations_chooses_one_of_their_own(client, provider_user):
    OrganisationFactory(name="Lune Valley Transport", members=[provider_user])
    mine = OrganisationFactory(name="Carnforth Hub", members=[provider_user])
    someone_elses = OrganisationFactory(name="Not mine")
    opportunity = OpportunityFactory()
    client.force_login(provider_user)
    url = f"/opportunities/{opportunity.slug}/ask/"

    missing = text_of(client.post(url, {"question": "When do payments start?"}))
    wrong = text_of(client.post(url, {"question": "When?", "organisation": str(someone_elses.pk)}))
    client.post(url, {"question": "When do payments start?", "organisation": str(mine.pk)})

    assert "Select the organisation you are asking for" in missing
    assert "Select one of your organisations" in wrong
    assert Clarification.objects.get().organisation == mine


def test_questions_cannot_be_asked_after_the_deadline(client, provider_user):
    opportunity = ClosedOpportunityFactory()
    client.force_login(provider_user)
    url = f"/opportunities/{opportunity.slug}/ask/"

    page = text_of(client.get(url))
    client.post(url, {"question": "Is it too late?"})

    assert "The deadline has passed, so questions can no longer be asked" in page
    assert not Clarification.objects.exists()


def test_the_answer_page_is_prefilled_with_the_question_as_asked(client, officer):
    clarification = ClarificationFactory(question="We are Bowerham Advice. Can we bid twice?")
    client.force_login(officer)

    response = client.get(f"/staff/clarifications/{clarification.pk}/answer/")

    assert "Remove anything that identifies who asked" in text_of(response)
    assert "We are Bowerham Advice. Can we bid twice?</textarea>" in response.content.decode()


def test_publishing_an_answer_shows_it_to_everyone_without_naming_who_asked(
    client, officer, mailoutbox, django_capture_on_commit_callbacks
):
    asker_org = OrganisationFactory(name="Bowerham Advice Project")
    clarification = ClarificationFactory(
        question="We are Bowerham Advice Project. Can we bid for both lots?",
        organisation=asker_org,
    )
    asker = clarification.asked_by
    asker.full_name = "Bea Asker"
    asker.save()
    opportunity = clarification.opportunity
    client.force_login(officer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/staff/clarifications/{clarification.pk}/answer/",
            {
                "published_question": "Can an organisation bid for both lots?",
                "answer": "Yes. Submit a separate bid for each lot.",
            },
        )

    client.logout()
    page = text_of(client.get(opportunity.get_absolute_url()))
    assert "Can an organisation bid for both lots?" in page
    assert "Yes. Submit a separate bid for each lot." in page
    assert "Bowerham" not in page
    assert "Bea Asker" not in page
    clarification.refresh_from_db()
    assert clarification.answered_by == officer
    answered = [m for m in mailoutbox if m.to == [asker.email]]
    assert len(answered) == 1
    assert "has been answered" in answered[0].subject
    assert "Yes. Submit a separate bid for each lot." in answered[0].body


def test_bidders_who_have_started_a_bid_are_told_of_a_new_clarification(
    officer, mailoutbox, django_capture_on_commit_callbacks
):
    opportunity = OpportunityFactory()
    drafting = OrganisationFactory(members=[_provider("drafting@example.org")])
    submitted = OrganisationFactory(
        members=[_provider("submitted@example.org"), _provider("colleague@example.org")]
    )
    withdrawn = OrganisationFactory(members=[_provider("withdrawn@example.org")])
    elsewhere = OrganisationFactory(members=[_provider("elsewhere@example.org")])
    StartedBidFactory(opportunity=opportunity, organisation=drafting)
    StartedBidFactory(opportunity=opportunity, organisation=submitted, state="submitted")
    StartedBidFactory(opportunity=opportunity, organisation=withdrawn, state="withdrawn")
    StartedBidFactory(opportunity=OpportunityFactory(), organisation=elsewhere)
    clarification = ClarificationFactory(opportunity=opportunity)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        clarification_publish(
            clarification=clarification,
            user=officer,
            published_question="Can we bid twice?",
            answer="No.",
        )

    told = sorted(
        m.to[0]
        for m in mailoutbox
        if m.subject.startswith("A new clarification has been published")
    )
    assert told == ["colleague@example.org", "drafting@example.org", "submitted@example.org"]
    assert all(len(m.to) == 1 for m in mailoutbox)  # nobody sees who else was told


def _provider(email: str):
    from tests.factories import UserFactory

    return UserFactory(email=email, roles=[Role.PROVIDER])


def test_a_published_answer_is_not_published_again(
    client, officer, mailoutbox, django_capture_on_commit_callbacks
):
    clarification = PublishedClarificationFactory(answer="The original answer.")
    client.force_login(officer)

    page = text_of(client.get(f"/staff/clarifications/{clarification.pk}/answer/"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/staff/clarifications/{clarification.pk}/answer/",
            {"published_question": "Changed", "answer": "A different answer."},
        )

    clarification.refresh_from_db()
    assert "Published answer" in page
    assert clarification.answer == "The original answer."
    assert mailoutbox == []


def test_an_answer_needs_a_question_and_an_answer(client, officer):
    clarification = ClarificationFactory()
    client.force_login(officer)

    page = text_of(
        client.post(
            f"/staff/clarifications/{clarification.pk}/answer/",
            {"published_question": "", "answer": ""},
        )
    )

    assert "Enter the question as it will be published" in page
    assert "Enter the answer" in page
    clarification.refresh_from_db()
    assert clarification.published_at is None


def test_officers_see_questions_waiting_with_who_asked(client, officer):
    opportunity = OpportunityFactory()
    waiting = ClarificationFactory(opportunity=opportunity, question="When will we hear?")
    PublishedClarificationFactory(opportunity=opportunity, published_question="Is VAT included?")
    client.force_login(officer)

    page = text_of(client.get(f"/staff/opportunities/{opportunity.pk}/clarifications/"))

    assert "Waiting for an answer (1)" in page
    assert "When will we hear?" in page and waiting.organisation.name in page
    assert "Published (1)" in page and "Is VAT included?" in page


def test_staff_clarification_list_takes_the_same_queries_for_5_and_50(client, officer):
    opportunity = OpportunityFactory()
    client.force_login(officer)

    def queries_with(rows: int) -> int:
        Clarification.objects.all().delete()
        for n in range(rows):
            factory = ClarificationFactory if n % 2 else PublishedClarificationFactory
            factory(opportunity=opportunity)
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(f"/staff/opportunities/{opportunity.pk}/clarifications/").status_code
                == 200
            )
        return len(queries)

    assert queries_with(5) == queries_with(50)
