"""Input shapes of the workspace's forms. Shape only: the services apply the rules (the
selector points at real text, limits, verdict exists, URLs are http(s)) and their messages
are what the editor reads."""

from __future__ import annotations

from django import forms

from annotations import limits
from annotations.models import Claim, ClaimSource
from annotations.services.errors import ServiceError


class ServiceErrorsMixin(forms.Form):
    """Puts a service's refusal on the field it names (the form's top otherwise)."""

    def add_service_error(self, error: ServiceError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


class ClaimCreateForm(ServiceErrorsMixin, forms.Form):
    """A selection from the reading view (W3C selectors), and optionally a verdict."""

    #: Set by workspace.js for each selection, so a double click or a retry makes one claim.
    idempotency_key = forms.CharField(required=False, max_length=limits.IDEMPOTENCY_KEY)

    exact = forms.CharField(strip=False, required=False)
    # The W3C selector's name; the form metaclass takes it out of the class, so it does not
    # replace Form.prefix at run time, but the type checker sees the clash.
    prefix = forms.CharField(strip=False, required=False)  # type: ignore[assignment]
    suffix = forms.CharField(strip=False, required=False)
    start = forms.IntegerField(required=False)
    end = forms.IntegerField(required=False)
    verdict = forms.CharField(required=False)
    claimant = forms.CharField(required=False)
    statement = forms.CharField(required=False)

    def service_input(self) -> dict:
        data = self.cleaned_data
        return {
            "selector": {k: data.get(k) for k in ("exact", "prefix", "suffix", "start", "end")},
            "verdict": data.get("verdict") or None,
            "claimant": data.get("claimant") or "",
            "statement": data.get("statement") or "",
            "idempotency_key": data.get("idempotency_key") or None,
        }


class ClaimForm(ServiceErrorsMixin, forms.Form):
    """What a claim says. No length limits here: the service's message names the limit."""

    statement = forms.CharField(required=False, widget=forms.Textarea)
    claimant = forms.CharField(required=False)
    verdict = forms.CharField(required=False)
    explanation = forms.CharField(required=False, widget=forms.Textarea)
    version = forms.IntegerField(widget=forms.HiddenInput)
    #: Sent by "Save mine over theirs" after a conflict: the version the editor has now seen.
    overwrite_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    @classmethod
    def for_claim(cls, claim: Claim) -> ClaimForm:
        return cls(
            initial={
                "statement": claim.statement,
                "claimant": claim.claimant,
                "verdict": claim.verdict.slug if claim.verdict else "",
                "explanation": claim.explanation,
                "version": claim.version,
            }
        )

    def version_read(self) -> int:
        data = self.cleaned_data
        return data.get("overwrite_version") or data["version"]

    def content(self) -> dict:
        data = self.cleaned_data
        return {k: data.get(k) or "" for k in ("statement", "claimant", "verdict", "explanation")}


SOURCE_FIELDS = ("url", "title", "publisher", "excerpt", "kind", "accessed_at", "archived_url")


class SourceForm(ServiceErrorsMixin, forms.Form):
    url = forms.CharField(required=False)
    title = forms.CharField(required=False)
    publisher = forms.CharField(required=False)
    excerpt = forms.CharField(required=False, widget=forms.Textarea)
    kind = forms.CharField(required=False)
    stance = forms.CharField(required=False)
    accessed_at = forms.CharField(required=False)
    archived_url = forms.CharField(required=False)

    #: Said when no stance was chosen: the browser form has no default, because a silent
    #: "supports" put evidence on the wrong side of a claim (the API keeps its default).
    STANCE_REQUIRED = (
        "Choose the source's stance: does it support the claim, refute it, or give context?"
    )

    def clean_stance(self) -> str:
        stance = self.cleaned_data.get("stance", "")
        if not stance:
            raise forms.ValidationError(self.STANCE_REQUIRED)
        return stance

    @classmethod
    def for_claim_source(cls, claim_source: ClaimSource) -> SourceForm:
        source = claim_source.source
        return cls(
            initial={
                **{name: getattr(source, name) or "" for name in SOURCE_FIELDS},
                "accessed_at": source.accessed_at.isoformat() if source.accessed_at else "",
                "stance": claim_source.stance,
            }
        )

    def values(self) -> dict:
        """What the inputs show: the editor's input when bound, else the initial values."""
        return {name: self[name].value() or "" for name in self.fields}

    def service_input(self) -> dict:
        return dict(self.cleaned_data)


class CommentForm(ServiceErrorsMixin, forms.Form):
    body = forms.CharField(required=False, widget=forms.Textarea)


class WorkflowStepForm(ServiceErrorsMixin, forms.Form):
    """The comment a workflow step carries, and the claim version the person saw (a hidden
    field the partials set): a step on a claim that changed since is refused, not applied
    to words nobody read. The service says which steps need a comment."""

    comment = forms.CharField(required=False, widget=forms.Textarea)
    version = forms.IntegerField(
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "required": "This form did not say which version of the claim you read; reload "
            "the page and try again.",
            "invalid": "The claim version this form sent is not a number; reload the page.",
            "min_value": "The claim version this form sent is not valid; reload the page.",
        },
    )
