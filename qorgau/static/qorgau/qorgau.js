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

  // What had focus before htmx swapped a fragment: its id, or the name and value of a button (the
  // buttons of one form share a name). htmx itself only brings back focus to elements with an id.
  var focusKey = null;
  var scrolledTo = null;

  function keyOf(element) {
    if (!element || element === document.body) {
      return null;
    }
    if (element.id) {
      return "#" + CSS.escape(element.id);
    }
    if (element.name) {
      return element.tagName.toLowerCase() + '[name="' + CSS.escape(element.name) + '"][value="' +
        CSS.escape(element.value || "") + '"]';
    }
    return null;
  }

  // Focus `element` if it can take focus (it may be gone, or inside a closed <details>); true if it did.
  function focusIfShown(element) {
    if (!element || !element.isConnected || element.getClientRects().length === 0) {
      return false;
    }
    element.focus({ preventScroll: true });
    return document.activeElement === element;
  }

  document.addEventListener("htmx:beforeSwap", function () {
    focusKey = keyOf(document.activeElement);
    scrolledTo = window.scrollY;
  });

  // After a swap: a form that came back with errors focuses its error summary; otherwise focus stays
  // where the user was (the same field or button, or the fragment's fallback when that button is gone),
  // without scrolling; the fragment's `data-announce` is read out by the page's live region.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    // An outerHTML swap leaves the old element detached: its successor has the same id.
    if (target && !target.isConnected && target.id) {
      target = document.getElementById(target.id);
    }
    var root = target && target.isConnected ? target : document;
    if (root.querySelector("[data-error-summary]")) {
      focusErrorSummary(root);
      focusKey = scrolledTo = null;
      return;
    }
    // While htmx replaces a fragment, the browser's scroll anchoring may move the page: put it back.
    if (scrolledTo !== null && window.scrollY !== scrolledTo) {
      window.scrollTo({ left: window.scrollX, top: scrolledTo, behavior: "instant" });
    }
    if (!document.activeElement || document.activeElement === document.body) {
      if (!focusIfShown(focusKey ? document.querySelector(focusKey) : null)) {
        focusIfShown(document.querySelector("[data-focus-fallback]"));
      }
    }
    var announcing = root.matches && root.matches("[data-announce]") ? root : root.querySelector("[data-announce]");
    var text = announcing ? announcing.getAttribute("data-announce") : "";
    var live = document.getElementById("live-status");
    if (live && text) {
      // Emptied first: the same words twice in a row (two searches) are announced twice.
      live.textContent = "";
      window.setTimeout(function () {
        live.textContent = text;
      }, 100);
    }
    focusKey = scrolledTo = null;
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
