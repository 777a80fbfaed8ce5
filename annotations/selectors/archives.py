"""Reads of source snapshots (issue 15): the latest one of each source for the claim panel,
the latest archived one for the API, one snapshot for its page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from annotations.models import ArchiveStatus, SourceArchive

#: What the claim panel shows of each source's latest snapshot, as `archive_<field>`.
PANEL_FIELDS = (
    "id",
    "status",
    "requested_at",
    "captured_at",
    "failure_reason",
    "excerpt_state",
    "excerpt_lost",
)


def latest_archive_annotations(source_field: str = "source_id") -> dict[str, Any]:
    """Annotations naming the latest snapshot's `PANEL_FIELDS` (`archive_status` …) on rows
    that point at a source: no query of their own, one correlated subquery per field on
    the (source, -id) index."""
    latest = SourceArchive.objects.filter(source_id=OuterRef(source_field)).order_by("-id")
    return {f"archive_{name}": Subquery(latest.values(name)[:1]) for name in PANEL_FIELDS}


@dataclass(frozen=True)
class ArchiveState:
    """What the claim panel says of a source's latest snapshot."""

    id: int
    status: str
    requested_at: datetime
    captured_at: datetime | None
    failure_reason: str
    excerpt_state: str
    excerpt_lost: bool


def archive_state(row: Any) -> ArchiveState | None:
    """The latest snapshot named by `latest_archive_annotations` on `row`, or None."""
    if getattr(row, "archive_id", None) is None:
        return None
    return ArchiveState(**{name: getattr(row, f"archive_{name}") for name in PANEL_FIELDS})


def archive_state_of_source(source_id: int) -> ArchiveState | None:
    """The latest snapshot of one source (one query)."""
    row = SourceArchive.objects.filter(source_id=source_id).values(*PANEL_FIELDS).first()
    return ArchiveState(**row) if row else None


def latest_archived(source_id: int) -> SourceArchive | None:
    """The newest snapshot of the source that succeeded (what the API serves), or None."""
    return (
        SourceArchive.objects.filter(source_id=source_id, status=ArchiveStatus.ARCHIVED)
        .order_by("-id")
        .first()
    )


def archive_of_source(source_id: int, archive_id: int) -> SourceArchive | None:
    """One snapshot of one source, with the source (its page shows both)."""
    return (
        SourceArchive.objects.select_related("source")
        .filter(source_id=source_id, pk=archive_id)
        .first()
    )


def archives_of_source(source_id: int) -> QuerySet[SourceArchive]:
    """Every snapshot of a source, newest first."""
    return SourceArchive.objects.filter(source_id=source_id).order_by("-id")
