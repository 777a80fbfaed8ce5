"""Ingest: editor input (text, HTML, upload, URL) → one canonical plain text.

Pure Python, no Django: the services layer calls these and stores the results. Every
failure is an ``IngestError`` carrying ``message`` (for the editor), ``status`` (for
the API) and ``field`` (the form field it concerns).
"""

from .clean import KIND_LABELS, MAX_TEXT_CHARS, CleanResult, RemovedPart, clean_text
from .decode import looks_like_html
from .errors import (
    BadURL,
    BlockedAddress,
    EmptyInput,
    FetchError,
    IngestError,
    NoReadableBody,
    NotText,
    TooLarge,
    UnsupportedContentType,
)
from .extract import MAX_HTML_BYTES, MAX_UPLOAD_BYTES, Extracted, decode_upload, extract_html
from .fetch import Fetched, fetch_url
from .sanitize import sanitize_html

__all__ = [
    "KIND_LABELS",
    "MAX_HTML_BYTES",
    "MAX_TEXT_CHARS",
    "MAX_UPLOAD_BYTES",
    "BadURL",
    "BlockedAddress",
    "CleanResult",
    "EmptyInput",
    "Extracted",
    "FetchError",
    "Fetched",
    "IngestError",
    "NoReadableBody",
    "NotText",
    "RemovedPart",
    "TooLarge",
    "UnsupportedContentType",
    "clean_text",
    "decode_upload",
    "extract_html",
    "fetch_url",
    "looks_like_html",
    "sanitize_html",
]
