"""Source snapshots in the browser (issue 15): the archive line of a source in the claim
panel ("archived … · view snapshot", "archiving…", "archive failed: … · try again") with its
"archive again" button, and the snapshot page.

The snapshot page is our own rendering of the text the archive job extracted, never the
archived HTML: the page itself carries no script, and its Content-Security-Policy forbids
every script and every load from elsewhere, so nothing of the archived page can run even
if a bug let markup through. The source's excerpt is highlighted with <mark>, and the live
page is one click away with a text fragment that scrolls to the passage.
"""

from __future__ import annotations

from dataclasses import dataclass

from csp.constants import NONE, SELF
from csp.decorators import csp_replace
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from annotations.access import get_source_for
from annotations.models import ArchiveStatus, Source
from annotations.roles import may_edit
from annotations.selectors.archives import (
    ArchiveState,
    archive_of_source,
    archive_state_of_source,
    archives_of_source,
)
from annotations.services.archiving import source_archive_request
from annotations.services.errors import ServiceError
from annotations.views.access import NewsroomRequest, newsroom_required
from annotations.views.claims import announce

ARCHIVE_PARTIAL = "annotations/partials/source_archive.html"

#: The snapshot page's policy: our stylesheet and icon, nothing else (no script, font, frame,
#: form or connection), whatever the archived page contained.
SNAPSHOT_CSP = {
    "default-src": [NONE],
    "script-src": [NONE],
    "style-src": [SELF],
    "img-src": [SELF],
    "font-src": [NONE],
    "connect-src": [NONE],
    "frame-src": [NONE],
    "object-src": [NONE],
    "base-uri": [NONE],
    "form-action": [NONE],
    "frame-ancestors": [NONE],
}


def _partial(
    request: NewsroomRequest,
    source: Source,
    archive: ArchiveState | None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "source": source,
        "archive": archive,
        "may_archive": may_edit(request.user),
        "archive_error": error,
    }
    return render(request, ARCHIVE_PARTIAL, context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@newsroom_required
def source_archive_view(request: NewsroomRequest, source_id: int) -> HttpResponse:
    """GET: the source's archive line (the panel polls it while a snapshot is pending).
    POST: archive again (editors), answering with the line."""
    source = get_source_for(request.user, source_id, write=request.method == "POST")
    if request.method != "POST":
        return _partial(request, source, archive_state_of_source(source.pk))
    try:
        source_archive_request(source=source, user=request.user)
    except ServiceError as exc:
        archive = archive_state_of_source(source.pk)
        return _partial(request, source, archive, error=exc.message, status=exc.status)
    archive = archive_state_of_source(source.pk)
    if not request.htmx:  # without JavaScript: back to the claim
        return redirect(_claim_link(source) or reverse("source_archive", args=[source.pk]))
    said = {
        ArchiveStatus.ARCHIVED.value: "Snapshot taken.",
        ArchiveStatus.FAILED.value: "The snapshot failed; the reason is shown.",
    }
    message = said.get(archive.status if archive else "", "Archiving the source…")
    return announce(_partial(request, source, archive), message)


@dataclass(frozen=True)
class Piece:
    text: str
    marked: bool
    #: The first marked piece: the page's "#excerpt-mark" anchor.
    first: bool = False


def snapshot_paragraphs(text: str, start: int | None, end: int | None) -> list[list[Piece]]:
    """The text as paragraphs (split at blank lines) of pieces, the excerpt's span marked."""
    paragraphs: list[list[Piece]] = []
    position = 0
    for block in text.split("\n\n"):
        block_start, block_end = position, position + len(block)
        position = block_end + 2
        if not block.strip():
            continue
        pieces: list[Piece] = []
        if start is not None and end is not None and start < block_end and end > block_start:
            a, b = max(start, block_start) - block_start, min(end, block_end) - block_start
            pieces = [Piece(block[:a], False), Piece(block[a:b], True), Piece(block[b:], False)]
            pieces = [piece for piece in pieces if piece.text]
        else:
            pieces = [Piece(block, False)]
        paragraphs.append(pieces)
    marked = [piece for pieces in paragraphs for piece in pieces if piece.marked]
    if marked:
        first = marked[0]
        for pieces in paragraphs:
            for i, piece in enumerate(pieces):
                if piece is first:
                    pieces[i] = Piece(piece.text, True, first=True)
    return paragraphs


@require_safe
@newsroom_required
def _snapshot_view(request: NewsroomRequest, source_id: int, archive_id: int) -> HttpResponse:
    """One snapshot of a source, rendered from its text with the excerpt highlighted."""
    source = get_source_for(request.user, source_id)
    archive = archive_of_source(source.pk, archive_id)
    if archive is None:
        raise Http404(f"Source {source.pk} has no snapshot {archive_id}.")
    found = archive.excerpt_state == "found"
    context = {
        "source": source,
        "archive": archive,
        "paragraphs": snapshot_paragraphs(
            archive.text,
            archive.excerpt_start if found else None,
            archive.excerpt_end if found else None,
        ),
        "others": [a for a in archives_of_source(source.pk) if a.pk != archive.pk],
        "claim_link": _claim_link(source),
    }
    return render(request, "annotations/source_snapshot.html", context)


#: The page with its own Content-Security-Policy (SNAPSHOT_CSP replaces the site's).
snapshot_view = csp_replace(SNAPSHOT_CSP)(_snapshot_view)


def _claim_link(source: Source) -> str:
    """The workspace of the (first live) claim that cites the source."""
    link = source.claim_sources.select_related("claim").filter(claim__deleted_at=None).first()
    if link is None:
        return ""
    return f"{reverse('article_detail', args=[link.claim.article_id])}?claim={link.claim_id}"
