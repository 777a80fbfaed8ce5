"""How many actions one claim costs (issue 10, "Done means"): from opening the demo article to
a claim with a claimant, a verdict and a source, submitted for review.

Each test walks the flow as an editor would and counts what the editor does, not what the
test does:
- mouse: every click, every drag, and every scroll the next target needed (a target counts
  as needing a scroll when its centre is off screen or hidden by a scrolled container —
  checked with the browser's hit-testing before the click). A native <select> costs two
  clicks (open, pick).
- keyboard: every key press except the characters typed into a field.
The goals are at most 8 mouse actions and at most 30 key presses.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from annotations.models import Claim
from tests.browser.selection import drag_select, wait_for_htmx_idle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Paragraph 3 of the demo article (index 2), on the first screen at 1280 x 720.
SENTENCE = (
    "The 24-year-old soldier was seen speeding toward the military demarcation line between "
    "the two Koreas, looking to make a desperate dash across the border."
)
CLAIMANT = "CNN"
SOURCE_URL = "https://www.unc.un.org/"

#: True when a real pointer at the element's centre would hit it without scrolling anything.
HITTABLE_JS = """(el) => {
  const r = el.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  if (r.width === 0 || x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return false;
  const hit = document.elementFromPoint(x, y);
  return !!hit && (hit === el || el.contains(hit));
}"""

#: True when the whole quote is on screen.
QUOTE_ON_SCREEN_JS = """(quote) => {
  const root = document.getElementById("article-text");
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let all = "";
  while (walker.nextNode()) {
    nodes.push([walker.currentNode, all.length]);
    all += walker.currentNode.data;
  }
  const at = all.indexOf(quote);
  const locate = (i) => {
    for (let k = nodes.length - 1; k >= 0; k--) {
      if (nodes[k][1] <= i) return [nodes[k][0], i - nodes[k][1]];
    }
  };
  const [n1, o1] = locate(at), [n2, o2] = locate(at + quote.length - 1);
  const range = document.createRange();
  range.setStart(n1, o1); range.setEnd(n2, o2 + 1);
  const r = range.getBoundingClientRect();
  return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth;
}"""


class Mouse:
    """A mouse user's actions, counted."""

    def __init__(self, page: Page):
        self.page = page
        self.clicks = 0
        self.drags = 0
        self.scrolls = 0
        self.log: list[str] = []

    @property
    def actions(self) -> int:
        return self.clicks + self.drags + self.scrolls

    def _reach(self, target: Locator, what: str) -> None:
        wait_for_htmx_idle(self.page)
        expect(target).to_be_visible()
        if not target.evaluate(HITTABLE_JS):
            self.scrolls += 1
            self.log.append(f"scroll to {what}")
            target.scroll_into_view_if_needed()

    def click(self, target: Locator, what: str) -> None:
        self._reach(target, what)
        box = target.bounding_box()
        self.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        self.clicks += 1
        self.log.append(f"click {what}")

    def choose(self, select: Locator, value: str, what: str) -> None:
        """A native select: one click opens it, one picks the option."""
        self._reach(select, what)
        select.select_option(value)
        self.clicks += 2
        self.log.append(f"choose {what} (2 clicks)")

    def drag(self, quote: str) -> None:
        wait_for_htmx_idle(self.page)
        on_screen = self.page.evaluate(QUOTE_ON_SCREEN_JS, quote)
        if not on_screen:
            self.scrolls += 1
            self.log.append("scroll to the quote")
        drag_select(self.page, quote, scroll=not on_screen)
        self.drags += 1
        self.log.append("drag over the quote")


class Keyboard:
    """A keyboard user's key presses, counted; typing a field's text is not counted."""

    def __init__(self, page: Page):
        self.page = page
        self.presses = 0
        self.log: list[str] = []

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            wait_for_htmx_idle(self.page)
            self.page.keyboard.press(key)
            self.presses += 1
        self.log.append(f"{key} x{times}")

    def tab_to(self, selector: str, limit: int = 40) -> None:
        """Tab until `selector` has the focus, counting each press."""
        for _ in range(limit):
            if self.page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
            self.press("Tab")
        raise AssertionError(f"Tab never reached {selector}: {self.log}")

    def type(self, text: str) -> None:
        wait_for_htmx_idle(self.page)
        self.page.keyboard.type(text)
        self.log.append(f"type {text!r}")


def open_demo_article(page: Page, live_server, article) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{live_server.url}/articles/{article.id}/")
    expect(page.locator("html[data-workspace-ready]")).to_have_count(1)


def assert_claim_done(article) -> Claim:
    claim = Claim.objects.get(article=article)
    assert claim.exact == SENTENCE
    assert claim.claimant == CLAIMANT
    assert claim.verdict is not None and claim.verdict.slug == "true"
    assert list(claim.claim_sources.values_list("source__url", flat=True)) == [SOURCE_URL]
    assert claim.status == "in_review"
    return claim


#: The goal (issue 10): at most 8 mouse actions. The flow: 1 drag, 2 clicks for the verdict,
#: "Add claim", "Add a source" (which focuses the web address), the stance (one radio),
#: "Add source", "Save and submit" (in the claim form's actions row, on screen with the
#: source form): 8, no scroll.
MOUSE_ACTIONS_GOAL = 8
#: The keyboard flow's presses with today's panel (the goal is at most 30).
KEY_PRESSES_LIMIT = 30


def test_one_checked_claim_with_the_mouse_takes_at_most_8_actions_and_no_scroll(
    page, live_server, login, editor, demo_article
):
    login(editor)
    open_demo_article(page, live_server, demo_article)
    mouse = Mouse(page)
    mouse.drag(SENTENCE)
    popover = page.locator("#add-claim")
    expect(popover).to_be_visible()
    mouse.choose(popover.get_by_label("Verdict"), "true", "the verdict")
    mouse.click(popover.get_by_role("button", name="Add claim"), "Add claim")
    panel = page.locator("#claim-panel")
    claimant = panel.get_by_label("Claimant")
    expect(claimant).to_be_focused()  # typed without a click
    page.keyboard.type(CLAIMANT)
    mouse.click(panel.get_by_text("Add a source"), "Add a source")
    url = panel.locator("#source-new-url")
    # "Add a source" focuses the web address on the details' "toggle" event, a task after
    # the click: wait for it (a failure here is the feature missing, not one more click).
    expect(url).to_be_focused()
    page.keyboard.type(SOURCE_URL)
    # The stance has no default: one click on its radio (a select would take two).
    mouse.click(panel.locator("#source-new-stance").get_by_label("Supports"), "the stance")
    expect(panel.locator("#source-new-stance-supports")).to_be_checked()
    mouse.click(panel.get_by_role("button", name="Add source"), "Add source")
    expect(panel.locator("#claim-sources")).to_contain_text(SOURCE_URL)
    # The claimant typed before adding the source is still in the form, unsaved.
    expect(claimant).to_have_value(CLAIMANT)
    mouse.click(panel.get_by_role("button", name="Save and submit"), "Save and submit")
    expect(panel.get_by_test_id("workflow-status")).to_have_text("In review")

    assert_claim_done(demo_article)
    assert mouse.actions <= MOUSE_ACTIONS_GOAL, mouse.log
    assert mouse.scrolls == 0, mouse.log


def test_one_checked_claim_by_keyboard_alone_takes_at_most_30_key_presses(
    page, live_server, login, editor, demo_article
):
    login(editor)
    open_demo_article(page, live_server, demo_article)
    keys = Keyboard(page)
    keys.press("Tab")  # the skip link
    keys.press("Enter")
    expect(page.locator("#article-text")).to_be_focused()
    keys.press("Control+ArrowDown", 2)  # paragraph 3
    keys.press("Control+Shift+ArrowDown")  # select it
    keys.press("Enter")  # "Add claim": the verdict has the focus
    expect(page.locator("#add-claim-verdict")).to_be_focused()
    keys.press("ArrowDown")  # True
    keys.press("Tab")
    keys.press("Enter")  # Add claim
    claimant = page.locator("#claim-claimant")
    expect(claimant).to_be_focused()
    keys.type(CLAIMANT)
    keys.press("Enter")  # saves the claim form
    expect(page.locator("#claim-panel .panel-notice", has_text="Saved.")).to_be_visible()
    keys.tab_to("#claim-sources summary")
    keys.press("Enter")  # opens "Add a source", which focuses its first field
    # The focus moves on the details' "toggle" event, which the browser fires a task later:
    # wait for it rather than count a Tab that races it.
    expect(page.locator("#source-new-url")).to_be_focused()
    keys.type(SOURCE_URL)
    keys.press("Tab")  # the stance's first radio, next after the web address
    expect(page.locator("#source-new-stance-supports")).to_be_focused()
    keys.press("Space")  # Supports
    keys.press("Enter")  # adds the source
    expect(page.locator("#claim-sources")).to_contain_text(SOURCE_URL)
    keys.tab_to("#claim-workflow button.primary")
    keys.press("Enter")  # Submit for review
    expect(page.get_by_test_id("workflow-status")).to_have_text("In review")

    assert_claim_done(demo_article)
    assert keys.presses <= KEY_PRESSES_LIMIT, (keys.presses, keys.log)
