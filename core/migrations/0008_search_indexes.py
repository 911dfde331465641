"""GIN indexes for the site search's award decisions (core/search.py, `Source.indexed`):
each column the awards are searched in, as the search's own expression
`to_tsvector('english', COALESCE(column, ''))`, so a term is looked up in an index
instead of building every award's document. PostgreSQL only: the fallback search on
other databases uses contains and needs none. The index names are the search's, not
any model's, so no model declares them."""

from django.db import migrations

# (index, table, column)
INDEXES = [
    ("search_organisation_name", "providers_organisation", "name"),
    ("search_bid_title", "procurement_bid", "title"),
    ("search_agreement_purpose", "procurement_agreement", "purpose"),
    ("search_opportunity_title", "procurement_opportunity", "title"),
    ("search_commission_title", "commissioning_commission", "title"),
]


def gin_indexes(indexes: list[tuple[str, str, str]]) -> migrations.RunPython:
    """The operation that creates these (index, table, column) GIN indexes on PostgreSQL
    (nothing elsewhere), and drops them when reversed."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, table, column in indexes:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin "
                f"(to_tsvector('english'::regconfig, COALESCE({column}, '')))"
            )

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, _table, _column in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_audit_trail"),
        ("providers", "0006_organisation_ppon"),
        ("procurement", "0011_procurement_act"),
        ("commissioning", "0008_history"),
    ]

    operations = [gin_indexes(INDEXES)]
