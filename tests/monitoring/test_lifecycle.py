"""The return's lifecycle, every transition from every state by every kind of person:
due → draft → submitted → accepted, and submitted → changes requested → submitted. Only the
provider's members start and submit; only officers accept or ask for changes."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog

from core.roles import Role
from monitoring.models import ReturnActual, ReturnState
from monitoring.services import ReturnChanged, return_transition
from tests.factories import UserFactory
from tests.monitoring.factories import agreement_in_delivery, return_filled, return_put
from tests.procurement.factories_agreements import org_admin, org_member

pytestmark = pytest.mark.django_db

TRANSITIONS = {
    # name: (sources, target, who may)
    "start": ([ReturnState.DUE], ReturnState.DRAFT, "member"),
    "submit": (
        [ReturnState.DRAFT, ReturnState.CHANGES_REQUESTED],
        ReturnState.SUBMITTED,
        "member",
    ),
    "accept": ([ReturnState.SUBMITTED], ReturnState.ACCEPTED, "officer"),
    "request_changes": ([ReturnState.SUBMITTED], ReturnState.CHANGES_REQUESTED, "officer"),
}
PEOPLE = ("member", "org_admin", "other_provider", "officer", "approver", "admin", "panel")
COMMENTS = {"narrative": "Tell us how many of them came back each week."}


@pytest.fixture
def made():
    return agreement_in_delivery(months=12)


def person(kind: str, made):
    if kind == "member":
        return org_member(made.organisation)
    if kind == "org_admin":
        return org_admin(made.organisation)
    if kind == "other_provider":
        return UserFactory(roles=[Role.PROVIDER])
    role = {
        "officer": Role.OFFICER,
        "approver": Role.APPROVER,
        "admin": Role.ADMINISTRATOR,
        "panel": Role.PANEL_MEMBER,
    }[kind]
    return UserFactory(roles=[role])


def may(kind: str, who: str) -> bool:
    if who == "member":
        return kind in ("member", "org_admin")
    return kind == "officer"


CASES = [
    pytest.param(name, state, kind, id=f"{name}-from-{state}-by-{kind}")
    for name in TRANSITIONS
    for state in ReturnState.values
    for kind in PEOPLE
]


@pytest.mark.parametrize(("name", "state", "kind"), CASES)
def test_every_transition_from_every_state_by_everyone(made, name, state, kind):
    monitoring_return = made.agreement.monitoring_returns.first()
    return_filled(monitoring_return)
    return_put(monitoring_return, state)
    user = person(kind, made)
    sources, target, who = TRANSITIONS[name]
    comments = COMMENTS if name == "request_changes" else None

    def act():
        return return_transition(
            monitoring_return=monitoring_return, name=name, user=user, comments=comments
        )

    if state not in sources:
        with pytest.raises(TransitionNotAllowed):
            act()
    elif not may(kind, who):
        with pytest.raises(PermissionDenied):
            act()
    else:
        act()
        monitoring_return.refresh_from_db()
        assert monitoring_return.state == target
        log = StateLog.objects.for_(monitoring_return).latest("timestamp")
        assert (log.transition, log.by) == (name, user)
        return
    monitoring_return.refresh_from_db()
    assert monitoring_return.state == state


def test_the_provider_cannot_act_before_the_agreement_is_accepted(made):
    agreement = made.agreement
    agreement.__dict__["state"] = "issued"
    agreement.save()
    monitoring_return = agreement.monitoring_returns.first()
    with pytest.raises(PermissionDenied):
        return_transition(
            monitoring_return=monitoring_return,
            name="start",
            user=org_admin(agreement.organisation),
        )


def test_asking_for_changes_needs_a_comment_on_at_least_one_part(made):
    monitoring_return = return_put(
        return_filled(made.agreement.monitoring_returns.first()), ReturnState.SUBMITTED
    )
    officer = UserFactory(roles=[Role.OFFICER])
    for comments in ({}, {"narrative": "   "}, {"nonsense": "Hello"}):
        with pytest.raises(ValidationError):
            return_transition(
                monitoring_return=monitoring_return,
                name="request_changes",
                user=officer,
                comments=comments,
            )
    monitoring_return.refresh_from_db()
    assert monitoring_return.state == ReturnState.SUBMITTED


def test_every_submitted_version_is_kept_with_the_comments_on_it(made):
    member = org_member(made.organisation)
    officer = UserFactory(roles=[Role.OFFICER])
    monitoring_return = return_filled(made.agreement.monitoring_returns.first())
    return_transition(monitoring_return=monitoring_return, name="submit", user=member)
    return_transition(
        monitoring_return=monitoring_return,
        name="request_changes",
        user=officer,
        comments={"narrative": "How many came back?", "spend": "What was the £2,000 for?"},
    )
    ReturnActual.objects.filter(monitoring_return=monitoring_return).update(value=Decimal("22"))
    monitoring_return.outcomes_narrative = "Twenty-two joined; eighteen came back every week."
    monitoring_return.save()
    return_transition(monitoring_return=monitoring_return, name="submit", user=member)
    return_transition(monitoring_return=monitoring_return, name="accept", user=officer)

    monitoring_return.refresh_from_db()
    assert monitoring_return.state == ReturnState.ACCEPTED
    assert (monitoring_return.accepted_by, monitoring_return.submitted_by) == (officer, member)
    first, second = monitoring_return.submissions.all()
    assert (first.number, second.number) == (1, 2)
    assert first.content["actuals"][0]["actual"] == "20.00"
    assert second.content["actuals"][0]["actual"] == "22.00"
    assert first.content["outcomes_narrative"] == "Twenty older people joined the lunch club."
    accepted, sent_back = monitoring_return.reviews.all()
    assert (accepted.outcome, accepted.submission) == ("accepted", second)
    assert (sent_back.outcome, sent_back.submission) == ("changes_requested", first)
    assert [(c.section, c.text) for c in sent_back.comments.all()] == [
        ("narrative", "How many came back?"),
        ("spend", "What was the £2,000 for?"),
    ]


def test_a_page_showing_an_old_state_changes_nothing(made):
    monitoring_return = return_put(
        return_filled(made.agreement.monitoring_returns.first()), ReturnState.SUBMITTED
    )
    officer = UserFactory(roles=[Role.OFFICER])
    return_transition(monitoring_return=monitoring_return, name="accept", user=officer)
    with pytest.raises(ReturnChanged):
        return_transition(
            monitoring_return=monitoring_return,
            name="request_changes",
            user=officer,
            seen_state=ReturnState.SUBMITTED,
            comments=COMMENTS,
        )
