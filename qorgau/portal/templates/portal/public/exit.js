(function () {
  "use strict";
  var exitLink = document.querySelector("[data-exit]");
  if (!exitLink) return;
  var target = exitLink.getAttribute("href");
  function leave(event) {
    if (event) event.preventDefault();
    document.title = "";
    document.body.innerHTML = "";
    document.body.style.background = "#fff";
    window.location.replace(target);
  }
  exitLink.addEventListener("click", leave);
  // Shift pressed three times within two seconds, as the GOV.UK quick-exit component does.
  var presses = [];
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { presses = []; return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 2000; });
    presses.push(now);
    if (presses.length >= 3) leave();
  });
  // Links within the help site replace the current history entry: the visit leaves one entry, not many.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='/help/']");
    if (!link || link === exitLink || event.defaultPrevented || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    window.location.replace(link.getAttribute("href"));
  });
})();
