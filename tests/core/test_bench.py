"""`make bench`'s pieces that need no server: wrk's report read, the table and the targets
(core.bench), and seed_bench's refusal to touch a database that is not a bench database."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from core.bench.report import (
    NOTES_MARKER,
    BenchReport,
    PageResult,
    load_table,
    markdown,
    peak_growth,
    with_notes,
)
from core.bench.wrk import LoadResult, parse_wrk, wrk_command
from demo.bench import add_months

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8123/healthz
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.10ms    1.20ms  30.00ms   90.00%
  1950 requests in 10.00s, 600.00KB read
Requests/sec:    195.00
Transfer/sec:     60.00KB
BENCH-RESULT {"requests": 1950, "duration_us": 10000000, "bytes": 614400, "not_2xx": 3, \
"socket_errors": 1, "p50_us": 4000, "p95_us": 7500, "p99_us": 12000, "max_us": 30000}
"""


def _load(p50, p95, errors=0, requests=100):
    return LoadResult(
        requests=requests, seconds=10, bytes=requests * 2048, errors=errors,
        p50_ms=p50, p95_ms=p95, p99_ms=p95 * 1.5, max_ms=p95 * 2,
    )  # fmt: skip


def test_wrk_report_is_read_from_the_scripts_line():
    result = parse_wrk(WRK_OUTPUT)

    assert result.requests == 1950
    assert result.requests_per_second == 195
    assert (result.p50_ms, result.p95_ms, result.p99_ms) == (4.0, 7.5, 12.0)
    # Redirects and server errors (not 2xx) and socket errors all count as errors.
    assert result.errors == 4
    assert result.bytes_per_request == 315


def test_wrk_output_without_the_result_line_is_an_error_not_zeros():
    with pytest.raises(ValueError, match="No result"):
        parse_wrk("unable to connect to 127.0.0.1:8123 Connection refused\n")


def test_wrk_command_sends_the_session_cookie_at_concurrency_8():
    command = wrk_command(
        url="http://127.0.0.1:9/bids/", script="/tmp/b.lua", seconds=10, cookie="sessionid=abc"
    )

    assert command[0] == "wrk"
    assert "--connections=8" in command and "--duration=10s" in command
    assert command[-3:] == ["--header", "Cookie: sessionid=abc", "http://127.0.0.1:9/bids/"]


def test_table_gives_ratios_to_the_floor_and_marks_missed_targets():
    floor = _load(5, 8)
    pages = [
        PageResult(
            "home", "/", "public", _load(10, 30), queries=4, body_bytes=40_960, made_ms=23.4
        ),
        PageResult("moderation", "/m/", "officer", _load(700, 900, errors=2), queries=16),
    ]

    table = load_table(floor, pages)
    home, moderation = table.splitlines()[3:5]

    assert "| 2.0× | 6.0× |" in home and "✗" not in home
    assert home.endswith("| 40 KB | 23 |")
    assert moderation.endswith("| – |")
    assert "140.0× ✗" in moderation and "180.0× ✗" in moderation
    assert "| 2 ✗ | 16 ✗ |" in moderation


def test_report_lists_every_missed_target_and_only_those():
    report = BenchReport(
        floor=_load(5, 8),
        pages=[
            PageResult("home", "/", "public", _load(19, 49), queries=15),
            PageResult("bids", "/bids/", "provider", _load(21, 51), queries=16),
        ],
        plan_pdf_seconds=9.5,
        plan_pdf_specifications=60,
        worker_peak_mb=[150.0, 210.0],
    )

    misses = report.misses()

    assert misses[0] == "bids: p50 4.2× floor, p95 10.2× floor, 16 queries"
    assert "plan PDF: 9.5 s (target ≤ 5 s)" in misses
    assert any("210 MB" in line for line in misses)
    assert not any(line.startswith("home") for line in misses)


def test_markdown_says_whether_the_machine_was_busy_and_how_to_rerun():
    report = BenchReport(
        floor=_load(5, 8),
        pages=[PageResult("home", "/", "public", _load(10, 20), queries=3)],
        machine={"CPUs": "2", "PostgreSQL": "15.8", "load average at the start": "3.10 2.0 1.0"},
        data={"bids": 20000},
        sweep_seconds=(12.0, 3.0),
        sweep_sent=(900, 0),
        returns=61200,
    )

    text = markdown(report)

    assert "**The machine was busy**" in text
    assert "- PostgreSQL: 15.8" in text
    assert "20,000 bids" in text
    assert "first run 12.0 s (900 reminders), second run 3.0 s (0 reminders" in text
    assert "make bench" in text
    assert "## Targets missed in this run\n\n- None." in text


def test_markdown_says_a_quiet_machine_was_quiet():
    report = BenchReport(
        floor=_load(5, 8),
        pages=[],
        machine={"CPUs": "2", "load average at the start": "0.85 2.26 5.71"},
    )

    text = markdown(report)

    assert "The machine was quiet when the run started (load average 0.85 on 2 CPUs)" in text
    assert "busy" not in text


def test_a_rerun_keeps_the_hand_written_notes_and_replaces_the_numbers():
    report = BenchReport(floor=_load(5, 8), pages=[])
    before = markdown(report) + "## Notes\n\nThe plan PDF spends its time in fonts.\n"

    after = with_notes(markdown(BenchReport(floor=_load(6, 9), pages=[])), before)

    assert after.count(NOTES_MARKER) == 1
    assert after.endswith("## Notes\n\nThe plan PDF spends its time in fonts.\n")
    assert "| floor: `/healthz` | public | 6.0 |" in after


def test_the_pages_that_grow_a_workers_memory_are_named_most_first():
    pages = [
        PageResult(label, "/", "public", _load(5, 8), workers_peak_mb=mb)
        for label, mb in [("home", 120), ("plan", 190), ("bids", 192), ("moderation", 260)]
    ]

    assert [label for label, _ in peak_growth(pages)] == ["plan", "moderation"]
    assert dict(peak_growth(pages)) == {"plan": 70, "moderation": 68}


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(dt.date(2027, 1, 31), 1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 11, 15), 3) == dt.date(2028, 2, 15)


def test_seed_bench_refuses_a_database_not_named_bench():
    with pytest.raises(CommandError, match="does not end in _bench"):
        call_command("seed_bench")


@pytest.mark.django_db
def test_the_plan_pdf_is_timed_as_the_task_makes_it_in_queries_flat_with_specifications():
    """The bench times the largest plan's PDF read as `plan_pdf_store` reads it (its
    specifications prefetched), not with a query per specification's measures and lots."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from core.bench.run import plan_pdf_seconds
    from tests.factories import PlanFactory, SpecificationFactory

    def timed(specifications: int) -> tuple[int, int]:
        plan = PlanFactory(
            state="published",
            specifications=[SpecificationFactory() for _ in range(specifications)],
            published_at=timezone.now(),
        )
        with CaptureQueriesContext(connection) as queries:
            _seconds, measured = plan_pdf_seconds()
        plan.delete()
        return measured, len(queries)

    two, queries_for_two = timed(2)
    six, queries_for_six = timed(6)
    assert (two, six) == (2, 6)
    assert queries_for_two == queries_for_six


@pytest.mark.django_db
def test_one_request_counts_the_queries_that_make_the_page(settings):
    """Counted with the public page cache off (so a public page is made, not fetched), and
    read before the requests that time it empty the connection's log."""
    from core.bench.run import one_request
    from tests.factories import PlanFactory

    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    PlanFactory(state="published")

    status, queries, body, made_ms = one_request("/plans/", None)

    assert status == 200
    assert queries >= 1
    assert body > 1000
    assert made_ms > 0
