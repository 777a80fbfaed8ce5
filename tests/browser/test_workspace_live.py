"""The workspace follows workflow steps without a reload: after `claimChanged` the
highlight's status marker, the claims list with its counts and the open panel (status
badge, locked or editable form, history) fetch themselves again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import _make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk(db, django_user_model):
    """An editor who also reviews: she may approve someone else's claim, and edit it after."""
    return _make_user(django_user_model, "desk", ["editor", "reviewer"])


def open_claim(page, live_server, claim):
    page.goto(f"{live_server.url}/articles/{claim.article_id}/?claim={claim.pk}")
    expect(page.locator("html[data-workspace-ready]")).to_have_count(1)
    expect(page.locator("#claim-panel")).to_have_attribute("data-claim", str(claim.pk))


def test_submitting_from_the_panel_updates_marker_list_and_panel(
    page, live_server, login, editor, draft
):
    claim = draft
    login(editor)
    open_claim(page, live_server, claim)
    marker = page.locator(f"#hl-{claim.pk}")
    item = page.locator(f'[data-claim-item="{claim.pk}"]')
    status_filter = page.locator("#filter-status")
    panel = page.locator("#claim-panel")
    expect(marker).to_have_class(re.compile(r"\bst-draft\b"))
    expect(status_filter.locator("option[value=in_review]")).to_have_text("In review (0)")
    expect(panel.get_by_label("Statement")).to_be_enabled()
    page.evaluate("() => { window.__notReloaded = true; }")

    panel.get_by_role("button", name="Submit for review").click()

    # The highlight: class and accessible label.
    expect(marker).to_have_class(re.compile(r"\bst-in_review\b"))
    expect(marker).to_have_attribute("aria-label", re.compile(r"status: In review\."))
    # The list: the item's meta and the status filter's counts.
    expect(item).to_have_class(re.compile(r"\bst-in_review\b"))
    expect(item).to_contain_text("In review")
    expect(status_filter.locator("option[value=in_review]")).to_have_text("In review (1)")
    expect(status_filter.locator("option[value=draft]")).to_have_text("Draft (0)")
    # The open claim stays marked as the current one in the list and the text.
    expect(item).to_have_class(re.compile(r"\bis-current\b"))
    expect(marker).to_have_class(re.compile(r"\bhl-current\b"))
    # The panel: badge, lock, history; the focus is on the step's result message.
    expect(panel.locator(".claim-facts .status-badge")).to_have_text("In review")
    expect(panel.locator(".locked")).to_contain_text("in review")
    expect(panel.get_by_label("Statement")).to_be_disabled()
    expect(panel.locator("#claim-history")).to_contain_text("Submitted for review")
    done = panel.locator(".workflow-done")
    expect(done).to_have_text("Submit for review: done.")
    expect(done).to_be_focused()
    assert page.evaluate("() => window.__notReloaded") is True


def test_approving_locks_the_panel_and_reopening_unlocks_it(
    page, live_server, login, desk, in_review
):
    claim = in_review
    login(desk)
    open_claim(page, live_server, claim)
    panel = page.locator("#claim-panel")
    marker = page.locator(f"#hl-{claim.pk}")
    page.evaluate("() => { window.__notReloaded = true; }")

    panel.get_by_role("button", name="Approve").click()
    expect(panel.locator(".claim-facts .status-badge")).to_have_text("Approved")
    expect(panel.locator(".locked")).to_contain_text("approved and locked")
    expect(panel.get_by_label("Statement")).to_be_disabled()
    expect(panel.locator("#claim-workflow")).to_contain_text("Approve: done.")
    expect(marker).to_have_class(re.compile(r"\bst-approved\b"))
    expect(page.locator("#filter-status option[value=approved]")).to_have_text("Approved (1)")

    panel.locator("#claim-workflow").get_by_label("Comment").fill("The count changed.")
    panel.get_by_role("button", name="Reopen").click()
    expect(panel.locator(".claim-facts .status-badge")).to_have_text("Changes requested")
    expect(panel.locator(".locked")).to_have_count(0)
    expect(panel.get_by_label("Statement")).to_be_enabled()
    expect(marker).to_have_class(re.compile(r"\bst-changes_requested\b"))
    assert page.evaluate("() => window.__notReloaded") is True


def test_a_refused_step_refreshes_nothing(page, live_server, login, desk, in_review):
    claim = in_review
    login(desk)
    open_claim(page, live_server, claim)
    panel = page.locator("#claim-panel")
    panel.evaluate("(el) => { el.dataset.original = 'yes'; }")
    panel.get_by_role("button", name="Request changes").click()  # needs a comment
    expect(panel.locator(".workflow-error")).to_contain_text("needs a comment")
    page.wait_for_timeout(300)
    # No claimChanged: the panel is the same element and the marker did not change.
    expect(panel).to_have_attribute("data-original", "yes")
    expect(page.locator(f"#hl-{claim.pk}")).to_have_class(re.compile(r"\bst-in_review\b"))


def test_a_step_waits_until_unsaved_edits_are_saved(page, live_server, login, editor, draft):
    claim = draft
    login(editor)
    open_claim(page, live_server, claim)
    panel = page.locator("#claim-panel")
    panel.get_by_label("Claimant").fill("Gen. James Marks")

    panel.get_by_role("button", name="Submit for review").click()

    # Nothing was sent, nothing the editor typed was thrown away.
    expect(panel.locator(".unsaved-note")).to_contain_text("unsaved changes")
    expect(panel.get_by_label("Claimant")).to_have_value("Gen. James Marks")
    claim.refresh_from_db()
    assert claim.status == "draft"

    panel.get_by_role("button", name="Save", exact=True).click()
    expect(panel.get_by_text("Saved.")).to_be_visible()
    panel.get_by_role("button", name="Submit for review").click()
    expect(panel.locator(".workflow-done")).to_have_text("Submit for review: done.")
    claim.refresh_from_db()
    assert (claim.status, claim.claimant) == ("in_review", "Gen. James Marks")
