"""One family of errors for every refused change.

Services raise these; the htmx views turn them into a message in the panel, the API into
a 4xx answer with `detail` (see annotations.api.errors). `status` is the HTTP status the
API answers with.
"""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    status: int = 400

    def __init__(self, message: str, *, field: str | None = None, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": self.message}
        if self.field:
            body[self.field] = [self.message]
        body.update(self.extra)
        return body


class InvalidInput(ServiceError):
    """The input does not have the shape or content the operation needs."""


class InvalidSelector(InvalidInput):
    """The selector does not point at the revision's text."""


class NotAllowed(ServiceError):
    """The user's role does not allow this step."""

    status = 403


class WorkflowError(ServiceError):
    """The claim's status does not allow this step."""

    status = 409


class MissingForStep(ServiceError):
    """The claim lacks what the step needs (e.g. approval needs a source)."""

    status = 400


class StaleVersion(ServiceError):
    """Someone else saved the claim since it was read."""

    status = 409


class DuplicateRequest(ServiceError):
    """An Idempotency-Key reused for different input (RFC draft: 422)."""

    status = 422


class DuplicateArticle(ServiceError):
    """The article (same URL or same text) is already loaded."""

    status = 409
