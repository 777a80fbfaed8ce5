/* Re-anchoring an orphaned (or fuzzy) claim by selecting its words in the article.
 *
 * "Anchor again" arms the claim; the next finished `factcheck:selection` event (dispatched on
 * `document` by the workspace with detail {exact, prefix, suffix, start, end, growing}) is
 * posted to that claim's anchor endpoint and the answer replaces #orphaned-claims. A
 * selection still growing under Shift + arrows only updates the hint; Enter finishes it. While armed, the
 * selection is ours: the workspace does not also open a new claim for it. Escape disarms.
 *
 * Loaded by the partial itself, so it may run more than once after htmx swaps: it sets
 * itself up only once.
 */
(function () {
  "use strict";
  if (window.factcheckReanchor) return;

  var armed = null; // {url, version, quote, claimId}

  function section() { return document.getElementById("orphaned-claims"); }

  function hint(text) {
    var el = section() && section().querySelector(".reanchor-hint");
    if (!el) return;
    el.textContent = text || "";
    el.hidden = !text;
  }

  function disarm() {
    armed = null;
    document.querySelectorAll(".reanchor-arm[aria-pressed='true']").forEach(function (b) {
      b.setAttribute("aria-pressed", "false");
    });
    hint("");
  }

  function arm(button) {
    disarm();
    armed = {
      url: button.dataset.anchorUrl,
      version: button.dataset.version,
      quote: button.dataset.quote || "",
      claimId: button.closest("[data-claim-id]") && button.closest("[data-claim-id]").dataset.claimId
    };
    button.setAttribute("aria-pressed", "true");
    hint("Now select the words of “" + armed.quote + "” in the article text (Escape cancels).");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".reanchor-arm");
    if (!button) return;
    event.preventDefault();
    if (button.getAttribute("aria-pressed") === "true") disarm(); else arm(button);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && armed) disarm();
  });

  // Capture on window runs before the workspace's own listener on document.
  window.addEventListener("factcheck:selection", function (event) {
    if (!armed || !event.detail) return;
    // The selection is ours: cancelling the event tells the workspace not to open its
    // "Add claim" popover, and no later listener turns it into a new claim.
    event.preventDefault();
    event.stopImmediatePropagation();
    var d = event.detail;
    // Shift + arrows report every step; the keyboard user finishes with Enter.
    if (d.growing) {
      var chars = Array.from(d.exact); // code points: never half an emoji
      var shown = chars.length > 60 ? chars.slice(0, 59).join("") + "…" : d.exact;
      hint("Press Enter to anchor it on “" + shown + "” (Escape cancels).");
      return;
    }
    var target = armed;
    disarm();
    hint("Anchoring…");
    window.htmx.ajax("POST", target.url, {
      target: "#orphaned-claims",
      swap: "outerHTML",
      values: {
        exact: d.exact, prefix: d.prefix || "", suffix: d.suffix || "",
        start: d.start, end: d.end, version: target.version
      }
    });
  }, true);

  // Refusals (409 stale, 400 bad selection) come back as this section with the message in
  // it; swap-policy.js (base.html) swaps 4xx answers on every page.

  // After a claim moved, tell the workspace: on `claimChanged` the article text, the claims
  // list and the open panel fetch themselves again (hx-trigger "claimChanged from:body").
  // Once the text is back, bring the moved claim's highlight into view.
  document.addEventListener("factcheck:claims-changed", function (event) {
    var claimId = event.detail && event.detail.claim;
    if (!document.getElementById("article-text")) return;
    if (claimId) {
      document.addEventListener("htmx:afterSettle", function focusMoved(settled) {
        if (!settled.target || settled.target.id !== "article-text") return;
        document.removeEventListener("htmx:afterSettle", focusMoved);
        var mark = document.getElementById("hl-" + claimId);
        if (mark) { mark.scrollIntoView({ block: "center" }); mark.focus(); }
      });
    }
    document.body.dispatchEvent(new CustomEvent("claimChanged", { bubbles: true, detail: { id: claimId } }));
  });

  window.factcheckReanchor = { arm: arm, disarm: disarm, isArmed: function () { return !!armed; } };
})();
