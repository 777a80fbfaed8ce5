"""Selecting words of the article with the mouse, as an editor does, for the browser tests.

The drag starts where the first character of the quote is on screen and ends where the last
one is. Screen positions only mean something once the page has stopped moving: an htmx swap
that lands between measuring and pressing the button (a panel, the orphaned-claims section,
the article text itself) shifts the words, and the drag then starts a few characters off.
So the helper waits until no htmx request is in flight and two measurements a frame apart
agree, and it checks with the browser's own hit-testing (`caretRangeFromPoint`) that the two
points land exactly on the quote's first and last boundaries before it touches the mouse.
(Right-to-left runs are exempt from that check: at a bidi boundary the hit-test may answer
either side of the run while the drag still selects the quote, which the tests check.)
"""

from __future__ import annotations

from playwright.sync_api import Page

#: Elements htmx marks while a request is in flight or a swap is settling.
HTMX_BUSY = ".htmx-request, .htmx-settling, .htmx-swapping"

MEASURE_JS = """async ({quote, busy, scroll}) => {
  const root = document.getElementById("article-text");
  const frame = () =>
    new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const textOffset = (node, offset) => {
    const range = document.createRange();
    range.setStart(root, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  };
  const measure = () => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const nodes = [];
    let all = "";
    while (walker.nextNode()) {
      nodes.push([walker.currentNode, all.length]);
      all += walker.currentNode.data;
    }
    const at = all.indexOf(quote);
    if (at < 0) return null;
    const locate = (i) => {
      for (let k = nodes.length - 1; k >= 0; k--) {
        if (nodes[k][1] <= i) return [nodes[k][0], i - nodes[k][1]];
      }
    };
    const rectOf = (i) => {
      const [node, offset] = locate(i);
      const range = document.createRange();
      range.setStart(node, offset);
      range.setEnd(node, offset + 1);
      return range.getBoundingClientRect();
    };
    const first = rectOf(at), last = rectOf(at + quote.length - 1);
    const rtl = last.left < first.left && Math.abs(last.top - first.top) < 2;
    const y1 = first.top + first.height / 2, y2 = last.top + last.height / 2;
    const box = rtl
      ? {x1: first.right - 1, y1, x2: last.left + 1, y2}
      : {x1: first.left + 1, y1, x2: last.right - 1, y2};
    return {...box, rtl, at, end: at + quote.length, node: locate(at)[0]};
  };
  const lands = (x, y, want) => {
    const caret = document.caretRangeFromPoint(x, y);
    return !!caret && root.contains(caret.startContainer)
      && textOffset(caret.startContainer, caret.startOffset) === want;
  };
  let box = null;
  for (let attempt = 0; attempt < 100; attempt++) {
    await frame();
    if (document.querySelector(busy)) continue;
    const before = measure();
    if (!before) continue;
    if (scroll) before.node.parentElement.scrollIntoView({block: "center"});
    await frame();
    box = measure();
    const still = box && ["x1", "y1", "x2", "y2"].every((k) => box[k] === measure()[k]);
    const exact =
      box && (box.rtl || (lands(box.x1, box.y1, box.at) && lands(box.x2, box.y2, box.end)));
    if (still && exact) {
      return {x1: box.x1, y1: box.y1, x2: box.x2, y2: box.y2};
    }
  }
  throw new Error("the quote never settled on screen: " + JSON.stringify(box && {
    at: box.at, end: box.end, x1: box.x1, y1: box.y1, x2: box.x2, y2: box.y2}));
}"""


def drag_select(page: Page, quote: str, *, scroll: bool = True) -> None:
    """Drag the mouse over `quote` in the article text, from its first character to its last.

    `scroll=False` drags where the quote is now, for tests that count an editor's scrolls."""
    box = page.evaluate(MEASURE_JS, {"quote": quote, "busy": HTMX_BUSY, "scroll": scroll})
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, box["y2"], steps=4)
    page.mouse.move(box["x2"], box["y2"], steps=4)
    page.mouse.up()


def wait_for_htmx_idle(page: Page) -> None:
    """Wait until no htmx request is in flight and no swap is still settling."""
    page.wait_for_function("(busy) => !document.querySelector(busy)", arg=HTMX_BUSY)
