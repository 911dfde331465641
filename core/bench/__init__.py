"""`make bench`: the portal at ten times Lancaster's volume (issue 17).

`manage.py seed_bench` builds the data set (core.bench.seed); `manage.py run_bench` serves it
with gunicorn under production settings, loads each key page with wrk and writes
docs/benchmarks.md (core.bench.run). Nothing here is collected by `make test`; the parts that
need no server (the wrk report parser, the table) are tested in tests/core/test_bench.py.
"""
