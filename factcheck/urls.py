"""Top-level routes: the newsroom app, its API, the admin and the login pages."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import urls as auth_urls
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from annotations.api.w3c import factcheck_context
from annotations.views.styles import verdict_colours

#: Where the icon lives among the static files (hashed and cached forever in production).
FAVICON = "annotations/favicon.ico"


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says, so answer it rather than 404
    (every 404 is noise in the logs). A temporary redirect to the static file, cached for a
    day: its hashed name changes with its content, so a permanent one would go stale."""
    response = HttpResponseRedirect(static(FAVICON))
    patch_cache_control(response, public=True, max_age=86400)
    return response


#: Password reset sends mail: without a mail server configured (EMAIL_HOST) its pages
#: would accept an address and silently send nothing, so they do not exist.
_RESET_NAMES = {
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}
account_urls = [
    route
    for route in auth_urls.urlpatterns
    # Every route there is a URLPattern (a URLResolver, which has no name, would be kept).
    if settings.PASSWORD_RESET_ENABLED or getattr(route, "name", None) not in _RESET_NAMES
]

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    # The JSON-LD context of the W3C export's extension terms (a source's stance).
    path("ns/factcheck.jsonld", factcheck_context, name="factcheck_context"),
    path("admin/", admin.site.urls),
    path("accounts/", include(account_urls)),
    path("api/", include("annotations.api.urls")),
    # The verdict scale's colours as CSS classes (no style="" under the CSP).
    path("verdicts.css", verdict_colours, name="verdict_colours"),
    path("", include("annotations.urls")),
]

#: A crash under /api/ answers JSON like every other API error (annotations/api/errors.py).
handler500 = "annotations.api.errors.server_error"
