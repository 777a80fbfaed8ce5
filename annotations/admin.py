"""The admin: enough for an admin to run the newsroom without a shell.

Revisions and reviews are read-only here (the database refuses changes anyway); claims are
edited through the same services as everywhere else, so the admin cannot skip a rule.
"""

from __future__ import annotations

from django.contrib import admin

from annotations.models import (
    Article,
    ArticleRevision,
    Claim,
    ClaimSource,
    Comment,
    Review,
    Source,
    Verdict,
)


@admin.register(Verdict)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ["label", "slug", "rating_value", "colour", "description"]
    search_fields = ["label", "slug", "description"]
    prepopulated_fields = {"slug": ["label"]}


class RevisionInline(admin.TabularInline):
    model = ArticleRevision
    fields = ["number", "input_format", "content_hash", "created_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "outlet", "byline", "published_at", "created_by", "updated_at"]
    list_filter = ["outlet", "created_at"]
    search_fields = ["title", "outlet", "byline", "url"]
    date_hierarchy = "created_at"
    readonly_fields = ["current_revision", "created_by", "created_at", "updated_at"]
    inlines = [RevisionInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = ["article", "number", "input_format", "created_by", "created_at"]
    list_filter = ["input_format", "created_at"]
    search_fields = ["article__title", "content_hash"]
    list_select_related = ["article", "created_by"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ClaimSourceInline(admin.TabularInline):
    model = ClaimSource
    extra = 0
    autocomplete_fields = ["source"]


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0
    can_delete = False
    readonly_fields = ["reviewer", "decision", "comment", "created_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class CommentInline(admin.TabularInline):
    model = Comment
    extra = 0
    readonly_fields = ["author", "created_at"]


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "article",
        "verdict",
        "status",
        "anchor_state",
        "created_by",
        "updated_at",
    ]
    list_filter = ["status", "anchor_state", "verdict", "created_at"]
    search_fields = ["exact", "statement", "claimant", "explanation", "article__title"]
    list_select_related = ["article", "verdict", "created_by"]
    readonly_fields = [
        "article",
        "revision",
        "exact",
        "prefix",
        "suffix",
        "start",
        "end",
        "status",
        "anchor_state",
        "version",
        "created_by",
        "updated_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "deleted_at",
        "deleted_by",
    ]
    inlines = [ClaimSourceInline, ReviewInline, CommentInline]

    def has_add_permission(self, request) -> bool:
        # Claims are made by selecting text in the workspace, where the selector is checked.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "kind", "url", "accessed_at"]
    list_filter = ["kind"]
    search_fields = ["title", "publisher", "url", "excerpt"]


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["claim", "reviewer", "decision", "created_at"]
    list_filter = ["decision", "created_at"]
    search_fields = ["comment", "claim__exact"]
    list_select_related = ["claim", "reviewer"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["claim", "author", "created_at"]
    search_fields = ["body"]
    list_select_related = ["claim", "author"]
