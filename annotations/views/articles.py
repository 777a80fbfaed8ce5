"""Article pages: the list (home page), loading, metadata, revisions and the reading view."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from annotations import limits
from annotations.access import get_article_for
from annotations.forms.articles import ArticleLoadForm, ArticleMetadataForm, RevisionLoadForm
from annotations.models import Article, ArticleRevision
from annotations.roles import may_edit
from annotations.selectors.articles import articles_for_list, revisions_for_article
from annotations.services.articles import (
    Loaded,
    article_ingest,
    article_update_metadata,
    revision_keep_removed,
    revision_load,
)
from annotations.services.errors import DuplicateArticle, ServiceError
from annotations.services.revisions import revision_edit, revision_edit_preview
from annotations.views.access import NewsroomRequest, editor_required, newsroom_required
from annotations.views.removed import removed_parts_of, removed_summary

#: Pages with a form: shown on GET (and HEAD), submitted with POST; nothing else.
require_form_methods = require_http_methods(["GET", "HEAD", "POST"])


@require_safe
@newsroom_required
def article_list(request: NewsroomRequest) -> HttpResponse:
    q = request.GET.get("q", "")[: limits.SEARCH]
    articles = articles_for_list(q=q)
    page = Paginator(articles, limits.ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "articles": page.object_list,
        "q": q.strip(),
        "can_load": may_edit(request.user),
    }
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "annotations/partials/article_rows.html", context)
    return render(request, "annotations/article_list.html", context)


def _loaded_messages(request: NewsroomRequest, loaded: Loaded) -> None:
    revision = loaded.revision
    if loaded.created:
        messages.success(request, f"Loaded “{loaded.article.title}”.")
    else:
        messages.success(request, f"Loaded revision {revision.number} of “{loaded.article.title}”.")
    if revision.removed:
        count = revision.removed.count("\n\n") + 1
        messages.info(
            request,
            f"Cleaning removed {count} paragraph{'s' if count != 1 else ''} of site "
            f"boilerplate: {removed_summary(revision)}. See “Removed when loading” on "
            f"revision {revision.number} to keep any of it.",
        )


@require_form_methods
@editor_required
def article_new(request: NewsroomRequest) -> HttpResponse:
    duplicate = None
    status = 200
    if request.method == "POST":
        form = ArticleLoadForm(request.POST, request.FILES)
        if form.is_valid():
            as_revision = form.cleaned_data.get("as_revision")
            target = (
                get_article_for(
                    request.user, as_revision, write=True, queryset=Article.objects.all()
                )
                if as_revision
                else None
            )
            try:
                loaded = article_ingest(
                    user=request.user, as_revision_of=target, **form.service_input()
                )
            except DuplicateArticle as exc:
                existing = exc.extra.get("existing_id")
                duplicate = get_article_for(request.user, existing) if existing else None
                form.add_error(None, exc.message)
                status = exc.status
            except ServiceError as exc:
                form.add_service_error(exc)
                status = exc.status
            else:
                _loaded_messages(request, loaded)
                return redirect("article_detail", loaded.article.pk)
        else:
            status = 400
    else:
        form = ArticleLoadForm()
    return render(
        request,
        "annotations/article_new.html",
        {"form": form, "duplicate": duplicate},
        status=status,
    )


@require_form_methods
@editor_required
def article_edit(request: NewsroomRequest, article_id: int) -> HttpResponse:
    article = get_article_for(request.user, article_id, write=True)
    status = 200
    if request.method == "POST":
        form = ArticleMetadataForm(request.POST, initial=ArticleMetadataForm.initial_for(article))
        if form.is_valid():
            changed = {name: form.cleaned_data[name] for name in form.changed_data}
            try:
                article_update_metadata(article=article, user=request.user, **changed)
            except ServiceError as exc:
                form.add_service_error(exc)
                status = exc.status
            else:
                messages.success(request, "Saved the article's details.")
                return redirect("article_detail", article.pk)
        else:
            status = 400
    else:
        form = ArticleMetadataForm(initial=ArticleMetadataForm.initial_for(article))
    return render(
        request, "annotations/article_edit.html", {"form": form, "article": article}, status=status
    )


@require_safe
@newsroom_required
def revision_list(request: NewsroomRequest, article_id: int) -> HttpResponse:
    article = get_article_for(request.user, article_id)
    revisions = list(revisions_for_article(article))
    return render(
        request, "annotations/revision_list.html", {"article": article, "revisions": revisions}
    )


def _revision_or_404(article_id: int, number: int) -> ArticleRevision:
    return get_object_or_404(
        ArticleRevision.objects.select_related("article__current_revision", "created_by"),
        article_id=article_id,
        number=number,
    )


@require_safe
@newsroom_required
def revision_detail(request: NewsroomRequest, article_id: int, number: int) -> HttpResponse:
    revision = _revision_or_404(article_id, number)
    return render(
        request,
        "annotations/revision_detail.html",
        {
            "article": revision.article,
            "revision": revision,
            "paragraphs": revision.text.split("\n\n"),
            "removed_parts": removed_parts_of(revision),
        },
    )


@require_safe
@newsroom_required
def revision_raw(request: NewsroomRequest, article_id: int, number: int) -> HttpResponse:
    """The input a revision was made from, verbatim, as plain text (never as HTML)."""
    revision = _revision_or_404(article_id, number)
    response = HttpResponse(revision.raw, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="article-{article_id}-r{number}-raw.txt"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_form_methods
@editor_required
def revision_new(request: NewsroomRequest, article_id: int) -> HttpResponse:
    """Load a new version: edit the current text (preview the diff, then save), or paste,
    upload or fetch it. Editing is the default without a web address, or with
    ``?start=current``."""
    article = get_article_for(request.user, article_id, write=True)
    status = 200
    preview = None
    if request.method == "POST":
        form = RevisionLoadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                if form.edits_current_text and "preview" in request.POST:
                    preview = revision_edit_preview(article=article, **form.edit_input())
                elif form.edits_current_text:
                    loaded = revision_edit(article=article, user=request.user, **form.edit_input())
                else:
                    loaded = revision_load(
                        article=article, user=request.user, **form.service_input()
                    )
            except ServiceError as exc:
                form.add_service_error(exc)
                status = exc.status
            else:
                if preview is None:
                    _loaded_messages(request, loaded)
                    return redirect("reanchor_report", article.pk, loaded.revision.number)
        else:
            status = 400
    else:
        current = article.current_revision
        edit = not article.url or request.GET.get("start") == "current"
        initial = {
            "source": "edit" if edit else "url",
            "fetch_url": article.url,
            "edited_text": current.text if current else "",
            "base_revision": current.number if current else None,
        }
        form = RevisionLoadForm(initial=initial)
    return render(
        request,
        "annotations/revision_new.html",
        {"form": form, "article": article, "preview": preview},
        status=status,
    )


@require_POST
@editor_required
def revision_keep_removed_view(
    request: NewsroomRequest, article_id: int, number: int
) -> HttpResponse:
    revision = _revision_or_404(article_id, number)
    part_field = request.POST.get("part", "").strip()
    if part_field and not (part_field.isdecimal() and len(part_field) <= 6):
        messages.error(request, "That is not a removed piece of this revision; nothing was kept.")
        return redirect("revision_detail", article_id, number)
    part = int(part_field) if part_field else None
    pieces = {p.n: p for p in removed_parts_of(revision)}
    try:
        loaded = revision_keep_removed(
            article=revision.article, revision=revision, user=request.user, part=part
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("revision_detail", article_id, number)
    kept = pieces.get(part) if part is not None else None
    what = f"the {kept.label}" if kept else "the removed text"
    how = f"{kept.button.replace('put it', 'it is')}" if kept else "each piece is back in its place"
    messages.success(request, f"Kept {what}: in revision {loaded.revision.number}, {how}.")
    return redirect("revision_detail", article_id, loaded.revision.number)
