"""The newsroom's data: articles, their immutable revisions, claims, verdicts, sources.

Fields, database constraints and indexes only. Every write goes through
`annotations.services`; every rule the database can hold itself is a constraint here,
so no write path (admin, shell, bulk update) can break it.
"""

from __future__ import annotations

from typing import Any

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Upper

from annotations import limits


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class AnchorState(models.TextChoices):
    ANCHORED = "anchored", "Anchored"
    MOVED = "moved", "Moved"
    FUZZY = "fuzzy", "Fuzzy — please confirm"
    ORPHANED = "orphaned", "Orphaned"


class SourceKind(models.TextChoices):
    DOCUMENT = "document", "Document"
    OFFICIAL_STATEMENT = "official_statement", "Official statement"
    EXPERT = "expert", "Expert"
    NEWS_REPORT = "news_report", "News report"
    VIDEO_OR_IMAGE = "video_or_image", "Video or image"
    DATASET = "dataset", "Dataset"
    OTHER = "other", "Other"


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    CONTEXT = "context", "Context"


class InputFormat(models.TextChoices):
    TEXT = "text", "Pasted text"
    HTML = "html", "HTML"
    URL = "url", "Fetched from URL"


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", "Approved"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    REJECTED = "rejected", "Rejected"
    REOPENED = "reopened", "Reopened"


def _choices_check(field: str, choices: type[models.TextChoices], name: str):
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as #rrggbb.")


class Verdict(models.Model):
    """One step of the newsroom's rating scale. The scale is data: admins edit it."""

    slug = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=60, unique=True)
    #: Higher is truer. 0 means "not rated on the scale" (Unverifiable).
    rating_value = models.PositiveSmallIntegerField()
    #: Background colour of highlights; text on it is dark, so keep it light (AA contrast).
    colour = models.CharField(max_length=7, validators=[hex_colour])
    description = models.CharField(max_length=200)

    class Meta:
        ordering = ["-rating_value", "label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="verdict_colour_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.label


# `updated_at` moves on every claim change (lists re-sort by it); an event row for that alone
# was one more write per claim created (issue 17): metadata changes are what history keeps.
@pghistory.track(exclude=["suggestions_pending", "updated_at"])
class Article(models.Model):
    """A news article being checked. Its text lives in immutable ArticleRevisions."""

    #: The headline.
    title = models.CharField("headline", max_length=500)
    url = models.URLField(max_length=2000, blank=True)
    outlet = models.CharField(max_length=200, blank=True)
    byline = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    #: The revision claims are made on now; earlier revisions stay forever.
    current_revision = models.ForeignKey(
        "ArticleRevision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: sha256 of the first revision's text. Unique, so two loads of the same text at once
    #: cannot both make an article (the check before inserting cannot see an uncommitted
    #: twin). Null only for articles that duplicated an older one before the rule.
    first_content_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="articles_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    #: Last activity on the article or any of its claims: the article list sorts by it.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    #: The current revision's suggested claims are still to be computed by a job (a bulk
    #: load leaves them to one): the workspace says so, at no cost of a query.
    suggestions_pending = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="article_url_unique"
            ),
            models.UniqueConstraint(
                fields=["first_content_hash"], name="article_first_content_hash_unique"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="article_title_not_empty"),
        ]
        indexes = [
            models.Index(fields=["-updated_at", "-id"], name="article_activity_idx"),
            models.Index(Upper("outlet"), name="article_outlet_upper_idx"),
            GinIndex(OpClass(Upper("title"), name="gin_trgm_ops"), name="article_title_trgm"),
            # The review queue sorted by article: articles in headline order, then each
            # one's claims through claim_article_status_idx.
            models.Index(fields=["title", "id"], name="article_title_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class ArticleRevision(models.Model):
    """One immutable version of an article's text. Every claim offset refers to `text`.

    A database trigger refuses UPDATE and DELETE, so no code path can change the text a
    checked claim points at.
    """

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="revisions")
    #: 1, 2, 3 … per article.
    number = models.PositiveIntegerField()
    #: The canonical plain text: NFC, "\n" newlines, paragraphs split by one blank line.
    text = models.TextField()
    #: What the editor gave us, verbatim (pasted text, HTML, or the fetched body).
    raw = models.TextField(blank=True)
    input_format = models.CharField(max_length=10, choices=InputFormat.choices)
    #: What cleaning took out of the input (site boilerplate, comment forms), kept and shown.
    removed = models.TextField(blank=True)
    #: The same, part by part, in document order: ``[{"n", "kind", "text", "at"}]``, where
    #: ``at`` is the offset in ``text`` where the part stood and ``n`` numbers the removal
    #: candidates of ``raw`` (see ``annotations.ingest.RemovedPart``). Empty on revisions
    #: loaded before parts were recorded: then ``removed`` is all there is.
    removed_parts = models.JSONField(default=list, blank=True)
    #: sha256 of `text`, to spot the same article loaded twice.
    content_hash = models.CharField(max_length=64, db_index=True)
    source_url = models.URLField(max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="revisions_loaded"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
            models.CheckConstraint(condition=~Q(text=""), name="revision_text_not_empty"),
            _choices_check("input_format", InputFormat, "revision_input_format_valid"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="revision_is_immutable", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"


#: The text search configuration the claims' full-text index is built with. Search uses
#: settings.FACTCHECK_SEARCH_CONFIG; when the two differ it finds the same claims without
#: the index (`manage.py check` warns), until a migration rebuilds the index for it.
SEARCH_CONFIG_INDEXED = "english"


def claim_search_vector(config: str) -> models.Expression | models.expressions.Combinable:
    """A claim's words for full-text search: the quote and statement weigh most (A), then
    who said it (B), then the explanation (C). The index and every search build it here, so
    the two expressions are the same and PostgreSQL can use the index."""
    return (
        SearchVector("exact", "statement", config=config, weight="A")
        + SearchVector("claimant", config=config, weight="B")
        + SearchVector("explanation", config=config, weight="C")
    )


#: A claim not deleted, as a condition (for counts and combined filters; see `live()`).
LIVE = Q(deleted_at__isnull=True)


class ClaimQuerySet(models.QuerySet["Claim"]):
    def live(self) -> ClaimQuerySet:
        """Claims not deleted. A deleted claim stays in the table for the record (its
        history and reviews point at it) but no list, export or count shows it."""
        return self.filter(LIVE)


#: The PostgreSQL channel live changes are announced on (annotations.live listens).
LIVE_CHANNEL = "factcheck_live"

# One row in annotations_liveevent per change of a claim or a new comment on one, written by
# the database itself (so every door — services, admin, a bulk update — is covered), and one
# NOTIFY that PostgreSQL delivers only when the transaction commits. Who changed a claim and
# how come from the pghistory context the services open (`user`, `action`), else the row's
# own columns; a comment names its author itself (a context outlives its `with` block until
# the transaction ends, so a comment after a step in one transaction would inherit it).
_LIVE_ACTOR = (
    "COALESCE(NULLIF(NULLIF(current_setting('pghistory.context_metadata', true), ''),"
    " 'null')::jsonb ->> 'user', NULL)::integer"
)
_LIVE_ACTION = (
    "NULLIF(NULLIF(current_setting('pghistory.context_metadata', true), ''),"
    " 'null')::jsonb ->> 'action'"
)
_LIVE_INSERT = """
    art := {article};
    event_id := nextval(pg_get_serial_sequence('annotations_liveevent', 'id'));
    SELECT username INTO actor_name FROM auth_user WHERE id = actor_id;
    body := jsonb_build_object(
        'id', event_id, 'article', art, 'claim', {claim}, 'kind', {kind},
        'version', {version}, 'status', {status}, 'updated', {updated},
        'action', COALESCE({action}, ''), 'actor', actor_id, 'actor_name', COALESCE(actor_name, '')
    );
    INSERT INTO annotations_liveevent (id, article_id, claim_id, kind, payload, created_at)
    VALUES (event_id, art, {claim}, {kind}, body, clock_timestamp());
    PERFORM pg_notify('{channel}', body::text);
    RETURN NULL;
"""


def _live_trigger(
    name: str, operation: pgtrigger.Operation, *, actor: str, action: str, **values: str
) -> Any:
    declare = [
        ("event_id", "bigint"),
        ("art", "integer"),
        ("actor_id", "integer"),
        ("actor_name", "text"),
        ("body", "jsonb"),
    ]
    func = f"actor_id := {actor};" + _LIVE_INSERT.format(
        channel=LIVE_CHANNEL, action=action, **values
    )
    return pgtrigger.Trigger(
        name=name,
        operation=operation,
        when=pgtrigger.After,
        level=pgtrigger.Row,
        declare=declare,
        func=func,
        condition=pgtrigger.AnyChange() if operation == pgtrigger.Update else None,
    )


_CLAIM_LIVE = {
    "article": "NEW.article_id",
    "claim": "NEW.id",
    "version": "NEW.version",
    "status": "NEW.status",
    "updated": "floor(extract(epoch FROM NEW.updated_at) * 1000)::bigint",
}


@pghistory.track()
class Claim(models.Model):
    """One highlighted span of one revision, and the newsroom's check of it.

    The span is held the W3C way, as h does: a TextQuoteSelector (exact, prefix, suffix)
    and a TextPositionSelector (start, end) in Unicode code points of the revision text.
    """

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="claims")
    revision = models.ForeignKey(ArticleRevision, on_delete=models.PROTECT, related_name="claims")
    #: The quoted words, exactly as in revision.text[start:end].
    exact = models.TextField()
    #: Up to 32 characters of text before and after the quote, to find it again.
    prefix = models.TextField(blank=True)
    suffix = models.TextField(blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    #: What is being checked, in the editor's words (defaults to the quote).
    statement = models.TextField(blank=True)
    #: Who made the claim.
    claimant = models.CharField(max_length=300, blank=True)
    verdict = models.ForeignKey(
        Verdict, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    explanation = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT)
    anchor_state = models.CharField(
        max_length=10, choices=AnchorState.choices, default=AnchorState.ANCHORED
    )
    #: Optimistic locking: every save bumps it; a save carrying an older one is refused.
    version = models.PositiveIntegerField(default=1)
    #: Ids of everyone who changed the statement, claimant, verdict, explanation or sources
    #: in this review round (since the claim was created or last sent back). Four eyes:
    #: none of them may approve it, whoever edited last.
    round_editors = ArrayField(models.IntegerField(), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims_created"
    )
    #: Who last changed the check's content (four eyes: they may not approve it).
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims_updated",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims_reviewed",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    #: Drafts are deleted softly: the row stays, so history and links keep working.
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims_deleted",
    )
    #: What a reviewer last approved (statement, quote, claimant, verdict, explanation,
    #: sources, review date), kept public while a change nobody decided on (a new revision
    #: changed the claim's words) is re-reviewed; null otherwise. See services.reanchor.
    published_check = models.JSONField(null=True, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["start", "end", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="claim_start_before_end"),
            models.CheckConstraint(condition=~Q(exact=""), name="claim_exact_not_empty"),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("exact")), name="claim_offsets_match_quote"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="claim_version_positive"),
            _choices_check("status", ClaimStatus, "claim_status_valid"),
            _choices_check("anchor_state", AnchorState, "claim_anchor_state_valid"),
            # A kept check exists only while its claim is being re-reviewed: approving
            # replaces it, rejecting withdraws it (a person's decision either way).
            models.CheckConstraint(
                condition=Q(published_check__isnull=True)
                | Q(status__in=[ClaimStatus.IN_REVIEW, ClaimStatus.CHANGES_REQUESTED]),
                name="claim_published_check_only_in_rereview",
            ),
        ]
        indexes = [
            models.Index(fields=["article", "status"], name="claim_article_status_idx"),
            models.Index(fields=["revision", "start", "end"], name="claim_revision_pos_idx"),
            models.Index(fields=["status", "submitted_at"], name="claim_queue_idx"),
            models.Index(fields=["created_by", "status"], name="claim_creator_status_idx"),
            models.Index(fields=["verdict", "status"], name="claim_verdict_status_idx"),
            models.Index(fields=["anchor_state"], name="claim_anchor_state_idx"),
            models.Index(fields=["updated_at", "id"], name="claim_updated_idx"),
            # The dashboard's days: created, (last) submitted and approved since a date.
            models.Index(fields=["created_at"], name="claim_created_idx"),
            models.Index(fields=["submitted_at"], name="claim_submitted_idx"),
            models.Index(fields=["status", "reviewed_at"], name="claim_status_reviewed_idx"),
            # The article list's search reads claims too (UPPER(col) LIKE, as icontains).
            GinIndex(OpClass(Upper("exact"), name="gin_trgm_ops"), name="claim_exact_trgm"),
            GinIndex(OpClass(Upper("statement"), name="gin_trgm_ops"), name="claim_statement_trgm"),
            GinIndex(OpClass(Upper("claimant"), name="gin_trgm_ops"), name="claim_claimant_trgm"),
            # Claim search (issue 16): full text, and trigrams for the words it misses.
            GinIndex(claim_search_vector(SEARCH_CONFIG_INDEXED), name="claim_search_fts"),
            GinIndex(
                OpClass(Upper("explanation"), name="gin_trgm_ops"), name="claim_explanation_trgm"
            ),
        ]
        # Open workspaces follow every change (annotations.live): see _live_trigger.
        triggers = [
            _live_trigger(
                "claim_live_insert",
                pgtrigger.Insert,
                actor=f"COALESCE({_LIVE_ACTOR}, NEW.created_by_id)",
                action=_LIVE_ACTION,
                kind="'created'",
                **_CLAIM_LIVE,
            ),
            _live_trigger(
                "claim_live_update",
                pgtrigger.Update,
                actor=f"COALESCE({_LIVE_ACTOR}, NEW.deleted_by_id, NEW.updated_by_id)",
                action=_LIVE_ACTION,
                kind="CASE WHEN NEW.deleted_at IS NOT NULL THEN 'deleted' ELSE 'changed' END",
                **_CLAIM_LIVE,
            ),
        ]

    def __str__(self) -> str:
        return f"“{self.exact[:60]}”"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


@pghistory.track()
class Source(models.Model):
    """A piece of evidence. Linked to claims with a stance through ClaimSource."""

    url = models.URLField(max_length=2000, blank=True)
    #: Empty when the editor gave none: pages show the URL instead (`display_title`).
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    excerpt = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=SourceKind.choices, default=SourceKind.OTHER)
    accessed_at = models.DateField(null=True, blank=True)
    #: A copy that will not change or vanish (an archive link).
    archived_url = models.URLField(max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sources_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            _choices_check("kind", SourceKind, "source_kind_valid"),
            # An untitled source is shown by its URL; one with neither cannot be shown.
            models.CheckConstraint(condition=~Q(title="") | ~Q(url=""), name="source_title_or_url"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or self.url


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ClaimSource(models.Model):
    """A source attached to a claim, with the stance it takes on it."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="claim_sources")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claim_sources")
    stance = models.CharField(max_length=10, choices=Stance.choices, default=Stance.SUPPORTS)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "source"], name="claim_source_unique"),
            _choices_check("stance", Stance, "claim_source_stance_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.stance} {self.source_id}"


class Review(models.Model):
    """A reviewer's decision on a claim, with its comment. Never edited."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    decision = models.CharField(max_length=20, choices=ReviewDecision.choices)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            _choices_check("decision", ReviewDecision, "review_decision_valid"),
            models.CheckConstraint(
                condition=Q(decision="approved") | ~Q(comment=""),
                name="review_comment_required",
            ),
        ]
        indexes = [
            models.Index(fields=["claim", "created_at"], name="review_claim_idx"),
            # The dashboard: decisions since a date.
            models.Index(fields=["created_at"], name="review_created_idx"),
        ]
        triggers = [
            pgtrigger.Protect(name="review_is_immutable", operation=pgtrigger.Update),
        ]

    def __str__(self) -> str:
        return f"{self.decision} by {self.reviewer_id}"


class Comment(models.Model):
    """Discussion on a claim."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claim_comments"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="comment_body_not_empty"),
        ]
        indexes = [models.Index(fields=["claim", "created_at"], name="comment_claim_idx")]
        triggers = [
            _live_trigger(
                "comment_live_insert",
                pgtrigger.Insert,
                actor="NEW.author_id",
                action="'comment_add'",
                article="(SELECT article_id FROM annotations_claim WHERE id = NEW.claim_id)",
                claim="NEW.claim_id",
                kind="'comment'",
                version="NULL::integer",
                status="NULL::text",
                updated="floor(extract(epoch FROM NEW.created_at) * 1000)::bigint",
            )
        ]

    def __str__(self) -> str:
        return self.body[:60]


class SuggestionReason(models.TextChoices):
    """Why a span is worth checking, in the words of `annotations.checkworthiness.REASONS`."""

    QUANTITY = "quantity", "Quantity"
    COMPARISON = "comparison", "Comparison"
    RECORD = "record", "Record or first"
    ATTRIBUTION = "attribution", "Attributed to a source"
    CAUSE = "cause", "Cause and effect"
    STATEMENT = "statement", "Statement of fact"


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class Suggestion(models.Model):
    """A span of a revision the check-worthiness model proposes for checking.

    Computed when a revision is stored; never a claim by itself. A person accepts it (a
    draft claim is created with its selector and the sentence as the statement) or
    dismisses it; both are recorded, and their counts are how the model is judged in use.
    The selector is held like a claim's (exact, prefix, suffix, start, end in code points).
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="suggestions")
    revision = models.ForeignKey(
        ArticleRevision, on_delete=models.CASCADE, related_name="suggestions"
    )
    exact = models.TextField()
    prefix = models.TextField(blank=True)
    suffix = models.TextField(blank=True)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    #: The sentence around the span (code points): the accepted claim's statement.
    sentence_start = models.PositiveIntegerField()
    sentence_end = models.PositiveIntegerField()
    #: 0..1, higher is more worth checking; the list is ranked by it.
    score = models.FloatField()
    reason = models.CharField(max_length=20, choices=SuggestionReason.choices)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    #: Who accepted or dismissed it, and when (null while open, or when a dismissal was
    #: carried over from an earlier revision where the words did not change).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions_decided",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    #: The draft claim an acceptance created.
    claim = models.ForeignKey(
        Claim, on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-score", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="suggestion_start_before_end"
            ),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("exact")),
                name="suggestion_offsets_match_quote",
            ),
            models.CheckConstraint(
                condition=Q(sentence_start__lte=F("start")) & Q(sentence_end__gte=F("end")),
                name="suggestion_inside_its_sentence",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="suggestion_score_0_1"
            ),
            _choices_check("reason", SuggestionReason, "suggestion_reason_valid"),
            _choices_check("status", SuggestionStatus, "suggestion_status_valid"),
            # Open means nobody decided yet.
            models.CheckConstraint(
                condition=~Q(status=SuggestionStatus.OPEN) | Q(decided_at__isnull=True),
                name="suggestion_open_is_undecided",
            ),
            models.UniqueConstraint(
                fields=["revision", "start", "end"], name="suggestion_span_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["revision", "status"], name="suggestion_revision_idx"),
            models.Index(fields=["article", "status"], name="suggestion_article_idx"),
            models.Index(fields=["status", "reason"], name="suggestion_outcome_idx"),
        ]

    def __str__(self) -> str:
        return f"“{self.exact[:60]}” ({self.reason})"


class IdempotencyKey(models.Model):
    """A client's `Idempotency-Key` for a create, and what it created.

    Unique per user and key, so a doubled or retried request finds the first one's claim
    instead of making another, even when both arrive at once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idempotency_keys"
    )
    key = models.CharField(max_length=255)
    #: sha256 of the request's input: the same key with other input is refused, not replayed.
    request_hash = models.CharField(max_length=64)
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique"),
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"


class KnownCheck(models.Model):
    """A fact-check published elsewhere (by another fact-checker, or anyone's ClaimReview).

    Imported, never written by hand: `services.known_checks.known_checks_import` reads
    schema.org ClaimReview (JSON-LD, a page's embedded JSON-LD) and the Fact Check Tools
    `claims:search` shape. The URL is the identity: importing the same URL again updates
    the row. Matching (issue 13) reads `claim_reviewed` and `claimant`; it will add an
    embedding column of its own.
    """

    #: What was checked, in the publisher's words (ClaimReview `claimReviewed`).
    claim_reviewed = models.TextField()
    #: Who made the claim (`itemReviewed.author.name`), blank when not given.
    claimant = models.CharField(max_length=limits.CLAIMANT, blank=True)
    #: The publisher's own verdict, as it words it (`reviewRating.alternateName`).
    rating_text = models.CharField(max_length=limits.RATING_TEXT, blank=True)
    #: The numeric rating and its scale's ends, when the publisher gives them.
    rating_value = models.FloatField(null=True, blank=True)
    best_rating = models.FloatField(null=True, blank=True)
    worst_rating = models.FloatField(null=True, blank=True)
    publisher_name = models.CharField("publisher", max_length=limits.PUBLISHER, blank=True)
    publisher_url = models.URLField(max_length=limits.URL, blank=True)
    #: The review's own address: unique, so an import of the same check updates it.
    url = models.URLField(max_length=limits.URL, unique=True)
    #: When the publisher published the review (`datePublished`).
    review_date = models.DateField(null=True, blank=True)
    #: BCP 47 tag ("en", "es", "pt-BR"), blank when unknown.
    language = models.CharField(max_length=limits.LANGUAGE_TAG, blank=True)
    #: The review's headline.
    title = models.CharField(max_length=limits.TITLE, blank=True)
    #: The first import of this URL (and who ran it: null for a command without --user).
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="known_checks_imported",
    )
    #: The last import that changed it.
    updated_at = models.DateTimeField(auto_now=True)
    #: The e5 passage vector of `claim_reviewed` + `title` (float32 bytes, 384 of them),
    #: computed once per text outside requests (`services.matching.embeddings_fill`) and
    #: cleared by an import that changes either text. Null until then: matching still
    #: finds the check by its words.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    #: Which model computed it (`annotations.matching.MODEL_VERSION`); another is stale.
    embedding_model = models.CharField(max_length=80, blank=True, editable=False)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(url=""), name="known_check_url_not_empty"),
            models.CheckConstraint(
                condition=~Q(claim_reviewed=""), name="known_check_claim_not_empty"
            ),
            # worst <= value <= best, for whichever of the three are given.
            models.CheckConstraint(
                condition=Q(rating_value__isnull=True)
                | Q(best_rating__isnull=True)
                | Q(rating_value__lte=F("best_rating")),
                name="known_check_value_at_most_best",
            ),
            models.CheckConstraint(
                condition=Q(rating_value__isnull=True)
                | Q(worst_rating__isnull=True)
                | Q(rating_value__gte=F("worst_rating")),
                name="known_check_value_at_least_worst",
            ),
            models.CheckConstraint(
                condition=Q(best_rating__isnull=True)
                | Q(worst_rating__isnull=True)
                | Q(worst_rating__lte=F("best_rating")),
                name="known_check_worst_at_most_best",
            ),
        ]
        indexes = [
            # The list's filters: publisher (any case), language, reviewed_since.
            models.Index(Upper("publisher_name"), name="known_check_publisher_idx"),
            models.Index(Upper("language"), name="known_check_language_idx"),
            models.Index(fields=["review_date"], name="known_check_review_date_idx"),
            # `q` searches the claim and the claimant (UPPER(col) LIKE, as icontains).
            GinIndex(
                OpClass(Upper("claim_reviewed"), name="gin_trgm_ops"),
                name="known_check_claim_trgm",
            ),
            GinIndex(
                OpClass(Upper("claimant"), name="gin_trgm_ops"), name="known_check_claimant_trgm"
            ),
            # The embedding filler's queue: checks still without a vector.
            models.Index(
                fields=["id"], condition=Q(embedding__isnull=True), name="known_check_unembedded"
            ),
        ]

    def __str__(self) -> str:
        return f"“{self.claim_reviewed[:60]}” ({self.publisher_name or self.url})"


class ClaimVector(models.Model):
    """The e5 passage vector of one of our own published checks, for matching.

    Our approved checks are matched like other fact-checkers' (issue 13). Their text can
    change (a re-review publishes new words), so the vector carries the sha256 of the
    passage it was computed from; a different passage is stale and is computed again,
    outside requests, like a known check's.
    """

    claim = models.OneToOneField(
        Claim, on_delete=models.CASCADE, primary_key=True, related_name="match_vector"
    )
    text_sha256 = models.CharField(max_length=64)
    model = models.CharField(max_length=80)
    vector = models.BinaryField()
    computed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"vector of claim {self.claim_id}"


class MatchDecision(models.TextChoices):
    SAME = "same", "Same claim"
    NOT_SAME = "not_same", "Not the same"


@pghistory.track()
class ClaimMatch(models.Model):
    """A person's answer to "Checked before?" for one claim and one earlier check.

    Nothing is ever linked automatically: a row exists only because someone pressed
    "Same claim" or "Not the same". The earlier check is either a known check (another
    fact-checker's) or one of our own published claims. "Same" is shown on both sides and
    exported; "Not the same" keeps the suggestion from being offered as new again.
    """

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="matches")
    known_check = models.ForeignKey(
        KnownCheck, on_delete=models.PROTECT, null=True, blank=True, related_name="matches"
    )
    earlier_claim = models.ForeignKey(
        Claim, on_delete=models.PROTECT, null=True, blank=True, related_name="matched_later"
    )
    decision = models.CharField(max_length=10, choices=MatchDecision.choices)
    #: The match's score when the person decided (for judging the matcher in use).
    score = models.FloatField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="matches_decided"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(known_check__isnull=True, earlier_claim__isnull=False)
                | Q(known_check__isnull=False, earlier_claim__isnull=True),
                name="claim_match_one_earlier_check",
            ),
            models.CheckConstraint(
                condition=~Q(earlier_claim=F("claim")), name="claim_match_not_itself"
            ),
            models.UniqueConstraint(
                fields=["claim", "known_check"],
                condition=Q(known_check__isnull=False),
                name="claim_match_once_per_known_check",
            ),
            models.UniqueConstraint(
                fields=["claim", "earlier_claim"],
                condition=Q(earlier_claim__isnull=False),
                name="claim_match_once_per_earlier_claim",
            ),
            _choices_check("decision", MatchDecision, "claim_match_decision_valid"),
        ]
        indexes = [
            # Shown on the other side: an earlier check's confirmed later appearances.
            models.Index(
                fields=["earlier_claim", "decision"],
                condition=Q(earlier_claim__isnull=False),
                name="claim_match_earlier_idx",
            ),
            models.Index(fields=["known_check", "decision"], name="claim_match_known_idx"),
        ]

    def __str__(self) -> str:
        target = f"known check {self.known_check_id}"
        if self.earlier_claim_id:
            target = f"claim {self.earlier_claim_id}"
        return f"claim {self.claim_id} vs {target}: {self.decision}"


# --- Webhooks (issue 15): the CMS hears when a check is approved or changes --------------


class WebhookEvent(models.TextChoices):
    CLAIM_APPROVED = "claim.approved", "A claim was approved (published)"
    CLAIM_REOPENED = "claim.reopened", "An approved claim was reopened"
    CLAIM_CHANGED_AFTER_PUBLICATION = (
        "claim.changed_after_publication",
        "A published claim's words changed in the article and it is being re-reviewed",
    )
    ARTICLE_REVISED = "article.revised", "A new revision of an article was loaded"


@pghistory.track(exclude=["secret"], obj_field=pghistory.ObjForeignKey(related_name="history"))
class WebhookSubscription(models.Model):
    """A receiver (a CMS, a partner) that wants to hear about some events.

    The secret signs every delivery (Standard Webhooks: ``whsec_`` + base64); it is shown to
    staff only. History leaves the secret out so rotating it does not copy it into the log.
    """

    url = models.URLField(max_length=2000)
    events = ArrayField(models.CharField(max_length=64, choices=WebhookEvent.choices))
    secret = models.CharField(max_length=200)
    description = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="webhook_subscriptions",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(events__len__gt=0), name="webhook_has_events"),
            models.CheckConstraint(
                condition=Q(events__contained_by=WebhookEvent.values), name="webhook_events_known"
            ),
            models.CheckConstraint(condition=Q(secret__startswith="whsec_"), name="webhook_secret"),
        ]
        indexes = [
            # Every approval asks which active subscriptions want its event.
            GinIndex(fields=["events"], name="webhook_events_idx", condition=Q(is_active=True)),
        ]

    def __str__(self) -> str:
        return f"{self.url} ({', '.join(self.events)})"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (gave up)"


class WebhookDelivery(models.Model):
    """One event for one subscription: a message, sent at least once.

    ``message_id`` is the ``webhook-id`` header, the same on every attempt and on "send again",
    so a receiver can drop a message it has already processed. The payload is frozen when the
    event happens: a retry tells what happened then, not what the claim looks like now.
    """

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    message_id = models.CharField(max_length=64, unique=True)
    event = models.CharField(max_length=64, choices=WebhookEvent.choices)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempt_count = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            _choices_check("status", DeliveryStatus, "webhook_delivery_status_valid"),
            _choices_check("event", WebhookEvent, "webhook_delivery_event_valid"),
            models.CheckConstraint(
                condition=Q(status=DeliveryStatus.DELIVERED, delivered_at__isnull=False)
                | ~Q(status=DeliveryStatus.DELIVERED),
                name="webhook_delivered_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["subscription", "-created_at"], name="webhook_delivery_sub_idx"),
            models.Index(
                fields=["status", "next_attempt_at"],
                condition=Q(status="pending"),
                name="webhook_delivery_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription.url} ({self.status})"


class WebhookAttempt(models.Model):
    """One try at sending a delivery: the receiver's answer, or why there was none."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    attempted_at = models.DateTimeField()
    #: The HTTP status the receiver answered; null when it never answered.
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField()
    #: Who pressed "send again", when it was a person and not the schedule.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_once"),
        ]

    def __str__(self) -> str:
        return f"attempt {self.number}: {self.response_status or self.error}"


class Worker(models.Model):
    """A running `manage.py worker` process (issue 15): its heartbeat.

    django-tasks-db records which worker took a job but not whether that worker still
    lives; a worker killed mid-job would leave its job RUNNING forever. Each worker
    refreshes `seen_at` every few seconds (FACTCHECK_WORKER_HEARTBEAT_SECONDS); a job whose
    worker is unseen for FACTCHECK_WORKER_LOST_SECONDS goes back to the queue
    (annotations/services/jobs.py), and with no worker seen, pages that wait on one say
    "background work is paused". A worker that stops cleanly removes its row.
    """

    #: The id the worker writes into each job it takes (DBTaskResult.worker_ids).
    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    #: The last heartbeat.
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["seen_at"], name="worker_seen_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(seen_at__gte=F("started_at")), name="worker_seen_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} ({self.worker_id})"


# --- Source archives (issue 15) ------------------------------------------------------------


class ArchiveStatus(models.TextChoices):
    PENDING = "pending", "Archiving"
    ARCHIVED = "archived", "Archived"
    FAILED = "failed", "Failed"


class ExcerptState(models.TextChoices):
    #: The source has no excerpt, or the snapshot has no text to look in.
    NONE = "", "Not looked for"
    FOUND = "found", "Found"
    MISSING = "missing", "Not found"


class SourceArchive(models.Model):
    """One snapshot of a source's URL: a WARC file in the archive storage, its hash, what
    the server answered, the page's text and where the source's excerpt stands in it.

    A source gets one per "archive again"; earlier snapshots are kept. The row is made
    (pending) in the transaction that asked for it, then the archive job fills it in.
    """

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="archives")
    status = models.CharField(
        max_length=10, choices=ArchiveStatus.choices, default=ArchiveStatus.PENDING
    )
    #: How many times the job started on this snapshot (the queue retries failures).
    attempts = models.PositiveIntegerField(default=0)
    #: Why the last attempt failed, in words an editor can act on.
    failure_reason = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="source_archives_requested",
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    #: The MIME type the server declared (no parameters).
    content_type = models.CharField(max_length=200, blank=True)
    #: Where the page was, after redirects.
    final_url = models.URLField(max_length=2000, blank=True)
    #: sha256 (hex) of the WARC response record's payload: the body as the server sent it.
    sha256 = models.CharField(max_length=64, blank=True)
    #: Size of that payload in bytes.
    size = models.BigIntegerField(null=True, blank=True)
    #: Name of the WARC file in the archive storage (`annotations.services.archiving`).
    warc_name = models.CharField(max_length=300, blank=True)
    #: The page's text (HTML through the article extractor, plain text as sent); empty for
    #: other types, `text_note` says why.
    text = models.TextField(blank=True)
    text_note = models.CharField(max_length=300, blank=True)
    #: Where the source's excerpt is in `text` (code points, end exclusive).
    excerpt_state = models.CharField(
        max_length=10, choices=ExcerptState.choices, default=ExcerptState.NONE, blank=True
    )
    excerpt_start = models.PositiveIntegerField(null=True, blank=True)
    excerpt_end = models.PositiveIntegerField(null=True, blank=True)
    #: How it was found (exact, normalised, cut, fuzzy) and how sure we are (0–1).
    excerpt_how = models.CharField(max_length=20, blank=True)
    excerpt_confidence = models.FloatField(null=True, blank=True)
    #: Why it was not found (`excerpts.Missing.reason`).
    excerpt_reason = models.TextField(blank=True)
    #: The live page's URL with a text fragment (#:~:text=…) that scrolls to the passage.
    text_fragment_url = models.TextField(blank=True)
    #: An earlier snapshot of this source held the excerpt and this one does not: the
    #: page changed under the claim (the claim panel flags it).
    excerpt_lost = models.BooleanField(default=False)

    class Meta:
        ordering = ["-id"]
        constraints = [
            _choices_check("status", ArchiveStatus, "source_archive_status_valid"),
            _choices_check("excerpt_state", ExcerptState, "source_archive_excerpt_state_valid"),
            models.CheckConstraint(
                condition=~Q(status="archived")
                | (
                    ~Q(sha256="")
                    & ~Q(warc_name="")
                    & Q(captured_at__isnull=False, http_status__isnull=False, size__isnull=False)
                ),
                name="source_archive_archived_is_complete",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(failure_reason=""),
                name="source_archive_failure_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(excerpt_state="found")
                | Q(excerpt_start__isnull=False, excerpt_end__gt=F("excerpt_start")),
                name="source_archive_found_has_span",
            ),
        ]
        indexes = [models.Index(fields=["source", "-id"], name="source_archive_latest_idx")]

    def __str__(self) -> str:
        return f"archive {self.pk} of source {self.source_id}: {self.status}"


class LiveEvent(models.Model):
    """A change to an article's claims that open workspaces must show: a claim created or
    changed, or a comment on one. Written by database triggers, read back by the live
    stream (annotations.views.live) to replay what a reconnecting browser missed."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    claim_id = models.IntegerField(null=True)
    kind = models.CharField(max_length=20)
    #: What the stream sends: id, article, claim, kind, version, status, updated (epoch ms),
    #: action (the service's name), actor (id) and actor_name.
    payload = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["article", "id"], name="liveevent_article_idx"),
            models.Index(fields=["created_at"], name="liveevent_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.claim_id} on article {self.article_id}"


# --- Assignment and notifications (issue 16) ----------------------------------------------


class AssignmentRole(models.TextChoices):
    EDITOR = "editor", "Editor"
    REVIEWER = "reviewer", "Reviewer"


@pghistory.track(pghistory.InsertEvent(), pghistory.DeleteEvent())
class Assignment(models.Model):
    """A person assigned to an article or to a claim, as its editor or its reviewer.

    Several people may hold each role on one target; a claim inherits nothing from its
    article's assignments. The person must hold the role (services.assignments checks it:
    an editor-level member as editor, a reviewer as reviewer). Insert and delete events
    (pghistory) are the record of who assigned and unassigned whom, and when.
    """

    #: Exactly one of `article` and `claim` is set.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(max_length=10, choices=AssignmentRole.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments_made"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "assigned_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=False, claim__isnull=True)
                | Q(article__isnull=True, claim__isnull=False),
                name="assignment_one_target",
            ),
            models.UniqueConstraint(
                fields=["article", "person", "role"],
                condition=Q(article__isnull=False),
                name="assignment_once_per_article",
            ),
            models.UniqueConstraint(
                fields=["claim", "person", "role"],
                condition=Q(claim__isnull=False),
                name="assignment_once_per_claim",
            ),
            _choices_check("role", AssignmentRole, "assignment_role_valid"),
        ]
        indexes = [
            # "My work" and the "assigned to me" filters start from the person.
            models.Index(fields=["person", "claim"], name="assignment_person_claim_idx"),
            models.Index(fields=["person", "article"], name="assignment_person_article_idx"),
        ]

    def __str__(self) -> str:
        target = f"claim {self.claim_id}" if self.claim_id else f"article {self.article_id}"
        return f"{self.person_id} as {self.role} of {target}"


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", "Assigned to you"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    COMMENT = "comment", "New comment"
    CHANGED_AFTER_PUBLICATION = "changed_after_publication", "Changed after publication"


class Notification(models.Model):
    """Something a person should know about (the bell). Made by the service that made the
    change, in its transaction (`services.notifications.notifications_create`), so a
    rolled-back change leaves none."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=NotificationKind.choices)
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    #: Who made the change (never the recipient).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications_caused",
    )
    #: One line saying what happened, as the list and the e-mail show it.
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    #: When the e-mail job sent it (a job run again does not send it twice).
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            _choices_check("kind", NotificationKind, "notification_kind_valid"),
            models.CheckConstraint(condition=~Q(text=""), name="notification_text_not_empty"),
            models.CheckConstraint(
                condition=~Q(actor=F("recipient")), name="notification_not_to_the_actor"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list_idx"),
            # The bell's count and the `unread` filter.
            models.Index(
                fields=["recipient", "-created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}: {self.text[:60]}"


class NotificationPreference(models.Model):
    """A person's notification settings. No row means the defaults (no e-mail)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    #: Send each notification by e-mail too (off by default: the bell is the channel).
    email = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.user_id}: e-mail {'on' if self.email else 'off'}"
