// Keyboard entry in score grids: Enter moves to the next leaf's value (Shift+Enter: previous);
// leaving a changed field autosaves its row (htmx, on "change"). Tab works as usual.
document.addEventListener("keydown", function (event) {
  if (event.key !== "Enter" || event.isComposing) return;
  var field = event.target;
  if (!field.matches || !field.matches("[data-grid] [data-cell]")) return;
  event.preventDefault();
  var cells = Array.prototype.slice.call(
    document.querySelectorAll("[data-grid] [data-cell]:not([disabled])")
  );
  var next = cells[cells.indexOf(field) + (event.shiftKey ? -1 : 1)];
  if (next) {
    next.focus();
    if (next.select) next.select();
  } else {
    field.blur();
  }
});
