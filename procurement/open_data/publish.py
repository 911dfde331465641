"""The open-data files: made from the database in one pass, kept in the cache, and made
again after anything they publish changes.

`open_data_files()` returns every file (made now if the cache has none); saving an award
decision, an agreement, a variation, an opportunity, a plan, a commission, an organisation
or a monitoring return (once accepted: the outcomes achieved) forgets them once the
transaction commits (`open_data_forget`, connected in `procurement.open_data.signals`), so
the next request makes them from what was published. The cache key carries a generation
that forgetting changes, so a request that was making the files while something was
published cannot put its older files back.
"""

import datetime as dt
import hashlib
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

GENERATION_KEY = "open-data:generation"
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
    summary, so that a request for one file reads only that file from the cache."""
    generation = _generation()
    files = open_data_make()
    for name, published in files.items():  # one at a time: one file's pickle in memory
        cache.set(_file_key(generation, name), published, timeout=CACHE_SECONDS)
    cache.set(_summary_key(generation), _summaries(files), timeout=CACHE_SECONDS)
    return files


def open_data_summaries() -> dict[str, FileSummary]:
    """Every file's size, last change and rows, cached beside the files under the same
    generation: the page that lists them reads a few hundred bytes from the cache, not
    every file's megabytes."""
    summaries = cache.get(_summary_key(_generation()))
    if summaries is None:
        summaries = _summaries(open_data_files())
    return summaries


def open_data_file(*, name: str) -> PublishedFile:
    """One file by its name, read alone from the cache (all made now if it is not there).
    KeyError for a name that is not published."""
    if name not in FILE_NAMES:
        raise KeyError(name)
    published = cache.get(_file_key(_generation(), name))
    if published is None:
        published = open_data_files()[name]
    return published


def open_data_forget() -> None:
    """Forget the files: the next request makes them again from the database."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
