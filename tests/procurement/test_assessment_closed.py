"""Once the awards have gone for approval the panel's work is fixed: nobody can assign a bid,
declare interests or a conflict, deal with a conflict, or save or send scores. While bidding
has closed but the commission is still in procurement the panel may already work."""

import re
from html import unescape

import pytest

from procurement.models import Assignment, ConflictDeclaration, PanelMember, Score
from procurement.services import assessment as services
from tests.factories import OrganisationFactory
from tests.procurement.factories_assessment import (
    assign,
    closed_opportunity,
    panel_member_add,
    scores_give,
)
from tests.procurement.factories_bids import submitted_bid

pytestmark = pytest.mark.django_db
REFUSED = "“Awards awaiting approval”, so the panel’s assessments can no longer be changed"


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def questions_of(bid):
    return list(bid.opportunity.questions.order_by("order", "pk"))


@pytest.fixture
def awaiting(officer, panel_member):
    """A commission whose awards await approval: one bid received, Pat (declared) assigned
    it with two questions scored but not sent; Quinn on the panel, not declared."""
    opportunity = closed_opportunity(state="award_approval", lead_officer=officer)
    bid = submitted_bid(opportunity=opportunity, organisation=OrganisationFactory(name="Lune"))
    place = panel_member_add(opportunity, user=panel_member)
    assignment = assign(bid, place)
    questions = questions_of(bid)
    for question in questions[:2]:
        Score.objects.create(assignment=assignment, question=question, score=3, comment="Fair.")
    quinn = panel_member_add(opportunity, declared=False)
    return {
        "opportunity": opportunity,
        "bid": bid,
        "place": place,
        "assignment": assignment,
        "questions": questions,
        "quinn": quinn,
    }


def test_assigning_is_refused_after_awards_go_for_approval(awaiting, officer):
    with pytest.raises(services.AssessmentClosed, match=REFUSED):
        services.assignments_set(
            opportunity=awaiting["opportunity"],
            wanted={(awaiting["bid"].pk, awaiting["quinn"].pk)},
            assigned_by=officer,
        )
    assert list(Assignment.objects.all()) == [awaiting["assignment"]]


def test_the_panel_page_refuses_assignments_after_awards_go_for_approval(client, awaiting, officer):
    client.force_login(officer)
    bid, quinn = awaiting["bid"], awaiting["quinn"]
    response = client.post(
        f"/staff/opportunities/{awaiting['opportunity'].pk}/panel/",
        {
            "action": "assign",
            "assign": [f"{bid.pk}-{awaiting['place'].pk}", f"{bid.pk}-{quinn.pk}"],
        },
    )
    assert REFUSED in text_of(response)
    assert Assignment.objects.count() == 1


def test_declaring_interests_is_refused_after_awards_go_for_approval(client, awaiting):
    quinn = awaiting["quinn"]
    with pytest.raises(services.AssessmentClosed, match=REFUSED):
        services.declarations_record(
            panel_member=quinn,
            declarations=[
                services.DeclarationInput(
                    organisation=awaiting["bid"].organisation, has_conflict=False
                )
            ],
            declared_by=quinn.user,
        )
    client.force_login(quinn.user)
    response = client.post(
        f"/assessment/opportunities/{awaiting['opportunity'].pk}/declare/",
        {f"conflict_{awaiting['bid'].organisation_id}": "no"},
    )
    assert response.status_code == 200
    assert REFUSED in text_of(response)
    assert not ConflictDeclaration.objects.filter(panel_member=quinn).exists()
    assert PanelMember.objects.get(pk=quinn.pk).declarations_completed_at is None


def test_declaring_a_conflict_is_refused_after_awards_go_for_approval(client, awaiting):
    assignment = awaiting["assignment"]
    with pytest.raises(services.AssessmentClosed, match=REFUSED):
        services.assignment_conflict_declare(
            assignment=assignment,
            organisation=awaiting["bid"].organisation,
            kind="personal",
            description="My cousin runs it.",
            declared_by=assignment.panel_member.user,
        )
    client.force_login(assignment.panel_member.user)
    response = client.post(
        f"/assessment/assignments/{assignment.pk}/conflict/",
        {
            "organisation": awaiting["bid"].organisation_id,
            "kind": "personal",
            "description": "My cousin runs it.",
        },
    )
    assert REFUSED in text_of(response)
    assignment.refresh_from_db()
    assert assignment.conflict is None
    assert not ConflictDeclaration.objects.filter(has_conflict=True).exists()


def test_dealing_with_a_conflict_is_refused_after_awards_go_for_approval(awaiting, officer):
    assignment = awaiting["assignment"]
    assignment.conflict = ConflictDeclaration.objects.create(
        panel_member=assignment.panel_member,
        organisation=awaiting["bid"].organisation,
        has_conflict=True,
        kind="financial",
        description="I am paid to advise them.",
        declared_by=assignment.panel_member.user,
    )
    assignment.save()
    with pytest.raises(services.AssessmentClosed, match=REFUSED):
        services.conflict_resolve(
            assignment=assignment, resolved_by=officer, reason="Enough others scored it."
        )
    assignment.refresh_from_db()
    assert assignment.conflict_resolved_at is None


def test_scoring_is_refused_after_awards_go_for_approval(client, awaiting):
    assignment, questions = awaiting["assignment"], awaiting["questions"]
    with pytest.raises(services.AssessmentClosed, match=REFUSED):
        services.scores_save(assignment=assignment, scores={questions[2].pk: (5, "Great.")})
    with pytest.raises(services.AssessmentClosed, match=REFUSED):
        services.scores_submit(assignment=assignment)

    client.force_login(assignment.panel_member.user)
    data = {"save": "1"}
    for question in questions:
        data[f"score_{question.pk}"] = "5"
        data[f"comment_{question.pk}"] = "Changed my mind."
    response = client.post(f"/assessment/assignments/{assignment.pk}/", data, follow=True)
    assert f"{REFUSED}. Nothing has been changed." in text_of(response)
    assert sorted(Score.objects.values_list("score", "comment")) == [(3, "Fair.")] * 2
    assignment.refresh_from_db()
    assert assignment.submitted_at is None


def test_the_panel_may_work_while_the_commission_is_still_in_procurement(officer):
    opportunity = closed_opportunity(state="procurement", lead_officer=officer)
    bid = submitted_bid(opportunity=opportunity)
    place = panel_member_add(opportunity)
    added, removed = services.assignments_set(
        opportunity=opportunity, wanted={(bid.pk, place.pk)}, assigned_by=officer
    )
    assert (added, removed) == (1, 0)
    assignment = Assignment.objects.get()
    scores_give(assignment, 4, submit=False)
    services.scores_submit(assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.is_submitted
