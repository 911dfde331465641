"""A new opportunity's default questions follow its criteria and add up to 100, so it can be
published as it is; the officer adds, removes and reorders questions with the total shown."""

from decimal import Decimal

import pytest

from commissioning.models import ServiceCriterion
from procurement.services.opportunities import opportunity_create
from tests.procurement.factories_opportunities import (
    DraftOpportunityFactory,
    OpportunityFactory,
    at,
    published_specification,
)
from tests.procurement.test_opportunities import text_of

pytestmark = pytest.mark.django_db


def _new_opportunity(specification, officer):
    return opportunity_create(
        specification=specification,
        created_by=officer,
        title="Money advice in Morecambe",
        summary="Free advice on money, debt and benefits.",
        funding_type="grant",
        opens_at=at(1, 9),
        closes_at=at(30, 17),
        eligibility="Charities working in the district.",
    )


def _formset_data(opportunity, **changes) -> dict:
    questions = list(opportunity.questions.order_by("order"))
    data = {
        "questions-TOTAL_FORMS": str(len(questions)),
        "questions-INITIAL_FORMS": str(len(questions)),
    }
    for index, question in enumerate(questions):
        data.update(
            {
                f"questions-{index}-id": str(question.pk),
                f"questions-{index}-text": question.text,
                f"questions-{index}-guidance": question.guidance,
                f"questions-{index}-word_limit": str(question.word_limit),
                f"questions-{index}-weight": str(question.weight),
            }
        )
    data.update(changes)
    return data


def test_a_new_opportunity_with_its_default_questions_can_be_published_as_it_is(client, officer):
    # with the default questions, as opportunity_create makes them
    opportunity = DraftOpportunityFactory(
        specification=published_specification(lead_officer=officer)
    )
    client.force_login(officer)

    questions = list(opportunity.questions.order_by("order"))
    page = text_of(client.get(f"/staff/opportunities/{opportunity.pk}/questions/"))
    response = client.post(f"/staff/opportunities/{opportunity.pk}/publish/", follow=True)

    assert sum(question.weight for question in questions) == 100
    # the service-specific criterion has a question of its own, with its default weight
    assert questions[-1].criterion.slug == "service-specific"
    assert questions[-1].weight == Decimal("10")
    assert "The weights add up to 100." in page
    assert "Total 100%" in page
    opportunity.refresh_from_db()
    assert opportunity.published_at is not None, text_of(response)


def test_the_specifications_own_criteria_share_the_service_specific_weight(officer):
    specification = published_specification(lead_officer=officer)
    for name, weight in (("Food hygiene rating of 5", "30"), ("Trained volunteers", "10")):
        ServiceCriterion.objects.create(
            specification=specification, name=name, weight=Decimal(weight)
        )

    opportunity = _new_opportunity(specification, officer)

    questions = list(opportunity.questions.order_by("order"))
    assert [(q.service_criterion.name, q.weight) for q in questions[-2:]] == [
        ("Food hygiene rating of 5", Decimal("7.50")),
        ("Trained volunteers", Decimal("2.50")),
    ]
    assert not any(q.criterion and q.criterion.slug == "service-specific" for q in questions)
    assert sum(q.weight for q in questions) == 100


def test_officer_adds_moves_and_removes_questions_keeping_what_they_typed(client, officer):
    opportunity = DraftOpportunityFactory()
    client.force_login(officer)
    url = f"/staff/opportunities/{opportunity.pk}/questions/"
    first, second = opportunity.questions.order_by("order")[:2]
    count = opportunity.questions.count()

    added = client.post(
        url, _formset_data(opportunity, **{"questions-0-text": "Why you?", "add": "question"})
    )
    new = opportunity.questions.order_by("order").last()
    assert added.status_code == 302
    assert opportunity.questions.count() == count + 1
    assert (new.text, new.weight, new.criterion) == ("Write your question here.", 0, None)
    first.refresh_from_db()
    assert first.text == "Why you?"  # what was typed was saved first

    page = text_of(client.get(url))
    assert f"Question {count + 1}: your own question" in page
    assert "Total 100%" in page

    client.post(url, _formset_data(opportunity, move_up=str(second.pk)))
    assert list(opportunity.questions.order_by("order")[:2]) == [second, first]

    removed = client.post(
        url, _formset_data(opportunity, **{"questions-1-weight": "5", "remove": str(first.pk)})
    )
    page = text_of(client.get(url))
    assert removed.status_code == 302
    assert not opportunity.questions.filter(pk=first.pk).exists()
    assert [q.order for q in opportunity.questions.order_by("order")] == list(range(1, count + 1))
    assert "The weights must add up to 100. They add up to 85" in page
    assert "Total (must be 100) 85%" in page


def test_another_opportunitys_question_cannot_be_moved_or_removed(client, officer):
    opportunity = DraftOpportunityFactory()
    other = DraftOpportunityFactory().questions.first()
    client.force_login(officer)
    url = f"/staff/opportunities/{opportunity.pk}/questions/"

    assert client.post(url, _formset_data(opportunity, remove=str(other.pk))).status_code == 404
    assert client.post(url, _formset_data(opportunity, move_up="abc")).status_code == 400
    assert other.__class__.objects.filter(pk=other.pk).exists()


def test_a_published_opportunitys_questions_cannot_be_added_to(client, officer):
    opportunity = OpportunityFactory()
    count = opportunity.questions.count()
    client.force_login(officer)

    response = client.post(
        f"/staff/opportunities/{opportunity.pk}/questions/",
        _formset_data(opportunity, add="question"),
        follow=True,
    )

    assert "The questions cannot change once the opportunity is published" in text_of(response)
    assert opportunity.questions.count() == count
