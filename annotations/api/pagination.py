"""Cursor pagination for every list: stable under inserts, cheap at any depth.

Bad paging input is a client error with a clear message, never a silent fallback: a
malformed cursor is `400` (DRF says `404 Invalid cursor`), and a `page_size` that is not a
whole number from 1 to `max_page_size` is `400` (DRF would silently clamp or ignore it).

The W3C container pages by keyset too, with its own opaque `PageToken` (the protocol wants
`first` and `last` links and a `startIndex`, which DRF's cursor does not give).
"""

from __future__ import annotations

from base64 import urlsafe_b64decode, urlsafe_b64encode
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.pagination import CursorPagination

from annotations import limits


def page_size_of(request, *, default: int, maximum: int, param: str = "page_size") -> int:
    """The `page_size` asked for: a whole number from 1 to `maximum`, else 400."""
    raw = request.query_params.get(param)
    if raw is None or raw == "":
        return default
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= maximum:
        raise ParseError(f"{param} must be a whole number from 1 to {maximum}; got {raw!r}.")
    return size


class CursorPage(CursorPagination):
    page_size = limits.API_PAGE
    page_size_query_param = "page_size"
    max_page_size = limits.API_MAX_PAGE
    #: A cursor needs a unique, non-null ordering.
    ordering = "-id"
    invalid_cursor_message = (
        "The cursor is malformed or out of date; start again from the first page and follow "
        "the `next` and `previous` links as given."
    )

    def get_page_size(self, request):
        return page_size_of(request, default=self.page_size, maximum=self.max_page_size)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise ParseError(self.invalid_cursor_message) from None
        if cursor is not None and cursor.position is not None:
            self._check_position(cursor.position)
        return cursor

    def _check_position(self, position: str) -> None:
        # A hand-made cursor may carry a position the ordering field cannot hold.
        ordering = self.ordering if isinstance(self.ordering, str) else self.ordering[0]
        queryset = getattr(self, "_queryset", None)
        model = getattr(queryset, "model", None)
        if model is None:
            return
        name = ordering.lstrip("-")
        try:
            annotation = queryset.query.annotations.get(name)  # type: ignore[union-attr]
            field = annotation.output_field if annotation else model._meta.get_field(name)
            value = field.to_python(position)
            if isinstance(value, int) and not -(2**63) <= value < 2**63:
                raise ValidationError("out of range")
        except (FieldDoesNotExist, ValidationError, ValueError, TypeError):
            raise ParseError(self.invalid_cursor_message) from None

    def paginate_queryset(self, queryset, request, view=None):
        self._queryset = queryset
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        # The answer is written: let go of the page's objects. DRF keeps the page reachable
        # from the view (here, and as the list serializer's instance: the same list), and
        # the view from the request and the answer — a cycle, which only Python's garbage
        # collector frees. A page of 200 claims with their JSON rows then outlived its
        # request into the collector's oldest generation, whose full passes paused later
        # requests (issue 17: the JSON export walk). The browsable API's page controls ask
        # for the links again afterwards: DRF works them out from the positions it kept.
        self.page.clear()
        return response

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                    "default": self.page_size,
                }
        return parameters


class FirstPageRead:
    """A list's queryset as DRF's cursor pagination sees it, but with its busiest slice —
    the first page at the default size, in the paginator's order — read by `read`, whose
    SQL is compiled once (annotations/selectors/prepared.py). Everything else (a cursor,
    another size, the reverse order, a filter) is the queryset's own.

    DRF keeps all its paging logic (positions, links); only the one `list(queryset[0:n])`
    it makes for a first page changes where the rows come from. The view decides when the
    queryset is the one `read` reads: never after a filter the request asked for.
    """

    def __init__(
        self,
        queryset: Any,
        read: Callable[[], list[Any]],
        ordering: tuple[str, ...],
        rows: int,
        *,
        ordered: bool = False,
    ) -> None:
        self.queryset = queryset
        self.read = read
        self.ordering = tuple(ordering)
        self.rows = rows
        self.ordered = ordered  # order_by(*ordering) was called: `read`'s order holds

    def order_by(self, *ordering: str) -> Any:
        if tuple(ordering) != self.ordering:
            return self.queryset.order_by(*ordering)
        return FirstPageRead(self.queryset, self.read, self.ordering, self.rows, ordered=True)

    def __getitem__(self, key: Any) -> Any:
        if self.ordered and key == slice(0, self.rows):
            return self.read()
        return self._queryset()[key]

    def __getattr__(self, name: str) -> Any:  # filter(), model, query…: the queryset's
        return getattr(self._queryset(), name)

    def _queryset(self) -> Any:
        return self.queryset.order_by(*self.ordering) if self.ordered else self.queryset


# --- Keyset page tokens (the W3C container) ----------------------------------------------

_TOKEN_PREFIX = "k1"


@dataclass(frozen=True)
class PageToken:
    """Where a keyset page starts: the claims after (or before) an id, and its index.

    `direction` is "first", "last", "after" or "before"; `key` the id the page starts
    after (or ends before); `index` the position of the page's first item in the
    collection (the page's `startIndex`) and `total` the collection's size, both as they
    stood when the walk began, so a walk counts once. Clients treat the token as opaque:
    `encode()` is the only way one is made.
    """

    direction: str
    key: int | None = None
    index: int = 0
    total: int | None = None

    def encode(self) -> str:
        if self.direction in ("first", "last"):
            return self.direction
        raw = f"{_TOKEN_PREFIX}:{self.direction}:{self.key}:{self.index}:{self.total}"
        return urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, raw: str | None) -> PageToken | None:
        """None for no token (the collection itself); ParseError for a malformed one."""
        if raw is None:
            return None
        if raw in ("first", "0"):  # "0": the page-number links the container once gave
            return cls("first")
        if raw == "last":
            return cls("last")
        token = _parse_token(raw)
        if token is None:
            raise ParseError(
                f"page {raw[:100]!r} is not a page token this API handed out; start again "
                "from the collection (or page=first / page=last) and follow the `next` and "
                "`prev` links as given."
            )
        return token


def _parse_token(raw: str) -> PageToken | None:
    try:
        text = urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("ascii")
        prefix, direction, key, index, total = text.split(":")
        token = PageToken(direction, int(key), int(index), int(total))
    except (ValueError, UnicodeDecodeError):
        return None
    valid = (
        prefix == _TOKEN_PREFIX
        and direction in ("after", "before")
        and all(0 <= n < 2**63 for n in (int(key), token.index, int(total)))
    )
    return token if valid else None
