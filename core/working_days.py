"""Working days: Monday to Friday, except bank holidays in England (substitute days
included, so a Christmas Day on a Saturday makes the Monday a holiday).

The bank holidays come from the `holidays` library (`holidays.UK(subdiv="ENG")`), so a
year the council has not typed in is still right.
"""

import datetime as dt
from functools import cache

import holidays

# The standstill period after a contract award decision: the council does not enter into
# the contract until it has ended, so that an unsuccessful bidder may challenge the
# decision (as the Public Contracts Regulations 2015 require for contracts above the
# threshold, and as the council does for all its contracts).
STANDSTILL_WORKING_DAYS = 8

SATURDAY = 5


@cache
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.UK(subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    """A weekday that is not a bank holiday in England."""
    return day.weekday() < SATURDAY and day not in _bank_holidays(day.year)


def working_days_add(*, start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start`.

    The start day itself does not count, whether or not it is a working day: day 1 is the
    first working day after `start`. So a decision made on Tuesday 22 December 2026, with
    Christmas Day, the Boxing Day substitute (Monday 28 December) and New Year's Day off,
    has its 8th working day on Wednesday 6 January 2027. `days=0` gives `start` back.
    """
    if days < 0:
        raise ValueError("days must be 0 or more")
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day
