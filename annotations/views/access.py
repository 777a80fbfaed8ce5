"""Who may see what in the browser: the same roles as the API."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from annotations.roles import NO_ROLE_MESSAGE, is_newsroom_member, is_reviewer, may_edit


def _role_required(check, message: str):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


newsroom_required = _role_required(is_newsroom_member, NO_ROLE_MESSAGE)
editor_required = _role_required(may_edit, "Only editors and reviewers may do this.")
reviewer_required = _role_required(is_reviewer, "Only reviewers may do this.")
