"""What an HTML page's extraction leaves out, and where it stood.

trafilatura keeps the article and silently drops the rest of the page. An editor must
see what was dropped — the navigation, the comments, the newsletter box, the footer —
and where, and be able to put any of it back (a fact box in an ``<aside>`` may be part of
the story). This module walks the page once, finds the blocks a page marks as chrome
(by tag, ARIA role, or class and id words such as ``comments``, ``share``,
``newsletter``), and places each between the extracted paragraphs by finding those
paragraphs in the page's running text.

Pure Python on an lxml tree; no Django.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

from lxml import etree

_SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "embed",
     "canvas", "select", "option", "math", "title", "meta", "link"}
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
     "header", "footer", "nav", "aside", "form", "label", "button", "tr", "td", "th", "dd",
     "dt", "dl", "blockquote", "figure", "figcaption", "table", "main", "details", "summary",
     "pre", "address", "fieldset", "legend", "textarea", "hr", "br"}
)  # fmt: skip
# Never chrome themselves: the page, and the elements that hold the article.
_CONTAINER_TAGS = frozenset({"html", "body", "main", "article"})
_TAG_KINDS = {"nav": "navigation", "footer": "footer", "aside": "sidebar"}
_ROLE_KINDS = {
    "navigation": "navigation",
    "banner": "navigation",
    "search": "navigation",
    "contentinfo": "footer",
    "complementary": "sidebar",
}
# Words of class and id attributes (split at spaces, "-" and "_"), first match wins.
_WORD_KINDS: list[tuple[str, frozenset[str]]] = [
    ("comments", frozenset({"comment", "comments", "commentlist", "respond", "disqus",
                            "discussion", "replies"})),
    ("share", frozenset({"share", "sharing", "sharedaddy", "social", "sharethis", "addtoany",
                         "a2a", "likebox", "likes"})),
    ("newsletter", frozenset({"newsletter", "subscribe", "subscription", "signup", "mailchimp",
                              "mc4wp", "optin", "mailing"})),
    ("related", frozenset({"related", "relatedposts", "recommended", "recirc", "outbrain",
                           "taboola", "popular", "trending", "readmore"})),
    ("advertisement", frozenset({"ad", "ads", "advert", "adverts", "advertisement",
                                 "adsbygoogle", "adslot", "adunit", "sponsored", "dfp"})),
    ("cookies", frozenset({"cookie", "cookies", "consent", "gdpr"})),
    ("navigation", frozenset({"nav", "navbar", "navigation", "menu", "breadcrumb",
                              "breadcrumbs", "masthead", "skip", "topbar", "skiplink"})),
    ("footer", frozenset({"footer", "colophon"})),
    ("sidebar", frozenset({"sidebar", "widget", "widgets"})),
]  # fmt: skip
_WORD_SPLIT = re.compile(r"[\s_-]+")
#: How much of a paragraph is looked for in the page's text to place it.
_KEY_CHARS = 40
# Elements that may be chrome, found by lxml in C (most of a page's elements have no
# class, id or role, and a Python loop over all of them cost more than the rest).
_HIDDEN = etree.XPath(
    "//*[@hidden or @aria-hidden='true' or contains(translate(@style, ' ', ''), 'display:none')]"
)
_CANDIDATES = etree.XPath("//*[@class or @id or @role] | //nav | //footer | //aside | //header")
# Stands for a chrome block in the running text until whitespace is squashed.
_MARK = "\ue000chrome\ue000"


@dataclass(frozen=True, slots=True)
class ChromeBlock:
    """A block of page chrome: its kind, its lines, and how many extracted paragraphs
    (of ``body``) came before it in the page."""

    kind: str
    lines: tuple[str, ...]
    before: int


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _kind_of(el: etree._Element, tag: str, in_article: bool) -> str | None:
    if tag in _CONTAINER_TAGS:
        return None
    role = (el.get("role") or "").strip().lower()
    if role in _ROLE_KINDS:
        return _ROLE_KINDS[role]
    attrs = f"{el.get('id') or ''} {el.get('class') or ''}".lower()
    if attrs.strip():
        words = set(_WORD_SPLIT.split(attrs))
        for kind, vocabulary in _WORD_KINDS:
            if words & vocabulary:
                return kind
    if tag == "header" and not in_article:
        return "navigation"
    return _TAG_KINDS.get(tag)


def _block_lines(el: etree._Element) -> list[str]:
    """The element's visible text, one line per block (list item, paragraph, button …).

    Marks block boundaries with newlines in the tree itself (only whitespace is added)
    and lets lxml write the text: a Python walk over a 60-link menu cost more than the
    rest of ``find_chrome``.
    """
    for block in el.iter(*_BLOCK_TAGS):
        block.text = "\n" + (block.text or "")
        block.tail = "\n" + (block.tail or "")
    for button in el.iter("input"):
        if (button.get("type") or "").lower() in {"submit", "button"}:
            button.tail = "\n" + (button.get("value") or "") + "\n" + (button.tail or "")
    text = etree.tostring(el, method="text", encoding="unicode", with_tail=False)
    return [line for line in (_norm(piece) for piece in text.split("\n")) if line]


def _position(doc: str, line: str, start: int) -> int:
    """Where ``line`` (an extracted paragraph) starts in ``doc`` from ``start``, or -1."""
    text = _norm(line)
    if text.startswith("- "):  # trafilatura writes list items as "- item"
        text = text[2:]
    for key in (text[:_KEY_CHARS], text[-_KEY_CHARS:]):
        if key:
            found = doc.find(key, start)
            if found >= 0:
                return found
    return -1


def _inside(el: etree._Element, chosen: set[etree._Element]) -> bool:
    return any(ancestor in chosen for ancestor in el.iterancestors())


def _drop(el: etree._Element) -> None:
    """Remove ``el`` and its content, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def find_chrome(root: etree._Element, body: list[str]) -> list[ChromeBlock]:
    """The chrome blocks of the page ``root`` whose text extraction left out.

    ``body`` is the extracted text, one paragraph per item. A block whose lines are
    mostly in ``body`` is not chrome after all (a wrapper whose class says "comments"
    around the article) and is looked into instead; lines already in ``body`` are not
    reported again. ``root`` is changed (each block is replaced by a marker, scripts are
    stripped), so pass a tree nothing else needs: trafilatura works on its own copy.
    """
    # The extracted lines are canonical already (one space, NFC).
    in_body = {line.removeprefix("- ") for line in body}
    etree.strip_elements(root, *_SKIP_TAGS, with_tail=False)
    for hidden in _HIDDEN(root):
        _drop(hidden)
    found: list[tuple[etree._Element, str, list[str]]] = []
    chosen: set[etree._Element] = set()
    for node in _CANDIDATES(root):  # in document order
        tag = node.tag
        if not isinstance(tag, str) or tag in _CONTAINER_TAGS:
            continue
        kind = _kind_of(node, tag, False)
        if kind is None or _inside(node, chosen):
            continue
        if (
            tag == "header"
            and kind == "navigation"
            and not node.get("role")
            and any(a.tag in ("article", "main") for a in node.iterancestors())
        ):
            continue  # an article's own header: headline and byline
        lines = _block_lines(node)
        outside = [line for line in lines if line not in in_body]
        if len(outside) * 2 > len(lines):
            found.append((node, kind, outside))
            chosen.add(node)
    if not found:
        return []
    # The page's running text without the chrome: each block becomes a marker, so the
    # blocks and the paragraphs share one coordinate system (lxml's own text output).
    for node, _kind, _lines in found:
        marker = etree.Element("span")
        marker.text = _MARK
        marker.tail = node.tail
        parent = node.getparent()
        if parent is not None:
            parent.replace(node, marker)
    raw_text = etree.tostring(root, method="text", encoding="unicode")
    # str.split() squashes whitespace several times faster than a regex on a whole page.
    text = unicodedata.normalize("NFC", " ".join(raw_text.split()))
    offsets: list[int] = []
    at = text.find(_MARK)
    while at >= 0:
        offsets.append(at)
        at = text.find(_MARK, at + 1)
    positions: list[int] = []
    start = 0
    for line in body:
        at = _position(text, line, start)
        if at >= 0:
            start = at + 1
        positions.append(at)
    # Paragraphs not found in the page go with the one before them (or the first found).
    first = next((at for at in positions if at >= 0), 0)
    last = first
    for index, at in enumerate(positions):
        last = at if at >= 0 else last
        positions[index] = last
    return [
        ChromeBlock(kind=kind, lines=tuple(lines), before=bisect_left(positions, offset))
        for (_node, kind, lines), offset in zip(found, offsets, strict=True)
    ]
