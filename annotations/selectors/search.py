"""Claim search (issue 16): PostgreSQL full-text search, and trigrams for what it misses.

One condition and one ranking, shared by the review queue and the API's `q`:

- **Full text**: the person's words through `websearch_to_tsquery` (quotes for a phrase,
  `or`, `-word`; it never raises on odd input) in the newsroom's text search configuration
  (`settings.FACTCHECK_SEARCH_CONFIG`: stemming, so "hit" finds "hits"), against the quote
  and statement (weight A), claimant (B) and explanation (C): `models.claim_search_vector`,
  the expression the `claim_search_fts` GIN index is built on.
- **Trigrams**, unless the words use search syntax (a quoted phrase, `or`, `-word`: the
  person asked for exactly that, and a close word would bring back what `-word` left
  out): a word close to one of the query's words (`word_similarity` above
  pg_trgm's threshold, 0.6 by default), so a typo ("sheling") still finds "shelling", and
  so do a name's odd spelling and a partial word. Over `UPPER(col)`, which the existing
  trigram GIN indexes hold (pg_trgm ignores case anyway).

Ranking (`claim_relevance`): every full-text match before any trigram-only one; full-text
matches by `ts_rank`, the others by their best word similarity. One whole number, so a
cursor can page by it.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    TrigramWordSimilarity,
)
from django.db.models import Case, FloatField, IntegerField, Q, Value, When
from django.db.models.expressions import Combinable, Expression
from django.db.models.functions import Cast, Greatest, Least, Round, Upper

from annotations.models import claim_search_vector

#: The fields trigram matching reads (each has a `gin_trgm_ops` index on UPPER(field)).
TRIGRAM_FIELDS = ("exact", "statement", "claimant", "explanation")
#: Relevance of a full-text match: this plus ts_rank × RANK_SCALE (capped below it).
FULL_TEXT = 1_000_000
RANK_SCALE = 100_000


#: websearch_to_tsquery's syntax: a quote, `or` between words, or a word with a leading -.
_SYNTAX = re.compile(r'"|(?:^|\s)-\w|\s(?i:or)\s')


def uses_search_syntax(words: str) -> bool:
    return bool(_SYNTAX.search(words))


def _query(words: str) -> SearchQuery:
    return SearchQuery(words, search_type="websearch", config=settings.FACTCHECK_SEARCH_CONFIG)


def _full_text_match(words: str) -> SearchVectorExact:
    return SearchVectorExact(claim_search_vector(settings.FACTCHECK_SEARCH_CONFIG), _query(words))


def claim_search(words: str) -> Q:
    """The claims `words` finds: a full-text match or a close word (see the module)."""
    condition = Q(_full_text_match(words))
    if uses_search_syntax(words):
        return condition
    for field in TRIGRAM_FIELDS:
        condition |= Q(TrigramWordSimilar(Upper(field), Value(words)))
    return condition


def claim_relevance(words: str) -> Expression | Combinable:
    """How well a claim matches `words`, as a whole number: FULL_TEXT plus its ts_rank
    (scaled) for a full-text match, else its best word similarity in thousandths."""
    rank = SearchRank(claim_search_vector(settings.FACTCHECK_SEARCH_CONFIG), _query(words))
    similarity = Greatest(*(TrigramWordSimilarity(words, Upper(f)) for f in TRIGRAM_FIELDS))
    full_text = Value(FULL_TEXT) + Least(
        Cast(Round(rank * Value(RANK_SCALE)), IntegerField()), Value(FULL_TEXT - 1)
    )
    if uses_search_syntax(words):
        return full_text
    return Case(
        When(_full_text_match(words), then=full_text),
        default=Cast(Round(Cast(similarity, FloatField()) * Value(1000)), IntegerField()),
        output_field=IntegerField(),
    )
