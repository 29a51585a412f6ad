// Renders every <figure data-chart="ID"> from the Vega-Lite spec in <script type="application/json" id="ID">.
// Canvas renderer, expression interpreter (ast), no default stylesheet, no actions menu, no tooltip
// handler: nothing that needs 'unsafe-eval' or inline styles under the site's CSP. The table beside each
// chart carries the same figures for screen readers and for copying.
(function () {
  "use strict";
  function render() {
    if (typeof window.vegaEmbed !== "function") return;
    document.querySelectorAll("[data-chart]").forEach(function (figure) {
      var source = document.getElementById(figure.getAttribute("data-chart"));
      var target = figure.querySelector(".chart-canvas");
      if (!source || !target) return;
      window
        .vegaEmbed(target, JSON.parse(source.textContent), {
          renderer: "canvas",
          ast: true,
          actions: false,
          defaultStyle: false,
          tooltip: false,
        })
        .then(function () { figure.setAttribute("data-rendered", "true"); })
        .catch(function (error) { figure.setAttribute("data-rendered", "error"); console.error(error); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", render);
  else render();
})();
