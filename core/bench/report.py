"""The bench's results as a table, checked against issue 17's targets, and docs/benchmarks.md."""

from dataclasses import dataclass, field

from core.bench.wrk import LoadResult

#: Issue 17's targets.
P50_TIMES_FLOOR = 4
P95_TIMES_FLOOR = 10
MAX_QUERIES = 15
MAX_PLAN_PDF_SECONDS = 5.0
MAX_WORKER_MB = 200


#: What follows this line in docs/benchmarks.md is written by hand and kept by a rerun.
NOTES_MARKER = "<!-- Notes below this line are written by hand; make bench keeps them. -->"


def with_notes(generated: str, previous: str) -> str:
    """The generated page followed by the hand-written notes of the page it replaces."""
    if NOTES_MARKER not in previous:
        return generated
    return generated + previous.split(NOTES_MARKER, 1)[1].lstrip("\n")


@dataclass
class PageResult:
    """One key page under load, with what one request alone costs."""

    label: str
    path: str
    who: str
    load: LoadResult
    queries: int | None = None
    body_bytes: int | None = None
    status: int | None = None
    #: One request alone, in-process, made with the public page cache off (milliseconds).
    made_ms: float | None = None
    #: The highest peak memory of any gunicorn worker once this page was first served.
    workers_peak_mb: float | None = None

    def misses(self, floor_p50_ms: float) -> list[str]:
        """The targets this page misses, in words."""
        missed = []
        if not self.load.requests:
            return ["no response within the run"]
        if self.load.p50_ms > P50_TIMES_FLOOR * floor_p50_ms:
            missed.append(f"p50 {ratio(self.load.p50_ms, floor_p50_ms)} floor")
        if self.load.p95_ms > P95_TIMES_FLOOR * floor_p50_ms:
            missed.append(f"p95 {ratio(self.load.p95_ms, floor_p50_ms)} floor")
        if self.queries is not None and self.queries > MAX_QUERIES:
            missed.append(f"{self.queries} queries")
        if self.load.errors:
            missed.append(f"{self.load.errors} errors")
        return missed


@dataclass
class BenchReport:
    floor: LoadResult
    pages: list[PageResult]
    plan_pdf_seconds: float | None = None
    plan_pdf_specifications: int | None = None
    open_data_seconds: float | None = None
    sweep_seconds: tuple[float, float] | None = None
    sweep_sent: tuple[int, int] | None = None
    returns: int | None = None
    worker_peak_mb: list[float] = field(default_factory=list)
    machine: dict[str, str] = field(default_factory=dict)
    data: dict[str, int] = field(default_factory=dict)
    seconds_per_page: int = 10
    connections: int = 8
    workers: int = 3
    seed_seconds: float | None = None

    def misses(self) -> list[str]:
        floor = self.floor.p50_ms
        missed = [
            f"{page.label}: {', '.join(page.misses(floor))}"
            for page in self.pages
            if page.misses(floor)
        ]
        if self.floor.errors:
            missed.append(f"the floor itself: {self.floor.errors} errors")
        if self.plan_pdf_seconds is not None and self.plan_pdf_seconds > MAX_PLAN_PDF_SECONDS:
            missed.append(f"plan PDF: {self.plan_pdf_seconds:.1f} s (target ≤ 5 s)")
        if self.worker_peak_mb and max(self.worker_peak_mb) > MAX_WORKER_MB:
            missed.append(
                f"gunicorn worker peak memory: {max(self.worker_peak_mb):.0f} MB "
                f"(target ≤ {MAX_WORKER_MB} MB)"
            )
        return missed


def ratio(value: float, floor: float) -> str:
    """ "3.2×" of the floor; "–" when there is no floor to compare with."""
    if floor <= 0:
        return "–"
    return f"{value / floor:.1f}×"


def size(count: int | None) -> str:
    if count is None:
        return "–"
    if count >= 1024 * 1024:
        return f"{count / 1024 / 1024:.1f} MB"
    if count >= 1024:
        return f"{count / 1024:.0f} KB"
    return f"{count} B"


def _ms(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def load_table(floor: LoadResult, pages: list[PageResult]) -> str:
    """The Markdown table: the floor first, then every page with its ratios to the floor's
    p50 and ✗ beside what misses a target."""
    base = floor.p50_ms
    lines = [
        "| page | who | p50 ms | p95 ms | p99 ms | p50/floor | p95/floor | req/s | errors "
        "| queries | bytes | made ms |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| floor: `/healthz` | public | {_ms(floor.p50_ms)} | {_ms(floor.p95_ms)} | "
        f"{_ms(floor.p99_ms)} | 1.0× | {ratio(floor.p95_ms, base)} | "
        f"{floor.requests_per_second:.0f} | {floor.errors} | – | "
        f"{size(floor.bytes_per_request)} | – |",
    ]
    for page in pages:
        load = page.load
        p50_mark = " ✗" if load.p50_ms > P50_TIMES_FLOOR * base else ""
        p95_mark = " ✗" if load.p95_ms > P95_TIMES_FLOOR * base else ""
        queries_mark = " ✗" if page.queries is not None and page.queries > MAX_QUERIES else ""
        errors_mark = " ✗" if load.errors or not load.requests else ""
        queries = "–" if page.queries is None else str(page.queries)
        made = "–" if page.made_ms is None else _ms(page.made_ms)
        lines.append(
            f"| {page.label} (`{page.path}`) | {page.who} | {_ms(load.p50_ms)} | "
            f"{_ms(load.p95_ms)} | {_ms(load.p99_ms)} | {ratio(load.p50_ms, base)}{p50_mark} | "
            f"{ratio(load.p95_ms, base)}{p95_mark} | {load.requests_per_second:.1f} | "
            f"{load.errors}{errors_mark} | {queries}{queries_mark} | "
            f"{size(page.body_bytes if page.body_bytes is not None else load.bytes_per_request)} | "
            f"{made} |"
        )
    return "\n".join(lines)


def other_measures(report: BenchReport) -> str:
    lines = []
    if report.plan_pdf_seconds is not None:
        mark = " ✗" if report.plan_pdf_seconds > MAX_PLAN_PDF_SECONDS else ""
        lines.append(
            f"- The largest plan's PDF ({report.plan_pdf_specifications} specifications) "
            f"rendered in {report.plan_pdf_seconds:.1f} s{mark} (target ≤ 5 s)."
        )
    if report.open_data_seconds is not None:
        lines.append(
            f"- The open-data files (360Giving JSON, CSV and XLSX, the registers, outcomes) "
            f"made by a worker's task in {report.open_data_seconds:.1f} s, outside any web "
            f"request."
        )
    if report.sweep_seconds is not None:
        first, second = report.sweep_seconds
        sent = report.sweep_sent or (0, 0)
        lines.append(
            f"- The reminder sweep over all {report.returns or 0:,} monitoring returns: "
            f"first run {first:.1f} s ({sent[0]:,} reminders), second run {second:.1f} s "
            f"({sent[1]:,} reminders: each is sent once)."
        )
    growth = peak_growth(report.pages)
    if growth:
        lines.append(
            "- The workers' peak memory grew most when first serving: "
            + ", ".join(f"{label} (+{mb:.0f} MB)" for label, mb in growth)
            + "."
        )
    if report.worker_peak_mb:
        peak = max(report.worker_peak_mb)
        mark = " ✗" if peak > MAX_WORKER_MB else ""
        each = ", ".join(f"{mb:.0f}" for mb in report.worker_peak_mb)
        lines.append(
            f"- gunicorn workers' peak memory (VmHWM): {each} MB; the highest {peak:.0f} MB{mark} "
            f"(target ≤ {MAX_WORKER_MB} MB)."
        )
    return "\n".join(lines)


def peak_growth(pages: list[PageResult], *, at_least_mb: float = 5) -> list[tuple[str, float]]:
    """The pages after whose load the workers' highest peak memory had grown by at least
    `at_least_mb`, most first: the pages that drive a worker's memory."""
    grown, before = [], None
    for page in pages:
        if page.workers_peak_mb is None:
            continue
        if before is not None and page.workers_peak_mb - before >= at_least_mb:
            grown.append((page.label, page.workers_peak_mb - before))
        before = page.workers_peak_mb if before is None else max(before, page.workers_peak_mb)
    return sorted(grown, key=lambda row: -row[1])


def machine_words(about: dict[str, str]) -> str:
    """Whether the machine was busy when the run started: a load average at or above its
    CPUs means other work shared them."""
    cpus = int(about.get("CPUs") or 1)
    load = float((about.get("load average at the start") or "0").split()[0])
    if load >= cpus:
        return (
            f"**The machine was busy**: its {cpus} CPUs were used at the same time by other "
            "work (see the load average below), so the numbers are noisy and slow; compare "
            "pages within one run (the ratios to the floor), not runs."
        )
    return (
        f"The machine was quiet when the run started (load average {load:.2f} on {cpus} "
        "CPUs): the server and wrk shared those CPUs, as in any run on one machine."
    )


def markdown(report: BenchReport) -> str:
    """docs/benchmarks.md."""
    machine = "\n".join(f"- {name}: {value}" for name, value in report.machine.items())
    data = ", ".join(f"{count:,} {name}" for name, count in report.data.items())
    misses = report.misses()
    missed = "\n".join(f"- {line}" for line in misses) if misses else "- None."
    seeded = (
        f" Seeding took {report.seed_seconds:.0f} s." if report.seed_seconds is not None else ""
    )
    return f"""# Benchmarks

`make bench` (issue 17): the portal at ten times Lancaster's volume, served by gunicorn
under production settings on PostgreSQL. Each key page is loaded by wrk at concurrency
{report.connections} for {report.seconds_per_page} s, after the floor (`/healthz`, through
the same middleware) measured the same way in the same run. Times are in milliseconds;
ratios are to the floor's p50. Public pages are loaded as an anonymous visitor, so they are
served from the public page cache (`core/page_cache.py`: kept until anything they show
changes, a minute at most), as they are in a burst of visitors. Queries, bytes and "made ms"
are one request's, made in-process with the page cache off, with the same session against
the same database just after the same request (so not counting the three queries that write
a session's last activity, at most once every 30 s); "made ms" is the median of three such
requests, the time to make the page once with nothing else running. ✗ marks a
missed target: p50 ≤ {P50_TIMES_FLOOR}× floor, p95 ≤ {P95_TIMES_FLOOR}× floor,
queries ≤ {MAX_QUERIES}, zero errors (any response that is not 2xx, a redirect included).

{machine_words(report.machine)}

## Machine

{machine}

## Data set

`manage.py seed_bench` (fixed seed, in bulk, on top of the demo): {data}.{seeded}

## Pages under load

{load_table(report.floor, report.pages)}

## Other measures

{other_measures(report)}

## Targets missed in this run

{missed}

## How to rerun

```sh
make bench                        # PostgreSQL on 127.0.0.1:5432 (user postgres, trust) and Redis
make bench BENCH_SECONDS=30       # longer runs per page
```

`make bench` installs wrk when it is missing (apt, as root), creates
`commissioning_portal_bench` if need be, migrates it, seeds it once (`manage.py seed_bench`,
which refuses any database whose name does not end in `_bench`), collects static files, starts
gunicorn ({report.workers} workers, production settings, HTTP on 127.0.0.1 with the HTTPS
redirect turned off by `DJANGO_SECURE_SSL_REDIRECT=False`) and runs `manage.py run_bench`,
which signs in a provider and an officer (sessions made in the database as a sign-in with
two-factor leaves them), loads every page, then rewrites this file and prints the table.
To start again from nothing: `dropdb -h 127.0.0.1 -U postgres commissioning_portal_bench`.

{NOTES_MARKER}
"""
