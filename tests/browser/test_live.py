"""Live updates across browsers (issue 16): a reviewer approves in one browser, and the
editor's open workspace follows in another without a reload; an editor with unsaved edits
is told and keeps them. Both ways the app is served in development: DEBUG off (as pytest
runs) and DEBUG=1 (as `make run` does, with django-htmx's debug handler on the page)."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from annotations.services.claims import claim_update
from annotations.services.workflow import claim_submit
from tests.browser.test_accessibility import axe_violations
from tests.factories import make_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEBUG_SCRIPT = 'script[src$="django_htmx/django-htmx.js"][data-debug="True"]'


def open_workspace(page, live_server, claim, debug: bool):
    page.goto(f"{live_server.url}/articles/{claim.article_id}/?claim={claim.pk}")
    if debug:
        expect(page.locator(DEBUG_SCRIPT)).to_have_count(1)
    # Connected: from here on, every committed change reaches this page.
    expect(page.locator("#live")).to_have_attribute("data-state", "open")


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_a_reviewers_approval_reaches_the_editors_open_workspace(
    page, new_context, live_server, login, settings, demo_article, editor, reviewer, debug
):
    settings.DEBUG = debug
    claim = claim_submit(claim=make_claim(demo_article, editor), user=editor)
    login(editor)
    open_workspace(page, live_server, claim, debug)
    expect(page.get_by_test_id("bell")).to_have_attribute("aria-label", "Notifications, 0 unread")
    marker = page.locator(f"#hl-{claim.pk}")
    entry = page.locator(f'[data-claim-item="{claim.pk}"]')
    panel_status = page.locator("#claim-panel").get_by_test_id("workflow-status")
    expect(marker).to_have_class(re.compile(r"\bst-in_review\b"))
    expect(panel_status).to_have_text("In review")

    # The reviewer, in a browser of their own, approves from the review queue.
    reviewer_context = new_context()
    login(reviewer, reviewer_context)
    queue = reviewer_context.new_page()
    queue.goto(f"{live_server.url}/review/")
    item = queue.locator(f"#review-item-{claim.pk}")
    item.get_by_role("button", name="Approve").click()
    expect(item).to_contain_text("approved")
    approved_at = time.monotonic()

    # Within a second of the reviewer seeing "approved", without a reload: the highlight,
    # the list entry and the open panel.
    expect(marker).to_have_class(re.compile(r"\bst-approved\b"), timeout=1000)
    expect(entry).to_have_class(re.compile(r"\bst-approved\b"), timeout=1000)
    expect(panel_status).to_have_text("Approved", timeout=1000)
    assert time.monotonic() - approved_at < 1.5  # the three waits together
    expect(page.locator("#workspace-live")).to_contain_text(f"{reviewer.username} approved")
    # The approval notified the editor: the bell in the header counts it, without a reload.
    expect(page.get_by_test_id("bell")).to_have_attribute("aria-label", "Notifications, 1 unread")


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_unsaved_edits_are_kept_and_the_editor_is_told(
    page, live_server, login, settings, demo_article, editor, editor2, debug
):
    settings.DEBUG = debug
    claim = make_claim(demo_article, editor)
    login(editor)
    open_workspace(page, live_server, claim, debug)
    explanation = page.locator("#claim-explanation")
    explanation.fill("My unsaved explanation, half written.")

    # A colleague saves a change to the same claim.
    claim_update(claim=claim, user=editor2, version=claim.version, claimant="Seoul hospital")

    notice = page.locator("#claim-panel [data-live-notice]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(f"{editor2.username} edited claim #{claim.pk}")
    expect(notice).to_contain_text("Your unsaved edits are kept")
    # The list follows; the panel and what the editor typed stay.
    expect(page.locator(f'[data-claim-item="{claim.pk}"]')).to_contain_text("Seoul hospital")
    expect(explanation).to_have_value("My unsaved explanation, half written.")
    assert axe_violations(page) == []

    # Saving meets the version check: what the colleague changed, the input still there.
    page.locator("#claim-form").get_by_role("button", name="Save", exact=True).click()
    conflict = page.locator("#claim-panel .conflict")
    expect(conflict).to_contain_text("someone else changed this claim")
    expect(conflict).to_contain_text("Seoul hospital")
    expect(explanation).to_have_value("My unsaved explanation, half written.")


def test_the_editors_own_save_is_not_announced_back(page, live_server, login, demo_article, editor):
    claim = make_claim(demo_article, editor)
    login(editor)
    open_workspace(page, live_server, claim, debug=False)
    page.locator("#claim-explanation").fill("Checked with the hospital.")
    page.locator("#claim-form").get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#claim-panel")).to_contain_text("Saved.")
    page.wait_for_timeout(600)  # the event of that save has arrived by now
    expect(page.locator("#claim-panel [data-live-notice]")).to_be_hidden()
    expect(page.locator("#claim-panel")).to_contain_text("Saved.")
