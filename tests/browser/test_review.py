"""The review round trip in real Chromium: an editor submits, a reviewer (in a second
browser context) requests changes, the editor sees the comment, fixes and resubmits, the
reviewer approves; the highlight's status marker and the history timeline follow along."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submit_request_changes_fix_resubmit_approve(
    page, browser, live_server, login, demo_article, editor, reviewer
):
    claim = make_claim(demo_article, editor)
    workspace = f"{live_server.url}/articles/{demo_article.pk}/?claim={claim.pk}"
    marker = page.locator(f"#hl-{claim.pk}")
    workflow = page.locator("#claim-workflow")
    history = page.locator("#claim-history")

    # The editor submits the claim from its panel.
    login(editor)
    page.goto(workspace)
    expect(marker).to_have_class(re.compile(r"\bst-draft\b"))
    workflow.get_by_role("button", name="Submit for review").click()
    expect(workflow.get_by_test_id("workflow-status")).to_have_text("In review")
    expect(history).to_contain_text("Submitted for review")  # refreshed on claimChanged
    page.reload()
    expect(marker).to_have_class(re.compile(r"\bst-in_review\b"))

    # In a second browser context, the reviewer sends it back from the queue.
    reviewer_context = browser.new_context()
    try:
        login(reviewer, reviewer_context)
        queue = reviewer_context.new_page()
        queue.goto(f"{live_server.url}/review/")
        item = queue.locator(f"#review-item-{claim.pk}")
        expect(item.locator("mark")).to_have_text("hit at least five times")
        item.get_by_role("button", name="Request changes").click()
        expect(item.get_by_role("alert")).to_contain_text("needs a comment")
        item.get_by_label("Comment").fill("Name the hospital and link its statement.")
        item.get_by_role("button", name="Request changes").click()
        expect(item).to_contain_text("now changes requested")

        # The editor sees the comment, fixes the claim and resubmits.
        page.reload()
        expect(marker).to_have_class(re.compile(r"\bst-changes_requested\b"))
        expect(page.locator("#claim-panel").get_by_test_id("review-request-comment")).to_have_text(
            "Name the hospital and link its statement."
        )
        page.locator("#claim-explanation").fill("Seoul National University Hospital confirmed.")
        page.locator("#claim-form").get_by_role("button", name="Save", exact=True).click()
        expect(page.locator("#claim-panel")).to_contain_text("Saved.")
        page.locator("#claim-workflow").get_by_role("button", name="Submit for review").click()
        expect(workflow.get_by_test_id("workflow-status")).to_have_text("In review")

        # The reviewer approves.
        queue.reload()
        queue.locator(f"#review-item-{claim.pk}").get_by_role("button", name="Approve").click()
        expect(queue.locator(f"#review-item-{claim.pk}")).to_contain_text("now approved")
        expect(queue.locator("#review-counts")).to_contain_text("1 Approved")
    finally:
        reviewer_context.close()

    # Back in the workspace: the marker says approved and the timeline shows every step.
    page.reload()
    expect(marker).to_have_class(re.compile(r"\bst-approved\b"))
    actions = history.locator(".timeline-entry").evaluate_all(
        "items => items.map(i => i.dataset.action)"
    )
    assert actions == [
        "claim_create",
        "claim_update",
        "source_attach",
        "claim_submit",
        "claim_request_changes",
        "claim_update",
        "claim_submit",
        "claim_approve",
    ]
    expect(history).to_contain_text("Name the hospital and link its statement.")
    expect(history).to_contain_text("Seoul National University Hospital confirmed.")
    expect(workflow).to_contain_text("Approved and locked")
