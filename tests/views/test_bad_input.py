"""Malformed input to every browser POST endpoint: never a 500, never a write.

Each case posts something a browser form would not send (missing fields, ids that are not
numbers, 100,000-character strings, values outside a choice, objects that do not exist)
and expects a refusal: a 4xx answer (the re-rendered form or partial carries the message),
or, for the views that answer a plain POST with a redirect, a redirect with an error
message. Every table of the app (history included) has the same number of rows after.
Each case runs with and without htmx, since several views answer the two differently.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client
from django.urls import reverse

from annotations.selectors.suggestions import suggestions_for_revision
from annotations.services.claims import source_attach
from annotations.services.suggestions import suggestion_accept, suggestion_dismiss
from annotations.services.workflow import claim_submit
from tests.factories import make_claim

HUGE = "x" * 100_000
#: Every table of the app: articles, revisions, claims, sources, links, comments, reviews,
#: verdicts and the pghistory event tables (ClaimEvent, ArticleEvent, SourceEvent …).
TABLES = list(apps.get_app_config("annotations").get_models())
MISSING = 99_999_999
HUGE_ID = 10**20  # past PostgreSQL's bigint

SELECTOR = {"exact": "hit at least five times"}

# (url name, URL arguments, POST data, who posts). URL arguments name sample objects:
# "article", "claim" (an editable draft), "in_review", "claim_source", "number", or a literal.
CASES = [
    # --- Loading articles.
    ("article_new", {}, {}, "editor"),
    ("article_new", {}, {"source": "carrier-pigeon", "text": "Some text."}, "editor"),
    ("article_new", {}, {"source": "text", "text": ""}, "editor"),
    ("article_new", {}, {"source": "text", "text": "   \n\n  "}, "editor"),
    ("article_new", {}, {"source": "text", "text": "Words.", "title": HUGE}, "editor"),
    ("article_new", {}, {"source": "text", "text": "Words.", "outlet": HUGE}, "editor"),
    ("article_new", {}, {"source": "url", "fetch_url": HUGE}, "editor"),
    ("article_new", {}, {"source": "url", "fetch_url": "javascript:alert(1)"}, "editor"),
    ("article_new", {}, {"source": "text", "text": "W.", "as_revision": "abc"}, "editor"),
    ("article_new", {}, {"source": "text", "text": "W.", "as_revision": MISSING}, "editor"),
    ("article_new", {}, {"source": "text", "text": "W.", "as_revision": HUGE_ID}, "editor"),
    ("article_new", {}, {"source": "text", "text": "W.", "published_at": "soon"}, "editor"),
    ("article_new", {}, {"source": "text", "text": "W.", "url": "not a url"}, "editor"),
    ("article_edit", {"article_id": "article"}, {}, "editor"),
    ("article_edit", {"article_id": "article"}, {"title": HUGE}, "editor"),
    ("article_edit", {"article_id": "article"}, {"title": "T", "url": "ftp://x"}, "editor"),
    ("article_edit", {"article_id": "article"}, {"title": "T", "published_at": "x"}, "editor"),
    ("article_edit", {"article_id": MISSING}, {"title": "A headline"}, "editor"),
    ("article_edit", {"article_id": HUGE_ID}, {"title": "A headline"}, "editor"),
    ("revision_new", {"article_id": "article"}, {}, "editor"),
    ("revision_new", {"article_id": "article"}, {"source": "fax"}, "editor"),
    ("revision_new", {"article_id": "article"}, {"source": "text", "text": ""}, "editor"),
    ("revision_new", {"article_id": "article"}, {"source": "html", "html": HUGE}, "editor"),
    ("revision_new", {"article_id": "article"}, {"source": "url", "fetch_url": HUGE}, "editor"),
    ("revision_new", {"article_id": MISSING}, {"source": "text", "text": "W."}, "editor"),
    (
        "revision_new",
        {"article_id": "article"},
        {"source": "edit", "edited_text": "", "base_revision": "1"},
        "editor",
    ),
    (
        "revision_new",
        {"article_id": "article"},
        {"source": "edit", "edited_text": "New words.", "base_revision": "abc"},
        "editor",
    ),
    (
        "revision_new",
        {"article_id": "article"},
        {"source": "edit", "edited_text": "New words.", "base_revision": "7"},
        "editor",
    ),
    (
        "revision_new",
        {"article_id": "article"},
        {"source": "edit", "edited_text": "New words.", "base_revision": HUGE_ID},
        "editor",
    ),
    (
        "revision_new",
        {"article_id": "article"},
        {"source": "edit", "edited_text": "New words.", "base_revision": "7", "preview": "1"},
        "editor",
    ),
    (
        "revision_new",
        {"article_id": "article"},
        {"source": "edit", "edited_text": "New words."},
        "editor",
    ),
    ("revision_keep_removed", {"article_id": "article", "number": 7}, {}, "editor"),
    ("revision_keep_removed", {"article_id": MISSING, "number": 1}, {}, "editor"),
    # --- Claims from a selection, and the claim panel.
    ("claim_create", {"article_id": "article"}, {}, "editor"),
    ("claim_create", {"article_id": "article"}, {"start": "abc", "end": "def"}, "editor"),
    ("claim_create", {"article_id": "article"}, {"start": "5"}, "editor"),
    ("claim_create", {"article_id": "article"}, {"start": HUGE_ID, "end": HUGE_ID}, "editor"),
    ("claim_create", {"article_id": "article"}, {"start": "-5", "end": "3"}, "editor"),
    ("claim_create", {"article_id": "article"}, {"exact": HUGE}, "editor"),
    ("claim_create", {"article_id": "article"}, {"exact": "no such words here"}, "editor"),
    ("claim_create", {"article_id": "article"}, {**SELECTOR, "verdict": "bogus"}, "editor"),
    ("claim_create", {"article_id": "article"}, {**SELECTOR, "claimant": HUGE}, "editor"),
    ("claim_create", {"article_id": "article"}, {**SELECTOR, "statement": HUGE}, "editor"),
    ("claim_create", {"article_id": MISSING}, SELECTOR, "editor"),
    ("claim_save", {"claim_id": "claim"}, {}, "editor"),
    ("claim_save", {"claim_id": "claim"}, {"version": "abc", "claimant": "X"}, "editor"),
    ("claim_save", {"claim_id": "claim"}, {"version": HUGE_ID, "claimant": "X"}, "editor"),
    ("claim_save", {"claim_id": "claim"}, {"version": "-1", "claimant": "X"}, "editor"),
    ("claim_save", {"claim_id": "claim"}, {"version": "v", "overwrite_version": "w"}, "editor"),
    ("claim_save", {"claim_id": "claim"}, {"version": "@version", "statement": HUGE}, "editor"),
    ("claim_save", {"claim_id": "claim"}, {"version": "@version", "claimant": HUGE}, "editor"),
    ("claim_save", {"claim_id": "claim"}, {"version": "@version", "explanation": HUGE}, "editor"),
    ("claim_save", {"claim_id": "claim"}, {"version": "@version", "verdict": "bogus"}, "editor"),
    ("claim_save", {"claim_id": "in_review"}, {"version": "@version", "claimant": "X"}, "editor"),
    ("claim_save", {"claim_id": MISSING}, {"version": "1", "claimant": "X"}, "editor"),
    ("claim_delete", {"claim_id": "in_review"}, {}, "editor"),
    ("claim_delete", {"claim_id": MISSING}, {}, "editor"),
    ("claim_delete", {"claim_id": HUGE_ID}, {}, "editor"),
    # --- Sources.
    ("claim_source_add", {"claim_id": "claim"}, {}, "editor"),
    ("claim_source_add", {"claim_id": "claim"}, {"title": HUGE}, "editor"),
    ("claim_source_add", {"claim_id": "claim"}, {"url": "javascript:alert(1)"}, "editor"),
    ("claim_source_add", {"claim_id": "claim"}, {"url": "https://e.org/" + HUGE}, "editor"),
    ("claim_source_add", {"claim_id": "claim"}, {"title": "T", "kind": "rumour"}, "editor"),
    ("claim_source_add", {"claim_id": "claim"}, {"title": "T", "stance": "maybe"}, "editor"),
    ("claim_source_add", {"claim_id": "claim"}, {"title": "T", "accessed_at": "x"}, "editor"),
    ("claim_source_add", {"claim_id": "claim"}, {"title": "T", "excerpt": HUGE}, "editor"),
    ("claim_source_add", {"claim_id": "claim"}, {"title": "T", "publisher": HUGE}, "editor"),
    ("claim_source_add", {"claim_id": "claim"}, {"title": "T", "archived_url": "x"}, "editor"),
    ("claim_source_add", {"claim_id": MISSING}, {"title": "T"}, "editor"),
    (
        "claim_source_edit",
        {"claim_id": "claim", "claim_source_id": "claim_source"},
        {"title": "", "url": ""},
        "editor",
    ),
    (
        "claim_source_edit",
        {"claim_id": "claim", "claim_source_id": "claim_source"},
        {"title": HUGE, "stance": "supports"},
        "editor",
    ),
    (
        "claim_source_edit",
        {"claim_id": "claim", "claim_source_id": "claim_source"},
        {"title": "T", "stance": "maybe"},
        "editor",
    ),
    (
        "claim_source_edit",
        {"claim_id": "claim", "claim_source_id": "claim_source"},
        {"title": "T", "accessed_at": "2999-01-01"},
        "editor",
    ),
    ("claim_source_edit", {"claim_id": "claim", "claim_source_id": MISSING}, {}, "editor"),
    (
        "claim_source_edit",
        {"claim_id": "in_review", "claim_source_id": "claim_source"},
        {"title": "T"},
        "editor",
    ),
    ("claim_source_remove", {"claim_id": "claim", "claim_source_id": MISSING}, {}, "editor"),
    (
        "claim_source_remove",
        {"claim_id": "in_review", "claim_source_id": "claim_source"},
        {},
        "editor",
    ),
    # --- Comments.
    ("claim_comment_add", {"claim_id": "claim"}, {}, "editor"),
    ("claim_comment_add", {"claim_id": "claim"}, {"body": "   "}, "editor"),
    ("claim_comment_add", {"claim_id": "claim"}, {"body": HUGE}, "editor"),
    ("claim_comment_add", {"claim_id": MISSING}, {"body": "Hello"}, "editor"),
    # --- Re-anchoring.
    ("claim_anchor", {"claim_id": "claim"}, {}, "editor"),
    ("claim_anchor", {"claim_id": "claim"}, {"start": "a", "end": "b", "version": "1"}, "editor"),
    ("claim_anchor", {"claim_id": "claim"}, {"exact": HUGE, "version": "@version"}, "editor"),
    ("claim_anchor", {"claim_id": "claim"}, {**SELECTOR, "version": "abc"}, "editor"),
    ("claim_anchor", {"claim_id": "claim"}, {**SELECTOR, "version": HUGE_ID}, "editor"),
    ("claim_anchor", {"claim_id": MISSING}, {**SELECTOR, "version": "1"}, "editor"),
    ("claim_confirm_placement", {"claim_id": "claim"}, {}, "editor"),
    ("claim_confirm_placement", {"claim_id": "claim"}, {"version": "abc"}, "editor"),
    ("claim_confirm_placement", {"claim_id": "claim"}, {"version": "@version"}, "editor"),
    ("claim_confirm_placement", {"claim_id": MISSING}, {"version": "1"}, "editor"),
    ("claim_restate", {"claim_id": "claim"}, {}, "editor"),
    ("claim_restate", {"claim_id": "claim"}, {"statement": "S", "version": "abc"}, "editor"),
    ("claim_restate", {"claim_id": "claim"}, {"statement": "S", "version": "@version"}, "editor"),
    (
        "claim_restate",
        {"claim_id": "in_review"},
        {"statement": HUGE, "version": "@version"},
        "editor",
    ),
    ("claim_restate", {"claim_id": "in_review"}, {"statement": "S", "version": HUGE_ID}, "editor"),
    ("claim_restate", {"claim_id": MISSING}, {"statement": "S", "version": "1"}, "editor"),
    # --- The review workflow.
    ("claim_workflow_step", {"claim_id": "claim", "step": "fly"}, {}, "editor"),
    (
        "claim_workflow_step",
        {"claim_id": "claim", "step": "submit"},
        {"comment": HUGE, "version": "@version"},
        "editor",
    ),
    (
        "claim_workflow_step",
        {"claim_id": "in_review", "step": "request-changes"},
        {"version": "@version"},
        "reviewer",
    ),
    (
        "claim_workflow_step",
        {"claim_id": "in_review", "step": "reject"},
        {"comment": HUGE, "version": "@version"},
        "reviewer",
    ),
    (
        "claim_workflow_step",
        {"claim_id": "in_review", "step": "request-changes"},
        {"comment": "", "partial": "no-such-partial", "version": "@version"},
        "reviewer",
    ),
    ("claim_workflow_step", {"claim_id": "claim", "step": "approve"}, {}, "reviewer"),
    ("claim_workflow_step", {"claim_id": MISSING, "step": "submit"}, {}, "editor"),
    # The version the person saw: missing (above), not a number, or no longer current.
    ("claim_workflow_step", {"claim_id": "in_review", "step": "approve"}, {}, "reviewer"),
    (
        "claim_workflow_step",
        {"claim_id": "in_review", "step": "approve"},
        {"version": "abc"},
        "reviewer",
    ),
    (
        "claim_workflow_step",
        {"claim_id": "in_review", "step": "approve"},
        {"version": HUGE_ID},
        "reviewer",
    ),
    (
        "claim_workflow_step",
        {"claim_id": "in_review", "step": "approve"},
        {"version": "1"},
        "reviewer",
    ),
    # An idempotency key the form cannot take.
    (
        "claim_create",
        {"article_id": "article"},
        {**SELECTOR, "idempotency_key": "k" * 300},
        "editor",
    ),
]


# NUL cannot be stored in PostgreSQL text: every field that reaches the database must refuse
# it before a query (Django's form fields do; values read straight from request.POST do not).
NUL = "\x00"
CASES += [
    ("article_new", {}, {"source": "text", "text": f"Words{NUL} here."}, "editor"),
    ("article_edit", {"article_id": "article"}, {"title": f"T{NUL}"}, "editor"),
    ("claim_create", {"article_id": "article"}, {"exact": f"hit at least{NUL}"}, "editor"),
    ("claim_save", {"claim_id": "claim"}, {"version": "@version", "claimant": NUL}, "editor"),
    ("claim_source_add", {"claim_id": "claim"}, {"title": f"T{NUL}"}, "editor"),
    (
        "claim_source_edit",
        {"claim_id": "claim", "claim_source_id": "claim_source"},
        {"title": "A new title", "url": f"https://example.org/{NUL}"},
        "editor",
    ),
    ("claim_comment_add", {"claim_id": "claim"}, {"body": f"Hello{NUL}"}, "editor"),
    (
        "revision_new",
        {"article_id": "article"},
        {"source": "edit", "edited_text": f"W{NUL}.", "base_revision": "1"},
        "editor",
    ),
    (
        "claim_restate",
        {"claim_id": "in_review"},
        {"statement": NUL, "version": "@version"},
        "editor",
    ),
    (
        "claim_anchor",
        {"claim_id": "claim"},
        {"exact": f"hit{NUL}", "version": "@version"},
        "editor",
    ),
    (
        "claim_workflow_step",
        {"claim_id": "claim", "step": "submit"},
        {"comment": f"Ready{NUL}", "version": "@version"},
        "editor",
    ),
    (
        "claim_workflow_step",
        {"claim_id": "in_review", "step": "request-changes"},
        {"comment": f"Why?{NUL}", "version": "@version"},
        "reviewer",
    ),
]

# Suggested claims (issue 14): unknown ids, and a decision that can no longer be taken
# (accepting a dismissed suggestion, dismissing an accepted one: 409, nothing written).
CASES += [
    ("suggestion_accept", {"suggestion_id": MISSING}, {}, "editor"),
    ("suggestion_accept", {"suggestion_id": HUGE_ID}, {}, "editor"),
    ("suggestion_accept", {"suggestion_id": "dismissed_suggestion"}, {}, "editor"),
    ("suggestion_dismiss", {"suggestion_id": MISSING}, {}, "editor"),
    ("suggestion_dismiss", {"suggestion_id": HUGE_ID}, {}, "editor"),
    ("suggestion_dismiss", {"suggestion_id": "accepted_suggestion"}, {}, "editor"),
]

# "Checked before?" answers (issue 13): no earlier check named, an unknown kind or decision,
# a check that does not exist, a score outside 0..1, a claim that does not exist.
CASES += [
    ("claim_matches", {"claim_id": "claim"}, {}, "editor"),
    ("claim_matches", {"claim_id": "claim"}, {"kind": "rumour", "id": 1, "decision": "same"},
     "editor"),
    ("claim_matches", {"claim_id": "claim"},
     {"kind": "known_check", "id": MISSING, "decision": "same"}, "editor"),
    ("claim_matches", {"claim_id": "claim"},
     {"kind": "known_check", "id": HUGE_ID, "decision": "same"}, "editor"),
    ("claim_matches", {"claim_id": "claim"},
     {"kind": "our_check", "id": "abc", "decision": "same"}, "editor"),
    ("claim_matches", {"claim_id": "claim"},
     {"kind": "our_check", "id": "in_review_id", "decision": "maybe"}, "editor"),
    ("claim_matches", {"claim_id": "claim"},
     {"kind": "known_check", "id": 1, "decision": "same", "score": "7"}, "editor"),
    ("claim_matches", {"claim_id": MISSING},
     {"kind": "known_check", "id": 1, "decision": "same"}, "editor"),
]  # fmt: skip


# Source snapshots (issue 15): "archive again" on a source that does not exist, or has no
# web address to archive (400, nothing written).
CASES += [
    ("source_archive", {"source_id": MISSING}, {}, "editor"),
    ("source_archive", {"source_id": HUGE_ID}, {}, "editor"),
    ("source_archive", {"source_id": "url_less_source"}, {}, "editor"),
]

# Assignment and notifications (issue 16): no person or role, a person or role that does
# not exist, an unknown claim or article or assignment; marking neither one nor all read,
# an id that is not one; an e-mail setting that is not a checkbox's value.
CASES += [
    ("claim_assignments", {"claim_id": "claim"}, {}, "editor"),
    ("claim_assignments", {"claim_id": "claim"}, {"person": "abc", "role": "editor"}, "editor"),
    ("claim_assignments", {"claim_id": "claim"}, {"person": MISSING, "role": "editor"},
     "editor"),
    ("claim_assignments", {"claim_id": "claim"}, {"person": HUGE_ID, "role": "editor"},
     "editor"),
    ("claim_assignments", {"claim_id": "claim"}, {"person": "1", "role": "chief"}, "editor"),
    ("claim_assignments", {"claim_id": MISSING}, {"person": "1", "role": "editor"}, "editor"),
    ("article_assignments", {"article_id": "article"}, {"person": "", "role": HUGE}, "editor"),
    ("article_assignments", {"article_id": MISSING}, {"person": "1", "role": "editor"},
     "editor"),
    ("claim_assignment_remove", {"claim_id": "claim", "assignment_id": MISSING}, {}, "editor"),
    ("claim_assignment_remove", {"claim_id": "claim", "assignment_id": HUGE_ID}, {}, "editor"),
    ("article_assignment_remove", {"article_id": "article", "assignment_id": MISSING}, {},
     "editor"),
    ("notifications_read", {}, {}, "editor"),
    ("notifications_read", {}, {"id": "abc"}, "editor"),
    ("notifications_read", {}, {"id": HUGE_ID}, "editor"),
    ("notifications_read", {}, {"id": "1", "all": "1"}, "editor"),
    ("notification_settings", {}, {"email": HUGE}, "editor"),
]  # fmt: skip

# Bulk review (issue 16): no decision or one that is not, no claims, a claim reference that
# is not one, a reject without a comment, a comment too long.
CASES += [
    ("review_bulk", {}, {}, "reviewer"),
    ("review_bulk", {}, {"decision": "publish", "claim": "1:1"}, "reviewer"),
    ("review_bulk", {}, {"decision": "approve"}, "reviewer"),
    ("review_bulk", {}, {"decision": "approve", "claim": "abc"}, "reviewer"),
    ("review_bulk", {}, {"decision": "approve", "claim": f"{HUGE_ID}:1"}, "reviewer"),
    ("review_bulk", {}, {"decision": "reject", "claim": "1:1"}, "reviewer"),
    ("review_bulk", {}, {"decision": "reject", "claim": "1:1", "comment": HUGE}, "reviewer"),
]  # fmt: skip


def case_id(case) -> str:
    name, args, data, _ = case
    shown = {
        k: (f"<{len(v):,} chars>" if isinstance(v, str) and len(v) > 40 else v)
        for k, v in data.items()
    }
    return f"{name}{args}{shown}"


@pytest.fixture
def samples(demo_article, editor, editor2):
    draft = make_claim(demo_article, editor)
    in_review = claim_submit(claim=make_claim(demo_article, editor2), user=editor2)
    open_suggestions = list(suggestions_for_revision(demo_article.current_revision))
    accepted = open_suggestions[0]
    suggestion_accept(suggestion=accepted, user=editor2)
    dismissed = suggestion_dismiss(suggestion=open_suggestions[1], user=editor2)
    phone_call = source_attach(
        claim=make_claim(demo_article, editor, ready=False), user=editor, title="A phone call"
    )
    return {
        "url_less_source": phone_call.source,
        "article": demo_article.pk,
        "accepted_suggestion": accepted,
        "dismissed_suggestion": dismissed,
        "claim": draft,
        "in_review": in_review,
        "claim_source": draft.claim_sources.get().pk,
        "number": 1,
    }


def table_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def resolve(args: dict, samples: dict) -> tuple[dict, object]:
    """URL kwargs from the case's names; also the claim the case is about (for @version)."""
    kwargs, claim = {}, None
    for name, value in args.items():
        if isinstance(value, str) and value in samples:
            value = samples[value]
        if hasattr(value, "pk"):
            claim, value = value, value.pk
        kwargs[name] = value
    return kwargs, claim


def refusal_problem(response) -> str | None:
    """None when the answer is a refusal this file accepts, else what is wrong with it."""
    status = response.status_code
    if status in (302, 303):
        errors = [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
        return None if errors else f"a redirect to {response['Location']} without an error"
    return None if 400 <= status < 500 else f"answered {status}"


def test_bad_input_is_refused_without_a_write(samples, editor, reviewer):
    # One set of samples; each request runs in a savepoint rolled back after it, so every
    # case meets the same state (as the permission matrix does).
    # (A 500 is recorded as a failure and the walk goes on, to list every one at once.)
    clients = {who: Client(raise_request_exception=False) for who in ("editor", "reviewer")}
    clients["editor"].force_login(editor)
    clients["reviewer"].force_login(reviewer)
    failures, checked = [], 0
    for case in CASES:
        name, args, data, who = case
        kwargs, claim = resolve(args, samples)
        data = {k: (claim.version if v == "@version" else v) for k, v in data.items()}
        url = reverse(name, kwargs=kwargs)
        for htmx in (True, False):
            headers = {"HX-Request": "true"} if htmx else {}
            with transaction.atomic():
                before = table_counts()
                response = clients[who].post(url, data, headers=headers)
                after = table_counts()
                transaction.set_rollback(True)
            checked += 1
            problem = refusal_problem(response)
            if after != before:
                changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
                problem = f"{problem or 'refused'}, but wrote {changed}"
            if problem:
                failures.append(f"{case_id(case)} {'htmx' if htmx else 'plain'}: {problem}")
    assert not failures, f"{len(failures)} of {checked}:\n" + "\n".join(failures)
    assert checked == 2 * len(CASES)


@pytest.mark.parametrize(
    "path",
    [
        "/claims/abc/save/",
        "/claims/1e3/delete/",
        "/claims/-1/comments/",
        "/articles/abc/claims/new/",
        "/articles/1/revisions/x/keep-removed/",
        "/claims/1/sources/abc/remove/",
        "/claims/1/workflow/sub mit/",
    ],
)
def test_ids_that_are_not_numbers_are_not_found(client, editor, path):
    client.force_login(editor)
    before = table_counts()
    assert client.post(path, {"comment": "x"}).status_code == 404
    assert table_counts() == before


def test_every_browser_post_endpoint_has_bad_input_cases():
    from annotations.urls import urlpatterns

    def takes_post(view) -> bool:
        # require_POST / require_http_methods keep their list in the closure.
        for cell in view.__closure__ or ():
            if isinstance(cell.cell_contents, list) and "POST" in cell.cell_contents:
                return True
        return False

    posting = {p.name for p in urlpatterns if takes_post(p.callback)}
    assert posting, "no POST endpoints found: has the way views declare methods changed?"
    assert posting <= {case[0] for case in CASES}, posting - {case[0] for case in CASES}
