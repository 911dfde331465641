"""Working days for the standstill period, as the Procurement Act 2023 defines them
(s.123(1)): weekends, Christmas Day, Good Friday and the bank holidays of every part of the
United Kingdom skipped (Scotland's and Northern Ireland's too), substitute days included;
the day of the decision not counted."""

import datetime as dt

import pytest

from core.working_days import (
    STANDSTILL_WORKING_DAYS,
    is_working_day,
    standstill_last_day,
    working_days_add,
    working_days_period_end,
)


def test_the_standstill_period_is_eight_working_days():
    assert STANDSTILL_WORKING_DAYS == 8


def test_a_plain_fortnight_skips_the_weekend():
    # Monday 2 November 2026: Tuesday to Friday are days 1–4, Monday 9 to Thursday 12 are
    # days 5–8.
    assert working_days_add(start=dt.date(2026, 11, 2), days=8) == dt.date(2026, 11, 12)


def test_the_start_day_does_not_count():
    monday = dt.date(2026, 11, 2)
    assert working_days_add(start=monday, days=1) == dt.date(2026, 11, 3)
    assert working_days_add(start=monday, days=0) == monday


def test_a_friday_start_counts_from_monday():
    assert working_days_add(start=dt.date(2026, 11, 6), days=1) == dt.date(2026, 11, 9)


def test_a_decision_at_the_weekend_counts_from_monday():
    saturday = dt.date(2026, 11, 7)
    assert working_days_add(start=saturday, days=1) == dt.date(2026, 11, 9)
    assert working_days_add(start=saturday, days=8) == dt.date(2026, 11, 18)


def test_christmas_and_new_year_2026_are_skipped():
    # Tuesday 22 December 2026: Wed 23 (1), Thu 24 (2), [Fri 25 Christmas, weekend,
    # Mon 28 Boxing Day substitute], Tue 29 (3), Wed 30 (4), Thu 31 (5), [Fri 1 January,
    # Scotland's 2 January on the Saturday, Mon 4 its substitute], Tue 5 (6), Wed 6 (7),
    # Thu 7 January 2027 (8).
    assert working_days_add(start=dt.date(2026, 12, 22), days=8) == dt.date(2027, 1, 7)


def test_easter_2027_is_skipped():
    # Wednesday 24 March 2027: Thu 25 (1), [Good Friday 26, weekend, Easter Monday 29],
    # Tue 30 (2), Wed 31 (3), Thu 1 (4), Fri 2 (5), Mon 5 (6), Tue 6 (7), Wed 7 April (8).
    assert working_days_add(start=dt.date(2027, 3, 24), days=8) == dt.date(2027, 4, 7)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (dt.date(2026, 12, 24), True),
        (dt.date(2026, 12, 25), False),  # Christmas Day
        (dt.date(2026, 12, 28), False),  # Boxing Day (substitute day)
        (dt.date(2027, 12, 27), False),  # Christmas Day on a Saturday: substitute Monday
        (dt.date(2027, 12, 28), False),  # Boxing Day on a Sunday: substitute Tuesday
        (dt.date(2027, 3, 26), False),  # Good Friday
        (dt.date(2027, 3, 29), False),  # Easter Monday
        (dt.date(2026, 8, 31), False),  # Summer bank holiday (England, Wales, NI)
        # s.123(1): a bank holiday in any part of the United Kingdom is not a working day
        (dt.date(2026, 8, 3), False),  # Scotland's summer bank holiday
        (dt.date(2026, 11, 30), False),  # St Andrew's Day (Scotland), a Monday
        (dt.date(2027, 11, 30), False),  # St Andrew's Day on a Tuesday
        (dt.date(2026, 1, 2), False),  # Scotland's 2 January, a Friday
        (dt.date(2027, 1, 4), False),  # Scotland's 2 January on a Saturday: the Monday
        (dt.date(2027, 3, 17), False),  # St Patrick's Day (Northern Ireland)
        (dt.date(2026, 7, 13), False),  # 12 July on a Sunday: the Monday (Northern Ireland)
        (dt.date(2027, 7, 12), False),  # Battle of the Boyne (Northern Ireland), a Monday
        (dt.date(2026, 7, 14), True),
        (dt.date(2026, 12, 1), True),
        (dt.date(2026, 11, 7), False),  # a Saturday
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


def test_a_negative_number_of_days_is_refused():
    with pytest.raises(ValueError):
        working_days_add(start=dt.date(2026, 11, 2), days=-1)


def test_a_period_beginning_with_a_working_day_counts_that_day():
    """Procurement Act 2023, s.51: 8 working days beginning with the day the contract award
    notice is published. Monday 2 November 2026 is day 1; Wednesday 11 November is day 8."""
    assert standstill_last_day(award_notice_published_on=dt.date(2026, 11, 2)) == dt.date(
        2026, 11, 11
    )


def test_a_period_beginning_at_the_weekend_counts_from_monday():
    assert working_days_period_end(first_day=dt.date(2026, 11, 7), days=8) == dt.date(2026, 11, 18)


def test_a_period_beginning_on_christmas_eve_skips_the_holidays():
    # Thu 24 (1), [Christmas, weekend, Boxing Day substitute], 29 (2), 30 (3), 31 (4),
    # [New Year's Day, weekend, Mon 4 Scotland's 2 January substitute], Tue 5 (5),
    # Wed 6 (6), Thu 7 (7), Fri 8 January 2027 (8).
    assert standstill_last_day(award_notice_published_on=dt.date(2026, 12, 24)) == dt.date(
        2027, 1, 8
    )


def test_a_standstill_over_st_andrews_day_ends_a_day_later():
    """Procurement Act 2023, s.123(1): St Andrew's Day, a bank holiday in Scotland only, is
    not a working day. A notice published on Thursday 26 November 2026: Thu 26 (1), Fri 27
    (2), [weekend, Mon 30 St Andrew's Day], Tue 1 (3) … Mon 7 (7), Tue 8 December (8)."""
    assert standstill_last_day(award_notice_published_on=dt.date(2026, 11, 26)) == dt.date(
        2026, 12, 8
    )


def test_a_standstill_over_st_patricks_day_ends_a_day_later():
    """St Patrick's Day, a bank holiday in Northern Ireland only (Wednesday 17 March 2027):
    Fri 12 (1), Mon 15 (2), Tue 16 (3), [Wed 17], Thu 18 (4), Fri 19 (5), Mon 22 (6),
    Tue 23 (7), Wed 24 March (8)."""
    assert standstill_last_day(award_notice_published_on=dt.date(2027, 3, 12)) == dt.date(
        2027, 3, 24
    )


def test_every_part_of_the_united_kingdom_is_counted():
    from core.working_days import UK_PARTS

    assert set(UK_PARTS) == {"ENG", "NIR", "SCT", "WLS"}
