document.querySelectorAll("[data-fill-column]").forEach(function (picker) {
  picker.addEventListener("change", function () {
    var value = picker.value === "-" ? "" : picker.value;
    if (picker.value === "") return;
    document.querySelectorAll('#matrix [data-column="' + picker.dataset.fillColumn + '"]').forEach(function (cell) { cell.value = value; });
    picker.value = "";
  });
});
