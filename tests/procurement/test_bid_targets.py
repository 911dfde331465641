"""What a bid proposes to achieve against each success measure of the specification, each
year: the page where the bidder enters it beside the council's target for the whole
service, the task list, submission, the snapshot and receipt, and the read-only bid."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_fsm import TransitionNotAllowed

from commissioning.models import MeasureTarget, SpecificationMeasure, SuccessMeasure
from procurement.models import BidSubmission, BidTarget
from procurement.selectors.bids import bid_snapshot, bid_target_measures
from procurement.services import bids as services
from tests.factories import SpecificationFactory
from tests.procurement.factories_bids import (
    BidFactory,
    ClosedOpportunityFactory,
    OpportunityFactory,
    bid_complete,
    member,
    partner_add,
    submitted_bid,
    targets_propose,
)

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def measure_add(specification, name: str, targets: tuple[int, ...]) -> SpecificationMeasure:
    """Add a success measure from the library to the specification, with yearly targets."""
    chosen = SpecificationMeasure.objects.create(
        specification=specification,
        measure=SuccessMeasure.objects.get(name=name),
        outcome=specification.outcomes.first(),
    )
    for year, target in enumerate(targets, start=1):
        MeasureTarget.objects.create(
            specification_measure=chosen, year=year, target=Decimal(target)
        )
    return chosen


@pytest.fixture
def draft():
    """A draft bid for an opportunity whose specification has People supported (100, 200,
    300 over three years) and Volunteers recruited (10 and 8 over two)."""
    opportunity = OpportunityFactory()
    measure_add(opportunity.specification, "Volunteers recruited", (10, 8))
    return BidFactory(opportunity=opportunity)


@pytest.fixture
def lead(draft):
    return member(draft.organisation)


def people(bid) -> SpecificationMeasure:
    return bid.opportunity.specification.measures.get(measure__name="People supported")


def volunteers(bid) -> SpecificationMeasure:
    return bid.opportunity.specification.measures.get(measure__name="Volunteers recruited")


def targets_data(bid, **values) -> dict:
    """Every field filled in (people 50, 100, 150; volunteers 4, 3), with `values` by field
    name overriding."""
    data = {}
    for year, value in zip((1, 2, 3), ("50", "100", "150"), strict=True):
        data[f"target_{people(bid).pk}_{year}"] = value
    for year, value in zip((1, 2), ("4", "3"), strict=True):
        data[f"target_{volunteers(bid).pk}_{year}"] = value
    data.update(values)
    return data


# --- The page ------------------------------------------------------------------------------------


def test_the_page_lists_each_measure_and_year_with_the_councils_target(client, draft, lead):
    client.force_login(lead)
    response = client.get(f"/bids/{draft.pk}/targets/")
    assert response.status_code == 200
    page = text_of(response)
    assert "Targets" in page
    assert "People supported Counted in people. Towards the outcome: Older people are less " in (
        page
    )
    assert "Volunteers recruited Counted in volunteers." in page
    assert "Year 1 100 people" in page
    assert "Year 3 300 people" in page
    assert "Year 2 8 volunteers" in page
    # Volunteers have targets for two years only: there is no third-year box.
    html = response.content.decode()
    assert f'name="target_{volunteers(draft).pk}_3"' not in html
    field = f"id_target_{people(draft).pk}_2"
    assert f'<label class="govuk-label govuk-visually-hidden" for="{field}">' in html
    assert "The council’s target for the whole service: 200 people" in page
    assert f'aria-describedby="{field}_hint"' in html


def test_targets_are_saved_and_shown_again(client, draft, lead):
    client.force_login(lead)
    response = client.post(
        f"/bids/{draft.pk}/targets/",
        targets_data(draft, **{f"target_{people(draft).pk}_1": "1,250.5"}),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/bids/{draft.pk}/"
    assert "Targets saved" in text_of(response)
    saved = {(t.specification_measure_id, t.year): t.target for t in draft.targets.all()}
    assert saved == {
        (people(draft).pk, 1): Decimal("1250.5"),
        (people(draft).pk, 2): Decimal("100"),
        (people(draft).pk, 3): Decimal("150"),
        (volunteers(draft).pk, 1): Decimal("4"),
        (volunteers(draft).pk, 2): Decimal("3"),
    }
    html = client.get(f"/bids/{draft.pk}/targets/").content.decode()
    assert f'name="target_{people(draft).pk}_1"' in html
    assert 'value="1250.50"' in html and 'value="100"' in html

    # Changing one changes only that one.
    client.post(
        f"/bids/{draft.pk}/targets/", targets_data(draft, **{f"target_{people(draft).pk}_2": "0"})
    )
    assert draft.targets.get(specification_measure=people(draft), year=2).target == 0
    assert draft.targets.count() == 5


def test_every_box_must_be_filled_in_and_what_was_typed_is_kept(client, draft, lead):
    client.force_login(lead)
    p, v = people(draft).pk, volunteers(draft).pk
    response = client.post(
        f"/bids/{draft.pk}/targets/",
        targets_data(
            draft,
            **{
                f"target_{p}_1": "lots",
                f"target_{p}_2": "",
                f"target_{p}_3": "-5",
                f"target_{v}_1": "1.234",
                f"target_{v}_2": "75",
            },
        ),
    )
    assert response.status_code == 200
    page = text_of(response)
    assert page.startswith("Error: ")
    assert "There is a problem" in page
    for message in (
        "Enter the number of people you will achieve in year 1 as a number, like 120",
        "Enter the number of people you will achieve in year 2",
        "The number of people you will achieve in year 3 must be 0 or more",
        "The number of volunteers you will achieve in year 1 must have 2 decimal places or fewer",
    ):
        # Once in the error summary, once beside the field.
        assert page.count(message) == 2, message
    html = response.content.decode()
    assert f'<a href="#id_target_{p}_2">' in html
    assert f'aria-describedby="id_target_{p}_2_hint id_target_{p}_2_error"' in html
    for typed in ('value="lots"', 'value="-5"', 'value="1.234"', 'value="75"'):
        assert typed in html
    assert not BidTarget.objects.exists()


def test_measures_counted_in_the_same_unit_are_named_in_the_messages(client, lead, draft):
    lonely = measure_add(
        draft.opportunity.specification, "Older people reporting they feel less lonely", (40,)
    )
    client.force_login(lead)
    page = text_of(
        client.post(
            f"/bids/{draft.pk}/targets/", targets_data(draft, **{f"target_{lonely.pk}_1": ""})
        )
    )
    assert (
        "Enter the number of people you will achieve in year 1 for Older people reporting "
        "they feel less lonely" in page
    )


def test_a_submitted_bid_must_be_reopened_to_change_its_targets(client):
    bid = submitted_bid()
    client.force_login(member(bid.organisation))
    before = list(bid.targets.values_list("target", flat=True))
    response = client.post(f"/bids/{bid.pk}/targets/", {}, follow=True)
    assert response.redirect_chain[-1][0] == f"/bids/{bid.pk}/"
    assert "Reopen it to make changes before the deadline" in text_of(response)
    assert list(bid.targets.values_list("target", flat=True)) == before


def test_after_the_deadline_a_draft_cannot_be_given_targets(client):
    bid = BidFactory(opportunity=ClosedOpportunityFactory())
    client.force_login(member(bid.organisation))
    response = client.get(f"/bids/{bid.pk}/targets/", follow=True)
    assert "The deadline for this opportunity has passed" in text_of(response)


def test_a_partner_cannot_set_the_targets(client, draft):
    partner = partner_add(draft)
    client.force_login(member(partner.organisation))
    assert client.get(f"/bids/{draft.pk}/targets/").status_code == 403
    assert client.post(f"/bids/{draft.pk}/targets/", targets_data(draft)).status_code == 403
    assert not draft.targets.exists()


def test_the_page_reads_the_same_number_of_queries_however_many_measures(client, draft, lead):
    client.force_login(lead)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/bids/{draft.pk}/targets/")
    for name in ("Meals provided", "Community events held", "Volunteer hours given"):
        measure_add(draft.opportunity.specification, name, (1, 2, 3))
    targets_propose(draft)
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"/bids/{draft.pk}/targets/")
    assert "Volunteer hours given" in text_of(response)
    assert len(many) == len(few)


# --- The service ---------------------------------------------------------------------------------


def test_the_service_keeps_only_the_specifications_measures_and_years(draft):
    p, v = people(draft), volunteers(draft)
    elsewhere = SpecificationFactory().measures.get()
    services.bid_targets_set(
        bid=draft,
        targets={
            (p.pk, 1): Decimal("5"),
            (p.pk, 2): None,
            (v.pk, 3): Decimal("9"),  # the specification has no third year for volunteers
            (elsewhere.pk, 1): Decimal("7"),
        },
    )
    assert list(draft.targets.values_list("specification_measure_id", "year", "target")) == [
        (p.pk, 1, Decimal("5"))
    ]
    # None clears a target saved before.
    services.bid_targets_set(bid=draft, targets={(p.pk, 1): None, (p.pk, 2): Decimal(1)})
    assert list(draft.targets.values_list("year", flat=True)) == [2]


def test_the_service_refuses_a_negative_target_and_a_bid_that_is_not_a_draft(draft):
    with pytest.raises(ValidationError) as error:
        services.bid_targets_set(bid=draft, targets={(people(draft).pk, 1): Decimal(-1)})
    assert error.value.message_dict == {
        f"target_{people(draft).pk}_1": [
            "The number of people you will achieve in year 1 must be 0 or more"
        ]
    }
    sent = submitted_bid()
    with pytest.raises(services.BidLocked):
        services.bid_targets_set(bid=sent, targets={})


# --- The task list and submitting ----------------------------------------------------------------


def test_the_task_list_shows_the_targets_step_and_its_status(client, draft, lead):
    client.force_login(lead)
    page = text_of(client.get(f"/bids/{draft.pk}/"))
    assert "Targets For 2 success measures, each year Not started" in page
    assert f'href="/bids/{draft.pk}/targets/"' in client.get(f"/bids/{draft.pk}/").content.decode()
    services.bid_targets_set(bid=draft, targets={(people(draft).pk, 1): Decimal(5)})
    page = text_of(client.get(f"/bids/{draft.pk}/"))
    assert "Targets 1 of 5 targets entered In progress" in page
    targets_propose(draft)
    page = text_of(client.get(f"/bids/{draft.pk}/"))
    assert "Targets Targets for 2 success measures Completed" in page


def test_a_bid_without_every_target_cannot_be_submitted(client, draft, lead):
    bid_complete(draft)
    draft.targets.filter(specification_measure=volunteers(draft), year=2).delete()
    assert not draft.targets_are_proposed()
    client.force_login(lead)
    page = text_of(client.get(f"/bids/{draft.pk}/actions/submit/"))
    assert "You cannot submit your bid yet" in page
    assert "Enter your targets for Volunteers recruited for every year" in page
    assert "People supported" not in page.split("You cannot submit your bid yet")[1]
    response = client.post(
        f"/bids/{draft.pk}/actions/submit/", {"seen_state": "draft", "declaration": "on"}
    )
    assert response.status_code == 200
    with pytest.raises(TransitionNotAllowed):
        services.bid_transition(bid=draft, name="submit", user=lead)
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert not BidSubmission.objects.exists()


def test_a_bid_with_every_target_is_submitted_and_its_snapshot_keeps_them(client, draft, lead):
    bid_complete(draft, target_share="0.5")
    assert draft.targets_are_proposed()
    client.force_login(lead)
    check = text_of(client.get(f"/bids/{draft.pk}/actions/submit/"))
    assert "Check your bid before you submit it" in check
    assert "Year 3 150 people 300 people" in check
    response = client.post(
        f"/bids/{draft.pk}/actions/submit/",
        {"seen_state": "draft", "declaration": "on"},
        follow=True,
    )
    draft.refresh_from_db()
    assert draft.state == "submitted"
    content = BidSubmission.objects.get(bid=draft).content
    assert content["targets"][0] == {
        "specification_measure_id": people(draft).pk,
        "measure": "People supported",
        "unit": "people",
        "outcome": "Older people are less lonely",
        "year": 1,
        "council_target": "100.00",
        "target": "50.00",
    }
    assert [(t["measure"], t["year"], t["target"]) for t in content["targets"]] == [
        ("People supported", 1, "50.00"),
        ("People supported", 2, "100.00"),
        ("People supported", 3, "150.00"),
        ("Volunteers recruited", 1, "5.00"),
        ("Volunteers recruited", 2, "4.00"),
    ]
    receipt = text_of(response)
    assert "Targets you proposed" in receipt
    assert "People supported Year 3 150 people" in receipt
    assert "Volunteers recruited Year 1 5 volunteers" in receipt


def test_a_specification_without_measures_asks_for_no_targets(client):
    specification = SpecificationFactory(complete=False)
    bid = bid_complete(BidFactory(opportunity=OpportunityFactory(specification=specification)))
    assert bid.targets_are_proposed()
    assert bid_target_measures(bid=bid) == []
    assert bid_snapshot(bid=bid)["targets"] == []
    client.force_login(member(bid.organisation))
    page = text_of(client.get(f"/bids/{bid.pk}/"))
    assert "Targets" not in page
    assert "no success measures" in text_of(client.get(f"/bids/{bid.pk}/targets/"))


# --- Reading the bid -----------------------------------------------------------------------------


def test_the_submitted_bid_shows_its_targets_beside_the_councils(client):
    bid = submitted_bid(opportunity=ClosedOpportunityFactory())
    targets_propose(bid, share="0.3")
    client.force_login(member(bid.organisation))
    page = text_of(client.get(f"/bids/{bid.pk}/"))
    assert (
        "People supported Counted in people. Towards the outcome: Older people are less lonely "
        "Year Target proposed Council’s target for the whole service "
        "Year 1 30 people 100 people Year 2 60 people 200 people Year 3 90 people 300 people"
    ) in page


def test_officers_read_the_targets_once_the_deadline_has_passed(client, officer):
    bid = submitted_bid(opportunity=ClosedOpportunityFactory())
    targets_propose(bid, share="0.25")
    client.force_login(officer)
    page = text_of(client.get(f"/bids/{bid.pk}/"))
    assert "Year 2 50 people 200 people" in page
