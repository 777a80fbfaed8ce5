"""What the workspace's pieces show, composed in one place: the claim panel (form, sources,
comments, workflow, history), the highlighted text with the claims list, and the
"claims to anchor again" section.

Every view that renders one of these pieces builds its context here, so the templates get
their data from the view and the template tags only format. Each function reads through
the selectors and asks the services' own rules (`claim_ensure_editable`, `steps_for_user`,
`claim_approval_blockers`), so what a button offers and what the service accepts agree.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import Http404

from annotations import limits
from annotations.access import get_claim_for
from annotations.forms.claims import ClaimForm, CommentForm, SourceForm
from annotations.highlights import render_segments
from annotations.models import (
    Article,
    Claim,
    ClaimSource,
    ClaimStatus,
    SourceKind,
    Stance,
    Suggestion,
    Verdict,
)
from annotations.roles import is_reviewer, may_edit
from annotations.selectors.archives import archive_state
from annotations.selectors.claims import claims_for_workspace, verdict_scale
from annotations.selectors.exports import claims_for_claimreview
from annotations.selectors.history import claim_history
from annotations.selectors.jobs import background_paused
from annotations.selectors.matches import later_appearances, matches_for_claim
from annotations.selectors.panel import claims_for_panel, review_request_for
from annotations.selectors.reanchor import claims_needing_attention
from annotations.selectors.suggestions import suggestions_for_revision
from annotations.services.claims import claim_ensure_editable
from annotations.services.errors import ServiceError, StaleVersion
from annotations.services.matching import embedding_progress, embeddings_fill_job
from annotations.services.workflow import Step, claim_approval_blockers, steps_for_user
from annotations.tasks import compute_suggestions

#: How many suggestions the list shows before "Show all N" (the rest are one click away).
SUGGESTIONS_SHOWN = 8

#: What the panel's endpoints answer for a claim that is not there (or was deleted).
NO_SUCH_CLAIM = "There is no such claim."


def panel_claim(user: User, claim_id: int, *, write: bool = False) -> Claim:
    """The claim with everything its panel shows; 404 "There is no such claim." when it is
    unknown, 403 without the role (`access.get_claim_for`).

    A deleted claim still opens (read-only, saying when it was deleted), and a change sent
    from a panel opened before the deletion gets the service's "This claim was deleted on
    …" in place, not a bare 404: a colleague's deletion is explained, not a dead end."""
    try:
        return get_claim_for(
            user, claim_id, write=write, with_deleted=True, queryset=claims_for_panel()
        )
    except Http404:
        raise Http404(NO_SUCH_CLAIM) from None


def locked_reason(claim: Claim, user: User) -> str:
    """Why the editor may not change this claim ("" when they may)."""
    try:
        claim_ensure_editable(claim, user)
    except ServiceError as exc:
        return exc.message
    return ""


def approve_blockers(claim: Claim, user: User) -> list[str]:
    """Why `user` cannot approve `claim` now (empty when they can, or when it is not in
    review): the service's own rule, so a disabled Approve names what it would refuse. No
    query when the claim's sources are prefetched."""
    if claim.status != ClaimStatus.IN_REVIEW:
        return []
    return [blocker.message for blocker in claim_approval_blockers(claim, user)]


def workflow_context(
    claim: Claim, user: User, *, error: str | None = None, steps: list[Step] | None = None
) -> dict[str, Any]:
    """What claim_workflow.html shows (`wf`): the steps this user may try, why Approve
    cannot succeed (if it cannot), and a refusal, if the view had one."""
    steps = steps_for_user(claim, user) if steps is None else steps
    blockers = (
        [b.message for b in claim_approval_blockers(claim, user)]
        if any(step.name == "approve" for step in steps)
        else []
    )
    return {
        "wf": {
            "steps": steps,
            "comment_steps": [step for step in steps if step.comment_required],
            "error": error,
            "approve_blockers": blockers,
        }
    }


def sources_context(
    claim: Claim,
    user: User,
    *,
    add_form: SourceForm | None = None,
    edited: tuple[int, SourceForm] | None = None,
    error: str = "",
) -> dict[str, Any]:
    """What claim_sources.html shows. `edited` is (claim_source_id, bound SourceForm)
    after a refused edit."""
    rows: list[tuple[ClaimSource, dict[str, Any], Any, bool]] = []
    lost: list[ClaimSource] = []
    for claim_source in claim.claim_sources.all():
        # The latest snapshot, from the panel selector's annotations (no query).
        claim_source.archive = archive_state(claim_source)  # type: ignore[attr-defined]
        if claim_source.archive and claim_source.archive.excerpt_lost:  # type: ignore[attr-defined]
            lost.append(claim_source)
        if edited and edited[0] == claim_source.pk:
            rows.append((claim_source, edited[1].values(), edited[1].errors, True))
        else:
            rows.append(
                (claim_source, SourceForm.for_claim_source(claim_source).values(), {}, False)
            )
    # No stance by default: the editor chooses one (SourceForm.clean_stance says so).
    add_form = add_form or SourceForm(initial={"stance": "", "kind": SourceKind.OTHER})
    return {
        "claim": claim,
        "editable": not locked_reason(claim, user),
        "source_rows": rows,
        "source_add": add_form.values(),
        "source_add_errors": add_form.errors if add_form.is_bound else {},
        "source_add_open": add_form.is_bound,
        "sources_error": error,
        # Sources whose latest snapshot no longer holds the passage an earlier one held.
        "lost_excerpts": lost,
        "may_archive": may_edit(user) and not claim.is_deleted,
        "source_kinds": SourceKind.choices,
        "stances": Stance.choices,
    }


def comments_context(
    claim: Claim, user: User, *, form: CommentForm | None = None, error: str = ""
) -> dict[str, Any]:
    """What claim_comments.html shows."""
    return {
        "claim": claim,
        "comments": list(claim.comments.all()),
        "comment_form": form or CommentForm(),
        "comments_error": error,
        "may_comment": may_edit(user) and not claim.is_deleted,
    }


def history_context(claim: Claim) -> dict[str, Any]:
    """What claim_history.html shows: 4 queries, however long the history."""
    return {"claim": claim, "history": claim_history(claim)}


def panel_context(
    user: User,
    claim: Claim,
    *,
    verdicts: list[Verdict] | None = None,
    form: ClaimForm | None = None,
    error: str = "",
    conflict: StaleVersion | None = None,
    notice: str = "",
    focus: str = "title",
    done_step: Step | None = None,
) -> dict[str, Any]:
    """Everything claim_panel.html shows, for a claim loaded with `panel_claim` (3
    queries): the verdict scale (1, unless given), the reviewer's request while the claim
    is sent back (1), and the history (4)."""
    locked = locked_reason(claim, user)
    steps = steps_for_user(claim, user)
    context: dict[str, Any] = {
        "claim": claim,
        "article": claim.article,
        "form": form or ClaimForm.for_claim(claim),
        "verdicts": verdict_scale() if verdicts is None else verdicts,
        "locked_reason": locked,
        "editable": not locked,
        "panel_error": error,
        "conflict": conflict,
        "notice": notice,
        "focus": focus,
        "done_step": done_step,
        "on_other_revision": claim.revision_id != claim.article.current_revision_id,
        # "Save and submit": offered where the editor could also submit from the workflow.
        "may_save_and_submit": not locked and any(step.name == "submit" for step in steps),
        "review_request": review_request_for(claim),
    }
    context.update(sources_context(claim, user))
    context.update(comments_context(claim, user))
    context.update(workflow_context(claim, user, steps=steps))
    context.update(history_context(claim))
    return context


def matches_claim(user: User, claim_id: int) -> Claim:
    """The claim "Checked before?" is asked for: its text (the query is its statement, the
    sentence around its quote and its claimant) and its article, in one query; 404 "There is
    no such claim." when unknown, 403 without a role. A deleted claim still shows its list
    (without buttons), as its panel does."""
    try:
        return get_claim_for(
            user,
            claim_id,
            with_deleted=True,
            queryset=Claim.objects.select_related("revision", "article"),
        )
    except Http404:
        raise Http404(NO_SUCH_CLAIM) from None


def may_answer_matches(claim: Claim, user: User) -> bool:
    """Whether the buttons are offered: `match_decide`'s own rule (editors and reviewers)
    and a claim that is not deleted, so a button never offers what the service refuses."""
    return (may_edit(user) or is_reviewer(user)) and not claim.is_deleted


def matches_context(claim: Claim, user: User, *, error: str = "") -> dict[str, Any]:
    """What claim_matches.html shows: the earlier checks (`matches_for_claim`, up to 5, with
    the answers recorded), the later claims confirmed to repeat this one when it is one of
    our published checks, and a refusal, if the view had one.

    A constant number of queries, however many checks there are: the index's signature, the
    answers, the matched rows (two), the later appearances, whether the vector fill waits
    on a worker ("background work is paused"); when nothing matched, two counts for the
    empty state ("… in N known checks and our M published checks")."""
    matches = matches_for_claim(claim)
    context: dict[str, Any] = {
        "claim": claim,
        "matches": matches,
        "appearances": later_appearances([claim.pk]).get(claim.pk, []),
        "may_answer": may_answer_matches(claim, user),
        "matches_error": error,
        "background_paused": background_paused(embeddings_fill_job),
    }
    if not matches:
        context["known_total"] = embedding_progress().total
        context["published_total"] = claims_for_claimreview().exclude(pk=claim.pk).count()
    return context


def empty_panel_context(*, error: str = "", notice: str = "", focus: str = "title") -> dict:
    """The panel with no claim open (after a delete, or a refused create)."""
    return {"claim": None, "panel_error": error, "notice": notice, "focus": focus}


def list_filters(data: Any) -> dict[str, str]:
    """The claims list's filters, from a GET query or from the fields htmx includes."""
    status = data.get("filter_status", "")
    return {
        "status": status if status in ClaimStatus.values else "",
        "verdict": (data.get("filter_verdict", "") or "")[: limits.VERDICT_SLUG],
    }


def suggestions_context(
    article: Article, *, suggestions: list[Suggestion] | None = None, error: str = ""
) -> dict[str, Any]:
    """What suggestion_list.html shows: the open suggestions of the current revision that
    no live claim overlaps, ranked (1 query, unless given), the first `SUGGESTIONS_SHOWN`
    and the rest; and a refusal, if the view had one."""
    revision = article.current_revision
    if suggestions is None:
        suggestions = list(suggestions_for_revision(revision)) if revision else []
    # None yet: a bulk load left them to a job (+1 query, "is a worker alive", meanwhile).
    pending = not suggestions and article.suggestions_pending
    return {
        "suggestions_pending": pending,
        "suggestions_paused": pending and background_paused(compute_suggestions),
        "article": article,
        "suggestions": suggestions,
        "suggestions_top": suggestions[:SUGGESTIONS_SHOWN],
        "suggestions_more": suggestions[SUGGESTIONS_SHOWN:],
        "suggestion_error": error,
    }


def workspace_context(
    article: Article,
    data: Any,
    *,
    verdicts: list[Verdict] | None = None,
    with_suggestions: bool = True,
) -> dict[str, Any]:
    """What article_text.html, claim_list.html and suggestion_list.html need: 2 queries
    (+1 for the scale); without the suggestions (the claims list alone), 1."""
    revision = article.current_revision
    filters = list_filters(data)
    workspace = claims_for_workspace(article, revision.pk if revision else None, **filters)
    verdicts = verdict_scale() if verdicts is None else verdicts
    context: dict[str, Any] = {}
    if with_suggestions:
        context.update(suggestions_context(article))
    context.update(
        {
            "article": article,
            "revision": revision,
            "paragraphs": render_segments(
                revision.text, workspace.highlighted, context.get("suggestions", ())
            )
            if revision
            else [],
            "workspace": workspace,
            "filters": filters,
            "verdicts": verdicts,
            "verdict_filter_options": [
                (v.slug, v.label, workspace.verdict_counts.get(v.slug, 0)) for v in verdicts
            ],
            "status_filter_options": [
                (value, label, workspace.status_counts[value])
                for value, label in ClaimStatus.choices
            ],
        }
    )
    return context


def orphaned_claims_context(user: User, article: Article) -> dict[str, Any]:
    """What orphaned_claims.html shows: the article's orphaned and fuzzy claims, and the
    approved ones a new revision sent back to review (their statement can be adjusted
    there), in one query."""
    attention = claims_needing_attention(article)
    return {
        "article": article,
        "orphaned_claims": attention.orphaned,
        "fuzzy_claims": attention.fuzzy,
        "rereview_claims": attention.rereview,
        "can_anchor": may_edit(user),
    }
