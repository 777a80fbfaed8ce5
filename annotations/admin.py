"""The admin: enough for an admin to run the newsroom without a shell.

Revisions and reviews are read-only here (the database refuses changes anyway); claims and
article details are edited through the same services as everywhere else, so the admin
cannot skip a rule. Sources and comments are shown, not edited: they are written in the
workspace, through source_attach/source_update/source_detach and comment_add. A refusal
from a service (a locked claim, a stale version, a duplicate URL) is an error message on
the change page, never a 500. The verdict scale has no service: it is data admins edit,
checked by the model's validators and the database's constraint.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers, widgets
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from annotations.models import (
    Article,
    ArticleRevision,
    Assignment,
    Claim,
    ClaimMatch,
    ClaimSource,
    Comment,
    KnownCheck,
    Notification,
    NotificationPreference,
    Review,
    Source,
    SourceArchive,
    Suggestion,
    SuggestionReason,
    SuggestionStatus,
    Verdict,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
    WebhookSubscription,
    Worker,
)
from annotations.selectors.history import claim_history
from annotations.selectors.jobs import background_paused, live_workers
from annotations.selectors.suggestions import suggestion_outcomes
from annotations.services.articles import METADATA_FIELDS, article_update_metadata
from annotations.services.claims import CONTENT_FIELDS, claim_ensure_editable, claim_update
from annotations.services.errors import ServiceError
from annotations.services.jobs import job_run_again
from annotations.services.known_checks import FIELDS as IMPORTED_FIELDS
from annotations.services.known_checks import known_checks_import
from annotations.services.matching import embedding_progress, embeddings_fill_job
from annotations.services.webhooks import (
    webhook_send_again,
    webhook_subscription_create,
    webhook_subscription_delete,
    webhook_subscription_update,
)
from annotations.services.workflow import STEPS, claim_transition

#: As the browser forms do (and Django 6 will): a web address typed without a scheme is https.
URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"widget": widgets.AdminURLFieldWidget, "assume_scheme": "https"}
}


class ReadOnlyAdminMixin:
    """Shown, never written here: a service (used from the workspace) is the only writer."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ServiceErrorsAsMessagesMixin(admin.ModelAdmin):
    """A service's refusal while saving the change form becomes an error message.

    `changeform_view` runs in a transaction, so when save_model's service call raises,
    nothing of the submission is kept; the admin lands back on the change page, which shows
    the object as it is now (for a stale version: with the other person's change), and the
    service's own words.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(Verdict)
class VerdictAdmin(admin.ModelAdmin):
    list_display = ["label", "slug", "rating_value", "colour", "description"]
    search_fields = ["label", "slug", "description"]
    prepopulated_fields = {"slug": ["label"]}


class RevisionInline(admin.TabularInline):
    model = ArticleRevision
    fields = readonly_fields = (
        "number",
        "input_format",
        "content_hash",
        "created_by",
        "created_at",
    )
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by").defer("text", "raw")


@admin.register(Article)
class ArticleAdmin(ServiceErrorsAsMessagesMixin, admin.ModelAdmin):
    list_display = ["title", "outlet", "byline", "published_at", "created_by", "updated_at"]
    list_filter = ["outlet", "created_at"]
    search_fields = ["title", "outlet", "byline", "url"]
    date_hierarchy = "created_at"
    readonly_fields = ["current_revision", "created_by", "created_at", "updated_at"]
    inlines = [RevisionInline]
    list_select_related = ["created_by"]
    formfield_overrides = URL_FIELDS

    def has_add_permission(self, request) -> bool:
        # Articles are loaded in the browser (article_ingest), which makes their revision.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        changed = [f for f in form.changed_data if f in METADATA_FIELDS]
        if not change or not changed:
            return
        current = Article.objects.get(pk=obj.pk)
        article_update_metadata(
            article=current,
            user=request.user,
            **{field: form.cleaned_data[field] for field in changed},
        )


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(admin.ModelAdmin):
    list_display = ["article", "number", "input_format", "created_by", "created_at"]
    list_filter = ["input_format", "created_at"]
    search_fields = ["article__title", "content_hash"]
    list_select_related = ["article", "created_by"]
    formfield_overrides = URL_FIELDS

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ClaimSourceInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ClaimSource
    verbose_name_plural = (
        "Sources (read-only here: add, edit and remove them in the workspace, where an "
        "approved claim's sources stay locked)"
    )
    fields = readonly_fields = ("source", "stance", "created_at")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0
    can_delete = False
    readonly_fields = ["reviewer", "decision", "comment", "created_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("reviewer")


class CommentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Comment
    verbose_name_plural = "Comments (read-only here: comment in the workspace)"
    fields = readonly_fields = ("author", "body", "created_at")
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class ClaimAdminForm(forms.ModelForm):
    #: The version the admin read; claim_update refuses the save if the claim moved on.
    read_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = Claim
        fields = list(CONTENT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["read_version"].initial = self.instance.version


@admin.register(Claim)
class ClaimAdmin(ServiceErrorsAsMessagesMixin, admin.ModelAdmin):
    form = ClaimAdminForm
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
    # Workflow steps go through annotations.services.workflow, as everywhere else (#5).
    actions = [f"workflow_{name}" for name in STEPS]

    def has_add_permission(self, request) -> bool:
        # Claims are made by selecting text in the workspace, where the selector is checked.
        return False

    # --- Review workflow and history (issue #5) ------------------------------------------

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "workspace_link", "history_timeline"]

    @admin.display(description="Workspace")
    def workspace_link(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("article_detail", args=[obj.article_id]) + f"?claim={obj.pk}"
        return format_html('<a href="{}">Open in the workspace</a> (sources, comments)', url)

    def get_form(
        self, request: HttpRequest, obj: Any | None = None, change: bool = False, **kwargs: Any
    ) -> type[forms.ModelForm[Any]]:
        # Any: a class made at run time (a subclass of ClaimAdminForm), subclassed again here.
        form: Any = super().get_form(request, obj, change, **kwargs)
        user = cast(User, request.user)  # the admin site lets in only signed-in staff

        class ServiceCheckedForm(form):
            def clean(self):
                cleaned = super().clean()
                changed = set(self.changed_data) & set(CONTENT_FIELDS)
                if self.instance.pk and changed:
                    current = Claim.objects.get(pk=self.instance.pk)
                    try:
                        claim_ensure_editable(current, user)
                    except ServiceError as exc:
                        raise forms.ValidationError(exc.message) from exc
                return cleaned

        return ServiceCheckedForm

    def save_model(self, request, obj, form, change) -> None:
        changed = [f for f in form.changed_data if f in CONTENT_FIELDS]
        if not change or not changed:
            return
        # A refusal (locked, stale) raises; ServiceErrorsAsMessagesMixin shows it.
        claim_update(
            claim=Claim.objects.get(pk=obj.pk),
            user=request.user,
            version=form.cleaned_data["read_version"],
            **{field: form.cleaned_data[field] for field in changed},
        )

    @admin.display(description="History")
    def history_timeline(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        rows = []
        for entry in claim_history(obj):
            changes = "; ".join(
                f"{field}: {before if before not in (None, '') else '—'} → "
                f"{after if after not in (None, '') else '—'}"
                for field, (before, after) in entry["changes"].items()
            )
            rows.append(
                (
                    entry["at"].strftime("%Y-%m-%d %H:%M:%S"),
                    entry["user"] or "system",
                    entry["label"],
                    changes[:500],
                    entry["comment"],
                )
            )
        return format_html(
            "<table><thead><tr><th>When</th><th>Who</th><th>What</th><th>Changes</th>"
            "<th>Comment</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                rows,
            ),
        )

    def _workflow(self, request, queryset, step: str):
        """Ask for the comment on an intermediate page, then take the step on each claim."""
        spec = STEPS[step]
        if request.POST.get("apply"):
            comment = request.POST.get("comment", "")
            done, refused = 0, []
            for claim in queryset:
                try:
                    claim_transition(claim=claim, user=request.user, step=step, comment=comment)
                    done += 1
                except ServiceError as exc:
                    refused.append(f"#{claim.pk}: {exc.message}")
            if done:
                self.message_user(request, f"{spec.label}: {done} claim(s).", messages.SUCCESS)
            for message in refused:
                self.message_user(request, message, messages.ERROR)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"{spec.label}: {queryset.count()} claim(s)",
            "opts": self.model._meta,
            "claims": queryset,
            "step": spec,
            "action": f"workflow_{step}",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/annotations/claim/workflow_action.html", context)

    @admin.action(description="Submit for review…")
    def workflow_submit(self, request, queryset):
        return self._workflow(request, queryset, "submit")

    @admin.action(description="Approve…")
    def workflow_approve(self, request, queryset):
        return self._workflow(request, queryset, "approve")

    @admin.action(description="Request changes (with a comment)…")
    def workflow_request_changes(self, request, queryset):
        return self._workflow(request, queryset, "request_changes")

    @admin.action(description="Reject (with a comment)…")
    def workflow_reject(self, request, queryset):
        return self._workflow(request, queryset, "reject")

    @admin.action(description="Reopen (with a reason)…")
    def workflow_reopen(self, request, queryset):
        return self._workflow(request, queryset, "reopen")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Source)
class SourceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Editing a source here would change the evidence of approved claims behind the lock.
    formfield_overrides = URL_FIELDS
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
class CommentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["claim", "author", "created_at"]
    search_fields = ["body"]
    list_select_related = ["claim", "author"]


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Suggested claims, read-only: people accept or dismiss them in the workspace. Above
    the list, each reason's open / accepted / dismissed counts: how the check-worthiness
    model does in real use."""

    change_list_template = "admin/annotations/suggestion/change_list.html"
    list_display = [
        "short_exact",
        "reason",
        "score",
        "status",
        "article",
        "revision_number",
        "decided_by",
        "decided_at",
        "claim_id",
    ]
    list_filter = ["status", "reason"]
    search_fields = ["exact"]
    list_select_related = ["article", "decided_by"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self, request: HttpRequest):
        # The revision's number, not the revision: its text can run to megabytes.
        return super().get_queryset(request).annotate(_revision_number=F("revision__number"))

    @admin.display(description="Quote", ordering="exact")
    def short_exact(self, suggestion: Suggestion) -> str:
        return suggestion.exact if len(suggestion.exact) <= 80 else suggestion.exact[:79] + "…"

    @admin.display(description="Revision", ordering="revision__number")
    def revision_number(self, suggestion: Suggestion) -> int | None:
        return getattr(suggestion, "_revision_number", None)

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None):
        outcomes = suggestion_outcomes()
        rows = []
        for reason in SuggestionReason:
            counts = outcomes.get(reason.value, {})
            opened, accepted, dismissed = (
                counts.get(SuggestionStatus.OPEN, 0),
                counts.get(SuggestionStatus.ACCEPTED, 0),
                counts.get(SuggestionStatus.DISMISSED, 0),
            )
            decided = accepted + dismissed
            rows.append(
                {
                    "label": reason.label,
                    "open": opened,
                    "accepted": accepted,
                    "dismissed": dismissed,
                    # Of the suggestions someone decided on, the share accepted.
                    "rate": f"{accepted / decided:.0%}" if decided else "–",
                }
            )
        context = {**(extra_context or {}), "suggestion_outcomes": rows}
        return super().changelist_view(request, extra_context=context)


class KnownCheckImportForm(forms.Form):
    file = forms.FileField(help_text="JSON, JSON-LD or a saved HTML page.")


@admin.register(KnownCheck)
class KnownCheckAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Fact-checks published elsewhere, read-only: imports are the source (a correction is
    a new import of the same URL). "Import ClaimReview…" runs the import service on a file."""

    change_list_template = "admin/annotations/knowncheck/change_list.html"
    list_display = [
        "short_claim",
        "claimant",
        "rating_text",
        "publisher_name",
        "review_date",
        "language",
        "imported_at",
    ]
    list_filter = ["publisher_name", "language", "rating_text"]
    search_fields = ["claim_reviewed", "claimant", "url", "title"]
    date_hierarchy = "review_date"
    list_select_related = ["imported_by"]
    #: Read-only: imports are the source (the fields an import writes, then its record).
    readonly_fields = [*IMPORTED_FIELDS, "imported_at", "imported_by", "updated_at"]

    @admin.display(description="Claim reviewed", ordering="claim_reviewed")
    def short_claim(self, check: KnownCheck) -> str:
        text = check.claim_reviewed
        return text if len(text) <= 80 else text[:79] + "…"

    def get_queryset(self, request: HttpRequest):
        # The vectors are 1.5 kB each and never shown: the list and the page skip them.
        return super().get_queryset(request).defer("embedding")

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None):
        """Above the list: how many known checks have their vector yet (one query)."""
        progress = embedding_progress()
        if progress.pending:
            note = (
                f"{progress.done:,} of {progress.total:,} known checks have their vector; "
                "the rest match by words until then."
            )
        else:
            note = f"All {progress.total:,} known checks have their vector."
        context = {
            **(extra_context or {}),
            "embedding_progress": progress,
            "vector_note": note,
            "background_paused": background_paused(embeddings_fill_job),
        }
        return super().changelist_view(request, extra_context=context)

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [
            path("import/", view, name="annotations_knowncheck_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = KnownCheckImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = known_checks_import(data=upload.read(), user=cast(User, request.user))
            except ServiceError as exc:
                self.message_user(request, f"{upload.name}: {exc.message}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"{upload.name}: {report.created} created, {report.updated} updated, "
                    f"{report.unchanged} unchanged, {report.duplicates} duplicates in the "
                    f"file, {report.ignored} other JSON-LD objects ignored.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:annotations_knowncheck_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import ClaimReview",
            "form": form,
        }
        return TemplateResponse(request, "admin/annotations/knowncheck/import.html", context)


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@admin.register(ClaimMatch)
class ClaimMatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """People's answers to "Checked before?", read-only: answers are given (and changed) in
    the workspace through `match_decide`, which keeps who and when. Filtered by answer, to
    see what the matcher offered and what people made of it."""

    list_display = ["claim_short", "earlier_check", "decision", "score", "decided_by", "decided_at"]
    list_filter = ["decision", "decided_at"]
    search_fields = ["claim__exact", "claim__statement", "known_check__claim_reviewed"]
    list_select_related = ["claim", "known_check", "earlier_claim", "decided_by"]
    ordering = ["-decided_at", "-id"]

    def get_queryset(self, request: HttpRequest):
        # A known check's vector is 1.5 kB and never shown.
        return super().get_queryset(request).defer("known_check__embedding")

    @admin.display(description="Claim", ordering="claim_id")
    def claim_short(self, match: ClaimMatch) -> str:
        claim = match.claim
        return f"#{claim.pk} {_short(claim.statement or claim.exact, 60)}"

    @admin.display(description="Earlier check")
    def earlier_check(self, match: ClaimMatch) -> str:
        if match.known_check is not None:
            check = match.known_check
            return f"{check.publisher_name or 'Known check'}: {_short(check.claim_reviewed, 60)}"
        earlier = match.earlier_claim
        assert earlier is not None
        return f"Our claim #{earlier.pk}: {_short(earlier.statement or earlier.exact, 60)}"


# --- Webhooks (issue 15) ----------------------------------------------------------------------


class WebhookSubscriptionForm(forms.ModelForm):
    url = forms.URLField(max_length=2000, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookSubscription
        fields = ["url", "events", "description", "is_active"]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ServiceErrorsAsMessagesMixin, admin.ModelAdmin):
    """Subscribe a receiver; saving goes through the service (address rules, the secret)."""

    form = WebhookSubscriptionForm
    list_display = ["url", "event_list", "is_active", "description", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "description"]
    readonly_fields = ["secret", "deliveries_link", "created_by", "created_at"]
    actions = ["rotate_secret"]
    formfield_overrides = URL_FIELDS

    @admin.display(description="Events")
    def event_list(self, obj: WebhookSubscription) -> str:
        return ", ".join(obj.events)

    @admin.display(description="Delivery log")
    def deliveries_link(self, obj: WebhookSubscription) -> str:
        if obj.pk is None:
            return "—"
        url = reverse("admin:annotations_webhookdelivery_changelist") + f"?subscription={obj.pk}"
        return format_html('<a href="{}">Deliveries and attempts</a>', url)

    def save_model(self, request, obj, form, change) -> None:
        fields = {name: form.cleaned_data[name] for name in ["url", "events", "description",
                                                               "is_active"]}  # fmt: skip
        if change:
            saved = webhook_subscription_update(
                subscription=WebhookSubscription.objects.get(pk=obj.pk),
                user=request.user,
                **{k: v for k, v in fields.items() if k in form.changed_data},
            )
        else:
            saved = webhook_subscription_create(user=request.user, **fields)
        obj.pk, obj.secret = saved.pk, saved.secret

    def delete_model(self, request, obj) -> None:
        webhook_subscription_delete(subscription=obj, user=request.user)

    @admin.action(description="Issue a new secret (the receiver must be given it)")
    def rotate_secret(self, request, queryset) -> None:
        for subscription in queryset:
            webhook_subscription_update(
                subscription=subscription, user=request.user, rotate_secret=True
            )
        self.message_user(request, f"New secrets issued for {queryset.count()} subscription(s).")


class WebhookAttemptInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = WebhookAttempt
    readonly_fields = fields = (
        "number",
        "attempted_at",
        "response_status",
        "error",
        "duration_ms",
        "requested_by",
    )
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("requested_by")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: every attempt's answer and time, and "Send again"."""

    list_display = ["event", "subscription", "status", "attempt_count", "created_at",
                    "delivered_at", "next_attempt_at"]  # fmt: skip
    list_filter = ["status", "event", "subscription"]
    list_select_related = ["subscription"]
    readonly_fields = [
        "subscription",
        "message_id",
        "event",
        "payload",
        "status",
        "attempt_count",
        "next_attempt_at",
        "created_at",
        "delivered_at",
    ]
    inlines = [WebhookAttemptInline]
    actions = ["send_again"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None  # the list (and its action); a delivery itself is a record

    @admin.action(description="Send again now")
    def send_again(self, request, queryset) -> None:
        sent = 0
        for delivery in queryset:
            try:
                webhook_send_again(delivery=delivery, user=request.user)
                sent += 1
            except ServiceError as exc:
                self.message_user(request, f"{delivery}: {exc.message}", messages.ERROR)
        if sent:
            self.message_user(request, f"{sent} delivery(ies) queued to be sent again.")


@admin.register(Worker)
class WorkerAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The background workers (`manage.py worker`) and their heartbeats, read-only: a worker
    writes its own row. A lost worker (killed, frozen) stays listed for a day, its job back
    in the queue; the jobs themselves are under "Task results" (django-tasks-db's admin)."""

    list_display = ["worker_id", "hostname", "pid", "started_at", "seen_at", "alive"]
    search_fields = ["worker_id", "hostname"]
    ordering = ["-seen_at"]

    def get_queryset(self, request: HttpRequest):
        from django.db.models import Exists, OuterRef

        live = live_workers().filter(pk=OuterRef("pk"))
        return super().get_queryset(request).annotate(is_alive=Exists(live))

    @admin.display(description="Alive", boolean=True, ordering="-seen_at")
    def alive(self, worker: Worker) -> bool:
        return bool(getattr(worker, "is_alive", False))

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None):
        """Above the list: "background work is paused" when jobs wait and none is alive."""
        context = {**(extra_context or {}), "background_paused": background_paused()}
        return super().changelist_view(request, extra_context=context)


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class JobAdmin(DBTaskResultAdmin):
    """django-tasks-db's read-only list of jobs, with how many runs each took and "Run
    again" for failed ones (through `job_run_again`), once their cause is fixed."""

    list_display = (*DBTaskResultAdmin.list_display, "attempts")  # type: ignore[assignment]
    actions = ["run_again"]

    @admin.display(description="Runs")
    def attempts(self, job: DBTaskResult) -> int:
        return len(job.worker_ids)

    @admin.action(description="Run the selected failed jobs again")
    def run_again(self, request: HttpRequest, queryset) -> None:
        queued = 0
        for job in queryset:
            try:
                job_run_again(result=job)
            except ServiceError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                queued += 1
        if queued:
            self.message_user(
                request, f"{queued} job{'s' if queued != 1 else ''} queued again.", messages.SUCCESS
            )


# --- Source snapshots (issue 15) ---------------------------------------------------------------


@admin.register(SourceArchive)
class SourceArchiveAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every snapshot taken of a source, its outcome and where the quoted passage stood.

    Read-only: snapshots are taken by the archive job ("Archive again" in the workspace or
    `POST /api/v1/sources/{id}/archive`); this list is where an admin sees failures at a glance.
    """

    list_display = ["source", "status", "http_status", "captured_at", "excerpt_state",
                    "excerpt_lost", "attempts", "snapshot_link"]  # fmt: skip
    list_filter = ["status", "excerpt_state", "excerpt_lost"]
    search_fields = ["source__url", "source__title", "final_url"]
    list_select_related = ["source"]
    exclude = ["text"]
    readonly_fields = ["snapshot_link"]
    formfield_overrides = URL_FIELDS

    @admin.display(description="Snapshot")
    def snapshot_link(self, obj: SourceArchive) -> str:
        if obj.pk is None or obj.status != "archived":
            return "—"
        url = reverse("source_snapshot", args=[obj.source_id, obj.pk])
        return format_html('<a href="{}">View snapshot</a>', url)


# --- Assignment and notifications (issue 16): read-only, written by the services --------


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who is assigned to what. Assigned and unassigned in the workspace (or the API), so
    the history records who did it and the person is notified."""

    list_display = ["person", "role", "claim", "article", "assigned_by", "assigned_at"]
    list_filter = ["role"]
    search_fields = ["person__username", "article__title", "claim__exact"]
    list_select_related = ["person", "claim", "article", "assigned_by"]
    raw_id_fields = ["claim", "article"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["recipient", "kind", "text", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["recipient__username", "text"]
    list_select_related = ["recipient"]
    raw_id_fields = ["claim", "article"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Each person sets their own on the notifications page."""

    list_display = ["user", "email"]
    list_filter = ["email"]
    list_select_related = ["user"]
