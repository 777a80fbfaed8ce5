"""Template context every page may read."""

from __future__ import annotations

from typing import Any

from annotations import limits

_LIMITS = limits.as_context()


def field_limits(request: Any) -> dict[str, Any]:
    """`{{ limits.STATEMENT }}` for a field's `maxlength`: the same number the service enforces."""
    return {"limits": _LIMITS}
