"""A provider's own page (/organisations/) shows what they have to do: the returns their
organisations owe with the next action, their agreements (with how they are performing),
the feedback on their decided bids and their latest notifications; never another
organisation's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.notifications import notifications_create
from monitoring.models import ReturnState
from procurement.models import AgreementState
from tests.monitoring.factories import agreement_in_delivery, return_put
from tests.monitoring.factories_portfolio import agreement_under, funded_commission
from tests.procurement.factories_agreements import org_member

pytestmark = pytest.mark.django_db

HOME = "/organisations/"


@pytest.fixture
def made():
    """An agreement in delivery from 1 November 2025: its returns for Nov–Jan, Feb–Apr and
    May–Jul are overdue, Aug–Oct is due on 30 November 2026."""
    return agreement_in_delivery()


def returns_of(made):
    return list(made.agreement.monitoring_returns.order_by("period_start"))


def test_each_return_to_do_has_its_next_action(made, client):
    first, second, third, fourth = returns_of(made)
    return_put(first, ReturnState.ACCEPTED)
    return_put(second, ReturnState.CHANGES_REQUESTED)
    return_put(third, ReturnState.DRAFT)
    member = org_member(made.organisation)
    client.force_login(member)

    html = client.get(HOME).content.decode()

    assert f'href="/returns/{second.pk}/">See the changes asked for' in html
    assert f'href="/returns/{third.pk}/edit/">Continue the return' in html
    assert f'href="/returns/{fourth.pk}/edit/">Start the return' in html
    assert f"/returns/{first.pk}/" not in html  # accepted: nothing to do
    assert "Due 30 November 2026" in html
    assert html.count(">Overdue<") == 2  # Feb–Apr and May–Jul; Aug–Oct is not due yet


def test_returns_for_periods_still_to_come_are_not_listed(client):
    made = agreement_in_delivery(months=24)  # quarters from November 2025 to October 2027
    client.force_login(org_member(made.organisation))

    html = client.get(HOME).content.decode()

    returns = returns_of(made)
    # Nov–Jan to Aug–Oct 2026 ended; Nov 2026–Jan 2027 is under way (the fixed clock is
    # 26 November 2026) and can be started; the later ones are still to come.
    for started in returns[:5]:
        assert f"/returns/{started.pk}/edit/" in html
    for to_come in returns[5:]:
        assert f"/returns/{to_come.pk}/" not in html
    assert "See all 5 returns to do" not in html  # five are shown: all of them


def test_agreements_link_to_their_performance_and_drafts_are_not_shown(made, client):
    funded = funded_commission()
    draft = agreement_under(funded, amount="5000", state=AgreementState.DRAFT)
    issued = agreement_under(funded, amount="6000", state=AgreementState.ISSUED)
    member = org_member(made.organisation)
    draft.decision.bid.organisation.memberships.create(user=member, role="member")
    issued.decision.bid.organisation.memberships.create(user=member, role="member")
    client.force_login(member)

    html = client.get(HOME).content.decode()

    assert f'href="/agreements/{made.agreement.pk}/performance/"' in html
    assert issued.reference in html and "Waiting for your organisation to accept it" in html
    assert draft.reference not in html


def test_feedback_on_decided_bids_and_the_latest_notifications(made, client):
    member = org_member(made.organisation)
    notifications_create(people=[member], title="Your return for Aug–Oct 2026 is due", url="/")
    client.force_login(member)

    html = client.get(HOME).content.decode()

    bid = made.agreement.decision.bid
    assert f'href="/bids/{bid.pk}/feedback/">Read the feedback on {bid.reference}' in html
    assert "Your return for Aug–Oct 2026 is due" in html
    assert "Notifications (1 new)" in html


def test_another_organisations_work_is_not_shown(made, client):
    other = agreement_in_delivery()
    client.force_login(org_member(other.organisation))

    html = client.get(HOME).content.decode()

    assert made.agreement.reference not in html
    assert made.agreement.decision.bid.reference not in html
    assert other.agreement.reference in html


def test_someone_with_nothing_yet_sees_no_empty_sections(client, provider_user):
    client.force_login(provider_user)

    html = client.get(HOME).content.decode()

    assert "Monitoring returns to do" not in html
    assert "Your agreements" not in html.split('id="main-content"')[1]
    assert "You have no notifications." in html


def test_queries_stay_flat_however_many_agreements(client):
    made = agreement_in_delivery()
    member = org_member(made.organisation)
    client.force_login(member)
    client.get(HOME)
    with CaptureQueriesContext(connection) as one:
        client.get(HOME)

    funded = funded_commission()
    for number in range(8):
        agreement = agreement_under(funded, amount=str(1000 + number))
        agreement.decision.bid.organisation.memberships.create(user=member, role="member")
    with CaptureQueriesContext(connection) as nine:
        client.get(HOME)

    assert len(one) == len(nine)
    # The returns owed are found once for the panel and the to-dos, each list brings its own
    # total, the agreements and the bids for the panels and the to-dos come in one query
    # each, and the current organisation comes from the person's memberships.
    assert len(one) <= 15
