"""Template context every page may read."""

from __future__ import annotations

import functools
from typing import Any

from annotations import limits

_LIMITS = limits.as_context()


def field_limits(request: Any) -> dict[str, Any]:
    """`{{ limits.STATEMENT }}` for a field's `maxlength`: the same number the service enforces."""
    return {"limits": _LIMITS}


def notifications(request: Any) -> dict[str, Any]:
    """`{% with n=unread_notifications %}` for the bell: a callable the template calls when
    it shows the bell (full pages, for members), counted once a request, so one query a
    page at most and none for partials."""
    from annotations.roles import is_newsroom_member
    from annotations.services.notifications import unread_count

    user = getattr(request, "user", None)

    @functools.cache
    def count() -> int:
        return unread_count(user) if is_newsroom_member(user) else 0

    return {"unread_notifications": count}
