"""What loading removed, said in an editor's words (the revision page's "Removed when
loading", the load messages and the "keep it" answer).

Each part gets its label ("comments and comment form"), where it stood ("at the end,
after “…dignified country.”"), and the words for its "keep it" button. No queries: it
reads ``revision.text`` and ``revision.removed_parts`` only.
"""

from __future__ import annotations

from dataclasses import dataclass

from annotations.ingest import KIND_LABELS
from annotations.models import ArticleRevision

#: How much of the neighbouring text is quoted to show where a part stood.
QUOTE_CHARS = 50


@dataclass(frozen=True, slots=True)
class RemovedPartView:
    #: ``RemovedPart.n``, or None for a revision loaded before parts were recorded.
    n: int | None
    label: str
    text: str
    #: "start", "middle" or "end".
    place: str
    where: str
    button: str


def _quote_before(text: str) -> str:
    tail = " ".join(text[-QUOTE_CHARS * 2 :].split())
    return ("…" if len(tail) > QUOTE_CHARS else "") + tail[-QUOTE_CHARS:]


def _quote_after(text: str) -> str:
    head = " ".join(text[: QUOTE_CHARS * 2].split())
    return head[:QUOTE_CHARS] + ("…" if len(head) > QUOTE_CHARS else "")


def where_removed(text: str, at: int) -> tuple[str, str, str]:
    """``(place, where, button)`` for a part that stood at offset ``at`` of ``text``."""
    if at <= 0:
        return (
            "start",
            f"at the start, before “{_quote_after(text)}”",
            "put it back at the start",
        )
    if at >= len(text):
        return ("end", f"at the end, after “{_quote_before(text)}”", "put it back at the end")
    paragraph = text.count("\n\n", 0, at) + 1
    if text.endswith("\n\n", 0, at):
        where = f"in the middle, between paragraphs {paragraph - 1} and {paragraph}"
        button = f"put it back between paragraphs {paragraph - 1} and {paragraph}"
    else:
        where = f"in the middle of paragraph {paragraph}"
        button = f"put it back in paragraph {paragraph}"
    return ("middle", f"{where}, after “{_quote_before(text[:at])}”", button)


def removed_parts_of(revision: ArticleRevision) -> list[RemovedPartView]:
    """The revision's removed parts in document order, ready to show."""
    if not revision.removed:
        return []
    if not revision.removed_parts:
        # Loaded before parts were recorded: one block, kept by appending it.
        return [
            RemovedPartView(
                n=None,
                label=KIND_LABELS["chrome"],
                text=revision.removed,
                place="end",
                where="taken out of the input; keeping it adds it at the end",
                button="add it at the end",
            )
        ]
    views = []
    for part in revision.removed_parts:
        place, where, button = where_removed(revision.text, int(part["at"]))
        views.append(
            RemovedPartView(
                n=int(part["n"]),
                label=KIND_LABELS.get(str(part["kind"]), KIND_LABELS["chrome"]),
                text=str(part["text"]),
                place=place,
                where=where,
                button=button,
            )
        )
    return views


def removed_summary(revision: ArticleRevision) -> str:
    """ "site navigation (start), advertisement (middle), comments … (end)"."""
    return ", ".join(f"{part.label} ({part.place})" for part in removed_parts_of(revision))
