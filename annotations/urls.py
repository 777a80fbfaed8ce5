"""Browser routes of the newsroom app."""

from django.urls import path

from annotations.views import (
    archives,
    articles,
    assignments,
    claims,
    dashboard,
    live,
    matches,
    notifications,
    public,
    reanchor,
    review,
    suggestions,
    workspace,
)

urlpatterns = [
    # Source snapshots: the panel's archive line and "archive again", the snapshot page.
    path("sources/<int:source_id>/archive/", archives.source_archive_view, name="source_archive"),
    path(
        "sources/<int:source_id>/archive/<int:archive_id>/",
        archives.snapshot_view,
        name="source_snapshot",
    ),
    # The public page of an article's approved fact-checks, no login (issue #6).
    path("published/<int:article_id>/", public.public_article, name="public_article"),
    path("", articles.article_list, name="article_list"),
    # The review workflow, the queues and the history (issue #5).
    path("review/", review.review_queue_view, name="review_queue"),
    path("review/bulk/", review.review_bulk_view, name="review_bulk"),
    path("my-claims/", review.my_claims, name="my_claims"),
    # The desk dashboard: the last 7, 30 or 90 days in figures (issue 16).
    path("dashboard/", dashboard.dashboard_view, name="dashboard"),
    path(
        "dashboard/days.csv",
        dashboard.dashboard_view,
        {"as_csv": True},
        name="dashboard_days_csv",
    ),
    path("claims/<int:claim_id>/workflow/", review.claim_workflow, name="claim_workflow"),
    path(
        "claims/<int:claim_id>/workflow/<slug:step>/",
        review.claim_workflow_step,
        name="claim_workflow_step",
    ),
    path("claims/<int:claim_id>/history/", review.claim_history_view, name="claim_history"),
    # Assignment and notifications (issue 16).
    path("my-work/", assignments.my_work_view, name="my_work"),
    path(
        "claims/<int:claim_id>/assignments/",
        assignments.claim_assignments,
        name="claim_assignments",
    ),
    path(
        "claims/<int:claim_id>/assignments/<int:assignment_id>/remove/",
        assignments.claim_assignment_remove,
        name="claim_assignment_remove",
    ),
    path(
        "articles/<int:article_id>/assignments/",
        assignments.article_assignments,
        name="article_assignments",
    ),
    path(
        "articles/<int:article_id>/assignments/<int:assignment_id>/remove/",
        assignments.article_assignment_remove,
        name="article_assignment_remove",
    ),
    path("notifications/", notifications.notifications_view, name="notifications"),
    path("notifications/read/", notifications.notifications_read_view, name="notifications_read"),
    path("notifications/bell/", notifications.bell_view, name="notifications_bell"),
    path(
        "notifications/settings/",
        notifications.notification_settings_view,
        name="notification_settings",
    ),
    path("articles/<int:article_id>/", workspace.article_detail, name="article_detail"),
    # The editor's workspace: claims, their sources and comments (issue #4).
    path("articles/<int:article_id>/claims/", claims.claim_list_view, name="claim_list"),
    # Live updates: the workspace's server-sent events (issue 16).
    path("articles/<int:article_id>/live/", live.article_live, name="article_live"),
    path("articles/<int:article_id>/text/", workspace.article_text_view, name="article_text"),
    path("articles/<int:article_id>/claims/new/", claims.claim_create_view, name="claim_create"),
    path("claims/<int:claim_id>/", claims.claim_panel, name="claim_panel"),
    path("claims/<int:claim_id>/save/", claims.claim_save, name="claim_save"),
    path("claims/<int:claim_id>/delete/", claims.claim_delete_view, name="claim_delete"),
    path("claims/<int:claim_id>/sources/", claims.source_add_view, name="claim_source_add"),
    path(
        "claims/<int:claim_id>/sources/<int:claim_source_id>/",
        claims.source_edit_view,
        name="claim_source_edit",
    ),
    path(
        "claims/<int:claim_id>/sources/<int:claim_source_id>/remove/",
        claims.source_remove_view,
        name="claim_source_remove",
    ),
    path("claims/<int:claim_id>/comments/", claims.comment_add_view, name="claim_comment_add"),
    # "Checked before?": the earlier checks a claim matches, and the answers (issue 13).
    path("claims/<int:claim_id>/matches/", matches.claim_matches_view, name="claim_matches"),
    # Suggested claims: the list, accept (a draft claim), dismiss (issue 14).
    path(
        "articles/<int:article_id>/suggestions/",
        suggestions.suggestion_list_view,
        name="suggestion_list",
    ),
    path(
        "suggestions/<int:suggestion_id>/accept/",
        suggestions.suggestion_accept_view,
        name="suggestion_accept",
    ),
    path(
        "suggestions/<int:suggestion_id>/dismiss/",
        suggestions.suggestion_dismiss_view,
        name="suggestion_dismiss",
    ),
    # Loading articles, their details and revisions (issue #3).
    path("articles/new/", articles.article_new, name="article_new"),
    path("articles/<int:article_id>/edit/", articles.article_edit, name="article_edit"),
    path("articles/<int:article_id>/revisions/", articles.revision_list, name="revision_list"),
    path("articles/<int:article_id>/revisions/new/", articles.revision_new, name="revision_new"),
    path(
        "articles/<int:article_id>/revisions/<int:number>/",
        articles.revision_detail,
        name="revision_detail",
    ),
    path(
        "articles/<int:article_id>/revisions/<int:number>/raw/",
        articles.revision_raw,
        name="revision_raw",
    ),
    path(
        "articles/<int:article_id>/revisions/<int:number>/keep-removed/",
        articles.revision_keep_removed_view,
        name="revision_keep_removed",
    ),
    # Re-anchoring: the report after a load, anchoring claims again, diffs (issue #7).
    path(
        "articles/<int:article_id>/revisions/<int:number>/report/",
        reanchor.reanchor_report,
        name="reanchor_report",
    ),
    path("articles/<int:article_id>/diff/", reanchor.revision_diff_view, name="revision_diff"),
    path("claims/<int:claim_id>/anchor/", reanchor.claim_anchor, name="claim_anchor"),
    path(
        "claims/<int:claim_id>/confirm-placement/",
        reanchor.claim_confirm_placement,
        name="claim_confirm_placement",
    ),
    path("claims/<int:claim_id>/statement/", reanchor.claim_restate_view, name="claim_restate"),
]
