"""Claims, their sources and comments: every write, and every rule it obeys.

The browser views, the API, the admin and the management commands all call these, so a
rule (the selector must point at real text, approved claims are locked, a stale version
is refused) is written once.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlparse

import pghistory
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotations import limits
from annotations.anchoring import CONTEXT_WIDTH, context_for
from annotations.models import (
    Article,
    ArticleRevision,
    Claim,
    ClaimSource,
    ClaimStatus,
    Comment,
    IdempotencyKey,
    Source,
    SourceKind,
    Stance,
    Verdict,
)
from annotations.roles import EDIT_REFUSED, may_edit
from annotations.services.archiving import source_archive_request
from annotations.services.errors import (
    DuplicateRequest,
    InvalidInput,
    InvalidSelector,
    NotAllowed,
    StaleVersion,
    WorkflowError,
)
from annotations.services.locks import article_lock, article_lock_touched, retry_deadlock_once

#: Statuses whose content editors may change. Approved and rejected claims are locked;
#: a claim in review is with the reviewer, who sends it back to have it changed.
EDITABLE_STATUSES = {ClaimStatus.DRAFT, ClaimStatus.CHANGES_REQUESTED}
CONTENT_FIELDS = ("statement", "claimant", "verdict", "explanation")


@dataclass(frozen=True)
class Selector:
    """A checked W3C TextQuoteSelector + TextPositionSelector on one revision."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def _as_int(value: Any, name: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidSelector(f"The selector's {name} must be a whole number.", field="selector")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidSelector(
            f"The selector's {name} must be a whole number; got {value!r}.", field="selector"
        ) from None
    return number


def selector_resolve(
    revision: ArticleRevision,
    *,
    exact: str | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
    start: Any = None,
    end: Any = None,
) -> Selector:
    """Check a selector against the revision text and complete it.

    With start/end, the text there must equal `exact` (when given). With only `exact`,
    the quote must occur once — or prefix/suffix must single one occurrence out.
    Offsets are Unicode code points, as in the W3C TextPositionSelector.
    """
    text = revision.text
    start_i, end_i = _as_int(start, "start"), _as_int(end, "end")
    if exact is not None and not isinstance(exact, str):
        raise InvalidSelector("The selector's exact quote must be text.", field="selector")
    if start_i is not None or end_i is not None:
        if start_i is None or end_i is None:
            raise InvalidSelector("The selector needs both start and end.", field="selector")
        if start_i < 0 or end_i > len(text):
            raise InvalidSelector(
                f"The selection ({start_i}–{end_i}) lies outside the article text, "
                f"which is {len(text)} characters long.",
                field="selector",
            )
        if start_i >= end_i:
            raise InvalidSelector(
                "The selection is empty: start must come before end.", field="selector"
            )
        found = text[start_i:end_i]
        if exact is not None and found != exact:
            raise InvalidSelector(
                f"The quote does not match the article text at {start_i}–{end_i}: "
                f"the text there is “{found[:80]}”, not “{exact[:80]}”.",
                field="selector",
            )
        if not found.strip():
            raise InvalidSelector("The selection holds only white space.", field="selector")
    else:
        if not exact:
            raise InvalidSelector(
                "The selector needs an exact quote, or start and end.", field="selector"
            )
        start_i = _locate_unique(text, exact, prefix or "", suffix or "")
        end_i = start_i + len(exact)
    if end_i - start_i > limits.QUOTE:
        raise InvalidSelector(
            f"A claim quotes at most {limits.QUOTE:,} characters; this selection has "
            f"{end_i - start_i:,}. Select the claim itself, not the whole article.",
            field="selector",
        )
    real_prefix, real_suffix = context_for(text, start_i, end_i, CONTEXT_WIDTH)
    return Selector(text[start_i:end_i], real_prefix, real_suffix, start_i, end_i)


def selector_resolve_dict(revision: ArticleRevision, selector: Any) -> Selector:
    """`selector_resolve` for a selector as clients send it: {exact, prefix, suffix, start,
    end}, any of them missing."""
    if not isinstance(selector, dict):
        raise InvalidSelector(
            "The selector must be an object with exact, prefix, suffix, start and end.",
            field="selector",
        )
    return selector_resolve(
        revision,
        exact=selector.get("exact"),
        prefix=selector.get("prefix"),
        suffix=selector.get("suffix"),
        start=selector.get("start"),
        end=selector.get("end"),
    )


def _locate_unique(text: str, exact: str, prefix: str, suffix: str) -> int:
    positions = []
    at = text.find(exact)
    while at != -1:
        positions.append(at)
        at = text.find(exact, at + 1)
    if not positions:
        raise InvalidSelector(
            f"The quote “{exact[:80]}” does not occur in the article text.", field="selector"
        )
    if len(positions) == 1:
        return positions[0]
    matching = [
        p
        for p in positions
        if text[:p].endswith(prefix) and text[p + len(exact) :].startswith(suffix)
    ]
    if len(matching) == 1 and (prefix or suffix):
        return matching[0]
    raise InvalidSelector(
        f"The quote “{exact[:80]}” occurs {len(positions)} times in the article; "
        "give start and end, or a prefix and suffix that single one out.",
        field="selector",
    )


def _verdict_from(value: Verdict | str | None) -> Verdict | None:
    if isinstance(value, Verdict):
        return value
    if not value:
        return None
    verdict = Verdict.objects.filter(slug=value).first()
    if verdict is None:
        slugs = ", ".join(Verdict.objects.values_list("slug", flat=True))
        raise InvalidInput(
            f"There is no verdict “{value}”. Choose one of: {slugs}.", field="verdict"
        )
    return verdict


def _check_length(field: str, value: str, limit: int, label: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"The {label} must be text.", field=field)
    if len(value) > limit:
        raise InvalidInput(
            f"The {label} is {len(value):,} characters long; the limit is {limit:,}.", field=field
        )
    return value


def _content(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    if "statement" in fields:
        cleaned["statement"] = _check_length(
            "statement", fields["statement"], limits.STATEMENT, "statement"
        ).strip()
    if "claimant" in fields:
        cleaned["claimant"] = _check_length(
            "claimant", fields["claimant"], limits.CLAIMANT, "claimant"
        ).strip()
    if "explanation" in fields:
        cleaned["explanation"] = _check_length(
            "explanation", fields["explanation"], limits.EXPLANATION, "explanation"
        ).strip()
    if "verdict" in fields:
        cleaned["verdict"] = _verdict_from(fields["verdict"])
    return cleaned


def with_round_editor(claim: Claim, user: User) -> list[int]:
    """The claim's editors in this review round, with `user` (four eyes reads them)."""
    editors = list(claim.round_editors or [])
    if user.pk not in editors:
        editors.append(user.pk)
    return editors


def _require_editor(user: User) -> None:
    if not may_edit(user):
        raise NotAllowed(EDIT_REFUSED.format(action="change claims"))


def claim_ensure_editable(claim: Claim, user: User) -> None:
    """Refuse changes to deleted, locked or in-review claims, naming why."""
    if claim.is_deleted:
        raise WorkflowError(
            f"This claim was deleted on {claim.deleted_at:%Y-%m-%d %H:%M}; it can no longer "
            "be changed."
        )
    if claim.status == ClaimStatus.APPROVED:
        raise WorkflowError(
            "This claim is approved and locked; a reviewer must reopen it before it can change."
        )
    if claim.status == ClaimStatus.REJECTED:
        raise WorkflowError("This claim was rejected and is kept as it was; it cannot change.")
    if claim.status == ClaimStatus.IN_REVIEW:
        raise WorkflowError(
            "This claim is in review; the reviewer must send it back before it can change."
        )
    _require_editor(user)


#: A sentence ends at . ! ? or … (with any closing quotes or brackets) before white space.
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*(?=\s)")
#: Words whose full stop does not end a sentence (compared lower-case, without the stop).
# fmt: off
_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "st", "gen", "lt", "col", "sgt", "capt", "maj", "cpl",
    "pvt", "adm", "gov", "sen", "rep", "rev", "jr", "sr", "no", "nos", "vs", "etc", "approx",
    "dept", "est", "fig", "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m",
})
# fmt: on


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    # The word before the stop (a short window: texts run to millions of characters).
    word = re.search(r"[\w.]*$", text[max(0, match.start() - 24) : match.start()])
    token = word.group(0).lower() if word else ""
    if match.group(0)[0] != ".":
        return True
    # "J. Smith", "U.S. troops", "Gen. Brooks": initials and abbreviations go on.
    return not (len(token) == 1 or token in _ABBREVIATIONS or "." in token)


def statement_default(text: str, start: int, end: int) -> str:
    """The whole sentence (or sentences) around `text[start:end]`, white space collapsed.

    What a new claim's statement starts as, for the editor to edit: a highlight is often
    a fragment ("hit at least five times"), and a published ClaimReview whose
    `claimReviewed` is a fragment does not read as a claim. The sentence stays inside the
    paragraph(s) of the selection; when it would exceed the statement limit the quote
    itself is used."""
    para_start = text.rfind("\n\n", 0, start)
    para_start = 0 if para_start == -1 else para_start + 2
    para_end = text.find("\n\n", end)
    para_end = len(text) if para_end == -1 else para_end
    begin = para_start
    for match in _SENTENCE_END.finditer(text, para_start, start):
        if _ends_sentence(text, match):
            begin = match.end()
    finish = para_end
    for match in _SENTENCE_END.finditer(text, max(start, end - 1), para_end):
        if match.start() >= end - 1 and _ends_sentence(text, match):
            finish = match.end()
            break
    sentence = " ".join(text[begin:finish].split())
    if not sentence or len(sentence) > limits.STATEMENT:
        return text[start:end]
    return sentence


#: How long an Idempotency-Key is remembered (API.md: "within 24 h").
IDEMPOTENCY_WINDOW = timedelta(hours=24)


def _idempotency_key(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if (
        not isinstance(value, str)
        or len(value) > limits.IDEMPOTENCY_KEY
        or not value.strip()
        or any(not 32 <= ord(ch) <= 126 for ch in value)
    ):
        raise InvalidInput(
            f"The Idempotency-Key must be 1 to {limits.IDEMPOTENCY_KEY} printable ASCII "
            "characters (a random UUID is a good choice); nothing was created.",
            field="idempotency_key",
        )
    return value


def _request_hash(**values: Any) -> str:
    def plain(value: Any) -> Any:
        if isinstance(value, Verdict):
            return value.slug
        if isinstance(value, (Article, ArticleRevision)):
            return value.pk
        return value

    canonical = json.dumps(
        {name: plain(value) for name, value in values.items()}, sort_keys=True, default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _claim_for_key(user: User, key: str, request_hash: str) -> Claim | None:
    """The claim this user's key already created (a replay), or None for a fresh key. A key
    older than the window is forgotten; one reused for other input is refused."""
    row = (
        IdempotencyKey.objects.filter(user=user, key=key)
        .values_list("pk", "claim_id", "request_hash", "created_at")
        .first()
    )
    if row is None:
        return None
    pk, claim_id, known_hash, created_at = row
    if created_at < timezone.now() - IDEMPOTENCY_WINDOW:
        IdempotencyKey.objects.filter(pk=pk).delete()
        return None
    if known_hash != request_hash:
        raise DuplicateRequest(
            "This Idempotency-Key was already used for a different claim; nothing was "
            "created. Send a new key for a new claim.",
            field="idempotency_key",
            existing_id=claim_id,
        )
    return Claim.objects.select_related("verdict").get(pk=claim_id)


@retry_deadlock_once
@transaction.atomic
def claim_create_once(
    *,
    article: Article,
    user: User,
    selector: dict[str, Any],
    idempotency_key: str | None = None,
    revision: ArticleRevision | None = None,
    statement: str = "",
    claimant: str = "",
    verdict: Verdict | str | None = None,
    explanation: str = "",
) -> tuple[Claim, bool]:
    """`claim_create` that also says whether the claim is a replay: ``(claim, replayed)``.

    With an `idempotency_key`, the same user sending the same key again within 24 hours
    (a double click, a retry after a lost answer) gets the claim the first request made,
    and nothing new is written. Two such requests at the same moment both miss the key at
    first; the unique (user, key) constraint makes the second wait for the first and then
    fail to insert, and it answers with the first one's claim. A request whose transaction
    died stored no key, so its retry creates the claim.
    """
    _require_editor(user)
    fields: dict[str, Any] = {
        "revision": revision,
        "statement": statement,
        "claimant": claimant,
        "verdict": verdict,
        "explanation": explanation,
    }
    key = _idempotency_key(idempotency_key)
    if key is None:
        return _claim_create(article=article, user=user, selector=selector, **fields), False
    request_hash = _request_hash(article=article, selector=selector, **fields)
    replay = _claim_for_key(user, key, request_hash)
    if replay is not None:
        return replay, True
    try:
        with transaction.atomic():
            claim = _claim_create(article=article, user=user, selector=selector, **fields)
            IdempotencyKey.objects.create(
                user=user, key=key, request_hash=request_hash, claim=claim
            )
    except IntegrityError:
        replay = _claim_for_key(user, key, request_hash)  # the twin committed first
        if replay is None:
            raise
        return replay, True
    return claim, False


def claim_create(
    *,
    article: Article,
    user: User,
    selector: dict[str, Any],
    idempotency_key: str | None = None,
    revision: ArticleRevision | None = None,
    statement: str = "",
    claimant: str = "",
    verdict: Verdict | str | None = None,
    explanation: str = "",
) -> Claim:
    """Create a draft claim on a span of the article's (current) revision; with an
    `idempotency_key`, at most once per user and key (see `claim_create_once`)."""
    claim, _replayed = claim_create_once(
        article=article,
        user=user,
        selector=selector,
        idempotency_key=idempotency_key,
        revision=revision,
        statement=statement,
        claimant=claimant,
        verdict=verdict,
        explanation=explanation,
    )
    return claim


def _claim_create(
    *,
    article: Article,
    user: User,
    selector: dict[str, Any],
    revision: ArticleRevision | None,
    statement: str,
    claimant: str,
    verdict: Verdict | str | None,
    explanation: str,
) -> Claim:
    # The article first (the one lock order), and its current revision as of the lock: a
    # version being loaded has finished moving the claims by then.
    current_revision_id = article_lock_touched(article.pk)
    if revision is None:
        revision = article.current_revision
        if current_revision_id is not None and current_revision_id != article.current_revision_id:
            revision = ArticleRevision.objects.get(pk=current_revision_id)
    if revision is None or revision.article_id != article.pk:
        raise InvalidInput("That revision does not belong to this article.", field="revision")
    resolved = selector_resolve_dict(revision, selector)
    content = _content(
        {
            "statement": statement or "",
            "claimant": claimant or "",
            "explanation": explanation or "",
            "verdict": verdict,
        }
    )
    if not content["statement"]:
        content["statement"] = statement_default(revision.text, resolved.start, resolved.end)
    with pghistory.context(user=user.pk, action="claim_create"):
        claim = Claim.objects.create(
            article=article,
            revision=revision,
            exact=resolved.exact,
            prefix=resolved.prefix,
            suffix=resolved.suffix,
            start=resolved.start,
            end=resolved.end,
            created_by=user,
            updated_by=user,
            round_editors=[user.pk],
            **content,
        )
    return claim


def _lock(claim: Claim) -> Claim:
    """Lock the claim's article, then the claim (the one order: see services.locks)."""
    article_lock(claim.article_id)
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("verdict", "updated_by")
        .get(pk=claim.pk)
    )


def claim_changes_since(
    claim: Claim, version: int, *, fields: tuple[str, ...] = CONTENT_FIELDS
) -> dict[str, list[Any]]:
    """What changed in the claim's `fields` (its content) after `version`: {field: [then,
    now]}."""
    # `events` is the reverse relation pghistory adds (ClaimEvent), unknown to the stubs.
    events = claim.events  # type: ignore[attr-defined]
    then = events.filter(version=version).order_by("-pgh_id").first()
    changes: dict[str, list[Any]] = {}
    if then is None:
        return changes
    for field in fields:
        attr = "verdict_id" if field == "verdict" else field
        before, after = getattr(then, attr), getattr(claim, attr)
        if before != after:
            if field == "verdict":
                labels = dict(Verdict.objects.values_list("id", "label"))
                before, after = labels.get(before), labels.get(after)
            changes[field] = [before, after]
    return changes


@retry_deadlock_once
@transaction.atomic
def claim_update(*, claim: Claim, user: User, version: Any, **fields: Any) -> Claim:
    """Change what a claim says. `version` is what the editor read; a stale one is refused
    with what the other person changed, so nothing is overwritten silently."""
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise InvalidInput(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    current = _lock(claim)
    claim_ensure_editable(current, user)
    try:
        version_read = int(version)
    except (TypeError, ValueError):
        raise InvalidInput(
            "The save must carry the claim's version (a whole number).", field="version"
        ) from None
    if version_read != current.version:
        who = current.updated_by.get_username() if current.updated_by else "someone"
        changes = claim_changes_since(current, version_read)
        described = "; ".join(
            f"{field}: “{before or '—'}” → “{after or '—'}”"
            for field, (before, after) in changes.items()
        )
        raise StaleVersion(
            f"{who} saved this claim while you were editing it (version {version_read} → "
            f"{current.version}). "
            + (f"They changed {described}. " if described else "")
            + "Nothing of yours was saved; reload the claim and apply your change again.",
            current_version=current.version,
            changes=changes,
        )
    content = _content(fields)
    changed = {k: v for k, v in content.items() if getattr(current, k) != v}
    if not changed:
        return current
    for key, value in changed.items():
        setattr(current, key, value)
    current.version += 1
    current.updated_by = user
    current.round_editors = with_round_editor(current, user)
    with pghistory.context(user=user.pk, action="claim_update"):
        current.save(
            update_fields=[*changed, "version", "updated_by", "round_editors", "updated_at"]
        )
    Article.objects.filter(pk=current.article_id).update(updated_at=timezone.now())
    return current


@transaction.atomic
def claim_delete(*, claim: Claim, user: User) -> Claim:
    """Delete a draft. The row stays (soft delete) so its history keeps its subject."""
    current = _lock(claim)
    if current.is_deleted:
        raise WorkflowError("This claim was already deleted.")
    if current.status != ClaimStatus.DRAFT:
        raise WorkflowError(
            f"Only drafts can be deleted; this claim is {current.get_status_display().lower()}."
        )
    _require_editor(user)
    current.deleted_at = timezone.now()
    current.deleted_by = user
    current.version += 1
    with pghistory.context(user=user.pk, action="claim_delete"):
        current.save(update_fields=["deleted_at", "deleted_by", "version", "updated_at"])
    return current


# --- Sources -------------------------------------------------------------------------------


def _check_url(value: str, field: str, label: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            raise InvalidInput(f"The {label} is required.", field=field)
        return ""
    if len(value) > limits.URL:
        raise InvalidInput(f"The {label} is longer than {limits.URL:,} characters.", field=field)
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise InvalidInput(
            f"The {label} must be a web address starting with http:// or https://.", field=field
        )
    return value


def _source_fields(fields: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    if "url" in fields or not partial:
        cleaned["url"] = _check_url(fields.get("url", ""), "url", "source URL")
    if "archived_url" in fields or not partial:
        cleaned["archived_url"] = _check_url(
            fields.get("archived_url", ""), "archived_url", "archived copy's URL"
        )
    if "title" in fields or not partial:
        # An untitled source keeps an empty title (pages show its URL instead): copying the
        # URL in would pass it off as a title someone typed, and stay stale if the URL changes.
        cleaned["title"] = _check_length(
            "title", fields.get("title") or "", limits.TITLE, "source title"
        ).strip()
    if "publisher" in fields:
        cleaned["publisher"] = _check_length(
            "publisher", fields["publisher"] or "", limits.PUBLISHER, "publisher"
        ).strip()
    if "excerpt" in fields:
        cleaned["excerpt"] = _check_length(
            "excerpt", fields["excerpt"] or "", limits.EXCERPT, "excerpt"
        ).strip()
    if "kind" in fields:
        kind = fields["kind"] or SourceKind.OTHER
        if kind not in SourceKind.values:
            raise InvalidInput(
                f"“{kind}” is not a kind of source; choose one of: {', '.join(SourceKind.values)}.",
                field="kind",
            )
        cleaned["kind"] = kind
    if "accessed_at" in fields:
        accessed = fields["accessed_at"]
        if isinstance(accessed, str):
            try:
                accessed = date.fromisoformat(accessed) if accessed else None
            except ValueError:
                raise InvalidInput(
                    "The accessed date must be a date like 2026-11-26.", field="accessed_at"
                ) from None
        if accessed is not None and accessed > timezone.localdate():
            raise InvalidInput("The accessed date lies in the future.", field="accessed_at")
        cleaned["accessed_at"] = accessed
    return cleaned


def _stance(value: Any) -> str:
    stance = value or Stance.SUPPORTS
    if stance not in Stance.values:
        raise InvalidInput(
            f"“{stance}” is not a stance; choose supports, refutes or context.", field="stance"
        )
    return stance


def _touch(claim: Claim, user: User) -> None:
    # A source change is an edit of the claim: four eyes counts it, the list re-sorts.
    # `claim` is the locked row, so its round editors are current.
    Claim.objects.filter(pk=claim.pk).update(
        updated_by=user, updated_at=timezone.now(), round_editors=with_round_editor(claim, user)
    )
    Article.objects.filter(pk=claim.article_id).update(updated_at=timezone.now())


def _require_title_or_url(title: str, url: str) -> None:
    """The database holds this too (`source_title_or_url`); here it gets a message."""
    if not title and not url:
        raise InvalidInput("A source needs a title or a URL.", field="title")


@retry_deadlock_once
@transaction.atomic
def source_attach(
    *, claim: Claim, user: User, stance: str = Stance.SUPPORTS, **fields: Any
) -> ClaimSource:
    """Add evidence to a claim: a new Source linked with its stance."""
    current = _lock(claim)
    claim_ensure_editable(current, user)
    cleaned = _source_fields(fields, partial=False)
    _require_title_or_url(cleaned["title"], cleaned["url"])
    stance = _stance(stance)
    with pghistory.context(user=user.pk, action="source_attach", claim=current.pk):
        source = Source.objects.create(created_by=user, **cleaned)
        link = ClaimSource.objects.create(claim=current, source=source, stance=stance)
    if source.url:
        # Evidence that lasts: the snapshot job is enqueued in this transaction.
        source_archive_request(source=source, user=user)
    _touch(current, user)
    return link


@retry_deadlock_once
@transaction.atomic
def source_update(*, claim_source: ClaimSource, user: User, **fields: Any) -> ClaimSource:
    """Edit a source's details or its stance on the claim."""
    claim = _lock(claim_source.claim)
    claim_ensure_editable(claim, user)
    stance = fields.pop("stance", None)
    cleaned = _source_fields(fields, partial=True)
    current = claim_source.source
    _require_title_or_url(cleaned.get("title", current.title), cleaned.get("url", current.url))
    with pghistory.context(user=user.pk, action="source_update", claim=claim.pk):
        if cleaned:
            Source.objects.filter(pk=claim_source.source_id).update(
                updated_at=timezone.now(), **cleaned
            )
        if stance is not None:
            claim_source.stance = _stance(stance)
            claim_source.save(update_fields=["stance"])
    _touch(claim, user)
    claim_source.source.refresh_from_db()
    return claim_source


@retry_deadlock_once
@transaction.atomic
def source_detach(*, claim_source: ClaimSource, user: User) -> None:
    """Remove a source from a claim. The Source row and the history stay."""
    claim = _lock(claim_source.claim)
    claim_ensure_editable(claim, user)
    with pghistory.context(user=user.pk, action="source_detach", claim=claim.pk):
        claim_source.delete()
    _touch(claim, user)


# --- Comments ------------------------------------------------------------------------------


@transaction.atomic
def comment_add(*, claim: Claim, user: User, body: str) -> Comment:
    """Add to the discussion on a claim (allowed in every status but deleted)."""
    if not may_edit(user):
        raise NotAllowed(EDIT_REFUSED.format(action="comment"))
    if claim.is_deleted:
        raise WorkflowError("This claim was deleted; it takes no more comments.")
    body = _check_length("body", body, limits.COMMENT, "comment").strip()
    if not body:
        raise InvalidInput("The comment is empty.", field="body")
    comment = Comment.objects.create(claim=claim, author=user, body=body)
    from annotations.services.notifications import notify_comment  # imports claims' models only

    notify_comment(claim=claim, actor=user)
    return comment
