/* "Checked before?" in the claim panel (issue 13): what the server cannot say itself.
 *
 * - The section is asked for once the panel is on the page (its placeholder has
 *   hx-trigger="load"). If that request fails (the server could not be reached, or answered
 *   an error that swap-policy.js does not swap), the placeholder would say "Looking…"
 *   forever: it says instead that the earlier checks could not be loaded, with "Try again".
 * - The key m (outside fields, without modifiers) jumps to the section's heading: from
 *   there Tab reaches each "Same claim" / "Not the same" in order. The claims list's key
 *   help names it.
 *
 * Answers themselves need no script: the buttons post with htmx, and the server's
 * `factcheck:announce` puts the focus back on the answered button (swap-policy.js).
 */
(function () {
  "use strict";
  if (window.factcheckMatches) return;

  function loaderOf(elt) {
    return elt && elt.closest ? elt.closest("[data-matches-loader]") : null;
  }

  function showFailure(section, message) {
    if (!section || !section.isConnected) return;
    section.removeAttribute("aria-busy");
    var status = section.querySelector("[data-matches-status]");
    if (!status) return;
    status.textContent = message + " ";
    status.classList.add("matches-failed");
    var retry = document.createElement("button");
    retry.type = "button";
    retry.className = "link-button";
    retry.setAttribute("data-matches-retry", "");
    retry.textContent = "Try again";
    status.appendChild(retry);
  }

  function retry(section) {
    var status = section.querySelector("[data-matches-status]");
    if (status) {
      status.textContent = "Looking for earlier checks…";
      status.classList.remove("matches-failed");
    }
    section.setAttribute("aria-busy", "true");
    window.htmx.ajax("GET", section.getAttribute("hx-get"), {
      source: section,
      target: section,
      swap: "outerHTML",
    });
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var d = event.detail || {};
    var section = loaderOf(d.elt);
    if (!section || d.successful) return;
    var status = d.xhr ? d.xhr.status : 0;
    showFailure(section, status
      ? "Earlier checks could not be loaded (the server answered " + status + ")."
      : "Earlier checks could not be loaded: the server could not be reached.");
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-matches-retry]");
    var section = loaderOf(button);
    if (!section) return;
    // Keep the focus in the section while the button goes away.
    var heading = section.querySelector("h3");
    if (heading) heading.focus();
    retry(section);
  });

  function isTyping(el) {
    return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "m" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (isTyping(event.target)) return;
    var heading = document.querySelector("#claim-panel #claim-matches-title");
    if (!heading) return;
    event.preventDefault();
    heading.focus();
    heading.scrollIntoView({ block: "nearest" });
  });

  window.factcheckMatches = { retry: retry };
})();
