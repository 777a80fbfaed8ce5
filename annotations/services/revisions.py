"""A new version from the current text: fix one sentence without pasting the article again.

The new-revision form starts from the current revision's text; the editor edits it, sees a
word-level diff (``revision_edit_preview``, no writes) and saves (``revision_edit``), which
loads the edited text as the next revision through the same path as any other load, so
claims are re-anchored and the report follows.

- The edited text goes through the same cleaning as pasted text, so what is previewed is
  exactly what would be saved; nothing the editor kept is dropped as boilerplate (the
  editor is editing our own canonical text, so whatever cleaning would remove is kept).
- The form carries the number of the revision the editor started from. If another
  revision was loaded meanwhile, saving would silently undo it: the save is refused,
  naming the newer revision, and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from annotations.models import Article, ArticleRevision
from annotations.selectors.reanchor import RevisionDiff, revision_diff
from annotations.services.articles import Loaded, Prepared, article_prepare, revision_load
from annotations.services.errors import InvalidInput, StaleVersion


@dataclass(frozen=True)
class EditPreview:
    """What saving the edited text would make: the text, and its diff from the base."""

    base: ArticleRevision
    text: str
    diff: RevisionDiff


def _base(article: Article, base_number: Any) -> ArticleRevision:
    current = article.current_revision
    if current is None:
        raise InvalidInput("The article has no text to start from.", field="edited_text")
    try:
        number = int(base_number)
    except (TypeError, ValueError):
        raise InvalidInput(
            "The form must say which revision you started from; reload the page.",
            field="edited_text",
        ) from None
    if number != current.number:
        raise StaleVersion(
            f"You started from revision {number}, but revision {current.number} was loaded "
            "since; nothing was saved. Start again from the current text (copy your change "
            "first).",
            current_version=current.number,
            field="edited_text",
        )
    return current


def _prepare(text: Any) -> Prepared:
    if not isinstance(text, str):
        raise InvalidInput("The edited text must be text.", field="edited_text")
    try:
        prepared = article_prepare(text=text)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, field="edited_text") from exc
    if prepared.removed:
        # Our own canonical text, edited: keep what cleaning would take for boilerplate.
        prepared = Prepared(
            text=prepared.text + "\n\n" + prepared.removed,
            raw=prepared.raw,
            removed="",
            input_format=prepared.input_format,
            source_url=prepared.source_url,
            title=prepared.title,
        )
    return prepared


def revision_edit_preview(*, article: Article, text: Any, base_number: Any) -> EditPreview:
    """The diff between the revision the editor started from and their edit. No writes."""
    base = _base(article, base_number)
    prepared = _prepare(text)
    return EditPreview(base=base, text=prepared.text, diff=revision_diff(base.text, prepared.text))


@transaction.atomic
def revision_edit(*, article: Article, user: User, text: Any, base_number: Any) -> Loaded:
    """Save the edited current text as the article's next revision (claims follow).

    Refuses (409) when another revision was loaded since the editor started, and, like any
    load, text identical to the current revision.
    """
    locked = (
        Article.objects.select_for_update(of=("self",))
        .select_related("current_revision")
        .get(pk=article.pk)
    )
    _base(locked, base_number)
    prepared = _prepare(text)
    # keep_removed: the same cleaning runs again on the saved text; keep what it would cut,
    # as the preview did, so the revision is exactly what the editor saw.
    return revision_load(article=locked, user=user, text=prepared.text, keep_removed=True)
