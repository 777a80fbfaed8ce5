"""The claim panel's forms in real Chromium: refusals shown in place (also under DEBUG=1,
with django-htmx's debug handler loaded), focus and the live region after every swap,
unsaved edits guarded, sources that make the editor choose a stance, Approve that says
up front why it cannot succeed, and a statement that reads as a claim."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from annotations.models import ClaimSource, Review
from tests.factories import make_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEBUG_SCRIPT = 'script[src$="django_htmx/django-htmx.js"][data-debug="True"]'


def workspace_url(live_server, claim) -> str:
    return f"{live_server.url}/articles/{claim.article_id}/?claim={claim.pk}"


@pytest.fixture
def debug_on(settings):
    """What `make run` serves: DEBUG=1 loads django-htmx's debug error handler, which
    replaces the whole page with any 400/403/404/500 answer to an htmx request."""
    settings.DEBUG = True


def test_refusal_stays_in_place_under_debug(
    page, live_server, login, debug_on, in_review, reviewer
):
    login(reviewer)
    page.goto(workspace_url(live_server, in_review))
    expect(page.locator(DEBUG_SCRIPT)).to_have_count(1)  # the handler IS on the page
    workflow = page.locator("#claim-workflow")
    workflow.get_by_role("button", name="Request changes").click()
    expect(workflow.get_by_role("alert")).to_contain_text("Request changes needs a comment")
    # The page is still the page: navigation, styles, the article text.
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.locator("#article-text")).to_be_visible()
    assert page.evaluate("document.styleSheets.length") >= 1
    # Said in the live region, nothing written.
    expect(page.locator("#live-status")).to_contain_text("needs a comment")
    assert not Review.objects.filter(claim=in_review).exists()


def test_refusal_is_announced_when_another_answer_lands_while_it_settles(
    page, live_server, login, debug_on, in_review, reviewer
):
    """htmx settles an answer 20 ms after swapping it; "Checked before?" loads itself in
    the background and can swap in between. The refusal is still announced and focused
    (it was not, now and then, when the last swap was one shared slot). The settle delay
    is stretched here so that the second answer always lands inside the window."""
    login(reviewer)
    page.goto(workspace_url(live_server, in_review))
    matches = page.locator("#claim-matches")
    expect(matches).not_to_have_attribute("aria-busy", "true")
    page.evaluate("() => { htmx.config.defaultSettleDelay = 1500; }")
    workflow = page.locator("#claim-workflow")
    workflow.get_by_role("button", name="Request changes").click()
    # Swapped in, not yet settled: now another answer lands.
    expect(workflow.get_by_role("alert")).to_contain_text("Request changes needs a comment")
    page.evaluate(
        """url => htmx.ajax("GET", url, {target: "#claim-matches", swap: "outerHTML"})""",
        reverse("claim_matches", args=[in_review.pk]),
    )
    expect(page.locator("#live-status")).to_contain_text("needs a comment")
    expect(workflow.locator(":focus")).to_have_count(1)  # the refusal has the focus
    assert not Review.objects.filter(claim=in_review).exists()


def test_invalid_source_url_refused_in_place_under_debug(
    page, live_server, login, debug_on, draft, editor
):
    login(editor)
    page.goto(workspace_url(live_server, draft))
    expect(page.locator(DEBUG_SCRIPT)).to_have_count(1)
    sources = page.locator("#claim-sources")
    add = sources.locator("details.source-add")
    add.get_by_text("Add a source").click()
    add.get_by_label("Web address").fill("ftp://example.org/file")
    add.get_by_label("Title").fill("A file")
    add.get_by_role("radiogroup", name="Stance").get_by_label("Refutes").check()
    add.get_by_role("button", name="Add source").click()
    expect(sources.get_by_role("alert")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    # Focus is on the refused field, which names its error.
    expect(page.locator("#source-new-url")).to_be_focused()
    expect(page.locator("#source-new-url")).to_have_attribute("aria-invalid", "true")
    assert ClaimSource.objects.filter(claim=draft).count() == 1


def test_whole_page_refusal_is_shown_not_swapped_under_debug(
    page, live_server, login, debug_on, draft, editor
):
    """A 404 (the claim was deleted meanwhile) is a whole page: its message goes to the
    page's alert area; the panel is not replaced by a page inside a page."""
    login(editor)
    page.goto(workspace_url(live_server, draft))
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim", str(draft.pk))
    page.evaluate(
        """() => htmx.ajax("GET", "/claims/999999/",
                           {target: "#claim-panel", swap: "outerHTML"})"""
    )
    expect(page.locator("#page-alert")).to_contain_text(re.compile("not found", re.I))
    expect(page.locator("#page-alert")).to_contain_text("There is no such claim.")
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim", str(draft.pk))
    expect(page.locator("#claim-panel h1")).to_have_count(0)


# --- Forms -----------------------------------------------------------------------------------


def test_leaving_by_a_link_with_unsaved_edits_asks_first(page, live_server, login, draft, editor):
    login(editor)
    page.goto(workspace_url(live_server, draft))
    explanation = page.locator("#claim-explanation")
    explanation.click()
    page.keyboard.press("ControlOrMeta+End")  # the click lands wherever the box wraps
    page.keyboard.type(" And the hospital confirmed it.")
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", on_dialog)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Articles").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    expect(explanation).to_have_value(re.compile("And the hospital confirmed it.$"))
    assert page.url == workspace_url(live_server, draft)


def test_opening_another_claim_with_unsaved_edits_asks_first(
    page, live_server, login, draft, editor
):
    from annotations.services.claims import claim_create

    text = draft.revision.text
    quote = "estimated 40 rounds"
    start = text.index(quote)
    other = claim_create(
        article=draft.article,
        user=editor,
        selector={"exact": quote, "start": start, "end": start + len(quote)},
    )
    login(editor)
    page.goto(workspace_url(live_server, draft))
    page.locator("#claim-claimant").fill("Someone else")
    asked = []

    def on_dialog(dialog):
        asked.append(dialog.message)
        dialog.dismiss()  # keep my edits

    page.on("dialog", on_dialog)
    page.locator(f'[data-claim-link="{other.pk}"]').click()
    page.wait_for_timeout(500)
    assert asked == ["Open another claim and discard your unsaved changes to this one?"]
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim", str(draft.pk))
    expect(page.locator("#claim-claimant")).to_have_value("Someone else")


def test_save_and_submit_with_unsaved_edits(page, live_server, login, draft, editor):
    login(editor)
    page.goto(workspace_url(live_server, draft))
    page.locator("#claim-explanation").fill("The hospital confirmed five wounds.")
    workflow = page.locator("#claim-workflow")
    workflow.get_by_role("button", name="Submit for review").click()
    expect(workflow.get_by_role("alert")).to_contain_text("Save and submit")
    page.locator("#claim-form").get_by_role("button", name="Save and submit").click()
    expect(workflow.get_by_test_id("workflow-status")).to_have_text("In review")
    expect(page.locator("#live-status")).to_have_text("Saved and submitted for review.")
    expect(page.locator(".panel-notice")).to_be_focused()
    draft.refresh_from_db()
    assert (draft.status, draft.explanation) == ("in_review", "The hospital confirmed five wounds.")


def test_add_a_source_focuses_its_field_requires_a_stance_and_announces(
    page, live_server, login, draft, editor
):
    from tests.browser.test_accessibility import axe_violations

    login(editor)
    page.goto(workspace_url(live_server, draft))
    add = page.locator("#claim-sources details.source-add")
    add.get_by_text("Add a source").click()
    expect(page.locator("#source-new-url")).to_be_focused()
    # No default: none of the stance's radios is checked.
    expect(page.locator("#source-new-stance input[type=radio]:checked")).to_have_count(0)
    page.keyboard.type("https://example.org/report")
    add.get_by_label("Title").fill("Hospital report")
    add.get_by_role("button", name="Add source").click()
    # Refused: the stance field says why and has the focus; the live region says it too.
    stance = page.locator("#source-new-stance")
    expect(stance).to_be_focused()
    expect(stance).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#source-new-stance-error")).to_contain_text("Choose the source's stance")
    expect(page.locator("#live-status")).to_contain_text("Choose the source's stance")
    assert ClaimSource.objects.filter(claim=draft).count() == 1
    assert axe_violations(page) == []  # the panel after a refusal
    stance.get_by_label("Refutes").check()
    page.locator("#claim-sources").get_by_role("button", name="Add source").click()
    link = page.locator("#claim-sources li.source-item").last
    expect(link).to_contain_text("Hospital report")
    expect(link).to_be_focused()  # not <body>
    expect(page.locator("#live-status")).to_have_text("Source added.")
    assert ClaimSource.objects.filter(claim=draft, stance="refutes").count() == 1


def test_approve_is_disabled_and_says_why(page, live_server, login, demo_article, editor, reviewer):
    from annotations.services.claims import source_detach
    from annotations.services.workflow import claim_submit

    claim = make_claim(demo_article, editor)
    source_detach(claim_source=claim.claim_sources.get(), user=editor)
    claim_submit(claim=claim, user=editor)
    login(reviewer)
    page.goto(workspace_url(live_server, claim))
    approve = page.locator("#claim-workflow").get_by_role("button", name="Approve")
    expect(approve).to_be_disabled()
    expect(approve).to_have_accessible_description(
        re.compile("Cannot approve yet: the claim needs at least one source.")
    )
    from tests.browser.test_accessibility import axe_violations

    assert axe_violations(page) == []


def test_reviewers_request_is_at_the_top_by_the_status(
    page, live_server, login, in_review, editor, reviewer
):
    from annotations.services.workflow import claim_request_changes

    claim_request_changes(claim=in_review, reviewer=reviewer, comment="Name the hospital.")
    login(editor)
    page.goto(workspace_url(live_server, in_review))
    request = page.locator("#claim-panel").get_by_test_id("review-request-comment")
    expect(request).to_have_text("Name the hospital.")
    status_box = page.locator("#claim-panel .claim-facts").bounding_box()
    request_box = request.bounding_box()
    form_box = page.locator("#claim-form").bounding_box()
    assert status_box["y"] < request_box["y"] < form_box["y"]


# --- Statement -------------------------------------------------------------------------------


def test_new_claims_statement_is_the_sentence_around_the_selection(
    page, live_server, login, demo_article, editor
):
    from annotations.models import Claim
    from tests.browser.selection import drag_select

    login(editor)
    page.goto(f"{live_server.url}/articles/{demo_article.pk}/")
    expect(page.locator("html[data-workspace-ready]")).to_have_count(1)
    drag_select(page, "hit at least five times")
    page.locator("#add-claim").get_by_role("button", name="Add claim").click()
    sentence = "The defector was hit at least five times, but lives."
    expect(page.locator("#claim-statement")).to_have_value(sentence)
    expect(page.locator("#live-status")).to_have_text("Claim added.")
    assert Claim.objects.get().statement == sentence
