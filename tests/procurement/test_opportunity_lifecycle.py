"""The opportunity's state machine: draft → published → closed. Publishing and closing go
through the same checks as every other lifecycle (core.transitions), say what is missing
in the machine's own words, and are recorded; bids stay sealed until the deadline."""

import datetime as dt
import importlib
import re
from decimal import Decimal
from html import unescape

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog

from commissioning.models import ServiceCriterion
from core.roles import Role
from core.transitions import transition_check, transition_checklist, transition_problems
from procurement.models import Opportunity, OpportunityState
from procurement.selectors.opportunities import Status, opportunity_status
from procurement.services.opportunities import (
    OpportunityRefused,
    opportunities_close_due,
    opportunity_publish,
    opportunity_transition,
    opportunity_update,
)
from tests.procurement.factories_opportunities import (
    DraftOpportunityFactory,
    OpportunityFactory,
    StartedBidFactory,
    at,
    published_specification,
)

pytestmark = pytest.mark.django_db
S = OpportunityState


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def ready_draft(*, lead_officer, commission_state: str = "approved", **kwargs) -> Opportunity:
    """A draft whose questions' weights add up to 100 (the core criteria's 90 and a
    service-specific 10), closing in 30 days: nothing stands in the way of publishing."""
    specification = published_specification(lead_officer=lead_officer, state=commission_state)
    ServiceCriterion.objects.create(
        specification=specification, name="Trained drivers", weight=Decimal("10")
    )
    return DraftOpportunityFactory(specification=specification, **kwargs)


def past_deadline(**kwargs) -> Opportunity:
    """Published, its deadline passed yesterday at 5pm, not closed yet."""
    return OpportunityFactory(opens_at=at(-30, 9), closes_at=at(-1, 17), **kwargs)


# --- Every transition, from the state it is declared out of -----------------------------------


@pytest.mark.parametrize(
    ("name", "source", "target"),
    [("publish", S.DRAFT, S.PUBLISHED), ("close", S.PUBLISHED, S.CLOSED)],
)
def test_each_transition_moves_the_opportunity_and_is_recorded(officer, name, source, target):
    opportunity = ready_draft(lead_officer=officer) if source == S.DRAFT else past_deadline()
    assert opportunity.state == source

    opportunity_transition(opportunity=opportunity, name=name, user=officer)

    opportunity.refresh_from_db()
    assert opportunity.state == target
    log = StateLog.objects.for_(opportunity).get()
    assert (log.transition, log.source_state, log.state, log.by) == (name, source, target, officer)


# --- Refused by state -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "state"),
    [
        ("publish", S.PUBLISHED),
        ("publish", S.CLOSED),
        ("close", S.DRAFT),
        ("close", S.CLOSED),
    ],
)
def test_an_action_the_state_does_not_allow_is_refused(officer, name, state):
    opportunity = past_deadline(
        state=state,
        specification=published_specification(lead_officer=officer, state="procurement"),
    )

    with pytest.raises(TransitionNotAllowed):
        transition_check(instance=opportunity, name=name, user=officer)
    with pytest.raises((TransitionNotAllowed, OpportunityRefused)):
        opportunity_transition(opportunity=opportunity, name=name, user=officer)

    opportunity.refresh_from_db()
    assert opportunity.state == state
    assert not StateLog.objects.for_(opportunity).exists()


# --- Refused by role --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "role", "commission_state", "allowed"),
    [
        ("publish", "lead officer", "approved", True),
        ("publish", Role.OFFICER, "approved", False),  # only the lead moves the commission on
        ("publish", Role.OFFICER, "procurement", True),
        ("publish", Role.ADMINISTRATOR, "procurement", True),
        ("publish", Role.APPROVER, "procurement", False),
        ("publish", Role.PANEL_MEMBER, "procurement", False),
        ("publish", Role.PROVIDER, "procurement", False),
        ("close", Role.OFFICER, "procurement", True),
        ("close", Role.ADMINISTRATOR, "procurement", True),
        ("close", Role.APPROVER, "procurement", False),
        ("close", Role.PANEL_MEMBER, "procurement", False),
        ("close", Role.PROVIDER, "procurement", False),
    ],
)
def test_who_may_publish_and_close(make_user, officer, name, role, commission_state, allowed):
    user = officer if role == "lead officer" else make_user(role)
    if name == "publish":
        opportunity = ready_draft(lead_officer=officer, commission_state=commission_state)
    else:
        opportunity = past_deadline()

    if allowed:
        transition_check(instance=opportunity, name=name, user=user)
    else:
        with pytest.raises(PermissionDenied):
            transition_check(instance=opportunity, name=name, user=user)


def test_an_officer_who_does_not_lead_is_told_who_can_publish(make_user, officer):
    opportunity = ready_draft(lead_officer=officer)
    other = make_user(Role.OFFICER)

    assert transition_problems(instance=opportunity, name="publish", user=other) == [
        "Only the commission’s lead officer, Olive Officer, can publish this opportunity: "
        "opening it moves the commission to procurement"
    ]
    with pytest.raises(OpportunityRefused):
        opportunity_publish(opportunity=opportunity, user=other)


# --- Refused by condition ---------------------------------------------------------------------


def _not_in_a_published_plan(opportunity):
    opportunity.specification.plans.update(state="draft")


def _commission_at_planning(opportunity):
    commission = opportunity.commission
    type(commission).objects.filter(pk=commission.pk).update(state="planning")
    commission.refresh_from_db()


def _no_questions(opportunity):
    opportunity.questions.all().delete()


def _weights_at_90(opportunity):
    opportunity.questions.filter(service_criterion__isnull=False).delete()


def _closes_before_it_opens(opportunity):
    opportunity.closes_at = opportunity.opens_at - dt.timedelta(hours=1)  # never saved


def _closed_already(opportunity):
    Opportunity.objects.filter(pk=opportunity.pk).update(opens_at=at(-10), closes_at=at(-1))
    opportunity.refresh_from_db()


@pytest.mark.parametrize(
    ("spoil", "label", "problem"),
    [
        (
            _not_in_a_published_plan,
            "The specification is in a published Commissioning Plan",
            "The specification is not in a published Commissioning Plan",
        ),
        (
            _commission_at_planning,
            "The commission’s plan is approved",
            "The commission is at “Planning”: an opportunity can be published only while it "
            "is at “Plan approved” or “Procurement”",
        ),
        (
            _no_questions,
            "There is at least one question",
            "Add at least one question",
        ),
        (
            _weights_at_90,
            "The questions’ weights add up to 100",
            "The weights must add up to 100. They add up to 90",
        ),
        (
            _closes_before_it_opens,
            "The closing date is after the opening date",
            "The closing date must be after the opening date",
        ),
        (
            _closed_already,
            "The closing date is in the future",
            "The closing date must be in the future",
        ),
    ],
)
def test_publishing_is_refused_until_each_condition_holds(officer, spoil, label, problem):
    opportunity = ready_draft(lead_officer=officer, commission_state="procurement")
    spoil(opportunity)

    missing = [
        item
        for item in transition_checklist(instance=opportunity, name="publish", user=officer)
        if not item.met
    ]

    assert (missing[0].label, missing[0].needed) == (label, (problem,))
    if spoil is _no_questions:  # and so the weights add up to nothing
        assert missing[1].needed == ("The weights must add up to 100. They add up to 0",)
    else:
        assert len(missing) == 1
    with pytest.raises(TransitionNotAllowed):
        transition_check(instance=opportunity, name="publish", user=officer)
    if spoil is not _closes_before_it_opens:  # the database refuses that one anyway
        with pytest.raises(OpportunityRefused) as refused:
            opportunity_publish(opportunity=opportunity, user=officer)
        assert refused.value.problems[0] == problem
        opportunity.refresh_from_db()
        assert opportunity.state == S.DRAFT
        assert opportunity.published_at is None


def test_closing_is_refused_until_the_deadline_has_passed(officer, clock):
    opportunity = OpportunityFactory(closes_at=at(3, 17))

    assert transition_problems(instance=opportunity, name="close") == [
        "Bidding closes at 5pm on 29 November 2026. You can close it to bids from then"
    ]
    with pytest.raises(TransitionNotAllowed):
        opportunity_transition(opportunity=opportunity, name="close", user=officer)

    clock.move_to(at(3, 17))
    opportunity_transition(opportunity=opportunity, name="close", user=officer)
    opportunity.refresh_from_db()
    assert opportunity.state == S.CLOSED


# --- Publishing: the date it is published from --------------------------------------------------


def test_publishing_sets_when_it_was_published_and_the_public_pages_show_it(client, officer):
    opportunity = ready_draft(lead_officer=officer)

    opportunity_publish(opportunity=opportunity, user=officer)

    assert opportunity.state == S.PUBLISHED
    assert opportunity.published_at == at(0, 10)  # the frozen now: 10am today
    assert opportunity.title in text_of(client.get("/opportunities/"))


def test_publishing_from_an_earlier_moment_checks_the_deadline_against_it(officer):
    """The demo publishes opportunities in the past, from their opening date."""
    opportunity = ready_draft(lead_officer=officer, opens_at=at(-20, 9), closes_at=at(-2, 17))

    opportunity_publish(opportunity=opportunity, user=officer, at=at(-20, 9))

    opportunity.refresh_from_db()
    assert (opportunity.state, opportunity.published_at) == (S.PUBLISHED, at(-20, 9))


# --- Closing: by an officer, or by the portal ---------------------------------------------------


def test_the_portal_closes_every_opportunity_whose_deadline_has_passed(clock):
    due = past_deadline()
    still_open = OpportunityFactory(closes_at=at(2, 17))
    draft = DraftOpportunityFactory(opens_at=at(-5, 9), closes_at=at(-1, 17))

    closed = opportunities_close_due()

    assert [opportunity.pk for opportunity in closed] == [due.pk]
    states = dict(Opportunity.objects.values_list("pk", "state"))
    assert states == {due.pk: S.CLOSED, still_open.pk: S.PUBLISHED, draft.pk: S.DRAFT}
    log = StateLog.objects.for_(due).get()
    assert (log.by, log.description) == (None, "The deadline passed")
    assert opportunities_close_due() == []  # nothing twice


def test_celery_beat_runs_the_portals_closing_every_few_minutes(settings):
    from procurement import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["opportunities-close-due"]
    due = past_deadline()

    assert entry["task"] == tasks.opportunities_close_due.name
    assert entry["schedule"] <= 300
    assert tasks.opportunities_close_due() == 1
    due.refresh_from_db()
    assert due.state == S.CLOSED


def test_an_officer_closes_it_from_its_page_once_the_deadline_has_passed(client, officer):
    opportunity = past_deadline()
    client.force_login(officer)

    page = text_of(client.get(f"/staff/opportunities/{opportunity.pk}/"))
    assert "Done The deadline has passed" in page
    confirm = text_of(client.get(f"/staff/opportunities/{opportunity.pk}/close/"))
    assert "Close to bids" in confirm
    response = client.post(
        f"/staff/opportunities/{opportunity.pk}/close/",
        {"seen_state": "published", "reason": "All bids in"},
        follow=True,
    )

    assert f"{opportunity.reference} is closed to bids" in text_of(response)
    opportunity.refresh_from_db()
    assert opportunity.state == S.CLOSED
    log = StateLog.objects.for_(opportunity).get()
    assert (log.by, log.description) == (officer, "All bids in")


def test_before_the_deadline_the_page_says_when_bidding_closes_and_close_is_refused(
    client, officer
):
    opportunity = OpportunityFactory(closes_at=at(3, 17))
    client.force_login(officer)

    page = text_of(client.get(f"/staff/opportunities/{opportunity.pk}/"))
    response = client.post(
        f"/staff/opportunities/{opportunity.pk}/close/", {"seen_state": "published"}
    )

    assert "Close to bids" not in page
    assert "Bids are sealed until the deadline" in page
    assert "Bidding closes at 5pm on 29 November 2026" in text_of(response)
    opportunity.refresh_from_db()
    assert opportunity.state == S.PUBLISHED


def test_a_closed_opportunity_stays_on_the_public_pages_and_takes_no_bids(client):
    opportunity = past_deadline(state=S.CLOSED)

    assert opportunity.title in text_of(client.get("/opportunities/"))
    assert client.get(opportunity.get_absolute_url()).status_code == 200
    assert opportunity_status(opportunity=opportunity) == Status.CLOSED
    assert not opportunity.is_open()
    assert opportunity.has_closed()


def test_bids_stay_sealed_until_the_deadline_whatever_the_state(client, make_user, clock):
    """The deadline seals bids, not the state: a published opportunity past its deadline
    that nobody has closed yet is unsealed, and no opportunity can be closed before it."""
    opportunity = OpportunityFactory(closes_at=at(1, 17))
    bid = StartedBidFactory(opportunity=opportunity, state="submitted", title="Secret title")
    client.force_login(make_user(Role.OFFICER))

    assert client.get(f"/bids/{bid.pk}/").status_code == 403
    clock.move_to(at(1, 17))
    assert opportunity.state == S.PUBLISHED
    assert client.get(f"/bids/{bid.pk}/").status_code == 200


def test_a_closed_opportunitys_deadline_cannot_move():
    opportunity = past_deadline(state=S.CLOSED)

    with pytest.raises(ValidationError, match="closed to bids"):
        opportunity_update(
            opportunity=opportunity,
            title=opportunity.title,
            summary=opportunity.summary,
            funding_type=opportunity.funding_type,
            opens_at=opportunity.opens_at,
            closes_at=at(10, 17),
            eligibility=opportunity.eligibility,
        )


def test_no_form_can_set_the_state_the_admins_included(rf, administrator):
    """Only the machine moves an opportunity: a form offering `state` would fail on save
    (the field is protected)."""
    from django.contrib.admin.sites import site

    request = rf.get("/admin/")
    request.user = administrator
    form = site._registry[Opportunity].get_form(request, OpportunityFactory())

    assert "state" not in form.base_fields
    assert not Opportunity._meta.get_field("state").editable


# --- The migration that gave existing opportunities their state -----------------------------------


def test_existing_opportunities_get_their_state_from_their_dates():
    migration = importlib.import_module("procurement.migrations.0006_opportunity_state")
    draft = DraftOpportunityFactory()
    open_one = OpportunityFactory()
    past = past_deadline()
    Opportunity.objects.update(state="draft")

    migration.states_from_dates(apps, None)

    states = dict(Opportunity.objects.values_list("pk", "state"))
    assert states == {draft.pk: S.DRAFT, open_one.pk: S.PUBLISHED, past.pk: S.CLOSED}
