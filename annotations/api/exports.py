"""CSV export of claims, streamed: `GET /api/v1/export/claims.csv`.

The rows come from one SQL query read through a server-side cursor
(`.iterator(chunk_size=…)`), with each claim's sources joined in SQL (`StringAgg`), so
memory stays flat whatever the number of claims. The file is RFC 4180 (the csv module,
CRLF line ends, quotes doubled), UTF-8 with a byte-order mark so spreadsheets read accents
and curly quotes, and every text cell that a spreadsheet would run as a formula
(starting with = + - @, tab or carriage return) is neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.postgres.aggregates import StringAgg
from django.core.exceptions import FieldDoesNotExist
from django.core.handlers.asgi import ASGIRequest
from django.db import models
from django.db.models import CharField, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Concat, NullIf
from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import generics

from annotations.api.errors import JSONErrorsMixin
from annotations.api.filters import ClaimFilter, filter_claims
from annotations.api.permissions import IsNewsroomMember
from annotations.api.renderers import CSVRenderer
from annotations.models import Claim, ClaimSource

#: Rows fetched from PostgreSQL per round trip of the server-side cursor.
CHUNK_SIZE = 2_000
#: Rows encoded per piece of the response (about 200 KB).
ROWS_PER_PIECE = 500

#: (header, value in the query below)
COLUMNS: list[tuple[str, str]] = [
    ("claim_id", "id"),
    ("article_id", "article_id"),
    ("article_headline", "article__title"),
    ("article_url", "article__url"),
    ("quote", "exact"),
    ("start", "start"),
    ("end", "end"),
    ("statement", "statement"),
    ("claimant", "claimant"),
    ("verdict", "verdict__label"),
    ("rating_value", "verdict__rating_value"),
    ("explanation", "explanation"),
    ("status", "status"),
    ("anchor_state", "anchor_state"),
    ("sources", "sources_joined"),
    ("created_by", "created_by__username"),
    ("reviewer", "reviewed_by__username"),
    ("created_at", "created_at"),
    ("updated_at", "updated_at"),
    ("submitted_at", "submitted_at"),
    ("reviewed_at", "reviewed_at"),
]
HEADER = [name for name, _ in COLUMNS]
SOURCE_SEPARATOR = " | "

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str | None) -> str | None:
    """Keep a spreadsheet from running a cell as a formula (OWASP CSV injection)."""
    return "'" + value if value and value.startswith(_FORMULA_START) else value


def _converters() -> list[Any]:
    """Per column, what a cell needs: text neutralised, times in the local zone as ISO 8601.

    Decided once per export from the model's fields, not per cell (numbers and None pass as
    they are: the csv module writes None as an empty cell).
    """
    zone = timezone.get_current_timezone()

    def moment(value: datetime | None) -> str | None:
        return value.astimezone(zone).isoformat() if value is not None else None

    converters: list[Any] = []
    for _, path in COLUMNS:
        field = _field_at(path)
        if isinstance(field, models.DateTimeField):
            converters.append(moment)
        elif field is None or isinstance(field, models.CharField | models.TextField):
            converters.append(neutralise)
        else:
            converters.append(None)
    return converters


def _field_at(path: str) -> models.Field | None:
    """The model field a COLUMNS value names (None for an annotation such as sources)."""
    model: Any = Claim
    field = None
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        model = field.related_model
    return field


def sources_joined() -> Subquery:
    """Each claim's sources as one cell: `stance: title <url>` joined by ` | `, in SQL."""
    text = CharField()
    url = NullIf(F("source__url"), Value(""), output_field=text)
    entry = Concat(
        F("stance"),
        Value(": "),
        F("source__title"),
        Coalesce(Concat(Value(" <"), url, Value(">"), output_field=text), Value("")),
        output_field=text,
    )
    return Subquery(
        ClaimSource.objects.filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(joined=StringAgg(entry, delimiter=SOURCE_SEPARATOR, order_by="id"))
        .values("joined")[:1],
        output_field=CharField(),
    )


def csv_rows(queryset: QuerySet[Claim]) -> Iterator[tuple]:
    """The export's rows (without header), from one query on a server-side cursor."""
    rows = (
        queryset.annotate(sources_joined=sources_joined())
        .order_by("id")
        .values_list(*[value for _, value in COLUMNS])
    )
    yield from rows.iterator(chunk_size=CHUNK_SIZE)


def stream_csv(rows: Iterable[tuple]) -> Iterator[bytes]:
    """Encode rows as RFC 4180 CSV, UTF-8 with BOM, in pieces of ROWS_PER_PIECE rows.

    The csv module writes a whole batch at once (`writerows`, in C) into a StringIO; only
    the cells that need it (text, times) go through Python per row.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(HEADER)
    convert = [(i, f) for i, f in enumerate(_converters()) if f is not None]
    batch: list[list[Any]] = []
    for row in rows:
        cells = list(row)
        for i, f in convert:
            cells[i] = f(cells[i])
        batch.append(cells)
        if len(batch) >= ROWS_PER_PIECE:
            writer.writerows(batch)
            batch.clear()
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    writer.writerows(batch)
    yield buffer.getvalue().encode("utf-8")


CSV_EXAMPLE = (
    "\ufeffclaim_id,article_id,article_headline,article_url,quote,start,end,statement,claimant,"
    "verdict,rating_value,explanation,status,anchor_state,sources,created_by,reviewer,"
    "created_at,updated_at,submitted_at,reviewed_at\r\n"
    "42,7,Video shows North Korean defector’s harrowing escape,https://example.org/a,"
    "hit at least five times,1234,1257,The soldier was hit at least five times.,UNC,"
    'Mostly true,5,"Records list six wounds, not five.",approved,anchored,'
    "supports: Hospital briefing <https://example.org/b>,ed,rev,"
    "2026-11-20T09:00:00+00:00,2026-11-20T12:00:00+00:00,2026-11-20T10:00:00+00:00,"
    "2026-11-20T12:00:00+00:00\r\n"
)


def served_stream(request: Any, chunks: Iterator[bytes]) -> Iterator[bytes] | AsyncIterator[bytes]:
    """The chunks as the server can stream them.

    Under ASGI (`make serve` runs uvicorn workers) Django turns a sync iterator into a list
    before sending a byte — the whole export in memory, the first byte only at the end.
    There each chunk is pulled in the thread that ran the view (thread-sensitive, so the
    database cursor stays with its connection) and sent as it comes. Under WSGI, as is.
    """
    if not isinstance(getattr(request, "_request", request), ASGIRequest):
        return chunks
    pull = sync_to_async(lambda: next(chunks, None), thread_sensitive=True)

    async def stream() -> AsyncIterator[bytes]:
        while (chunk := await pull()) is not None:
            yield chunk

    return stream()


@extend_schema(
    summary="Export claims as CSV",
    description=(
        "Every claim the filters of `/api/v1/claims/` select, one row each, oldest first, "
        "streamed. RFC 4180, UTF-8 with a byte-order mark; `sources` holds "
        "`stance: title <url>` entries joined by ` | `; a text cell starting with "
        "`=`, `+`, `-`, `@`, tab or CR gets a leading apostrophe so spreadsheets never run "
        "it as a formula. Unknown filter values answer 400 (JSON) before any row is sent."
    ),
    filters=True,
    responses={
        (200, "text/csv"): OpenApiResponse(
            response=OpenApiTypes.STR,
            description="The CSV file.",
            examples=[OpenApiExample("Two lines", value=CSV_EXAMPLE)],
        )
    },
)
class ClaimCSVExport(JSONErrorsMixin, generics.GenericAPIView):
    permission_classes = [IsNewsroomMember]
    renderer_classes = [CSVRenderer]
    filterset_class = ClaimFilter
    pagination_class = None
    queryset = Claim.objects.live()

    def get(self, request):
        # Validate the filters now, so a bad value is a 400 and not a broken download.
        queryset = filter_claims(self.get_queryset(), request.query_params)
        response = StreamingHttpResponse(
            served_stream(request, iter(stream_csv(csv_rows(queryset)))),
            content_type="text/csv; charset=utf-8",
        )
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="claims-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        return response
