"""The conflicts assessment (Procurement Act 2023, s.83): before an opportunity is
published, everyone acting for the council in it declares — the lead officer, the approvers
of its plan, whoever else acts — and an officer records the assessment; publishing is
refused until it exists, and it is kept and reviewed at later stages."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django_fsm import TransitionNotAllowed

from commissioning.models import ServiceCriterion
from core.transitions import transition_check, transition_checklist
from procurement.models import ConflictsAssessment, ConflictsStage, OpportunityState
from procurement.services.conflicts_assessment import (
    conflicts_assessment_record,
    officer_declaration_record,
)
from procurement.services.opportunities import OpportunityRefused, opportunity_publish
from tests.procurement.factories_opportunities import (
    DraftOpportunityFactory,
    OpportunityFactory,
    published_specification,
)

pytestmark = pytest.mark.django_db

LABEL = "Everyone involved has declared their interests and the conflicts assessment is recorded"


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def draft_without_assessment(*, officer, approver):
    """A draft ready to publish but for its conflicts assessment; `approver` approved the
    plan its specification is in."""
    specification = published_specification(lead_officer=officer)
    ServiceCriterion.objects.create(
        specification=specification, name="Trained drivers", weight=Decimal("10")
    )
    specification.plans.update(approved_by=approver)
    return DraftOpportunityFactory(specification=specification, conflicts_assessed=False)


def declare(opportunity, user, *, conflict=False, description=""):
    return officer_declaration_record(
        opportunity=opportunity,
        user=user,
        stage=ConflictsStage.PUBLICATION,
        has_conflict=conflict,
        description=description,
    )


def test_publishing_is_refused_until_the_conflicts_assessment_is_recorded(officer, approver):
    opportunity = draft_without_assessment(officer=officer, approver=approver)

    missing = [
        item
        for item in transition_checklist(instance=opportunity, name="publish", user=officer)
        if not item.met
    ]
    assert [item.label for item in missing] == [LABEL]
    assert missing[0].url == f"/staff/opportunities/{opportunity.pk}/conflicts/"
    with pytest.raises(TransitionNotAllowed):
        transition_check(instance=opportunity, name="publish", user=officer)
    with pytest.raises(OpportunityRefused) as refused:
        opportunity_publish(opportunity=opportunity, user=officer)
    assert refused.value.problems == [
        "Record the conflicts assessment: the lead officer and approvers declare their "
        "interests first"
    ]
    opportunity.refresh_from_db()
    assert opportunity.state == OpportunityState.DRAFT

    declare(opportunity, officer)
    declare(opportunity, approver, conflict=True, description="My sister chairs a bidder.")
    conflicts_assessment_record(
        opportunity=opportunity,
        stage=ConflictsStage.PUBLICATION,
        steps_taken="The approver will take no part in the award.",
        recorded_by=officer,
    )
    opportunity_publish(opportunity=opportunity, user=officer)
    opportunity.refresh_from_db()
    assert opportunity.state == OpportunityState.PUBLISHED


def test_the_approver_of_the_plan_must_declare_before_the_assessment_is_recorded(officer, approver):
    opportunity = draft_without_assessment(officer=officer, approver=approver)
    declare(opportunity, officer)

    with pytest.raises(ValidationError) as refused:
        conflicts_assessment_record(
            opportunity=opportunity,
            stage=ConflictsStage.PUBLICATION,
            steps_taken="None found.",
            recorded_by=officer,
        )
    assert "Not declared yet: Alan Approver" in refused.value.messages[0]
    assert not ConflictsAssessment.objects.filter(opportunity=opportunity).exists()


def test_a_conflict_must_be_described(officer, approver):
    opportunity = draft_without_assessment(officer=officer, approver=approver)
    with pytest.raises(ValidationError):
        declare(opportunity, officer, conflict=True)


def test_officers_and_approvers_declare_and_the_officer_records_on_the_page(
    client, officer, approver
):
    opportunity = draft_without_assessment(officer=officer, approver=approver)
    url = f"/staff/opportunities/{opportunity.pk}/conflicts/"

    client.force_login(approver)
    page = text_of(client.get(url))
    assert "Alan Approver Not declared yet" in page
    assert "Record the assessment" not in page  # approvers declare; officers record
    response = client.post(url, {"action": "declare", "has_conflict": "yes", "description": ""})
    assert response.status_code == 200
    page = text_of(response)
    assert page.startswith("Error:") or "There is a problem" in page
    assert "Describe the conflict of interest" in page
    client.post(url, {"action": "declare", "has_conflict": "no"})

    client.force_login(officer)
    client.post(url, {"action": "declare", "has_conflict": "no"})
    response = client.post(url, {"action": "record", "steps_taken": "No conflict declared."})
    assert response.status_code == 302
    page = text_of(client.get(url))
    assert "Before publication No conflict declared." in page
    assert "Declared: Alan Approver, Olive Officer" in page


def test_an_approver_cannot_record_the_assessment(client, officer, approver):
    opportunity = draft_without_assessment(officer=officer, approver=approver)
    client.force_login(approver)
    response = client.post(
        f"/staff/opportunities/{opportunity.pk}/conflicts/",
        {"action": "record", "steps_taken": "None."},
    )
    assert response.status_code == 403
    assert not ConflictsAssessment.objects.exists()


def test_the_assessment_is_reviewed_at_the_assessment_stage(officer):
    """Once bidding has closed and the commission is at assessment, the page asks for the
    assessment stage's declarations; the one before publication is kept."""
    opportunity = OpportunityFactory(specification=published_specification(lead_officer=officer))
    commission = opportunity.specification.commission
    type(commission).objects.filter(pk=commission.pk).update(state="assessment")
    officer_declaration_record(
        opportunity=opportunity,
        user=officer,
        stage=ConflictsStage.ASSESSMENT,
        has_conflict=False,
        description="",
    )
    conflicts_assessment_record(
        opportunity=opportunity,
        stage=ConflictsStage.ASSESSMENT,
        steps_taken="Reviewed: nothing new.",
        recorded_by=officer,
    )
    assert list(
        opportunity.conflicts_assessments.order_by("pk").values_list("stage", flat=True)
    ) == [ConflictsStage.PUBLICATION, ConflictsStage.ASSESSMENT]


def test_the_opportunity_page_says_the_conflicts_assessment_is_still_needed(
    client, officer, approver
):
    opportunity = draft_without_assessment(officer=officer, approver=approver)
    client.force_login(officer)
    response = client.get(f"/staff/opportunities/{opportunity.pk}/")
    page = text_of(response)
    assert f"Missing {LABEL}" in page
    assert f'href="/staff/opportunities/{opportunity.pk}/conflicts/"' in response.content.decode()
    assert "Publish the opportunity" not in page
