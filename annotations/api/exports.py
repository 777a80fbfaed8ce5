"""CSV export of claims, streamed: `GET /api/v1/export/claims.csv`.

The lines come from one `COPY` (`selectors.exports.csv_lines`): PostgreSQL joins each
claim's sources and earlier checks and writes every cell by `presenters.csv`'s rules; the
lines are spooled, so memory stays flat whatever the number of claims, and Python only
passes the bytes on.
This view checks the filters before the first byte and streams the pieces as the server
can send them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIRequest
from django.http import StreamingHttpResponse
from django.utils import timezone
from rest_framework import generics

from annotations.api.errors import JSONErrorsMixin
from annotations.api.examples.exports import CSV_EXPORT_SCHEMA
from annotations.api.filters import ClaimFilter, filter_claims
from annotations.api.permissions import IsNewsroomMember
from annotations.api.renderers import CSVRenderer
from annotations.models import Claim
from annotations.presenters.csv import stream_csv
from annotations.replica import on_replica
from annotations.selectors.exports import claims_for_csv, csv_lines


def served_stream(request: Any, chunks: Iterator[bytes]) -> Iterator[bytes] | AsyncIterator[bytes]:
    """The chunks as the server can stream them.

    Under ASGI (`make serve` runs uvicorn workers) Django turns a sync iterator into a list
    before sending a byte — the whole export in memory, the first byte only at the end.
    There each chunk is pulled in the thread that ran the view (thread-sensitive, so the
    query runs on that thread's connection) and sent as it comes. Under WSGI, as is.
    """
    if not isinstance(getattr(request, "_request", request), ASGIRequest):
        return chunks
    pull = sync_to_async(lambda: next(chunks, None), thread_sensitive=True)

    async def stream() -> AsyncIterator[bytes]:
        while (chunk := await pull()) is not None:
            yield chunk

    return stream()


@CSV_EXPORT_SCHEMA
class ClaimCSVExport(JSONErrorsMixin, generics.GenericAPIView):
    permission_classes = [IsNewsroomMember]
    renderer_classes = [CSVRenderer]
    filterset_class = ClaimFilter
    pagination_class = None
    queryset = Claim.objects.none()  # for the schema; the rows come from claims_for_csv()

    def get(self, request):
        # Validate the filters now, so a bad value is a 400 and not a broken download.
        queryset = filter_claims(claims_for_csv(), request.query_params, request)
        response = StreamingHttpResponse(
            # Its queries run as it is sent: on the replica, if allowed (annotations/replica.py).
            served_stream(request, on_replica(request, stream_csv(csv_lines(queryset)))),
            content_type="text/csv; charset=utf-8",
        )
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="claims-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        return response
