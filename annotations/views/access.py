"""Who may see what in the browser: the same roles as the API.

The decorators answer before a view's body runs (login, then the role), so the body can
read `request.user` as a signed-in `User`: views type their request `NewsroomRequest`
and pass `request.user` to the services without narrowing it again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django_htmx.middleware import HtmxDetails

from annotations.roles import NO_ROLE_MESSAGE, is_newsroom_member, is_reviewer, may_edit


class NewsroomRequest(HttpRequest):
    """A request one of the role decorators let through: a signed-in person with a role,
    with django-htmx's details (`request.htmx`)."""

    user: User
    htmx: HtmxDetails


View = Callable[..., HttpResponseBase]


def _role_required(check: Callable[[Any], bool], message: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not check(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


newsroom_required = _role_required(is_newsroom_member, NO_ROLE_MESSAGE)
editor_required = _role_required(may_edit, "Only editors and reviewers may do this.")
reviewer_required = _role_required(is_reviewer, "Only reviewers may do this.")
