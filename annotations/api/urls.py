"""API routes: /api/v1/… plus the OpenAPI schema and its docs."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from annotations.api import (
    archives,
    assignments,
    claimreview,
    claims,
    exports,
    known_checks,
    matches,
    notifications,
    suggestions,
    views,
    w3c,
    webhooks,
)
from annotations.api import articles as article_views
from annotations.api import workflow as workflow_api
from annotations.api.errors import api_not_found

v1 = [
    path("me/", views.Me.as_view(), name="api_me"),
    path("verdicts/", views.VerdictList.as_view(), name="api_verdicts"),
    # Claims, their sources and comments (issue #6).
    path("claims/", claims.ClaimList.as_view(), name="api_claims"),
    path(
        "claims/bulk-review/",
        workflow_api.ClaimBulkReview.as_view(),
        name="api_claims_bulk_review",
    ),
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
    # Exports: CSV, W3C Web Annotations, schema.org ClaimReview (issue #6).
    path("export/claims.csv", exports.ClaimCSVExport.as_view(), name="api_export_claims_csv"),
    path("annotations/", w3c.AnnotationContainer.as_view(), name="api_annotations"),
    path("annotations/<int:claim_id>", w3c.AnnotationDetail.as_view(), name="api_annotation"),
    path("claimreviews/", claimreview.ClaimReviewList.as_view(), name="api_claimreviews"),
    # The review workflow and the audit trail (issue #5).
    *[
        path(
            f"claims/<int:claim_id>/{segment}/",
            workflow_api.ClaimWorkflowStep.as_view(),
            {"step": step},
            name=f"api_claim_{step}",
        )
        for segment, step in workflow_api.ROUTES.items()
    ],
    path(
        "claims/<int:claim_id>/history/",
        workflow_api.ClaimHistory.as_view(),
        name="api_claim_history",
    ),
    # Articles and their revisions (issue #3).
    path("articles/", article_views.ArticleListCreate.as_view(), name="api_articles"),
    path("articles/bulk/", article_views.ArticleBulkLoad.as_view(), name="api_articles_bulk"),
    path("articles/<int:pk>/", article_views.ArticleDetail.as_view(), name="api_article_detail"),
    path(
        "articles/<int:article_id>/revisions/",
        article_views.RevisionListCreate.as_view(),
        name="api_article_revisions",
    ),
    # Known checks: fact-checks published elsewhere (issue 13).
    path("known-checks/", known_checks.KnownCheckList.as_view(), name="api_known_checks"),
    path(
        "known-checks/<int:pk>/",
        known_checks.KnownCheckDetail.as_view(),
        name="api_known_check_detail",
    ),
    path(
        "known-checks/import",
        known_checks.KnownCheckImport.as_view(),
        name="api_known_checks_import",
    ),
    # "Checked before?": earlier checks of a claim or a text, and the answers (issue 13).
    path(
        "claims/<int:claim_id>/matches/",
        matches.ClaimMatchList.as_view(),
        name="api_claim_matches",
    ),
    path("matches/", matches.TextMatchList.as_view(), name="api_matches"),
    # Suggested claims (issue 14).
    path(
        "articles/<int:article_id>/suggestions/",
        suggestions.ArticleSuggestionList.as_view(),
        name="api_article_suggestions",
    ),
    path(
        "suggestions/<int:suggestion_id>/accept",
        suggestions.SuggestionAccept.as_view(),
        name="api_suggestion_accept",
    ),
    path(
        "suggestions/<int:suggestion_id>/dismiss",
        suggestions.SuggestionDismiss.as_view(),
        name="api_suggestion_dismiss",
    ),
    # Webhooks to the CMS (issue 15): staff only.
    path("webhooks/", webhooks.SubscriptionList.as_view(), name="api_webhooks"),
    path(
        "webhooks/<int:subscription_id>/",
        webhooks.SubscriptionDetail.as_view(),
        name="api_webhook_detail",
    ),
    path(
        "webhooks/<int:subscription_id>/deliveries/",
        webhooks.DeliveryList.as_view(),
        name="api_webhook_deliveries",
    ),
    path(
        "webhook-deliveries/<int:delivery_id>/send-again",
        webhooks.DeliverySendAgain.as_view(),
        name="api_webhook_send_again",
    ),
    # Source snapshots (issue 15).
    path(
        "sources/<int:source_id>/archive",
        archives.SourceArchiveView.as_view(),
        name="api_source_archive",
    ),
    path(
        "sources/<int:source_id>/archive.txt",
        archives.SourceArchiveText.as_view(),
        name="api_source_archive_text",
    ),
    # Assignment and notifications (issue 16).
    path(
        "claims/<int:claim_id>/assignments/",
        assignments.ClaimAssignmentList.as_view(),
        name="api_claim_assignments",
    ),
    path(
        "claims/<int:claim_id>/assignments/<int:assignment_id>/",
        assignments.ClaimAssignmentDetail.as_view(),
        name="api_claim_assignment_detail",
    ),
    path(
        "articles/<int:article_id>/assignments/",
        assignments.ArticleAssignmentList.as_view(),
        name="api_article_assignments",
    ),
    path(
        "articles/<int:article_id>/assignments/<int:assignment_id>/",
        assignments.ArticleAssignmentDetail.as_view(),
        name="api_article_assignment_detail",
    ),
    path("notifications/", notifications.NotificationList.as_view(), name="api_notifications"),
    path(
        "notifications/read",
        notifications.NotificationsRead.as_view(),
        name="api_notifications_read",
    ),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[]), name="api_schema"),
    # Swagger UI, with its start-up script served as a file (`?script`) rather than inline,
    # for the CSP. Its page keeps one inline <style> (drf-spectacular's template), so this
    # page alone allows inline styles; scripts stay 'self' only.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api_schema", permission_classes=[])
        ),
        name="api_docs",
    ),
    # Anything else under /api/ is a JSON 404 (issue #6), never Django's HTML page.
    re_path(r"^(?P<unmatched>.*)$", api_not_found),
]
