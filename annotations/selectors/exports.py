"""Reads for the exports: W3C annotations, ClaimReview (API and public page) and CSV.

Each selector fetches exactly what its presenter (`annotations.presenters`) reads, in a
fixed number of queries whatever the number of claims; the API's filters
(`api.filters.filter_claims`) narrow these querysets, they never start their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar, cast

import psycopg2.extensions
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
from annotations.presenters.csv import VALUES, line_sql
from annotations.site import public_base_url

#: CSV lines fetched from PostgreSQL per round trip of the server-side cursor, and sent
#: as one piece of the response (about 1.4 MB).
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
    """The claims' CSV lines in id order, written by PostgreSQL, in pieces of CHUNK_SIZE
    finished UTF-8 lines.

    One query: the inner one selects each column's value once (the claims with their
    article, verdict and people, their sources and confirmed earlier checks joined in SQL);
    the outer one writes each value as its cell (`presenters.csv.line_sql`, in the current
    time zone) and joins them into a line. It is read through a server-side cursor, so
    memory stays flat whatever the number of claims, and the lines come as bytes, never as
    Python strings or values: Python's cost per claim is one item of a join.
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
    line, line_params = line_sql([f"c.{name}" for name in names], _zone_name())
    # The inner ORDER BY keeps PostgreSQL from flattening the subquery into the outer one
    # (which would evaluate the sources' and checks' subqueries once per mention).
    sql = f"SELECT {line} FROM ({inner}) AS c"
    with _lines_cursor(connections[alias], sql, [*line_params, *inner_params]) as cursor:
        while rows := cursor.fetchmany(CHUNK_SIZE):
            yield b"".join([row[0] for row in rows])


#: `cursor_tuple_fraction` for the export's cursor: plan for every row.
WHOLE = 1.0


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


def _lines_cursor(connection: BaseDatabaseWrapper, sql: str, params: list[Any]) -> Any:
    """A cursor that ran `sql` with JIT off, its text columns read as bytes.

    No JIT: compiling the plan's expressions cost more (1–2 s) than running them for
    100,000 claims. A plan for all the rows, not the first tenth (a cursor's default
    `cursor_tuple_fraction`): WITH HOLD runs the query to its end before the first FETCH.
    A plan keeps the settings it was made with. A server-side cursor (its
    DECLARE … WITH HOLD holds the rows for the FETCHes), unless the alias disables them
    (PgBouncer in transaction mode, settings.py): then psycopg2 fetches every row at once,
    in a transaction whose SET LOCAL cannot reach another client's server connection.
    """
    server_side = not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    cursor = connection.chunked_cursor() if server_side else connection.cursor()
    # Text comes back as the bytes PostgreSQL sent (UTF-8): nothing decoded to encode again.
    psycopg2.extensions.register_type(psycopg2.extensions.BYTES, cursor.cursor)
    try:
        if not server_side:
            with transaction.atomic(using=connection.alias):
                cursor.execute("SET LOCAL jit = off")  # no cursor: fetched whole anyway
                cursor.execute(sql, params)
            return cursor
        with connection.cursor() as setting:
            setting.execute(f"SET jit = off; SET cursor_tuple_fraction = {WHOLE}")
            try:
                cursor.execute(sql, params)
            finally:
                setting.execute("RESET jit; RESET cursor_tuple_fraction")
    except BaseException:
        cursor.close()
        raise
    return cursor
