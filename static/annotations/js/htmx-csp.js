/* What used to be written inline in templates, moved here for the Content-Security-Policy
   (script-src 'self': no inline code, no eval, so no hx-on, js: values or [filters]).

   1. data-swap-errors: a partial whose refusals (400/403/409) carry the message to show
      swaps them in, although htmx 2 does not swap 4xx answers by default.
   2. data-panel-refresh: after a workflow step on the open claim (the claimChanged
      event, detail {id, status, step}), fetch its panel again so status, lock and history
      follow; `done` names the step so the panel can move focus to its result. */
(function () {
  "use strict";
  var SWAPPED_ERRORS = [400, 403, 409];

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || !target.closest("[data-swap-errors]")) return;
    if (SWAPPED_ERRORS.indexOf(event.detail.xhr.status) !== -1) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("claimChanged", function (event) {
    var detail = event.detail || {};
    document.querySelectorAll("[data-panel-refresh]").forEach(function (el) {
      if (String(detail.id) !== el.getAttribute("data-claim-id")) return;
      window.htmx.ajax("GET", el.getAttribute("data-url"), {
        source: el,
        target: "#claim-panel",
        swap: "outerHTML",
        values: { refresh: 1, done: detail.step || "" },
      });
    });
  });
})();
