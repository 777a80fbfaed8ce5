"""Reads for the exports: W3C annotations, ClaimReview (API and public page) and CSV.

Each selector fetches exactly what its presenter (`annotations.presenters`) reads, in a
fixed number of queries whatever the number of claims; the API's filters
(`api.filters.filter_claims`) narrow these querysets, they never start their own.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar, cast

from django.contrib.auth import get_user_model
from django.contrib.postgres.aggregates import StringAgg
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, NullIf
from django.utils import timezone
from django_stubs_ext import WithAnnotations

from annotations.models import Claim, ClaimSource, ClaimStatus, Verdict
from annotations.presenters.claimreview import LATER_APPEARANCES
from annotations.presenters.csv import VALUES, cells_sql
from annotations.site import public_base_url

#: CSV lines sent as one piece of the response (about 1 MB).
CHUNK_SIZE = 2_000
#: Between two sources in the CSV's `sources` cell.
SOURCE_SEPARATOR = " | "
#: The CSV's `checked_before` cell: the URLs of the claim's confirmed earlier checks.
CHECKED_BEFORE = "checked_before"
#: Between two earlier checks' URLs in that cell, as between two sources.
CHECKED_BEFORE_SEPARATOR = SOURCE_SEPARATOR


# --- W3C annotations ----------------------------------------------------------------------


class _AnnotationColumns(TypedDict):
    article_url: str
    verdict_label: str | None
    creator_name: str


#: A claim as `claims_for_annotations()` selects it (what `presenters.w3c` reads). At run
#: time a Claim: WithAnnotations takes its TypedDict only for the type checker.
if TYPE_CHECKING:
    AnnotationRow = WithAnnotations[Claim, _AnnotationColumns]
else:
    AnnotationRow = Claim


def claims_for_annotations() -> QuerySet[AnnotationRow]:
    """Live claims with what an Annotation shows of their article, verdict and creator.

    Annotated columns, not `select_related` models: a page of 200 builds 200 model
    instances, not 800 (their sources come from `sources_by_claim`, one query).
    """
    claims = Claim.objects.live().annotate(
        article_url=F("article__url"),
        verdict_label=F("verdict__label"),
        creator_name=F(f"created_by__{get_user_model().USERNAME_FIELD}"),
    )
    return cast("QuerySet[AnnotationRow]", claims)  # the plugin types F() columns as Any


def sources_by_claim(claim_ids: Sequence[int]) -> dict[int, list[tuple[str, str, str]]]:
    """Each claim's sources as (url, title, stance), oldest link first: one query for a page."""
    found: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    links = (
        ClaimSource.objects.filter(claim_id__in=claim_ids)
        .order_by("id")
        .values_list("claim_id", "source__url", "source__title", "stance")
    )
    for claim_id, url, title, stance in links:
        found[claim_id].append((url, title, stance))
    return found


def claims_summary(claims: QuerySet[Claim]) -> tuple[int, datetime | None]:
    """How many claims there are and when the last one changed: one aggregate query."""
    stats = claims.order_by().aggregate(total=Count("id"), modified=Max("updated_at"))
    return stats["total"], stats["modified"]


def claims_total(claims: QuerySet[Claim]) -> int:
    return claims.order_by().count()


C = TypeVar("C", bound=Claim)


@dataclass(frozen=True)
class KeysetPage(Generic[C]):
    """One page of a keyset walk: its claims in id order, the index of the first, and
    whether pages exist before and after it."""

    rows: list[C]
    start: int
    has_prev: bool
    has_next: bool


def claims_keyset_page(
    claims: QuerySet[C],
    *,
    direction: str,
    key: int | None,
    index: int,
    size: int,
    total: int,
) -> KeysetPage[C]:
    """A page of `size` claims by keyset on the id: one index range scan however deep.

    `direction` "first" and "last" are the ends ("last" cut so that its boundaries are
    those of a walk from "first"); "after" / "before" the claims after or before `key`,
    whose page starts at `index` of `total`. One row beyond the page says whether more
    follow.
    """
    forward = claims.order_by("id")
    backward = claims.order_by("-id")
    if direction == "first":
        rows = list(forward[: size + 1])
        return KeysetPage(rows[:size], 0, False, len(rows) > size)
    if direction == "after":
        rows = list(forward.filter(id__gt=key)[: size + 1])
        return KeysetPage(rows[:size], index, bool(rows), len(rows) > size)
    if direction == "last":
        size = total % size or size  # the tail a walk from `first` ends with
        rows = list(backward[: size + 1])
        tail = rows[:size][::-1]
        return KeysetPage(tail, max(0, total - len(tail)), len(rows) > size, False)
    rows = list(backward.filter(id__lt=key)[: size + 1])  # "before"
    more = len(rows) > size
    return KeysetPage(rows[:size][::-1], index if more else 0, more, bool(rows))


# --- ClaimReview --------------------------------------------------------------------------


def claims_for_claimreview() -> QuerySet[Claim]:
    """Claims whose check is public: approved ones, and approved ones a new revision sent
    back to review (they keep the check a reviewer approved until a reviewer decides)."""
    return (
        Claim.objects.live()
        .filter(Q(status=ClaimStatus.APPROVED) | Q(published_check__isnull=False))
        .select_related("article", "verdict")
    )


def with_later_appearances(claims: Sequence[C]) -> list[C]:
    """Our published claims, each carrying the later claims confirmed to repeat it (their
    articles are more `appearance`s of the claim in its ClaimReview): one query for them all.

    Set as an attribute, as `prefetch_related(to_attr=...)` would, so that the presenter
    and every page that shows a check read it the same way."""
    # selectors.matches builds on this module (claims_for_claimreview): imported here.
    from annotations.selectors.matches import later_appearances

    found = later_appearances([claim.pk for claim in claims])
    for claim in claims:
        setattr(claim, LATER_APPEARANCES, found.get(claim.pk, []))
    return list(claims)


def claims_for_public_page(article_id: int) -> list[Claim]:
    """An article's published claims in reading order, each with its sources and its later
    appearances (three queries)."""
    return with_later_appearances(
        list(
            claims_for_claimreview()
            .filter(article_id=article_id)
            .prefetch_related(
                Prefetch(
                    "claim_sources",
                    queryset=ClaimSource.objects.select_related("source").order_by("id"),
                )
            )
            .order_by("start", "id")
        )
    )


def verdict_rating_scale() -> tuple[int, int]:
    """The ends of the newsroom's rating scale (best, worst), verdicts rated 0 left out;
    (1, 1) before any verdict is rated."""
    scale = Verdict.objects.filter(rating_value__gt=0).aggregate(
        best=Max("rating_value"), worst=Min("rating_value")
    )
    return scale["best"] or 1, scale["worst"] or 1


# --- CSV ----------------------------------------------------------------------------------


def claims_for_csv() -> QuerySet[Claim]:
    """The claims a CSV export may hold (the API's filters narrow them): the live ones."""
    return Claim.objects.live()


def sources_joined() -> Subquery:
    """Each claim's sources as one cell: `stance: title <url>` joined by ` | `, in SQL."""
    text: CharField[str, str] = CharField()
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


#: Stand-ins for an article id and a claim id, to cut our check's address in pieces.
_ARTICLE_ID, _CLAIM_ID = 918_273_645, 546_372_819


def checked_before_joined() -> Subquery:
    """Each claim's confirmed earlier checks as one cell, in SQL: their URLs, oldest answer
    first, joined by ` | ` (`selectors.matches.confirmed_matches` reads the same answers
    for the JSON; the address of one of our checks is `our_check_url`'s)."""
    # selectors.matches builds on this module (claims_for_claimreview): imported here.
    from annotations.selectors.matches import confirmed_same, our_check_url

    example = our_check_url(_ARTICLE_ID, _CLAIM_ID, public_base_url())
    before, rest = example.split(str(_ARTICLE_ID))
    between, after = rest.split(str(_CLAIM_ID))
    text: CharField[str, str] = CharField()
    ours = Concat(
        Value(before),
        Cast("earlier_claim__article_id", text),
        Value(between),
        Cast("earlier_claim_id", text),
        Value(after),
        output_field=text,
    )
    url = Case(When(known_check__isnull=False, then=F("known_check__url")), default=ours)
    return Subquery(
        confirmed_same()
        .filter(claim=OuterRef("pk"))
        .order_by()
        .values("claim")
        .annotate(
            joined=StringAgg(url, delimiter=CHECKED_BEFORE_SEPARATOR, order_by=("decided_at", "id"))
        )
        .values("joined")[:1],
        output_field=CharField(),
    )


def csv_lines(claims: QuerySet[Claim]) -> Iterator[bytes]:
    """The claims' CSV lines in id order, written by PostgreSQL's COPY, in pieces of
    CHUNK_SIZE finished UTF-8 lines.

    One statement: the inner query selects each column's value once (the claims with their
    article, verdict and people, their sources and confirmed earlier checks joined in SQL);
    the outer one turns each value into the text of its cell (`presenters.csv.cells_sql`, in
    the current time zone), and COPY's CSV format quotes the cells and joins them into
    lines, in C. Its rows go to a spooled file (`_CopiedLines`: memory stays flat whatever
    the number of claims, as the server-side cursor before it) and are read back once the
    COPY has ended: the first byte comes when PostgreSQL has written the last line, as it
    did from the cursor (a WITH HOLD cursor ran its query to the end at DECLARE too). The
    lines come as bytes, never as Python strings or values.
    """
    names = [f"c{i}" for i in range(len(VALUES))]
    special = {"sources_joined": sources_joined, CHECKED_BEFORE: checked_before_joined}
    values = (
        claims.annotate(
            **{
                name: special[value]() if value in special else F(value)
                for name, value in zip(names, VALUES, strict=True)
            }
        )
        .order_by("id")
        .values_list(*names)
    )
    alias = values.db  # here, as the rows are read: the replica, when on_replica allows it
    inner, inner_params = values.query.get_compiler(using=alias).as_sql()
    cells, cell_params = cells_sql([f"c.{name}" for name in names], _zone_name())
    # The inner ORDER BY keeps PostgreSQL from flattening the subquery into the outer one
    # (which would evaluate the sources' and checks' subqueries once per mention).
    sql = f"SELECT {cells} FROM ({inner}) AS c"
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as spool:
        lines = _CopiedLines(spool)
        _copy_csv(connections[alias], sql, [*cell_params, *inner_params], lines)
        lines.flush()
        spool.seek(0)
        for size in lines.piece_sizes:
            yield spool.read(size)


#: Bytes of finished lines held in memory before the spooled file goes to disk.
SPOOL_IN_MEMORY = 2 * 1024 * 1024


class _CopiedLines:
    """Where COPY writes: one whole row per `write` (libpq hands COPY data over one data
    row at a time, and psycopg2 calls `write` with each), its LF line end made the CRLF the
    file promises. An LF inside a quoted cell is not a line end and stays as it is, as the
    csv module wrote it. Every CHUNK_SIZE lines go to the spool as one piece."""

    def __init__(self, spool: Any) -> None:
        self.spool = spool
        self.rows: list[bytes] = []
        self.piece_sizes: list[int] = []

    def write(self, row: bytes) -> None:
        if not row.endswith(b"\n"):  # never a line cut in two: no file rather than a wrong one
            raise ValueError("COPY sent part of a row; the CSV would be broken.")
        self.rows.append(row)
        if len(self.rows) >= CHUNK_SIZE:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            piece = b"\r\n".join([row[:-1] for row in self.rows]) + b"\r\n"
            self.spool.write(piece)
            self.piece_sizes.append(len(piece))
            self.rows = []


def _zone_name() -> str:
    """The current time zone's IANA name, for PostgreSQL's AT TIME ZONE."""
    zone = timezone.get_current_timezone()
    name = getattr(zone, "key", None)  # a ZoneInfo: what TIME_ZONE and activate() give
    if name is None:
        if zone.utcoffset(None) != timedelta(0):
            # PostgreSQL reads "UTC+05:00" the POSIX way round (five hours west).
            raise ValueError(f"The CSV needs a time zone with an IANA name, not {zone}.")
        name = "UTC"  # datetime.timezone.utc
    return name


def _copy_csv(
    connection: BaseDatabaseWrapper, sql: str, params: list[Any], lines: _CopiedLines
) -> None:
    """`COPY (sql) TO STDOUT WITH (FORMAT csv)` into `lines`, with JIT off.

    No JIT: compiling the plan's expressions cost more (1–2 s) than running them for
    100,000 claims. `SET LOCAL` in a transaction of its own around the one statement, which
    is rolled back (the export writes nothing): the setting never outlives it, not even
    inside a caller's transaction (releasing a savepoint would keep it) or behind PgBouncer
    in transaction mode (where server-side cursors are disabled; COPY needs none). COPY
    takes no bind parameters: the values are quoted by psycopg2, as it quotes them for any
    statement. The statement is logged as Django logs its own (`connection.queries`, the
    query-count tests).
    """
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        copy = f"COPY ({cursor.cursor.mogrify(sql, params).decode()}) TO STDOUT WITH (FORMAT csv)"
        debug_sql = getattr(cursor, "debug_sql", None)  # Django's debug cursor logs queries
        with debug_sql(copy) if debug_sql else nullcontext(), connection.wrap_database_errors:
            cursor.cursor.copy_expert(copy, lines)
        transaction.set_rollback(True, using=connection.alias)
