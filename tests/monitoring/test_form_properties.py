"""Property-based tests (issue 14) of the monitoring return and the evaluation forms (the
officer's evaluation, a lesson learned, the provider's end-of-grant report): hostile values
answer with the error summary or go on, never 500; what is kept is shown escaped to the
provider and the council. Helpers: tests/hostile.py."""

import pytest
from django.urls import reverse
from hypothesis import event, example, given
from hypothesis import strategies as st

from monitoring.models import AgreementEvaluation, Lesson
from tests.hostile import (
    MARKUP,
    answered,
    assert_no_raw_markup,
    assert_shown_escaped,
    hostile_number,
    hostile_text,
    isolated,
    properties,
    usually,
)
from tests.monitoring.factories import agreement_in_delivery, provider_member
from tests.monitoring.factories_evaluation import delivered, priority

pytestmark = pytest.mark.django_db


# --- The monitoring return ------------------------------------------------------------------------


@pytest.fixture
def due(db):
    """The first return of an agreement a year into delivery, and a member to fill it in."""
    made = agreement_in_delivery(months=12)
    return made.agreement.monitoring_returns.first(), provider_member(made), made.officer


@properties
@given(
    actual=usually("20", hostile_number()),
    confirm=st.booleans(),
    outcomes=hostile_text(max_size=600),
    case_study=hostile_text(),
    spend=usually("2000", hostile_number()),
    spend_explanation=hostile_text(),
    risks=hostile_text(),
    draft=st.booleans(),
)
@example(  # every answer kept, each one markup
    actual="20",
    confirm=False,
    outcomes=MARKUP[0],
    case_study=MARKUP[1],
    spend="2000",
    spend_explanation=MARKUP[2],
    risks=MARKUP[3],
    draft=True,
)
def test_a_return_answers_hostile_input_and_shows_it_escaped(
    client, due, actual, confirm, outcomes, case_study, spend, spend_explanation, risks, draft
):
    monitoring_return, person, officer = due
    target = monitoring_return.targets_for_period().get()
    with isolated():
        client.force_login(person)
        data = {
            f"actual_{target.pk}": actual,
            "outcomes_narrative": outcomes,
            "case_study": case_study,
            "spend_in_period": spend,
            "spend_explanation": spend_explanation,
            "risks": risks,
        }
        if confirm:
            data[f"confirm_{target.pk}"] = "on"
        if draft:
            data["draft"] = ""
        response = client.post(f"/returns/{monitoring_return.pk}/edit/", data)
        answered(response)
        event("saved" if response.status_code == 302 else "refused")
        if response.status_code != 302:
            return
        monitoring_return.refresh_from_db()
        stored = (
            monitoring_return.outcomes_narrative,
            monitoring_return.case_study,
            monitoring_return.spend_explanation,
            monitoring_return.risks,
        )
        pages = [
            client.get(f"/returns/{monitoring_return.pk}/"),
            client.get(f"/returns/{monitoring_return.pk}/actions/submit/"),
            client.get(f"/returns/{monitoring_return.pk}/edit/"),
        ]
        for page in pages:
            assert page.status_code == 200
            assert_no_raw_markup(page.content.decode())
        for text in stored:  # the form shows every answer kept
            assert_shown_escaped(pages[2].content.decode(), text)


# --- Evaluation -----------------------------------------------------------------------------------


@pytest.fixture
def evaluated(db):
    made = delivered()
    return made, provider_member(made)


@properties
@given(
    impact=hostile_text(max_size=600),
    recommendation=usually("redesign", hostile_text(max_size=20)),
    lesson=hostile_text(max_size=600),
    lesson_priority=usually(None, hostile_number()),
    complete=st.booleans(),
)
@example(
    impact=MARKUP[0],
    recommendation="redesign",
    lesson=MARKUP[1],
    lesson_priority=None,
    complete=False,
)
def test_an_evaluation_and_its_lessons_answer_hostile_input(
    client, evaluated, impact, recommendation, lesson, lesson_priority, complete
):
    made, _ = evaluated
    url = reverse("monitoring:agreement_evaluation", args=[made.agreement.pk])
    with isolated():
        client.force_login(made.officer)
        response = client.post(
            reverse("monitoring:agreement_lesson_add", args=[made.agreement.pk]),
            {
                "text": lesson,
                "priority": priority().pk if lesson_priority is None else lesson_priority,
            },
        )
        answered(response)
        event("lesson added" if response.status_code == 302 else "lesson refused")
        data = {"impact_summary": impact, "recommendation": recommendation}
        if complete:
            data["complete"] = "1"
        response = client.post(url, data)
        answered(response)
        event("evaluation saved" if response.status_code == 302 else "evaluation refused")
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        for kept in Lesson.objects.filter(commission=made.assessed.commission):
            assert_shown_escaped(html, kept.text)
            library = client.get(reverse("monitoring:lessons")).content.decode()
            assert_shown_escaped(library, kept.text)
        evaluation = AgreementEvaluation.objects.filter(agreement=made.agreement).first()
        if evaluation is not None:
            assert_shown_escaped(html, evaluation.impact_summary)


@properties
@given(
    worked=hostile_text(max_size=600),
    did_not_work=hostile_text(max_size=600),
    would_change=hostile_text(max_size=600),
    draft=st.booleans(),
)
@example(worked=MARKUP[0], did_not_work=MARKUP[1], would_change=MARKUP[4], draft=False)
def test_the_end_of_grant_report_answers_hostile_input(
    client, evaluated, worked, did_not_work, would_change, draft
):
    made, person = evaluated
    with isolated():
        client.force_login(person)
        data = {
            "what_worked": worked,
            "what_did_not_work": did_not_work,
            "what_would_change": would_change,
        }
        if draft:
            data["draft"] = ""
        response = client.post(
            reverse("monitoring:end_of_grant_report", args=[made.agreement.pk]), data
        )
        answered(response)
        event("sent" if response.status_code == 302 else "refused")
        if response.status_code != 302:
            return
        client.force_login(made.officer)
        page = client.get(reverse("monitoring:agreement_evaluation", args=[made.agreement.pk]))
        assert page.status_code == 200
        if not draft:
            for text in (worked, did_not_work, would_change):
                assert_shown_escaped(page.content.decode(), text.strip())
