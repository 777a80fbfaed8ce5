"""Taking a snapshot in a test, whatever the queue backend: the job runs at enqueue on the
immediate backend and waits on the database one, so it is run here too (a job that already
finished does nothing)."""

from __future__ import annotations

import contextlib

from annotations.models import SourceArchive
from annotations.services.archiving import ArchiveFailed, source_archive, source_archive_request
from annotations.services.claims import source_attach
from tests.archive.pages import EXCERPT


def run(archive: SourceArchive) -> SourceArchive:
    with contextlib.suppress(ArchiveFailed):
        source_archive(archive.pk)
    archive.refresh_from_db()
    return archive


def attach(claim, editor, url: str, excerpt: str = EXCERPT, title: str = "Report"):
    """Attach a source with `url` to `claim` and take its first snapshot."""
    link = source_attach(claim=claim, user=editor, title=title, url=url, excerpt=excerpt)
    return run(SourceArchive.objects.get(source=link.source))


def again(source, user) -> SourceArchive:
    """Archive again, and take it."""
    return run(source_archive_request(source=source, user=user))
