// Monitoring pages (no inline script: the Content-Security-Policy forbids it).
(function () {
  "use strict";
  // <input type="checkbox" data-check-all="progress">: tick or untick every box named so.
  document.addEventListener("change", function (event) {
    var name = event.target.getAttribute && event.target.getAttribute("data-check-all");
    if (!name) return;
    document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
      box.checked = event.target.checked;
    });
  });
})();
