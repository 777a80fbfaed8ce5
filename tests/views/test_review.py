"""Browser views of the review workflow: the workflow partial and its steps, the reviewer's
queue, the editor's queue and the history partial.

Each view: it works; it refuses the outsider; it refuses a role that may not use it; it
keeps its query count.
"""

from __future__ import annotations

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Claim, ClaimStatus, Review
from annotations.selectors.history import ClaimEvent
from annotations.selectors.review import quote_in_context
from annotations.services.articles import article_load
from annotations.services.workflow import claim_request_changes, claim_submit
from tests.factories import make_claim

HTMX = {"HTTP_HX_REQUEST": "true"}


def step_url(claim, step):
    return reverse("claim_workflow_step", args=[claim.pk, step])


# --- Workflow steps ------------------------------------------------------------------------


def test_editor_submits_through_htmx_and_gets_the_refreshed_partial(client, editor, draft):
    client.force_login(editor)
    response = client.post(
        step_url(draft, "submit"), {"comment": "", "version": draft.version}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="claim-workflow"' in html and "In review" in html
    assert json.loads(response["HX-Trigger"]) == {
        "claimChanged": {"id": draft.pk, "status": "in_review", "step": "submit"}
    }
    assert Claim.objects.get(pk=draft.pk).status == ClaimStatus.IN_REVIEW


def test_reviewer_requests_changes_and_the_editor_sees_the_comment(
    client, editor, reviewer, in_review
):
    client.force_login(reviewer)
    response = client.post(
        step_url(in_review, "request-changes"),
        {"comment": "Cite the hospital.", "version": in_review.version},
        **HTMX,
    )
    assert response.status_code == 200
    client.force_login(editor)
    # The request is shown at the top of the panel (by the status), the step below.
    panel = client.get(reverse("claim_panel", args=[in_review.pk]), HTTP_HX_REQUEST="true")
    html = panel.content.decode()
    assert "Cite the hospital." in html and "Submit for review" in html
    mine = client.get(reverse("my_claims")).content.decode()
    assert "Cite the hospital." in mine and "rev" in mine


def test_a_refused_step_answers_with_its_status_and_the_message_in_the_partial(
    client, reviewer, in_review
):
    client.force_login(reviewer)
    events = ClaimEvent.objects.filter(pgh_obj_id=in_review.pk).count()
    response = client.post(
        step_url(in_review, "reject"), {"comment": " ", "version": in_review.version}, **HTMX
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="claim-workflow"' in html and "Reject needs a comment" in html
    assert 'role="alert"' in html
    assert "HX-Trigger" not in response
    assert ClaimEvent.objects.filter(pgh_obj_id=in_review.pk).count() == events


def test_a_step_the_status_does_not_allow_answers_409(client, reviewer, draft):
    client.force_login(reviewer)
    response = client.post(step_url(draft, "approve"), {"version": draft.version}, **HTMX)
    assert response.status_code == 409
    assert "Steps allowed from draft: submit." in response.content.decode()


def test_editor_cannot_approve_403(client, editor2, in_review):
    client.force_login(editor2)
    response = client.post(step_url(in_review, "approve"), {"version": in_review.version}, **HTMX)
    assert response.status_code == 403
    assert "Only reviewers may approve" in response.content.decode()
    assert Claim.objects.get(pk=in_review.pk).status == ClaimStatus.IN_REVIEW


def test_outsider_is_refused_and_anonymous_sent_to_login(client, outsider, in_review):
    assert (
        client.post(step_url(in_review, "approve"), {"version": in_review.version}).status_code
        == 302
    )
    client.force_login(outsider)
    assert (
        client.post(step_url(in_review, "approve"), {"version": in_review.version}).status_code
        == 403
    )
    assert client.get(reverse("claim_workflow", args=[in_review.pk])).status_code == 403
    assert client.get(reverse("claim_history", args=[in_review.pk])).status_code == 403
    assert Claim.objects.get(pk=in_review.pk).status == ClaimStatus.IN_REVIEW


def test_unknown_step_and_unknown_claim_are_404(client, reviewer, in_review):
    client.force_login(reviewer)
    assert client.post(step_url(in_review, "publish")).status_code == 404
    assert client.post(reverse("claim_workflow_step", args=[999999, "approve"])).status_code == 404


def test_workflow_step_refuses_get(client, reviewer, in_review):
    client.force_login(reviewer)
    assert client.get(step_url(in_review, "approve")).status_code == 405


def test_without_htmx_a_step_redirects_back_with_a_message(client, editor, draft):
    client.force_login(editor)
    response = client.post(
        step_url(draft, "submit"), {"next": reverse("my_claims"), "version": draft.version}
    )
    assert response.status_code == 302 and response.url == reverse("my_claims")
    page = client.get(response.url).content.decode()
    assert "Submit for review: done." in page


def test_a_step_keeps_its_query_count(client, reviewer, in_review, django_assert_num_queries):
    client.force_login(reviewer)
    # 13 queries: session, user, groups, the claim; then in the service's transaction:
    # savepoint, lock the article, lock the claim, any source?, update the claim, insert the
    # review, touch the article, the webhook subscriptions that want "claim.approved",
    # the claim's people, the notification to its editor, their e-mail preference (issue
    # 16), release. Rendering the approved partial needs nothing more.
    with django_assert_num_queries(16):
        response = client.post(
            step_url(in_review, "approve"), {"version": in_review.version}, **HTMX
        )
    assert response.status_code == 200


# --- Reviewer's queue ----------------------------------------------------------------------


def test_review_queue_lists_claims_in_review_oldest_first_with_context(
    client, reviewer, demo_article, editor, editor2, demo_text
):
    first = claim_submit(claim=make_claim(demo_article, editor), user=editor)
    other = article_load(
        user=editor2, text="The mayor said 40% of buses run late. Officials agree."
    )
    second = make_claim_on(other, editor2, "40% of buses run late")
    second = claim_submit(claim=second, user=editor2)
    make_claim(demo_article, editor, ready=False)  # a draft: not in the queue
    client.force_login(reviewer)
    response = client.get(reverse("review_queue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(f'id="review-item-{first.pk}"') < html.index(f'id="review-item-{second.pk}"')
    assert "The mayor said <mark>40% of buses run late</mark>" in html
    assert "Hospital statement" in html and "Mostly true" in html
    assert 'data-status="in_review">2<' in html and 'data-status="draft">1<' in html
    assert "Nothing is waiting" not in html


def make_claim_on(article, user, quote):
    from annotations.services.claims import claim_create, claim_update, source_attach

    claim = claim_create(article=article, user=user, selector={"exact": quote})
    claim = claim_update(
        claim=claim, user=user, version=claim.version, verdict="false", explanation="Data."
    )
    source_attach(claim=claim, user=user, title="Transit data", url="https://example.org/t")
    claim.refresh_from_db()
    return claim


def test_review_queue_empty_state(client, reviewer):
    client.force_login(reviewer)
    assert "Nothing is waiting for review." in client.get(reverse("review_queue")).content.decode()


def test_review_queue_refuses_editors_and_outsiders(client, editor, outsider):
    assert client.get(reverse("review_queue")).status_code == 302
    client.force_login(editor)
    assert client.get(reverse("review_queue")).status_code == 403
    client.force_login(outsider)
    assert client.get(reverse("review_queue")).status_code == 403


def test_review_queue_query_count_does_not_grow_with_the_queue(
    client, reviewer, demo_article, editor
):
    claim_submit(claim=make_claim(demo_article, editor), user=editor)
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("review_queue"))
    for _ in range(4):
        claim_submit(claim=make_claim(demo_article, editor), user=editor)
    with CaptureQueriesContext(connection) as five:
        response = client.get(reverse("review_queue"))
    assert response.content.decode().count('class="review-item ') == 5
    # 9 queries: session, user, groups, the verdict and editor choices of the filters,
    # counts per status (also the page's total), claims (with article, revision, verdict,
    # people, latest review), their sources, the bell's unread count (issue 16).
    assert len(one) == len(five) == 9, [q["sql"][:90] for q in five]


def test_inline_approval_in_the_queue_returns_the_item(client, reviewer, in_review):
    client.force_login(reviewer)
    response = client.post(
        step_url(in_review, "approve"),
        {"partial": "review_item", "version": in_review.version},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="review-item-{in_review.pk}"' in html and "now approved" in html
    assert Review.objects.get(claim=in_review).reviewer == reviewer


def test_inline_rejection_without_comment_keeps_the_item_with_the_message(
    client, reviewer, in_review
):
    client.force_login(reviewer)
    response = client.post(
        step_url(in_review, "reject"),
        {"partial": "review_item", "version": in_review.version},
        **HTMX,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="review-item-{in_review.pk}"' in html and "Reject needs a comment" in html
    assert "Approve</button>" in html


# --- Editor's queue ------------------------------------------------------------------------


def test_my_claims_groups_my_open_claims(client, editor, editor2, reviewer, demo_article):
    sent_back = claim_submit(claim=make_claim(demo_article, editor), user=editor)
    claim_request_changes(claim=sent_back, reviewer=reviewer, comment="Which hospital?")
    waiting = claim_submit(claim=make_claim(demo_article, editor), user=editor)
    draft = make_claim(demo_article, editor, ready=False)
    theirs = make_claim(demo_article, editor2)
    client.force_login(editor)
    response = client.get(reverse("my_claims"))
    assert response.status_code == 200
    html = response.content.decode()
    needs = html[
        html.index('id="my-claims-changes_requested"') : html.index('id="my-claims-draft"')
    ]
    assert f'id="my-claim-{sent_back.pk}"' in needs and "Which hospital?" in needs
    drafts = html[html.index('id="my-claims-draft"') : html.index('id="my-claims-in_review"')]
    assert f'id="my-claim-{draft.pk}"' in drafts
    assert f'id="my-claim-{waiting.pk}"' in html[html.index('id="my-claims-in_review"') :]
    assert f'id="my-claim-{theirs.pk}"' not in html


def test_my_claims_refuses_outsiders(client, outsider):
    assert client.get(reverse("my_claims")).status_code == 302
    client.force_login(outsider)
    assert client.get(reverse("my_claims")).status_code == 403


def test_my_claims_query_count_does_not_grow(client, editor, demo_article):
    make_claim(demo_article, editor)
    client.force_login(editor)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("my_claims"))
    for _ in range(3):
        make_claim(demo_article, editor)
    with CaptureQueriesContext(connection) as four:
        client.get(reverse("my_claims"))
    # 7 queries: session, user, groups, counts per section, my drafts (with latest
    # request), their sources, the bell's unread count (issue 16).
    assert len(one) == len(four) == 7, [q["sql"][:90] for q in four]


def test_nav_links_follow_roles(client, editor, reviewer):
    client.force_login(editor)
    html = client.get(reverse("my_claims")).content.decode()
    assert 'href="/my-claims/"' in html and 'href="/review/"' not in html
    client.force_login(reviewer)
    html = client.get(reverse("review_queue")).content.decode()
    assert 'href="/review/"' in html


# --- History -------------------------------------------------------------------------------


def test_history_partial_shows_each_step_with_who_and_the_comment(
    client, editor, reviewer, in_review
):
    claim_request_changes(claim=in_review, reviewer=reviewer, comment="Which hospital?")
    client.force_login(editor)
    response = client.get(reverse("claim_history", args=[in_review.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="claim-history"' in html
    for label in ["Created the claim", "Edited the claim", "Attached a source",
                  "Submitted for review", "Requested changes"]:  # fmt: skip
        assert label in html
    assert "Which hospital?" in html
    assert "<del>In review</del> → <ins>Changes requested</ins>" in html


def test_quote_in_context_is_the_sentence_around_the_quote():
    text = "First one. The mayor said 40% run late. Then more.\n\nNext paragraph."
    start = text.index("40%")
    ctx = quote_in_context(text, start, start + len("40% run late"))
    assert (ctx.before, ctx.exact, ctx.after) == ("The mayor said ", "40% run late", ".")
    long = "word " * 200 + "QUOTE" + " word" * 200
    ctx = quote_in_context(long, long.index("QUOTE"), long.index("QUOTE") + 5)
    assert ctx.before.startswith("…") and ctx.after.endswith("…")


# --- Admin ---------------------------------------------------------------------------------

CHANGELIST = "/admin/annotations/claim/"


def test_admin_action_asks_for_a_comment_then_takes_the_step(client, staff, in_review):
    client.force_login(staff)
    data = {"action": "workflow_request_changes", "_selected_action": [in_review.pk]}
    page = client.post(CHANGELIST, data)
    assert page.status_code == 200
    assert "A comment is required." in page.content.decode()
    refused = client.post(CHANGELIST, {**data, "apply": "1", "comment": ""}, follow=True)
    assert "needs a comment" in refused.content.decode()
    assert Claim.objects.get(pk=in_review.pk).status == ClaimStatus.IN_REVIEW
    done = client.post(CHANGELIST, {**data, "apply": "1", "comment": "Source?"}, follow=True)
    assert "Request changes: 1 claim(s)." in done.content.decode()
    claim = Claim.objects.get(pk=in_review.pk)
    assert claim.status == ClaimStatus.CHANGES_REQUESTED
    assert claim.reviews.get().comment == "Source?"


def test_admin_change_page_shows_the_history_read_only(client, staff, in_review):
    client.force_login(staff)
    html = client.get(f"{CHANGELIST}{in_review.pk}/change/").content.decode()
    assert "Submitted for review" in html and "status: Draft" not in html
    assert "status: draft → in_review" in html


def test_admin_cannot_edit_an_approved_claim_without_reopening(client, staff, in_review, reviewer):
    from annotations.services.workflow import claim_approve

    claim = claim_approve(claim=in_review, reviewer=reviewer)
    client.force_login(staff)
    events = ClaimEvent.objects.filter(pgh_obj_id=claim.pk).count()
    form = {
        "statement": claim.statement,
        "claimant": "Someone else",
        "verdict": claim.verdict_id,
        "explanation": claim.explanation,
        "read_version": claim.version,
        "claim_sources-TOTAL_FORMS": "0",
        "claim_sources-INITIAL_FORMS": "0",
        "reviews-TOTAL_FORMS": "0",
        "reviews-INITIAL_FORMS": "0",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
    }
    response = client.post(f"{CHANGELIST}{claim.pk}/change/", form)
    assert response.status_code == 200
    assert "approved and locked" in response.content.decode()
    assert ClaimEvent.objects.filter(pgh_obj_id=claim.pk).count() == events


# --- Approve in the queue says why it cannot succeed ------------------------------------------


def _approve_button(html: str, claim) -> str:
    item = html[html.index(f'id="review-item-{claim.pk}"') :]
    item = item[: item.index("</article>")]
    start = item.index('formaction="' + step_url(claim, "approve"))
    return item[item.rindex("<button", 0, start) : item.index(">Approve</button>", start)]


def test_review_queue_disables_approve_for_a_claim_without_a_source_and_says_why(
    client, reviewer, demo_article, editor
):
    ready = claim_submit(claim=make_claim(demo_article, editor), user=editor)
    bare = claim_submit(claim=make_claim(demo_article, editor, ready=False), user=editor)
    client.force_login(reviewer)
    html = client.get(reverse("review_queue")).content.decode()
    assert " disabled" in _approve_button(html, bare)
    assert f'aria-describedby="approve-blockers-{bare.pk}"' in _approve_button(html, bare)
    assert (
        "Cannot approve yet: the claim needs a verdict, an explanation and at least one source."
        in html
    )
    assert " disabled" not in _approve_button(html, ready)
    assert f'id="approve-blockers-{ready.pk}"' not in html


def test_review_queue_disables_approve_on_the_reviewers_own_claim_four_eyes(
    client, demo_article, django_user_model
):
    from django.contrib.auth.models import Group

    both = django_user_model.objects.create_user(username="both", password="both-pass")
    both.groups.add(*Group.objects.filter(name__in=["editor", "reviewer"]))
    own = claim_submit(claim=make_claim(demo_article, both), user=both)
    client.force_login(both)
    html = client.get(reverse("review_queue")).content.decode()
    assert " disabled" in _approve_button(html, own)
    assert "another reviewer must approve it (four eyes)" in html


def test_review_queue_approve_blockers_add_no_query_per_item(
    client, reviewer, demo_article, editor
):
    claim_submit(claim=make_claim(demo_article, editor, ready=False), user=editor)
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("review_queue"))
    for ready in (False, True, False, True):
        claim_submit(claim=make_claim(demo_article, editor, ready=ready), user=editor)
    with CaptureQueriesContext(connection) as five:
        html = client.get(reverse("review_queue")).content.decode()
    assert html.count('class="approve-blockers"') == 3
    # 9 queries, as without blockers: the sources they need come with the page's prefetch.
    assert len(one) == len(five) == 9, [q["sql"][:90] for q in five]
