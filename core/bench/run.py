"""Run the bench: gunicorn under production settings, wrk on every key page, the other
measures, docs/benchmarks.md. Called by `manage.py run_bench` (see the Makefile's `bench`)."""

import datetime as dt
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess  # nosec B404: runs gunicorn and wrk, fixed argument lists
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.db.models import Count, Max
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from core.bench.report import BenchReport, PageResult, markdown, with_notes
from core.bench.wrk import LUA_SCRIPT, LoadResult, parse_wrk, wrk_command

PROVIDER_EMAIL = "provider@example.org"
OFFICER_EMAIL = "officer@example.org"


@dataclass(frozen=True)
class Page:
    label: str
    path: str
    who: str  # "public", "provider" or "officer"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- Signing in without the sign-in page ----------------------------------------------------


def signed_in_session(email: str) -> str:
    """A session for the person as their sign-in leaves it (password, and the code from their
    authenticator for staff: allauth's record of both), made in the session store; its key."""
    from allauth.mfa.models import Authenticator
    from django.contrib.sessions.backends.db import SessionStore

    from core.models import User
    from core.sessions import LAST_ACTIVITY_KEY

    user = User.objects.get(email=email)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    now = time.time()
    methods = [{"method": "password", "at": now, "email": email}]
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        methods.append({"method": "mfa", "at": now, "type": "totp"})
    session["account_authentication_methods"] = methods
    session[LAST_ACTIVITY_KEY] = now
    session.create()
    return session.session_key


# --- The pages --------------------------------------------------------------------------------


def key_pages() -> list[Page]:
    """Issue 17's key pages, at the bench data set's largest cases."""
    from commissioning.models import Commission, CommissioningPlan
    from monitoring.models import MonitoringReturn
    from procurement.models import Agreement, AwardDecision, Opportunity
    from providers.models import Organisation

    plan = (
        CommissioningPlan.objects.public()
        .annotate(n=Count("specifications"))
        .order_by("-n", "pk")
        .first()
    )
    big = Opportunity.objects.annotate(n=Count("bids")).order_by("-n", "pk").first()
    commission = big.specification.commission
    organisation = Organisation.objects.get(memberships__user__email=PROVIDER_EMAIL)
    return_form = (
        MonitoringReturn.objects.filter(
            agreement__decision__bid__organisation=organisation,
            state__in=["due", "draft", "changes_requested"],
        )
        .order_by("due_on", "pk")
        .first()
    )
    agreement = (
        Agreement.objects.annotate(n=Count("monitoring_returns"))
        .filter(state="accepted")
        .order_by("-n", "pk")
        .first()
    )
    decisions = AwardDecision.objects.published_awards().count()
    last_page = max(1, (decisions + 24) // 25)
    pages = [
        Page("home", "/", "public"),
        Page("framework", "/framework/", "public"),
        Page("plans", "/plans/", "public"),
        Page(
            f"a plan ({plan.specifications.count()} specifications)",
            plan.get_absolute_url(),
            "public",
        ),
        Page("opportunities", "/opportunities/", "public"),
        Page("decisions, first page", "/decisions/", "public"),
        Page("decisions, filtered", "/decisions/?q=advice&funding_type=grant", "public"),
        Page("decisions, late page", f"/decisions/?page={last_page}", "public"),
        Page("opportunities feed", "/opportunities/feed/", "public"),
        Page("decisions feed", "/decisions/feed/", "public"),
        Page("search", "/search/?q=community", "public"),
        Page("open data", "/open-data/", "public"),
        # Not a key page: what any signed-in page costs before its own work (the session,
        # the person, their roles), for comparison with the floor.
        Page("signed in, no page (the officer)", "/healthz", "officer"),
        Page("provider dashboard", "/organisations/", "provider"),
        Page("provider bids", "/bids/", "provider"),
        Page("provider agreements", "/agreements/", "provider"),
    ]
    if return_form is not None:
        pages.append(Page("a return form", f"/returns/{return_form.pk}/edit/", "provider"))
    pages += [
        Page("staff home", "/staff/", "officer"),
        Page("a commission", commission.get_absolute_url(), "officer"),
        Page("staff opportunities", "/staff/opportunities/", "officer"),
        Page(f"bids list ({big.n} bids)", f"/staff/opportunities/{big.pk}/bids/", "officer"),
        Page(f"panel ({big.n} bids)", f"/staff/opportunities/{big.pk}/panel/", "officer"),
        Page(f"moderation ({big.n} bids)", f"/staff/opportunities/{big.pk}/moderation/", "officer"),
        Page(f"ranking ({big.n} bids)", f"/staff/opportunities/{big.pk}/ranking/", "officer"),
        Page("staff agreements", "/staff/agreements/", "officer"),
        Page("portfolio", "/staff/portfolio/", "officer"),
        # The portfolio opens on this financial year; all years are a choice away.
        Page("portfolio, all years", "/staff/portfolio/?year=all", "officer"),
        Page(
            "payments made, all years", "/staff/portfolio/payments/?show=paid&year=all", "officer"
        ),
        Page(
            f"performance ({agreement.n} returns)",
            f"/staff/agreements/{agreement.pk}/performance/",
            "officer",
        ),
    ]
    assert Commission.objects.exists()  # nosec B101: the data set is there
    return pages


def data_counts() -> dict[str, int]:
    from commissioning.models import Commission
    from monitoring.models import MonitoringReturn
    from procurement.models import Agreement, AwardDecision, Bid, Opportunity, Score
    from providers.models import Organisation

    return {
        "organisations": Organisation.objects.count(),
        "commissions": Commission.objects.count(),
        "opportunities": Opportunity.objects.count(),
        "bids": Bid.objects.count(),
        "panel scores": Score.objects.count(),
        "award decisions": AwardDecision.objects.count(),
        "agreements": Agreement.objects.count(),
        "monitoring returns": MonitoringReturn.objects.count(),
    }


# --- One request alone: queries and bytes ---------------------------------------------------


def one_request(path: str, session_key: str | None) -> tuple[int, int, int, float]:
    """Status, queries, body bytes and milliseconds (the median of three) of one request made
    in-process, just after the same request: a signed-in session's last activity is written
    (three queries) at most every 30 seconds (core.sessions), and a page is counted as it is
    read in between. The public page cache (core/page_cache.py) is off, so what is counted is
    the work of making the page, not of fetching it kept."""
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        # Read now: every request starting empties the connection's log of queries.
        query_count = len(queries)
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
    body = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    return response.status_code, query_count, len(body), statistics.median(timings)


# --- gunicorn ---------------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, *, port: int, workers: int, log: Path):
        self.port = port
        self.workers = workers
        self.log = log
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(  # nosec B603: fixed arguments
            [
                str(gunicorn),
                "config.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                "--timeout=120",
                "--log-level=warning",
            ],
            cwd=settings.BASE_DIR,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url("/healthz"), timeout=5) as response:  # nosec B310
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
            if self.process.poll() is not None:
                break
        raise RuntimeError(f"gunicorn did not answer /healthz: see {self.log}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def get(self, path: str, cookie: str = "") -> int:
        """One request, waited for: its status."""
        request = urllib.request.Request(
            self.url(path), headers={"Cookie": cookie} if cookie else {}
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # nosec B310
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def drain(self, measured: LoadResult, *, connections: int) -> None:
        """Wait for the requests wrk left behind when it stopped (sync workers finish each
        request they have accepted), so they do not slow the next page's measure."""
        left = connections * measured.p50_ms / 1000 / self.workers + measured.p99_ms / 1000
        time.sleep(min(60.0, max(0.5, left)))
        self.get("/healthz")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def workers_peak_mb(self) -> list[float]:
        peaks = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
            if found:
                peaks.append(int(found.group(1)) / 1024)
        return peaks


def load(url: str, *, seconds: int, connections: int, cookie: str, script: str) -> LoadResult:
    command = wrk_command(
        url=url, script=script, seconds=seconds, connections=connections, cookie=cookie
    )
    done = subprocess.run(  # nosec B603: fixed arguments
        command, capture_output=True, text=True, timeout=seconds + 120, check=False
    )
    return parse_wrk(done.stdout + done.stderr)


# --- The measures outside the load -----------------------------------------------------------


def open_data_made_seconds() -> float:
    """The open-data files made by the worker's task (`open_data_publish`), as after a
    change: the pages then serve them from the cache (Redis, shared with gunicorn)."""
    from procurement.tasks import open_data_publish

    started = time.perf_counter()
    open_data_publish()
    return time.perf_counter() - started


def plan_pdf_seconds() -> tuple[float, int]:
    """The largest plan's PDF made as the task that stores it makes it (`plan_pdf_store`):
    the plan read with its specifications prefetched, then rendered; not stored here."""
    from commissioning.models import CommissioningPlan
    from commissioning.pdf import plan_pdf_render
    from commissioning.selectors.plans import plan_public_get

    largest = (
        CommissioningPlan.objects.public()
        .annotate(n=Count("specifications"))
        .order_by("-n", "pk")
        .first()
    )
    started = time.monotonic()
    plan_pdf_render(plan=plan_public_get(slug=largest.slug))
    return time.monotonic() - started, largest.n


def reminder_sweeps() -> tuple[tuple[float, float], tuple[int, int], int]:
    """The daily reminder sweep over every return, twice (the second finds nothing new to
    send); what the two sent is removed afterwards so the next run's first sweep is a first."""
    from core.models import Email, Notification, OutboxTask
    from monitoring.models import MonitoringReturn, Reminder
    from monitoring.reminders import reminders_send_due

    marks = {
        model: model.objects.aggregate(top=Max("pk"))["top"] or 0
        for model in (Reminder, Email, Notification, OutboxTask)
    }
    today = timezone.localdate()
    times, sent = [], []
    for _ in range(2):
        started = time.monotonic()
        counts = reminders_send_due(today=today)
        times.append(time.monotonic() - started)
        sent.append(sum(counts.values()))
    for model, top in marks.items():
        model.objects.filter(pk__gt=top).delete()
    # The emails' tasks handed to the broker: no worker runs here to take them.
    if settings.REDIS_URL:
        import redis

        redis.Redis.from_url(settings.REDIS_URL).delete("celery")
    return (times[0], times[1]), (sent[0], sent[1]), MonitoringReturn.objects.count()


def machine() -> dict[str, str]:
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = found.group(1) if found else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"^MemTotal:\s+(\d+) kB", meminfo.read_text(), re.MULTILINE)
        memory = f"{int(found.group(1)) / 1024 / 1024:.0f} GB" if found else ""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    wrk = subprocess.run(  # nosec B603 B607: the version of the tool the bench runs
        ["wrk", "--version"], capture_output=True, text=True, check=False
    )
    import django
    import gunicorn

    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "CPUs": str(os.cpu_count()),
        "CPU": cpu,
        "memory": memory,
        "system": platform.platform(),
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "PostgreSQL": postgres,
        "gunicorn": gunicorn.__version__,
        "wrk": (wrk.stdout + wrk.stderr).split("\n")[0].strip(),
        "load average at the start": " ".join(f"{n:.2f}" for n in os.getloadavg()),
    }


def bench_run(
    *, seconds: int = 10, connections: int = 8, workers: int = 3, out: Path, log=print
) -> BenchReport:
    if not str(connection.settings_dict["NAME"]).endswith("_bench"):
        raise RuntimeError("run_bench runs only against a database whose name ends in _bench")
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: apt-get install -y wrk")
    about = machine()
    sessions = {
        "public": None,
        "provider": signed_in_session(PROVIDER_EMAIL),
        "officer": signed_in_session(OFFICER_EMAIL),
    }
    pages = key_pages()
    log("the open-data files, made as a worker makes them after a change (not in a request)")
    open_data_seconds = open_data_made_seconds()
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "bench.lua"
        script.write_text(LUA_SCRIPT)
        gunicorn_log = Path(tempfile.gettempdir()) / "bench-gunicorn.log"
        with Gunicorn(port=port, workers=workers, log=gunicorn_log) as server:

            def cookie(who: str) -> str:
                key = sessions[who]
                return f"{settings.SESSION_COOKIE_NAME}={key}" if key else ""

            log("every page once, so no measure includes a worker's first request of it")
            first_peaks = {}  # the workers' highest peak once each page was first served
            for round_ in range(workers):
                for page in pages:
                    server.get(page.path, cookie(page.who))
                    if round_ == 0:
                        first_peaks[page.path] = max(server.workers_peak_mb(), default=None)
            log(f"floor: /healthz for {seconds} s at concurrency {connections}")
            floor = load(server.url("/healthz"), seconds=seconds, connections=connections,
                         cookie="", script=str(script))  # fmt: skip
            results = []
            for page in pages:
                log(f"{page.label}: {page.path}")
                measured = load(server.url(page.path), seconds=seconds, connections=connections,
                                cookie=cookie(page.who), script=str(script))  # fmt: skip
                server.drain(measured, connections=connections)
                result = PageResult(page.label, page.path, page.who, measured)
                result.workers_peak_mb = first_peaks[page.path]
                results.append(result)
            peaks = server.workers_peak_mb()
    log("one request per page, in-process: queries, bytes and time")
    for result in results:
        status, queries, body, made_ms = one_request(result.path, sessions[result.who])
        result.status, result.queries, result.body_bytes = status, queries, body
        result.made_ms = made_ms
    log("the largest plan's PDF")
    pdf_seconds, pdf_specifications = plan_pdf_seconds()
    log("the reminder sweep, twice")
    sweep_seconds, sweep_sent, returns = reminder_sweeps()
    report = BenchReport(
        floor=floor,
        pages=results,
        plan_pdf_seconds=pdf_seconds,
        open_data_seconds=open_data_seconds,
        plan_pdf_specifications=pdf_specifications,
        sweep_seconds=sweep_seconds,
        sweep_sent=sweep_sent,
        returns=returns,
        worker_peak_mb=peaks,
        machine=about,
        data=data_counts(),
        seconds_per_page=seconds,
        connections=connections,
        workers=workers,
    )
    seed_log = Path(tempfile.gettempdir()) / "bench-seed-seconds"
    if seed_log.exists():
        report.seed_seconds = float(seed_log.read_text().strip() or 0)
    previous = out.read_text() if out.exists() else ""
    out.write_text(with_notes(markdown(report), previous))
    return report
