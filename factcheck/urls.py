"""Top-level routes: the newsroom app, its API, the admin and the login pages."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import urls as auth_urls
from django.urls import include, path

from annotations.views.styles import verdict_colours

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
    if settings.PASSWORD_RESET_ENABLED or route.name not in _RESET_NAMES
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include(account_urls)),
    path("api/", include("annotations.api.urls")),
    # The verdict scale's colours as CSS classes (no style="" under the CSP).
    path("verdicts.css", verdict_colours, name="verdict_colours"),
    path("", include("annotations.urls")),
]

#: A crash under /api/ answers JSON like every other API error (annotations/api/errors.py).
handler500 = "annotations.api.errors.server_error"
