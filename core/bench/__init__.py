"""`make bench`: the portal at ten times Lancaster's volume (issue 17).

`manage.py seed_bench` builds the data set on top of the demo (demo.bench: the demo app
imports the others, none imports it); `manage.py run_bench` serves it
with gunicorn under production settings, loads each key page with wrk and writes
docs/benchmarks.md (core.bench.run). Nothing here is collected by `make test`; the parts that
need no server (the wrk report parser, the table) are tested in tests/core/test_bench.py.
"""

#: The marker in the references of the rows the bench makes: "COM-2026-B001".
MARK = "B"


def bench_is_seeded() -> bool:
    """Whether the bench data set is in the database."""
    from commissioning.models import Commission

    return Commission.objects.filter(reference__contains=f"-{MARK}").exists()
