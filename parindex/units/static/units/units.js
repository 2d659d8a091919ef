// Unit registry forms: filter long lists of units as one types (accents ignored, so "cam thinh"
// finds "Cẩm Thịnh"), and show only the fields of the merge result that was chosen.
(function () {
  "use strict";

  function plain(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase();
  }

  document.querySelectorAll("select[data-filter]").forEach(function (select) {
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = select.dataset.filter;
    input.setAttribute("aria-label", select.dataset.filter);
    input.className = "mb-1";
    select.parentNode.insertBefore(input, select);
    input.addEventListener("input", function () {
      var wanted = plain(input.value.trim());
      select.querySelectorAll("option").forEach(function (option) {
        option.hidden = Boolean(wanted) && !option.selected && plain(option.textContent).indexOf(wanted) < 0;
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !Array.prototype.some.call(group.children, function (option) { return !option.hidden; });
      });
    });
  });

  function wrapper(name) {
    var field = document.getElementById("id_" + name);
    return field ? field.closest(".mb-2") : null;
  }

  var results = document.querySelectorAll("input[name=result]");
  function showResultFields() {
    var checked = document.querySelector("input[name=result]:checked");
    var isNew = !checked || checked.value === "new";
    ["new_code", "new_name", "new_unit_type", "new_parent", "new_peer_group"].forEach(function (name) {
      var element = wrapper(name);
      if (element) { element.hidden = !isNew; }
    });
    var successor = wrapper("successor");
    if (successor) { successor.hidden = isNew; }
  }
  if (results.length) {
    results.forEach(function (radio) { radio.addEventListener("change", showResultFields); });
    showResultFields();
  }
})();
