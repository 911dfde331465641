"""PostgreSQL connections run without just-in-time compilation: compiling a page's short
query cost more than it saved (56–120 ms on the bench's portfolio)."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_connections_have_jit_off():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no JIT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
