"""From bids received to an accepted agreement: the officer assigns the bids to the panel;
one panel member declares a conflict and the officer reassigns that bid; the panel scores;
the officer moderates, ranks and recommends; an approver approves the awards; the
unsuccessful bidder reads their feedback; the award appears on the public register; the
officer sends the agreement and the provider's admin accepts it."""

import re

import pytest

from core.roles import Role
from core.templatetags.portal import govuk_datetime
from procurement.models import (
    Agreement,
    Assignment,
    AwardDecision,
    ConflictDeclaration,
    ModeratedScore,
    Outcome,
)
from providers.models import Membership
from tests.browser.conftest import enter_sign_in_code
from tests.factories import OrganisationFactory, UserFactory
from tests.procurement.factories_assessment import closed_opportunity, panel_member_add
from tests.procurement.factories_bids import submitted_bid

PASSWORD = "a-long-test-password"
WINNER = "Bare Lane Money Advice"
RUNNER_UP = "Heysham Credit Union"
CONFLICT = "I am a trustee of Heysham Credit Union."
REASONS_NOT_FUNDED = "Its plan for reaching people in Heysham was not yet developed enough."
CONDITIONS = "Quarterly monitoring returns; the adviser in post before the first payment."


def _new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    return context.new_page()


def _sign_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    enter_sign_in_code(page, email)
    return page


def _bid(opportunity, organisation, *, amount: int):
    """A submitted bid asking for `amount`, its budget adding up to it."""
    bid = submitted_bid(opportunity=opportunity, organisation=organisation)
    bid.amount_requested = amount
    bid.save()
    bid.budget_lines.update(amount=amount)
    return bid


def _main(page) -> str:
    return page.locator("main").inner_text()


def _score(page, number: int, score: int, comment: str) -> None:
    """Choose a score (0 to 5) and write a comment for one question on a scoring page."""
    group = page.get_by_role("group", name=re.compile(rf"score for question {number}$"))
    group.get_by_label(re.compile(rf"^\s*{score} – ")).check()
    page.get_by_label(re.compile(rf"comment on question {number}$")).fill(comment)


def _score_and_send(page, axe, assignment: Assignment, scores: list[int]) -> None:
    """A panel member scores every question of an assigned bid and sends the scores."""
    reference = assignment.bid.reference
    page.goto("/assessment/")
    page.get_by_role("link", name=reference).click()
    page.wait_for_url(f"**/assessment/assignments/{assignment.pk}/")
    main = _main(page)
    assert f"Score {reference}" in main
    assert "What the scores mean" in main and "Excellent" in main
    for number, score in enumerate(scores, start=1):
        _score(page, number, score, f"Scored {score}: the answer to question {number} was read.")
    axe(page)
    page.get_by_role("button", name="Save and send your scores").click()
    page.wait_for_url(f"**/assessment/assignments/{assignment.pk}/submit/")
    assert "Check your scores before you send them" in _main(page)
    axe(page)
    page.get_by_role("button", name="Send your scores").click()
    page.wait_for_url(f"**/assessment/assignments/{assignment.pk}/")
    main = _main(page)
    assert f"Your scores for {reference} have been sent to the commissioning officer" in main
    assert "They cannot be changed" in main
    axe(page)


def _moderate(page, axe, bid, scores: list[int]) -> None:
    """The officer records a moderated score and the reasons for each question of a bid."""
    page.get_by_role("link", name=f"Moderate of {bid.reference}").click()
    page.wait_for_url(f"**/staff/bids/{bid.pk}/moderate/")
    assert f"Moderate {bid.organisation.name}’s bid" in _main(page)
    axe(page)
    for number, score in enumerate(scores, start=1):
        group = page.get_by_role("group", name=f"Moderated score for question {number}")
        group.get_by_label(re.compile(rf"^\s*{score} – ")).check()
        page.get_by_label(f"Reasons for the moderated score for question {number}").fill(
            f"Moderated to {score}: the panel agreed on the evidence for question {number}."
        )
    page.get_by_role("button", name="Save moderated scores").click()
    page.wait_for_url(re.compile(rf"/moderation/#bid-{bid.pk}$"))
    assert f"Moderated scores saved for {bid.reference}" in _main(page)
    axe(page)


@pytest.mark.django_db(transaction=True)
def test_panel_scores_officer_recommends_approver_approves_provider_accepts(
    browser, live_server, axe, mailoutbox
):
    officer = UserFactory(roles=[Role.OFFICER], email="sam@example.org", full_name="Sam Okafor")
    approver = UserFactory(
        roles=[Role.APPROVER], email="ada@example.org", full_name="Ada Whitfield"
    )
    priya = UserFactory(
        roles=[Role.PANEL_MEMBER], email="priya@example.org", full_name="Priya Shah"
    )
    tom = UserFactory(roles=[Role.PANEL_MEMBER], email="tom@example.org", full_name="Tom Hughes")
    opportunity = closed_opportunity(
        lead_officer=officer, title="Community money advice", questions=2
    )
    commission = opportunity.specification.commission
    winner = OrganisationFactory(name=WINNER)
    runner_up = OrganisationFactory(name=RUNNER_UP)
    jo = UserFactory(roles=[Role.PROVIDER], email="jo@example.org", full_name="Jo White")
    Membership.objects.create(organisation=winner, user=jo, role=Membership.Role.ADMIN)
    ravi = UserFactory(roles=[Role.PROVIDER], email="ravi@example.org", full_name="Ravi Patel")
    Membership.objects.create(organisation=runner_up, user=ravi, role=Membership.Role.ADMIN)
    # Together the two bids ask for more than the £60,000 budget.
    winning_bid = _bid(opportunity, winner, amount=40000)
    other_bid = _bid(opportunity, runner_up, amount=35000)
    for user in (priya, tom):
        panel_member_add(opportunity, user=user, declared=False)

    # 1. The officer assigns both bids to Priya and the winning bid to Tom too.
    staff = _sign_in(_new_page(browser, live_server), "sam@example.org")
    staff.goto(f"/staff/opportunities/{opportunity.pk}/")
    axe(staff)
    staff.get_by_role("link", name="Form the panel and assign the bids").click()
    staff.wait_for_url(f"**/staff/opportunities/{opportunity.pk}/panel/")
    main = _main(staff)
    assert "Assessment panel" in main
    assert main.count("Not declared yet") == 2
    axe(staff)
    staff.get_by_label(f"Assign {winning_bid.reference} to Priya Shah").check()
    staff.get_by_label(f"Assign {other_bid.reference} to Priya Shah").check()
    staff.get_by_label(f"Assign {winning_bid.reference} to Tom Hughes").check()
    staff.get_by_role("button", name="Save assignments").click()
    staff.wait_for_url(f"**/staff/opportunities/{opportunity.pk}/panel/")
    assert "Assignments saved: 3 assignments added" in _main(staff)
    axe(staff)

    # 2. Priya declares a conflict with the runner-up and none with the winner.
    panel = _sign_in(_new_page(browser, live_server), "priya@example.org")
    panel.goto("/assessment/")
    main = _main(panel)
    assert "Declare your interests before you read any bid" in main
    axe(panel)
    panel.get_by_role("link", name="Declare your interests for Community money advice").click()
    panel.wait_for_url(f"**/assessment/opportunities/{opportunity.pk}/declare/")
    axe(panel)
    winner_group = panel.get_by_role("group", name=WINNER, exact=True)
    winner_group.get_by_label("No conflict of interest").check()
    runner_up_group = panel.get_by_role("group", name=RUNNER_UP, exact=True)
    runner_up_group.get_by_label("I have a conflict of interest").check()
    runner_up_group.get_by_label("Professional").check()
    runner_up_group.get_by_label("Describe the conflict").fill(CONFLICT)
    axe(panel)
    panel.get_by_role("button", name="Send your declarations").click()
    panel.wait_for_url("**/assessment/")
    main = _main(panel)
    assert "Your declarations have been recorded" in main
    assert "the commissioning officer has been told" in main
    assert "Removed: you declared a conflict" in main
    axe(panel)
    # The bid is no longer hers: no link to it, and its page says why.
    assert panel.get_by_role("link", name=other_bid.reference).count() == 0
    taken_away = Assignment.objects.get(bid=other_bid, panel_member__user=priya)
    response = panel.goto(f"/assessment/assignments/{taken_away.pk}/")
    assert response.status == 403
    assert "This bid is no longer yours to assess" in _main(panel)
    axe(panel)

    # Tom declares no conflicts.
    tom_page = _sign_in(_new_page(browser, live_server), "tom@example.org")
    tom_page.goto(f"/assessment/opportunities/{opportunity.pk}/declare/")
    for organisation in (WINNER, RUNNER_UP):
        group = tom_page.get_by_role("group", name=organisation, exact=True)
        group.get_by_label("No conflict of interest").check()
    tom_page.get_by_role("button", name="Send your declarations").click()
    tom_page.wait_for_url("**/assessment/")
    main = _main(tom_page)
    assert "Your declarations have been recorded" in main
    assert "the commissioning officer has been told" not in main
    axe(tom_page)

    # 3. The officer is told by email and on the panel page, and reassigns the bid to Tom.
    assert any(m.to == ["sam@example.org"] for m in mailoutbox)
    staff.reload()
    assert "Not declared yet" not in _main(staff)
    banner = staff.get_by_role("region", name="Important").inner_text()
    assert "A conflict of interest has been declared" in banner
    assert f"Priya Shah declared a professional conflict with {RUNNER_UP}" in banner
    axe(staff)
    staff.get_by_role("link", name=f"{other_bid.reference} needs reassigning").click()
    staff.wait_for_url(f"**/staff/assignments/{taken_away.pk}/resolve/")
    main = _main(staff)
    assert f"Reassign {other_bid.reference}" in main and CONFLICT in main
    axe(staff)
    staff.get_by_label("Tom Hughes").check()
    staff.get_by_role("button", name="Save").click()
    staff.wait_for_url(f"**/staff/opportunities/{opportunity.pk}/panel/")
    main = _main(staff)
    assert f"{other_bid.reference} reassigned to Tom Hughes" in main
    assert "A conflict of interest has been declared" not in main
    axe(staff)

    # 4. The panel scores: Priya the winning bid, Tom both.
    priya_winner = Assignment.objects.get(bid=winning_bid, panel_member__user=priya)
    tom_winner = Assignment.objects.get(bid=winning_bid, panel_member__user=tom)
    tom_other = Assignment.objects.get(bid=other_bid, panel_member__user=tom)
    _score_and_send(panel, axe, priya_winner, [5, 4])
    # Until Tom has sent his, Priya sees only her own scores.
    assert "No other panel member has sent their scores for this bid yet" in _main(panel)
    _score_and_send(tom_page, axe, tom_winner, [2, 4])
    assert "The panel’s scores" in _main(tom_page)
    assert "Priya Shah" in _main(tom_page)
    _score_and_send(tom_page, axe, tom_other, [3, 2])

    # 5. The officer moderates each bid, ranks them and recommends the awards.
    staff.goto(f"/staff/opportunities/{opportunity.pk}/moderation/")
    main = _main(staff)
    assert "Moderation" in main and "2 bids received; 0 moderated" in main
    assert "Scores differ by 3" in main  # Priya 5, Tom 2 on question 1 of the winning bid
    axe(staff)
    _moderate(staff, axe, winning_bid, [4, 4])
    _moderate(staff, axe, other_bid, [3, 2])
    assert "2 bids received; 2 moderated" in _main(staff)
    staff.get_by_role("link", name="Rank the bids within the budget and recommend awards").click()
    staff.wait_for_url(f"**/staff/opportunities/{opportunity.pk}/ranking/")
    main = _main(staff)
    assert "Ranking and recommendation" in main
    assert f"{winning_bid.reference} – {WINNER}: £40,000, scored 80.00" in main
    axe(staff)
    # The proposal chose the award; the officer adds conditions and the other's reasons.
    staff.get_by_label(f"Conditions of the award (optional) to {winning_bid.reference}").fill(
        CONDITIONS
    )
    staff.get_by_label(f"Reasons the bid was not successful ({other_bid.reference})").fill(
        REASONS_NOT_FUNDED
    )
    axe(staff)
    staff.get_by_role("button", name="Save the recommendation").click()
    staff.wait_for_url(f"**/staff/opportunities/{opportunity.pk}/recommendation/")
    main = _main(staff)
    assert "Recommendation saved" in main
    assert "£40,000 of the budget of £60,000" in main
    assert REASONS_NOT_FUNDED in main and "Sam Okafor" in main
    axe(staff)
    staff.get_by_role("button", name="Recommend awards for approval").click()
    staff.wait_for_url(f"**/staff/commissions/{commission.pk}/actions/request_award_approval/")
    axe(staff)
    staff.get_by_role("button", name="Recommend awards for approval").click()
    staff.wait_for_url(f"**/staff/commissions/{commission.pk}/")
    assert f"{commission.reference} is now at: Awards awaiting approval" in _main(staff)
    axe(staff)
    # Whoever recommended the awards is not offered approving them.
    staff.goto(f"/staff/opportunities/{opportunity.pk}/recommendation/")
    assert "An approver who did not recommend these awards approves them" in _main(staff)
    assert staff.get_by_role("button", name="Approve the awards").count() == 0
    axe(staff)

    # 6. The approver reads the recommendation and approves the awards.
    approving = _sign_in(_new_page(browser, live_server), "ada@example.org")
    approving.goto(f"/staff/opportunities/{opportunity.pk}/recommendation/")
    main = _main(approving)
    assert "Award recommendation" in main and CONDITIONS in main and REASONS_NOT_FUNDED in main
    axe(approving)
    approving.get_by_role("button", name="Approve the awards").click()
    approving.wait_for_url(f"**/staff/commissions/{commission.pk}/actions/approve_awards/")
    axe(approving)
    approving.get_by_role("button", name="Approve the awards").click()
    approving.wait_for_url(f"**/staff/commissions/{commission.pk}/")
    assert f"{commission.reference} is now at: Delivery" in _main(approving)
    axe(approving)
    commission.refresh_from_db()
    assert commission.state == "delivery"
    decided_for = {m.to[0] for m in mailoutbox if "decision" in m.subject.lower()}
    assert {"jo@example.org", "ravi@example.org"} <= decided_for

    # 7. The unsuccessful bidder reads their feedback.
    bidder = _sign_in(_new_page(browser, live_server), "ravi@example.org")
    bidder.goto("/bids/")
    assert "Not successful" in _main(bidder)
    axe(bidder)
    bidder.get_by_role("link", name=f"Read the feedback on your bid {other_bid.reference}").click()
    bidder.wait_for_url(f"**/bids/{other_bid.pk}/feedback/")
    main = _main(bidder)
    assert f"Decision and feedback on {other_bid.title}" in main
    assert "Not successful" in main and REASONS_NOT_FUNDED in main
    rows = bidder.locator("table tbody tr").all_inner_texts()
    assert len(rows) == 2
    assert "Question 1" in rows[0] and "3 out of 5 – Satisfactory" in rows[0]
    assert "Question 2" in rows[1] and "2 out of 5 – Weak" in rows[1]
    for row, moderated in zip(
        rows, ModeratedScore.objects.filter(bid=other_bid).order_by("question__order"), strict=True
    ):
        assert moderated.rationale in row
    assert "50 out of 100" in main
    axe(bidder)

    # 8. The award is on the public register; the unsuccessful bid is not.
    public = _new_page(browser, live_server)
    public.goto("/decisions/")
    main = _main(public)
    assert "Award decisions" in main
    assert f"{WINNER}: £40,000" in main
    assert RUNNER_UP not in main
    axe(public)
    public.get_by_role("link", name=f"{WINNER}: £40,000").click()
    public.wait_for_url(re.compile(r"/decisions/\d+/$"))
    assert winner.org_id in _main(public)
    axe(public)

    # 9. The officer sends the agreement; the winner's admin reads and accepts it.
    agreement = Agreement.objects.get()
    staff.goto("/staff/agreements/")
    axe(staff)
    staff.get_by_role("link", name=agreement.reference).click()
    staff.wait_for_url(f"**/agreements/{agreement.pk}/")
    assert "Before it is sent to the provider" in _main(staff)
    checklist = staff.locator(".portal-checklist").inner_text()
    assert "The payment instalments add up to the amount of the agreement" in checklist
    assert "Missing" not in checklist
    axe(staff)
    staff.get_by_role("button", name="Send to the provider to accept").click()
    staff.wait_for_url(f"**/staff/agreements/{agreement.pk}/actions/issue/")
    assert "£40,000" in _main(staff)
    axe(staff)
    staff.get_by_role("button", name="Send to the provider to accept").click()
    staff.wait_for_url(f"**/agreements/{agreement.pk}/")
    assert f"Agreement {agreement.reference} sent to {WINNER}" in _main(staff)
    axe(staff)

    provider = _sign_in(_new_page(browser, live_server), "jo@example.org")
    provider.goto("/agreements/")
    axe(provider)
    provider.get_by_role("link", name=agreement.reference).click()
    provider.wait_for_url(f"**/agreements/{agreement.pk}/")
    assert "The council has sent this agreement" in _main(provider)
    axe(provider)
    provider.get_by_role("button", name="Read and accept").click()
    provider.wait_for_url(f"**/agreements/{agreement.pk}/accept/")
    assert "Read and accept the agreement" in _main(provider)
    axe(provider)
    provider.get_by_label(
        f"I confirm I am authorised to accept this agreement on behalf of {WINNER}"
    ).check()
    provider.get_by_role("button", name="Accept the agreement").click()
    provider.wait_for_url(f"**/agreements/{agreement.pk}/")
    main = _main(provider)
    assert f"You have accepted agreement {agreement.reference} on behalf of {WINNER}" in main
    agreement.refresh_from_db()
    assert f"Accepted by Jo White at {govuk_datetime(agreement.accepted_at)}" in main
    axe(provider)

    # What the council now holds.
    declaration = ConflictDeclaration.objects.get(has_conflict=True)
    assert declaration.organisation == runner_up and declaration.declared_by == priya
    assert declaration.description == CONFLICT
    taken_away.refresh_from_db()
    assert taken_away.conflict == declaration
    assert taken_away.conflict_resolved_by == officer and taken_away.submitted_at is None
    assert Assignment.objects.filter(bid=other_bid, conflict__isnull=True).get() == tom_other
    award = AwardDecision.objects.get(bid=winning_bid)
    assert award.outcome == Outcome.SUCCESSFUL and award.amount == 40000
    assert award.recommended_by == officer and award.approved_by == approver
    assert award.conditions == CONDITIONS
    refusal = AwardDecision.objects.get(bid=other_bid)
    assert refusal.outcome == Outcome.UNSUCCESSFUL and refusal.reasons == REASONS_NOT_FUNDED
    assert agreement.state == "accepted"
    assert agreement.accepted_by == jo and agreement.accepted_at is not None
    assert agreement.issued_by == officer
