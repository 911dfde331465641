"""Permission matrix rows for the search: everyone may search; a staff-only type asked for by
someone who may not search it is ignored, not refused (tests/core/test_search.py checks that
nothing of it shows)."""

from tests.matrix import Row, everyone

ROWS = [
    Row("core:search", "/search/", everyone(200)),
    Row("core:search-query", "/search/?q=advice", everyone(200)),
    Row("core:search-staff-type", "/search/?q=advice&type=commissions", everyone(200)),
]
