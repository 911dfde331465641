"""Writes for eligibility checks: the officer sets an opportunity's questions; an
organisation's answers are recorded, the latest kept."""

from django.db import transaction
from django.utils import timezone

from procurement.models import EligibilityCheck, EligibilityRequirement, Opportunity
from procurement.selectors.eligibility import (
    eligibility_questions,
    eligibility_reasons,
    eligibility_requirement_get,
)
from providers.models import Organisation


@transaction.atomic
def eligibility_requirement_set(
    *,
    opportunity: Opportunity,
    legal_forms: list[str],
    areas,
    income_bands: list[str],
    registered_number_required: bool,
    by,
) -> EligibilityRequirement:
    """Set what the opportunity asks of an organisation. Answers already given are kept;
    an organisation whose answers do not cover a new question must check again."""
    requirement, _ = EligibilityRequirement.objects.update_or_create(
        opportunity=opportunity,
        defaults={
            "legal_forms": list(legal_forms),
            "income_bands": list(income_bands),
            "registered_number_required": registered_number_required,
            "updated_by": by,
        },
    )
    requirement.areas.set(areas)
    return requirement


@transaction.atomic
def eligibility_check_record(
    *, opportunity: Opportunity, organisation: Organisation, answers: dict[str, bool], by
) -> EligibilityCheck:
    """Record the organisation's answers to the opportunity's questions (replacing any it
    gave before) and whether they let it apply."""
    questions = eligibility_questions(
        requirement=eligibility_requirement_get(opportunity=opportunity)
    )
    kept = {question.key: bool(answers.get(question.key)) for question in questions}
    reasons = eligibility_reasons(questions=questions, answers=kept)
    check, _ = EligibilityCheck.objects.update_or_create(
        opportunity=opportunity,
        organisation=organisation,
        defaults={
            "answers": kept,
            "passed": not reasons,
            "reasons": reasons,
            "checked_by": by,
            "checked_at": timezone.now(),
        },
    )
    return check
