"""Turn whatever text an editor gives us into the one canonical plain text.

Every claim offset counts Unicode code points of the canonical text, so the rules here
fix, once and for all, what a "character" of an article is. They are deliberately
simple and deterministic: the same input always gives the same text, and text that is
already canonical is returned unchanged (``clean_text`` is idempotent).

What the rules do, in order:

1. One newline convention: CRLF, CR, NEL, VT, FF, LINE/PARAGRAPH SEPARATOR become
   ``\n`` (a paragraph separator becomes a blank line).
2. Odd spaces (NBSP, thin and narrow spaces, tabs …) become a plain space; invisible
   characters that carry no text (zero-width space, word joiner, BOM, soft hyphen,
   control characters) are dropped. Zero-width (non-)joiners are kept: they change how
   Persian, Indic scripts and emoji sequences are written, so they are real text.
3. Unicode NFC, so "é" typed two ways counts as one code point both times (done after
   step 2, so dropping an invisible character cannot leave a non-NFC pair behind).
4. Per line: runs of spaces collapse to one, leading and trailing spaces go.
5. Paragraphs are blocks separated by blank lines, rejoined with exactly one blank line.
6. Boilerplate paragraphs are removed, conservatively (see ``_boilerplate_cut``), and
   returned in ``removed`` so nothing disappears silently.

Curly quotes, dashes and ellipses are kept: they are the article's real text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import EmptyInput, TooLarge

MAX_TEXT_CHARS = 2_000_000
HEADLINE_MAX_CHARS = 300

# Characters that become a plain space: tab, NBSP, Ogham space, the U+2000 block of
# typographic spaces, narrow NBSP, medium mathematical space, ideographic space.
_SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
_SPACES += "\u202f\u205f\u3000"
# Characters that are dropped: zero-width space, word joiner, BOM / zero-width no-break
# space, soft hyphen, Mongolian vowel separator, invisible math operators.
_DROPPED = "\u200b\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064"
# Line breaks other than "\n": they become "\n" (U+2029 ends a paragraph, so "\n\n").
_NEWLINES = {"\r\n": "\n", "\r": "\n", "\u0085": "\n", "\u2028": "\n", "\u2029": "\n\n"}
_NEWLINE_RE = re.compile("\r\n|[\r\u0085\u2028\u2029\v\f]")


_CONTROLS = "".join(
    chr(cp) for cp in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)] if chr(cp) not in "\n\t"
)
# Regexes, not str.translate: translate walks every character through a dict and was
# 5x slower on 2 MB of text; these only touch the (rare) characters they match.
_DROP_RE = re.compile(f"[{re.escape(_DROPPED + _CONTROLS)}]+")
# A run of two or more spaces of any kind, or a single odd space.
_SPACE_RE = re.compile(f"[ {re.escape(_SPACES)}]{{2,}}|[{re.escape(_SPACES)}]")


@dataclass(frozen=True, slots=True)
class CleanResult:
    """The canonical text, what cleaning removed, and a headline guess.

    ``removed`` holds the removed paragraphs in document order, joined by a blank line,
    exactly as they read after steps 1-4 (spaces normalised, words untouched).
    """

    text: str
    removed: str
    headline_guess: str


# --- boilerplate -------------------------------------------------------------------------
#
# Each pattern must match a WHOLE paragraph (whitespace collapsed, case-insensitive).
# Whole-paragraph matching is what keeps this safe: a sentence that merely mentions
# "cookies" or "Twitter" is never touched.

_SHARE_SITES = (
    r"(?:twitter|x|facebook|linkedin|reddit|tumblr|pinterest|pocket|telegram|whatsapp"
    r"|email|e-mail|print|threads|bluesky|mastodon|flipboard|messenger|skype)"
)
_OPENS = r"(?:\s*\(opens in new window\))?"

_BOILERPLATE_PATTERNS = [
    # WordPress comment form and its relatives.
    r"leave a (?:reply|comment)(?: cancel reply)?",
    r"leave a reply to .{1,80}",
    r"cancel reply",
    r"fill in your details below or click an icon to log in:?(?: logo)?",
    r"you are commenting using your (?:[\w.+-]+ )?account\.?(?: log ?out / change \)?)?",
    r"connecting to %s",
    r"(?:twitter|facebook|google\+?|wordpress\.com|gravatar|linkedin) (?:picture|photo|logo)",
    r"logo",
    r"notify me of (?:new comments|new posts|follow-up comments).{0,80}",
    r"post (?:a )?comment",
    r"post was not sent - check your email addresses!",
    r"email check failed, please try again",
    r"sorry, your blog cannot share posts by email\.",
    r"(?:\d+ )?(?:comments?|responses?|replies)",
    r"comments are closed\.?",
    r"(?:show|view|load|read) (?:all |more )?(?:\d+ )?comments",
    r"join the (?:conversation|discussion)",
    r"(?:name|email|website|comment)\s*\*?(?: \(required\))?",
    r"save my name, email, and website in this browser for the next time i comment\.",
    r"your email address will not be published\.?(?: required fields are marked \*)?",
    # Share buttons.
    r"share this(?: article| story| post)?:?",
    r"share(?: on| via)? " + _SHARE_SITES + _OPENS,
    r"click to (?:share on |email |print)" + r"[\w .+-]{0,40}" + _OPENS,
    r"click to (?:email a link to a friend|print)" + _OPENS,
    _SHARE_SITES + _OPENS,
    r"(?:share|tweet|pin(?: it)?|copy link|more|follow|subscribe|sign up|sign in|log in)",
    r"like this:?",
    r"like loading\.{3}|loading\.{3}|loading…|like loading…",
    r"be the first to like this\.?",
    # Log-in prompts.
    r"(?:log|sign) in(?: to (?:comment|reply|continue))?\.?",
    r"you must be logged in to post a comment\.?",
    r"log in to reply\.?",
    r"already (?:a subscriber|have an account)\?.{0,60}",
    # "Related" lists and their headings.
    r"related(?: articles| posts| stories| content| coverage| reading| links| topics)?:?",
    r"(?:see|read) (?:also|more):?",
    r"more (?:from|on|stories from|in) [^.!?]{1,50}",
    r"you (?:may|might) also (?:like|be interested in):?",
    r"recommended(?: for you| reading| stories)?:?",
    r"(?:trending|popular|most read|most popular|top stories)(?: now)?:?",
    r"(?:tags|tagged|filed under|categories|category)\s*:.{0,200}",
    # Newsletters.
    r"(?:sign up|subscribe)(?: now| today)?(?: (?:for|to) (?:our|the) .{0,60})?\.?",
    r".{0,60}\bnewsletter\b.{0,100}",
    r"enter your email(?: address)?.{0,100}",
    r"get (?:the latest|our best|breaking).{0,80}(?:inbox|email)\.?",
    # Cookie notices.
    r"(?:privacy & cookies: )?this (?:site|website) uses cookies\b.{0,400}",
    r"we use cookies\b.{0,400}",
    r"(?:accept|reject|allow|manage)(?: all)? cookies|cookie (?:policy|settings|preferences)",
    # Footers.
    r"(?:©|\(c\)|copyright)\s*©?\s*(?:\d{4}[-–]?)+\b.{0,150}",
    r"all rights reserved\.?",
    r"report this ad",
    r"back to top",
]

# Advertisement markers are removed wherever they stand as a paragraph of their own:
# no article paragraph consists of just the word "Advertisement".
_ANYWHERE_PATTERNS = [
    r"advertisements?",
    r"advertisement\s*[-–—:]?\s*(?:scroll|continue) (?:down )?to continue(?: reading)?",
    r"ad",
    r"sponsored(?: content)?",
    r"(?:story|article) continues below(?: advertisement)?",
    r"continue reading (?:the )?(?:main )?story(?: below)?",
]

_BOILERPLATE_RE = re.compile(
    "|".join(f"(?:{p})" for p in _BOILERPLATE_PATTERNS + _ANYWHERE_PATTERNS), re.IGNORECASE
)
_ANYWHERE_RE = re.compile("|".join(f"(?:{p})" for p in _ANYWHERE_PATTERNS), re.IGNORECASE)
_WS = re.compile(r"\s+")
# A paragraph longer than this is never boilerplate (saves regex time on long text).
_BOILERPLATE_MAX_LEN = 500
# Short fragments without sentence-ending punctuation (timestamps, names, link titles)
# may sit inside a trailing boilerplate run without stopping the cut.
_FRAGMENT_MAX_LEN = 100
_SENTENCE_END = tuple(".!?…\"”’'»:;")


def _squash(paragraph: str) -> str:
    return _WS.sub(" ", paragraph).strip()


def _is_boilerplate(paragraph: str) -> bool:
    if len(paragraph) > _BOILERPLATE_MAX_LEN:
        return False
    return _BOILERPLATE_RE.fullmatch(_squash(paragraph)) is not None


def _is_anywhere_boilerplate(paragraph: str) -> bool:
    if len(paragraph) > 80:
        return False
    return _ANYWHERE_RE.fullmatch(_squash(paragraph)) is not None


def _is_fragment(paragraph: str) -> bool:
    return len(paragraph) <= _FRAGMENT_MAX_LEN and not paragraph.endswith(_SENTENCE_END)


def _boilerplate_cut(paragraphs: list[str]) -> int:
    """Index where the trailing boilerplate run starts (``len(paragraphs)`` if none).

    The run starts at the FIRST paragraph that matches a boilerplate pattern and is
    followed only by boilerplate or short fragments. Real article paragraphs are long
    and end with punctuation, so a single one after the candidate cancels the cut:
    we would rather keep a "Share this:" than lose a sentence of the article.
    """
    n = len(paragraphs)
    cut = n
    # Walk backwards while the tail stays boilerplate-ish, remembering the earliest
    # pattern match seen: it is the start of the run.
    for i in range(n - 1, -1, -1):
        paragraph = paragraphs[i]
        if _is_boilerplate(paragraph):
            cut = i
        elif not _is_fragment(paragraph):
            break
    return cut


def _normalise(raw: str) -> list[str]:
    text = raw.replace("\r\n", "\n")
    if any(ch in text for ch in "\r\u0085\u2028\u2029\v\f"):  # `in` is far faster than re
        text = _NEWLINE_RE.sub(lambda m: _NEWLINES.get(m.group(), "\n"), text)
    text = _DROP_RE.sub("", text)
    text = _SPACE_RE.sub(" ", text)
    # NFC last: dropping a zero-width character can bring a base letter and a combining
    # mark together, and the result must still be NFC (clean_text is idempotent).
    text = unicodedata.normalize("NFC", text)
    lines = [line.strip(" ") for line in text.split("\n")]
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return paragraphs


def _has_readable(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def clean_text(raw: str, *, field: str = "text") -> CleanResult:
    """Return the canonical text of ``raw``, what was removed, and a headline guess.

    Raises ``TooLarge`` (checked before any work) and ``EmptyInput`` when nothing
    readable remains. ``field`` names the form field errors should point at.
    """
    if not isinstance(raw, str):
        raise TypeError(f"clean_text expects str, not {type(raw).__name__}")
    if len(raw) > MAX_TEXT_CHARS:
        raise TooLarge(
            f"The text is too long to load ({len(raw):,} characters; "
            f"the limit is {MAX_TEXT_CHARS:,}).",
            field=field,
        )
    paragraphs = _normalise(raw)

    # Ads go wherever they stand; the trailing run is cut from what is left. Both are
    # reported together, in document order, so an editor sees them where they were.
    removed: list[tuple[int, str]] = []
    kept_at: list[tuple[int, str]] = []
    for index, paragraph in enumerate(paragraphs):
        (removed if _is_anywhere_boilerplate(paragraph) else kept_at).append((index, paragraph))
    cut = _boilerplate_cut([paragraph for _, paragraph in kept_at])
    removed = sorted(removed + kept_at[cut:])
    kept = [paragraph for _, paragraph in kept_at[:cut]]

    text = "\n\n".join(kept)
    if not _has_readable(text):
        raise EmptyInput(
            "There is no readable text to load."
            if not removed
            else "Only page furniture (comment forms, share buttons …) was found, no article.",
            field=field,
        )
    headline = text.split("\n", 1)[0][:HEADLINE_MAX_CHARS].rstrip()
    return CleanResult(
        text=text,
        removed="\n\n".join(paragraph for _, paragraph in removed),
        headline_guess=headline,
    )
