"""The provider's returns through the pages: the list with overdue tags, the form (nothing
the portal knows is asked; GOV.UK messages beside the field and in the summary; nothing
typed lost), check answers and submit; the officer's request for changes with comments on
each part; an accepted return is read-only."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from monitoring.models import MonitoringReturn, ReturnState
from tests.factories import UserFactory
from tests.monitoring.factories import agreement_in_delivery, return_filled, return_put
from tests.procurement.factories_agreements import org_member
from tests.procurement.factories_bids import PDF_BYTES

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def error_summary(response) -> str:
    html = response.content.decode()
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert match, "no error summary"
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(0))).split())


@pytest.fixture
def made():
    """An agreement that started a year ago: its first three quarterly returns are overdue
    and the fourth is due at the end of this month."""
    return agreement_in_delivery(months=12)


@pytest.fixture
def member(made):
    return org_member(made.organisation, full_name="Mo Member", email="mo@example.org")


def first_return(made) -> MonitoringReturn:
    return made.agreement.monitoring_returns.first()


def form_data(monitoring_return, *, actual="20", **extra) -> dict:
    target = monitoring_return.targets_for_period().get()
    return {
        f"actual_{target.pk}": actual,
        "outcomes_narrative": "Twenty older people joined the lunch club.",
        "case_study": "",
        "spend_in_period": "2000",
        "spend_explanation": "",
        "risks": "None this quarter.",
        **extra,
    }


# --- The list -------------------------------------------------------------------------------------


def test_the_provider_lists_their_returns_with_overdue_tags(client, made, member):
    someone_else = agreement_in_delivery(months=12)
    client.force_login(member)
    page = text_of(client.get("/returns/"))
    returns = list(made.agreement.monitoring_returns.all())
    for monitoring_return in returns:
        assert monitoring_return.period_label in page
    assert page.count("Overdue") == 3  # the fourth is due on the 30th of this month
    assert someone_else.agreement.reference not in page
    return_put(returns[0], ReturnState.SUBMITTED)
    to_do = text_of(client.get("/returns/"))
    assert returns[0].period_label not in to_do and to_do.count("Overdue") == 2
    assert returns[0].period_label in text_of(client.get("/returns/?show=sent"))


def _query_count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_provider_list_does_not_grow_queries_with_its_rows(client):
    small = agreement_in_delivery(months=15)  # 5 returns
    large = agreement_in_delivery(months=150)  # 50 returns
    person = UserFactory(roles=[Role.PROVIDER])
    org_member(small.organisation)
    from providers.models import Membership

    Membership.objects.create(organisation=small.organisation, user=person)
    client.force_login(person)
    few = _query_count(client, "/returns/?show=")
    Membership.objects.filter(user=person).delete()
    Membership.objects.create(organisation=large.organisation, user=person)
    many = _query_count(client, "/returns/?show=")
    assert many == few


def test_the_return_form_stays_within_15_queries_however_long_the_agreement(client):
    """The form adds up what earlier returns reported: 5 returns or 50, the same queries."""
    counts = []
    for months in (15, 150):
        made = agreement_in_delivery(months=months)
        client.force_login(org_member(made.organisation))
        monitoring_return = made.agreement.monitoring_returns.order_by("due_on").last()
        counts.append(_query_count(client, f"/returns/{monitoring_return.pk}/edit/"))
    few, many = counts
    assert few <= 15
    assert many == few


def test_the_review_list_does_not_grow_queries_with_its_rows(client, officer):
    small = agreement_in_delivery(months=15)
    client.force_login(officer)
    small.agreement.monitoring_returns.update(state=ReturnState.SUBMITTED)
    few = _query_count(client, "/staff/returns/")
    large = agreement_in_delivery(months=150)
    large.agreement.monitoring_returns.update(state=ReturnState.SUBMITTED)
    many = _query_count(client, "/staff/returns/")
    assert many == few
    page = text_of(client.get("/staff/returns/"))
    assert "55 returns waiting for review" in page


# --- The form -------------------------------------------------------------------------------------


def test_the_form_shows_what_the_portal_knows_and_asks_only_the_rest(client, made, member):
    monitoring_return = first_return(made)
    client.force_login(member)
    response = client.get(f"/returns/{monitoring_return.pk}/edit/")
    page = text_of(response)
    assert made.organisation.name in page
    assert f"Monitoring return for {monitoring_return.period_label}" in page
    assert "Agreed target for year 1: 100 people. This period’s share: 25." in page
    assert "Award £30,000" in page
    names = set(re.findall(r'name="([^"]+)"', response.content.decode()))
    assert not names & {"organisation", "period_start", "period_end", "due_on", "target"}


def test_saving_a_draft_starts_the_return(client, made, member):
    monitoring_return = first_return(made)
    client.force_login(member)
    response = client.post(
        f"/returns/{monitoring_return.pk}/edit/", {**form_data(monitoring_return), "draft": ""}
    )
    assert (
        response.status_code == 302 and response["Location"] == f"/returns/{monitoring_return.pk}/"
    )
    monitoring_return.refresh_from_db()
    assert monitoring_return.state == ReturnState.DRAFT
    assert monitoring_return.spend_in_period == Decimal("2000")
    assert monitoring_return.actuals.get().value == Decimal("20")


def test_negative_figures_are_refused_beside_the_field_and_nothing_typed_is_lost(
    client, made, member
):
    monitoring_return = first_return(made)
    client.force_login(member)
    data = form_data(monitoring_return, actual="-5", spend_in_period="-10", risks="A typed risk")
    response = client.post(f"/returns/{monitoring_return.pk}/edit/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html
    summary = error_summary(response)
    assert "The number of people must be 0 or more" in summary
    assert "Spending in the period must be £0 or more" in summary
    assert html.count("The number of people must be 0 or more") == 2  # summary and field
    assert 'value="-5"' in html and 'value="-10"' in html and "A typed risk" in html
    monitoring_return.refresh_from_db()
    assert monitoring_return.state == ReturnState.DUE and not monitoring_return.risks


def test_an_actual_over_twice_the_share_asks_is_this_right_once(client, made, member):
    monitoring_return = first_return(made)
    target = monitoring_return.targets_for_period().get()
    client.force_login(member)
    url = f"/returns/{monitoring_return.pk}/edit/"
    response = client.post(url, form_data(monitoring_return, actual="60"))
    assert response.status_code == 200
    message = (
        "Is this right? 60 is more than twice this period’s share of the target (25). "
        "Check the number, or confirm it is right"
    )
    assert message in error_summary(response)
    assert f'name="confirm_{target.pk}"' in response.content.decode()
    assert "Yes, 60 people is right" in text_of(response)
    assert not monitoring_return.actuals.exists()

    confirmed = client.post(
        url, form_data(monitoring_return, actual="60", **{f"confirm_{target.pk}": "on"})
    )
    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"/returns/{monitoring_return.pk}/actions/submit/"
    actual = monitoring_return.actuals.get()
    assert (actual.value, actual.confirmed) == (Decimal("60"), True)
    # Asked once: saving the same figure again goes through.
    assert client.post(url, form_data(monitoring_return, actual="60")).status_code == 302
    # A different high figure is asked about again.
    again = client.post(url, form_data(monitoring_return, actual="70"))
    assert again.status_code == 200 and "Is this right? 70" in error_summary(again)


def test_spending_to_date_above_the_award_needs_an_explanation(client, made, member):
    monitoring_return = first_return(made)
    client.force_login(member)
    url = f"/returns/{monitoring_return.pk}/edit/"
    response = client.post(url, form_data(monitoring_return, spend_in_period="30,500"))
    assert response.status_code == 200
    assert (
        "Explain why spending to date (£30,500) is more than the award (£30,000)"
        in error_summary(response)
    )
    assert 'value="30,500"' in response.content.decode()
    explained = form_data(
        monitoring_return,
        spend_in_period="30500",
        spend_explanation="Match funding from the lottery paid for the extra sessions.",
    )
    assert client.post(url, explained).status_code == 302
    monitoring_return.refresh_from_db()
    assert monitoring_return.spend_explanation.startswith("Match funding")


# --- Check answers, submit, review ----------------------------------------------------------------


def test_check_answers_lists_what_is_missing_with_links(client, made, member):
    monitoring_return = first_return(made)
    client.force_login(member)
    client.post(
        f"/returns/{monitoring_return.pk}/edit/",
        {**form_data(monitoring_return, actual="", spend_in_period=""), "draft": ""},
    )
    response = client.get(f"/returns/{monitoring_return.pk}/actions/submit/")
    page = text_of(response)
    assert "You cannot submit the return yet" in page
    assert "Enter the actual for People supported (people)" in page
    assert "Enter how much was spent in the period" in page
    assert (
        f'href="/returns/{monitoring_return.pk}/edit/#spend_in_period"' in response.content.decode()
    )
    response = client.post(
        f"/returns/{monitoring_return.pk}/actions/submit/", {"seen_state": "draft"}
    )
    assert response.status_code == 200
    monitoring_return.refresh_from_db()
    assert monitoring_return.state == ReturnState.DRAFT


def test_the_provider_submits_the_officer_asks_for_changes_and_accepts_the_second_version(
    client, made, member, mailoutbox, django_capture_on_commit_callbacks
):
    monitoring_return = first_return(made)
    lead = made.agreement.bid.opportunity.specification.commission.lead_officer
    client.force_login(member)
    client.post(f"/returns/{monitoring_return.pk}/edit/", form_data(monitoring_return))
    check = text_of(client.get(f"/returns/{monitoring_return.pk}/actions/submit/"))
    assert "Check your return before you submit it" in check
    assert "Twenty older people joined the lunch club." in check
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/returns/{monitoring_return.pk}/actions/submit/", {"seen_state": "draft"}
        )
    assert response.status_code == 302
    monitoring_return.refresh_from_db()
    assert monitoring_return.state == ReturnState.SUBMITTED
    [to_lead] = [m for m in mailoutbox if m.to == [lead.email]]
    assert monitoring_return.period_label in to_lead.subject
    assert f"/returns/{monitoring_return.pk}/" in to_lead.body
    mailoutbox.clear()

    officer = UserFactory(roles=[Role.OFFICER])
    client.force_login(officer)
    listed = text_of(client.get("/staff/returns/"))
    assert monitoring_return.period_label in listed and made.organisation.name in listed
    assert "Ask for changes" in text_of(client.get(f"/returns/{monitoring_return.pk}/"))
    url = f"/returns/{monitoring_return.pk}/actions/request_changes/"
    page = client.get(url)
    assert "What needs changing in “Outcomes”? (optional)" in text_of(page)
    empty = client.post(url, {"seen_state": "submitted"})
    assert empty.status_code == 200
    assert "Enter a comment on at least one part of the return that needs changing" in (
        error_summary(empty)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"seen_state": "submitted", "comment_narrative": "How many came back each week?"},
        )
    assert response.status_code == 302
    monitoring_return.refresh_from_db()
    assert monitoring_return.state == ReturnState.CHANGES_REQUESTED
    to_member = next(m for m in mailoutbox if m.to == [member.email])
    assert "How many came back each week?" in to_member.body
    mailoutbox.clear()

    client.force_login(member)
    page = text_of(client.get(f"/returns/{monitoring_return.pk}/"))
    assert "The council has asked for changes" in page
    assert "How many came back each week?" in page
    assert "How many came back each week?" in text_of(
        client.get(f"/returns/{monitoring_return.pk}/edit/")
    )
    client.post(
        f"/returns/{monitoring_return.pk}/edit/",
        form_data(monitoring_return, outcomes_narrative="Eighteen of the twenty came back."),
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/returns/{monitoring_return.pk}/actions/submit/",
            {"seen_state": "changes_requested"},
        )
    monitoring_return.refresh_from_db()
    assert monitoring_return.state == ReturnState.SUBMITTED

    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/returns/{monitoring_return.pk}/actions/accept/", {"seen_state": "submitted"}
        )
    assert response.status_code == 302
    monitoring_return.refresh_from_db()
    assert monitoring_return.state == ReturnState.ACCEPTED
    assert any(m.to == [member.email] and "accepted" in m.subject for m in mailoutbox)
    page = text_of(client.get(f"/returns/{monitoring_return.pk}/"))
    assert "Version 1" in page and "Version 2" in page
    first = text_of(client.get(f"/returns/{monitoring_return.pk}/versions/1/"))
    assert "Twenty older people joined the lunch club." in first
    assert "Eighteen of the twenty came back." not in first


def test_an_accepted_return_is_read_only(client, made, member):
    monitoring_return = return_put(return_filled(first_return(made)), ReturnState.ACCEPTED)
    client.force_login(member)
    page = text_of(client.get(f"/returns/{monitoring_return.pk}/"))
    assert "Continue the return" not in page and "Start the return" not in page
    response = client.get(f"/returns/{monitoring_return.pk}/edit/", follow=True)
    assert "This return has been accepted and can no longer be changed." in text_of(response)
    client.post(
        f"/returns/{monitoring_return.pk}/edit/",
        form_data(monitoring_return, outcomes_narrative="Changed afterwards"),
    )
    upload = SimpleUploadedFile("late.pdf", PDF_BYTES, content_type="application/pdf")
    client.post(f"/returns/{monitoring_return.pk}/evidence/", {"file": upload})
    monitoring_return.refresh_from_db()
    assert monitoring_return.outcomes_narrative == "Twenty older people joined the lunch club."
    assert not monitoring_return.attachments.exists()


# --- Evidence -------------------------------------------------------------------------------------


def test_evidence_is_checked_like_bid_attachments(client, made, member):
    monitoring_return = first_return(made)
    client.force_login(member)
    url = f"/returns/{monitoring_return.pk}/evidence/"
    good = SimpleUploadedFile("register.pdf", PDF_BYTES, content_type="application/pdf")
    assert client.post(url, {"file": good}).status_code == 302
    attachment = monitoring_return.attachments.get()
    assert attachment.original_name == "register.pdf"
    monitoring_return.refresh_from_db()
    assert monitoring_return.state == ReturnState.DRAFT  # evidence starts the return

    bad = SimpleUploadedFile("photo.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {"file": bad})
    assert response.status_code == 200
    assert "The selected file must be a PDF, DOCX, XLSX, ODT, PNG or JPEG" in error_summary(
        response
    )

    # Nobody types the id a remove button carries: anything but one number is a crafted request.
    assert client.post(url, {"remove": "not-a-number"}).status_code == 400
    assert client.post(url, {"remove": ["1", "2"]}).status_code == 400
    gone = client.post(url, {"remove": "0"}, follow=True)
    assert gone.status_code == 200 and "That file has already been removed" in text_of(gone)
    assert monitoring_return.attachments.exists()

    download = f"/returns/{monitoring_return.pk}/evidence/{attachment.pk}/"
    assert client.get(download).status_code == 200
    client.force_login(UserFactory(roles=[Role.PROVIDER]))
    assert client.get(download).status_code == 404
    client.force_login(member)
    assert client.post(url, {"remove": str(attachment.pk)}).status_code == 302
    assert not monitoring_return.attachments.exists()


def test_every_problem_is_shown_at_once(client, made, member):
    monitoring_return = first_return(made)
    client.force_login(member)
    response = client.post(
        f"/returns/{monitoring_return.pk}/edit/",
        form_data(monitoring_return, actual="60", spend_in_period="-1"),
    )
    summary = error_summary(response)
    assert "Spending in the period must be £0 or more" in summary
    assert "Is this right? 60 is more than twice" in summary
