"""Browser input shapes for loading articles, new revisions and metadata.

The forms only check shape (which way in, field lengths); the services decide whether
the input can become an article, and their errors are put back on the right field.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from annotations import limits
from annotations.services.errors import ServiceError

SOURCES = [
    ("text", "Paste text"),
    ("html", "Paste or upload HTML"),
    ("url", "Fetch a web address"),
]


class SourceForm(forms.Form):
    """Exactly one way in: pasted text, pasted or uploaded HTML, or a URL to fetch."""

    source = forms.ChoiceField(
        label="How do you want to load it?",
        choices=SOURCES,
        widget=forms.RadioSelect,
        initial="text",
    )
    text = forms.CharField(
        label="Article text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Paste the article as plain text. Site boilerplate at the end "
        "(comment forms, share buttons) is removed and shown to you.",
    )
    html = forms.CharField(
        label="HTML of the page",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Paste the page's HTML source, or upload the saved page below.",
    )
    file = forms.FileField(
        label="Or upload a saved page (.html or .txt)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".html,.htm,.txt,text/html,text/plain"}),
    )
    fetch_url = forms.CharField(
        label="Web address to fetch",
        required=False,
        max_length=limits.URL,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    keep_removed = forms.BooleanField(
        label="Keep everything (do not remove boilerplate at the end)",
        required=False,
    )

    def service_input(self) -> dict:
        """Keyword arguments for the loading services, from the chosen way in."""
        data = self.cleaned_data
        source = data["source"]
        kwargs: dict = {"keep_removed": data.get("keep_removed", False)}
        if source == "text":
            kwargs["text"] = data.get("text") or ""
        elif source == "html":
            if data.get("file"):
                kwargs["file"] = data["file"]
            else:
                kwargs["html"] = data.get("html") or ""
        else:
            kwargs["fetch"] = True
            kwargs["url"] = (data.get("fetch_url") or "").strip()
        return kwargs

    def add_service_error(self, error: ServiceError) -> None:
        """Show a service's refusal on the field it names (the page's top otherwise)."""
        field = {"url": "fetch_url"}.get(error.field or "", error.field)
        if field == "text" and self.cleaned_data.get("source") == "html":
            field = "html"
        self.add_error(field if field in self.fields else None, error.message)


class ArticleLoadForm(SourceForm):
    """Load a new article: the input plus optional metadata (taken from the page if empty)."""

    title = forms.CharField(
        label="Headline",
        required=False,
        max_length=limits.TITLE,
        help_text="Leave empty to take it from the page title or the first line.",
    )
    url = forms.URLField(
        label="Article's web address",
        required=False,
        max_length=limits.URL,
        assume_scheme="https",
        help_text="For pasted text or HTML; a fetched article keeps the address it came from.",
    )
    outlet = forms.CharField(label="Outlet", required=False, max_length=limits.OUTLET)
    byline = forms.CharField(label="Byline", required=False, max_length=limits.BYLINE)
    published_at = forms.DateField(
        label="Published on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    as_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def service_input(self) -> dict:
        kwargs = super().service_input()
        data = self.cleaned_data
        kwargs.update(
            title=data.get("title") or "",
            outlet=data.get("outlet") or "",
            byline=data.get("byline") or "",
            published_at=data.get("published_at"),
        )
        if "url" not in kwargs:
            kwargs["url"] = data.get("url") or ""
        return kwargs


class RevisionLoadForm(SourceForm):
    """Load a new version of a known article: edit the current text (the default when the
    article has no web address), or paste, upload or fetch it again."""

    source = forms.ChoiceField(
        label="How do you want to load it?",
        choices=[("edit", "Start from the current text"), *SOURCES],
        widget=forms.RadioSelect,
        initial="edit",
    )
    edited_text = forms.CharField(
        label="The article's text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="The current revision's text: change what changed, keep paragraphs "
        "apart with a blank line, then show the changes or load the new version.",
    )
    #: The number of the revision the edit started from (a newer one refuses the save).
    base_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    @property
    def edits_current_text(self) -> bool:
        return self.is_bound and self.cleaned_data.get("source") == "edit"

    def edit_input(self) -> dict:
        """Keyword arguments for ``revision_edit`` and ``revision_edit_preview``."""
        return {
            "text": self.cleaned_data.get("edited_text") or "",
            "base_number": self.cleaned_data.get("base_revision"),
        }

    def add_service_error(self, error: ServiceError) -> None:
        if self.cleaned_data.get("source") == "edit" and error.field in (None, "text"):
            self.add_error("edited_text", error.message)
            return
        super().add_service_error(error)


class ArticleMetadataForm(forms.Form):
    """Headline, outlet, byline, published date and URL; the text is never edited here."""

    title = forms.CharField(label="Headline", max_length=limits.TITLE)
    outlet = forms.CharField(label="Outlet", required=False, max_length=limits.OUTLET)
    byline = forms.CharField(label="Byline", required=False, max_length=limits.BYLINE)
    published_at = forms.DateField(
        label="Published on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    url = forms.URLField(
        label="Web address", required=False, max_length=limits.URL, assume_scheme="https"
    )

    @classmethod
    def initial_for(cls, article) -> dict:
        published = article.published_at
        if isinstance(published, datetime.datetime):
            published = timezone.localtime(published).date()
        return {
            "title": article.title,
            "outlet": article.outlet,
            "byline": article.byline,
            "published_at": published,
            "url": article.url,
        }

    def add_service_error(self, error: ServiceError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)
