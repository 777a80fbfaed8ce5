"""Every named limit, once: field lengths and page sizes.

The services refuse past these (with a message naming the limit), the API's input
serializers and the browser's forms declare them (so the OpenAPI schema and the form
say the same), the models size their columns by them, and templates read them for
`maxlength` through the `limits` context processor. Plain Python: the engines may import
it too.
"""

from __future__ import annotations

# --- Text a person writes (characters) ----------------------------------------------------
#: A claim's quote: the highlighted words.
QUOTE = 5_000
#: What was claimed, in the newsroom's words.
STATEMENT = 5_000
#: Who said it.
CLAIMANT = 300
#: Why the verdict is what it is.
EXPLANATION = 20_000
#: A comment on a claim, and a reviewer's note with a workflow step.
COMMENT = 10_000
#: The passage of a source that supports or refutes the claim.
EXCERPT = 10_000
#: An article's headline and a source's title.
TITLE = 500
#: An article's outlet.
OUTLET = 200
#: An article's byline and a source's publisher.
BYLINE = 300
PUBLISHER = 300
#: Every web address we store (article, revision source, claim source, archive).
URL = 2_000
#: The words before or after a quote that a client may send to single it out (API).
SELECTOR_CONTEXT = 200
#: A verdict's slug, as the API takes it.
VERDICT_SLUG = 40
#: The Idempotency-Key header (API.md).
IDEMPOTENCY_KEY = 255
#: The free-text search box (queue, articles, API `q`).
SEARCH = 200

# --- Pages (items per page) ---------------------------------------------------------------
#: The article list in the browser.
ARTICLES_PER_PAGE = 25
#: The review queue and "My claims", per section.
QUEUE_PAGE = 25
#: API lists: the default and the most a client may ask for with `page_size`.
API_PAGE = 50
API_MAX_PAGE = 200
#: Articles per `POST /api/v1/articles/bulk/` (API.md).
BULK_ARTICLES = 500
#: Claims one bulk decision may take (review queue, `POST /api/v1/claims/bulk-review/`):
#: four queue pages; each claim is its own transaction, so a bigger batch only waits longer.
BULK_REVIEW = 100
#: Bodies one imported W3C annotation may carry.
IMPORT_BODIES = 100

# --- Known checks: fact-checks published elsewhere (issue 13) -------------------------------
#: ClaimReviews one import may carry (a file or a request): the lab's corpus of 10,375
#: Snopes checks fits in one file, with room to spare.
KNOWN_CHECKS_PER_IMPORT = 20_000
#: The claim a known check reviewed, in the publisher's words.
CLAIM_REVIEWED = 5_000
#: The publisher's own rating, as text ("False", "Mostly true", or a sentence).
RATING_TEXT = 500
#: A BCP 47 language tag ("en", "pt-BR", "zh-Hant-TW").
LANGUAGE_TAG = 35
#: The text a CMS asks "Checked before?" about (`GET /api/v1/matches/?q=`): a paragraph or
#: two, as long as a claim's statement. A longer text holds several claims: ask per claim.
MATCH_QUERY = 5_000


def as_context() -> dict[str, int]:
    """The limits by name, for templates (`{{ limits.STATEMENT }}`)."""
    return {name: value for name, value in globals().items() if name.isupper()}
