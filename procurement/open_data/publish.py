"""The open-data files: made from the database in one pass by a worker, kept in the cache,
and made again after anything they publish changes.

Saving an award decision, an agreement, a variation, an opportunity, a plan, a commission, an
organisation or a monitoring return (once accepted: the outcomes achieved) forgets the files
once the transaction commits (`open_data_forget`, connected in
`procurement.open_data.signals`); the next request for them asks a worker to make them again
(`procurement.tasks.open_data_publish`), and beat makes them every half hour, so the cache
never goes cold while a worker runs. Until the worker's new files are in the cache, the pages
serve the last files made (`LATEST_KEY`): a web request makes the files itself only when the
cache holds none at all (a new cache, or no worker for an hour), so the web workers do not
hold every file's megabytes in memory. With tasks in-process (`make run`, the tests) the
request that asks makes them at once. The cache key carries a generation that forgetting
changes, so a worker that was making the files while something was published cannot put
its older files back as the newest.
"""

import datetime as dt
import hashlib
import logging
import uuid
from dataclasses import dataclass

from django.core.cache import cache

from core.spreadsheets import csv_bytes
from procurement.open_data import formats
from procurement.open_data.records import (
    CONTRACT_THRESHOLD,
    open_data_awards,
    open_data_outcomes,
    open_data_tenders,
)

logger = logging.getLogger(__name__)

GENERATION_KEY = "open-data:generation"
#: The generation whose files were last all put in the cache: served until the current
#: generation's are there.
LATEST_KEY = "open-data:latest"
#: Set while a worker has been asked to make the files, so that a busy page asks once.
ASKED_KEY = "open-data:asked"
ASKED_SECONDS = 5 * 60
# A safety net: the files are made again at least this often even if nothing is heard.
CACHE_SECONDS = 60 * 60


@dataclass(frozen=True)
class FileSpec:
    name: str
    title: str
    format: str
    content_type: str
    description: str


FILES = [
    FileSpec(
        name="360giving.json",
        title="Grants and contracts awarded (360Giving Data Standard, JSON)",
        format="JSON",
        content_type="application/json",
        description="Every award on the register of decisions as a 360Giving data package: "
        "who received it, how much they asked for and were awarded, when it was decided, when "
        "the work runs, the programme it was made under and the wards it serves.",
    ),
    FileSpec(
        name="360giving.csv",
        title="Grants and contracts awarded (360Giving Data Standard, CSV)",
        format="CSV",
        content_type="text/csv; charset=utf-8",
        description="The same data, one row per award, under the standard's column titles.",
    ),
    FileSpec(
        name="360giving.xlsx",
        title="Grants and contracts awarded (360Giving Data Standard, Excel)",
        format="XLSX",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        description="The same data as an Excel workbook.",
    ),
    FileSpec(
        name="grants-register.csv",
        title="Grants to voluntary, community and social enterprise organisations (CSV)",
        format="CSV",
        content_type="text/csv; charset=utf-8",
        description="The Local Government Transparency Code 2015 register of grants: date "
        "awarded, time period, department, beneficiary, registration number, purpose and "
        "amount.",
    ),
    FileSpec(
        name="contracts-register.csv",
        title="Contracts and invitations to tender over £5,000 (CSV)",
        format="CSV",
        content_type="text/csv; charset=utf-8",
        description="The Local Government Transparency Code 2015 contracts register: "
        "reference, title, description, supplier and registration number, value, start, end "
        "and review dates, whether it came from an open tender, and whether the supplier is a "
        "voluntary, community or social enterprise organisation or a small or medium-sized "
        "enterprise.",
    ),
    FileSpec(
        name="outcomes.csv",
        title="Outcomes achieved by the awards in delivery (CSV)",
        format="CSV",
        content_type="text/csv; charset=utf-8",
        description="For each award whose agreement is in delivery, one row per success "
        "measure: the target agreed for the whole agreement and what the monitoring returns "
        "the council has accepted add up to so far (a return not yet accepted counts for "
        "nothing), with how many returns were accepted and the period they reach.",
    ),
]
FILE_NAMES = [spec.name for spec in FILES]


@dataclass(frozen=True)
class PublishedFile:
    spec: FileSpec
    content: bytes
    #: When what the file says last changed (None while it holds nothing).
    modified: dt.datetime | None
    rows: int

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def etag(self) -> str:
        return f'"{hashlib.sha256(self.content).hexdigest()[:32]}"'


def _latest(moments) -> dt.datetime | None:
    moments = [moment for moment in moments if moment is not None]
    return max(moments) if moments else None


def open_data_make() -> dict[str, PublishedFile]:
    """Every file, made now from the database."""
    awards = open_data_awards()
    tenders = open_data_tenders()
    awards_modified = _latest(record.modified for record in awards)
    package = formats.threesixty_package(records=awards, modified=awards_modified)
    grants = [record for record in awards if record.is_grant]
    contracts = [
        record
        for record in awards
        if not record.is_grant and record.amount_awarded > CONTRACT_THRESHOLD
    ]
    outcomes = open_data_outcomes(awards=awards)
    made = {
        "360giving.json": (formats.threesixty_json_bytes(package), awards_modified, len(awards)),
        "360giving.csv": (formats.threesixty_csv_bytes(package), awards_modified, len(awards)),
        "360giving.xlsx": (formats.threesixty_xlsx_bytes(package), awards_modified, len(awards)),
        "grants-register.csv": (
            csv_bytes(
                header=formats.GRANTS_REGISTER_HEADER, rows=formats.grants_register_rows(awards)
            ),
            _latest(record.modified for record in grants),
            len(grants),
        ),
        "contracts-register.csv": (
            csv_bytes(
                header=formats.CONTRACTS_REGISTER_HEADER,
                rows=formats.contracts_register_rows(
                    records=awards, tenders=tenders, threshold=CONTRACT_THRESHOLD
                ),
            ),
            _latest([record.modified for record in contracts] + [t.modified for t in tenders]),
            len(contracts) + len(tenders),
        ),
        "outcomes.csv": (
            csv_bytes(header=formats.OUTCOMES_HEADER, rows=formats.outcomes_rows(outcomes)),
            _latest(record.modified for record in outcomes),
            len(outcomes),
        ),
    }
    return {
        spec.name: PublishedFile(
            spec=spec,
            content=made[spec.name][0],
            modified=made[spec.name][1],
            rows=made[spec.name][2],
        )
        for spec in FILES
    }


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, generation, timeout=None):
            generation = cache.get(GENERATION_KEY) or generation
    return generation


@dataclass(frozen=True)
class FileSummary:
    """What /open-data/ says of a file, without its content."""

    spec: FileSpec
    size: int
    modified: dt.datetime | None
    rows: int


def _summaries(files: dict[str, PublishedFile]) -> dict[str, FileSummary]:
    return {
        name: FileSummary(
            spec=published.spec,
            size=published.size,
            modified=published.modified,
            rows=published.rows,
        )
        for name, published in files.items()
    }


def _file_key(generation: str, name: str) -> str:
    return f"open-data:file:{generation}:{name}"


def _summary_key(generation: str) -> str:
    return f"open-data:summary:{generation}"


def open_data_files() -> dict[str, PublishedFile]:
    """Every file, made now from the database, and cached one file to a key beside their
    summary, so that a request for one file reads only that file from the cache; then
    marked the latest made. Made by the worker (`open_data_publish`)."""
    generation = _generation()
    files = open_data_make()
    for name, published in files.items():  # one at a time: one file's pickle in memory
        cache.set(_file_key(generation, name), published, timeout=CACHE_SECONDS)
    cache.set(_summary_key(generation), _summaries(files), timeout=CACHE_SECONDS)
    if _generation() == generation:  # nothing was published while they were made
        cache.set(LATEST_KEY, generation, timeout=None)
    cache.delete(ASKED_KEY)
    return files


def _ask_a_worker() -> None:
    """Ask a worker to make the files, once while it has not done so. A broker that is
    down costs nothing but the wait: beat makes them within the half hour, and until then
    the last files made are served."""
    from procurement.tasks import open_data_publish

    if not cache.add(ASKED_KEY, True, timeout=ASKED_SECONDS):
        return
    try:
        open_data_publish.delay()
    except Exception:  # the broker is down: the files already served stay served
        cache.delete(ASKED_KEY)
        logger.warning("Could not ask a worker to make the open-data files", exc_info=True)


def _served_generation() -> str | None:
    """The generation whose files the pages serve: the current one when a worker has made
    its files, otherwise the latest made (asking a worker to make the current one); None
    when the cache holds no files at all."""
    generation = _generation()
    if cache.get(_summary_key(generation)) is not None:
        return generation
    _ask_a_worker()
    if cache.get(_summary_key(generation)) is not None:  # made at once: tasks in-process
        return generation
    latest = cache.get(LATEST_KEY)
    if latest and cache.get(_summary_key(latest)) is not None:
        return latest
    return None


def open_data_summaries() -> dict[str, FileSummary]:
    """Every file's size, last change and rows, cached beside the files under the same
    generation: the page that lists them reads a few hundred bytes from the cache, not
    every file's megabytes."""
    generation = _served_generation()
    summaries = cache.get(_summary_key(generation)) if generation else None
    if summaries is None:
        summaries = _summaries(open_data_files())
    return summaries


def open_data_file(*, name: str) -> PublishedFile:
    """One file by its name, read alone from the cache (all made now if the cache has none
    of them). KeyError for a name that is not published."""
    if name not in FILE_NAMES:
        raise KeyError(name)
    generation = _served_generation()
    published = cache.get(_file_key(generation, name)) if generation else None
    if published is None:
        published = open_data_files()[name]
    return published


def open_data_forget() -> None:
    """Forget the files: the next request for them asks a worker to make them again from
    the database, and the last files made are served until it has. (Not asked here: one
    save after another would each ask for all the files to be made.)"""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    cache.delete(ASKED_KEY)
