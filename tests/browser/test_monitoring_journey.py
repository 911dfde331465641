"""A monitoring return from reminder to the performance chart: the provider follows the
reminder email's link, signs in, fills the return and submits it; the officer asks for
changes; the provider changes it and submits it again; the officer accepts it and sets the
agreement's RAG status; the performance chart shows the new actual. axe-core checks every
page in every state it is seen in."""

import re
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from monitoring.models import RagStatus, ReturnState
from monitoring.reminders import reminders_send_due
from procurement.services.agreements import months_add
from tests.browser.conftest import enter_sign_in_code
from tests.monitoring.factories import agreement_in_delivery, first_of_month
from tests.procurement.factories_agreements import org_admin

PASSWORD = "a-long-test-password"
PROVIDER = "jo@example.org"
NARRATIVE = (
    "Twenty older people in Skerton joined the Tuesday lunch club and stayed for the warm room."
)
CASE_STUDY = "Pat, 74, came for lunch after her husband died and now helps set out the tables."
COMMENT = "The attendance register you attached shows 24 people, not 20. Please check the figure."
RAG_REASON = "The lunch club is running as planned and the return was corrected quickly."


def _new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    return context.new_page()


def _sign_in(page, email, *, already_there: bool = False):
    """Sign in, going to the sign-in page first unless the browser is on it."""
    if not already_there:
        page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    enter_sign_in_code(page, email)
    return page


def _wait_for(page, path: str) -> None:
    """Wait until the page is at `path` (a fragment may ride along a redirect)."""
    page.wait_for_url(re.compile(rf"^[^?#]*{re.escape(path)}(#.*)?$"))


def _main(page) -> str:
    return page.locator("main").inner_text()


@pytest.mark.django_db(transaction=True)
def test_reminder_to_return_to_review_to_rag_to_chart(browser, live_server, axe, mailoutbox):
    # An agreement in delivery for three months: its first return (for the quarter just
    # ended, a target of 25 of the year's 100 people supported) is due in a few days.
    today = timezone.localdate()
    made = agreement_in_delivery(starts_on=months_add(first_of_month(today), -3))
    agreement = made.agreement
    monitoring_return = agreement.monitoring_returns.order_by("period_start").first()
    assert 0 < (monitoring_return.due_on - today).days <= 14
    period = monitoring_return.period_label
    organisation = made.organisation.name
    org_admin(made.organisation, email=PROVIDER, full_name="Jo White")
    lead = agreement.bid.opportunity.specification.commission.lead_officer

    # 1. The morning's sweep reminds the provider; the email links to the return.
    sent = reminders_send_due(today=today)
    assert sent["return_due_soon"] == 1
    (reminder,) = [m for m in mailoutbox if m.to == [PROVIDER]]
    assert period in reminder.subject
    link = re.search(r"https?://\S+/returns/\d+/", reminder.body).group(0)
    assert urlparse(link).path == monitoring_return.get_absolute_url()

    # 2. Following the link asks them to sign in, then opens the return.
    provider = _new_page(browser, live_server)
    provider.goto(urlparse(link).path)
    provider.wait_for_url(re.compile(r"/accounts/login/"))
    axe(provider)
    _sign_in(provider, PROVIDER, already_there=True)
    _wait_for(provider, monitoring_return.get_absolute_url())
    main = _main(provider)
    assert f"Monitoring return for {period}" in main
    assert "This return has not been started" in main
    axe(provider)

    # 3. They fill in the return: the form shows the target and the period's share.
    provider.get_by_role("button", name="Start the return").click()
    _wait_for(provider, f"/returns/{monitoring_return.pk}/edit/")
    main = _main(provider)
    assert "Agreed target for year 1: 100 people" in main
    assert "This period’s share: 25" in main
    axe(provider)
    # Saving and continuing with nothing filled in goes to the check page, which lists what
    # is missing, each linked to its place.
    provider.get_by_role("button", name="Save and continue").click()
    _wait_for(provider, f"/returns/{monitoring_return.pk}/actions/submit/")
    main = _main(provider)
    assert "You cannot submit the return yet" in main
    assert "Enter the actual for People supported (people)" in main
    axe(provider)
    provider.get_by_role("link", name="Enter the actual for People supported (people)").click()
    _wait_for(provider, f"/returns/{monitoring_return.pk}/edit/#actuals")
    provider.get_by_label("People supported in this period").fill("20")
    provider.get_by_label("What did the service achieve towards its outcomes").fill(NARRATIVE)
    provider.get_by_label("Case study (optional)").fill(CASE_STUDY)
    provider.get_by_label("The people in the case study agree to the council publishing it").check()
    provider.get_by_label("How much did you spend in this period?").fill("2000")
    provider.get_by_label("Risks and issues").fill("None this quarter.")
    axe(provider)
    provider.get_by_role("button", name="Save and continue").click()
    _wait_for(provider, f"/returns/{monitoring_return.pk}/actions/submit/")
    main = _main(provider)
    assert "Check your return before you submit it" in main
    assert NARRATIVE in main and CASE_STUDY in main
    axe(provider)
    provider.get_by_role("button", name="Submit the return").click()
    _wait_for(provider, monitoring_return.get_absolute_url())
    main = _main(provider)
    assert f"Return for {period} submitted. We have told the council’s officer." in main
    assert "Version 1" in main
    axe(provider)
    assert any(m.to == [lead.email] and period in m.subject for m in mailoutbox)

    # 4. The officer finds it waiting for review and asks for changes to the actuals.
    staff = _sign_in(_new_page(browser, live_server), lead.email)
    staff.goto("/staff/returns/")
    main = _main(staff)
    assert "1 return waiting for review" in main and organisation in main
    axe(staff)
    staff.get_by_role("link", name=re.compile(re.escape(period))).first.click()
    _wait_for(staff, monitoring_return.get_absolute_url())
    assert NARRATIVE in _main(staff)
    axe(staff)
    staff.get_by_role("button", name="Ask for changes").click()
    _wait_for(staff, f"/returns/{monitoring_return.pk}/actions/request_changes/")
    assert f"Ask for changes to the return for {period}" in _main(staff)
    axe(staff)
    # No comment at all: the GOV.UK error summary and the message beside the first box.
    staff.get_by_role("button", name=f"Send the comments to {organisation}").click()
    summary = staff.locator(".govuk-error-summary").inner_text()
    assert "Enter a comment on at least one part of the return that needs changing" in summary
    assert staff.title().startswith("Error: ")
    axe(staff)
    staff.get_by_label("What needs changing in “Progress against targets”? (optional)").fill(
        COMMENT
    )
    staff.get_by_role("button", name=f"Send the comments to {organisation}").click()
    _wait_for(staff, "/staff/returns/")
    assert f"Return for {period} sent back to {organisation} with your comments." in _main(staff)
    axe(staff)
    monitoring_return.refresh_from_db()
    assert monitoring_return.state == ReturnState.CHANGES_REQUESTED
    assert any(m.to == [PROVIDER] and COMMENT in m.body for m in mailoutbox)

    # 5. The provider reads the comment beside the figure, corrects it and submits again.
    provider.reload()
    main = _main(provider)
    assert "The council has asked for changes" in main and COMMENT in main
    axe(provider)
    provider.get_by_role("button", name="Continue the return").click()
    _wait_for(provider, f"/returns/{monitoring_return.pk}/edit/")
    assert COMMENT in _main(provider)
    axe(provider)
    provider.get_by_label("People supported in this period").fill("24")
    provider.get_by_role("button", name="Save and continue").click()
    _wait_for(provider, f"/returns/{monitoring_return.pk}/actions/submit/")
    axe(provider)
    provider.get_by_role("button", name="Submit the return").click()
    _wait_for(provider, monitoring_return.get_absolute_url())
    main = _main(provider)
    assert "Version 2" in main and "Version 1" in main
    axe(provider)

    # 6. The officer accepts the second version.
    staff.goto(monitoring_return.get_absolute_url())
    axe(staff)
    staff.get_by_role("button", name="Accept the return").click()
    _wait_for(staff, f"/returns/{monitoring_return.pk}/actions/accept/")
    axe(staff)
    staff.get_by_role("button", name="Accept the return").click()
    _wait_for(staff, "/staff/returns/")
    main = _main(staff)
    assert f"Return for {period} from {organisation} accepted." in main
    assert "No returns are waiting for review" in main
    axe(staff)

    # 7. ... and sets the agreement's RAG status, which starts its history.
    staff.goto(f"/staff/agreements/{agreement.pk}/monitoring/")
    main = _main(staff)
    assert "Not set yet." in main and "Accepted" in main
    axe(staff)
    staff.get_by_role("link", name="Set the RAG status").click()
    _wait_for(staff, f"/staff/agreements/{agreement.pk}/rag/")
    axe(staff)
    staff.get_by_role("button", name="Save the RAG status").click()
    summary = staff.locator(".govuk-error-summary").inner_text()
    assert "Select red, amber or green" in summary and "Enter why you gave this rating" in summary
    axe(staff)
    staff.get_by_label("Green – on track").check()
    staff.get_by_label("Why?").fill(RAG_REASON)
    staff.get_by_role("button", name="Save the RAG status").click()
    _wait_for(staff, f"/staff/agreements/{agreement.pk}/monitoring/")
    main = _main(staff)
    assert "RAG status set to Green" in main and RAG_REASON in main
    axe(staff)
    status = RagStatus.objects.get(agreement=agreement)
    assert (status.rating, status.set_by) == ("green", lead)

    # 8. The performance chart and its table show the new actual, accepted.
    staff.goto(f"/staff/agreements/{agreement.pk}/performance/")
    main = _main(staff)
    assert f"By the end of {period}: 24 against a target to date of 25" in main
    assert "(not yet accepted)" not in main
    row = staff.get_by_role("row", name=re.compile(re.escape(period))).inner_text()
    assert re.search(r"\b25\s+24\s+25\s+24\b", row), row
    marker = staff.locator("svg.portal-chart circle.portal-chart__actual-point title")
    assert marker.all_text_contents() == [f"{period}: actual to date 24 people"]
    axe(staff)
    # The provider sees the same on their side.
    provider.goto(f"/agreements/{agreement.pk}/performance/")
    assert f"By the end of {period}: 24 against a target to date of 25" in _main(provider)
    axe(provider)
