"""The review queue's tools in real Chromium (issue 16): search, the bulk bar by mouse and
by keyboard, a result per claim, the queue refreshed, and no axe-core violations."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotations.services.workflow import claim_submit
from tests.browser.test_accessibility import axe_violations
from tests.factories import make_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_select_two_approve_see_results_then_select_all_by_keyboard(
    page, live_server, login, demo_article, editor, reviewer
):
    first, second, third = (
        claim_submit(claim=make_claim(demo_article, editor), user=editor) for _ in range(3)
    )
    own = claim_submit(claim=make_claim(demo_article, reviewer), user=reviewer)
    login(reviewer)
    page.goto(f"{live_server.url}/review/")
    bar = page.locator("#bulk-review")
    expect(bar.get_by_role("heading", name="Decide on several claims")).to_be_visible()
    expect(page.get_by_label("Select all on this page")).to_be_visible()  # shown by the script
    assert axe_violations(page) == []

    # Tick two claims by their labels; the count follows.
    page.locator(f"#review-item-{first.pk}").get_by_label("Select", exact=False).check()
    page.locator(f"#review-item-{second.pk}").get_by_label("Select", exact=False).check()
    expect(bar.locator("[data-bulk-count]")).to_have_text("2 claims selected")
    bar.get_by_role("button", name="Approve selected").click()

    results = page.locator("#bulk-results")
    expect(results.get_by_role("heading")).to_have_text("Approve: 2 done, 0 refused")
    expect(results.locator("li.bulk-done")).to_have_count(2)
    expect(results).to_contain_text("now approved")
    # The queue reloads: the two approved claims leave it, the counts follow.
    expect(page.locator(".review-list article")).to_have_count(2)
    expect(page.locator(f"#review-item-{first.pk}")).to_have_count(0)
    expect(page.locator("#review-counts")).to_contain_text("2 Approved")
    expect(results.get_by_role("heading")).to_be_focused()
    assert axe_violations(page) == []

    # By keyboard: back from the comment, Shift+Tab reaches "Select all on this page";
    # Space ticks every claim on the page, and Enter on "Approve selected" decides.
    page.locator("#bulk-comment").focus()
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#bulk-all")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator("[data-bulk-pick]:checked")).to_have_count(2)
    expect(bar.locator("[data-bulk-count]")).to_have_text("2 claims selected")
    bar.get_by_role("button", name="Approve selected").focus()
    page.keyboard.press("Enter")

    expect(results.get_by_role("heading")).to_have_text("Approve: 1 done, 1 refused")
    refused = results.locator("li.bulk-refused")
    expect(refused).to_contain_text("refused: You created this claim")
    expect(refused).to_contain_text("four eyes")
    expect(page.locator(f"#review-item-{own.pk}")).to_be_visible()  # still waiting
    expect(page.locator(f"#review-item-{third.pk}")).to_have_count(0)
    assert axe_violations(page) == []


def test_reject_without_a_comment_is_refused_in_place_and_nothing_changes(
    page, live_server, login, demo_article, editor, reviewer
):
    claim = claim_submit(claim=make_claim(demo_article, editor), user=editor)
    login(reviewer)
    page.goto(f"{live_server.url}/review/")
    page.get_by_label("Select all on this page").check()
    page.get_by_role("button", name="Reject selected").click()
    alert = page.locator("#bulk-results").get_by_role("alert")
    expect(alert).to_have_text("Reject needs a comment saying why; nothing was done.")
    expect(page.locator(f"#review-item-{claim.pk}")).to_be_visible()
    assert axe_violations(page) == []


def test_the_search_box_finds_a_typo_and_keeps_the_other_filters(
    page, live_server, login, demo_article, editor, reviewer
):
    claim = claim_submit(claim=make_claim(demo_article, editor), user=editor)
    login(reviewer)
    page.goto(f"{live_server.url}/review/?editor=ed")
    page.get_by_label("Search claims").fill("Pentagn")  # the explanation says "Pentagon's"
    page.get_by_label("Search claims").press("Enter")
    expect(page).to_have_url(re.compile(r"\?.*q=Pentagn&status=in_review&editor=ed&"))
    expect(page.locator(f"#review-item-{claim.pk}")).to_be_visible()
    expect(page.get_by_label("Search claims")).to_have_value("Pentagn")
    page.get_by_label("Search claims").fill("Pentagon -hospital")  # leaves out what says "hospital"
    page.get_by_label("Search claims").press("Enter")
    expect(page.locator("p.empty")).to_have_text("No claims match these filters.")
