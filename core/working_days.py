"""Working days as the Procurement Act 2023 defines them (s.123(1)): "a day other than a
Saturday or Sunday, Christmas Day or Good Friday, or a bank holiday under the Banking and
Financial Dealings Act 1971 in any part of the United Kingdom". So a day that is a bank
holiday only in Scotland (2 January, the first Monday in August, St Andrew's Day) or only
in Northern Ireland (St Patrick's Day, 12 July) is not a working day either, although the
council is in England. Substitute days count as bank holidays (the 1971 Act's schedule
makes the next weekday a holiday when one falls at a weekend), so a Christmas Day on a
Saturday makes the Monday a holiday, and a Scottish 2 January on a Saturday the Monday 4th.

They count the standstill period of the Act (s.51): the council does not enter into a
contract until 8 working days, beginning with the day the contract award notice is
published on the Central Digital Platform, have passed. Grants are outside the Act and
have no standstill period. Nothing else in the portal counts working days today: payment
terms (30 days from the invoice) are calendar days and reminders go by calendar dates. Any
period the Act sets in working days must use these functions; if the council ever wants
its own working days (England's bank holidays only), it needs a separate function so the
Act's count stays as s.123 says.

The bank holidays come from the `holidays` library: the union of `holidays.UK` for its four
subdivisions ("ENG", "NIR", "SCT", "WLS"), observed (substitute) days included, so a year
the council has not typed in is still right.
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


#: The parts of the United Kingdom, as `holidays.UK` names its subdivisions: England,
#: Northern Ireland, Scotland and Wales (Procurement Act 2023, s.123(1): a bank holiday "in
#: any part of the United Kingdom").
UK_PARTS = ("ENG", "NIR", "SCT", "WLS")


@cache
def _bank_holidays(year: int) -> frozenset[dt.date]:
    """Every day that is a bank holiday in any part of the United Kingdom in `year`, with
    Christmas Day and Good Friday (which the library lists for every part), substitute days
    included."""
    days: set[dt.date] = set()
    for part in UK_PARTS:
        days |= set(holidays.UK(subdiv=part, years=year, observed=True))
    return frozenset(days)


def is_working_day(day: dt.date) -> bool:
    """A working day under the Procurement Act 2023, s.123(1): a weekday that is not
    Christmas Day, Good Friday or a bank holiday in any part of the United Kingdom."""
    return day.weekday() < SATURDAY and day not in _bank_holidays(day.year)


def working_days_add(*, start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start`.

    The start day itself does not count, whether or not it is a working day: day 1 is the
    first working day after `start`. So a decision made on Tuesday 22 December 2026, with
    Christmas Day, the Boxing Day substitute (Monday 28 December), New Year's Day and
    Scotland's 2 January holiday (a Saturday in 2027, so Monday 4 January) off, has its 8th
    working day on Thursday 7 January 2027. `days=0` gives `start` back.
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
    Monday. Working days are the Act's (s.123(1)): one published on Thursday 26 November
    2026 has its 8th on Tuesday 8 December, St Andrew's Day (Monday 30 November, a bank
    holiday in Scotland) not counting.
    """
    if days < 1:
        raise ValueError("days must be 1 or more")
    return working_days_add(start=first_day - dt.timedelta(days=1), days=days)


def standstill_last_day(*, award_notice_published_on: dt.date) -> dt.date:
    """The last day of the standstill period that the contract award notice published on
    `award_notice_published_on` starts (Procurement Act 2023, s.51, counted in working
    days as s.123(1) defines them): the contract may be entered into from the next day."""
    return working_days_period_end(
        first_day=award_notice_published_on, days=STANDSTILL_WORKING_DAYS
    )
