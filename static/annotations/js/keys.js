/* Keyboard in the workspace: one tab stop for the claims list, a drawn caret in the article
 * text, paragraph moves, and the current sentence read out.
 *
 * Why a separate module: workspace.js owns selections, the popover and the panel; this file
 * only makes the keyboard path short and visible. It keeps no state the server renders
 * (the list and the text are swapped by htmx at any time), so every handler looks the
 * elements up again.
 *
 * - Claims list (roving tab stop): Tab enters the list once, on the open claim or the last
 *   one visited; ↑/↓ (and j/k, in workspace.js), Home/End move within it. A newsroom article
 *   collects dozens of claims; each one a tab stop put them all between the editor and the
 *   text.
 * - Article text: the region is focusable but not editable, so the browser draws no caret
 *   for the selection the arrow keys move; we draw one (#text-caret, aria-hidden). Ctrl + ↓/↑
 *   go to the start of the next/previous paragraph; with Shift they select to the paragraph's
 *   end/start. When the caret enters another sentence, the polite live region
 *   #text-caret-live says which one, so a screen-reader user hears where they are, and
 *   whether it holds a suggested claim (Enter goes to it: suggestions.js).
 */
(function () {
  "use strict";

  function textRoot() { return document.getElementById("article-text"); }

  // --- Claims list: one roving tab stop ----------------------------------------------------------

  var rovingId = null;

  function listLinks() {
    return Array.prototype.slice.call(document.querySelectorAll("#claim-list [data-claim-link]"));
  }

  /** Make exactly one claim link tabbable: `want`, else the last one visited, else the open
   * claim's, else the first. */
  function applyRoving(want) {
    var links = listLinks();
    if (!links.length) return;
    var panel = document.getElementById("claim-panel");
    var candidates = [want, rovingId, panel && panel.dataset.claim];
    var stop = null;
    for (var i = 0; i < candidates.length && !stop; i++) {
      var id = candidates[i];
      if (id) stop = links.find(function (l) { return l.dataset.claimLink === String(id); }) || null;
    }
    stop = stop || links[0];
    links.forEach(function (l) { l.tabIndex = l === stop ? 0 : -1; });
    rovingId = stop.dataset.claimLink;
  }

  function onListKeydown(event, link) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
    var links = listLinks();
    var at = links.indexOf(link);
    var next = null;
    if (event.key === "ArrowDown") next = links[Math.min(links.length - 1, at + 1)];
    else if (event.key === "ArrowUp") next = links[Math.max(0, at - 1)];
    else if (event.key === "Home") next = links[0];
    else if (event.key === "End") next = links[links.length - 1];
    if (!next) return;
    event.preventDefault();
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }

  // --- The caret ---------------------------------------------------------------------------------

  function caretEl() { return document.getElementById("text-caret"); }

  function hideCaret() {
    var caret = caretEl();
    if (caret) caret.hidden = true;
  }

  /** A text node and offset for a DOM position (a position between elements is moved into the
   * text next to it), so a one-character range around it has a box. */
  function toTextPosition(node, offset) {
    if (node.nodeType === 3) return [node, offset];
    var walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    var child = node.childNodes[offset];
    var text = null;
    while (walker.nextNode()) {
      if (!child || (child.compareDocumentPosition(walker.currentNode) & (Node.DOCUMENT_POSITION_FOLLOWING | Node.DOCUMENT_POSITION_CONTAINED_BY))) {
        text = walker.currentNode;
        break;
      }
    }
    if (text) return [text, 0];
    walker.currentNode = node;
    var last = null;
    while (walker.nextNode()) last = walker.currentNode;
    return last ? [last, last.data.length] : null;
  }

  /** The caret's box in viewport coordinates: the left edge of the next character, else the
   * right edge of the previous one. */
  function caretBox(node, offset) {
    var pos = toTextPosition(node, offset);
    if (!pos) return null;
    var text = pos[0], at = pos[1];
    var range = document.createRange();
    if (at < text.data.length && text.data[at] !== "\n") {
      range.setStart(text, at);
      range.setEnd(text, at + 1);
      var rects = range.getClientRects();
      if (rects.length) return { left: rects[0].left, top: rects[0].top, height: rects[0].height };
    }
    if (at > 0) {
      range.setStart(text, at - 1);
      range.setEnd(text, at);
      var before = range.getClientRects();
      if (before.length) {
        var r = before[before.length - 1];
        return { left: r.right, top: r.top, height: r.height };
      }
    }
    return null;
  }

  /** Draw the caret where the selection's focus is, while the article text has the focus. */
  function drawCaret() {
    var root = textRoot();
    var caret = caretEl();
    if (!root || !caret) return;
    var sel = window.getSelection();
    if (!root.contains(document.activeElement) || !sel.rangeCount || !root.contains(sel.focusNode)) { hideCaret(); return; }
    var box = caretBox(sel.focusNode, sel.focusOffset);
    if (!box) { hideCaret(); return; }
    caret.hidden = false;
    caret.style.left = box.left + window.scrollX + "px";
    caret.style.top = box.top + window.scrollY + "px";
    caret.style.height = box.height + "px";
    // Restart the blink so the caret is visible right after each move.
    caret.classList.remove("blink");
    void caret.offsetWidth;
    caret.classList.add("blink");
  }

  // --- Paragraphs and sentences ----------------------------------------------------------------

  function paragraphs() {
    var root = textRoot();
    return root ? Array.prototype.slice.call(root.querySelectorAll("p[data-start]")) : [];
  }

  function paragraphOf(node) {
    var el = node.nodeType === 1 ? node : node.parentElement;
    if (el && el.matches && el.matches("#article-text")) {
      return null;
    }
    return el && el.closest("p[data-start]");
  }

  /** Offset (UTF-16 units) of a DOM position inside paragraph `p`. */
  function offsetIn(p, node, offset) {
    var range = document.createRange();
    range.setStart(p, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  /** The DOM position `at` UTF-16 units into paragraph `p`. */
  function positionIn(p, at) {
    var walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    var last = null;
    while (walker.nextNode()) {
      var n = walker.currentNode;
      if (at <= n.data.length) return [n, at];
      at -= n.data.length;
      last = n;
    }
    return last ? [last, last.data.length] : [p, 0];
  }

  function paragraphStart(p) { return positionIn(p, 0); }
  function paragraphEnd(p) { return positionIn(p, p.textContent.length); }

  /** Ctrl + ↓/↑: the next paragraph's start / this paragraph's start (or the previous one's,
   * when already there). With Shift: select to this paragraph's end / start, then the next
   * one's. */
  function moveByParagraph(forward, extend) {
    var sel = window.getSelection();
    var paras = paragraphs().filter(function (p) { return p.textContent.length > 0; });
    if (!paras.length) return;
    var p = sel.rangeCount ? paragraphOf(sel.focusNode) : null;
    var i = paras.indexOf(p);
    var target;
    if (i === -1) {
      target = forward ? paragraphStart(paras[0]) : paragraphStart(paras[paras.length - 1]);
    } else {
      var at = offsetIn(p, sel.focusNode, sel.focusOffset);
      var len = p.textContent.length;
      if (forward) {
        if (extend) target = at < len ? paragraphEnd(p) : (paras[i + 1] ? paragraphEnd(paras[i + 1]) : paragraphEnd(p));
        else target = paras[i + 1] ? paragraphStart(paras[i + 1]) : paragraphEnd(p);
      } else {
        target = at > 0 ? paragraphStart(p) : (paras[i - 1] ? paragraphStart(paras[i - 1]) : paragraphStart(p));
      }
    }
    if (extend && sel.rangeCount) sel.extend(target[0], target[1]);
    else sel.collapse(target[0], target[1]);
    var el = target[0].nodeType === 1 ? target[0] : target[0].parentElement;
    if (el) el.scrollIntoView({ block: "nearest" });
    if (extend && window.factcheckWorkspace && window.factcheckWorkspace.selectionDone) {
      window.factcheckWorkspace.selectionDone(true);
    }
  }

  var ABBREVIATIONS = /(?:^|[\s(“"])(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Capt|Sgt|Sen|Rep|Gov|Pres|St|Jr|Sr|No|vs|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|[A-Z]|(?:[A-Za-z]\.)+[A-Za-z])\.$/;

  /** [start, end) of the sentence of `text` around `at`: a sentence ends at . ! ? or …,
   * with any closing quotes or brackets, followed by white space — except after a title or
   * an initial ("Gen. James", "Nov. 13", "U.S. list"). */
  function sentenceAround(text, at) {
    var ends = /[.!?…]+["'”’)\]]*\s+/g;
    var start = 0;
    var m;
    while ((m = ends.exec(text)) !== null) {
      var stop = m.index + m[0].length;
      var word = text.slice(Math.max(0, m.index - 12), m.index + 1);
      if (/^\./.test(m[0]) && ABBREVIATIONS.test(word)) continue;
      if (stop > at) return [start, m.index + m[0].replace(/\s+$/, "").length];
      start = stop;
    }
    return [start, text.length];
  }

  var lastSentence = null;
  var announceTimer = null;

  function announceSentence() {
    var root = textRoot();
    var live = document.getElementById("text-caret-live");
    var sel = window.getSelection();
    if (!root || !live || !root.contains(document.activeElement) || !sel.rangeCount || !sel.isCollapsed) return;
    var p = paragraphOf(sel.focusNode);
    if (!p || !root.contains(p)) return;
    var text = p.textContent;
    var span = sentenceAround(text, offsetIn(p, sel.focusNode, sel.focusOffset));
    var key = p.dataset.start + ":" + span[0];
    if (key === lastSentence) return;
    lastSentence = key;
    var number = paragraphs().indexOf(p) + 1;
    window.clearTimeout(announceTimer);
    // Wait for the keys to settle: a run of Ctrl + ↓ announces where it stops, not every stop.
    // A suggested claim in the sentence (suggestions.js) is said too, with the key to it.
    var hints = window.factcheckSuggestions;
    var hint = hints && hints.inSpan(p, span[0], span[1]);
    var said = hint ? " Suggested claim (" + hint.reason + "): Enter goes to it." : "";
    announceTimer = window.setTimeout(function () {
      live.textContent = "Paragraph " + number + ": " + text.slice(span[0], span[1]).trim() + said;
    }, 150);
  }

  // --- Wiring ------------------------------------------------------------------------------------

  // Capture phase: Ctrl + ↓/↑ must not also reach workspace.js, which moves a line.
  document.addEventListener("keydown", function (event) {
    var root = textRoot();
    if (!root || !root.contains(event.target)) return;
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      event.stopPropagation();
      moveByParagraph(event.key === "ArrowDown", event.shiftKey);
    }
  }, true);

  document.addEventListener("keydown", function (event) {
    var link = event.target.closest && event.target.closest("#claim-list [data-claim-link]");
    if (link) onListKeydown(event, link);
  });

  document.addEventListener("focusin", function (event) {
    var link = event.target.closest && event.target.closest("#claim-list [data-claim-link]");
    if (link) applyRoving(link.dataset.claimLink);
    var root = textRoot();
    if (root && event.target === root) {
      // Keyboard focus (Tab, the skip link): put the caret at the start if it is elsewhere.
      var sel = window.getSelection();
      if (root.matches(":focus-visible") && !(sel.rangeCount && root.contains(sel.focusNode))) {
        var first = paragraphs()[0];
        if (first) { var pos = paragraphStart(first); sel.collapse(pos[0], pos[1]); }
      }
      lastSentence = null;
      drawCaret();
      announceSentence();
    } else if (root && root.contains(event.target)) {
      drawCaret(); // a highlight inside the text
    }
  });

  document.addEventListener("focusout", function (event) {
    // Moving between the text and a highlight inside it keeps the caret.
    var root = textRoot();
    if (root && root.contains(event.target) && !root.contains(event.relatedTarget)) hideCaret();
  });

  document.addEventListener("selectionchange", function () {
    drawCaret();
    announceSentence();
  });

  window.addEventListener("resize", drawCaret);

  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "claim-list") applyRoving();
    if (event.target && event.target.id === "article-text") { lastSentence = null; drawCaret(); }
  });

  applyRoving();

  window.factcheckKeys = { sentenceAround: sentenceAround };
})();
