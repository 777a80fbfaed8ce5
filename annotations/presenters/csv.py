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

from django.utils import timezone

#: Rows encoded per piece of the response (about 200 KB).
ROWS_PER_PIECE = 500

#: How a cell is written: text is neutralised, times go to the local zone as ISO 8601,
#: numbers pass as they are (the csv module writes None as an empty cell).
TEXT, TIME, PLAIN = "text", "time", "plain"

#: (header, the claim's value it shows: a field path, or the selector's `sources_joined` or
#: `checked_before`, and how its cell is written)
COLUMNS: list[tuple[str, str, str]] = [
    ("claim_id", "id", PLAIN),
    ("article_id", "article_id", PLAIN),
    ("article_headline", "article__title", TEXT),
    ("article_url", "article__url", TEXT),
    ("quote", "exact", TEXT),
    ("start", "start", PLAIN),
    ("end", "end", PLAIN),
    ("statement", "statement", TEXT),
    ("claimant", "claimant", TEXT),
    ("verdict", "verdict__label", TEXT),
    ("rating_value", "verdict__rating_value", PLAIN),
    ("explanation", "explanation", TEXT),
    ("status", "status", TEXT),
    ("anchor_state", "anchor_state", TEXT),
    ("sources", "sources_joined", TEXT),
    # The URLs of the earlier checks people confirmed the claim repeats, joined by " | ".
    ("checked_before", "checked_before", TEXT),
    ("created_by", "created_by__username", TEXT),
    ("reviewer", "reviewed_by__username", TEXT),
    ("created_at", "created_at", TIME),
    ("updated_at", "updated_at", TIME),
    ("submitted_at", "submitted_at", TIME),
    ("reviewed_at", "reviewed_at", TIME),
]
HEADER = [name for name, _, _ in COLUMNS]
#: What the selector reads for each column, in column order.
VALUES = [value for _, value, _ in COLUMNS]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Converter = Callable[[Any], Any]


def neutralise(value: str | None) -> str | None:
    """Keep a spreadsheet from running a cell as a formula (OWASP CSV injection)."""
    return "'" + value if value and value.startswith(_FORMULA_START) else value


def _converters() -> list[Converter | None]:
    """Per column, what its cells need, decided once per export, not per cell."""
    zone = timezone.get_current_timezone()

    def moment(value: datetime | None) -> str | None:
        return value.astimezone(zone).isoformat() if value is not None else None

    rules: dict[str, Converter] = {TEXT: neutralise, TIME: moment}
    return [rules.get(kind) for _, _, kind in COLUMNS]


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


#: The dashboard's per-day table as CSV: one row per local day of the period.
DAYS_HEADER = ["day", "created", "submitted", "approved"]


def days_csv(rows: Iterable[tuple[Any, int, int, int]]) -> bytes:
    """(day, created, submitted, approved) rows as the claims CSV is written: RFC 4180,
    UTF-8 with a byte-order mark; days as ISO 8601 dates. Small (at most a row a day)."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(DAYS_HEADER)
    writer.writerows((day.isoformat(), *counts) for day, *counts in rows)
    return buffer.getvalue().encode("utf-8")
