"""Browser routes of the newsroom app."""

from django.urls import path

from annotations.views import articles
from annotations.views import review

urlpatterns = [
    path("", articles.article_list, name="article_list"),
    # The review workflow, the queues and the history (issue #5).
    path("review/", review.review_queue_view, name="review_queue"),
    path("my-claims/", review.my_claims, name="my_claims"),
    path("claims/<int:claim_id>/workflow/", review.claim_workflow, name="claim_workflow"),
    path(
        "claims/<int:claim_id>/workflow/<slug:step>/",
        review.claim_workflow_step,
        name="claim_workflow_step",
    ),
    path("claims/<int:claim_id>/history/", review.claim_history_view, name="claim_history"),
    path("articles/<int:article_id>/", articles.article_detail, name="article_detail"),
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
]
