"""Writes to the local needs assessment."""

import datetime
from collections.abc import Iterable

from django.core.files import File
from django.db import transaction
from django.db.models.fields.files import FieldFile

from commissioning.models import Area, Commission, CorporatePriority
from core.models import User
from engagement.models import EvidenceItem


def _delete_stored_file(name: str, storage) -> None:
    """Remove a replaced or removed file once the change is committed."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def evidence_create(
    *,
    recorded_by: User,
    title: str,
    category: str,
    source: str,
    dated: datetime.date,
    summary: str,
    url: str = "",
    file: File | None = None,
    priorities: Iterable[CorporatePriority] = (),
    areas: Iterable[Area] = (),
    commissions: Iterable[Commission] = (),
) -> EvidenceItem:
    """Record a piece of needs-assessment evidence and what it is about.

    `file` should come from `core.uploads.CheckedFileField`, which has checked its content.
    """
    evidence = EvidenceItem(
        title=title,
        category=category,
        source=source,
        dated=dated,
        summary=summary,
        url=url,
        recorded_by=recorded_by,
    )
    if file:
        evidence.file = file
    evidence.full_clean()
    evidence.save()
    evidence.priorities.set(priorities)
    evidence.areas.set(areas)
    evidence.commissions.set(commissions)
    return evidence


@transaction.atomic
def evidence_update(
    *,
    evidence: EvidenceItem,
    title: str,
    category: str,
    source: str,
    dated: datetime.date,
    summary: str,
    url: str = "",
    file: File | None = None,
    remove_file: bool = False,
    priorities: Iterable[CorporatePriority] = (),
    areas: Iterable[Area] = (),
    commissions: Iterable[Commission] = (),
) -> EvidenceItem:
    """Change an evidence item. A new `file` replaces the old one; `remove_file` removes it.

    The file it no longer holds is deleted from storage when the change is committed.
    """
    # Read from the database: a model form may already have put the new file on the instance.
    old_name = EvidenceItem.objects.filter(pk=evidence.pk).values_list("file", flat=True).get()
    evidence.title = title
    evidence.category = category
    evidence.source = source
    evidence.dated = dated
    evidence.summary = summary
    evidence.url = url
    if file and not isinstance(file, FieldFile):
        evidence.file = file
    elif remove_file:
        evidence.file = None
    else:
        evidence.file = old_name or None
    # The person who recorded it may since have left: that does not stop a change.
    evidence.full_clean(exclude=["recorded_by"])
    evidence.save()
    if old_name and (evidence.file.name or "") != old_name:
        _delete_stored_file(old_name, evidence.file.storage)
    evidence.priorities.set(priorities)
    evidence.areas.set(areas)
    evidence.commissions.set(commissions)
    return evidence
