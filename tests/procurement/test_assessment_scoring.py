"""The panel member's side: their assessments, declaring interests before they read any bid,
scoring against the descriptors, sending the scores, and declaring a conflict found while
reading. A conflicted or undeclared panel member never sees the bid."""

import datetime as dt
import re
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from procurement.models import Assignment, BidAnswer, ConflictDeclaration, PanelMember, Score
from procurement.selectors.assessment import (
    commission_conflicts_are_resolved,
    commission_scores_are_complete,
)
from tests.factories import OrganisationFactory
from tests.procurement.factories_assessment import (
    assign,
    closed_opportunity,
    panel_member_add,
    scores_give,
)
from tests.procurement.factories_bids import (
    OpportunityFactory,
    attachment_add,
    partner_add,
    submitted_bid,
)

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
SECRET = "Our befriending volunteers visit Skerton every Tuesday"


def text_of(response) -> str:
    """The page's text with tags removed and spaces collapsed, as a person reads it."""
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def score_url(assignment, suffix: str = "") -> str:
    return f"/assessment/assignments/{assignment.pk}/{suffix}"


def declare_url(opportunity) -> str:
    return f"/assessment/opportunities/{opportunity.pk}/declare/"


def questions_of(bid):
    return list(bid.opportunity.questions.order_by("order", "pk"))


@pytest.fixture
def setting(officer, panel_member):
    """A closed opportunity led by `officer` with two bids received: Lune Valley Advice's
    alone (with an attachment and a distinctive answer), and Morecambe Bay Foodbank's with
    Heysham Youth Hub as partner. `panel_member` (Pat Panel) is on the panel, not declared
    yet, and is assigned both."""
    opportunity = closed_opportunity(lead_officer=officer)
    lune = submitted_bid(
        opportunity=opportunity, organisation=OrganisationFactory(name="Lune Valley Advice")
    )
    BidAnswer.objects.filter(bid=lune, question=questions_of(lune)[0]).update(text=SECRET)
    attachment = attachment_add(lune, name="lune-plan.pdf")
    foodbank = submitted_bid(
        opportunity=opportunity, organisation=OrganisationFactory(name="Morecambe Bay Foodbank")
    )
    partner = partner_add(foodbank, OrganisationFactory(name="Heysham Youth Hub"), confirmed=True)
    place = panel_member_add(opportunity, user=panel_member, declared=False)
    return {
        "opportunity": opportunity,
        "lune": lune,
        "foodbank": foodbank,
        "partner": partner.organisation,
        "attachment": attachment,
        "place": place,
        "lune_assignment": assign(lune, place),
        "foodbank_assignment": assign(foodbank, place),
    }


def declare_none(client, setting):
    """Pat declares no conflict with anyone."""
    data = {
        f"conflict_{org.pk}": "no"
        for org in (
            setting["lune"].organisation,
            setting["foodbank"].organisation,
            setting["partner"],
        )
    }
    return client.post(declare_url(setting["opportunity"]), data)


# --- Your assessments ----------------------------------------------------------------------------


def test_only_panel_members_have_assessments(
    client, officer, approver, provider_user, administrator
):
    assert client.get("/assessment/").status_code == 302
    for someone in (officer, approver, provider_user, administrator):
        client.force_login(someone)
        assert client.get("/assessment/").status_code == 403


def test_your_assessments_before_declaring(client, setting, panel_member):
    client.force_login(panel_member)
    response = client.get("/assessment/")
    page = text_of(response)
    assert setting["opportunity"].title in page
    assert "Declare your interests before you read any bid" in page
    assert f'href="{declare_url(setting["opportunity"])}"' in response.content.decode()
    assert setting["lune"].reference in page
    assert "Declare your interests first" in page
    assert f'href="{score_url(setting["lune_assignment"])}"' not in response.content.decode()


def test_your_assessments_show_progress_sent_scores_and_removed_bids(client, setting, panel_member):
    place = setting["place"]
    place.declarations_completed_at = dt.datetime(2026, 11, 25, 10, tzinfo=LONDON)
    place.save()
    lune = setting["lune_assignment"]
    scores_give(lune, 3)
    lune.submitted_at = dt.datetime(2026, 11, 26, 11, tzinfo=LONDON)
    lune.save()
    ConflictDeclaration.objects.create(
        panel_member=place,
        organisation=setting["partner"],
        has_conflict=True,
        kind="personal",
        description="My daughter works there.",
        declared_by=panel_member,
    )
    setting["foodbank_assignment"].conflict = ConflictDeclaration.objects.get()
    setting["foodbank_assignment"].save()
    other = submitted_bid(opportunity=setting["opportunity"])
    partial = assign(other, place)
    Score.objects.create(
        assignment=partial, question=questions_of(other)[0], score=2, comment="Thin evidence."
    )
    client.force_login(panel_member)
    page = text_of(client.get("/assessment/"))
    assert "You declared your interests on 25 November 2026" in page
    assert f"{lune.bid.reference} Lune Valley Advice Scores sent 26 November 2026" in page
    assert (
        f"{setting['foodbank'].reference} Morecambe Bay Foodbank Removed: you declared a conflict"
        in page
    )
    assert f"{other.reference} {other.organisation.name} 1 of 3 questions scored" in page


def test_your_assessments_query_count_does_not_grow(client, panel_member):
    client.force_login(panel_member)

    def queries_with(panels: int) -> int:
        while PanelMember.objects.filter(user=panel_member).count() < panels:
            opportunity = closed_opportunity()
            place = panel_member_add(opportunity, user=panel_member)
            for n in range(3):
                assignment = assign(submitted_bid(opportunity=opportunity), place)
                scores_give(assignment, 2, submit=n == 0)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/assessment/").status_code == 200
        return len(queries)

    assert queries_with(2) == queries_with(6)


# --- Declaring interests -------------------------------------------------------------------------


def test_declarations_open_when_bidding_closes(client, panel_member):
    opportunity = OpportunityFactory(closes_at=dt.datetime(2027, 1, 15, 17, tzinfo=LONDON))
    submitted_bid(opportunity=opportunity, organisation=OrganisationFactory(name="Early Org"))
    panel_member_add(opportunity, user=panel_member, declared=False)
    client.force_login(panel_member)
    page = text_of(client.get(declare_url(opportunity)))
    assert "You can declare your interests when bidding closes, at 5pm on 15 January 2027" in page
    assert "Early Org" not in page
    client.post(declare_url(opportunity), {})
    assert not ConflictDeclaration.objects.exists()


def test_a_panel_member_not_on_the_panel_gets_404(client, setting, make_user):
    stranger = make_user(Role.PANEL_MEMBER)
    client.force_login(stranger)
    assert client.get(declare_url(setting["opportunity"])).status_code == 404
    assert client.post(declare_url(setting["opportunity"]), {}).status_code == 404


def test_one_fieldset_per_bidding_organisation_each_once(client, setting, panel_member):
    # Lune Valley Advice is also a partner in another bid: it is still asked about once.
    extra = submitted_bid(opportunity=setting["opportunity"])
    partner_add(extra, setting["lune"].organisation, confirmed=True)
    client.force_login(panel_member)
    html = client.get(declare_url(setting["opportunity"])).content.decode()
    legends = re.findall(r'<h2 class="govuk-fieldset__heading">([^<]+)</h2>', html)
    assert sorted(legend.strip() for legend in legends) == sorted(
        [
            "Heysham Youth Hub",
            "Lune Valley Advice",
            "Morecambe Bay Foodbank",
            extra.organisation.name,
        ]
    )
    page = text_of(client.get(declare_url(setting["opportunity"])))
    assert "No conflict of interest" in page
    assert "I have a conflict of interest" in page
    assert SECRET not in page


def test_declaration_errors_are_worded_and_nothing_typed_is_lost(client, setting, panel_member):
    client.force_login(panel_member)
    foodbank = setting["foodbank"].organisation
    response = client.post(
        declare_url(setting["opportunity"]),
        {
            f"conflict_{foodbank.pk}": "yes",
            f"description_{foodbank.pk}": "My partner is their treasurer.",
            f"conflict_{setting['partner'].pk}": "yes",
            f"kind_{setting['partner'].pk}": "financial",
        },
    )
    page = text_of(response)
    assert page.startswith("Error: ")
    assert "Select whether you have a conflict of interest with Lune Valley Advice" in page
    assert "Select the kind of conflict" in page
    assert "Describe the conflict" in page
    html = response.content.decode()
    assert "My partner is their treasurer." in html
    assert re.search(r'value="financial"\s+checked', html)
    assert not ConflictDeclaration.objects.exists()
    assert not PanelMember.objects.get(pk=setting["place"].pk).has_declared


def test_declaring_records_who_and_when_and_takes_conflicted_bids_away(
    client, setting, panel_member, officer, django_capture_on_commit_callbacks, clock
):
    client.force_login(panel_member)
    partner = setting["partner"]
    data = {
        f"conflict_{setting['lune'].organisation.pk}": "no",
        f"conflict_{setting['foodbank'].organisation.pk}": "no",
        f"conflict_{partner.pk}": "yes",
        f"kind_{partner.pk}": "professional",
        f"description_{partner.pk}": "I am a trustee of Heysham Youth Hub.",
    }
    clock.move_to(london(2026, 11, 26, 17))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(declare_url(setting["opportunity"]), data)
    assert response.status_code == 302
    assert response["Location"] == "/assessment/"
    page = text_of(client.get("/assessment/"))
    assert "Your declarations have been recorded" in page
    assert "Removed: you declared a conflict" in page

    declarations = ConflictDeclaration.objects.filter(panel_member=setting["place"])
    assert declarations.count() == 3
    assert {d.declared_by for d in declarations} == {panel_member}
    conflict = declarations.get(has_conflict=True)
    assert (conflict.organisation, conflict.kind) == (partner, "professional")
    place = PanelMember.objects.get(pk=setting["place"].pk)
    assert place.declarations_completed_at == dt.datetime(2026, 11, 26, 17, tzinfo=LONDON)
    foodbank, lune = setting["foodbank_assignment"], setting["lune_assignment"]
    foodbank.refresh_from_db()
    lune.refresh_from_db()
    assert foodbank.conflict == conflict
    assert lune.conflict is None

    # The lead officer is told, by email and on the panel page.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [officer.email]
    assert foodbank.bid.reference in mail.outbox[0].body
    assert "Pat Panel has declared a professional conflict of interest with Heysham Youth Hub" in (
        mail.outbox[0].body
    )
    client.force_login(officer)
    page = text_of(client.get(f"/staff/opportunities/{setting['opportunity'].pk}/panel/"))
    assert (
        f"Pat Panel declared a professional conflict with Heysham Youth Hub: "
        f"{foodbank.bid.reference} needs reassigning"
    ) in page
    assert not commission_conflicts_are_resolved(
        commission=setting["opportunity"].specification.commission
    )

    # Afterwards the page shows the declarations, read-only, with who and when.
    client.force_login(panel_member)
    response = client.get(declare_url(setting["opportunity"]))
    page = text_of(response)
    assert "Your declarations of interest" in page
    assert "Professional conflict I am a trustee of Heysham Youth Hub." in page
    assert "26 November 2026, 5pm by Pat Panel" in page
    assert "<form" not in response.content.decode().split('id="main-content"')[1]


def test_declaring_again_is_refused_and_changes_nothing(client, setting, panel_member):
    client.force_login(panel_member)
    declare_none(client, setting)
    first = list(ConflictDeclaration.objects.values_list("pk", "has_conflict", "declared_at"))
    foodbank = setting["foodbank"].organisation
    response = client.post(
        declare_url(setting["opportunity"]),
        {
            f"conflict_{setting['lune'].organisation.pk}": "no",
            f"conflict_{foodbank.pk}": "yes",
            f"kind_{foodbank.pk}": "personal",
            f"description_{foodbank.pk}": "Changed my mind",
            f"conflict_{setting['partner'].pk}": "no",
        },
        follow=True,
    )
    assert "You have already declared your interests for this opportunity" in text_of(response)
    assert (
        list(ConflictDeclaration.objects.values_list("pk", "has_conflict", "declared_at")) == first
    )


def test_a_later_declaration_does_not_overwrite_the_first(
    client, setting, panel_member, mailoutbox, clock
):
    client.force_login(panel_member)
    clock.move_to(london(2026, 11, 26, 9))
    declare_none(client, setting)
    lune_org = setting["lune"].organisation
    clock.move_to(london(2026, 11, 27, 14, 30))
    response = client.post(
        score_url(setting["lune_assignment"], "conflict/"),
        {
            "organisation": lune_org.pk,
            "kind": "financial",
            "description": "I found I hold shares in a company they contract.",
        },
    )
    assert response.status_code == 302
    about_lune = ConflictDeclaration.objects.filter(
        panel_member=setting["place"], organisation=lune_org
    ).order_by("declared_at")
    assert [(d.has_conflict, d.kind) for d in about_lune] == [(False, ""), (True, "financial")]
    assert about_lune[0].declared_at == dt.datetime(2026, 11, 26, 9, tzinfo=LONDON)
    page = text_of(client.get(declare_url(setting["opportunity"])))
    assert "Lune Valley Advice No conflict of interest 26 November 2026, 9am by Pat Panel" in page
    assert (
        "Lune Valley Advice Financial conflict I found I hold shares in a company they contract. "
        "27 November 2026, 2:30pm by Pat Panel"
    ) in page


# --- Nobody reads a bid before declaring, or a bid they are conflicted with ----------------------


def test_a_panel_member_who_has_not_declared_cannot_open_any_bid(client, setting, panel_member):
    client.force_login(panel_member)
    for assignment in (setting["lune_assignment"], setting["foodbank_assignment"]):
        for suffix in ("", "submit/", "conflict/"):
            response = client.get(score_url(assignment, suffix))
            assert response.status_code == 302
            assert response["Location"] == declare_url(setting["opportunity"])
            response = client.post(score_url(assignment, suffix), {"save": "1"})
            assert response.status_code == 302
    page = text_of(client.get(score_url(setting["lune_assignment"]), follow=True))
    assert "Declare your interests before you read any bid" in page
    assert SECRET not in page
    lune = setting["lune"]
    download = f"/bids/{lune.pk}/attachments/{setting['attachment'].pk}/"
    assert client.get(download).status_code == 403
    assert client.get(f"/bids/{lune.pk}/").status_code == 403
    assert not Score.objects.exists()


def test_a_conflicted_panel_member_cannot_open_or_score_that_bid(client, setting, panel_member):
    client.force_login(panel_member)
    lune_org = setting["lune"].organisation
    data = {
        f"conflict_{lune_org.pk}": "yes",
        f"kind_{lune_org.pk}": "personal",
        f"description_{lune_org.pk}": "My brother is its chief executive.",
        f"conflict_{setting['foodbank'].organisation.pk}": "no",
        f"conflict_{setting['partner'].pk}": "no",
    }
    client.post(declare_url(setting["opportunity"]), data)
    conflicted = setting["lune_assignment"]
    conflicted.refresh_from_db()
    assert conflicted.is_conflicted

    first_question = questions_of(setting["lune"])[0]
    for suffix in ("", "submit/", "conflict/"):
        response = client.get(score_url(conflicted, suffix))
        assert response.status_code == 403
        assert SECRET not in response.content.decode()
        response = client.post(
            score_url(conflicted, suffix),
            {f"score_{first_question.pk}": "5", f"comment_{first_question.pk}": "Great"},
        )
        assert response.status_code == 403
        assert SECRET not in response.content.decode()
    page = text_of(client.get(score_url(conflicted)))
    assert "This bid is no longer yours to assess" in page
    assert "you declared a personal conflict of interest with Lune Valley Advice" in page
    lune = setting["lune"]
    assert client.get(f"/bids/{lune.pk}/attachments/{setting['attachment'].pk}/").status_code == 403
    assert client.get(f"/bids/{lune.pk}/").status_code == 403
    for url in ("/assessment/", declare_url(setting["opportunity"])):
        assert SECRET not in client.get(url).content.decode()
    assert not Score.objects.exists()
    assert conflicted.submitted_at is None


def test_someone_elses_assignment_is_404(client, setting, make_user):
    other = make_user(Role.PANEL_MEMBER)
    panel_member_add(setting["opportunity"], user=other)
    client.force_login(other)
    for suffix in ("", "submit/", "conflict/"):
        assert client.get(score_url(setting["lune_assignment"], suffix)).status_code == 404
        assert client.post(score_url(setting["lune_assignment"], suffix), {}).status_code == 404


# --- Scoring ------------------------------------------------------------------------------------


@pytest.fixture
def declared(client, setting, panel_member):
    """Pat has declared no conflicts; the questions weigh 50, 30 and 20."""
    for question, weight in zip(questions_of(setting["lune"]), ("50", "30", "20"), strict=True):
        question.weight = Decimal(weight)
        question.save()
    client.force_login(panel_member)
    declare_none(client, setting)
    return setting


def score_data(questions, values, comments=None):
    data = {"save": "1"}
    for number, (question, value) in enumerate(zip(questions, values, strict=True), start=1):
        if value is not None:
            data[f"score_{question.pk}"] = str(value)
        if value is not None:
            comment = (comments or {}).get(number, f"Comment on question {number}")
            data[f"comment_{question.pk}"] = comment
    return data


def test_the_score_page_shows_the_bid_the_descriptors_and_the_files(client, declared):
    assignment = declared["lune_assignment"]
    response = client.get(score_url(assignment))
    assert response.status_code == 200
    page = text_of(response)
    html = response.content.decode()
    assert SECRET in page
    assert "Lune Valley Advice" in page
    assert "Money advice in Morecambe" in page
    assert "£45,000" in page
    for label in ("Unacceptable", "Poor", "Weak", "Satisfactory", "Good", "Excellent"):
        assert label in page
    assert "A comprehensive, convincing answer with strong evidence" in page
    url = f"/bids/{declared['lune'].pk}/attachments/{declared['attachment'].pk}/"
    assert f'href="{url}"' in html
    assert client.get(url).status_code == 200
    assert "Weight 50%" in page
    foodbank = text_of(client.get(score_url(declared["foodbank_assignment"])))
    assert "Heysham Youth Hub" in foodbank


def test_a_score_needs_a_comment_and_nothing_typed_is_lost(client, declared):
    assignment = declared["lune_assignment"]
    questions = questions_of(declared["lune"])
    data = {"save": "1", f"score_{questions[0].pk}": "4", f"comment_{questions[1].pk}": "Vague."}
    response = client.post(score_url(assignment), data)
    page = text_of(response)
    assert page.startswith("Error: ")
    assert "Enter a comment for your score for question 1" in page
    assert "Select a score for question 2 to go with your comment" in page
    html = response.content.decode()
    assert re.search(rf'name="score_{questions[0].pk}" type="radio" value="4"\s+checked', html)
    assert "Vague." in html
    assert not Score.objects.exists()


def test_save_and_come_back_later_keeps_what_is_given(client, declared):
    assignment = declared["lune_assignment"]
    questions = questions_of(declared["lune"])
    response = client.post(score_url(assignment), score_data(questions, [4, None, None]))
    assert response.status_code == 302
    assert response["Location"] == "/assessment/"
    assert "Your scores for" in text_of(client.get("/assessment/"))
    assert "1 of 3 questions scored" in text_of(client.get("/assessment/"))
    score = Score.objects.get()
    assert (score.question, score.score, score.comment) == (
        questions[0],
        4,
        "Comment on question 1",
    )
    page = text_of(client.get(score_url(assignment)))
    assert "You have scored 1 of 3 questions" in page
    # 4 out of 5 on a question weighing 50%: 40 out of 100 so far.
    assert "Your weighted total so far: 40 out of 100" in page


def test_the_weighted_total_shown_uses_the_opportunitys_weights(client, declared):
    assignment = declared["lune_assignment"]
    questions = questions_of(declared["lune"])
    client.post(score_url(assignment), score_data(questions, [4, 3, 5]))
    # (4 × 50 + 3 × 30 + 5 × 20) / 5 = 78.
    assert "Your weighted total so far: 78 out of 100" in text_of(client.get(score_url(assignment)))
    client.post(score_url(assignment), score_data(questions, [4, 2, 5]))
    # (4 × 50 + 2 × 30 + 5 × 20) / 5 = 72: the same scores weighted equally would give 73.33.
    assert "72 out of 100" in text_of(client.get(score_url(assignment, "submit/")))


def test_the_send_page_lists_what_is_missing_and_refuses(client, declared):
    assignment = declared["lune_assignment"]
    questions = questions_of(declared["lune"])
    client.post(score_url(assignment), score_data(questions, [4, None, None]))
    page = text_of(client.get(score_url(assignment, "submit/")))
    assert "You cannot send your scores yet" in page
    assert "Question 2 has no score" in page
    assert "Question 3 has no score" in page
    client.post(score_url(assignment, "submit/"))
    assignment.refresh_from_db()
    assert assignment.submitted_at is None


def test_sending_the_scores_makes_them_final(client, declared, clock):
    assignment = declared["lune_assignment"]
    questions = questions_of(declared["lune"])
    response = client.post(score_url(assignment), {**score_data(questions, [4, 3, 5]), "send": "1"})
    assert response["Location"] == score_url(assignment, "submit/")
    page = text_of(client.get(score_url(assignment, "submit/")))
    assert "Check your scores before you send them" in page
    clock.move_to(london(2026, 11, 26, 16))
    response = client.post(score_url(assignment, "submit/"), follow=True)
    page = text_of(response)
    assert "have been sent to the commissioning officer" in page
    assert "You sent these scores on 26 November 2026 at 4pm. They cannot be changed." in page
    assert "Save and come back later" not in page
    assignment.refresh_from_db()
    assert assignment.submitted_at == dt.datetime(2026, 11, 26, 16, tzinfo=LONDON)
    assert "Scores sent 26 November 2026" in text_of(client.get("/assessment/"))

    response = client.post(score_url(assignment), score_data(questions, [0, 0, 0]), follow=True)
    assert "They cannot be changed" in text_of(response)
    assert sorted(Score.objects.values_list("score", flat=True)) == [3, 4, 5]


def test_scores_are_invisible_to_other_panel_members_until_both_have_sent_them(
    client, declared, make_user
):
    bid = declared["lune"]
    questions = questions_of(bid)
    pat = declared["lune_assignment"]
    others = []
    for name in ("Quinn Second", "Remy Third"):
        user = make_user(Role.PANEL_MEMBER, full_name=name)
        others.append(assign(bid, panel_member_add(declared["opportunity"], user=user)))
    quinn, remy = others
    scores_give(quinn, [1, 1, 1], submit=False)
    Score.objects.filter(assignment=quinn).update(comment="Quinn thinks it is poor.")
    scores_give(remy, [2, 2, 2], submit=False)
    Score.objects.filter(assignment=remy).update(comment="Remy's unsent draft.")

    client.post(score_url(pat), score_data(questions, [4, 4, 4], {1: "Pat's view", 2: "x", 3: "y"}))
    page = text_of(client.get(score_url(pat)))
    assert "Quinn thinks it is poor." not in page
    assert "Remy's unsent draft." not in page

    # Quinn cannot see Pat's draft either.
    client.force_login(quinn.panel_member.user)
    assert "Pat's view" not in text_of(client.get(score_url(quinn)))

    # Quinn sends theirs; Pat (not sent yet) still sees none of them.
    quinn.submitted_at = dt.datetime(2026, 11, 26, 10, tzinfo=LONDON)
    quinn.save()
    client.force_login(declared["place"].user)
    assert "Quinn thinks it is poor." not in text_of(client.get(score_url(pat)))

    # Pat sends: now Pat sees Quinn's sent scores, never Remy's draft.
    client.post(score_url(pat, "submit/"))
    page = text_of(client.get(score_url(pat)))
    assert "The panel’s scores" in page
    assert "Quinn Second" in page
    assert "Quinn thinks it is poor." in page
    assert "Remy Third" not in page
    assert "Remy's unsent draft." not in page
    # Quinn's weighted total beside Pat's: 20 and 80.
    assert "Weighted total 80 20" in page

    # And Quinn, having sent, sees Pat's.
    client.force_login(quinn.panel_member.user)
    assert "Pat's view" in text_of(client.get(score_url(quinn)))
    client.force_login(remy.panel_member.user)
    assert "Pat's view" not in text_of(client.get(score_url(remy)))


# --- A conflict found while reading --------------------------------------------------------------


def test_declaring_a_conflict_while_reading(
    client, declared, panel_member, officer, django_capture_on_commit_callbacks
):
    assignment = declared["foodbank_assignment"]
    questions = questions_of(declared["foodbank"])
    client.post(score_url(assignment), score_data(questions, [3, 3, None]))
    page = text_of(client.get(score_url(assignment, "conflict/")))
    assert "Morecambe Bay Foodbank Lead organisation" in page
    assert "Heysham Youth Hub Consortium partner" in page

    page = text_of(client.post(score_url(assignment, "conflict/"), {}))
    assert page.startswith("Error: ")
    assert "Select the organisation you have a conflict with" in page
    assert "Select the kind of conflict" in page
    assert "Describe the conflict" in page

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            score_url(assignment, "conflict/"),
            {
                "organisation": declared["partner"].pk,
                "kind": "personal",
                "description": "I recognised my cousin as their project lead.",
            },
        )
    assert response["Location"] == "/assessment/"
    page = text_of(client.get("/assessment/"))
    assert "You declared a conflict of interest with Heysham Youth Hub" in page
    assert "Removed: you declared a conflict" in page

    assignment.refresh_from_db()
    assert assignment.conflict.organisation == declared["partner"]
    assert assignment.conflict.declared_by == panel_member
    assert Score.objects.filter(assignment=assignment).count() == 2  # kept
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [officer.email]
    assert client.get(score_url(assignment)).status_code == 403

    # The scores no longer count: the bid needs someone else before scoring is complete.
    commission = declared["opportunity"].specification.commission
    scores_give(declared["lune_assignment"], 3)
    assert not commission_scores_are_complete(commission=commission)
    assert not commission_conflicts_are_resolved(commission=commission)
    client.force_login(officer)
    page = text_of(client.get(f"/staff/opportunities/{declared['opportunity'].pk}/panel/"))
    assert (
        f"Pat Panel declared a personal conflict with Heysham Youth Hub: "
        f"{assignment.bid.reference} needs reassigning"
    ) in page


def test_a_conflict_can_only_name_the_bids_own_organisations(client, declared):
    assignment = declared["lune_assignment"]
    outsider = OrganisationFactory(name="Somewhere Else")
    response = client.post(
        score_url(assignment, "conflict/"),
        {"organisation": outsider.pk, "kind": "personal", "description": "Not in this bid"},
    )
    assert "Select the organisation you have a conflict with" in text_of(response)
    assert not Assignment.objects.filter(conflict__isnull=False).exists()


def test_a_panel_member_on_no_panel_is_told_so(client, make_user):
    someone = make_user(Role.PANEL_MEMBER)
    client.force_login(someone)
    page = text_of(client.get("/assessment/"))
    assert "You are not on any assessment panel yet" in page


def test_a_conflict_found_while_reading_takes_away_every_bid_of_that_organisation(client, declared):
    # Lune Valley Advice is also a partner in a third bid assigned to Pat.
    third = submitted_bid(opportunity=declared["opportunity"])
    partner_add(third, declared["lune"].organisation, confirmed=True)
    also = assign(third, declared["place"])
    client.post(
        score_url(declared["lune_assignment"], "conflict/"),
        {
            "organisation": declared["lune"].organisation.pk,
            "kind": "professional",
            "description": "I sit on its advisory board.",
        },
    )
    also.refresh_from_db()
    declared["foodbank_assignment"].refresh_from_db()
    assert also.is_conflicted
    assert also.conflict.organisation == declared["lune"].organisation
    assert not declared["foodbank_assignment"].is_conflicted
    assert client.get(score_url(also)).status_code == 403
