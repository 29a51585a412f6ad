// Qorgau's own script. The CSP allows no inline scripts, so page behaviour lives here.
(function () {
  "use strict";

  // Move focus to a form's error summary, so that keyboard and screen reader users start from it.
  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
  });

  // The same after htmx swaps in a form that came back with errors.
  document.addEventListener("htmx:afterSwap", function (event) {
    var root = event.detail.target;
    focusErrorSummary(root && root.isConnected ? root : document);
  });

  // Error summary links: focus the field itself, not only scroll to it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.focus();
      field.scrollIntoView({ block: "center" });
    }
  });
})();
