"""The claim panel's forms, server side (issue 10): "Save and submit" in one request,
a source's stance the editor must choose, Approve disabled with the workflow service's own
reasons, the reviewer's request at the top, the statement that reads as a claim, and the
`factcheck:announce` event that says what happened."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from annotations.models import Claim, ClaimSource, ClaimStatus, Review
from annotations.services.claims import (
    source_detach,
    statement_default,
)
from annotations.services.errors import MissingForStep, NotAllowed, WorkflowError
from annotations.services.workflow import (
    claim_approval_blockers,
    claim_approve,
    claim_request_changes,
    claim_submit,
    claim_update_and_submit,
)
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def _events(response) -> dict:
    return json.loads(response.headers.get("HX-Trigger-After-Settle", "{}"))


def _state(claim_id: int):
    claim = Claim.objects.get(pk=claim_id)
    return (claim.status, claim.explanation, claim.version, Review.objects.count())


def _save(client, claim, **fields):
    data = {
        "statement": claim.statement,
        "claimant": claim.claimant,
        "verdict": claim.verdict.slug if claim.verdict else "",
        "explanation": claim.explanation,
        "version": claim.version,
        **fields,
    }
    return client.post(reverse("claim_save", args=[claim.id]), data, **HX)


# --- Save and submit ---------------------------------------------------------------------------


def test_save_and_submit_saves_the_edits_and_submits_in_one_request(
    client, editor, draft, django_assert_num_queries
):
    client.force_login(editor)
    # 33 queries: the draft's verdict (read by _save for the form data); session, user,
    # groups; claim with revision/article/verdict, its sources, its comments; savepoint;
    # save (savepoint, article locked, claim locked, verdict by slug, update, article
    # touched, release); submit (savepoint, article locked, claim locked, update, article
    # touched, release); release; the new panel (claim, sources, comments, verdict scale),
    # the article's current revision, its claims for highlights and list, its open
    # suggestions no claim overlaps (issue 14: the text draws them), and #5's
    # history/workflow reads (verdict labels, claim, claim-source, source and assignment
    # events, users).
    with django_assert_num_queries(35):
        response = _save(client, draft, explanation="Checked with the hospital.", then="submit")
    assert response.status_code == 200
    claim = Claim.objects.get(pk=draft.pk)
    assert claim.status == ClaimStatus.IN_REVIEW
    assert claim.explanation == "Checked with the hospital."
    assert claim.submitted_at is not None
    html = response.content.decode()
    assert "Saved and submitted for review." in html
    assert _events(response)["factcheck:announce"]["message"] == "Saved and submitted for review."


def test_save_and_submit_refused_when_stale_changes_nothing(client, editor, draft):
    client.force_login(editor)
    before = _state(draft.pk)
    response = _save(client, draft, explanation="Mine", version=draft.version - 1, then="submit")
    assert response.status_code == 409
    assert "Not saved: someone else changed this claim" in response.content.decode()
    assert _state(draft.pk) == before


def test_save_and_submit_refused_for_bad_input_changes_nothing(client, editor, draft):
    client.force_login(editor)
    before = _state(draft.pk)
    response = _save(client, draft, statement="x" * 6000, then="submit")
    assert response.status_code == 400
    assert "statement" in response.content.decode().lower()
    assert _state(draft.pk) == before


def test_save_and_submit_writes_nothing_when_the_submit_is_refused(editor, draft, monkeypatch):
    """Both steps are one change: a refused submit takes the saved edits back with it."""

    def refuse(**kwargs):
        raise WorkflowError("Cannot submit for review now.")

    monkeypatch.setattr("annotations.services.workflow.claim_transition", refuse)
    before = _state(draft.pk)
    with pytest.raises(WorkflowError):
        claim_update_and_submit(
            claim=draft, user=editor, version=draft.version, explanation="Lost on purpose"
        )
    assert _state(draft.pk) == before


def test_save_and_submit_is_offered_only_where_submit_is(client, editor, draft, reviewer):
    client.force_login(editor)
    html = client.get(reverse("claim_panel", args=[draft.id]), **HX).content.decode()
    assert 'name="then" value="submit"' in html
    claim_submit(claim=draft, user=editor)
    html = client.get(reverse("claim_panel", args=[draft.id]), **HX).content.decode()
    assert 'name="then" value="submit"' not in html  # in review: locked, nothing to submit


def test_plain_save_does_not_submit(client, editor, draft):
    client.force_login(editor)
    response = _save(client, draft, explanation="Only saved.")
    assert response.status_code == 200
    assert Claim.objects.get(pk=draft.pk).status == ClaimStatus.DRAFT
    assert _events(response)["factcheck:announce"]["message"] == "Saved."


# --- Sources: the stance is chosen ---------------------------------------------------------------


def test_source_without_a_stance_is_refused_with_a_message(client, editor, draft):
    client.force_login(editor)
    count = ClaimSource.objects.count()
    response = client.post(
        reverse("claim_source_add", args=[draft.id]),
        {"url": "https://example.org/report", "title": "Report", "kind": "document"},
        **HX,
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose the source&#x27;s stance" in html
    assert (
        'id="source-new-stance" role="radiogroup" tabindex="-1" aria-invalid="true" '
        'aria-describedby="source-new-stance-error"' in html
    )
    assert 'value="Report"' in html  # the input is kept
    assert ClaimSource.objects.count() == count


def test_add_source_form_has_no_default_stance(client, editor, draft):
    client.force_login(editor)
    html = client.get(reverse("claim_panel", args=[draft.id]), **HX).content.decode()
    add_form = html[html.index('id="source-new-stance"') :]
    add_form = add_form[: add_form.index("</fieldset>")]
    # Three radios, none checked: the editor chooses.
    assert add_form.count('type="radio"') == 3 and add_form.count('name="stance"') == 3
    assert " checked" not in add_form


def test_source_added_announces_and_names_where_focus_goes(client, editor, draft):
    client.force_login(editor)
    response = client.post(
        reverse("claim_source_add", args=[draft.id]),
        {"url": "https://example.org/r", "title": "R", "kind": "document", "stance": "refutes"},
        **HX,
    )
    assert response.status_code == 200
    link = ClaimSource.objects.filter(claim=draft).latest("id")
    assert link.stance == "refutes"
    event = _events(response)["factcheck:announce"]
    assert event == {"message": "Source added.", "focus": f"#claim-source-{link.pk}"}
    assert f'id="claim-source-{link.pk}"' in response.content.decode()


# --- Approve: the service's own reasons, up front ------------------------------------------------


def test_blockers_name_four_eyes_and_what_is_missing(editor, reviewer, draft):
    draft = Claim.objects.get(pk=draft.pk)
    assert claim_approval_blockers(draft, reviewer) == []
    Claim.objects.filter(pk=draft.pk).update(updated_by=reviewer)
    source_detach(claim_source=draft.claim_sources.get(), user=editor)  # editor edits last
    Claim.objects.filter(pk=draft.pk).update(updated_by=reviewer)
    blockers = claim_approval_blockers(Claim.objects.get(pk=draft.pk), reviewer)
    assert [type(b) for b in blockers] == [NotAllowed, MissingForStep]
    assert "four eyes" in blockers[0].message
    assert blockers[1].message == "Cannot approve yet: the claim needs at least one source."


def test_service_refuses_with_the_first_blocker(editor, reviewer, reviewer2, in_review):
    claim = Claim.objects.get(pk=in_review.pk)
    Claim.objects.filter(pk=claim.pk).update(updated_by=reviewer)
    claim.refresh_from_db()
    with pytest.raises(NotAllowed) as refused:
        claim_approve(claim=claim, reviewer=reviewer)
    assert refused.value.message == claim_approval_blockers(claim, reviewer)[0].message
    approved = claim_approve(claim=claim, reviewer=reviewer2)
    assert approved.status == ClaimStatus.APPROVED


def test_approve_is_disabled_with_the_reasons_when_a_source_is_missing(
    client, editor, reviewer, demo_article
):
    claim = make_claim(demo_article, editor)
    source_detach(claim_source=claim.claim_sources.get(), user=editor)
    claim_submit(claim=claim, user=editor)
    client.force_login(reviewer)
    html = client.get(reverse("claim_panel", args=[claim.id]), **HX).content.decode()
    assert f'disabled aria-describedby="approve-blockers-{claim.id}"' in html
    assert "Cannot approve yet: the claim needs at least one source." in html


def test_approve_is_disabled_for_the_reviewer_who_edited_it(client, reviewer, in_review):
    Claim.objects.filter(pk=in_review.pk).update(updated_by=reviewer)
    client.force_login(reviewer)
    html = client.get(reverse("claim_panel", args=[in_review.id]), **HX).content.decode()
    assert f'disabled aria-describedby="approve-blockers-{in_review.id}"' in html
    assert "another reviewer must approve it (four eyes)" in html


def test_approve_is_enabled_when_it_can_succeed(
    client, reviewer, in_review, django_assert_num_queries
):
    client.force_login(reviewer)
    # 12 queries: session, user, groups; claim with revision/article/verdict, its sources,
    # its comments; the verdict scale; #5's workflow and history partials: verdict labels,
    # claim events, claim-source events, source events, assignment events, their users.
    with django_assert_num_queries(13):
        html = client.get(reverse("claim_panel", args=[in_review.id]), **HX).content.decode()
    assert "approve-blockers" not in html
    assert ">Approve</button>" in html


# --- The reviewer's request at the top -----------------------------------------------------------


def test_reviewers_request_is_shown_by_the_status_above_the_form(
    client, editor, reviewer, in_review
):
    claim_request_changes(claim=in_review, reviewer=reviewer, comment="Name the hospital.")
    client.force_login(editor)
    html = client.get(reverse("claim_panel", args=[in_review.id]), **HX).content.decode()
    request_at = html.index('data-testid="review-request-comment"')
    assert "Name the hospital." in html[request_at : request_at + 200]
    assert html.index('class="claim-facts"') < request_at < html.index('id="claim-form"')
    assert html.count('data-testid="review-request-comment"') == 1


# --- Statement ------------------------------------------------------------------------------


def test_statement_defaults_to_the_sentence_around_the_quote(client, editor, demo_article):
    text = demo_article.current_revision.text
    quote = "hit at least five times"
    start = text.index(quote)
    client.force_login(editor)
    response = client.post(
        reverse("claim_create", args=[demo_article.id]),
        {"exact": quote, "start": start, "end": start + len(quote)},
        **HX,
    )
    assert response.status_code == 200
    claim = Claim.objects.get()
    assert claim.statement == "The defector was hit at least five times, but lives."
    assert "The defector was hit at least five times, but lives.</textarea>" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("text", "quote", "sentence"),
    [
        ("First one. He was hit five times, said Gen. Brooks. Last.", "hit five",
         "He was hit five times, said Gen. Brooks."),
        ("U.S. troops fired 40 rounds. Then quiet.", "40 rounds", "U.S. troops fired 40 rounds."),
        ("One paragraph.\n\nNo full stop at the end", "full stop", "No full stop at the end"),
        ("“It was fine,” he said. “We left!” She agreed.", "We left", "“We left!”"),
        ("They streamed out. Then", "They streamed out.", "They streamed out."),
    ],
)  # fmt: skip
def test_statement_default_finds_the_sentence(text, quote, sentence):
    start = text.index(quote)
    assert statement_default(text, start, start + len(quote)) == sentence


def test_public_page_prints_the_statement_once(client, editor, reviewer2, draft):
    claim = claim_approve(claim=claim_submit(claim=draft, user=editor), reviewer=reviewer2)
    html = client.get(reverse("public_article", args=[claim.article_id])).content.decode()
    assert html.count("hit at least five times") == 1 + html.count('"claimReviewed"')
    assert "The defector was hit at least five times, but lives." in html
    assert "Claimed by Joint Chiefs of Staff" in html
