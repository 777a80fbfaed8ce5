/* The review queue's bulk bar (issue 16): "Select all on this page" and the count of
 * ticked claims. The bar works without this script (tick the boxes, press a button); the
 * script only shows the select-all box, which needs it, and keeps the count current. */
(function () {
  "use strict";

  function picks() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-bulk-pick]"));
  }

  function update() {
    var boxes = picks();
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    var count = document.querySelector("[data-bulk-count]");
    if (count) count.textContent = ticked === 1 ? "1 claim selected" : ticked + " claims selected";
    var all = document.getElementById("bulk-all");
    if (all) {
      all.checked = ticked > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.id === "bulk-all") {
      picks().forEach(function (box) { box.checked = target.checked; });
      update();
    } else if (target.matches && target.matches("[data-bulk-pick]")) {
      update();
    }
  });

  function init() {
    var wrap = document.querySelector("[data-bulk-select-all]");
    if (wrap) wrap.hidden = false;
    update();
  }

  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);
})();
