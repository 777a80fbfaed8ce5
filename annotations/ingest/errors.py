"""Errors raised while turning editor input into canonical text.

Every error carries what the web form and the API need to answer without knowing
where it came from: a sentence an editor can act on (``message``), the HTTP status
(``status``: 400, 413 or 415), the input field it concerns (``field``: "text", "html",
"url" or "file") and a stable machine-readable ``code`` for API clients.
"""

from __future__ import annotations

FIELDS = frozenset({"text", "html", "url", "file"})


class IngestError(Exception):
    """Base class: the input could not become canonical article text."""

    status: int = 400
    code: str = "ingest_error"
    default_message: str = "The article could not be loaded."
    default_field: str = "text"

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message: str = message or self.default_message
        self.field: str = field or self.default_field
        if self.field not in FIELDS:
            raise ValueError(f"unknown ingest field {self.field!r}")
        super().__init__(self.message)

    def with_field(self, field: str) -> IngestError:
        """Return a copy aimed at another input field (the same cleaning serves several)."""
        clone = type(self)(self.message, field=field)
        clone.__dict__.update({k: v for k, v in self.__dict__.items() if k != "field"})
        return clone

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, field={self.field!r})"


class EmptyInput(IngestError):
    """Nothing readable was given (or nothing readable is left after cleaning)."""

    code = "empty"
    default_message = "There is no readable text to load."


class TooLarge(IngestError):
    """The input is over the size cap; refused before doing any expensive work."""

    status = 413
    code = "too_large"
    default_message = "The article is too large to load."


class NotText(IngestError):
    """A binary file (PDF, image, archive …) was given where text or HTML is expected."""

    status = 415
    code = "not_text"
    default_message = "That file is not text or HTML."
    default_field = "file"


class NoReadableBody(IngestError):
    """The HTML parsed, but no article body could be found in it."""

    code = "no_readable_body"
    default_message = "No article text could be found in that page."
    default_field = "html"


class FetchError(IngestError):
    """The URL could not be fetched: unreachable, timeout, redirects, error status."""

    code = "fetch_failed"
    default_message = "The page could not be fetched."
    default_field = "url"


class UnsupportedContentType(IngestError):
    """The server answered with something other than HTML or plain text."""

    status = 415
    code = "unsupported_content_type"
    default_message = "That address does not serve a web page or plain text."
    default_field = "url"


class BlockedAddress(IngestError):
    """The URL resolves to an address the server must never fetch from (SSRF guard)."""

    code = "blocked_address"
    default_message = "That address points to a network factcheck does not fetch from."
    default_field = "url"


class BadURL(IngestError):
    """The URL is malformed or uses something other than http(s)."""

    code = "bad_url"
    default_message = "That is not a web address factcheck can load."
    default_field = "url"
