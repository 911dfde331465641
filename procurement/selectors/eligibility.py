"""Reads for eligibility checks: an opportunity's yes/no questions, made from what its
officer set (procurement.models.eligibility), the answers an organisation's profile
suggests, and whether an organisation has passed."""

import re
from dataclasses import dataclass

from commissioning.models import Area
from procurement.models import EligibilityCheck, EligibilityRequirement, Opportunity
from providers.models import IncomeBand, LegalForm, Organisation


@dataclass(frozen=True)
class EligibilityQuestion:
    """One yes/no question; "yes" is the answer that lets an organisation apply."""

    key: str
    text: str
    refusal: str  # why the organisation cannot apply, when it answers no


def _listed(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} or {words[-1]}"


def _lower_first(words: str) -> str:
    return words[:1].lower() + words[1:]


def eligibility_requirement_get(*, opportunity: Opportunity) -> EligibilityRequirement | None:
    """The opportunity's eligibility as its officer set it, with its areas; None when no
    questions have been set."""
    return (
        EligibilityRequirement.objects.filter(opportunity=opportunity)
        .prefetch_related("areas")
        .first()
    )


def eligibility_questions(
    *, requirement: EligibilityRequirement | None
) -> list[EligibilityQuestion]:
    """The questions the requirement asks, in a fixed order: none for None."""
    if requirement is None:
        return []
    questions = []
    forms = dict(LegalForm.choices)
    if requirement.legal_forms:
        allowed = _listed([_lower_first(forms[f]) for f in requirement.legal_forms if f in forms])
        questions.append(
            EligibilityQuestion(
                key="legal_form",
                text=f"Is your organisation a {allowed}?",
                refusal=f"This opportunity is open only to a {allowed}.",
            )
        )
    areas = [area.name for area in requirement.areas.all()]
    if areas:
        where = _listed(areas)
        questions.append(
            EligibilityQuestion(
                key="area",
                text=f"Does your organisation serve people in {where}?",
                refusal=f"This opportunity is for organisations serving people in {where}.",
            )
        )
    bands = dict(IncomeBand.choices)
    if requirement.income_bands:
        allowed = _listed([bands[b] for b in requirement.income_bands if b in bands])
        questions.append(
            EligibilityQuestion(
                key="income",
                text=f"Is your organisation’s annual income {allowed}?",
                refusal=f"This opportunity is open only to organisations with an annual "
                f"income of {allowed}.",
            )
        )
    if requirement.registered_number_required:
        questions.append(
            EligibilityQuestion(
                key="registered_number",
                text="Does your organisation have a registered charity number or company number?",
                refusal="This opportunity is open only to organisations registered with the "
                "Charity Commission or Companies House.",
            )
        )
    return questions


def eligibility_reasons(*, questions: list[EligibilityQuestion], answers: dict) -> list[str]:
    """Why an organisation with these answers cannot apply: empty when it can."""
    return [question.refusal for question in questions if answers.get(question.key) is not True]


# Words in an opportunity's eligibility text that name legal forms, for the officer's
# starting point.
_FORM_WORDS = [
    (r"charit", [LegalForm.REGISTERED_CHARITY, LegalForm.CIO]),
    (r"\bCIOs?\b|charitable incorporated", [LegalForm.CIO]),
    (r"compan(y|ies) limited by guarantee", [LegalForm.CLG]),
    (r"community interest|\bCICs?\b", [LegalForm.CIC]),
    (r"community benefit", [LegalForm.CBS]),
    (r"unincorporated|constituted group|association", [LegalForm.UNINCORPORATED]),
    (r"faith", [LegalForm.FAITH_GROUP]),
]


def eligibility_requirement_initial(*, opportunity: Opportunity) -> dict:
    """The officer's form as it starts: what is set, or else a starting point made from the
    opportunity — the legal forms its eligibility text names, the commission's areas, and
    a registered number when the text asks for one."""
    requirement = eligibility_requirement_get(opportunity=opportunity)
    if requirement is not None:
        return {
            "legal_forms": requirement.legal_forms,
            "areas": list(requirement.areas.all()),
            "income_bands": requirement.income_bands,
            "registered_number_required": requirement.registered_number_required,
        }
    text = opportunity.eligibility or ""
    forms: list[str] = []
    for pattern, named in _FORM_WORDS:
        if re.search(pattern, text, flags=re.IGNORECASE):
            forms.extend(form.value for form in named if form.value not in forms)
    return {
        "legal_forms": [value for value, _ in LegalForm.choices if value in forms],
        "areas": list(Area.objects.filter(commissions=opportunity.commission).order_by("name")),
        "income_bands": [],
        "registered_number_required": bool(
            re.search(
                r"registered (number|charity|company)|charity number|company number",
                text,
                flags=re.IGNORECASE,
            )
        ),
    }


def eligibility_answers_suggested(
    *,
    questions: list[EligibilityQuestion],
    requirement: EligibilityRequirement | None,
    organisation: Organisation,
) -> dict[str, str]:
    """What the organisation's profile says of each question ("yes"/"no"), where it says
    anything: the organisation confirms or changes it."""
    if requirement is None:
        return {}
    suggested: dict[str, str] = {}
    keys = {question.key for question in questions}
    if "legal_form" in keys and organisation.legal_form:
        suggested["legal_form"] = (
            "yes" if organisation.legal_form in requirement.legal_forms else "no"
        )
    if "area" in keys:
        served = set(organisation.wards_served.values_list("pk", flat=True))
        if served:
            wanted = {area.pk for area in requirement.areas.all()}
            wanted |= set(Area.objects.filter(parent__in=wanted).values_list("pk", flat=True))
            suggested["area"] = "yes" if served & wanted else "no"
    if "income" in keys and organisation.income_band:
        suggested["income"] = (
            "yes" if organisation.income_band in requirement.income_bands else "no"
        )
    if "registered_number" in keys:
        has_number = bool(organisation.charity_number or organisation.company_number)
        suggested["registered_number"] = "yes" if has_number else "no"
    return suggested


def eligibility_check_get(
    *, opportunity: Opportunity, organisation: Organisation
) -> EligibilityCheck | None:
    return EligibilityCheck.objects.filter(
        opportunity=opportunity, organisation=organisation
    ).first()


def eligibility_passed(*, opportunity: Opportunity, organisation: Organisation) -> bool:
    """Whether the organisation may bid: the opportunity asks no questions, or its latest
    answers say yes to every question the opportunity asks now."""
    questions = eligibility_questions(
        requirement=eligibility_requirement_get(opportunity=opportunity)
    )
    if not questions:
        return True
    check = eligibility_check_get(opportunity=opportunity, organisation=organisation)
    return check is not None and not eligibility_reasons(questions=questions, answers=check.answers)
