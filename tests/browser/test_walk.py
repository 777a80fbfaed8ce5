"""Issue 10's walk, in real Chromium, with django-htmx's debug script loaded (what `make run`
serves, DEBUG=1) and without it: an editor and a reviewer, each in their own browser context,
take the demo article from a selection to a published, exported check, and then to a new
revision the check follows.

Every refusal on the way (a request for changes without a comment, an approval the claim is
not ready for) must show its message in place: the page keeps its navigation and its styles,
and nothing is written.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Claim, Review
from tests.browser.selection import drag_select, wait_for_htmx_idle
from tests.factories import make_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEBUG_SCRIPT = 'script[src$="django_htmx/django-htmx.js"][data-debug="True"]'
#: Paragraph 3 of the demo article, on the first screen.
SENTENCE = (
    "The 24-year-old soldier was seen speeding toward the military demarcation line between "
    "the two Koreas, looking to make a desperate dash across the border."
)
CLAIMANT = "CNN"
SOURCE_URL = "https://www.unc.un.org/"
EXPLANATION = "The United Nations Command's statement describes the same dash."
REQUEST = "Say why the UNC statement supports it."
#: A sentence elsewhere in the article, changed in the new revision.
OLD_WORDS = "hit at least five times"
NEW_WORDS = "hit at least six times"


@pytest.fixture(params=[True, False], ids=["debug-script", "no-debug-script"])
def debug(request, settings) -> bool:
    """DEBUG on loads django-htmx's debug error handler (it replaces the page with any
    4xx/5xx htmx answer unless the swap policy keeps it away); off is production."""
    settings.DEBUG = request.param
    return request.param


def page_is_whole(page: Page) -> None:
    """The page is still the app's page: navigation and stylesheets, not a bare fragment."""
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    assert page.evaluate("document.styleSheets.length") >= 1
    expect(page.locator("html > head > title")).to_have_count(1)


def check_debug_script(page: Page, debug: bool) -> None:
    expect(page.locator(DEBUG_SCRIPT)).to_have_count(1 if debug else 0)


def test_the_walk(
    page, new_context, live_server, login, debug, editor, reviewer, demo_article
):  # fmt: skip
    article = demo_article
    workspace = f"{live_server.url}/articles/{article.pk}/"
    # Another claim, sent for review without a source: the reviewer cannot approve it.
    bare = make_claim(article, editor, ready=False)
    from annotations.services.workflow import claim_submit

    bare = claim_submit(claim=bare, user=editor)

    # --- The editor: select, verdict, claimant, a source, Save and submit. ---------------
    login(editor)
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(workspace)
    expect(page.locator("html[data-workspace-ready]")).to_have_count(1)
    check_debug_script(page, debug)
    drag_select(page, SENTENCE)
    popover = page.locator("#add-claim")
    expect(popover).to_contain_text(SENTENCE[:40])
    popover.get_by_label("Verdict").select_option("true")
    popover.get_by_role("button", name="Add claim").click()
    panel = page.locator("#claim-panel")
    expect(panel.get_by_label("Claimant")).to_be_focused()
    page.keyboard.type(CLAIMANT)
    panel.get_by_text("Add a source").click()
    expect(panel.locator("#source-new-url")).to_be_focused()
    page.keyboard.type(SOURCE_URL)
    panel.locator("#source-new-stance").get_by_label("Supports").check()
    panel.get_by_role("button", name="Add source").click()
    expect(panel.locator("#claim-sources")).to_contain_text(SOURCE_URL)
    panel.get_by_role("button", name="Save and submit").click()
    expect(panel.get_by_test_id("workflow-status")).to_have_text("In review")
    claim = Claim.objects.get(exact=SENTENCE)
    assert (claim.status, claim.claimant, claim.verdict.slug) == ("in_review", CLAIMANT, "true")
    assert claim.explanation == ""

    # --- The reviewer, in a second context: refusals in place, then a request. ------------
    reviewer_context = new_context()
    login(reviewer, reviewer_context)
    queue = reviewer_context.new_page()
    queue.goto(f"{live_server.url}/review/")
    check_debug_script(queue, debug)
    item = queue.locator(f"#review-item-{claim.pk}")
    # Approve is disabled up front and says why (no explanation yet; the bare claim: no
    # source either).
    expect(item.get_by_role("button", name="Approve")).to_be_disabled()
    expect(item.locator(".approve-blockers")).to_contain_text("needs an explanation")
    bare_item = queue.locator(f"#review-item-{bare.pk}")
    expect(bare_item.get_by_role("button", name="Approve")).to_be_disabled()
    expect(bare_item.locator(".approve-blockers")).to_contain_text("at least one source")
    # A page loaded before the claim lost its readiness still posts: the server's refusal
    # (400) shows in place, under the debug script too.
    bare_item.get_by_role("button", name="Approve").evaluate("(b) => { b.disabled = false; }")
    bare_item.get_by_role("button", name="Approve").click()
    expect(bare_item.locator(".workflow-error")).to_contain_text(
        "Cannot approve yet: the claim needs a verdict, an explanation and at least one source."
    )
    page_is_whole(queue)
    assert not Review.objects.filter(claim=bare).exists()
    # Request changes without a comment: refused in place, nothing written.
    item.get_by_role("button", name="Request changes").click()
    expect(item.get_by_role("alert")).to_contain_text("needs a comment")
    page_is_whole(queue)
    expect(queue.locator(f"#review-item-{claim.pk}")).to_have_count(1)
    assert not Review.objects.filter(claim=claim).exists()
    item.get_by_label("Comment").fill(REQUEST)
    item.get_by_role("button", name="Request changes").click()
    expect(item).to_contain_text("now changes requested")

    # --- The editor fixes and resubmits. ---------------------------------------------------
    page.goto(f"{workspace}?claim={claim.pk}")
    expect(panel.get_by_test_id("review-request-comment")).to_have_text(REQUEST)
    panel.locator("#claim-explanation").fill(EXPLANATION)
    panel.get_by_role("button", name="Save and submit").click()
    expect(panel.get_by_test_id("workflow-status")).to_have_text("In review")

    # --- The reviewer approves. -----------------------------------------------------------
    queue.reload()
    item = queue.locator(f"#review-item-{claim.pk}")
    expect(item.locator(".approve-blockers")).to_have_count(0)
    item.get_by_role("button", name="Approve").click()
    expect(item).to_contain_text("now approved")
    claim.refresh_from_db()
    assert claim.status == "approved"

    # --- The public page and the exports carry the check. ----------------------------------
    public = reviewer_context.new_page()
    public.goto(f"{live_server.url}/published/{article.pk}/")
    expect(public.locator(f"#claim-{claim.pk}")).to_contain_text(SENTENCE)
    expect(public.locator(f"#claim-{claim.pk}")).to_contain_text(EXPLANATION)
    csv_answer = page.request.get(f"{live_server.url}/api/v1/export/claims.csv?status=approved")
    assert csv_answer.ok, csv_answer.status
    rows = list(csv.DictReader(io.StringIO(csv_answer.body().decode("utf-8-sig"))))
    assert [(row["claim_id"], row["quote"]) for row in rows] == [(str(claim.pk), SENTENCE)]
    assert SOURCE_URL in rows[0]["sources"] and rows[0]["verdict"] == "True", rows
    w3c = page.request.get(f"{live_server.url}/api/v1/annotations/")
    assert w3c.ok, w3c.status
    exacts = [
        selector["exact"]
        for annotation in w3c.json()["first"]["items"]
        for target in [annotation["target"]]
        for selector in target["selector"]
        if selector["type"] == "TextQuoteSelector"
    ]
    assert SENTENCE in exacts, exacts

    # --- A new revision, from the current text: the check follows. -------------------------
    page.goto(f"{live_server.url}/articles/{article.pk}/revisions/new/")
    check_debug_script(page, debug)
    expect(page.get_by_label("Start from the current text")).to_be_checked()
    text_box = page.get_by_label("The article's text")
    text_box.fill(text_box.input_value().replace(OLD_WORDS, NEW_WORDS))
    page.get_by_role("button", name="Load the new version").click()
    expect(page).to_have_url(re.compile(rf"/articles/{article.pk}/revisions/2/report/$"))
    claim.refresh_from_db()
    revision = article.revisions.get(number=2)
    assert claim.revision_id == revision.pk
    assert revision.text[claim.start : claim.end] == SENTENCE
    assert claim.status == "approved"  # its words did not change: no one had to decide
    page.goto(f"{workspace}?claim={claim.pk}")
    wait_for_htmx_idle(page)
    expect(page.locator(f"#hl-{claim.pk}")).to_have_text(SENTENCE)
    expect(page.locator("#article-text")).to_contain_text(NEW_WORDS)
    public.reload()
    expect(public.locator(f"#claim-{claim.pk}")).to_contain_text(SENTENCE)
