"""HTML (pasted, uploaded or fetched) → canonical text plus metadata.

trafilatura finds the article body and its metadata; its text then goes through the
very same ``clean_text`` as pasted text, so an article pasted as text and loaded as
HTML gives the same canonical text wherever the extraction allows. trafilatura is
only ever handed a string: it never fetches anything itself (``fetch.fetch_url`` does
that, with an SSRF guard).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection
from dataclasses import dataclass, field

import trafilatura
from lxml import etree
from trafilatura.utils import load_html

from .chrome import find_chrome
from .clean import (
    HEADLINE_MAX_CHARS,
    MAX_TEXT_CHARS,
    Line,
    RemovedPart,
    _normalise,
    finish,
    lines_of,
    mark_boilerplate,
)
from .decode import (
    binary_kind,
    charset_of,
    decode_bytes,
    looks_like_html,
    mime_type,
    not_text_message,
)
from .errors import EmptyInput, NoReadableBody, NotText, TooLarge
from .sanitize import sanitize_html

MAX_HTML_BYTES = 5_000_000
MAX_UPLOAD_BYTES = MAX_HTML_BYTES
#: Fewer words than this is page furniture (a nav bar, a cookie notice), not an article.
MIN_ARTICLE_WORDS = 8
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True)


@dataclass(frozen=True, slots=True)
class Extracted:
    """Canonical text of an HTML page and what we learnt about it.

    ``removed`` holds what was left out: the page chrome extraction dropped (navigation,
    comments, footer …) and what cleaning cut from the extracted text, in page order;
    ``parts`` says what each was and where it stood. Metadata fields are "" / None when
    unknown. ``raw_html_sanitized`` is the whole input under the display policy.
    """

    text: str
    removed: str
    title: str
    byline: str
    outlet: str
    published_at: datetime.date | None
    #: The input, for ``raw_html_sanitized``.
    html: str = field(default="", repr=False)
    parts: tuple[RemovedPart, ...] = field(default=())

    @property
    def raw_html_sanitized(self) -> str:
        """The whole input under the display policy, made when asked for.

        Nothing in a load reads it, and sanitising a whole page cost as much as finding
        its chrome, so it is no longer paid on every load.
        """
        return sanitize_html(self.html)


_META_TITLE = re.compile(
    r"""<meta\s[^>]*?(?:property|name)\s*=\s*["'](?:og:title|twitter:title)["'][^>]*?"""
    r"""content\s*=\s*["']([^"']{1,1000})["']""",
    re.IGNORECASE,
)
_TITLE_TAG = re.compile(r"<title[^>]*>(.{1,1000}?)</title\s*>", re.IGNORECASE | re.DOTALL)
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _html_size_check(html: str) -> None:
    # len() is a cheap lower bound on the UTF-8 size; encode only when it matters.
    if len(html) > MAX_HTML_BYTES or (
        len(html) * 4 > MAX_HTML_BYTES
        and len(html.encode("utf-8", "surrogatepass")) > MAX_HTML_BYTES
    ):
        raise TooLarge(
            f"The page is too large to load (the limit is {MAX_HTML_BYTES // 1_000_000} MB).",
            field="html",
        )


def _fallback_title(html: str) -> str:
    import html as html_lib

    for pattern in (_META_TITLE, _TITLE_TAG):
        match = pattern.search(html[:200_000])
        if match:
            title = " ".join(html_lib.unescape(match.group(1)).split())
            if title:
                return title
    return ""


def _parse_date(value: str | None) -> datetime.date | None:
    match = _ISO_DATE.match(value or "")
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _page_tree(html: str) -> etree._Element | None:
    """The page parsed for ``find_chrome``, or None.

    Parsed a second time on purpose: handing trafilatura a tree makes it copy it, which
    costs more than lxml's plain HTML parser (no ``lxml.html`` element classes) takes to
    parse again; ``find_chrome`` may then change its own tree freely.
    """
    try:
        return etree.fromstring(html, _PARSER)
    except (ValueError, etree.XMLSyntaxError):  # an XML declaration with an encoding
        return load_html(html)


def _with_chrome(body: str, html: str) -> list[Line]:
    """The extracted paragraphs as marked lines, with the dropped chrome put between them.

    Chrome lines are candidates for removal like any boilerplate, so ``remove_only`` can
    keep a navigation bar or a fact box in the very place the page had it.
    """
    lines = lines_of(_normalise(body))
    mark_boilerplate(lines)
    tree = _page_tree(html)
    blocks = find_chrome(tree, [line.text for line in lines]) if tree is not None else []
    if not blocks:
        return lines
    merged: list[Line] = []
    taken = 0
    for block in blocks:
        merged.extend(lines[taken : block.before])
        taken = max(taken, block.before)
        texts = "\n".join(_normalise("\n".join(block.lines))).split("\n")
        for index, text in enumerate(t for t in texts if t):
            merged.append(Line(text, new_paragraph=index == 0, kind=block.kind))
    merged.extend(lines[taken:])
    return merged


def extract_html(
    html: str, *, url: str = "", remove_only: Collection[int] | None = None
) -> Extracted:
    """Extract the article in ``html``; ``url`` (if known) helps metadata and links.

    ``remove_only`` (part numbers) puts every other removed part back where the page had
    it, as ``clean_text`` does.

    Raises ``EmptyInput`` for blank input, ``TooLarge`` above ``MAX_HTML_BYTES`` (UTF-8
    bytes) and ``NoReadableBody`` when no article text can be found.
    """
    if not isinstance(html, str):
        raise TypeError(f"extract_html expects str, not {type(html).__name__}")
    _html_size_check(html)
    if not html.strip():
        raise EmptyInput("The page is empty.", field="html")

    document = trafilatura.bare_extraction(
        html,
        url=url or None,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=True,
        deduplicate=False,
        # No "extensive search": it guesses a date from any year in the text (an article
        # mentioning "2019" was dated 2019-01-01). Only dates the page declares count.
        date_extraction_params={
            "extensive_search": False,
            "original_date": True,
            "max_date": datetime.date.today().isoformat(),
        },
    )
    body = (getattr(document, "text", None) or "").strip() if document is not None else ""
    if document is None or isinstance(document, dict) or not body:
        raise NoReadableBody(
            "No article text could be found in that page. Try pasting the article's text instead.",
            field="html",
        )
    # trafilatura's text output puts one newline between blocks; the canonical text
    # separates paragraphs with a blank line.
    body = re.sub(r"\n+", "\n\n", body)
    if len(body) > MAX_TEXT_CHARS:
        raise TooLarge(
            f"The page's text is too long to load (the limit is {MAX_TEXT_CHARS:,} characters).",
            field="html",
        )
    try:
        cleaned = finish(_with_chrome(body, html), field="html", remove_only=remove_only)
    except EmptyInput as exc:
        raise NoReadableBody(
            "The page contains no article text, only page furniture (navigation, comment "
            "forms, share buttons …), so it does not look like an article. Try pasting the "
            "article's text instead.",
            field="html",
        ) from exc
    words = len(cleaned.text.split())
    if words < MIN_ARTICLE_WORDS:
        # A page of navigation links ("Home") is not an article; claims need sentences.
        raise NoReadableBody(
            f"Only {words} word{'s' if words != 1 else ''} of text could be found in that page "
            "(“" + cleaned.text[:60] + "”), which does not look like an article. "
            "Try pasting the article's text instead.",
            field="html",
        )

    title = " ".join((document.title or "").split()) or _fallback_title(html)
    title = (title or cleaned.headline_guess)[:HEADLINE_MAX_CHARS]
    return Extracted(
        text=cleaned.text,
        removed=cleaned.removed,
        title=title,
        byline=" ".join((document.author or "").split()),
        outlet=" ".join((document.sitename or "").split()),
        published_at=_parse_date(document.date),
        html=html,
        parts=cleaned.parts,
    )


def decode_upload(data: bytes, filename: str = "", content_type: str = "") -> tuple[str, str]:
    """Decode an uploaded file; return ``(text, kind)`` with kind "html" or "text".

    Raises ``TooLarge`` above ``MAX_UPLOAD_BYTES``, ``EmptyInput`` for an empty file
    and ``NotText`` for binary files (PDF, images, archives …), all on field "file".
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise TooLarge(
            f"The file is too large to load ({len(data) / 1_000_000:.1f} MB; "
            f"the limit is {MAX_UPLOAD_BYTES // 1_000_000} MB).",
            field="file",
        )
    if not data.strip():
        raise EmptyInput("The file is empty.", field="file")
    kind = binary_kind(data, content_type)
    if kind:
        raise NotText(not_text_message(kind), field="file")
    text, _codec = decode_bytes(data, declared=charset_of(content_type), field="file")
    if not text.strip():
        raise EmptyInput("The file is empty.", field="file")
    html = looks_like_html(text, filename=filename, content_type=mime_type(content_type))
    return text, "html" if html else "text"
