/* The editor's workspace: selection → W3C selectors, highlights, keyboard.
 *
 * Plain JavaScript, no framework: everything else is server-rendered HTML swapped in by
 * htmx. Offsets count Unicode code points of the revision's canonical text, as the server
 * does; JavaScript strings count UTF-16 units, so every length here goes through cpLen().
 * Each paragraph carries data-start, its code-point offset; paragraphs are separated by
 * "\n\n" in the canonical text (2 code points that are not rendered).
 */
(function () {
  "use strict";

  var CONTEXT = 32; // characters of prefix/suffix, as annotations.anchoring.CONTEXT_WIDTH

  // Which htmx answers swap (4xx refusals do) is decided once, for every page, in
  // swap-policy.js (loaded by base.html).

  function $(sel, root) { return (root || document).querySelector(sel); }
  function cpLen(s) { var n = 0; for (var i = 0; i < s.length; i++) { var c = s.charCodeAt(i); if (c < 0xd800 || c > 0xdbff || i + 1 >= s.length) { n++; } else { var d = s.charCodeAt(i + 1); n++; if (d >= 0xdc00 && d <= 0xdfff) i++; } } return n; }
  function textRoot() { return document.getElementById("article-text"); }
  function paragraphs() { return Array.prototype.slice.call(textRoot().querySelectorAll("p[data-start]")); }

  var canonicalCache = null;
  function canonicalChars() {
    if (!canonicalCache) canonicalCache = Array.from(paragraphs().map(function (p) { return p.textContent; }).join("\n\n"));
    return canonicalCache;
  }

  /** Code-point offset in the canonical text of a DOM position, or null if outside it. */
  function offsetOf(node, offset) {
    var root = textRoot();
    if (!root || !root.contains(node)) return null;
    if (node === root) {
      var child = root.childNodes[offset];
      if (child && child.dataset && child.dataset.start !== undefined) return Number(child.dataset.start);
      return canonicalChars().length;
    }
    var el = node.nodeType === 1 ? node : node.parentElement;
    var p = el.closest("p[data-start]");
    if (!p || !root.contains(p)) return null;
    var range = document.createRange();
    range.setStart(p, 0);
    range.setEnd(node, offset);
    return Number(p.dataset.start) + cpLen(range.toString());
  }

  /** The current selection as {exact, prefix, suffix, start, end}, or null. */
  function currentSelector() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed || !textRoot()) return null;
    var range = sel.getRangeAt(0);
    var start = offsetOf(range.startContainer, range.startOffset);
    var end = offsetOf(range.endContainer, range.endOffset);
    if (start === null || end === null) return null;
    var chars = canonicalChars();
    while (start < end && /\s/.test(chars[start])) start++;
    while (end > start && /\s/.test(chars[end - 1])) end--;
    if (start >= end) return null;
    return {
      exact: chars.slice(start, end).join(""),
      prefix: chars.slice(Math.max(0, start - CONTEXT), start).join(""),
      suffix: chars.slice(end, end + CONTEXT).join(""),
      start: start,
      end: end,
    };
  }

  // --- The "Add claim" popover --------------------------------------------------------------

  function popover() { return document.getElementById("add-claim"); }

  /** A random key for the Idempotency of "Add claim" (crypto.randomUUID needs HTTPS). */
  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function hidePopover() {
    var form = popover();
    if (form && !form.hidden) { form.hidden = true; }
  }

  function showPopover(selector) {
    var form = popover();
    if (!form) return;
    ["exact", "prefix", "suffix", "start", "end"].forEach(function (name) {
      form.elements[name].value = selector[name];
    });
    // One key per selection: a double click or a retried post creates one claim.
    if (form.elements.idempotency_key) form.elements.idempotency_key.value = newKey();
    var quote = selector.exact.length > 80 ? selector.exact.slice(0, 77) + "…" : selector.exact;
    $("#add-claim-quote").textContent = "“" + quote + "”";
    var sel = window.getSelection();
    var rect = sel.rangeCount ? sel.getRangeAt(0).getBoundingClientRect() : null;
    form.hidden = false;
    if (rect) {
      var left = Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - form.offsetWidth - 8);
      form.style.left = Math.max(8, left) + "px";
      form.style.top = rect.bottom + window.scrollY + 6 + "px";
    }
  }

  function announce(message) {
    var live = document.getElementById("workspace-live");
    if (live) live.textContent = message;
  }

  /** Report the selection. `growing` is true while Shift + arrows are still extending it
   * (Enter or the mouse button's release finishes a selection). */
  function onSelectionDone(growing) {
    var selector = currentSelector();
    if (!selector) { hidePopover(); return null; }
    // Another module (re-anchoring) may claim the selection by cancelling the event; it acts
    // on a finished selection only, so it needs to know which kind this is.
    var detail = Object.assign({ growing: !!growing }, selector);
    var event = new CustomEvent("factcheck:selection", { detail: detail, cancelable: true });
    if (!document.dispatchEvent(event)) { hidePopover(); return selector; }
    showPopover(selector);
    announce("Selected “" + selector.exact.slice(0, 60) + "”. Press Enter to add a claim.");
    return selector;
  }

  // --- Opening claims -------------------------------------------------------------------------

  var lastOpener = null;

  function openClaim(id, opener) {
    var ws = document.getElementById("workspace");
    if (!ws || !window.htmx) return;
    var panel = document.getElementById("claim-panel");
    if (panel && panel.dataset.claim && panel.dataset.claim !== String(id) && panelDirty() &&
        !window.confirm("Open another claim and discard your unsaved changes to this one?")) return;
    lastOpener = opener || document.activeElement;
    var url = ws.dataset.panelUrl.replace(/\/0\/$/, "/" + id + "/");
    window.htmx.ajax("GET", url, { target: "#claim-panel", swap: "outerHTML" });
  }

  function innermostClaim(mark) {
    var ids = (mark.dataset.claims || "").split(" ").filter(Boolean);
    return ids.length ? ids[ids.length - 1] : null;
  }

  function panelDirty() {
    var form = document.getElementById("claim-form");
    if (!form) return false;
    // Drawn after a refused save: what the form shows was never saved.
    if (form.hasAttribute("data-unsaved")) return true;
    return Array.prototype.some.call(form.elements, function (el) {
      if (!/^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || el.type === "hidden" || el.disabled) return false;
      if (el.tagName === "SELECT") {
        // With no option marked `selected` in the HTML, the first one is the default.
        var options = Array.prototype.slice.call(el.options);
        var initial = options.findIndex(function (o) { return o.defaultSelected; });
        return el.selectedIndex !== (initial === -1 ? 0 : initial);
      }
      return el.value !== el.defaultValue;
    });
  }

  function closePanel() {
    var panel = document.getElementById("claim-panel");
    var tpl = document.getElementById("claim-panel-empty");
    if (!panel || !tpl || !panel.dataset.claim) return;
    if (panelDirty() && !window.confirm("Close this claim and discard your unsaved changes?")) return;
    var id = panel.dataset.claim;
    panel.outerHTML = tpl.innerHTML;
    markCurrent(null);
    var back = lastOpener && document.body.contains(lastOpener) ? lastOpener
      : document.querySelector('[data-claim-link="' + id + '"]') || document.querySelector('mark[data-claims~="' + id + '"][tabindex]');
    if (back) back.focus();
  }

  function markCurrent(id) {
    document.querySelectorAll("mark.hl-current").forEach(function (m) { m.classList.remove("hl-current"); });
    document.querySelectorAll(".claim-item.is-current").forEach(function (m) { m.classList.remove("is-current"); });
    if (!id) return;
    document.querySelectorAll('mark[data-claims~="' + id + '"]').forEach(function (m) { m.classList.add("hl-current"); });
    var item = document.querySelector('[data-claim-item="' + id + '"]');
    if (item) item.classList.add("is-current");
  }

  // --- Keyboard selection (Shift + arrows) in the article text ----------------------------------

  function ensureCaret() {
    var sel = window.getSelection();
    var root = textRoot();
    if (sel.rangeCount && root.contains(sel.anchorNode)) return sel;
    var first = root.querySelector("p[data-start]");
    if (first) sel.collapse(first, 0);
    return sel;
  }

  var ARROWS = { ArrowLeft: ["backward", "character"], ArrowRight: ["forward", "character"], ArrowUp: ["backward", "line"], ArrowDown: ["forward", "line"], Home: ["backward", "lineboundary"], End: ["forward", "lineboundary"] };

  function onTextKeydown(event) {
    var mark = event.target.closest && event.target.closest("mark[data-claims]");
    var step = ARROWS[event.key];
    if (step && !event.altKey && !event.metaKey) {
      var sel = ensureCaret();
      if (!sel.modify) return;
      event.preventDefault();
      var unit = event.ctrlKey && step[1] === "character" ? "word" : step[1];
      sel.modify(event.shiftKey ? "extend" : "move", step[0], unit);
      if (event.shiftKey) onSelectionDone(true); else hidePopover();
      return;
    }
    if (event.key === "Enter") {
      var selector = currentSelector();
      if (selector) {
        event.preventDefault();
        onSelectionDone();
        var verdict = $("#add-claim-verdict");
        if (verdict) verdict.focus();
        return;
      }
      if (mark) { event.preventDefault(); openClaim(innermostClaim(mark), mark); return; }
      // The caret in (or in the sentence of) a suggested claim: go to its entry in the list
      // (suggestions.js).
      var hints = window.factcheckSuggestions;
      var suggestion = hints && hints.atCaret();
      if (suggestion && hints.goTo(suggestion)) event.preventDefault();
      return;
    }
    if (event.key === " " && mark && event.target === mark) {
      event.preventDefault();
      openClaim(innermostClaim(mark), mark);
    }
  }

  // --- Claims list: j / k / Esc -----------------------------------------------------------------

  function isTyping(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function moveInList(delta) {
    var links = Array.prototype.slice.call(document.querySelectorAll("#claim-list [data-claim-link]"));
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    if (at === -1) {
      var panel = document.getElementById("claim-panel");
      var open = panel && panel.dataset.claim;
      at = open ? links.findIndex(function (l) { return l.dataset.claimLink === open; }) : -1;
    }
    var next = at === -1 ? (delta > 0 ? 0 : links.length - 1) : Math.max(0, Math.min(links.length - 1, at + delta));
    links[next].focus();
    links[next].scrollIntoView({ block: "nearest" });
    markCurrent(links[next].dataset.claimLink);
  }

  document.addEventListener("keydown", function (event) {
    var root = textRoot();
    if (!root) return;
    if (event.key === "Escape") {
      if (popover() && !popover().hidden) {
        hidePopover();
        if (popover().contains(document.activeElement)) root.focus();
        event.preventDefault();
        return;
      }
      if (!event.defaultPrevented) { closePanel(); }
      return;
    }
    if (root.contains(event.target)) { onTextKeydown(event); return; }
    if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "j") { event.preventDefault(); moveInList(1); }
    else if (event.key === "k") { event.preventDefault(); moveInList(-1); }
  });

  // --- Mouse ------------------------------------------------------------------------------------

  // Only a gesture that began in the article text is a selection (or a click on a highlight).
  // A click elsewhere — "Anchor again", a filter, a button in the panel — must not read the
  // selection: its deferred read below could otherwise land in the middle of the editor's
  // next drag and take a half-made selection for the finished one.
  var gesture = 0;
  var gestureInText = false;

  document.addEventListener("mousedown", function (event) {
    gesture++;
    var root = textRoot();
    gestureInText = !!root && root.contains(event.target);
    var form = popover();
    if (form && !form.hidden && !form.contains(event.target)) hidePopover();
  });

  document.addEventListener("mouseup", function (event) {
    var root = textRoot();
    if (!root || !gestureInText) return;
    gestureInText = false;
    var form = popover();
    if (form && form.contains(event.target)) return;
    var mine = gesture;
    // Let the browser finish updating the selection first; a new press since then is a new
    // gesture, which will report for itself.
    window.setTimeout(function () {
      if (mine !== gesture) return;
      var selector = onSelectionDone();
      if (selector || !root.contains(event.target)) return;
      var mark = event.target.closest("mark[data-claims]");
      if (mark) openClaim(innermostClaim(mark), mark);
    }, 0);
  });

  document.addEventListener("click", function (event) {
    var cancel = event.target.closest("[data-add-claim-cancel]");
    if (cancel) { hidePopover(); window.getSelection().removeAllRanges(); if (textRoot()) textRoot().focus(); return; }
    var close = event.target.closest("[data-close-panel]");
    if (close) { event.preventDefault(); closePanel(); }
  });

  // --- After htmx swaps -------------------------------------------------------------------------

  document.addEventListener("htmx:beforeRequest", function (event) {
    var link = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("[data-claim-link]");
    if (link) lastOpener = link;
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = popover();
    if (form && event.detail.elt === form && event.detail.successful) {
      hidePopover();
      form.reset();
      window.getSelection().removeAllRanges();
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    canonicalCache = null; // the article text may have been swapped (out of band)
    var target = event.target;
    var panel = document.getElementById("claim-panel");
    if (!target || !panel) return;
    if (target.id === "article-text" || target.id === "claim-list") {
      // Re-fetched after claimChanged: mark the open claim again; the focus stays put.
      markCurrent(panel.dataset.claim || null);
      return;
    }
    if (target !== panel) return;
    markCurrent(panel.dataset.claim || null);
    var focus = panel.querySelector("[data-autofocus]");
    if (focus) focus.focus();
  });

  document.addEventListener("focusin", function (event) {
    var link = event.target.closest && event.target.closest("[data-claim-link]");
    if (link) markCurrent(link.dataset.claimLink);
  });

  // A panel opened by the page itself (?claim=<id>) marks its claim as the current one.
  var initialPanel = document.getElementById("claim-panel");
  if (initialPanel && initialPanel.dataset.claim) markCurrent(initialPanel.dataset.claim);

  // A workflow step re-renders the panel: never let it drop edits the editor has not saved.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    var form = elt && elt.closest && elt.closest("#claim-panel .workflow-form");
    if (!form || !panelDirty()) return;
    event.preventDefault();
    var note = form.querySelector(".unsaved-note");
    if (!note) {
      note = document.createElement("p");
      note.className = "error unsaved-note";
      note.setAttribute("role", "alert");
      form.insertBefore(note, form.firstChild);
    }
    note.textContent = "You have unsaved changes in this claim. Use “Save and submit” " +
      "above to save and submit them in one step, or save (or undo) them before taking a " +
      "workflow step, so the step applies to what you see.";
  });

  // --- Unsaved edits in the claim form are never lost silently --------------------------------

  // Leaving the page (a link, the back button, reload, log out) asks first.
  window.addEventListener("beforeunload", function (event) {
    if (!panelDirty()) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers need it set to show the dialog
  });

  // Opening another claim in the panel (the list, a highlight) replaces the form: ask first.
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail && event.detail.elt;
    var link = elt && elt.closest && elt.closest("[data-claim-link]");
    var panel = document.getElementById("claim-panel");
    if (!link || !panel || link.dataset.claimLink === panel.dataset.claim || !panelDirty()) return;
    if (!window.confirm("Open another claim and discard your unsaved changes to this one?")) {
      event.preventDefault();
    }
  });

  // "Add a source" opens on its first field when the editor opens it (a click, or Enter or
  // Space on its summary, which the browser turns into a click). A form drawn open after a
  // refusal also fires "toggle"; there the refused field gets the focus (swap-policy.js).
  var openedByEditor = null;
  document.addEventListener("click", function (event) {
    var summary = event.target.closest && event.target.closest("details.source-add > summary");
    openedByEditor = summary ? summary.parentElement : null;
  });
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details !== openedByEditor || !details.open) return;
    openedByEditor = null;
    var first = details.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }, true);

  // Exposed for other modules (re-anchoring) and tests.
  window.factcheckWorkspace = { currentSelector: currentSelector, codePointLength: cpLen, openClaim: openClaim, selectionDone: onSelectionDone, panelDirty: panelDirty };
  // Deferred scripts run after the text is visible: tests (and tools) wait for this.
  document.documentElement.dataset.workspaceReady = "true";
})();
