"""A return is overdue from the day after its due date in Europe/London (not by the UTC
date), until it is sent; the lists say so."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from monitoring import selectors
from monitoring.models import ReturnState
from tests.monitoring.factories import agreement_in_delivery, return_put

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def test_overdue_is_judged_by_the_date_in_london(clock):
    made = agreement_in_delivery(months=12)
    returns = list(made.agreement.monitoring_returns.all())
    summer = next(r for r in returns if 4 <= r.due_on.month <= 9)
    after_midnight = dt.datetime.combine(summer.due_on + dt.timedelta(days=1), dt.time(0, 30))
    after_midnight = after_midnight.replace(tzinfo=LONDON)
    assert after_midnight.astimezone(dt.UTC).date() == summer.due_on  # still the due date in UTC

    clock.move_to(after_midnight - dt.timedelta(hours=1))  # 11:30pm on the due date
    assert not selectors.return_is_overdue(monitoring_return=summer)
    assert summer.pk not in {r.pk for r in selectors.returns_overdue()}

    clock.move_to(after_midnight)
    assert selectors.return_is_overdue(monitoring_return=summer)
    overdue = {
        r.pk: r.is_overdue_now for r in selectors.agreement_returns(agreement=made.agreement)
    }
    assert overdue[summer.pk] is True
    assert summer.pk in {r.pk for r in selectors.returns_overdue()}

    return_put(summer, ReturnState.SUBMITTED)
    assert not selectors.return_is_overdue(monitoring_return=summer)
    assert summer.pk not in {r.pk for r in selectors.returns_overdue()}
