/* What used to be written inline in templates, moved here for the Content-Security-Policy
   (script-src 'self': no inline code, no eval, so no hx-on, js: values or [filters]).

   (Which answers swap, refusals included, is decided once in swap-policy.js.)
   data-panel-refresh: after a workflow step on the open claim (the claimChanged
      event, detail {id, status, step}), fetch its panel again so status, lock and history
      follow; `done` names the step so the panel can move focus to its result. */
(function () {
  "use strict";
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
