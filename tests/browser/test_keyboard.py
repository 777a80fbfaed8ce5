"""The workspace by keyboard (issue 10, "Keyboard"): the claims list is one tab stop, a skip
link reaches the text, the caret is drawn, Ctrl + ↓/↑ move by paragraph and the current
sentence is read out in a polite live region."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.services.claims import claim_create
from tests.browser.selection import wait_for_htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Paragraph 6 of the demo article (index 5): one sentence, with "Nov." and "U.S." inside it.
VIDEO = (
    "Video of this dramatic defection on Nov. 13 was just released by the U.S.-led United "
    "Nations Command."
)
TROOPS = "Other North Korean troops were alerted when he drove past their command post."

#: The caret's offset in the canonical text (code points = UTF-16 units in the demo text).
CARET_OFFSET_JS = """() => {
  const sel = window.getSelection();
  const p = (sel.focusNode.nodeType === 1 ? sel.focusNode : sel.focusNode.parentElement)
    .closest("p[data-start]");
  const range = document.createRange();
  range.setStart(p, 0);
  range.setEnd(sel.focusNode, sel.focusOffset);
  return Number(p.dataset.start) + range.toString().length;
}"""

#: The left edge and vertical middle of character `at` of the canonical text on screen.
CHAR_BOX_JS = """(at) => {
  const ps = [...document.querySelectorAll("#article-text p[data-start]")];
  const p = ps.filter((p) => Number(p.dataset.start) <= at).pop();
  let rest = at - Number(p.dataset.start);
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode;
    if (rest < n.data.length) {
      const range = document.createRange();
      range.setStart(n, rest);
      range.setEnd(n, rest + 1);
      const r = range.getClientRects()[0];
      return {x: r.left, y: r.top + r.height / 2};
    }
    rest -= n.data.length;
  }
}"""


def open_workspace(page, live_server, article):
    page.goto(f"{live_server.url}/articles/{article.id}/")
    expect(page.locator("#article-text")).to_be_visible()
    expect(page.locator("html[data-workspace-ready]")).to_have_count(1)


def tab_walk(page, stop: str, limit: int = 60) -> list[str]:
    """Press Tab until the focus matches `stop`; the focused elements, one string each."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate(
                """() => {
                  const e = document.activeElement;
                  if (e.dataset.claimLink) return "claim:" + e.dataset.claimLink;
                  return e.id ? "#" + e.id : e.tagName + ":" + e.textContent.trim().slice(0, 30);
                }"""
            )
        )
        if page.evaluate("(s) => document.activeElement.matches(s)", stop):
            return seen
    raise AssertionError(f"Tab never reached {stop}: {seen}")


def paragraph_start(article, index: int) -> int:
    text = article.current_revision.text
    return sum(len(p) + 2 for p in text.split("\n\n")[:index])


@pytest.fixture
def six_claims(editor, demo_article):
    text = demo_article.current_revision.text
    claims = []
    for quote in [
        "harrowing attempt at freedom",
        "24-year-old soldier",
        "drove past their command post",
        "just released",
        "estimated 40 rounds",
        "hit at least five times",
    ]:
        start = text.index(quote)
        claims.append(
            claim_create(
                article=demo_article,
                user=editor,
                selector={"exact": quote, "start": start, "end": start + len(quote)},
            )
        )
    return claims


def test_the_claims_list_is_one_tab_stop_and_arrow_keys_move_within_it(
    page, live_server, login, editor, demo_article, six_claims
):
    login(editor)
    open_workspace(page, live_server, demo_article)
    walk = tab_walk(page, "#article-text")
    in_list = [s for s in walk if s.startswith("claim:")]
    assert in_list == [f"claim:{six_claims[0].id}"], walk
    # The suggested claims (issue 14) hold one entry in the tab order too: its two buttons.
    in_suggestions = [s for s in walk if s in ("BUTTON:Check this claim", "BUTTON:Dismiss")]
    assert in_suggestions == ["BUTTON:Check this claim", "BUTTON:Dismiss"], walk
    # 17 before the suggestions list: the header gained "My work" and the bell (issue 16).
    assert len(walk) <= 19, walk

    first = page.locator(f'[data-claim-link="{six_claims[0].id}"]')
    second = page.locator(f'[data-claim-link="{six_claims[1].id}"]')
    last = page.locator(f'[data-claim-link="{six_claims[-1].id}"]')
    first.focus()
    page.keyboard.press("ArrowDown")
    expect(second).to_be_focused()
    page.keyboard.press("End")
    expect(last).to_be_focused()
    page.keyboard.press("ArrowDown")  # stays on the last one
    expect(last).to_be_focused()
    page.keyboard.press("Home")
    expect(first).to_be_focused()
    page.keyboard.press("ArrowDown")
    # The tab stop moved with the focus: leaving the list and coming back lands on it.
    page.keyboard.press("Tab")  # the suggested claims' one entry (issue 14), then the text
    expect(page.locator("#suggestion-list [data-suggestion-accept][tabindex='0']")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(second).to_be_focused()
    assert page.locator("#claim-list [data-claim-link][tabindex='0']").count() == 1

    # A list swapped by htmx (a filter) keeps exactly one tab stop.
    page.locator("#filter-status").select_option("draft")
    wait_for_htmx_idle(page)
    expect(page.locator("#claim-list [data-claim-link]")).to_have_count(6)
    assert page.locator("#claim-list [data-claim-link][tabindex='0']").count() == 1
    assert page.locator("#claim-list [data-claim-link][tabindex='-1']").count() == 5


def test_the_first_tab_stop_is_a_skip_link_to_the_text(
    page, live_server, login, editor, demo_article, six_claims
):
    login(editor)
    open_workspace(page, live_server, demo_article)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the article text")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("#article-text")).to_be_focused()
    # The caret is at the start of the text, and drawn there.
    assert page.evaluate(CARET_OFFSET_JS) == 0
    expect(page.locator("#text-caret")).to_be_visible()


def test_the_caret_is_drawn_where_the_arrow_keys_move_it(
    page, live_server, login, editor, demo_article
):
    login(editor)
    open_workspace(page, live_server, demo_article)
    caret = page.locator("#text-caret")
    expect(caret).to_be_hidden()
    page.locator("#article-text").focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    assert page.evaluate(CARET_OFFSET_JS) == 6
    expect(caret).to_be_visible()
    page.wait_for_function(  # drawn at the sixth character once selectionchange has run
        "(at) => {"
        "  const r = document.getElementById('text-caret').getBoundingClientRect();"
        f"  return Math.abs(r.left + r.width / 2 - ({CHAR_BOX_JS})(at).x) <= 2;"
        "}",
        arg=6,
    )
    box = caret.bounding_box()
    char = page.evaluate(CHAR_BOX_JS, 6)
    assert abs(box["x"] + box["width"] / 2 - char["x"]) <= 2
    assert box["y"] <= char["y"] <= box["y"] + box["height"]

    page.keyboard.press("ArrowDown")
    # The caret follows `selectionchange`, which the browser fires after the key press.
    page.wait_for_function(
        "(y) => document.getElementById('text-caret').getBoundingClientRect().top > y",
        arg=box["y"] + box["height"] / 2,
    )
    lower = caret.bounding_box()
    assert lower["y"] > box["y"] + box["height"] / 2
    offset = page.evaluate(CARET_OFFSET_JS)
    char = page.evaluate(CHAR_BOX_JS, offset)
    assert lower["y"] <= char["y"] <= lower["y"] + lower["height"]

    page.keyboard.press("Tab")  # leaving the text hides the caret
    expect(caret).to_be_hidden()


def test_ctrl_arrows_move_by_paragraph_and_select_a_whole_one(
    page, live_server, login, editor, demo_article
):
    login(editor)
    open_workspace(page, live_server, demo_article)
    page.locator("#article-text").focus()
    for _ in range(5):
        page.keyboard.press("Control+ArrowDown")
    assert page.evaluate(CARET_OFFSET_JS) == paragraph_start(demo_article, 5)
    page.keyboard.press("Control+ArrowUp")
    assert page.evaluate(CARET_OFFSET_JS) == paragraph_start(demo_article, 4)
    page.keyboard.press("Control+ArrowDown")
    page.keyboard.press("Control+Shift+ArrowDown")
    popover = page.locator("#add-claim")
    expect(popover).to_be_visible()
    expect(popover.locator("#add-claim-quote")).to_have_text(f"“{VIDEO[:77]}…”")
    assert page.locator('#add-claim input[name="exact"]').input_value() == VIDEO


def test_the_current_sentence_is_announced_politely(page, live_server, login, editor, demo_article):
    login(editor)
    open_workspace(page, live_server, demo_article)
    live = page.locator("#text-caret-live")
    expect(live).to_have_attribute("aria-live", "polite")
    page.locator("#article-text").focus()
    for _ in range(5):
        page.keyboard.press("Control+ArrowDown")
    expect(live).to_have_text(f"Paragraph 6: {VIDEO}")
    page.keyboard.press("Control+ArrowUp")
    page.keyboard.press("Control+ArrowUp")
    expect(live).to_have_text(f"Paragraph 4: {TROOPS}")
    for _ in range(len(TROOPS) + 1):  # into the paragraph's second sentence
        page.keyboard.press("ArrowRight")
    expect(live).to_have_text("Paragraph 4: They streamed out.")


def test_the_workspace_help_documents_the_keys(page, live_server, login, editor, demo_article):
    login(editor)
    open_workspace(page, live_server, demo_article)
    help_text = page.locator("#article-text-help")
    expect(help_text).to_contain_text("Ctrl + ↓/↑ to the next/previous paragraph")
    expect(page.locator("#article-text")).to_have_attribute("aria-describedby", "article-text-help")


def test_the_claims_list_keeps_one_tab_stop_after_a_claim_is_added(
    page, live_server, login, editor, demo_article, six_claims
):
    login(editor)
    open_workspace(page, live_server, demo_article)
    page.locator("#article-text").focus()
    for _ in range(5):
        page.keyboard.press("Control+ArrowDown")
    page.keyboard.press("Control+Shift+ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#add-claim-verdict")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Add claim: the list comes back out of band
    expect(page.locator("#claim-claimant")).to_be_focused()
    wait_for_htmx_idle(page)
    links = page.locator("#claim-list [data-claim-link]")
    expect(links).to_have_count(7)
    expect(page.locator("#claim-list [data-claim-link][tabindex='0']")).to_have_count(1)
    expect(page.locator("#claim-list [data-claim-link][tabindex='-1']")).to_have_count(6)
