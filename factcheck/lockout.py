"""What a locked-out login gets (django-axes' AXES_LOCKOUT_CALLABLE).

One page for the site login and the admin login, with status 429 and `Retry-After`, that
says how many failures caused it and how long the pause lasts — in minutes, not axes'
ISO 8601 duration. The lockout itself is logged by axes (logger `axes`).
"""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: dict | None = None
) -> HttpResponse:
    cool_off = get_cool_off(request)
    seconds = int(cool_off.total_seconds()) if cool_off else 0
    response = render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": get_failure_limit(request, credentials),
            "username": get_client_username(request, credentials) or "",
            "minutes": math.ceil(seconds / 60),
        },
        status=429,
    )
    if seconds:
        response["Retry-After"] = str(seconds)
    return response
