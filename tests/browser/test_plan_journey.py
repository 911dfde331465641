"""An officer goes from options appraisal to a published Commissioning Plan whose PDF
downloads; an approver signs off the commission's plan and the Commissioning Plan."""

import pytest

from commissioning.models import Area, CommissioningPlan
from core.roles import Role
from tests.browser.conftest import enter_sign_in_code
from tests.commissioning.test_commission_lifecycle import _satisfy_understand
from tests.factories import CommissionFactory, UserFactory

CRITERIA = [
    "links-to-priorities",
    "deliverability",
    "quality-assurance",
    "value-for-money",
    "added-value",
    "sustainability",
    "collaboration",
    "service-specific",
]


def _sign_in(context, email):
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    enter_sign_in_code(page, email)
    return page


def _confirm(page, action: str, reason: str = ""):
    page.get_by_role("button", name=action).first.click()
    page.wait_for_url("**/actions/**")
    if reason:
        page.locator("textarea").first.fill(reason)
    page.get_by_role("button", name=action).click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_officer_appraises_options_designs_a_service_and_publishes_the_plan(
    browser, live_server, axe, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path)
    lancaster = Area.objects.create(name="Lancaster", slug="lancaster", kind=Area.Kind.AREA)
    officer = UserFactory(roles=[Role.OFFICER], email="sam@example.org", full_name="Sam Okafor")
    UserFactory(roles=[Role.APPROVER], email="helen@example.org", full_name="Helen Marsden")
    commission = CommissionFactory(
        title="Independent advice and advocacy",
        lead_officer=officer,
        state="planning",
        areas=[lancaster],
    )
    _satisfy_understand(commission)
    officer_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = _sign_in(officer_context, "sam@example.org")

    # Options appraisal: one option scored against every core criterion, then recommended.
    page.goto(f"/staff/commissions/{commission.pk}/options/")
    axe(page)
    page.get_by_role("button", name="Add an option").click()
    page.get_by_label("Title").fill("Partnership of advice agencies")
    page.get_by_label("Description").fill("One grant to a partnership with a shared front door.")
    page.get_by_label("Estimated cost (£)").fill("210000")
    page.get_by_label("Expected outcomes").fill("People get advice before problems become crises.")
    page.get_by_label("Risks").fill("Agencies must agree shared processes.")
    for slug in CRITERIA:
        page.locator(f"#id_score_{slug}_5").check()  # the fifth radio is a score of 4
    axe(page)
    page.get_by_role("button", name="Save option").click()
    page.wait_for_url(f"**/staff/commissions/{commission.pk}/options/")
    assert "80%" in page.locator("main").inner_text()  # 32 of 40, weighted
    page.get_by_role("button", name="Recommend this option").click()
    page.get_by_label("Why is this option recommended?").fill("Best value; prevents crises.")
    axe(page)
    page.get_by_role("button", name="Recommend this option").click()
    page.wait_for_load_state()
    assert "Recommended" in page.locator("main").inner_text()

    # Service design: a specification with an outcome and a success measure with targets.
    page.goto(f"/staff/commissions/{commission.pk}/specifications/new/")
    page.get_by_label("Title").fill("Money, debt and benefits advice")
    page.get_by_label("Service description").fill("Free, independent advice on money and debt.")
    page.get_by_label("Budget (£)").fill("150000")
    page.get_by_label("Duration in months").fill("24")
    page.get_by_label("Who is eligible to bid").fill("Voluntary and community organisations.")
    axe(page)
    page.get_by_role("button", name="Save specification").click()
    page.wait_for_url("**/staff/specifications/*/")
    specification_url = page.url
    page.goto(specification_url + "outcomes/")
    page.get_by_label("Outcome 1").fill("People resolve money problems before they become crises")
    axe(page)
    page.get_by_role("button", name="Save outcomes").click()
    page.wait_for_load_state()
    page.goto(specification_url + "measures/")
    page.get_by_label("Success measure").select_option(label="People supported (people)")
    page.get_by_label("Year 1").fill("1,200")
    page.get_by_label("Year 2").fill("1,300")
    axe(page)
    page.get_by_role("button", name="Add success measure").click()
    page.wait_for_load_state()
    assert "There is a problem" not in page.content(), page.locator("main").inner_text()[:800]
    page.goto(specification_url)
    assert "This specification is complete" in page.locator("main").inner_text()
    axe(page)

    # The commission goes for plan approval; an approver approves it.
    page.goto(commission.get_absolute_url())
    _confirm(page, "Ask for plan approval")
    approver_context = browser.new_context(base_url=live_server.url, locale="en-GB")
    approver = _sign_in(approver_context, "helen@example.org")
    approver.goto(commission.get_absolute_url())
    axe(approver)
    _confirm(approver, "Approve the plan")
    commission.refresh_from_db()
    assert commission.state == "approved"

    # The Commissioning Plan: draft, choose the specification, send for approval.
    page.goto("/staff/plans/new/")
    page.get_by_label("Voluntary, Community and Faith Sector").check()
    page.get_by_label("Title").fill("VCFS Commissioning Plan 2027 to 2029")
    page.locator("#id_period_start_0").fill("1")
    page.locator("#id_period_start_1").fill("4")
    page.locator("#id_period_start_2").fill("2027")
    page.locator("#id_period_end_0").fill("31")
    page.locator("#id_period_end_1").fill("3")
    page.locator("#id_period_end_2").fill("2029")
    for label, text in [
        ("Purpose", "To invest in advice that prevents crises."),
        ("Levels of investment", "£150,000 over two years."),
        ("Expected outcomes", "People resolve money problems earlier."),
        ("Procurement arrangements", "An open grant round on this portal."),
        ("Contractual arrangements", "Grant agreements with quarterly payments."),
        ("Performance management arrangements", "Quarterly monitoring returns."),
    ]:
        page.get_by_label(label, exact=True).fill(text)
    axe(page)
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    plan = CommissioningPlan.objects.get()
    if "/edit/" not in page.url:
        page.goto(f"/staff/plans/{plan.pk}/edit/")
    page.get_by_label("Money, debt and benefits advice", exact=False).check()
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    page.goto(f"/staff/plans/{plan.pk}/")
    axe(page)
    _confirm(page, "Send for approval")

    approver.goto(f"/staff/plans/{plan.pk}/")
    _confirm(approver, "Approve the plan")
    page.goto(f"/staff/plans/{plan.pk}/")
    _confirm(page, "Publish the plan")
    plan.refresh_from_db()
    assert plan.state == "published"
    assert plan.pdf.name.endswith(".pdf")

    # The public read it, and its PDF downloads from storage.
    public = browser.new_context(base_url=live_server.url, locale="en-GB").new_page()
    public.goto("/plans/")
    axe(public)
    public.get_by_role("link", name="VCFS Commissioning Plan 2027 to 2029").click()
    assert "Money, debt and benefits advice" in public.locator("main").inner_text()
    axe(public)
    with public.expect_download() as download_info:
        public.get_by_role("link", name="Download the PDF").click()
    download = download_info.value
    path = tmp_path / "plan.pdf"
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF-")
    assert download.suggested_filename == f"{plan.slug}.pdf"
