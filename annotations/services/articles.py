"""Loading articles: every revision's text is fixed here, once.

Three ways in — pasted text, HTML (pasted or uploaded) and a URL the server fetches —
end in the same place: ``annotations.ingest`` turns the input into canonical text and
this module stores it as an immutable ``ArticleRevision``. Errors from the ingest layer
become ``ServiceError``s (``IngestRefused``) with the same message, field and status, so
forms and the API answer alike.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pghistory
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from annotations import ingest, limits
from annotations.models import Article, ArticleRevision, InputFormat, WebhookEvent
from annotations.roles import EDIT_REFUSED, may_edit
from annotations.services.errors import DuplicateArticle, InvalidInput, NotAllowed, ServiceError
from annotations.services.fetching import fetch_configured
from annotations.services.reanchor import claims_reanchor
from annotations.services.suggestions import suggestions_compute
from annotations.services.webhooks import revision_event_data, webhooks_emit

#: Metadata fields an editor may change after loading (the text changes only by revision).
METADATA_FIELDS = ("title", "url", "outlet", "byline", "published_at")


class IngestRefused(InvalidInput):
    """The input could not become article text (empty, too large, binary, unreachable …).

    Carries the ingest layer's message, field and HTTP status (400, 413 or 415) and its
    machine-readable ``code``.
    """

    def __init__(self, error: ingest.IngestError) -> None:
        super().__init__(error.message, field=error.field, code=error.code)
        self.status = error.status


class UploadedFile(Protocol):
    """What the services need of an upload (Django's ``UploadedFile`` has it)."""

    name: str | None
    size: int | None
    content_type: str | None

    def read(self, size: int = ...) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Prepared:
    """Editor input turned into canonical text, before anything is stored."""

    text: str
    raw: str
    removed: str
    input_format: str
    source_url: str
    title: str
    byline: str = ""
    outlet: str = ""
    published_at: datetime.datetime | None = None
    #: ``removed`` part by part (``RemovedPart.as_dict()``), and whether ``raw`` was HTML.
    removed_parts: tuple[dict[str, Any], ...] = ()
    html: bool = False


@dataclass(frozen=True, slots=True)
class Loaded:
    """The outcome of a load: the article, the revision made, and the re-anchoring report.

    ``created`` is True when a new article was made, False when a revision was added to
    a known one (then ``reanchor`` says what became of its claims).
    """

    article: Article
    revision: ArticleRevision
    created: bool
    reanchor: dict[str, Any] | None = None


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _require_editor(user: User, action: str) -> None:
    """Loading and changing articles is an editor's work (editors, reviewers, staff).

    Asked of a copy of ``user``: ``may_edit`` remembers the groups on the object it reads,
    and a service must not change the caller's object as a side effect (a request's user
    already carries them, so the copy costs no query there)."""
    if not may_edit(copy.copy(user)):
        raise NotAllowed(EDIT_REFUSED.format(action=action))


# --- preparing input (no database writes) ------------------------------------------------


def _date_to_datetime(value: datetime.date | None) -> datetime.datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


def _from_html(html: str, *, url: str, input_format: str, raw: str) -> Prepared:
    extracted = ingest.extract_html(html, url=url)
    return Prepared(
        text=extracted.text,
        raw=raw,
        removed=extracted.removed,
        input_format=input_format,
        source_url=url,
        title=extracted.title,
        byline=extracted.byline[: limits.BYLINE],
        outlet=extracted.outlet[: limits.OUTLET],
        published_at=_date_to_datetime(extracted.published_at),
        removed_parts=tuple(part.as_dict() for part in extracted.parts),
        html=True,
    )


def _from_text(text: str, *, field: str, input_format: str, source_url: str = "") -> Prepared:
    cleaned = ingest.clean_text(text, field=field)
    return Prepared(
        text=cleaned.text,
        raw=text,
        removed=cleaned.removed,
        input_format=input_format,
        source_url=source_url,
        title=cleaned.headline_guess,
        removed_parts=tuple(part.as_dict() for part in cleaned.parts),
    )


def _upload_to_input(file: UploadedFile) -> tuple[str, str]:
    """Decode an upload; return ``(text, kind)`` with kind "html" or "text"."""
    size = file.size or 0
    if size > ingest.MAX_UPLOAD_BYTES:
        raise ingest.TooLarge(
            f"The file is too large to load ({size / 1_000_000:.1f} MB; "
            f"the limit is {ingest.MAX_UPLOAD_BYTES // 1_000_000} MB).",
            field="file",
        )
    data = file.read(ingest.MAX_UPLOAD_BYTES + 1)
    return ingest.decode_upload(data, file.name or "", file.content_type or "")


def article_prepare(
    *,
    text: str | None = None,
    html: str | None = None,
    file: UploadedFile | None = None,
    fetch: bool = False,
    url: str = "",
) -> Prepared:
    """Turn exactly one kind of input into canonical text and metadata; store nothing.

    Raises ``IngestRefused`` (400/413/415, naming the field) for input that cannot
    become an article, ``InvalidInput`` when not exactly one input is given.
    """
    given = [
        name
        for name, value in (("text", text), ("html", html), ("file", file), ("fetch", fetch))
        if value not in (None, False)
    ]
    if len(given) != 1:
        raise InvalidInput(
            "Give exactly one of: text, html, a file, or fetch with a url"
            + (f" (got {', '.join(given)})." if given else "."),
            field="text",
        )
    try:
        if text is not None:
            return _from_text(text, field="text", input_format=InputFormat.TEXT, source_url=url)
        if html is not None:
            return _from_html(html, url=url, input_format=InputFormat.HTML, raw=html)
        if file is not None:
            decoded, kind = _upload_to_input(file)
            if kind == "html":
                try:
                    return _from_html(decoded, url=url, input_format=InputFormat.HTML, raw=decoded)
                except ingest.IngestError as exc:
                    raise exc.with_field("file") from exc
            return _from_text(decoded, field="file", input_format=InputFormat.TEXT, source_url=url)
        fetched = fetch_configured(url)
        if fetched.content_type == "text/plain":
            return _from_text(
                fetched.text, field="url", input_format=InputFormat.URL, source_url=fetched.url
            )
        try:
            return _from_html(
                fetched.text, url=fetched.url, input_format=InputFormat.URL, raw=fetched.text
            )
        except ingest.IngestError as exc:
            raise exc.with_field("url") from exc
    except ingest.IngestError as exc:
        raise IngestRefused(exc) from exc


def _reclean(
    raw: str, *, html: bool, url: str, remove_only: Collection[int]
) -> ingest.CleanResult | ingest.Extracted:
    """Clean ``raw`` again, removing only the parts numbered in ``remove_only``.

    Cleaning is deterministic, so this gives the loaded text with every other part back
    exactly where the input had it (line breaks and order included).
    """
    try:
        if html:
            return ingest.extract_html(raw, url=url, remove_only=remove_only)
        return ingest.clean_text(raw, remove_only=remove_only)
    except ingest.IngestError as exc:
        raise IngestRefused(exc) from exc


def _with_removed_kept(prepared: Prepared) -> Prepared:
    """The editor asked to keep everything: each removed part goes back in its place."""
    if not prepared.removed:
        return prepared
    if not prepared.removed_parts:
        return dataclasses.replace(
            prepared, text=prepared.text + "\n\n" + prepared.removed, removed=""
        )
    kept = _reclean(prepared.raw, html=prepared.html, url=prepared.source_url, remove_only=())
    return dataclasses.replace(prepared, text=kept.text, removed="", removed_parts=())


# --- duplicates ---------------------------------------------------------------------------


def article_find_duplicate(*, url: str = "", text_hash: str = "") -> Article | None:
    """The known article with this URL, or with a revision of exactly this text."""
    if url:
        found = Article.objects.filter(url=url).first()
        if found is not None:
            return found
    if text_hash:
        revision = (
            ArticleRevision.objects.filter(content_hash=text_hash)
            .select_related("article")
            .order_by("-id")
            .first()
        )
        if revision is not None:
            return revision.article
    return None


def _duplicate(article: Article, *, by: str) -> DuplicateArticle:
    reason = "the same web address" if by == "url" else "exactly the same text"
    return DuplicateArticle(
        f"This article is already loaded, with {reason}: “{article.title}”. "
        "Open it, or load this as a new revision of it.",
        existing_id=article.pk,
        existing_title=article.title,
    )


# --- storing ------------------------------------------------------------------------------


def revision_create(
    *,
    article: Article,
    text: str,
    raw: str,
    input_format: str,
    removed: str,
    user: User,
    source_url: str = "",
    removed_parts: Sequence[dict[str, Any]] = (),
) -> ArticleRevision:
    """Add the next immutable revision to an article and make it current."""
    _require_editor(user, "load articles")
    return _revision_create(
        article=article,
        text=text,
        raw=raw,
        input_format=input_format,
        removed=removed,
        user=user,
        source_url=source_url,
        removed_parts=removed_parts,
    )


def _new_revision(
    *,
    article: Article,
    number: int,
    text: str,
    raw: str,
    input_format: str,
    removed: str,
    removed_parts: Sequence[dict[str, Any]],
    source_url: str,
    user: User,
) -> ArticleRevision:
    """A revision not yet stored: the one place its derived fields are made."""
    return ArticleRevision(
        article=article,
        number=number,
        text=text,
        raw=raw,
        input_format=input_format,
        removed=removed,
        removed_parts=list(removed_parts),
        content_hash=content_hash(text),
        source_url=source_url[: limits.URL],
        created_by=user,
    )


@transaction.atomic
def _revision_create(
    *,
    article: Article,
    text: str,
    raw: str,
    input_format: str,
    removed: str,
    user: User,
    source_url: str = "",
    removed_parts: Sequence[dict[str, Any]] = (),
    suggest_now: bool = True,
) -> ArticleRevision:
    # The role was checked by the public entry point.
    if not text.strip():
        raise InvalidInput("The article has no text.", field="text")
    # Lock the article row so two loads cannot take the same revision number.
    Article.objects.select_for_update().filter(pk=article.pk).first()
    last = article.revisions.aggregate(n=Max("number"))["n"] or 0
    revision = _new_revision(
        article=article,
        number=last + 1,
        text=text,
        raw=raw,
        input_format=input_format,
        removed=removed,
        removed_parts=removed_parts,
        source_url=source_url,
        user=user,
    )
    revision.save(force_insert=True)
    article.current_revision = revision
    article.suggestions_pending = not suggest_now
    article.save(update_fields=["current_revision", "suggestions_pending", "updated_at"])
    # Every stored revision gets its suggested claims (one INSERT; see suggestions_compute):
    # now, for the editor about to open it; or by a job in this transaction, for a bulk load
    # nobody is looking at yet (most of its time was the suggestions; issue 17).
    if suggest_now:
        suggestions_compute(revision=revision)
    else:
        from annotations.tasks import compute_suggestions  # it calls back into services

        compute_suggestions.enqueue(revision.pk)
    return revision


def _clean_metadata(article: Article) -> None:
    """Validate the article's fields; a URL another article has is a duplicate."""
    if article.url:
        existing = Article.objects.filter(url=article.url).exclude(pk=article.pk).first()
        if existing is not None:
            raise _duplicate(existing, by="url")
    _validate_fields(article)


def _validate_fields(article: Article) -> None:
    """The article's own fields (no query): blank headline, URL shape, lengths, date."""
    try:
        article.full_clean(
            exclude=["current_revision", "created_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidInput(messages[0], field=None if field == "__all__" else field) from exc


def _new_article(
    *,
    title: str,
    text: str,
    user: User,
    url: str,
    outlet: str,
    byline: str,
    published_at: datetime.datetime | None,
) -> Article:
    """An article not yet stored, for its first revision's ``text``."""
    return Article(
        title=(title or "").strip()[: limits.TITLE],
        url=url,
        outlet=outlet,
        byline=byline,
        published_at=published_at,
        first_content_hash=content_hash(text),
        created_by=user,
    )


def article_create(
    *,
    title: str,
    text: str,
    user: User,
    raw: str = "",
    input_format: str = InputFormat.TEXT,
    removed: str = "",
    url: str = "",
    outlet: str = "",
    byline: str = "",
    published_at: datetime.datetime | None = None,
    source_url: str = "",
    removed_parts: Sequence[dict[str, Any]] = (),
) -> Article:
    """Create an article with its first revision from text that is already canonical."""
    _require_editor(user, "load articles")
    return _article_create(
        title=title,
        text=text,
        user=user,
        raw=raw,
        input_format=input_format,
        removed=removed,
        url=url,
        outlet=outlet,
        byline=byline,
        published_at=published_at,
        source_url=source_url,
        removed_parts=removed_parts,
    )


@transaction.atomic
def _article_create(
    *,
    title: str,
    text: str,
    user: User,
    raw: str,
    input_format: str,
    removed: str,
    url: str,
    outlet: str,
    byline: str,
    published_at: datetime.datetime | None,
    source_url: str,
    removed_parts: Sequence[dict[str, Any]],
    suggest_now: bool = True,
) -> Article:
    # The role was checked by the public entry point.
    with pghistory.context(action="article_create"):
        article = _new_article(
            title=title,
            text=text,
            user=user,
            url=url,
            outlet=outlet,
            byline=byline,
            published_at=published_at,
        )
        _clean_metadata(article)
        try:
            with transaction.atomic():
                article.save()
        except IntegrityError as exc:
            # A concurrent load of the same URL or the same text committed first: the
            # unique constraints waited for it, so it is visible now.
            existing = Article.objects.filter(url=url).first() if url else None
            if existing is not None:
                raise _duplicate(existing, by="url") from exc
            existing = Article.objects.filter(first_content_hash=article.first_content_hash).first()
            if existing is None:
                raise
            raise _duplicate(existing, by="text") from exc
        _revision_create(
            article=article,
            text=text,
            raw=raw or text,
            input_format=input_format,
            removed=removed,
            user=user,
            source_url=source_url or url,
            removed_parts=removed_parts,
            suggest_now=suggest_now,
        )
    return article


def _store_revision(*, article: Article, prepared: Prepared, user: User) -> Loaded:
    article = (
        Article.objects.select_for_update(of=("self",))
        .select_related("current_revision")
        .get(pk=article.pk)
    )
    previous = article.current_revision
    if previous is not None and previous.content_hash == content_hash(prepared.text):
        raise DuplicateArticle(
            f"This text is the same as revision {previous.number} of “{article.title}”, "
            "the current one; no new revision was made.",
            existing_id=article.pk,
            revision=previous.number,
        )
    with pghistory.context(action="revision_load"):
        revision = _revision_create(
            article=article,
            text=prepared.text,
            raw=prepared.raw,
            input_format=prepared.input_format,
            removed=prepared.removed,
            user=user,
            source_url=prepared.source_url,
            removed_parts=prepared.removed_parts,
        )
    # The claims of the previous revision find their words in the new one.
    report = claims_reanchor(
        article=article, previous_revision=previous, revision=revision, user=user
    )
    webhooks_emit(
        WebhookEvent.ARTICLE_REVISED,
        lambda: revision_event_data(article, revision, claims=report.counts),
    )
    return Loaded(article=article, revision=revision, created=False, reanchor=report.as_dict())


@transaction.atomic
def article_ingest(
    *,
    user: User,
    text: str | None = None,
    html: str | None = None,
    file: UploadedFile | None = None,
    fetch: bool = False,
    title: str = "",
    url: str = "",
    outlet: str = "",
    byline: str = "",
    published_at: datetime.datetime | datetime.date | None = None,
    keep_removed: bool = False,
    as_revision_of: Article | None = None,
    duplicate_as_revision: bool = False,
    suggest_now: bool = True,
) -> Loaded:
    """Load an article from exactly one of ``text``, ``html``, ``file`` or ``fetch=True``.

    Metadata not given is taken from the page (HTML title, author, site name, date) or,
    for the headline, the text's first line. An article whose URL or cleaned text is
    already known raises ``DuplicateArticle`` (with ``existing_id``) unless
    ``duplicate_as_revision`` is set: then the input becomes a new revision of it, as it
    does with ``as_revision_of``. ``keep_removed`` appends what cleaning removed.
    ``suggest_now=False`` leaves a new article's suggested claims to a job (bulk loads).
    """
    _require_editor(user, "load articles")  # before anything is fetched
    url = (url or "").strip()
    if as_revision_of is None and url and not duplicate_as_revision:
        known = article_find_duplicate(url=url)
        if known is not None:  # refuse before fetching anything
            raise _duplicate(known, by="url")
    prepared = article_prepare(text=text, html=html, file=file, fetch=fetch, url=url)
    if keep_removed:
        prepared = _with_removed_kept(prepared)
    final_url = prepared.source_url if fetch else url
    target = as_revision_of
    if target is None:
        by_url = None
        for candidate in dict.fromkeys(u for u in (url, final_url) if u):
            by_url = article_find_duplicate(url=candidate)
            if by_url is not None:
                break
        known = by_url or article_find_duplicate(text_hash=content_hash(prepared.text))
        if known is not None:
            if not duplicate_as_revision:
                raise _duplicate(known, by="url" if by_url else "text")
            target = known
    if target is not None:
        return _store_revision(article=target, prepared=prepared, user=user)
    article = _article_create(
        title=title or prepared.title,
        text=prepared.text,
        raw=prepared.raw,
        removed=prepared.removed,
        input_format=prepared.input_format,
        user=user,
        url=final_url,
        outlet=outlet or prepared.outlet,
        byline=byline or prepared.byline,
        published_at=_date_to_datetime(published_at) or prepared.published_at,
        source_url=prepared.source_url,
        removed_parts=prepared.removed_parts,
        suggest_now=suggest_now,
    )
    assert article.current_revision is not None  # article_create always makes revision 1
    return Loaded(article=article, revision=article.current_revision, created=True)


def article_load(
    *,
    user: User,
    text: str | None = None,
    title: str = "",
    url: str = "",
    outlet: str = "",
    byline: str = "",
    published_at=None,
    html: str | None = None,
    file: UploadedFile | None = None,
    fetch: bool = False,
    keep_removed: bool = False,
    as_revision_of: Article | None = None,
    duplicate_as_revision: bool = False,
) -> Article:
    """Load an article (see ``article_ingest``) and return it."""
    return article_ingest(
        user=user,
        text=text,
        html=html,
        file=file,
        fetch=fetch,
        title=title,
        url=url,
        outlet=outlet,
        byline=byline,
        published_at=published_at,
        keep_removed=keep_removed,
        as_revision_of=as_revision_of,
        duplicate_as_revision=duplicate_as_revision,
    ).article


@transaction.atomic
def revision_load(
    *,
    article: Article,
    user: User,
    text: str | None = None,
    html: str | None = None,
    file: UploadedFile | None = None,
    fetch: bool = False,
    url: str = "",
    keep_removed: bool = False,
) -> Loaded:
    """Load a new version of a known article as its next immutable revision.

    ``fetch=True`` without ``url`` fetches the article's own URL. Text identical to the
    current revision raises ``DuplicateArticle``; claims are handed to re-anchoring via
    ``claims_reanchor``, whose report is ``Loaded.reanchor``.
    """
    _require_editor(user, "load articles")  # before anything is fetched
    if fetch and not url:
        url = article.url
    prepared = article_prepare(text=text, html=html, file=file, fetch=fetch, url=url)
    if keep_removed:
        prepared = _with_removed_kept(prepared)
    return _store_revision(article=article, prepared=prepared, user=user)


def _raw_is_html(revision: ArticleRevision) -> bool:
    if revision.input_format == InputFormat.URL:  # a fetched page, or fetched plain text
        return ingest.looks_like_html(revision.raw)
    return revision.input_format == InputFormat.HTML


@transaction.atomic
def revision_keep_removed(
    *, article: Article, revision: ArticleRevision, user: User, part: int | None = None
) -> Loaded:
    """The editor keeps removed text: a new revision with it back where it stood.

    ``part`` (a ``RemovedPart.n`` of this revision) keeps that part alone; None keeps
    all of them. The input is cleaned again with one part fewer removed, so the text
    comes back exactly in its place; claims move with the re-anchoring of any new
    revision. Revisions loaded before parts were recorded can only append everything.
    """
    _require_editor(user, "load articles")
    if revision.article_id != article.pk:
        raise InvalidInput("That revision belongs to another article.")
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.current_revision_id != revision.pk:
        raise InvalidInput(
            f"Only the current revision's removed text can be kept; revision "
            f"{revision.number} is no longer current."
        )
    if not revision.removed:
        raise InvalidInput("Cleaning removed nothing from this revision.")
    stored = {item["n"]: item["text"] for item in revision.removed_parts}
    if part is not None and stored and part not in stored:
        raise InvalidInput(
            "That removed piece is not listed on this revision (it may have been kept "
            "already); nothing was changed.",
            field="part",
        )
    if not stored:  # loaded before parts were recorded: all we know is the text
        if part is not None:
            raise InvalidInput(
                "This revision was loaded before removed text was recorded piece by piece: "
                "keep all of it, or load the article again.",
                field="part",
            )
        text = revision.text + "\n\n" + revision.removed
        parts: tuple[ingest.RemovedPart, ...] = ()
    else:
        html, url = _raw_is_html(revision), revision.source_url
        # The same input, cleaned by today's rules with the same parts removed, must give
        # this revision's text: only then is "in its place" the place it really had.
        again = _reclean(revision.raw, html=html, url=url, remove_only=stored)
        if again.text != revision.text or {p.n: p.text for p in again.parts} != stored:
            raise InvalidInput(
                "The cleaning rules have changed since this revision was loaded, so the "
                "removed text cannot be put back in its place; load the article again as a "
                "new revision instead. Nothing was changed."
            )
        keep = set(stored) if part is None else {part}
        kept = _reclean(revision.raw, html=html, url=url, remove_only=set(stored) - keep)
        text, parts = kept.text, kept.parts
    prepared = Prepared(
        text=text,
        raw=revision.raw,
        removed="\n\n".join(p.text for p in parts),
        input_format=revision.input_format,
        source_url=revision.source_url,
        title=article.title,
        removed_parts=tuple(p.as_dict() for p in parts),
    )
    return _store_revision(article=article, prepared=prepared, user=user)


@transaction.atomic
def article_update_metadata(*, article: Article, user: User, **fields: Any) -> Article:
    """Change the headline, outlet, byline, published date or URL; never the text.

    Any other field is refused, named (the API hands unknown fields through, so that
    this rule is written once)."""
    _require_editor(user, "change articles")
    unknown = sorted(set(fields) - set(METADATA_FIELDS))
    if unknown:
        raise InvalidInput(
            "Only the headline, url, outlet, byline and published date can be edited; "
            "the text changes only through a new revision.",
            field=unknown[0],
        )
    for name, value in fields.items():
        if name == "published_at":
            value = _date_to_datetime(value)
        elif value is None:
            value = ""
        elif isinstance(value, str):
            value = value.strip()
        setattr(article, name, value)
    if "title" in fields and not article.title:
        raise InvalidInput("The headline cannot be empty.", field="title")
    _clean_metadata(article)
    with pghistory.context(action="article_update_metadata", user=user.pk):
        try:
            with transaction.atomic():
                article.save(update_fields=[*fields, "updated_at"])
        except IntegrityError as exc:
            existing = Article.objects.filter(url=article.url).exclude(pk=article.pk).first()
            if existing is None:
                raise
            raise _duplicate(existing, by="url") from exc
    return article


# --- many articles in one request (issue 17) ---------------------------------------------


@dataclass(frozen=True, slots=True)
class BulkItem:
    """What became of one article of a bulk load: created, duplicate or refused."""

    index: int
    result: str
    id: int | None = None
    existing_id: int | None = None
    detail: str = ""
    field: str | None = None

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"index": self.index, "result": self.result}
        if self.id is not None:
            body["id"] = self.id
        if self.existing_id is not None:
            body["existing_id"] = self.existing_id
        if self.detail:
            body["detail"] = self.detail
        if self.field:
            body["field"] = self.field
        return body


BULK_FIELDS = frozenset(
    {"text", "html", "title", "url", "outlet", "byline", "published_at", "keep_removed"}
)


@transaction.atomic
def articles_ingest_bulk(*, user: User, items: Sequence[dict[str, Any]]) -> list[BulkItem]:
    """Load several articles, each on its own: one refused or duplicate item never undoes
    another. Each item is what `article_ingest` takes, pasted text or HTML only (fetching
    hundreds of URLs does not belong in one request). ``index`` counts from 1.

    The answer is what loading the items one by one, in order, would give — a duplicate
    of an earlier item of the batch names that item's article — but the work is batched
    (issue 17): every item is checked and cleaned first, in Python; the known URLs and
    texts are found with two queries; then the new articles, their first revisions and
    their suggestion jobs are written with one statement each, a constant number of
    queries however many articles. History is as for one article: an insert and an update
    event per article, in the ``article_create`` context. Should a concurrent load take a
    URL or a text between the look-up and the insert, the batch's writes are rolled back
    to their savepoint and the items are loaded one by one instead (``_bulk_one``).
    """
    _require_editor(user, "load articles")
    if not isinstance(items, (list, tuple)) or not items:
        raise InvalidInput("Send a list of articles (at least one).", field="articles")
    if len(items) > limits.BULK_ARTICLES:
        raise InvalidInput(
            f"At most {limits.BULK_ARTICLES} articles per request; got {len(items)}. "
            "Send them in several requests.",
            field="articles",
        )
    staged: list[_Staged] = []
    refused: dict[int, BulkItem] = {}
    for index, item in enumerate(items, start=1):
        fields = _bulk_fields(index, item)
        if isinstance(fields, BulkItem):
            refused[index] = fields
        else:
            staged.append(_bulk_stage(index, fields))
    outcomes = _bulk_decide(user, staged)
    new = [outcome for outcome in outcomes.values() if isinstance(outcome, _Staged)]
    if new:
        try:
            with transaction.atomic():
                _bulk_store(user, new)
        except IntegrityError:
            # Someone else loaded one of these URLs or texts since the look-up: the
            # savepoint undid the batch's writes; the slow path answers each item on its own.
            return [_bulk_one(user, index, item) for index, item in enumerate(items, start=1)]
    results = []
    for index in range(1, len(items) + 1):
        outcome = refused.get(index) or outcomes[index]
        results.append(outcome.result() if not isinstance(outcome, BulkItem) else outcome)
    return results


@dataclass(slots=True)
class _Staged:
    """One item of a bulk load that is on its way to being created (or was checked so far).

    ``error`` is the item's refusal from cleaning, kept until it is known that the item is
    not a duplicate by URL (which ``article_ingest`` finds before cleaning)."""

    index: int
    url: str
    fields: dict[str, Any]
    prepared: Prepared | None = None
    error: ServiceError | ingest.IngestError | None = None
    article: Article | None = None

    def result(self) -> BulkItem:
        assert self.article is not None and self.article.pk is not None
        return BulkItem(self.index, "created", id=self.article.pk)


@dataclass(frozen=True, slots=True)
class _BatchDuplicate:
    """A duplicate of an earlier item of the same batch: its id is known once stored."""

    index: int
    earlier: _Staged
    by: str

    def result(self) -> BulkItem:
        assert self.earlier.article is not None
        exc = _duplicate(self.earlier.article, by=self.by)
        return BulkItem(
            self.index, "duplicate", existing_id=exc.extra.get("existing_id"), detail=exc.message
        )


def _bulk_fields(index: int, item: Any) -> dict[str, Any] | BulkItem:
    """The item's fields as `article_ingest` takes them, or its refusal (shape only)."""
    if not isinstance(item, dict):
        return BulkItem(index, "refused", detail="Each article must be a JSON object.")
    unknown = sorted(set(item) - BULK_FIELDS)
    if unknown:
        hint = " (load URLs to fetch one by one)" if {"fetch", "file"} & set(unknown) else ""
        return BulkItem(index, "refused", detail=f"Unknown fields: {', '.join(unknown)}{hint}.")
    fields = dict(item)
    for name in ("text", "html", "title", "url", "outlet", "byline"):
        if name in fields and fields[name] is not None and not isinstance(fields[name], str):
            return BulkItem(index, "refused", detail=f"{name} must be text.", field=name)
    if "keep_removed" in fields and not isinstance(fields["keep_removed"], bool):
        return BulkItem(
            index, "refused", detail="keep_removed must be true or false.", field="keep_removed"
        )
    published = fields.get("published_at")
    if published not in (None, ""):
        parsed = (
            (parse_datetime(published) or parse_date(published))
            if isinstance(published, str)
            else None
        )
        if parsed is None:
            return BulkItem(
                index,
                "refused",
                detail=f"published_at must be a date or date-time (ISO 8601); got {published!r}.",
                field="published_at",
            )
        fields["published_at"] = parsed
    return fields


def _bulk_stage(index: int, fields: dict[str, Any]) -> _Staged:
    """Clean one item's text, as `article_ingest` would (no query)."""
    staged = _Staged(index=index, url=(fields.get("url") or "").strip(), fields=fields)
    try:
        prepared = article_prepare(text=fields.get("text"), html=fields.get("html"), url=staged.url)
        if fields.get("keep_removed"):
            prepared = _with_removed_kept(prepared)
    except (ServiceError, ingest.IngestError) as exc:
        staged.error = exc
    else:
        staged.prepared = prepared
    return staged


def _bulk_decide(
    user: User, staged: Sequence[_Staged]
) -> dict[int, _Staged | _BatchDuplicate | BulkItem]:
    """Each cleaned item's fate, in order, as `article_ingest` decides it one by one:
    duplicate by URL, refused by cleaning, duplicate by text, refused by its fields, or
    new (the ``_Staged`` itself, with its unsaved ``article``). Two queries in all."""
    urls = {item.url for item in staged if item.url}
    by_url = Article.objects.filter(url__in=urls).only("url", "title").order_by()
    known_urls = {article.url: article for article in by_url}
    hashes = {content_hash(item.prepared.text) for item in staged if item.prepared is not None}
    # The article of the newest revision with each text, as article_find_duplicate finds it
    # (an empty look-up costs no query).
    newest = (
        ArticleRevision.objects.filter(content_hash__in=hashes)
        .select_related("article")
        .only("content_hash", "article", "article__title")
        .order_by("content_hash", "-id")
        .distinct("content_hash")
    )
    known_texts = {revision.content_hash: revision.article for revision in newest}
    batch_urls: dict[str, _Staged] = {}
    batch_texts: dict[str, _Staged] = {}
    outcomes: dict[int, _Staged | _BatchDuplicate | BulkItem] = {}
    for item in staged:
        outcomes[item.index] = _bulk_decide_one(
            user, item, known_urls, known_texts, batch_urls, batch_texts
        )
    return outcomes


def _bulk_decide_one(
    user: User,
    item: _Staged,
    known_urls: dict[str, Article],
    known_texts: dict[str, Article],
    batch_urls: dict[str, _Staged],
    batch_texts: dict[str, _Staged],
) -> _Staged | _BatchDuplicate | BulkItem:
    index = item.index
    if item.url in known_urls:
        return _bulk_duplicate(index, _duplicate(known_urls[item.url], by="url"))
    if item.url in batch_urls:
        return _BatchDuplicate(index, batch_urls[item.url], by="url")
    if item.error is not None:
        return BulkItem(index, "refused", detail=item.error.message, field=item.error.field)
    prepared = item.prepared
    assert prepared is not None
    text_hash = content_hash(prepared.text)
    if text_hash in known_texts:
        return _bulk_duplicate(index, _duplicate(known_texts[text_hash], by="text"))
    if text_hash in batch_texts:
        return _BatchDuplicate(index, batch_texts[text_hash], by="text")
    fields = item.fields
    article = _new_article(
        title=fields.get("title") or prepared.title,
        text=prepared.text,
        user=user,
        url=item.url,
        outlet=fields.get("outlet") or prepared.outlet,
        byline=fields.get("byline") or prepared.byline,
        published_at=_date_to_datetime(fields.get("published_at")) or prepared.published_at,
    )
    try:
        _validate_fields(article)
        if not prepared.text.strip():
            raise InvalidInput("The article has no text.", field="text")
    except ServiceError as exc:
        return BulkItem(index, "refused", detail=exc.message, field=exc.field)
    item.article = article
    if item.url:
        batch_urls[item.url] = item
    batch_texts[text_hash] = item
    return item


def _bulk_duplicate(index: int, exc: DuplicateArticle) -> BulkItem:
    return BulkItem(
        index, "duplicate", existing_id=exc.extra.get("existing_id"), detail=exc.message
    )


def _bulk_store(user: User, new: Sequence[_Staged]) -> None:
    """Write the batch's new articles as `_article_create` writes one, in four statements:
    the articles (history: insert events), their first revisions, the articles pointed at
    them (history: update events) and one suggestions job each."""
    from annotations.jobs import enqueue_many
    from annotations.tasks import compute_suggestions  # it calls back into services

    articles = [item.article for item in new if item.article is not None]
    with pghistory.context(action="article_create"):
        Article.objects.bulk_create(articles)
        revisions = []
        for item in new:
            prepared, article = item.prepared, item.article
            assert prepared is not None and article is not None
            revisions.append(
                _new_revision(
                    article=article,
                    number=1,
                    text=prepared.text,
                    raw=prepared.raw or prepared.text,
                    input_format=prepared.input_format,
                    removed=prepared.removed,
                    removed_parts=prepared.removed_parts,
                    source_url=prepared.source_url or item.url,
                    user=user,
                )
            )
        ArticleRevision.objects.bulk_create(revisions)
        now = timezone.now()
        Article.objects.filter(pk__in=[article.pk for article in articles]).update(
            current_revision=Subquery(
                ArticleRevision.objects.filter(article=OuterRef("pk"), number=1).values("pk")
            ),
            suggestions_pending=True,
            updated_at=now,
        )
    for article, revision in zip(articles, revisions, strict=True):
        article.current_revision = revision
        article.suggestions_pending = True
        article.updated_at = now
    # The suggested claims are left to jobs, as for every bulk load: nobody is looking yet.
    enqueue_many(compute_suggestions, [(revision.pk,) for revision in revisions])


def _bulk_one(user: User, index: int, item: Any) -> BulkItem:
    """One item loaded on its own, in its own savepoint (the slow path, after a race)."""
    fields = _bulk_fields(index, item)
    if isinstance(fields, BulkItem):
        return fields
    try:
        with transaction.atomic():
            loaded = article_ingest(user=user, suggest_now=False, **fields)
    except DuplicateArticle as exc:
        return _bulk_duplicate(index, exc)
    except ingest.IngestError as exc:
        return BulkItem(index, "refused", detail=exc.message, field=exc.field)
    except ServiceError as exc:
        return BulkItem(index, "refused", detail=exc.message, field=exc.field)
    return BulkItem(index, "created", id=loaded.article.pk)
