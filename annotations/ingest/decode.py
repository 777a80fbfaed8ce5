"""Bytes → str for uploads and fetched pages, refusing binary data.

Shared by ``extract.decode_upload`` and ``fetch.fetch_url`` so a file uploaded and the
same file fetched decode the same way. Order of trust (close to the WHATWG rules,
but pragmatic about wrong labels):

1. a byte-order mark;
2. a declared UTF-16/UTF-32 charset (such data is full of NUL bytes, so it must be
   handled before the binary check);
3. strict UTF-8 — if the bytes are valid UTF-8 they are almost certainly UTF-8, even
   when a header says "iso-8859-1" (a very common mislabel);
4. the declared charset (HTTP header / ``Content-Type`` of the upload, then
   ``<meta charset>``), with latin-1/ascii read as windows-1252 as browsers do;
5. charset detection (charset_normalizer).
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from .errors import NotText

# Magic numbers of formats editors are likely to upload by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a compressed (gzip) file"),
    (b"BZh", "a compressed (bzip2) file"),
    (b"\xfd7zXZ\x00", "a compressed (xz) file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"RIFF", "a media file"),
    (b"ID3", "an audio file"),
    (b"OggS", "a media file"),
    (b"fLaC", "an audio file"),
    (b"\x1aE\xdf\xa3", "a video file"),
    (b"wOFF", "a font"),
    (b"wOF2", "a font"),
    (b"SQLite format 3\x00", "a database file"),
)
_BINARY_MIME_PREFIXES = ("image/", "audio/", "video/", "font/")
_BINARY_MIMES = frozenset(
    {
        "application/pdf", "application/zip", "application/gzip", "application/x-gzip",
        "application/msword", "application/vnd.ms-excel", "application/x-tar",
        "application/x-7z-compressed", "application/vnd.rar", "application/x-rar-compressed",
        "application/x-executable", "application/x-sharedlib", "application/wasm",
        "application/rtf",
    }
)  # fmt: skip
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Labels browsers read as windows-1252 (WHATWG Encoding Standard).
_AS_CP1252 = frozenset({"ascii", "iso8859-1", "cp1252"})  # codecs.lookup() names
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
_HTML_SNIFF = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    r"(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta[\s>]|<title[\s>])",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAGS = re.compile(r"<(?:p|div|article|h1|h2|br|span|a\s)[\s>/]", re.IGNORECASE)
# More than this share of control characters (other than \t \n \r \f \v) means binary.
_CONTROL_RATIO = 0.01


def binary_kind(data: bytes, content_type: str = "") -> str | None:
    """Name the binary format of ``data`` ("a PDF" …) or None if it may be text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return "a video file"
    mime = mime_type(content_type)
    if mime in _BINARY_MIMES:
        return "a " + mime.split("/", 1)[1].upper().removeprefix("X-") + " file"
    if mime.startswith(_BINARY_MIME_PREFIXES):
        major = mime.split("/", 1)[0]
        return f"{'an' if major[0] in 'aeiou' else 'a'} {major} file"
    return None


def mime_type(content_type: str) -> str:
    """The bare, lower-case MIME type of a Content-Type value."""
    return content_type.split(";", 1)[0].strip().lower()


def charset_of(content_type: str) -> str | None:
    """The charset parameter of a Content-Type value, if it names a known codec."""
    match = _CHARSET_PARAM.search(content_type or "")
    return _known_codec(match.group(1)) if match else None


def _known_codec(label: str) -> str | None:
    try:
        return codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None


def _decode_declared(data: bytes, codec: str) -> tuple[str, str] | None:
    """Decode with a declared codec; return (text, codec actually used) or None."""
    if codec in _AS_CP1252:
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            # The five bytes cp1252 leaves undefined: latin-1 reads them as C1 controls.
            return data.decode("latin-1"), "iso8859-1"
    try:
        return data.decode(codec), codec
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(
    data: bytes, *, declared: str | None = None, field: str = "file"
) -> tuple[str, str]:
    """Decode ``data`` to text and return ``(text, codec_name)``; ``NotText`` if binary.

    ``declared`` is the charset from a header, if any. A BOM at the start is removed.
    """
    kind = binary_kind(data)
    if kind:
        raise NotText(not_text_message(kind), field=field)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(codec, errors="replace")
            return _check_text(text, field), codec
    declared_codec = _known_codec(declared) if declared else None
    if declared_codec and declared_codec.startswith(("utf-16", "utf-32")):
        decoded = _decode_declared(data, declared_codec)
        if decoded is not None:
            return _check_text(decoded[0], field), decoded[1]
    if b"\x00" in data:
        raise NotText(not_text_message(None), field=field)
    try:
        return _check_text(data.decode("utf-8"), field), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates: list[str | None] = [declared_codec]
    meta = _META_CHARSET.search(data[:4096])
    if meta:
        candidates.append(_known_codec(meta.group(1).decode("ascii")))
    for candidate in candidates:
        if candidate and not candidate.startswith(("utf-16", "utf-32")):
            found = _decode_declared(data, candidate)
            if found is not None:
                return _check_text(found[0], field), found[1]
    return _detect(data, field)


def _detect(data: bytes, field: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise NotText(not_text_message(None), field=field)
    return _check_text(str(best), field), best.encoding


def _check_text(text: str, field: str) -> str:
    """Refuse decoded text that is mostly control characters (binary in disguise)."""
    if not text:
        return text
    sample = text[:65536]
    controls = sum(
        1 for ch in sample if ch not in "\t\n\r\f\v" and unicodedata.category(ch) == "Cc"
    )
    if "\x00" in sample or controls > max(2, len(sample) * _CONTROL_RATIO):
        raise NotText(not_text_message(None), field=field)
    return text


def not_text_message(kind: str | None) -> str:
    """The editor-facing sentence for binary input (``kind`` like "a PDF", if known)."""
    what = f"it looks like {kind}" if kind else "it contains binary data"
    return (
        f"That does not look like text or HTML ({what}). "
        "Paste the article's text, or upload an .html or .txt file."
    )


def looks_like_html(text: str, *, filename: str = "", content_type: str = "") -> bool:
    """Whether decoded content should be treated as HTML rather than plain text.

    An explicit HTML name or type wins; otherwise the content is sniffed, so a ``.txt``
    holding a saved web page is still extracted as a web page.
    """
    mime = mime_type(content_type)
    if mime in {"text/html", "application/xhtml+xml"}:
        return True
    if filename.lower().endswith((".html", ".htm", ".xhtml", ".shtml")):
        return True
    head = text[:4096]
    if _HTML_SNIFF.match(head):
        return True
    # Fragments such as "<p>…</p><p>…</p>": several block tags at the very start.
    return head.lstrip().startswith("<") and len(_HTML_TAGS.findall(head)) >= 2
