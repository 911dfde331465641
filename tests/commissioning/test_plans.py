"""The Commissioning Plan: every transition and refusal, versions that never change,
the public register and the staff pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog

from commissioning.models import CommissioningPlan, PlanState, Sector
from commissioning.services.plans import (
    PlanNotEditable,
    PlanVersionRefused,
    plan_create,
    plan_new_version,
    plan_transition,
    plan_update,
)
from core.roles import Role
from tests.factories import CommissionFactory, PlanFactory, SpecificationFactory, UserFactory

S = PlanState
OFFICER, APPROVER = "officer", "approver"

# transition -> (sources, target, who may make it, needs a reason)
MACHINE = {
    "submit": ([S.DRAFT], S.AWAITING_APPROVAL, OFFICER, False),
    "approve": ([S.AWAITING_APPROVAL], S.APPROVED, APPROVER, False),
    "return_to_draft": ([S.AWAITING_APPROVAL], S.DRAFT, APPROVER, True),
    "publish": ([S.APPROVED], S.PUBLISHED, OFFICER, False),
}
ALLOWED = [
    pytest.param(name, source, target, id=f"{name}:{source}->{target}")
    for name, (sources, target, _, _) in MACHINE.items()
    for source in sources
]
WRONG_SOURCE = [
    pytest.param(name, source, id=f"{name}:from-{source}")
    for name, (sources, _, _, _) in MACHINE.items()
    for source in S.values
    if source not in sources
]
WRONG_ROLE = [
    pytest.param(name, role, id=f"{name}:{role}")
    for name, (_, _, actor, _) in MACHINE.items()
    for role in (
        ["provider", "panel", "approver", "admin"]
        if actor == OFFICER
        else ["provider", "panel", "officer", "admin"]
    )
]


@pytest.fixture
def people(db):
    return {
        "officer": UserFactory(roles=[Role.OFFICER], email="author@example.org"),
        "other_officer": UserFactory(roles=[Role.OFFICER], email="other@example.org"),
        "approver": UserFactory(roles=[Role.APPROVER], email="approver@example.org"),
        "provider": UserFactory(roles=[Role.PROVIDER], email="provider@example.org"),
        "panel": UserFactory(roles=[Role.PANEL_MEMBER], email="panel@example.org"),
        "admin": UserFactory(roles=[Role.ADMINISTRATOR], email="admin@example.org"),
        # Someone who is both: may write a plan and approve other people's.
        "officer_approver": UserFactory(
            roles=[Role.OFFICER, Role.APPROVER], email="both@example.org"
        ),
    }


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture(autouse=True)
def _no_weasyprint(monkeypatch):
    """Publishing enqueues the PDF; these tests are about the lifecycle, not the PDF."""
    monkeypatch.setattr("commissioning.pdf.plan_pdf_render", lambda *, plan: b"%PDF-1.7 test")


def _plan(people, state, *, author="officer", specifications=1, **kwargs) -> CommissioningPlan:
    author = people[author]
    specs = [SpecificationFactory() for _ in range(specifications)]
    plan = PlanFactory(state=state, author=author, specifications=specs, **kwargs)
    if state in (S.AWAITING_APPROVAL, S.APPROVED, S.PUBLISHED, S.SUPERSEDED):
        plan.submitted_by = author
    if state in (S.PUBLISHED, S.SUPERSEDED):
        plan.published_at = timezone.now()
    plan.save()
    return CommissioningPlan.objects.get(pk=plan.pk)


def _actor(people, name):
    return people[MACHINE[name][2]]


# --- The state machine ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source", "target"), ALLOWED)
def test_every_transition_moves_the_plan_and_is_recorded(
    people, name, source, target, django_capture_on_commit_callbacks
):
    plan = _plan(people, source)
    actor = _actor(people, name)
    with django_capture_on_commit_callbacks(execute=True):
        plan_transition(plan=plan, name=name, user=actor, reason="Because")
    plan.refresh_from_db()
    assert plan.state == target
    log = StateLog.objects.for_(plan).get()
    assert (log.source_state, log.state, log.by, log.description) == (
        source,
        target,
        actor,
        "Because",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "source"), WRONG_SOURCE)
def test_a_transition_from_the_wrong_state_is_refused(people, name, source):
    plan = _plan(people, source)
    with pytest.raises(TransitionNotAllowed):
        plan_transition(plan=plan, name=name, user=_actor(people, name), reason="Because")
    plan.refresh_from_db()
    assert plan.state == source
    assert not StateLog.objects.for_(plan).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), WRONG_ROLE)
def test_a_transition_by_the_wrong_person_is_refused(people, name, role):
    source = MACHINE[name][0][0]
    plan = _plan(people, source)
    with pytest.raises(PermissionDenied):
        plan_transition(plan=plan, name=name, user=people[role], reason="Because")
    plan.refresh_from_db()
    assert plan.state == source


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["approve", "return_to_draft"])
def test_an_approver_never_approves_a_plan_they_wrote(people, name):
    plan = _plan(people, S.AWAITING_APPROVAL, author="officer_approver")
    with pytest.raises(PermissionDenied):
        plan_transition(plan=plan, name=name, user=people["officer_approver"], reason="Mine")
    assert CommissioningPlan.objects.get(pk=plan.pk).state == S.AWAITING_APPROVAL


@pytest.mark.django_db
def test_an_approver_never_approves_a_plan_they_sent_for_approval(people):
    plan = _plan(people, S.DRAFT)
    plan_transition(plan=plan, name="submit", user=people["officer_approver"])
    assert plan.submitted_by == people["officer_approver"]
    with pytest.raises(PermissionDenied):
        plan_transition(plan=plan, name="approve", user=people["officer_approver"])
    plan_transition(plan=plan, name="approve", user=people["approver"])
    assert plan.state == S.APPROVED
    assert plan.approved_by == people["approver"]


@pytest.mark.django_db
def test_a_plan_without_specifications_cannot_be_sent_for_approval(people):
    plan = _plan(people, S.DRAFT, specifications=0)
    with pytest.raises(TransitionNotAllowed):
        plan_transition(plan=plan, name="submit", user=people["officer"])
    assert CommissioningPlan.objects.get(pk=plan.pk).state == S.DRAFT


@pytest.mark.django_db
def test_a_plan_with_an_incomplete_specification_cannot_be_sent_for_approval(people):
    plan = _plan(people, S.DRAFT, specifications=1)
    plan.specifications.add(SpecificationFactory(complete=False))
    with pytest.raises(TransitionNotAllowed):
        plan_transition(plan=plan, name="submit", user=people["officer"])
    assert CommissioningPlan.objects.get(pk=plan.pk).state == S.DRAFT


@pytest.mark.django_db
def test_returning_to_draft_needs_reasons(people):
    plan = _plan(people, S.AWAITING_APPROVAL)
    with pytest.raises(ValidationError):
        plan_transition(plan=plan, name="return_to_draft", user=people["approver"], reason="  ")
    plan.refresh_from_db()
    assert plan.state == S.AWAITING_APPROVAL
    plan_transition(
        plan=plan,
        name="return_to_draft",
        user=people["approver"],
        reason="The levels of investment do not add up",
    )
    assert plan.state == S.DRAFT
    assert StateLog.objects.for_(plan).get().description == (
        "The levels of investment do not add up"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["supersede", "delete", "save"])
def test_supersede_and_made_up_names_are_not_actions_anyone_can_take(people, name):
    plan = _plan(people, S.PUBLISHED)
    with pytest.raises(TransitionNotAllowed):
        plan_transition(plan=plan, name=name, user=people["officer"])
    assert CommissioningPlan.objects.get(pk=plan.pk).state == S.PUBLISHED


@pytest.mark.django_db
def test_publishing_sets_the_date_and_stores_the_pdf_once_committed(
    people, django_capture_on_commit_callbacks
):
    plan = _plan(people, S.APPROVED)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        plan_transition(plan=plan, name="publish", user=people["officer"])
    plan.refresh_from_db()
    assert plan.state == S.PUBLISHED
    assert plan.published_at is not None
    assert not plan.pdf  # nothing rendered inside the transaction
    assert callbacks  # the PDF is queued for after the commit (and the open data forgotten)
    for callback in callbacks:
        callback()
    plan.refresh_from_db()
    assert plan.pdf.name == f"plans/{plan.slug}.pdf"
    assert plan.pdf.read() == b"%PDF-1.7 test"


# --- Versions ---------------------------------------------------------------------------------


def _publish(plan, people, captured):
    with captured(execute=True):
        for name in ("submit", "approve", "publish"):
            plan_transition(plan=plan, name=name, user=_actor(people, name))
    return plan


@pytest.mark.django_db
def test_publishing_version_2_supersedes_version_1_which_stays_readable(
    people, client, django_capture_on_commit_callbacks
):
    v1 = _plan(people, S.PUBLISHED, specifications=2)
    v2 = plan_new_version(plan=v1, user=people["other_officer"])
    assert (v2.state, v2.version, v2.series, v2.previous_version) == (
        S.DRAFT,
        2,
        v1.series,
        v1,
    )
    assert v2.slug == f"{v1.series}-v2"
    assert v2.author == people["other_officer"]
    assert set(v2.specifications.all()) == set(v1.specifications.all())
    assert v2.purpose == v1.purpose and v2.performance_management == v1.performance_management

    # Until version 2 is published, version 1 is the plan.
    assert client.get(f"/plans/{v2.slug}/").status_code == 404
    assert "Superseded" not in client.get(f"/plans/{v1.slug}/").content.decode()

    plan_update(plan=v2, purpose="A refreshed purpose after the annual review.")
    _publish(v2, people, django_capture_on_commit_callbacks)
    v1.refresh_from_db()
    assert (v1.state, v2.state) == (S.SUPERSEDED, S.PUBLISHED)
    log = StateLog.objects.for_(v1).get()
    assert (log.source_state, log.state, log.by) == (S.PUBLISHED, S.SUPERSEDED, people["officer"])
    assert log.description == "Superseded by version 2, published"

    old = client.get(f"/plans/{v1.slug}/")
    assert old.status_code == 200
    page = old.content.decode()
    assert "It has been superseded by version 2" in page
    assert f'href="/plans/{v2.slug}/"' in page
    assert "To invest in services that improve the lives" in page  # its own words, unchanged
    new = client.get(f"/plans/{v2.slug}/").content.decode()
    assert "A refreshed purpose after the annual review." in new
    assert f'href="/plans/{v1.slug}/"' in new  # "replacing version 1"

    listing = client.get("/plans/").content.decode()
    assert "Superseded by" in listing and f'href="/plans/{v2.slug}/">version 2</a>' in listing


@pytest.mark.django_db
def test_a_new_version_is_started_once_and_only_from_the_published_version(people):
    v1 = _plan(people, S.PUBLISHED)
    v2 = plan_new_version(plan=v1, user=people["officer"])
    assert plan_new_version(plan=v1, user=people["officer"]) == v2
    assert CommissioningPlan.objects.filter(series=v1.series).count() == 2
    for state in (S.DRAFT, S.AWAITING_APPROVAL, S.APPROVED, S.SUPERSEDED):
        with pytest.raises(PlanVersionRefused):
            plan_new_version(plan=_plan(people, state), user=people["officer"])


@pytest.mark.django_db
@pytest.mark.parametrize("state", [S.AWAITING_APPROVAL, S.APPROVED, S.PUBLISHED, S.SUPERSEDED])
def test_only_a_draft_can_change(people, state):
    plan = _plan(people, state)
    before = CommissioningPlan.objects.get(pk=plan.pk)
    with pytest.raises(PlanNotEditable) as refused:
        plan_update(plan=plan, title="Something else", purpose="Rewritten", specifications=[])
    after = CommissioningPlan.objects.get(pk=plan.pk)
    assert (after.title, after.purpose) == (before.title, before.purpose)
    assert after.specifications.count() == 1
    if state in (S.PUBLISHED, S.SUPERSEDED):
        assert str(refused.value) == "A published plan never changes — start a new version"


@pytest.mark.django_db
def test_a_published_plan_cannot_be_changed_through_its_edit_page(people, client):
    plan = _plan(people, S.PUBLISHED)
    client.force_login(people["officer"])
    response = client.post(f"/staff/plans/{plan.pk}/edit/", {"title": "Changed"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/staff/plans/{plan.pk}/"
    assert "A published plan never changes — start a new version" in response.content.decode()
    assert CommissioningPlan.objects.get(pk=plan.pk).title == plan.title


@pytest.mark.django_db
def test_specifications_must_be_for_the_plans_sector(people):
    arts = Sector.objects.get(short_name="Arts")
    arts_spec = SpecificationFactory(commission=CommissionFactory(sector=arts))
    with pytest.raises(ValidationError):
        plan_create(
            author=people["officer"],
            sector=Sector.objects.get(short_name="VCFS"),
            title="VCFS plan",
            period_start=datetime.date(2027, 4, 1),
            period_end=datetime.date(2030, 3, 31),
            purpose="p",
            investment_levels="i",
            expected_outcomes="o",
            procurement_arrangements="pa",
            contractual_arrangements="ca",
            performance_management="pm",
            specifications=[arts_spec],
        )


@pytest.mark.django_db
def test_plans_with_the_same_title_get_their_own_series(people):
    fields = {
        "author": people["officer"],
        "sector": Sector.objects.get(short_name="Arts"),
        "title": "Arts Commissioning Plan 2027 to 2030",
        "period_start": datetime.date(2027, 4, 1),
        "period_end": datetime.date(2030, 3, 31),
        "purpose": "p",
        "investment_levels": "i",
        "expected_outcomes": "o",
        "procurement_arrangements": "pa",
        "contractual_arrangements": "ca",
        "performance_management": "pm",
    }
    first, second = plan_create(**fields), plan_create(**fields)
    assert first.slug == "arts-commissioning-plan-2027-to-2030-v1"
    assert second.slug == "arts-commissioning-plan-2027-to-2030-2-v1"


# --- Public pages -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("state", [S.DRAFT, S.AWAITING_APPROVAL, S.APPROVED])
@pytest.mark.parametrize("who", [None, "provider", "officer", "approver"])
def test_unpublished_plans_are_not_found_at_public_addresses(people, client, state, who):
    plan = _plan(people, state)
    if who:
        client.force_login(people[who])
    assert client.get(f"/plans/{plan.slug}/").status_code == 404
    assert client.get(f"/plans/{plan.slug}.pdf").status_code == 404
    assert plan.title not in client.get("/plans/").content.decode()


@pytest.mark.django_db
def test_the_public_page_shows_sections_specifications_budgets_and_the_total(people, client):
    plan = _plan(people, S.PUBLISHED, specifications=0)
    specs = [
        SpecificationFactory(title="Lunch clubs", budget=120000),
        SpecificationFactory(title="Advice hubs", budget=95500),
    ]
    plan.specifications.set(specs)
    page = client.get(f"/plans/{plan.slug}/").content.decode()
    for heading in (
        "Purpose",
        "Levels of investment",
        "Expected outcomes",
        "Procurement arrangements",
        "Contractual arrangements",
        "Performance management arrangements",
    ):
        assert f">{heading}</h2>" in page
    assert "Lunch clubs" in page and "Advice hubs" in page
    assert "£120,000" in page and "£95,500" in page and "£215,500" in page
    assert "Older people are less lonely" in page  # an outcome
    assert "People supported" in page  # a success measure with targets by year
    assert "The PDF of this plan is being prepared" in page


@pytest.mark.django_db
def test_the_public_list_groups_plans_by_sector_and_period(people, client):
    arts = Sector.objects.get(short_name="Arts")
    _plan(people, S.PUBLISHED, title="VCFS Plan 2027 to 2030")
    _plan(people, S.PUBLISHED, title="Arts Plan 2027 to 2030", sector=arts)
    _plan(
        people,
        S.PUBLISHED,
        title="VCFS Plan 2024 to 2027",
        period_start=datetime.date(2024, 4, 1),
        period_end=datetime.date(2027, 3, 31),
    )
    groups = client.get("/plans/").context["groups"]
    assert [g.sector.short_name for g in groups] == ["VCFS", "Arts"]
    assert [
        (p.period_start.year, [e.plan.title for e in p.entries]) for p in groups[0].periods
    ] == [
        (2027, ["VCFS Plan 2027 to 2030"]),
        (2024, ["VCFS Plan 2024 to 2027"]),
    ]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "officer"])
def test_plan_lists_query_count_is_flat_from_2_to_10_plans(people, client, who):
    url = "/staff/plans/" if who else "/plans/"
    if who:
        client.force_login(people[who])
    for _ in range(2):
        _plan(people, S.PUBLISHED, specifications=2)
    two = _queries(client, url)
    for state in [S.PUBLISHED] * 6 + [S.SUPERSEDED, S.DRAFT]:
        _plan(people, state, specifications=2)
    assert CommissioningPlan.objects.public().count() == 9
    assert _queries(client, url) == two <= 15


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["public", "staff"])
def test_plan_page_query_count_is_flat_from_2_to_10_specifications(people, client, where):
    client.force_login(people["officer"])
    plan = _plan(people, S.SUPERSEDED, specifications=2)
    _plan(people, S.PUBLISHED, series=plan.series, version=2, specifications=0)
    url = f"/plans/{plan.slug}/" if where == "public" else f"/staff/plans/{plan.pk}/"
    client.get(url)  # caches warmed (content types), as on every later visit
    two = _queries(client, url)
    for spec in SpecificationFactory.create_batch(8):
        spec.lots.create(name="North", budget=1000)
        spec.service_criteria.create(name="Safeguarding", weight=10)
        plan.specifications.add(spec)
    assert _queries(client, url) == two <= 15  # issue 17


@pytest.mark.django_db
def test_a_draft_plans_page_says_what_each_specification_lacks_in_flat_queries(people, client):
    from commissioning.models import SpecificationMeasure

    client.force_login(people["officer"])
    plan = _plan(people, S.DRAFT, specifications=2)
    lacking = plan.specifications.order_by("commission__reference", "title", "pk").first()
    lacking.outcomes.all().delete()
    SpecificationMeasure.objects.filter(specification=lacking).first().targets.all().delete()
    url = f"/staff/plans/{plan.pk}/"
    client.get(url)  # caches warmed (content types), as on every later visit
    two = _queries(client, url)
    html = " ".join(client.get(url).content.decode().split())

    lacks = "at least one outcome, a target for every success measure"
    assert f"{lacking.title}: {lacks}" in html  # what submitting still needs
    assert f"Not complete: {lacks}." in html  # on the specification itself
    assert lacking.get_absolute_url() in html  # where it is completed
    for spec in SpecificationFactory.create_batch(8):
        plan.specifications.add(spec)
    assert _queries(client, url) == two <= 15  # issue 17


# --- Staff pages ------------------------------------------------------------------------------


def _form_data(**overrides):
    data = {
        "sector": Sector.objects.get(short_name="VCFS").pk,
        "title": "Voluntary, Community and Faith Sector Commissioning Plan 2027 to 2030",
        "period_start_0": "1",
        "period_start_1": "4",
        "period_start_2": "2027",
        "period_end_0": "31",
        "period_end_1": "3",
        "period_end_2": "2030",
        "purpose": "To make the most difference to people's lives.",
        "investment_levels": "£420,000 over three years.",
        "expected_outcomes": "People are less isolated.",
        "procurement_arrangements": "Open grant rounds on the portal.",
        "contractual_arrangements": "Grant agreements, paid quarterly.",
        "performance_management": "Quarterly monitoring returns.",
    }
    return {**data, **overrides}


@pytest.mark.django_db
def test_an_officer_drafts_a_plan_chooses_specifications_and_sends_it_for_approval(people, client):
    client.force_login(people["officer"])
    vcfs_spec = SpecificationFactory(title="Lunch clubs for older people", budget=60000)
    arts_spec = SpecificationFactory(
        title="Festival of light",
        commission=CommissionFactory(sector=Sector.objects.get(short_name="Arts")),
    )

    response = client.post("/staff/plans/new/", _form_data())
    plan = CommissioningPlan.objects.get()
    assert response["Location"] == f"/staff/plans/{plan.pk}/edit/"
    assert (plan.state, plan.version, plan.author) == (S.DRAFT, 1, people["officer"])
    assert plan.slug == "voluntary-community-and-faith-sector-commissioning-plan-2027-to-2030-v1"

    edit = client.get(f"/staff/plans/{plan.pk}/edit/").content.decode()
    assert "Lunch clubs for older people" in edit and "£60,000" in edit
    assert "Festival of light" not in edit  # another sector's specification

    wrong = client.post(f"/staff/plans/{plan.pk}/edit/", _form_data(specifications=[arts_spec.pk]))
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["specifications"]

    response = client.post(
        f"/staff/plans/{plan.pk}/edit/", _form_data(specifications=[vcfs_spec.pk])
    )
    assert response["Location"] == f"/staff/plans/{plan.pk}/"
    assert list(plan.specifications.all()) == [vcfs_spec]

    page = client.get(f"/staff/plans/{plan.pk}/")
    assert [a.name for a in page.context["actions"]] == ["submit"]
    assert f'href="/staff/plans/{plan.pk}/actions/submit/"' in page.content.decode()

    client.post(f"/staff/plans/{plan.pk}/actions/submit/", {"seen_state": "draft"})
    plan.refresh_from_db()
    assert plan.state == S.AWAITING_APPROVAL
    assert client.get(f"/staff/plans/{plan.pk}/").context["actions"] == []


@pytest.mark.django_db
def test_form_errors_are_worded_for_people(people, client):
    client.force_login(people["officer"])
    response = client.post(
        "/staff/plans/new/",
        _form_data(title="", purpose="", period_end_2="2026"),
    )
    errors = response.context["form"].errors
    assert errors["title"] == ["Enter a title"]
    assert errors["purpose"] == ["Enter the purpose of the plan"]
    assert errors["period_end"] == ["The end of the period must be after the start"]
    assert response.content.decode().count("<title>Error: ") == 1


@pytest.mark.django_db
def test_an_approver_returns_a_plan_with_reasons_then_approves_it(people, client):
    plan = _plan(people, S.AWAITING_APPROVAL)
    client.force_login(people["approver"])
    page = client.get(f"/staff/plans/{plan.pk}/")
    assert [a.name for a in page.context["actions"]] == ["approve", "return_to_draft"]

    url = f"/staff/plans/{plan.pk}/actions/return_to_draft/"
    missing = client.post(url, {"seen_state": S.AWAITING_APPROVAL, "reason": ""})
    assert missing.context["form"].errors["reason"] == ["Enter the reasons"]
    client.post(url, {"seen_state": S.AWAITING_APPROVAL, "reason": "Add the outcomes"})
    plan.refresh_from_db()
    assert plan.state == S.DRAFT
    timeline = client.get(f"/staff/plans/{plan.pk}/").content.decode()
    assert "Add the outcomes" in timeline

    plan_transition(plan=plan, name="submit", user=people["officer"])
    client.post(f"/staff/plans/{plan.pk}/actions/approve/", {"seen_state": "awaiting_approval"})
    plan.refresh_from_db()
    assert (plan.state, plan.approved_by) == (S.APPROVED, people["approver"])


@pytest.mark.django_db
def test_an_officer_publishes_and_starts_a_new_version_from_the_staff_pages(
    people, client, django_capture_on_commit_callbacks
):
    plan = _plan(people, S.APPROVED)
    client.force_login(people["officer"])
    confirm = client.get(f"/staff/plans/{plan.pk}/actions/publish/").content.decode()
    assert "A published plan never changes" in confirm
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/plans/{plan.pk}/actions/publish/", {"seen_state": "approved"})
    plan.refresh_from_db()
    assert plan.state == S.PUBLISHED and plan.pdf

    page = client.get(f"/staff/plans/{plan.pk}/")
    assert page.context["can_start_version"]
    assert "Start a new version" in page.content.decode()
    response = client.post(f"/staff/plans/{plan.pk}/new-version/")
    draft = CommissioningPlan.objects.get(previous_version=plan)
    assert response["Location"] == f"/staff/plans/{draft.pk}/"
    assert not client.get(f"/staff/plans/{plan.pk}/").context["can_start_version"]


@pytest.mark.django_db
def test_stale_or_impossible_actions_change_nothing(people, client):
    plan = _plan(people, S.DRAFT)
    client.force_login(people["officer"])
    # Someone else sent it for approval while this page was open.
    stale = client.post(
        f"/staff/plans/{plan.pk}/actions/submit/", {"seen_state": "approved"}, follow=True
    )
    assert "changed by someone else" in stale.content.decode()
    # Not possible from draft: back to the plan page with a message.
    response = client.get(f"/staff/plans/{plan.pk}/actions/publish/", follow=True)
    assert "cannot be done while the plan is “Draft”" in response.content.decode()
    # The portal's own transition and made-up names are not found.
    assert client.get(f"/staff/plans/{plan.pk}/actions/supersede/").status_code == 404
    assert client.get(f"/staff/plans/{plan.pk}/actions/nonsense/").status_code == 404
    plan.refresh_from_db()
    assert plan.state == S.DRAFT


@pytest.mark.django_db
def test_the_staff_page_says_what_the_draft_still_needs(people, client):
    plan = _plan(people, S.DRAFT, specifications=0, purpose="")
    plan.specifications.add(SpecificationFactory(title="Half-written", complete=False))
    client.force_login(people["officer"])
    checks = {c.label: c.met for c in client.get(f"/staff/plans/{plan.pk}/").context["checks"]}
    assert checks["Purpose"] is False
    assert checks["Expected outcomes"] is True
    assert checks["At least one service specification"] is True
    assert checks["Every specification is complete"] is False
