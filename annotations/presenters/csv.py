"""Claims as CSV: the columns, the cell rules and the RFC 4180 encoding.

The file is RFC 4180 (the csv module, CRLF line ends, quotes doubled), UTF-8 with a
byte-order mark so spreadsheets read accents and curly quotes, and every text cell that a
spreadsheet would run as a formula (starting with = + - @, tab or carriage return) is
neutralised with a leading apostrophe. Rows come from `selectors.exports.csv_rows()`,
which selects `VALUES` in this order.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone

from annotations.models import Claim

#: Rows encoded per piece of the response (about 200 KB).
ROWS_PER_PIECE = 500

#: (header, the claim's value it shows: a field path, or the selector's `sources_joined`)
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
#: What the selector reads for each column, in column order.
VALUES = [value for _, value in COLUMNS]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Converter = Callable[[Any], Any]


def neutralise(value: str | None) -> str | None:
    """Keep a spreadsheet from running a cell as a formula (OWASP CSV injection)."""
    return "'" + value if value and value.startswith(_FORMULA_START) else value


def _converters() -> list[Converter | None]:
    """Per column, what a cell needs: text neutralised, times in the local zone as ISO 8601.

    Decided once per export from the model's fields, not per cell (numbers and None pass as
    they are: the csv module writes None as an empty cell).
    """
    zone = timezone.get_current_timezone()

    def moment(value: datetime | None) -> str | None:
        return value.astimezone(zone).isoformat() if value is not None else None

    converters: list[Converter | None] = []
    for _, path in COLUMNS:
        field = _field_at(path)
        if isinstance(field, models.DateTimeField):
            converters.append(moment)
        elif field is None or isinstance(field, models.CharField | models.TextField):
            converters.append(neutralise)
        else:
            converters.append(None)
    return converters


def _field_at(path: str) -> Any:
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


def stream_csv(rows: Iterable[tuple[Any, ...]]) -> Iterator[bytes]:
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
