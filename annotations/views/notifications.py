"""Notifications in the browser (issue 16): the list page, "mark read" (one or all, htmx
POST), and the e-mail setting. The bell in the header links here; its count comes from
`annotations.context_processors.notifications` (one query, on full pages only)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from annotations import limits
from annotations.forms.assignments import MarkReadForm, NotificationSettingsForm
from annotations.forms.review import page_field
from annotations.selectors.notifications import notifications_for
from annotations.services.errors import ServiceError
from annotations.services.notifications import (
    notification_link,
    notification_preference,
    notification_preference_set,
    notifications_mark_read,
    unread_count,
)
from annotations.views.access import NewsroomRequest, newsroom_required

LIST = "annotations/partials/notification_list.html"


def _list_context(request: NewsroomRequest, *, page_number: int = 1, error: str = "") -> dict:
    """The list, one page (newest first): the page's notifications (1 query), their count
    (1), the unread count (1)."""
    paginator = Paginator(notifications_for(request.user), limits.QUEUE_PAGE)
    page = paginator.get_page(page_number)
    for notification in page.object_list:
        notification.link = notification_link(notification)
    return {
        "page": page,
        "notifications": list(page.object_list),
        "unread": unread_count(request.user),
        "list_error": error,
    }


@require_safe
@newsroom_required
def notifications_view(request: NewsroomRequest) -> HttpResponse:
    """My notifications, newest first, with "Mark read", "Mark all read" and the e-mail
    setting."""
    error, number = "", 1
    try:
        number = page_field().clean(request.GET.get("page")) or 1
    except forms.ValidationError as exc:  # a page that is not a whole number from 1
        error = " ".join(exc.messages)
    context = _list_context(request, page_number=number, error=error)
    context["settings_form"] = NotificationSettingsForm(
        initial={"email": notification_preference(request.user).email}
    )
    return render(request, "annotations/notifications.html", context, status=400 if error else 200)


@require_POST
@newsroom_required
def notifications_read_view(request: NewsroomRequest) -> HttpResponse:
    """Mark one notification read (`id`) or all (`all`). Others' ids change nothing."""
    form = MarkReadForm(request.POST)
    error, status = "", 200
    if not form.is_valid():
        error, status = " ".join(str(e) for errors in form.errors.values() for e in errors), 400
    else:
        try:
            if form.cleaned_data.get("all"):
                notifications_mark_read(user=request.user, everything=True)
            else:
                notifications_mark_read(user=request.user, ids=[form.cleaned_data["id"]])
        except ServiceError as exc:
            error, status = exc.message, exc.status
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("notifications"))
    return render(request, LIST, _list_context(request, error=error), status=status)


@require_POST
@newsroom_required
def notification_settings_view(request: NewsroomRequest) -> HttpResponse:
    """Turn notification e-mail on or off."""
    form = NotificationSettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors["email"]))
        return redirect(reverse("notifications"))
    preference = notification_preference_set(
        user=request.user, email=bool(form.cleaned_data.get("email"))
    )
    messages.success(
        request,
        "Notification e-mails are on." if preference.email else "Notification e-mails are off.",
    )
    return redirect(reverse("notifications"))


@require_safe
@newsroom_required
def bell_view(request: NewsroomRequest) -> HttpResponse:
    """The bell alone, with its unread count: an open workspace fetches it again when a
    colleague's change arrives live (live.js), since that change may have notified me."""
    if not request.htmx:
        return redirect("notifications")
    context = {"n": unread_count(request.user), "oob": False}
    return render(request, "annotations/partials/bell.html", context)
