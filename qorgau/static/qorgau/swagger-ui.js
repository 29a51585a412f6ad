// Swagger UI's headings for assistive technology (axe-core heading-order, qorgau/browser_tests): the title
// is an h1 and the sections under it are h3, h4 ... with no h2. Each heading below h2 is announced one
// level up (aria-level), so that levels never skip; the vendor bundle itself is left as shipped.
// Swagger UI re-renders parts of the page, so new headings are fixed as they appear.
(function () {
  "use strict";
  const root = document.getElementById("swagger-ui");
  if (!root) return;
  const fix = (scope) => {
    scope.querySelectorAll("h3, h4, h5, h6").forEach((heading) => {
      const level = String(Number(heading.tagName.slice(1)) - 1);
      if (heading.getAttribute("aria-level") !== level) heading.setAttribute("aria-level", level);
    });
  };
  new MutationObserver(() => fix(root)).observe(root, { childList: true, subtree: true });
  fix(root);
})();
