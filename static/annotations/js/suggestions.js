/* Suggested claims in the workspace (issue 14): the keyboard, and the link between a
 * suggestion's words in the text and its entry in the "Suggested claims" list.
 *
 * - The list holds one roving pair of tab stops, the current entry's "Check this claim" and
 *   "Dismiss": ↓/↑ (Home/End) move to the next/previous (first/last) entry, on the same
 *   button. Entries under "Show all N" join once it is open. Each entry a tab stop would put
 *   a dozen buttons between the claims list and the text.
 * - In the text a suggestion is a dashed underline (mark.sg), not a tab stop, for the same
 *   reason: a click on it, or Enter with the caret in it (or in its sentence), goes to its
 *   entry, opening "Show all" if needed. The caret's sentence announcement (keys.js) says
 *   when the sentence holds a suggestion.
 * - Focus on an entry (or the pointer over it) outlines its words in the text, scrolled into
 *   view when the focus came from the keyboard.
 * - "Check this claim" replaces the claim panel: with unsaved edits there, ask first.
 * Like keys.js, it keeps no state the server renders: every handler looks elements up again.
 */
(function () {
  "use strict";

  var current = null; // the entry holding the roving tab stop (a suggestion id)

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("#suggestion-list [data-suggestion-item]"));
  }

  /** The entries a keyboard user can reach now: those under a closed "Show all" are not. */
  function reachable() {
    return items().filter(function (li) {
      var more = li.closest("details");
      return !more || more.open;
    });
  }

  function itemOf(id) { return document.getElementById("suggestion-" + id); }

  function button(li, kind) {
    return li && li.querySelector(kind === "dismiss" ? "[data-suggestion-dismiss]" : "[data-suggestion-accept]");
  }

  /** Make exactly one entry's buttons tabbable: `want`, else the last one visited, else the
   * first. */
  function applyRoving(want) {
    var all = items();
    if (!all.length) { current = null; return; }
    var open = reachable();
    var stop = null;
    [want, current].forEach(function (id) {
      if (!stop && id) stop = open.find(function (li) { return li.dataset.suggestionItem === String(id); }) || null;
    });
    stop = stop || open[0];
    all.forEach(function (li) {
      li.querySelectorAll("button").forEach(function (b) { b.tabIndex = li === stop ? 0 : -1; });
    });
    current = stop.dataset.suggestionItem;
  }

  /** Outline a suggestion's words in the text (none: clear). */
  function outline(id, scroll) {
    document.querySelectorAll("mark.sg-current").forEach(function (m) { m.classList.remove("sg-current"); });
    if (!id) return;
    var marks = document.querySelectorAll('#article-text mark[data-suggestion="' + id + '"]');
    marks.forEach(function (m) { m.classList.add("sg-current"); });
    if (scroll && marks.length) marks[0].scrollIntoView({ block: "nearest" });
  }

  /** Go to a suggestion's entry: open "Show all" if it is there, focus "Check this claim". */
  function goTo(id) {
    var li = itemOf(id);
    if (!li) return false;
    var more = li.closest("details");
    if (more && !more.open) more.open = true;
    applyRoving(id);
    var accept = button(li, "accept");
    accept.focus();
    accept.scrollIntoView({ block: "nearest" });
    return document.activeElement === accept;
  }

  /** UTF-16 offset of the start of `el` inside paragraph `p` (as keys.js counts). */
  function offsetInParagraph(p, el) {
    var range = document.createRange();
    range.setStart(p, 0);
    range.setEnd(el, 0);
    return range.toString().length;
  }

  /** The suggestion in paragraph `p` whose words meet [start, end) (UTF-16 offsets in p):
   * {id, reason}, or null. */
  function inSpan(p, start, end) {
    var marks = p.querySelectorAll("mark[data-suggestion]");
    for (var i = 0; i < marks.length; i++) {
      var at = offsetInParagraph(p, marks[i]);
      if (at < end && at + marks[i].textContent.length > start) {
        return { id: marks[i].dataset.suggestion, reason: marks[i].dataset.reason };
      }
    }
    return null;
  }

  /** The suggestion at the caret (a collapsed selection in the article text): the one the
   * caret is in, else one in the caret's sentence; or null. */
  function atCaret() {
    var root = document.getElementById("article-text");
    var sel = window.getSelection();
    if (!root || !sel.rangeCount || !sel.isCollapsed || !root.contains(sel.focusNode)) return null;
    var el = sel.focusNode.nodeType === 1 ? sel.focusNode : sel.focusNode.parentElement;
    var mark = el && el.closest("mark[data-suggestion]");
    if (mark) return mark.dataset.suggestion;
    var p = el && el.closest("p[data-start]");
    if (!p || !window.factcheckKeys) return null;
    var range = document.createRange();
    range.setStart(p, 0);
    range.setEnd(sel.focusNode, sel.focusOffset);
    var span = window.factcheckKeys.sentenceAround(p.textContent, range.toString().length);
    var found = inSpan(p, span[0], span[1]);
    return found && found.id;
  }

  function onListKeydown(event, btn) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
    var open = reachable();
    var at = open.indexOf(btn.closest("[data-suggestion-item]"));
    var next = null;
    if (event.key === "ArrowDown") next = open[Math.min(open.length - 1, at + 1)];
    else if (event.key === "ArrowUp") next = open[Math.max(0, at - 1)];
    else if (event.key === "Home") next = open[0];
    else if (event.key === "End") next = open[open.length - 1];
    if (!next) return;
    event.preventDefault();
    var target = button(next, btn.hasAttribute("data-suggestion-dismiss") ? "dismiss" : "accept");
    applyRoving(next.dataset.suggestionItem);
    target.focus();
    target.scrollIntoView({ block: "nearest" });
  }

  // --- Wiring ------------------------------------------------------------------------------------

  document.addEventListener("keydown", function (event) {
    var btn = event.target.closest && event.target.closest("#suggestion-list [data-suggestion-item] button");
    if (btn) onListKeydown(event, btn);
  });

  document.addEventListener("focusin", function (event) {
    var li = event.target.closest && event.target.closest("#suggestion-list [data-suggestion-item]");
    if (li) {
      applyRoving(li.dataset.suggestionItem);
      // Scroll the words into view for the keyboard only: a press of the mouse focuses the
      // button too, and scrolling then would move the button from under the release.
      outline(li.dataset.suggestionItem, event.target.matches(":focus-visible"));
    }
  });

  document.addEventListener("focusout", function (event) {
    var list = document.getElementById("suggestion-list");
    if (list && list.contains(event.target) && !list.contains(event.relatedTarget)) outline(null);
  });

  document.addEventListener("mouseover", function (event) {
    var li = event.target.closest && event.target.closest("#suggestion-list [data-suggestion-item]");
    var list = document.getElementById("suggestion-list");
    if (li) outline(li.dataset.suggestionItem, false);
    else if (list && !list.contains(document.activeElement)) outline(null);
  });

  // "Show all N" opened: its entries join the roving stops.
  document.addEventListener("toggle", function (event) {
    if (event.target.matches && event.target.matches("#suggestion-list details")) applyRoving();
  }, true);

  // A click on a suggestion's words (not the end of a selection) goes to its entry.
  document.addEventListener("click", function (event) {
    var mark = event.target.closest && event.target.closest("#article-text mark[data-suggestion]");
    var sel = window.getSelection();
    if (mark && (!sel.rangeCount || sel.isCollapsed)) goTo(mark.dataset.suggestion);
  });

  // "Check this claim" replaces the panel: never drop unsaved edits silently.
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || !elt.querySelector || !elt.querySelector("[data-suggestion-accept]")) return;
    var ws = window.factcheckWorkspace;
    if (ws && ws.panelDirty && ws.panelDirty() &&
        !window.confirm("Make this suggestion a claim and discard your unsaved changes to the open claim?")) {
      event.preventDefault();
    }
  });

  // The list and the text are swapped at any time (out of band too): roving again.
  document.addEventListener("htmx:afterSettle", function () { applyRoving(); });

  applyRoving();

  window.factcheckSuggestions = { goTo: goTo, atCaret: atCaret, inSpan: inSpan };
})();
