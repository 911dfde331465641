"""Working days: Monday to Friday, except bank holidays in England (substitute days
included, so a Christmas Day on a Saturday makes the Monday a holiday).

They count the standstill period of the Procurement Act 2023 (s.51): the council does not
enter into a contract until 8 working days, beginning with the day the contract award
notice is published on the Central Digital Platform, have passed. Grants are outside the
Act and have no standstill period.

The bank holidays come from the `holidays` library (`holidays.UK(subdiv="ENG")`), so a
year the council has not typed in is still right.
"""

import datetime as dt
from functools import cache

import holidays

# The mandatory standstill period (Procurement Act 2023, s.51(3)): 8 working days beginning
# with the day the contract award notice is published, which the council publishes only
# once every bidder has its assessment summary (s.50). The council does not enter into the
# contract until it has ended, so that a bidder may raise concerns or challenge the award.
# The council keeps it for all its contracts.
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


def working_days_period_end(*, first_day: dt.date, days: int) -> dt.date:
    """The last day of a period of `days` working days beginning with `first_day`.

    Unlike `working_days_add`, the first day counts when it is a working day, as in the
    Procurement Act 2023's "beginning with the day on which the notice is published"
    (s.51): a notice published on Monday 2 November 2026 starts a standstill period whose
    8th working day is Wednesday 11 November; one published on a Saturday counts from the
    Monday.
    """
    if days < 1:
        raise ValueError("days must be 1 or more")
    return working_days_add(start=first_day - dt.timedelta(days=1), days=days)


def standstill_last_day(*, award_notice_published_on: dt.date) -> dt.date:
    """The last day of the standstill period that the contract award notice published on
    `award_notice_published_on` starts (Procurement Act 2023, s.51): the contract may be
    entered into from the next day."""
    return working_days_period_end(
        first_day=award_notice_published_on, days=STANDSTILL_WORKING_DAYS
    )
