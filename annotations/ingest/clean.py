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
6. Page furniture is removed, conservatively, line by line (a paste may separate the
   share buttons and the comment form by single line breaks): site navigation at the
   very start (``_head_cut``), reading-time and share buttons around the headline,
   advertisement markers anywhere, and the trailing run of share buttons, related
   links, comment forms and footers (``_tail_cut``). Each removed stretch is returned as
   a ``RemovedPart`` saying what it was and where it stood, so nothing disappears
   silently and an editor can put any part back in its place (``remove_only``).

Curly quotes, dashes and ellipses are kept: they are the article's real text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field

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


#: What each kind of removed part is called when it is shown to an editor.
KIND_LABELS = {
    "navigation": "site navigation",
    "byline": "reading time and share buttons",
    "share": "share and like buttons",
    "related": "related links and tags",
    "comments": "comments and comment form",
    "login": "log-in prompt",
    "newsletter": "newsletter sign-up",
    "cookies": "cookie notice",
    "footer": "site footer",
    "advertisement": "advertisement",
    "sidebar": "sidebar",
    "chrome": "page furniture",
}


@dataclass(frozen=True, slots=True)
class RemovedPart:
    """One stretch of page furniture that was taken out, what it was and where it stood.

    ``at`` is the offset (code points) in the canonical text where the part stood: the
    start of the line or paragraph that followed it, or the end of the text. ``n``
    numbers the removal candidates of one input in document order; the same input
    cleaned again with ``remove_only`` lacking ``n`` gives the text with the part back
    in its place, which is how "keep it" works (the stored offsets alone could not
    restore line breaks or the order of several parts at one place).
    """

    n: int
    kind: str
    text: str
    at: int

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, KIND_LABELS["chrome"])

    def as_dict(self) -> dict[str, object]:
        return {"n": self.n, "kind": self.kind, "text": self.text, "at": self.at}


@dataclass(frozen=True, slots=True)
class CleanResult:
    """The canonical text, what cleaning removed, and a headline guess.

    ``removed`` holds the removed parts' text in document order, joined by a blank line,
    exactly as they read after steps 1-4 (spaces normalised, words untouched); ``parts``
    says what each was and where it stood.
    """

    text: str
    removed: str
    headline_guess: str
    parts: tuple[RemovedPart, ...] = field(default=())


@dataclass(slots=True)
class Line:
    """One line of input; ``kind`` is set when it is page furniture to remove."""

    text: str
    #: A blank line came before it (it starts a paragraph).
    new_paragraph: bool
    kind: str | None = None


# --- boilerplate -------------------------------------------------------------------------
#
# Each pattern must match a WHOLE line (whitespace collapsed, case-insensitive).
# Whole-line matching is what keeps this safe: a sentence that merely mentions
# "cookies" or "Twitter" is never touched.

_SHARE_SITES = (
    r"(?:twitter|x|facebook|linkedin|reddit|tumblr|pinterest|pocket|telegram|whatsapp"
    r"|email|e-mail|print|threads|bluesky|mastodon|flipboard|messenger|skype)"
)
_OPENS = r"(?:\s*\(opens in new window\))?"
# A bar of short links: "Home | World | Politics", "News › World › Europe".
_LINK_BAR = r"(?:[^|•·∙›»\n]{1,40}\s*[|•·∙›»]\s*){2,}[^|•·∙›»\n]{0,40}"

_TAIL_PATTERNS: dict[str, list[str]] = {
    "comments": [
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
        r"post (?:a )?comment|submit comment|add (?:a )?comment",
        r"post was not sent - check your email addresses!",
        r"email check failed, please try again",
        r"sorry, your blog cannot share posts by email\.",
        r"(?:\d+ |no )?(?:comments?|responses?|replies):?",
        r"(?:\d+|one|two|three) (?:thoughts?|responses?|comments?|replies) (?:on|to) .{1,200}",
        r"comments are closed\.?",
        r"(?:show|view|load|read) (?:all |more )?(?:\d+ )?comments",
        r"(?:join|start) the (?:conversation|discussion)…?",
        r"(?:name|email|website|comment)\s*\*?(?: \(required\))?",
        r"save my name, email, and website in this browser for the next time i comment\.",
        r"your email address will not be published\.?(?: required fields are marked \*)?",
        r"this site uses akismet to reduce spam\..{0,120}",
        # Disqus.
        r"(?:comments )?powered by disqus\.?",
        r"please enable javascript to view the comments powered by disqus\.?",
        r"sort by (?:best|newest|oldest|top)",
        r"log in with|or sign up with disqus\s*\??",
        r"\d+ responses?",
    ],
    "share": [
        r"share this(?: article| story| post)?:?",
        r"share(?: on| via)? " + _SHARE_SITES + _OPENS,
        r"click to (?:share on |email |print)" + r"[\w .+-]{0,40}" + _OPENS,
        r"click to (?:email a link to a friend|print)" + _OPENS,
        _SHARE_SITES + _OPENS,
        r"(?:share|tweet|pin(?: it)?|copy link|more|follow|save|restack|listen)",
        r"like this:?|share full article|gift this article|share this post",
        r"like loading\.{3}|loading\.{3}|loading…|like loading…",
        r"be the first to like this\.?",
        r"(?:\d+ )?(?:likes?|reblogs?|restacks?|shares?|claps?)(?:\s*[∙·•]\s*\d+ \w+)*",
        # Blogger's share row comes out as one line.
        r"(?:email this|blogthis!|share to (?:x|twitter|facebook|pinterest)){2,}",
    ],
    "login": [
        r"(?:log|sign) in(?: to (?:comment|reply|continue))?\.?",
        r"(?:sign up|subscribe|sign in|log in|log out)",
        r"you must be logged in to post a comment\.?",
        r"log in to reply\.?",
        r"already (?:a subscriber|have an account)\?.{0,60}",
    ],
    "related": [
        r"related(?: articles| posts| stories| content| coverage| reading| links| topics)?:?",
        r"(?:see|read) (?:also|more|next):?",
        r"more (?:from|on|stories from|in|like this) [^.!?]{1,50}",
        r"more stories|keep reading|up next|what to read next|editors['’] picks",
        r"explore more(?: on (?:these|this) topics?)?|reuse this content|most viewed",
        r"related (?:content|article|video)s?|site index|site information navigation",
        r"you (?:may|might) also (?:like|be interested in|enjoy):?",
        r"recommended(?: for you| reading| stories| from medium)?:?",
        r"(?:trending|popular|most read|most popular|top stories|latest stories)(?: now)?:?",
        r"(?:tags|tagged|filed under|categories|category|labels|topics)\s*:.{0,200}",
        r"in [“\"][^”\"]{1,60}[”\"]",  # WordPress related posts: In “World”
        r"discover more from .{1,80}",
        r"ready for more\??",
        r"(?:newer|older) posts?(?: (?:newer|older) posts?)?(?: home)?",
        r"subscribe to:? post comments \(atom\)|post comments \(atom\)",
        r"(?:\d[\d.,]*k? )?followers?|\d+ following",
    ],
    "newsletter": [
        r"sign up for more like this\.?",
        r"(?:sign up|subscribe)(?: now| today| for free)?(?: (?:for|to) (?:our|the) .{0,60})?\.?",
        r"subscribe to .{1,80}",
        r".{0,60}\bnewsletter\b.{0,100}",
        r"enter your email(?: address)?.{0,100}",
        r"type your email…?\.{0,3}",
        r"get (?:the latest|our best|breaking).{0,80}(?:inbox|email)\.?",
        r"don['’]t miss out on the latest (?:issues|news|posts).{0,200}",
        r"thanks for reading .{1,80}\b(?:subscribe|share)\b.{0,120}",
        r"view (?:this email )?in (?:your )?browser\.?",
        r"(?:was this email forwarded to you|forwarded this email)\?.{0,80}",
        r"you(?:['’]re| are)? receiv(?:ing|ed) this (?:email|newsletter|message).{0,200}",
        r"unsubscribe.{0,120}",
        r"update (?:your )?(?:preferences|subscription).{0,120}",
        r"our mailing address is:?",
        r"want to change how you receive these emails\??",
        r"you can update your preferences or unsubscribe from this list\.?",
        r"add us to your address book\.?",
        r"start writing|get the app|substack is the home for great culture\.?",
    ],
    "cookies": [
        r"(?:privacy & cookies: )?this (?:site|website) uses cookies\b.{0,400}",
        r"we use cookies\b.{0,400}",
        r"(?:accept|reject|allow|manage)(?: all)? cookies|cookie (?:policy|settings|preferences)",
    ],
    "footer": [
        r"(?:©|\(c\)|copyright)\s*©?\s*(?:\d{4}[-–]?)+\b.{0,150}",
        r"all rights reserved\.?",
        r"report this ad",
        r"back to top",
        r"(?:proudly )?powered by (?:wordpress|ghost|blogger|substack|medium)\.?.{0,40}",
        r"published with ghost\.?|(?:create a free website or blog|blog) at wordpress\.com\.?",
        r"theme(?::| by) .{1,60}",
        r"posted by .{1,60} at \d{1,2}[:.]\d{2}(?: ?[ap]\.?m\.?)?",
        r"(?:help|status|about|careers|blog|privacy|terms|text to speech|teams|press|contact"
        r"|privacy policy|terms of (?:use|service)|contact us|about us|accessibility|sitemap"
        r"|advertise(?: with us)?)",
        _LINK_BAR,
    ],
}

# Advertisement markers (and a newsletter box's thank-you line) are removed wherever
# they stand as a line of their own: no article line consists of just "Advertisement".
_ANYWHERE_PATTERNS: dict[str, list[str]] = {
    "advertisement": [
        r"advertisements?",
        r"advertisement\s*[-–—:]?\s*(?:scroll|continue) (?:down )?to continue(?: reading)?",
        r"skip advertisement",
        r"ad",
        r"sponsored(?: content)?",
        r"(?:story|article) continues below(?: advertisement)?",
        r"continue reading (?:the )?(?:main )?story(?: below)?",
    ],
    "newsletter": [
        r"thanks for reading .{1,120}subscribe.{0,160}",
    ],
}

# Site navigation at the very start of a paste: skip links, menus, section lists.
_HEAD_PATTERNS: dict[str, list[str]] = {
    "navigation": [
        r"(?:skip to (?:the )?(?:main )?(?:content|navigation|site index|search|footer)\s*)+",
        r"(?:main |open |close |toggle )?(?:menu|navigation)",
        r"(?:search|search for:?|search this blog|sections|home|close|account|my account"
        r"|register|write|about(?: me| us)?|contact(?: us)?)",
        r"(?:sign up|subscribe|sign in|log in|open in app|get unlimited access|become a member)",
        r"member-only story|print subscriptions|search jobs|show more|(?:search & )?section "
        r"navigation|subscribe for .{1,40}",
        r"(?:\w+ )?edition|.{1,40} - back to (?:the )?home ?page",
        r"(?:news|world|politics|business|tech|technology|science|health|sport|sports|culture"
        r"|arts|opinion|entertainment|lifestyle|travel|video|videos|podcasts?|newsletters?|local"
        r"|national|us|u\.s\.|us news|uk|uk news|climate|economy|markets|books|food|style"
        r"|weather|obituaries|education|latest|live|investigations?|features?|environment"
        r"|media|money|life|crime|justice|elections?|europe|asia|africa|americas|middle east"
        r"|australia|football|fashion|music|film|tv|games|puzzles|crosswords?|magazine|more)",
        _LINK_BAR,
    ],
    "advertisement": _ANYWHERE_PATTERNS["advertisement"],
    "cookies": _TAIL_PATTERNS["cookies"],
    "newsletter": [
        r"view (?:this email )?in (?:your )?browser\.?",
        r"(?:was this email forwarded to you|forwarded this email)\?.{0,80}",
    ],
}

# Around the headline, before the first sentence: reading time and share buttons.
_NEAR_TOP_PATTERNS: dict[str, list[str]] = {
    "byline": [
        r"\d+ min(?:ute)?s? read",
        r"listen(?: to this (?:article|story))?(?:\s*[·∙•]?\s*\d+ min(?:ute)?s?)?",
        r"(?:share|save|follow|gift this article|share full article|copy link|comment"
        r"|print|email)",
        r"[·∙•]|--|—",
    ],
}


def _kinds_regex(groups: dict[str, list[str]]) -> re.Pattern[str]:
    """One regex; the name of the group that matched is the kind of the line."""
    return re.compile(
        "|".join(f"(?P<{kind}>" + "|".join(f"(?:{p})" for p in pats) + ")"
                 for kind, pats in groups.items()),
        re.IGNORECASE,
    )  # fmt: skip


_TAIL_RE = _kinds_regex({**_TAIL_PATTERNS, **{f"{k}_": v for k, v in _ANYWHERE_PATTERNS.items()}})
_ANYWHERE_RE = _kinds_regex(_ANYWHERE_PATTERNS)
# Per kind, so a line that fits several kinds ("Email", "Subscribe") keeps the kind of the
# lines around it.
_TAIL_KIND_RES = {kind: _kinds_regex({kind: patterns}) for kind, patterns in _TAIL_PATTERNS.items()}
_HEAD_RE = _kinds_regex(_HEAD_PATTERNS)
_NEAR_TOP_RE = _kinds_regex(_NEAR_TOP_PATTERNS)
_WS = re.compile(r"\s+")
# A line longer than this is never boilerplate (saves regex time on long text).
_BOILERPLATE_MAX_LEN = 500
# Short fragments without sentence-ending punctuation (timestamps, names, link titles)
# may sit inside a trailing boilerplate run without stopping the cut.
_FRAGMENT_MAX_LEN = 100
_SENTENCE_END = tuple(".!?…\"”’'»:;")
#: How far into a paste site navigation is looked for (lines).
_HEAD_MAX_LINES = 80
#: A short unknown line between navigation lines ("Innovation", the site's name) is
#: navigation too; a longer one may be the headline and stops the head cut.
_HEAD_FRAGMENT_MAX_WORDS = 4


def _squash(line: str) -> str:
    return _WS.sub(" ", line).strip()


def _kind(regex: re.Pattern[str], line: str, max_len: int = _BOILERPLATE_MAX_LEN) -> str | None:
    if len(line) > max_len:
        return None
    match = regex.fullmatch(_squash(line))
    if match is None or match.lastgroup is None:
        return None
    return match.lastgroup.rstrip("_")


def _is_fragment(line: str) -> bool:
    return len(line) <= _FRAGMENT_MAX_LEN and not line.endswith(_SENTENCE_END)


def _is_junk(line: str) -> bool:
    """Digits and punctuation only (clap counts, "--", "Δ"): no words to lose."""
    return len(line) <= 20 and not any(ch.isalpha() for ch in line if ch not in "Δ")


def _head_cut(lines: list[Line]) -> None:
    """Mark site navigation at the very start of the paste.

    The run is made of navigation lines from the first line on; a short unknown line
    (≤ 4 words, no sentence end) joins it only when more navigation follows, so the
    site's name and unknown section names go, while a headline — followed by its
    byline, not by a menu — stays.
    """
    limit = min(len(lines), _HEAD_MAX_LINES)
    i = 0
    while i < limit:
        kind = _kind(_HEAD_RE, lines[i].text, 200)
        if kind is not None:
            lines[i].kind = kind
            i += 1
            continue
        j = i
        while (
            j < limit
            and _is_fragment(lines[j].text)
            and len(lines[j].text.split()) <= _HEAD_FRAGMENT_MAX_WORDS
            and _kind(_HEAD_RE, lines[j].text, 200) is None
        ):
            j += 1
        if j == i or j >= limit or _kind(_HEAD_RE, lines[j].text, 200) != "navigation":
            break
        for line in lines[i:j]:
            line.kind = "navigation"
        i = j


def _near_top(lines: list[Line]) -> None:
    """Mark reading time and share buttons between the headline and the first sentence."""
    for line in lines[:_HEAD_MAX_LINES]:
        if line.kind is not None:
            continue
        if not _is_fragment(line.text):
            break
        kind = _kind(_NEAR_TOP_RE, line.text, 60)
        if kind is not None:
            line.kind = kind


def _tail_cut(lines: list[Line]) -> None:
    """Mark the trailing run of page furniture.

    The run starts at the FIRST line that matches a boilerplate pattern and is followed
    only by boilerplate or short fragments (which take the kind of the line before
    them). Real article text is long and ends with punctuation, so a single sentence
    after the candidate cancels the cut: we would rather keep a "Share this:" than lose
    a sentence of the article. Lines of digits or punctuation just before the run
    ("--", a like count) join it.
    """
    cut = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if line.kind is not None:
            continue  # an advertisement marker already taken out
        if _kind(_TAIL_RE, line.text) is not None:
            cut = i
        elif not _is_fragment(line.text):
            break
    if cut == len(lines):
        return
    while cut > 0 and lines[cut - 1].kind is None and _is_junk(lines[cut - 1].text):
        cut -= 1
    found_kinds = (_kind(_TAIL_RE, line.text) for line in lines[cut:] if line.kind is None)
    kind = next((found for found in found_kinds if found), "chrome")
    for line in lines[cut:]:
        if line.kind is not None:
            continue  # an advertisement marker keeps its own kind
        found = _kind(_TAIL_RE, line.text)
        if (
            found is not None
            and found != kind
            and kind in _TAIL_KIND_RES
            and _kind(_TAIL_KIND_RES[kind], line.text) is not None
        ):
            found = kind
        kind = found or kind
        line.kind = kind


def lines_of(paragraphs: list[str]) -> list[Line]:
    """Paragraphs (lines joined by "\\n") → lines that know where paragraphs start."""
    return [
        Line(text, new_paragraph=index == 0)
        for paragraph in paragraphs
        for index, text in enumerate(paragraph.split("\n"))
    ]


def mark_boilerplate(lines: list[Line]) -> None:
    """Set ``kind`` on every line of page furniture (the rules of step 6)."""
    _head_cut(lines)
    for line in lines:
        if line.kind is None and len(line.text) <= 80:
            line.kind = _kind(_ANYWHERE_RE, line.text, 80)
    _near_top(lines)
    _tail_cut(lines)


def assemble(
    lines: list[Line], remove_only: Collection[int] | None = None
) -> tuple[str, tuple[RemovedPart, ...]]:
    """Join the lines that stay into the canonical text; group the rest into parts.

    Consecutive removed lines of one kind make one part, numbered in document order.
    Only parts whose number is in ``remove_only`` are removed (all when None); the
    others stay exactly where they were, with their line breaks.
    """
    # Number the candidate parts.
    numbers: list[int | None] = []
    n = -1
    previous_kind = None
    for line in lines:
        if line.kind is None:
            numbers.append(None)
        else:
            if line.kind != previous_kind:
                n += 1
            numbers.append(n)
        previous_kind = line.kind

    out: list[str] = []
    length = 0
    paragraph_break = False
    part_lines: dict[int, list[str]] = {}
    part_kind: dict[int, str] = {}
    waiting: list[int] = []  # parts whose position is the next kept line
    part_at: dict[int, int] = {}
    for line, number in zip(lines, numbers, strict=True):
        removed = number is not None and (remove_only is None or number in remove_only)
        if removed:
            assert number is not None and line.kind is not None
            if number not in part_lines:
                part_lines[number] = []
                part_kind[number] = line.kind
                waiting.append(number)
            elif line.new_paragraph:
                part_lines[number].append("")
            part_lines[number].append(line.text)
            paragraph_break = paragraph_break or line.new_paragraph
            continue
        if out:
            separator = "\n\n" if (paragraph_break or line.new_paragraph) else "\n"
            out.append(separator)
            length += len(separator)
        for waiting_number in waiting:
            part_at[waiting_number] = length
        waiting = []
        out.append(line.text)
        length += len(line.text)
        paragraph_break = False
    for waiting_number in waiting:
        part_at[waiting_number] = length
    parts = tuple(
        RemovedPart(n=number, kind=part_kind[number], text="\n".join(texts), at=part_at[number])
        for number, texts in part_lines.items()
    )
    return "".join(out), parts


def _headline(lines: list[Line]) -> str:
    """The first kept line that is not page furniture: never "Skip to content"."""
    for line in lines:
        if line.kind is None and _has_readable(line.text):
            if _kind(_HEAD_RE, line.text, 200) or _kind(_TAIL_RE, line.text):
                continue
            return line.text[:HEADLINE_MAX_CHARS].rstrip()
    return ""


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


def finish(
    lines: list[Line], *, field: str, remove_only: Collection[int] | None = None
) -> CleanResult:
    """Assemble marked lines into a ``CleanResult``; ``EmptyInput`` if no text is left."""
    text, parts = assemble(lines, remove_only)
    if not _has_readable(text):
        raise EmptyInput(
            "There is no readable text to load."
            if not parts
            else "Only page furniture (comment forms, share buttons …) was found, no article.",
            field=field,
        )
    kept = [line for line in lines if line.kind is None]
    return CleanResult(
        text=text,
        removed="\n\n".join(part.text for part in parts),
        headline_guess=_headline(kept) or text.split("\n", 1)[0][:HEADLINE_MAX_CHARS].rstrip(),
        parts=parts,
    )


def clean_text(
    raw: str, *, field: str = "text", remove_only: Collection[int] | None = None
) -> CleanResult:
    """Return the canonical text of ``raw``, what was removed, and a headline guess.

    ``remove_only`` (part numbers, see ``RemovedPart.n``) keeps every other candidate
    part in place; None removes them all. Raises ``TooLarge`` (checked before any work)
    and ``EmptyInput`` when nothing readable remains. ``field`` names the form field
    errors should point at.
    """
    if not isinstance(raw, str):
        raise TypeError(f"clean_text expects str, not {type(raw).__name__}")
    if len(raw) > MAX_TEXT_CHARS:
        raise TooLarge(
            f"The text is too long to load ({len(raw):,} characters; "
            f"the limit is {MAX_TEXT_CHARS:,}).",
            field=field,
        )
    lines = lines_of(_normalise(raw))
    mark_boilerplate(lines)
    return finish(lines, field=field, remove_only=remove_only)
