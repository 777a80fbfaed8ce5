"""Top-level routes: the newsroom app, its API, the admin and the login pages."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from annotations.api.w3c import factcheck_context

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


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    # The JSON-LD context of the W3C export's extension terms (a source's stance).
    path("ns/factcheck.jsonld", factcheck_context, name="factcheck_context"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("annotations.api.urls")),
    path("", include("annotations.urls")),
]
