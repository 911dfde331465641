"""Writes for the conflicts assessment (Procurement Act 2023, s.83): officers and approvers
involved in an opportunity declare their interests, and an officer records the assessment
for the stage once everyone involved has declared. Publishing an opportunity needs the
assessment before publication (a condition of its `publish` transition)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.models import User
from procurement.models import Opportunity
from procurement.models.conflicts_assessment import ConflictsAssessment, OfficerDeclaration
from procurement.selectors import conflicts_assessment as selectors


def officer_declaration_record(
    *, opportunity: Opportunity, user: User, stage: str, has_conflict: bool, description: str
) -> OfficerDeclaration:
    """Add `user`'s declaration of interests in the opportunity at `stage` (the latest
    counts). ValidationError when a conflict is declared without saying what it is."""
    description = description.strip()
    if has_conflict and not description:
        raise ValidationError({"description": "Describe the conflict of interest"})
    return OfficerDeclaration.objects.create(
        opportunity=opportunity,
        user=user,
        stage=stage,
        has_conflict=has_conflict,
        description=description if has_conflict else "",
    )


def conflicts_assessment_record(
    *, opportunity: Opportunity, stage: str, steps_taken: str, recorded_by: User
) -> ConflictsAssessment:
    """Record the conflicts assessment for the stage, naming everyone involved.

    ValidationError unless everyone involved (the person recording included) has declared
    at this stage, or when it is already recorded for the stage."""
    with transaction.atomic():
        Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        people = selectors.people_involved(opportunity=opportunity, also=recorded_by)
        waiting = [
            entry.user.get_full_name()
            for entry in selectors.declarations_by_person(
                opportunity=opportunity, stage=stage, people=people
            )
            if entry.declaration is None
        ]
        if waiting:
            raise ValidationError(
                "Everyone involved must declare their interests first. Not declared yet: "
                + ", ".join(waiting)
            )
        try:
            with transaction.atomic():
                assessment = ConflictsAssessment.objects.create(
                    opportunity=opportunity,
                    stage=stage,
                    steps_taken=steps_taken.strip(),
                    recorded_by=recorded_by,
                )
        except IntegrityError as error:
            raise ValidationError(
                "The conflicts assessment for this stage has already been recorded"
            ) from error
        assessment.people.set(people)
    return assessment
