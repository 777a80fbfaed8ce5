"""API routes: /api/v1/… plus the OpenAPI schema and its docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from annotations.api import articles as article_views
from annotations.api import claims, views

v1 = [
    path("verdicts/", views.VerdictList.as_view(), name="api_verdicts"),
    # Claims, their sources and comments (issue #6).
    path("claims/", claims.ClaimList.as_view(), name="api_claims"),
    path("claims/<int:claim_id>/", claims.ClaimDetail.as_view(), name="api_claim_detail"),
    path(
        "claims/<int:claim_id>/sources/",
        claims.ClaimSourceList.as_view(),
        name="api_claim_sources",
    ),
    path(
        "claims/<int:claim_id>/sources/<int:source_id>/",
        claims.ClaimSourceDetail.as_view(),
        name="api_claim_source_detail",
    ),
    path(
        "claims/<int:claim_id>/comments/",
        claims.ClaimCommentList.as_view(),
        name="api_claim_comments",
    ),
    # Articles and their revisions (issue #3).
    path("articles/", article_views.ArticleListCreate.as_view(), name="api_articles"),
    path("articles/<int:pk>/", article_views.ArticleDetail.as_view(), name="api_article_detail"),
    path(
        "articles/<int:article_id>/revisions/",
        article_views.RevisionListCreate.as_view(),
        name="api_article_revisions",
    ),
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
