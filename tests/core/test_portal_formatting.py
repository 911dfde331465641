"""Dates as GOV.UK writes them (core/templatetags/portal.py)."""

import datetime as dt
from zoneinfo import ZoneInfo

from core.templatetags.portal import govuk_date


def test_every_month_is_written_out_in_full():
    written = [govuk_date(dt.date(2027, month, 1)) for month in range(1, 13)]

    assert written == [
        "1 January 2027",
        "1 February 2027",
        "1 March 2027",
        "1 April 2027",
        "1 May 2027",
        "1 June 2027",
        "1 July 2027",
        "1 August 2027",
        "1 September 2027",
        "1 October 2027",
        "1 November 2027",
        "1 December 2027",
    ]


def test_a_moment_is_dated_as_it_is_in_the_uk():
    # 11:30pm on 30 June in UTC is already 1 July in British Summer Time.
    moment = dt.datetime(2027, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))

    assert govuk_date(moment) == "1 July 2027"
    assert govuk_date(None) == ""
