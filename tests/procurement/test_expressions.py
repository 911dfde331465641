"""Two-stage opportunities: a provider expresses interest before its deadline; the
expressions are sealed until then (to officers and administrators, in pages and the
admin); officers declare conflicts, shortlist with reasons and send the decisions with
feedback; only the shortlisted may bid, starting from what they wrote."""

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_fsm import TransitionNotAllowed

from core.models import Email
from core.roles import Role
from procurement.models import Bid, ExpressionOfInterest, ExpressionStage
from procurement.services import bids as bid_services
from procurement.services import expressions as services
from procurement.services.assessment import DeclarationInput
from tests.factories import OrganisationFactory, UserFactory
from tests.procurement.factories_bids import member
from tests.procurement.factories_expressions import ExpressionFactory, two_stage_opportunity

pytestmark = pytest.mark.django_db

SUMMARY = "Drop-in money advice at the Lanternfish community hub in Morecambe."


def text_of(response) -> str:
    html = response.content.decode()
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def staff(role: Role, **kwargs):
    return UserFactory(roles=[role], is_staff=True, **kwargs)


def after_eoi_deadline(clock, opportunity) -> None:
    clock.move_to(opportunity.expression_stage.closes_at + dt.timedelta(minutes=1))


def declare(stage, user, *, conflicted=()) -> None:
    services.shortlist_declarations_record(
        stage=stage,
        user=user,
        declarations=[
            DeclarationInput(
                organisation=organisation,
                has_conflict=organisation in conflicted,
                kind="personal" if organisation in conflicted else "",
                description="My sister chairs its board" if organisation in conflicted else "",
            )
            for organisation in services.selectors.shortlist_organisations(stage=stage)
        ],
    )


@pytest.fixture
def received():
    """Three expressions of interest received for an opportunity whose expressions close at
    5pm in a week (full bids in three weeks), and a draft never sent."""
    opportunity = two_stage_opportunity()
    expressions = [
        ExpressionFactory(
            opportunity=opportunity,
            organisation=OrganisationFactory(name=f"Riverside Trust {n}"),
            summary=f"{SUMMARY} Plan {n}.",
            state="submitted",
        )
        for n in range(3)
    ]
    ExpressionFactory(opportunity=opportunity, state="draft")
    return opportunity, expressions


# --- The provider's stage ---------------------------------------------------------------------


def test_provider_expresses_interest_before_the_deadline(client):
    opportunity = two_stage_opportunity()
    organisation = OrganisationFactory()
    client.force_login(member(organisation))
    page = text_of(client.get(opportunity.get_absolute_url()))
    assert "This opportunity has two stages." in page
    assert "Express interest" in page
    assert "Start a bid" not in page  # the full bid is for the shortlisted

    response = client.post(f"/opportunities/{opportunity.slug}/interest/", {})
    expression = ExpressionOfInterest.objects.get(organisation=organisation)
    assert response.url == f"/interest/{expression.pk}/edit/"
    response = client.post(
        response.url,
        {"summary": SUMMARY, "amount_estimate": "£40,000", "partners": "Quayside Credit Union"},
    )
    assert response.status_code == 302
    response = client.post(f"/interest/{expression.pk}/submit/", {"seen_state": "draft"})
    assert response.status_code == 302
    expression.refresh_from_db()
    assert expression.state == "submitted"
    assert expression.amount_estimate == Decimal("40000")
    page = text_of(client.get(f"/interest/{expression.pk}/"))
    assert "The council shortlists after the deadline, 5pm on 3 December 2026" in page


def test_a_bad_expression_is_shown_again_with_errors_beside_the_fields(client):
    expression = ExpressionFactory(summary="")
    client.force_login(member(expression.organisation))
    long_summary = " ".join(["word"] * 251)
    response = client.post(
        f"/interest/{expression.pk}/edit/",
        {"summary": long_summary, "amount_estimate": "lots", "partners": "Quayside"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html
    assert "govuk-error-summary" in html
    beside = (
        r'id="id_amount_estimate_1_error" class="govuk-error-message">.*?Estimate of the amount'
    )
    assert re.search(beside + r" you will ask for must be an amount of money", html, re.S)
    assert long_summary in html  # nothing typed is lost
    response = client.post(
        f"/interest/{expression.pk}/edit/",
        {"summary": long_summary, "amount_estimate": "40000", "partners": ""},
    )
    assert "The summary must be 250 words or fewer (it has 251)" in text_of(response)
    expression.refresh_from_db()
    assert expression.summary == ""


def test_expressions_close_at_their_deadline(client, clock):
    expression = ExpressionFactory()
    user = member(expression.organisation)
    client.force_login(user)
    clock.move_to(expression.stage.closes_at)
    client.post(f"/interest/{expression.pk}/submit/", {"seen_state": "draft"})
    expression.refresh_from_db()
    assert expression.state == "draft"
    with pytest.raises(TransitionNotAllowed):
        services.expression_transition(expression=expression, name="submit", user=user)
    response = client.get(f"/interest/{expression.pk}/edit/", follow=True)
    assert "The deadline for expressions of interest was 5pm on 3 December 2026" in text_of(
        response
    )
    latecomer = OrganisationFactory()
    with pytest.raises(ValidationError):
        services.expression_start(
            opportunity=expression.opportunity, organisation=latecomer, user=member(latecomer)
        )


def test_the_stage_deadline_must_come_before_the_full_bid_deadline(client, officer):
    opportunity = two_stage_opportunity(published_at=None)
    ExpressionStage.objects.filter(opportunity=opportunity).delete()
    client.force_login(officer)
    closes = opportunity.closes_at + dt.timedelta(days=1)
    response = client.post(
        f"/staff/opportunities/{opportunity.pk}/stages/",
        {
            "stages": "two",
            "eoi_closes_date_0": closes.day,
            "eoi_closes_date_1": closes.month,
            "eoi_closes_date_2": closes.year,
            "eoi_closes_time": "5pm",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(
        r'class="govuk-error-message">.*?must be before the full bid deadline', html, re.S
    )
    assert not ExpressionStage.objects.exists()
    ok = opportunity.closes_at - dt.timedelta(days=7)
    response = client.post(
        f"/staff/opportunities/{opportunity.pk}/stages/",
        {
            "stages": "two",
            "eoi_closes_date_0": ok.day,
            "eoi_closes_date_1": ok.month,
            "eoi_closes_date_2": ok.year,
            "eoi_closes_time": "5pm",
        },
    )
    assert response.status_code == 302
    assert ExpressionStage.objects.get().closes_at == ok


# --- Sealed until the expressions' deadline ---------------------------------------------------


@pytest.mark.parametrize("role", [Role.OFFICER, Role.APPROVER, Role.ADMINISTRATOR])
def test_staff_see_only_how_many_expressions_before_the_deadline(client, received, role):
    opportunity, expressions = received
    user = staff(role)
    client.force_login(user)
    response = client.get(f"/staff/opportunities/{opportunity.pk}/shortlist/")
    if role == Role.APPROVER:
        assert response.status_code == 403
    else:
        page = text_of(response)
        assert "Expressions of interest received: 3" in page
        assert "sealed until the deadline, 5pm on 3 December 2026" in page
        for expression in expressions:
            assert expression.organisation.name not in page
            assert expression.reference not in page
            assert SUMMARY not in page
    for expression in expressions:
        assert client.get(f"/interest/{expression.pk}/").status_code == 403
        assert client.get(f"/interest/{expression.pk}/shortlist/").status_code == 403


def test_the_admin_shows_nothing_of_an_expression_before_or_after_the_deadline(
    client, received, clock
):
    opportunity, expressions = received
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for _ in range(2):
        response = client.get(reverse("admin:procurement_expressionstage_changelist"))
        assert response.status_code == 200
        page = unescape(response.content.decode())
        assert opportunity.title in page
        assert '<td class="field-received">3</td>' in page
        for expression in expressions:
            assert expression.organisation.name not in page
            assert SUMMARY not in page
        # The expressions' own admin page holds none the superuser has not declared no
        # conflict with; no other admin filters through them.
        own = client.get("/admin/procurement/expressionofinterest/")
        assert own.status_code == 200
        for expression in expressions:
            assert expression.reference not in unescape(own.content.decode())
        change = reverse("admin:procurement_expressionofinterest_change", args=[expressions[0].pk])
        assert client.get(change).status_code == 404
        organisations = reverse("admin:providers_organisation_changelist")
        response = client.get(organisations, {"expressions_of_interest__isnull": "False"})
        assert response.status_code in (302, 400)
        stage = reverse("admin:procurement_expressionstage_change", args=[opportunity.pk])
        assert SUMMARY not in unescape(client.get(stage).content.decode())
        after_eoi_deadline(clock, opportunity)


@pytest.mark.parametrize("declared", [False, True])
def test_the_expressions_admin_holds_only_those_read_after_the_deadline_and_declaring(
    client, received, clock, declared
):
    """An administrator finds an expression of interest in the admin only as the portal
    lets them read it: after the deadline, once they have declared no conflict with the
    organisation; never before the deadline, whatever the URL asks."""
    opportunity, expressions = received
    administrator = staff(Role.ADMINISTRATOR)
    client.force_login(administrator)
    changelist = reverse("admin:procurement_expressionofinterest_changelist")
    first = reverse("admin:procurement_expressionofinterest_change", args=[expressions[0].pk])

    for query in ({}, {"q": "Riverside"}, {"summary__icontains": "Lanternfish"}):
        page = unescape(client.get(changelist, query).content.decode())
        for expression in expressions:
            assert expression.reference not in page
            assert expression.organisation.name not in page
        assert SUMMARY not in page
    assert client.get(first).status_code == 404

    after_eoi_deadline(clock, opportunity)
    if declared:
        declare(
            opportunity.expression_stage, administrator, conflicted=[expressions[2].organisation]
        )
    page = unescape(client.get(changelist).content.decode())
    response = client.get(first)

    if declared:
        assert expressions[0].reference in page and expressions[1].reference in page
        assert expressions[2].reference not in page  # a conflict declared: never read
        assert response.status_code == 200
        assert SUMMARY in unescape(response.content.decode())
    else:
        assert not any(expression.reference in page for expression in expressions)
        assert response.status_code == 404


def test_a_superuser_cannot_read_an_expression_before_the_deadline(client, received):
    _, expressions = received
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(f"/interest/{expressions[0].pk}/").status_code == 403


def test_a_provider_never_sees_another_organisations_expression(client, received, clock):
    _, expressions = received
    client.force_login(member(OrganisationFactory()))
    after_eoi_deadline(clock, expressions[0].opportunity)
    assert client.get(f"/interest/{expressions[0].pk}/").status_code == 404


# --- Shortlisting ---------------------------------------------------------------------------------


def test_officers_declare_before_they_read_and_a_conflict_keeps_them_out(
    client, received, officer, clock
):
    opportunity, expressions = received
    stage = opportunity.expression_stage
    client.force_login(officer)
    with pytest.raises(services.ShortlistError):
        declare(stage, officer)
    after_eoi_deadline(clock, opportunity)
    page = text_of(client.get(f"/staff/opportunities/{opportunity.pk}/shortlist/"))
    assert "Declare your interests" in page
    assert SUMMARY not in page
    assert client.get(f"/interest/{expressions[0].pk}/").status_code == 403

    response = client.get(f"/staff/opportunities/{opportunity.pk}/shortlist/declare/")
    for expression in expressions:
        assert expression.organisation.name in text_of(response)
    conflicted = expressions[0].organisation
    declare(stage, officer, conflicted=[conflicted])

    assert client.get(f"/interest/{expressions[0].pk}/").status_code == 403
    assert SUMMARY in text_of(client.get(f"/interest/{expressions[1].pk}/"))
    page = text_of(client.get(f"/staff/opportunities/{opportunity.pk}/shortlist/"))
    assert "You declared a conflict: another officer decides" in page
    with pytest.raises(PermissionDenied):
        services.expression_transition(
            expression=expressions[0], name="shortlist", user=officer, reason="Strong"
        )


def test_shortlisting_needs_reasons_and_sends_decisions_with_feedback(
    client, received, officer, clock
):
    opportunity, expressions = received
    stage = opportunity.expression_stage
    after_eoi_deadline(clock, opportunity)
    declare(stage, officer)
    client.force_login(officer)
    people = [member(expression.organisation) for expression in expressions]

    response = client.post(
        f"/interest/{expressions[0].pk}/shortlist/", {"seen_state": "submitted", "reason": " "}
    )
    assert response.status_code == 200
    assert "Enter the reasons for the decision" in text_of(response)
    client.post(
        f"/interest/{expressions[0].pk}/shortlist/",
        {"seen_state": "submitted", "reason": "Reaches the wards most in need"},
    )
    client.post(
        f"/interest/{expressions[1].pk}/decline/",
        {"seen_state": "submitted", "reason": "Duplicates a service already funded in Heysham"},
    )
    # Not every expression has a decision yet: nothing is sent.
    client.post(f"/staff/opportunities/{opportunity.pk}/shortlist/send/", {})
    assert not Email.objects.filter(to__in=[p.email for p in people]).exists()
    # The organisation does not learn its decision before the decisions are sent.
    client.force_login(people[1])
    page = text_of(client.get(f"/interest/{expressions[1].pk}/"))
    assert "Not shortlisted" not in page and "Heysham" not in page

    client.force_login(officer)
    client.post(
        f"/interest/{expressions[2].pk}/decline/",
        {"seen_state": "submitted", "reason": "Outside the district"},
    )
    response = client.post(f"/staff/opportunities/{opportunity.pk}/shortlist/send/", {})
    assert response.status_code == 302
    stage.refresh_from_db()
    assert stage.decisions_sent

    invited = Email.objects.get(to=people[0].email)
    assert invited.subject == f"You are shortlisted: send your full bid for {opportunity.title}"
    assert "Reaches the wards most in need" in invited.body
    feedback = Email.objects.get(to=people[1].email)
    assert "was not shortlisted" in feedback.subject
    assert "Duplicates a service already funded in Heysham" in feedback.body
    client.force_login(people[1])
    page = text_of(client.get(f"/interest/{expressions[1].pk}/"))
    assert "Feedback: why it was not shortlisted" in page
    assert "Heysham" in page
    # Sent once: the decisions cannot change now.
    with pytest.raises(TransitionNotAllowed):
        services.expression_transition(expression=expressions[0], name="reconsider", user=officer)


# --- The full bid ---------------------------------------------------------------------------------


@pytest.fixture
def decided(received, officer, clock):
    """The first organisation shortlisted, the second not, the third's expression decided
    too; the decisions sent."""
    opportunity, expressions = received
    after_eoi_deadline(clock, opportunity)
    declare(opportunity.expression_stage, officer)
    for expression, name in zip(expressions, ("shortlist", "decline", "decline"), strict=True):
        services.expression_transition(
            expression=expression, name=name, user=officer, reason="Our reasons"
        )
    services.shortlist_decisions_send(stage=opportunity.expression_stage, user=officer)
    return opportunity, expressions


def test_an_organisation_not_shortlisted_cannot_bid(client, decided):
    opportunity, expressions = decided
    organisation = expressions[1].organisation
    client.force_login(member(organisation))
    response = client.post(f"/opportunities/{opportunity.slug}/bid/", {}, follow=True)
    assert (
        f"{organisation.name} was not shortlisted for this opportunity: only shortlisted "
        "organisations are invited to bid" in text_of(response)
    )
    assert not Bid.objects.filter(organisation=organisation).exists()
    # Nor an organisation that never expressed interest.
    stranger = OrganisationFactory()
    with pytest.raises(ValidationError):
        bid_services.bid_start(
            opportunity=opportunity, organisation=stranger, user=member(stranger)
        )


def test_nobody_bids_before_the_decisions_are_sent(client, received, clock):
    opportunity, expressions = received
    organisation = expressions[0].organisation
    after_eoi_deadline(clock, opportunity)
    client.force_login(member(organisation))
    page = text_of(client.get(opportunity.get_absolute_url()))
    assert "Expressions of interest closed at 5pm on 3 December 2026. The council is" in page
    assert "Start a bid" not in page and "Start your full bid" not in page
    with pytest.raises(ValidationError, match="The council is shortlisting"):
        bid_services.bid_start(
            opportunity=opportunity, organisation=organisation, user=member(organisation)
        )


def test_the_shortlisted_bid_starts_from_what_they_wrote_and_is_sealed(client, decided, officer):
    opportunity, expressions = decided
    organisation = expressions[0].organisation
    client.force_login(member(organisation))
    page = text_of(client.get(f"/interest/{expressions[0].pk}/"))
    assert "You are shortlisted" in page
    assert "Start your full bid" in text_of(client.get(opportunity.get_absolute_url()))
    response = client.post(
        f"/opportunities/{opportunity.slug}/bid/", {"organisation": organisation.pk}
    )
    bid = Bid.objects.get(organisation=organisation)
    assert response.url == bid.get_absolute_url()
    assert bid.amount_requested == Decimal("42000")
    first = opportunity.questions.order_by("order").first()
    assert bid.answers.get(question=first).text.startswith(SUMMARY)
    assert any("Quayside Credit Union" in a.text for a in bid.answers.all())
    # The second stage is sealed until the full bid deadline, for officers too.
    client.force_login(officer)
    assert client.get(bid.get_absolute_url()).status_code == 403


# --- The machine ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "source", "allowed"),
    [
        ("submit", "draft", True),
        ("submit", "submitted", False),
        ("withdraw", "submitted", True),
        ("withdraw", "shortlisted", False),
        ("reopen", "submitted", True),
        ("shortlist", "submitted", False),  # before the deadline
        ("decline", "draft", False),
        ("reconsider", "submitted", False),
    ],
)
def test_the_provider_side_of_the_machine_before_the_deadline(name, source, allowed):
    expression = ExpressionFactory(state=source)
    user = member(expression.organisation)
    officer = staff(Role.OFFICER)
    actor = officer if name in ("shortlist", "decline", "reconsider") else user
    if allowed:
        services.expression_transition(expression=expression, name=name, user=actor)
        assert expression.state != source
    else:
        with pytest.raises((TransitionNotAllowed, PermissionDenied)):
            services.expression_transition(expression=expression, name=name, user=actor)
        expression.refresh_from_db()
        assert expression.state == source


def test_only_the_organisation_acts_on_its_expression(received):
    _, expressions = received
    with pytest.raises(PermissionDenied):
        services.expression_transition(
            expression=expressions[0],
            name="withdraw",
            user=member(OrganisationFactory()),
        )


def _queries(client, path: str) -> int:
    client.get(path)  # warm the session and the caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_the_shortlist_page_takes_the_same_queries_for_more_expressions(
    client, received, officer, clock
):
    opportunity, _ = received
    after_eoi_deadline(clock, opportunity)
    url = f"/staff/opportunities/{opportunity.pk}/shortlist/"
    declare(opportunity.expression_stage, officer)
    client.force_login(officer)
    few = _queries(client, url)
    for _ in range(10):
        ExpressionFactory(opportunity=opportunity, state="submitted")
    # An officer who has declared for all thirteen organisations.
    other = staff(Role.OFFICER)
    declare(opportunity.expression_stage, other)
    client.force_login(other)
    assert _queries(client, url) <= few
    assert text_of(client.get(url)).count("Riverside Trust") == 3
