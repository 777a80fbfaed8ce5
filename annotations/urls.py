"""Browser routes of the newsroom app."""

from django.urls import path

from annotations.views import articles

urlpatterns = [
    path("", articles.article_list, name="article_list"),
    path("articles/<int:article_id>/", articles.article_detail, name="article_detail"),
]
