"""Cursor pagination for every list: stable under inserts, cheap at any depth.

Bad paging input is a client error with a clear message, never a silent fallback: a
malformed cursor is `400` (DRF says `404 Invalid cursor`), and a `page_size` that is not a
whole number from 1 to `max_page_size` is `400` (DRF would silently clamp or ignore it).
"""

from django.core.exceptions import FieldDoesNotExist, ValidationError
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.pagination import CursorPagination


class CursorPage(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    #: A cursor needs a unique, non-null ordering.
    ordering = "-id"
    invalid_cursor_message = (
        "The cursor is malformed or out of date; start again from the first page and follow "
        "the `next` and `previous` links as given."
    )

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ParseError(
                f"page_size must be a whole number from 1 to {self.max_page_size}; got {raw!r}."
            )
        return size

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
        model = getattr(getattr(self, "_queryset", None), "model", None)
        if model is None:
            return
        try:
            field = model._meta.get_field(ordering.lstrip("-"))
            value = field.to_python(position)
            if isinstance(value, int) and not -(2**63) <= value < 2**63:
                raise ValidationError("out of range")
        except (FieldDoesNotExist, ValidationError, ValueError, TypeError):
            raise ParseError(self.invalid_cursor_message) from None

    def paginate_queryset(self, queryset, request, view=None):
        self._queryset = queryset
        return super().paginate_queryset(queryset, request, view)

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
