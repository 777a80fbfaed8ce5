/* Live updates in the workspace: colleagues' changes arrive as server-sent events.
 *
 * htmx's SSE extension holds the connection (#live: sse-connect, sse-swap="claim,reload"
 * with hx-swap="none"), and fires htmx:sseMessage for each event; this file decides what an
 * event refreshes. An event names a claim, its version, status and `updated` time (ms), who
 * acted and how (see annotations/views/live.py). What it refreshes goes through the same
 * `claimChanged` event the workspace already uses after a person's own step: the
 * highlights, the claims list, the suggestions and (for that claim) the open panel fetch
 * themselves again.
 *
 * - Events the page already shows (the list entry or the panel is as new) and the
 *   person's own changes refresh nothing in the panel: their own answer drew it.
 * - The open panel with unsaved edits is never replaced: a notice says who changed the
 *   claim; the edits stay, and saving them meets the version check, which shows what
 *   changed and keeps the input (claim_panel.html, "Not saved: someone else changed").
 * - A burst of events (a new revision re-anchors every claim) costs one refresh.
 * - The last event id goes into sse-connect's `after`, so even a reconnect that starts a
 *   new EventSource (after the server was unreachable) replays what it missed; the
 *   browser's own reconnect sends Last-Event-ID.
 */
(function () {
  "use strict";

  var BATCH_MS = 40;
  var state = { batch: [], timer: null, reload: false };

  function root() { return document.getElementById("live"); }
  function panel() { return document.getElementById("claim-panel"); }

  function setState(name, label) {
    var el = root();
    if (!el) return;
    el.dataset.state = name;
    var text = el.querySelector("[data-live-label]");
    if (text) text.textContent = label;
  }

  function announce(message) {
    var live = document.getElementById("workspace-live");
    if (!live || !message) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = message; }, 30);
  }

  /** Has the person typed anything in the open panel that is not saved? */
  function panelDirty() {
    var p = panel();
    if (!p) return false;
    if (p.querySelector("form[data-unsaved]")) return true;
    return Array.prototype.some.call(p.querySelectorAll("input, textarea, select"), function (el) {
      if (el.type === "hidden" || el.disabled || el.type === "submit" || el.type === "button") return false;
      if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
      if (el.tagName === "SELECT") {
        var options = Array.prototype.slice.call(el.options);
        var initial = options.findIndex(function (o) { return o.defaultSelected; });
        return el.selectedIndex !== (initial === -1 ? 0 : initial);
      }
      return el.value !== el.defaultValue;
    });
  }

  function panelBusy() {
    var p = panel();
    return !!(p && (p.classList.contains("htmx-request") || p.querySelector(".htmx-request")));
  }

  function shownUpdated(selector) {
    var el = document.querySelector(selector);
    return el && el.dataset.updated ? Number(el.dataset.updated) : null;
  }

  var ACTIONS = {
    claim_create: "added", claim_update: "edited", claim_delete: "deleted",
    claim_submit: "submitted", claim_approve: "approved", claim_request_changes: "sent back",
    claim_reject: "rejected", claim_reopen: "reopened", source_attach: "added a source to",
    source_update: "changed a source of", source_detach: "removed a source from",
  };

  function describe(event) {
    var who = event.actor_name || "Someone";
    if (event.kind === "comment") return who + " commented on claim #" + event.claim + ".";
    var verb = ACTIONS[event.action] || (event.kind === "created" ? "added" : "changed");
    return who + " " + verb + " claim #" + event.claim + ".";
  }

  function noticeUnsaved(event) {
    var p = panel();
    var notice = p && p.querySelector("[data-live-notice]");
    if (!notice) return;
    notice.textContent = describe(event) + " Your unsaved edits are kept: when you save, you will see what they changed before anything is overwritten.";
    notice.hidden = false;
  }

  function handle(events) {
    var me = root() ? root().dataset.me : "";
    var p = panel();
    var openId = p && p.dataset.claim ? Number(p.dataset.claim) : null;
    var stale = false;
    var others = false;
    var panelEvent = null;
    events.forEach(function (event) {
      var id = Number(event.claim);
      var mine = String(event.actor) === me;
      if (event.kind !== "comment") {
        var listed = shownUpdated('[data-claim-item="' + id + '"]');
        if (listed === null || listed < event.updated) stale = true;
      }
      if (id === openId && !mine) {
        var shown = p.dataset.updated ? Number(p.dataset.updated) : 0;
        if (event.kind === "comment" || shown < event.updated) panelEvent = event;
      }
      if (!mine) { announce(describe(event)); others = true; }
    });
    // A colleague's change may have notified me (approved, sent back, a comment): the bell
    // in the header asks for its count again.
    if (others) document.body.dispatchEvent(new CustomEvent("liveChanged", { bubbles: true }));
    if (panelEvent && panelDirty()) {
      noticeUnsaved(panelEvent);
      if (stale) fire(null);
      return;
    }
    if (panelEvent) fire(openId);
    else if (stale) fire(null);
  }

  /** One claimChanged for the whole batch: `id` is the open claim when its panel must
   * follow, else none (the list, the text and the suggestions follow anyway). */
  function fire(id) {
    document.body.dispatchEvent(new CustomEvent("claimChanged", {
      bubbles: true, detail: { id: id === null ? "" : id, live: true },
    }));
  }

  function flush() {
    state.timer = null;
    if (panelBusy()) {
      // The person's own request on this panel is under way: its answer may be the very
      // change this event announces. Look again once it has landed.
      state.timer = window.setTimeout(flush, 100);
      return;
    }
    var batch = state.batch;
    state.batch = [];
    if (state.reload) {
      state.reload = false;
      var p = panel();
      if (p && p.dataset.claim && !panelDirty()) fire(Number(p.dataset.claim));
      else fire(null);
      return;
    }
    if (batch.length) handle(batch);
  }

  function remember(lastId) {
    var el = root();
    if (!el || !lastId) return;
    el.dataset.after = lastId;
    el.setAttribute("sse-connect", el.dataset.url + "?after=" + encodeURIComponent(lastId));
  }

  document.addEventListener("htmx:sseMessage", function (evt) {
    var message = evt.detail;
    if (!message || !root() || evt.target !== root()) return;
    remember(message.lastEventId);
    if (message.type === "reload") {
      state.reload = true;
    } else {
      try { state.batch.push(JSON.parse(message.data)); } catch (e) { return; }
    }
    if (!state.timer) state.timer = window.setTimeout(flush, BATCH_MS);
  });

  document.addEventListener("htmx:sseOpen", function (evt) {
    if (evt.target === root()) setState("open", "Live: colleagues’ changes appear here as they happen");
  });
  document.addEventListener("htmx:sseError", function (evt) {
    if (evt.target === root()) setState("reconnecting", "Live updates interrupted; reconnecting…");
  });
})();
