/* How htmx answers land, decided once for every page (docs/decisions.md, "Forms, statement,
 * focus"). Loaded by base.html right after htmx (and, under DEBUG=1, after django-htmx's
 * debug script).
 *
 * 1. A refusal is a 4xx answer carrying the partial it concerns (the panel, the sources,
 *    the workflow section…) with the service's message and the editor's input: it is
 *    swapped into its target like a success. htmx 2 does not swap 4xx answers by default,
 *    and under DEBUG=1 django-htmx's debug handler (a `htmx:beforeOnLoad` listener on
 *    `document`) would replace the whole page with it. A capture listener on `window` runs
 *    before that handler and hides 4xx answers from it, so development behaves exactly
 *    like production. 5xx answers still reach it: a traceback is what a developer wants.
 * 2. A 4xx answer that is a whole page (Django's 403/404 pages, a CSRF failure, a form
 *    post too large) is never swapped into a fragment's place: its message is shown in
 *    the page's alert area. So is a 5xx answer in production.
 * 3. After a swap, focus lands somewhere sensible: where the server asked (the
 *    `factcheck:announce` client event, sent with HX-Trigger-After-Settle by
 *    `trigger_client_event`), else on a refused field or the refusal's message, else on
 *    the swapped element's `[data-autofocus]` when focus was lost with the old content
 *    (never after a section that loads itself in the background, `[data-quiet-load]`).
 *    A polite live region (#live-status) says what happened: the server's message, or the
 *    refusal's text.
 */
(function () {
  "use strict";
  if (!window.htmx || window.factcheckSwapPolicy) return;
  // htmx "settles" an element swapped in over one with the same id by copying the old
  // element's attributes, `style` included, with setAttribute: the CSP (no inline style
  // attributes) refuses that for the popover and the caret, which scripts position
  // through their style. Settle classes and sizes only.
  window.htmx.config.attributesToSettle = ["class", "width", "height"];

  var ANNOUNCE = "factcheck:announce";
  var REFUSAL = ".panel-error, .workflow-error, .conflict, [role=alert]";

  function isWholePage(text) { return /^\s*(<!doctype|<html)/i.test(text || ""); }

  /** The message of a whole-page answer: its main heading and first paragraph. */
  function pageMessage(text, xhr) {
    try {
      // Parsed into an inert <template>, not a DOMParser document: that one inherits the
      // page's CSP and reports the answer's inline <style> (Django's DEBUG pages) as a
      // violation. A template's content is never styled or run.
      var template = document.createElement("template");
      template.innerHTML = text || "";
      var doc = template.content;
      var main = doc.querySelector("main") || doc;
      var title = (main && main.querySelector("h1")) || doc.querySelector("h1");
      // Django's DEBUG pages name the exception's message; ours say it in a paragraph.
      var para = doc.querySelector(".exception_value") || (main && main.querySelector("p"));
      var parts = [title && title.textContent.trim(), para && para.textContent.trim()].filter(Boolean);
      if (parts.length) return parts.join(": ");
    } catch (e) { /* fall through to the status line */ }
    return "The server answered " + xhr.status + " " + (xhr.statusText || "") + ". Reload the page and try again.";
  }

  function announce(message) {
    var live = document.getElementById("live-status");
    if (!live || !message) return;
    // Clear first, so the same message twice in a row is spoken twice.
    live.textContent = "";
    window.setTimeout(function () { live.textContent = message; }, 50);
  }

  function showPageAlert(message) {
    var area = document.getElementById("page-alert");
    if (!area) return;
    area.textContent = message;
    area.hidden = false;
    announce(message);
  }

  function focusOn(el) {
    if (!el) return false;
    if (!el.matches("a[href], button, input, select, textarea, [tabindex]")) el.setAttribute("tabindex", "-1");
    el.focus();
    return document.activeElement === el;
  }

  function lostFocus() {
    var active = document.activeElement;
    return !active || active === document.body || !active.isConnected;
  }

  // 1. Hide refusals from django-htmx's debug handler (capture on window runs first).
  window.addEventListener("htmx:beforeOnLoad", function (event) {
    var xhr = event.detail && event.detail.xhr;
    if (xhr && xhr.status >= 400 && xhr.status < 500) event.stopPropagation();
  }, true);

  // What each swap was, for the focus and announcement after it settles, by its request:
  // htmx settles 20 ms after swapping, and another answer ("Checked before?", which loads
  // itself in the background) can swap in between. One shared slot let that answer's
  // swap take the refusal's place, so the refusal was never announced.
  var pending = new WeakMap();

  // 1 and 2: which answers swap.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var d = event.detail;
    var status = d.xhr.status;
    var targetId = d.target && d.target.id;
    if (status < 400) {
      // A section that loads itself in the background ([data-quiet-load], e.g. "Checked
      // before?") never moves the focus: the editor is elsewhere, typing or reading.
      var quiet = !!(d.target && d.target.hasAttribute && d.target.hasAttribute("data-quiet-load"));
      if (quiet) pending.delete(d.xhr);
      else pending.set(d.xhr, { targetId: targetId, refused: false });
      return;
    }
    if (status < 500 && !isWholePage(d.serverResponse)) {
      d.shouldSwap = true;
      d.isError = false;
      pending.set(d.xhr, { targetId: targetId, refused: true });
      return;
    }
    d.shouldSwap = false;
    pending.delete(d.xhr);
    showPageAlert(pageMessage(d.serverResponse, d.xhr));
  });

  // A network failure never reaches beforeSwap.
  document.addEventListener("htmx:sendError", function () {
    showPageAlert("The server could not be reached. Nothing was saved; try again.");
  });

  // 3. The server's word on what happened (after the swap has settled).
  document.addEventListener(ANNOUNCE, function (event) {
    var detail = event.detail || {};
    announce(detail.message);
    if (detail.focus) focusOn(document.querySelector(detail.focus));
  });

  /** Whether this answer says what happened itself (the server's announcement). */
  function announcedBy(xhr) {
    return (xhr.getResponseHeader("HX-Trigger-After-Settle") || "").indexOf(ANNOUNCE) !== -1;
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var xhr = event.detail && event.detail.xhr;
    var last = xhr && pending.get(xhr);
    // Once per swap: htmx fires afterSettle for each element the answer put in place.
    if (!last) return;
    pending.delete(xhr);
    var alert = document.getElementById("page-alert");
    if (alert && !alert.hidden) { alert.hidden = true; alert.textContent = ""; }
    // HX-Trigger-After-Settle events fire after this one: look once they have.
    var wasAnnounced = announcedBy(xhr);
    window.setTimeout(function () {
      var root = last.targetId && document.getElementById(last.targetId);
      if (last.refused && root) {
        var message = root.querySelector(REFUSAL);
        if (!wasAnnounced && message) announce(message.textContent.replace(/\s+/g, " ").trim());
        // Focus already placed in the new content (workspace.js's [data-autofocus]) stays.
        if (!lostFocus() && root.contains(document.activeElement)) return;
        var invalid = root.querySelector("[aria-invalid=true]:not([disabled])");
        if (focusOn(invalid) || focusOn(message)) return;
      }
      if (!lostFocus() || !root) return;
      var autofocus = root.querySelector("[data-autofocus]");
      if (!focusOn(autofocus)) focusOn(root.querySelector("h2, h3") || root);
    }, 0);
  });

  window.factcheckSwapPolicy = { announce: announce, showPageAlert: showPageAlert };
})();
