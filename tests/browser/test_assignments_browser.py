"""Assignment and notifications in real Chromium (issue 16): an editor assigns a reviewer in
the claim panel with the keyboard-usable form; the reviewer's bell says 1; "My work" and
the notifications page (with data and empty) have no axe violations; Tab reaches the bell.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.models import Assignment
from tests.browser.test_accessibility import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_assign_a_reviewer_in_the_panel_and_their_bell_shows_one(
    page, live_server, login, editor, reviewer, draft, new_context
):
    login(editor)
    page.goto(f"{live_server.url}/articles/{draft.article_id}/?claim={draft.pk}")
    section = page.locator(f"#assignments-claim-{draft.pk}")
    expect(section.get_by_text("Nobody is assigned to this claim.")).to_be_visible()
    section.get_by_label("Person").select_option(label="rev (reviewer)")
    section.get_by_label("Role").select_option("reviewer")
    section.get_by_role("button", name="Assign").press("Enter")
    expect(section.locator('[data-testid="assignment"]')).to_contain_text("rev")
    assert Assignment.objects.get().person == reviewer
    assert axe_violations(page) == []
    # The claim's history says who assigned whom (the panel refreshes on a step; reopen it).
    page.goto(f"{live_server.url}/articles/{draft.article_id}/?claim={draft.pk}")
    expect(page.locator("#claim-history")).to_contain_text("Assigned rev as reviewer")

    other = new_context()
    login(reviewer, other)
    theirs = other.new_page()
    theirs.goto(f"{live_server.url}/my-work/")
    bell = theirs.get_by_test_id("bell")
    expect(bell).to_have_attribute("aria-label", "Notifications, 1 unread")
    expect(theirs.get_by_test_id("my-work-claim")).to_have_count(1)
    assert axe_violations(theirs) == []
    bell.click()
    expect(theirs.get_by_test_id("notification")).to_have_count(1)
    assert axe_violations(theirs) == []
    theirs.get_by_role("button", name="Mark read").click()
    expect(bell).to_have_attribute("aria-label", "Notifications, 0 unread")
    expect(theirs.get_by_role("heading", name="All read")).to_be_visible()
    assert axe_violations(theirs) == []


def test_empty_pages_have_no_axe_violations_and_tab_reaches_the_bell(
    page, live_server, login, editor
):
    login(editor)
    for path, empty in [("/my-work/", "my-work-empty"), ("/notifications/", "notifications-empty")]:
        page.goto(live_server.url + path)
        expect(page.get_by_test_id(empty)).to_be_visible()
        assert axe_violations(page) == []
    page.goto(live_server.url + "/")
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "bell":
            break
    else:
        raise AssertionError("Tab never reached the bell")
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/notifications/")
