"""GIN indexes for the rest of the site search (core/search.py): every column of a table
that grows with the portal's history that a source searches, as the search's own
expression `to_tsvector('english', COALESCE(column, ''))`, so no search builds a row's
whole document: matching and ranking read the ids these indexes give. Plans (a version a
year) and the short lists of sectors, priorities, areas and themes are read as they are.
PostgreSQL only, as 0008."""

from importlib import import_module

from django.db import migrations

gin_indexes = import_module("core.migrations.0008_search_indexes").gin_indexes

# (index, table, column)
INDEXES = [
    ("search_specification_title", "commissioning_specification", "title"),
    ("search_specification_summary", "commissioning_specification", "summary"),
    ("search_specification_eligibility", "commissioning_specification", "eligibility"),
    ("search_specification_partners", "commissioning_specification", "sector_partners"),
    ("search_opportunity_reference", "procurement_opportunity", "reference"),
    ("search_opportunity_summary", "procurement_opportunity", "summary"),
    ("search_opportunity_eligibility", "procurement_opportunity", "eligibility"),
    ("search_clarification_question", "procurement_clarification", "published_question"),
    ("search_clarification_answer", "procurement_clarification", "answer"),
    ("search_commission_reference", "commissioning_commission", "reference"),
    ("search_commission_summary", "commissioning_commission", "summary"),
    ("search_evidence_title", "engagement_evidenceitem", "title"),
    ("search_evidence_summary", "engagement_evidenceitem", "summary"),
    ("search_evidence_source", "engagement_evidenceitem", "source"),
    ("search_gap_gap", "engagement_gap", "gap"),
    ("search_gap_need", "engagement_gap", "need"),
    ("search_gap_provision", "engagement_gap", "current_provision"),
    ("search_gap_opportunity", "engagement_gap", "opportunity"),
    ("search_lesson_text", "monitoring_lesson", "text"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_search_indexes"),
        ("engagement", "0002_role_permissions"),
        ("monitoring", "0004_evaluation"),
        ("procurement", "0014_agreement_newest_first"),
        ("commissioning", "0008_history"),
    ]

    operations = [gin_indexes(INDEXES)]
