"""Feedback: providers give it online, officers record it and read it all."""

import datetime as dt
import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commissioning.models import Area, CorporatePriority
from engagement.models import Feedback
from tests.engagement.factories_events import FeedbackFactory, PastEventFactory
from tests.factories import CommissionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def health():
    return CorporatePriority.objects.get(slug="health-and-well-being")


# --- Providers give feedback online ----------------------------------------------------------


def test_provider_feedback_is_saved_as_from_a_provider_about_the_commission(
    client, provider_user, health
):
    organisation = OrganisationFactory(
        name="Morecambe Bay Community Food Network", members=[provider_user]
    )
    commission = CommissionFactory(title="Healthy ageing in Morecambe", state="understanding")
    poulton = Area.objects.create(name="Poulton", slug="poulton")
    client.force_login(provider_user)

    page = text_of(client.get("/engagement/feedback/"))
    assert "You are giving feedback for Morecambe Bay Community Food Network" in page

    response = client.post(
        "/engagement/feedback/",
        {
            "commission": commission.pk,
            "summary": "Older people need somewhere warm to meet in the afternoons",
            "text": "Our lunch club is full and the library has cut its hours.",
            "priorities": [health.pk],
            "areas": [poulton.pk],
        },
        follow=True,
    )

    assert "Your feedback has been sent to the commissioning team" in text_of(response)
    feedback = Feedback.objects.get()
    assert feedback.source == Feedback.Source.PROVIDER
    assert feedback.commission == commission
    assert feedback.organisation == organisation
    assert feedback.submitted_by == provider_user
    assert feedback.received_on == timezone.localdate()
    assert list(feedback.priorities.all()) == [health]
    assert list(feedback.areas.all()) == [poulton]
    assert "Older people need somewhere warm" in text_of(response)  # "Feedback you have sent"


def test_provider_chooses_among_commissions_still_being_understood_or_planned(
    client, provider_user
):
    CommissionFactory(title="Understanding commission", state="understanding")
    CommissionFactory(title="Planning commission", state="planning")
    CommissionFactory(title="Draft commission", state="draft")
    CommissionFactory(title="Procurement commission", state="procurement")
    client.force_login(provider_user)

    page = client.get("/engagement/feedback/").content.decode()

    assert "Understanding commission" in page and "Planning commission" in page
    assert "Draft commission" not in page and "Procurement commission" not in page


def test_provider_with_two_organisations_says_which_it_is_from(client, provider_user):
    OrganisationFactory(name="Skerton Community Centre", members=[provider_user])
    second = OrganisationFactory(name="Lune Valley Transport", members=[provider_user])
    stranger = OrganisationFactory(name="Someone else's charity")
    client.force_login(provider_user)
    data = {"summary": "Transport", "text": "Buses stop at six."}

    response = client.post("/engagement/feedback/", data)
    assert text_of(response).count("Select which organisation the feedback is from") == 2

    response = client.post("/engagement/feedback/", {**data, "organisation": stranger.pk})
    assert "Select one of your organisations" in text_of(response)

    client.post("/engagement/feedback/", {**data, "organisation": second.pk})
    assert Feedback.objects.get().organisation == second


def test_feedback_form_keeps_what_was_typed_and_shows_govuk_errors(client, provider_user):
    client.force_login(provider_user)

    response = client.post(
        "/engagement/feedback/", {"summary": "", "text": "Our volunteers are stretched."}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    start = html.index("govuk-error-summary")
    summary = html[start : html.index("</form>", start)]
    assert summary.count("Enter a summary of the feedback") == 2  # summary and beside the field
    assert 'href="#id_summary"' in html
    assert re.search(
        r'id="id_summary_1_error" class="govuk-error-message">\s*'
        r'<span class="govuk-visually-hidden">Error:</span> Enter a summary of the feedback',
        html,
    )
    assert "Our volunteers are stretched.</textarea>" in html
    assert not Feedback.objects.exists()


def test_only_provider_users_give_feedback_online(client, officer):
    client.force_login(officer)
    assert client.get("/engagement/feedback/").status_code == 403


# --- Officers record feedback ----------------------------------------------------------------


def test_officer_records_feedback_from_a_community(client, officer, health):
    event = PastEventFactory(title="Carnforth drop-in")
    commission = CommissionFactory(title="Healthy ageing")
    received = timezone.localdate() - dt.timedelta(days=3)
    client.force_login(officer)

    response = client.post(
        "/staff/engagement/feedback/new/",
        {
            "source": "community",
            "given_by": "Carnforth Residents' Association",
            "received_on_0": received.day,
            "received_on_1": received.month,
            "received_on_2": received.year,
            "event": event.pk,
            "commission": commission.pk,
            "summary": "The town needs a regular advice session",
            "text": "People travel to Lancaster for benefits advice.",
            "priorities": [health.pk],
        },
    )

    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.source == "community" and feedback.recorded_by == officer
    assert feedback.received_on == received
    assert feedback.event == event and feedback.commission == commission
    assert feedback.submitted_by is None


def test_recorded_feedback_cannot_be_received_in_the_future(client, officer):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    client.force_login(officer)

    response = client.post(
        "/staff/engagement/feedback/new/",
        {
            "source": "provider",
            "received_on_0": tomorrow.day,
            "received_on_1": tomorrow.month,
            "received_on_2": tomorrow.year,
            "summary": "Summary",
            "text": "Text",
        },
    )

    page = text_of(response)
    assert page.count("The date the feedback was received must be today or in the past") == 2
    assert page.count("Enter the name of the organisation the feedback is from") == 2
    assert not Feedback.objects.exists()


# --- Officers and approvers read it all ------------------------------------------------------


def test_staff_list_filters_by_commission_source_and_priority(client, approver, health):
    ageing = CommissionFactory(title="Healthy ageing")
    arts = CommissionFactory(title="Arts in the district")
    economy = CorporatePriority.objects.get(slug="economic-growth")
    FeedbackFactory(summary="Ageing from a resident", commission=ageing, priorities=[health])
    FeedbackFactory(
        summary="Ageing from a provider",
        commission=ageing,
        source="provider",
        priorities=[economy],
    )
    FeedbackFactory(summary="Arts from a community", commission=arts, source="community")
    client.force_login(approver)

    everything = text_of(client.get("/staff/engagement/feedback/"))
    assert "3 pieces of feedback" in everything
    assert "Record feedback" not in everything  # approvers read but do not record

    by_commission = text_of(client.get(f"/staff/engagement/feedback/?commission={ageing.pk}"))
    assert "Ageing from a resident" in by_commission and "Ageing from a provider" in by_commission
    assert "Arts from a community" not in by_commission

    by_source = text_of(client.get("/staff/engagement/feedback/?source=community"))
    assert "Arts from a community" in by_source and "Ageing from" not in by_source

    by_priority = text_of(client.get(f"/staff/engagement/feedback/?priority={health.pk}"))
    assert "Ageing from a resident" in by_priority
    assert "Ageing from a provider" not in by_priority and "Arts from" not in by_priority

    response = client.get(f"/staff/engagement/feedback/?priority={health.pk}")
    assert f'<option value="{health.pk}" selected>' in response.content.decode()


def test_staff_feedback_list_takes_the_same_queries_for_5_and_50_rows(client, officer, health):
    client.force_login(officer)
    organisation = OrganisationFactory()
    event = PastEventFactory()
    commission = CommissionFactory(lead_officer=officer)
    area = Area.objects.create(name="Harbour", slug="harbour")

    def queries_with(rows: int) -> int:
        Feedback.objects.all().delete()
        for _ in range(rows):
            feedback = FeedbackFactory(
                organisation=organisation,
                event=event,
                commission=commission,
                recorded_by=officer,
                priorities=[health],
            )
            feedback.areas.set([area])
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/staff/engagement/feedback/").status_code == 200
        return len(queries)

    assert queries_with(5) == queries_with(50)
