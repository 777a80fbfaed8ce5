""" "Checked before?": the earlier checks a claim or a text matches, best first (issue 13).

The candidates are every known check (other fact-checkers' ClaimReviews) and our own
published checks (`claims_for_claimreview()`: approved, or kept while under re-review). They
are ranked by `annotations.matching.MatchIndex` (BM25 and e5 vectors, fused), held in
memory once per process: 10,000 checks are about 15 MB of vectors and a second to index.

Keeping it current costs one query per search: a signature of the candidates (counts,
last change, vectors filled). A change of words (an import, an approval, a reopening, a
withdrawal, a re-review) rebuilds the index before the search that notices it; vectors
filled by `services.matching.embeddings_fill` (outside requests) are reloaded at most
every `VECTOR_RELOAD_SECONDS`, so a long fill does not reload on every search. Searches
wait for a rebuild in progress rather than build twice.

A match means the same topic, not agreement: the earlier verdict is shown as it was given.
Nothing here links anything; `services.matching.match_decide` records a person's answer.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse

from annotations.matching import MODEL_VERSION, Hit, MatchIndex, from_bytes, query_text
from annotations.matching.evaluation import passage_text
from annotations.models import (
    Claim,
    ClaimMatch,
    ClaimVector,
    KnownCheck,
    MatchDecision,
)
from annotations.presenters.claimreview import published_check
from annotations.selectors.exports import claims_for_claimreview
from annotations.selectors.prepared import PreparedRead
from annotations.services.claims import statement_default
from annotations.site import public_base_url

__all__ = [
    "KNOWN_CHECK",
    "OUR_CHECK",
    "Appearance",
    "Confirmed",
    "Match",
    "claim_passage",
    "claim_query",
    "confirmed_matches",
    "index_reset",
    "later_appearances",
    "matches_for_claim",
    "matches_for_text",
    "passage_sha256",
]

KNOWN_CHECK = "known_check"
OUR_CHECK = "our_check"
#: Shown per claim or text.
TOP = 5
#: A search filtered by language reads this deep before filtering.
FILTER_DEPTH = 50
#: Vectors filled while the index is in use are picked up at most this often.
VECTOR_RELOAD_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Match:
    """One earlier check, as "Checked before?" shows it."""

    kind: str  # KNOWN_CHECK or OUR_CHECK
    id: int  # the known check's id, or our claim's id
    score: float
    claim_reviewed: str
    claimant: str
    #: The earlier verdict in its publisher's words ("Mostly false", "Pants on fire").
    rating_text: str
    publisher: str
    date: date | None
    url: str
    language: str
    #: The person's answer for the claim searched from, if any (MatchDecision value).
    decision: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    #: For our own checks: the article it was published in.
    article_title: str = ""

    @property
    def key(self) -> str:
        """ "known_check:12" or "our_check:34": one name for either kind."""
        return f"{self.kind}:{self.id}"


# --- The text of a claim ---------------------------------------------------------------------


def claim_query(claim: Claim) -> str:
    """A claim's query: statement, the sentence around its quote, claimant (not the bare
    quote: "hit at least five times" alone is too short to match anything)."""
    sentence = statement_default(claim.revision.text, claim.start, claim.end)
    return query_text(claim.statement or claim.exact, sentence, claim.claimant)


def claim_passage(statement: str, claimant: str) -> str:
    """How one of our published checks is indexed, like a known check's claim + headline."""
    return passage_text(statement, claimant)


def passage_sha256(text: str) -> str:
    return hashlib.sha256(f"{MODEL_VERSION}\n{text}".encode()).hexdigest()


# --- The index, once per process ---------------------------------------------------------------


@dataclass
class _Built:
    index: MatchIndex
    keys: list[tuple[str, int]]
    words: tuple[Any, ...]
    vectors: tuple[Any, ...]
    vectors_loaded_at: float


_lock = threading.Lock()
_built: _Built | None = None


def index_reset() -> None:
    """Forget the in-memory index (tests, and after a bulk change made outside the app)."""
    global _built
    with _lock:
        _built = None


def _signature() -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """(words, vectors): what the candidates are and say, and how many vectors they have.

    One query, reading each table once: a search pays for this on every call, and the
    known checks' heap is large (their vectors are stored inline), so three aggregates in
    one scan cost a third of three scans.
    """
    published = claims_for_claimreview().order_by().values("id", "updated_at")
    published_sql, params = published.query.sql_with_params()
    known = KnownCheck._meta.db_table
    vectors = ClaimVector._meta.db_table
    sql = f"""
        SELECT k.n, k.updated, k.top, p.n, p.updated, p.ids, k.vectors, v.n, v.computed
        FROM (SELECT count(*) AS n, max(updated_at) AS updated, max(id) AS top,
                     count(embedding) AS vectors
              FROM {known}) AS k,
             (SELECT count(*) AS n, max(updated_at) AS updated, sum(id) AS ids
              FROM ({published_sql}) AS published) AS p,
             (SELECT count(*) AS n, max(computed_at) AS computed FROM {vectors}) AS v
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return tuple(row[:6]), tuple(row[6:])


def _published_rows() -> list[tuple[int, str, bytes | None]]:
    """(claim id, passage, vector or None when missing or stale) for our published checks."""
    claims = list(claims_for_claimreview().select_related("match_vector"))
    rows = []
    for claim in claims:
        check = published_check(claim)
        text = claim_passage(check.statement or check.exact, check.claimant)
        vector = getattr(claim, "match_vector", None)
        fresh = (
            vector is not None
            and vector.model == MODEL_VERSION
            and vector.text_sha256 == passage_sha256(text)
        )
        rows.append((claim.pk, text, bytes(vector.vector) if fresh and vector else None))
    return rows


def _load_vectors(keys: Sequence[tuple[str, int]]) -> np.ndarray | None:
    """The candidates' vectors in index order; zeros where one is missing (it then ranks
    by its words only). None when no candidate has one: the search needs no model."""
    position = {key: row for row, key in enumerate(keys)}
    matrix = np.zeros((len(keys), 384), dtype=np.float32)
    found = 0
    known = KnownCheck.objects.filter(embedding__isnull=False, embedding_model=MODEL_VERSION)
    for pk, data in known.values_list("id", "embedding").iterator(chunk_size=2000):
        row = position.get((KNOWN_CHECK, pk))
        if row is not None and data is not None:
            matrix[row] = from_bytes(bytes(data))
            found += 1
    for pk, _text, data in _published_rows():
        row = position.get((OUR_CHECK, pk))
        if row is not None and data is not None:
            matrix[row] = from_bytes(data)
            found += 1
    return matrix if found else None


def _build(words: tuple[Any, ...], vectors: tuple[Any, ...]) -> _Built:
    docs: list[tuple[int, str]] = []
    keys: list[tuple[str, int]] = []
    for pk, claim_reviewed, title in KnownCheck.objects.order_by("id").values_list(
        "id", "claim_reviewed", "title"
    ):
        keys.append((KNOWN_CHECK, pk))
        docs.append((len(docs), passage_text(claim_reviewed, title)))
    for pk, text, _vector in _published_rows():
        keys.append((OUR_CHECK, pk))
        docs.append((len(docs), text))
    matrix = _load_vectors(keys) if vectors[0] or vectors[1] else None
    return _Built(MatchIndex.build(docs, matrix), keys, words, vectors, time.monotonic())


def _current() -> _Built:
    global _built
    words, vectors = _signature()
    with _lock:
        built = _built
        if built is None or built.words != words:
            built = _build(words, vectors)
        elif built.vectors != vectors and (
            built.index.embeddings is None
            or time.monotonic() - built.vectors_loaded_at >= VECTOR_RELOAD_SECONDS
        ):
            matrix = _load_vectors(built.keys)
            built = _Built(
                MatchIndex(built.index.ids, built.index._bm25, matrix),
                built.keys,
                words,
                vectors,
                time.monotonic(),
            )
        _built = built
    return built


# --- Searching --------------------------------------------------------------------------------


#: Computes query vectors beside the signature check (the engine's C code and psycopg2 both
#: release the GIL), so a search costs the slower of the two, not their sum.
_query_vectors = ThreadPoolExecutor(max_workers=1, thread_name_prefix="match-query-vector")


def _hits(text: str, *, depth: int) -> tuple[_Built, list[Hit]]:
    from annotations.matching import embed_query

    last = _built
    early: Future[np.ndarray] | None = None
    if last is not None and last.index.embeddings is not None:
        early = _query_vectors.submit(embed_query, text)
    built = _current()
    query_vector = None
    if built.index.embeddings is not None:
        query_vector = early.result() if early is not None else embed_query(text)
    hits = built.index.search(text, k=depth, query_embedding=query_vector)
    return built, hits


def _language_matches(wanted: str, language: str) -> bool:
    if not wanted or not language:
        return True  # unknown language: kept, a person reads it
    return wanted.split("-")[0].casefold() == language.split("-")[0].casefold()


def _details(
    ranked: Iterable[tuple[str, int, float]], *, language: str, k: int, exclude: int | None
) -> list[Match]:
    """The rows behind the ranked keys, in rank order (two queries at most)."""
    ranked = [item for item in ranked if not (item[0] == OUR_CHECK and item[1] == exclude)]
    known_ids = [pk for kind, pk, _ in ranked if kind == KNOWN_CHECK]
    our_ids = [pk for kind, pk, _ in ranked if kind == OUR_CHECK]
    known = KnownCheck.objects.defer("embedding").in_bulk(known_ids) if known_ids else {}
    ours = claims_for_claimreview().in_bulk(our_ids) if our_ids else {}
    base = public_base_url()
    matches: list[Match] = []
    for kind, pk, score in ranked:
        if kind == KNOWN_CHECK and pk in known:
            check = known[pk]
            if not _language_matches(language, check.language):
                continue
            matches.append(Match(score=score, claimant=check.claimant, **_known_fields(check)))
        elif kind == OUR_CHECK and pk in ours:
            claim = ours[pk]
            matches.append(
                Match(
                    score=score,
                    claimant=published_check(claim).claimant,
                    article_title=claim.article.title,
                    **_our_fields(claim, base),
                )
            )
        if len(matches) == k:
            break
    return matches


def _newsroom() -> str:
    from django.conf import settings

    return str(settings.FACTCHECK_NEWSROOM_NAME)


def _known_fields(check: KnownCheck) -> dict[str, Any]:
    """What a match and a confirmed match say of another fact-checker's check."""
    return {
        "kind": KNOWN_CHECK,
        "id": check.pk,
        "url": check.url,
        "claim_reviewed": check.claim_reviewed,
        "rating_text": check.rating_text,
        "publisher": check.publisher_name,
        "date": check.review_date,
        "language": check.language,
    }


def _our_fields(claim: Claim, base: str) -> dict[str, Any]:
    """The same for one of our published checks: its published words, on its public page."""
    check = published_check(claim)
    reviewed = check.reviewed_at
    return {
        "kind": OUR_CHECK,
        "id": claim.pk,
        "url": our_check_url(claim.article_id, claim.pk, base),
        "claim_reviewed": check.statement or check.exact,
        "rating_text": check.verdict.label if check.verdict else "",
        "publisher": _newsroom(),
        "date": reviewed.date() if reviewed else None,
        "language": "",
    }


def matches_for_text(text: str, *, language: str = "", k: int = TOP) -> list[Match]:
    """The top k earlier checks for a text (a CMS asking about a sentence). `language`
    ("es", "pt-BR") keeps known checks in that language, and those of unknown language."""
    text = (text or "").strip()
    if not text:
        return []
    built, hits = _hits(text, depth=FILTER_DEPTH if language else k)
    ranked = [(*built.keys[hit.id], hit.score) for hit in hits]
    return _details(ranked, language=language, k=k, exclude=None)


def matches_for_claim(claim: Claim, *, k: int = TOP) -> list[Match]:
    """The top k earlier checks for one of our claims, each with the answer recorded for
    it (Same claim / Not the same), if any. The claim itself is never its own match; a
    check someone confirmed stays listed even when it falls out of the top k."""
    built, hits = _hits(claim_query(claim), depth=k + 1)
    ranked = [(*built.keys[hit.id], hit.score) for hit in hits]
    answers = {
        _answer_key(answer): answer
        for answer in ClaimMatch.objects.filter(claim=claim).select_related("decided_by")
    }
    confirmed = [key for key, a in answers.items() if a.decision == MatchDecision.SAME]
    listed = {(kind, pk) for kind, pk, _ in ranked}
    ranked += [(*key, answers[key].score or 0.0) for key in confirmed if key not in listed]
    shown: list[Match] = []
    for n, match in enumerate(_details(ranked, language="", k=len(ranked), exclude=claim.pk)):
        answer = answers.get((match.kind, match.id))
        if answer is None:
            if n < k:
                shown.append(match)
            continue
        if n < k or answer.decision == MatchDecision.SAME:
            shown.append(
                replace(
                    match,
                    decision=answer.decision,
                    decided_by=answer.decided_by.get_username(),
                    decided_at=answer.decided_at,
                )
            )
    return shown


def _answer_key(answer: ClaimMatch) -> tuple[str, int]:
    if answer.known_check_id is not None:
        return (KNOWN_CHECK, answer.known_check_id)
    assert answer.earlier_claim_id is not None
    return (OUR_CHECK, answer.earlier_claim_id)


# --- Confirmed matches, for exports and both sides of the link ------------------------------


@dataclass(frozen=True, slots=True)
class Confirmed:
    """A "Same claim" answer: the earlier check a claim was confirmed to repeat."""

    claim_id: int
    kind: str
    id: int
    url: str
    claim_reviewed: str
    rating_text: str
    publisher: str
    date: date | None
    decided_by: str
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class Appearance:
    """A later claim confirmed to repeat one of our published checks: where it appeared."""

    earlier_claim_id: int
    claim_id: int
    article_id: int
    article_title: str
    #: The article's own address (blank for pasted text).
    article_url: str
    decided_by: str
    decided_at: datetime


def confirmed_same() -> QuerySet[ClaimMatch]:
    """The "same claim" answers that count: those naming another fact-checker's check, and
    those naming an earlier claim of ours while it is published (reopened or withdrawn, its
    words are no longer a check anyone can read; a later approval shows it again). Shared
    by `confirmed_matches` and the CSV's `checked_before` cell (`selectors.exports`)."""
    still_published = Q(known_check__isnull=False) | Q(
        earlier_claim__in=claims_for_claimreview().order_by().values("id")
    )
    return ClaimMatch.objects.filter(decision=MatchDecision.SAME).filter(still_published)


def our_check_url(article_id: int, claim_id: int, base: str) -> str:
    """Where one of our published checks is read: its claim on the article's public page.
    (The CSV's `checked_before` cell writes it in SQL from this: `selectors.exports`.)"""
    page = reverse("public_article", args=[article_id])
    return f"{base}{page}#claim-{claim_id}"


def confirmed_matches(claim_ids: Sequence[int]) -> dict[int, list[Confirmed]]:
    """claim id -> its confirmed earlier checks, oldest answer first.

    A narrow query first, which claims have a match decided "same" at all: most pages of
    claims have none, and the full read (its joins and the published-claims subquery)
    took PostgreSQL longer to plan than the page itself took to read (issue 17: a fifth
    of a 200-claim page). The full read runs only for the matches found."""
    if not claim_ids:
        return {}
    found = list(
        ClaimMatch.objects.filter(
            decision=MatchDecision.SAME, claim_id__in=list(claim_ids)
        ).values_list("pk", flat=True)
    )
    if not found:
        return {}
    return _confirmed(_confirmed_rows().filter(pk__in=found))


def _confirmed_rows() -> QuerySet[ClaimMatch]:
    return (
        confirmed_same()
        .select_related(
            "known_check", "earlier_claim__article", "earlier_claim__verdict", "decided_by"
        )
        .defer("known_check__embedding")
        .order_by("decided_at", "id")
    )


#: An article's answer with its claims asks this on every fetch: which of its claims have a
#: confirmed earlier check. Narrow (no joins to what the answer shows), so PostgreSQL plans
#: it in a fraction of the full read's time (2.3 ms to plan the full one, 0.3 to run it).
_CONFIRMED_IN_ARTICLE = PreparedRead(
    lambda article_id: confirmed_same().filter(claim__article_id=article_id).only("id"),
    article_id=-1,
)


def confirmed_matches_of_article(article_id: int) -> dict[int, list[Confirmed]]:
    """`confirmed_matches` for every claim of one article: one narrow query (its SQL
    prepared), and the full read only for an article that has confirmed checks."""
    found = [row.pk for row in _CONFIRMED_IN_ARTICLE(article_id=article_id)]
    if not found:
        return {}
    return _confirmed(_confirmed_rows().filter(pk__in=found))


def _confirmed(rows: Iterable[ClaimMatch]) -> dict[int, list[Confirmed]]:
    base = public_base_url()
    found: dict[int, list[Confirmed]] = {}
    for row in rows:
        if row.known_check is not None:
            fields = _known_fields(row.known_check)
        else:
            assert row.earlier_claim is not None
            fields = _our_fields(row.earlier_claim, base)
        fields.pop("language")
        item = Confirmed(
            claim_id=row.claim_id,
            decided_by=row.decided_by.get_username(),
            decided_at=row.decided_at,
            **fields,
        )
        found.setdefault(row.claim_id, []).append(item)
    return found


def later_appearances(earlier_claim_ids: Sequence[int]) -> dict[int, list[Appearance]]:
    """Our published claim id -> the later claims confirmed to repeat it (one query).

    Deleted later claims are left out: their article no longer carries the claim."""
    if not earlier_claim_ids:
        return {}
    rows = (
        ClaimMatch.objects.filter(
            earlier_claim_id__in=list(earlier_claim_ids),
            decision=MatchDecision.SAME,
            claim__deleted_at__isnull=True,
        )
        .select_related("claim__article", "decided_by")
        .only(
            "earlier_claim_id",
            "claim_id",
            "decided_at",
            "claim__article__title",
            "claim__article__url",
            "decided_by__username",
        )
        .order_by("decided_at", "id")
    )
    found: dict[int, list[Appearance]] = {}
    for row in rows:
        assert row.earlier_claim_id is not None
        found.setdefault(row.earlier_claim_id, []).append(
            Appearance(
                earlier_claim_id=row.earlier_claim_id,
                claim_id=row.claim_id,
                article_id=row.claim.article_id,
                article_title=row.claim.article.title,
                article_url=row.claim.article.url,
                decided_by=row.decided_by.get_username(),
                decided_at=row.decided_at,
            )
        )
    return found
