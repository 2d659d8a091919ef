// Appraisal page: a document opened in the evidence preview is brought into view when the
// preview sits below the grid (screens narrower than 1600 px), so the appraiser sees it at once.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-preview]");
  if (!link) return;
  var panel = document.getElementById("evidence-preview-panel");
  if (!panel) return;
  if (panel.getBoundingClientRect().top > link.getBoundingClientRect().bottom) {
    panel.scrollIntoView({ behavior: "smooth", block: "start" });
  }
});
