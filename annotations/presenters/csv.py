"""Claims as CSV: the columns, the cell rules and the RFC 4180 encoding.

The file is RFC 4180 (CRLF line ends, quotes doubled), UTF-8 with a byte-order mark so
spreadsheets read accents and curly quotes, and every text cell that a spreadsheet would
run as a formula (starting with = + - @, tab or carriage return) is neutralised with a
leading apostrophe.

PostgreSQL writes the file: `cells_sql()` is the SQL that turns a claim's values into the
text of its cells (neutralised, times in the zone, '' as NULL), and `COPY … WITH (FORMAT
csv)` quotes them (`selectors.exports.csv_lines()`): byte for byte what Python's csv module
(QUOTE_MINIMAL, CRLF) wrote from the same values before (tests/api/test_exports_csv_identical.py
compares the two). Python adds the byte-order mark and the header, ends each line with CRLF
and passes the lines on. Writing each cell in Python cost ~7× PostgreSQL's own COPY of the
same rows, quoting them in SQL ~2× (issue 17). This module imports no django.db; it only
writes SQL text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

#: How a cell is written: text is neutralised and quoted when needed, times go to the
#: local zone as ISO 8601, numbers as they are; NULL is an empty cell. CHOICE is text the
#: database only holds from a fixed list (a check constraint), none of which needs
#: neutralising or quoting (a test checks the lists): written as it is, with no test per cell.
TEXT, TIME, PLAIN, CHOICE = "text", "time", "plain", "choice"

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
    ("status", "status", CHOICE),
    ("anchor_state", "anchor_state", CHOICE),
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

#: The first characters that make a spreadsheet run a cell (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CODES = ", ".join(str(ord(c)) for c in FORMULA_START)  # for SQL's ascii()

# The cells in SQL. `{v}` is a column reference, read several times: never an expression
# that costs something to evaluate (the selector computes every value once, in a subquery).
# COPY's CSV format quotes a value, its quotes doubled, when it holds a quote, the comma,
# CR or LF (what QUOTE_MINIMAL quotes with a CRLF line end), and writes NULL as an empty
# cell but '' as `""`: '' goes as NULL, as the csv module writes None and '' alike.
# Text: an apostrophe first when it starts like a formula.
_NEUTRALISE = "WHEN ascii({v}) IN (" + _FORMULA_CODES + ") THEN '''' || {v}"
_TEXT_CELL = "CASE " + _NEUTRALISE + " ELSE NULLIF({v}, '') END"
# A time as `isoformat()` writes it in the zone: microseconds only when not zero...
_LOCAL_TIME = (
    "to_char({v} AT TIME ZONE %s, CASE WHEN date_trunc('second', {v}) = {v}"
    " THEN 'YYYY-MM-DD\"T\"HH24:MI:SS' ELSE 'YYYY-MM-DD\"T\"HH24:MI:SS.US' END)"
)
# ...then the zone's offset at that time: ±HH:MM, and :SS when not whole minutes (the
# local mean times of zones before 1900).
_OFFSET = "(({v} AT TIME ZONE %s) - ({v} AT TIME ZONE 'UTC'))"
_ZONE_OFFSET = (
    f"CASE WHEN {_OFFSET} < interval '0' THEN '-' ELSE '+' END"
    f" || to_char(greatest({_OFFSET}, -{_OFFSET}), 'HH24:MI')"
    f" || CASE WHEN date_trunc('minute', {_OFFSET}) = {_OFFSET} THEN ''"
    f" ELSE to_char(greatest({_OFFSET}, -{_OFFSET}), ':SS') END"
)
#: Zones whose offset is always +00:00: no offset arithmetic per cell.
UTC_ZONES = frozenset({"UTC", "Etc/UTC", "Etc/Universal", "Etc/Zulu", "Universal", "Zulu"})


def _time_cell(column: str, zone: str) -> tuple[str, list[str]]:
    local = _LOCAL_TIME.format(v=column)
    offset = "'+00:00'" if zone in UTC_ZONES else _ZONE_OFFSET.format(v=column)
    sql = f"{local} || {offset}"  # NULL stays NULL: an empty cell
    return sql, [zone] * sql.count("%s")


def cells_sql(columns: Sequence[str], zone: str) -> tuple[str, list[str]]:
    """A SELECT list of a claim's cells for `COPY … WITH (FORMAT csv)`, and its parameters.
    `columns` refer to the values of COLUMNS, in order; times are written in `zone` (an
    IANA name); numbers and choices go as they are (COPY writes them as `::text` does)."""
    cells: list[str] = []
    params: list[str] = []
    for column, (_, _, kind) in zip(columns, COLUMNS, strict=True):
        if kind == TEXT:
            cells.append(_TEXT_CELL.format(v=column))
        elif kind == TIME:
            sql, zone_params = _time_cell(column, zone)
            cells.append(sql)
            params += zone_params
        else:
            cells.append(column)
    return ", ".join(cells), params


def _header() -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer, lineterminator="\r\n").writerow(HEADER)
    return buffer.getvalue().encode("utf-8")


def stream_csv(lines: Iterable[bytes]) -> Iterator[bytes]:
    """The file: the byte-order mark and the header, then the claims' lines as they come
    (pieces of finished UTF-8 lines from `selectors.exports.csv_lines`)."""
    yield _header()
    yield from lines


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
