"""API routes: /api/v1/… plus the OpenAPI schema and its docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from annotations.api import views

v1 = [
    path("verdicts/", views.VerdictList.as_view(), name="api_verdicts"),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[]), name="api_schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api_schema", permission_classes=[]),
        name="api_docs",
    ),
]
