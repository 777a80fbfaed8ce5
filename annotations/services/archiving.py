"""Snapshots of a source's URL (issue 15): asked for in the transaction that attaches a
source (or on "archive again"), taken by a job on the queue.

`source_archive_request` writes a pending `SourceArchive` and enqueues the job in the same
transaction, so a rolled-back attach leaves neither. `source_archive` is the job's body:
it fetches the URL with the SSRF-safe fetcher (the same limits as loading an article),
writes a WARC file (warcio: the request and the response with its HTTP headers) to the
"archive" storage, keeps the sha256 of the payload, the page's text and where the source's
excerpt stands in it. A failure is recorded on the row with its reason and then raised, so
the queue retries it; a retry of a snapshot that already succeeded does nothing.
"""

from __future__ import annotations

import hashlib
import io
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from lxml import etree
from lxml import html as lxml_html
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from annotations import ingest
from annotations.excerpts import Found, locate_excerpt, text_fragment
from annotations.models import ArchiveStatus, ExcerptState, Source, SourceArchive
from annotations.roles import EDIT_REFUSED, may_edit
from annotations.services.errors import InvalidInput, NotAllowed, WorkflowError
from annotations.services.fetching import fetch_configured

#: The content types whose text we extract; anything else is archived as sent, without text.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: Headers that describe the transfer, not the page: the WARC holds the decoded body, so
#: these would mislead a reader of the record (Content-Length is written anew).
_TRANSFER_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


class ArchiveFailed(Exception):
    """The snapshot could not be taken; the reason is on the row. Raised so the queue
    retries the job."""


def archive_storage() -> Storage:
    """Where WARC files go: the "archive" entry of STORAGES (FACTCHECK_ARCHIVE_ROOT)."""
    return storages["archive"]


@transaction.atomic
def source_archive_request(*, source: Source, user: User | None) -> SourceArchive:
    """Ask for a new snapshot of `source`'s URL: a pending row and its job, in the caller's
    transaction (a rollback leaves neither). Earlier snapshots stay.

    Refused when the source has no URL, when the person may not edit, and while a snapshot
    of the source is still waiting for its first attempt (a second would fetch the same)."""
    if user is not None and not may_edit(user):
        raise NotAllowed(EDIT_REFUSED.format(action="archive sources"))
    if not source.url:
        raise InvalidInput("This source has no web address to archive.", field="url")
    # Lock the source so two "archive again" clicks at once make one snapshot.
    Source.objects.select_for_update().filter(pk=source.pk).first()
    waiting = SourceArchive.objects.filter(
        source=source, status=ArchiveStatus.PENDING, attempts=0
    ).exists()
    if waiting:
        raise WorkflowError("A snapshot of this source is already being taken.")
    archive = SourceArchive.objects.create(source=source, requested_by=user)
    from annotations.tasks import archive_source  # the task module imports this one

    archive_source.enqueue(archive.pk)
    return archive


def source_archive(archive_id: int) -> SourceArchive:
    """Take the snapshot `archive_id` (the archive job's body). Raises `ArchiveFailed`
    after recording why, so the queue tries again."""
    with transaction.atomic():
        archive = (
            SourceArchive.objects.select_for_update().select_related("source").get(pk=archive_id)
        )
        if archive.status == ArchiveStatus.ARCHIVED:
            return archive  # a retry of a job that succeeded: nothing to do
        SourceArchive.objects.filter(pk=archive.pk).update(attempts=F("attempts") + 1)
    source = archive.source
    try:
        fetched = _fetch(source.url)
    except ingest.IngestError as exc:
        _fail(archive, exc.message)
        raise ArchiveFailed(exc.message) from exc
    try:
        return _store(archive, source, fetched)
    except Exception as exc:
        reason = f"The snapshot could not be stored ({type(exc).__name__})."
        _fail(archive, reason)
        raise ArchiveFailed(reason) from exc


def _fetch(url: str) -> ingest.Fetched:
    """The article loader's fetch and limits, any content type (PDFs, images are kept)."""
    return fetch_configured(url, max_bytes=ingest.MAX_HTML_BYTES, any_content_type=True)


def _fail(archive: SourceArchive, reason: str) -> None:
    SourceArchive.objects.filter(pk=archive.pk).exclude(status=ArchiveStatus.ARCHIVED).update(
        status=ArchiveStatus.FAILED, failure_reason=reason
    )


def _store(archive: SourceArchive, source: Source, fetched: ingest.Fetched) -> SourceArchive:
    captured_at = timezone.now()
    warc = warc_bytes(fetched, captured_at)
    text, note = page_text(fetched)
    fields: dict[str, Any] = {
        "status": ArchiveStatus.ARCHIVED,
        "failure_reason": "",
        "captured_at": captured_at,
        "http_status": fetched.status,
        "content_type": fetched.content_type[:200],
        "final_url": fetched.url,
        "sha256": hashlib.sha256(fetched.body).hexdigest(),
        "size": len(fetched.body),
        "text": text,
        "text_note": note[:300],
        **_excerpt_fields(source.excerpt, text, fetched.url),
    }
    name = archive_storage().save(
        f"sources/{source.pk}/{archive.pk}-{captured_at:%Y%m%dT%H%M%SZ}.warc", ContentFile(warc)
    )
    with transaction.atomic():
        held_before = (
            SourceArchive.objects.filter(
                source=source, status=ArchiveStatus.ARCHIVED, excerpt_state=ExcerptState.FOUND
            )
            .exclude(pk=archive.pk)
            .exists()
        )
        fields["excerpt_lost"] = fields["excerpt_state"] == ExcerptState.MISSING and held_before
        SourceArchive.objects.filter(pk=archive.pk).update(warc_name=name, **fields)
    archive.refresh_from_db()
    return archive


def warc_bytes(fetched: ingest.Fetched, captured_at: datetime) -> bytes:
    """A WARC file of one request/response pair: the response record carries the HTTP status
    line, the headers and the (decoded) body; the request record what we sent."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    date = captured_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    headers = [(k, v) for k, v in fetched.headers if k.lower() not in _TRANSFER_HEADERS]
    headers.append(("Content-Length", str(len(fetched.body))))
    response = writer.create_warc_record(
        fetched.url,
        "response",
        payload=io.BytesIO(fetched.body),
        length=len(fetched.body),
        http_headers=StatusAndHeaders(
            f"{fetched.status} {fetched.reason}".strip(), headers, protocol="HTTP/1.1"
        ),
        warc_headers_dict={"WARC-Date": date},
    )
    parts = urlsplit(fetched.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request = writer.create_warc_record(
        fetched.url,
        "request",
        http_headers=StatusAndHeaders(
            f"GET {target} HTTP/1.1", list(fetched.request_headers), is_http_request=True
        ),
        warc_headers_dict={"WARC-Date": date},
    )
    writer.write_request_response_pair(request, response)
    return buffer.getvalue()


def page_text(fetched: ingest.Fetched) -> tuple[str, str]:
    """The snapshot's text and, when it has none or only a rough one, a note saying why."""
    if fetched.content_type in HTML_TYPES:
        try:
            return ingest.extract_html(fetched.text, url=fetched.url).text, ""
        except ingest.IngestError:
            text = _visible_text(fetched.text)
            note = "No article body was found in this page; the text is all its visible text."
            return text, note if text else "The page has no visible text."
    if fetched.content_type == "text/plain":
        return fetched.text.replace("\r\n", "\n").replace("\x00", ""), ""
    shown = fetched.content_type or "a file without a content type"
    return "", f"Archived as sent ({shown}); factcheck reads no text from this kind of file."


def _visible_text(html: str) -> str:
    """Every visible word of a page that is not an article (no scripts, styles or forms)."""
    try:
        root = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    for element in root.xpath("//script|//style|//noscript|//template|//head"):
        element.drop_tree()
    text = root.text_content()
    paragraphs = [" ".join(line.split()) for line in re.split(r"\n\s*\n|\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def _excerpt_fields(excerpt: str, text: str, url: str) -> dict[str, Any]:
    """Where the source's excerpt is in the snapshot's text (exact, then fuzzy)."""
    empty = {
        "excerpt_state": ExcerptState.NONE,
        "excerpt_start": None,
        "excerpt_end": None,
        "excerpt_how": "",
        "excerpt_confidence": None,
        "excerpt_reason": "",
        "text_fragment_url": "",
    }
    if not excerpt.strip():
        return empty
    if not text:
        return {**empty, "excerpt_reason": "The snapshot has no text to look for the excerpt in."}
    result = locate_excerpt(text, excerpt)
    if not isinstance(result, Found):
        return {**empty, "excerpt_state": ExcerptState.MISSING, "excerpt_reason": result.reason}
    return {
        **empty,
        "excerpt_state": ExcerptState.FOUND,
        "excerpt_start": result.start,
        "excerpt_end": result.end,
        "excerpt_how": result.how,
        "excerpt_confidence": round(result.confidence, 3),
        "text_fragment_url": text_fragment(url, text, result),
    }
