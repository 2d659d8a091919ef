// Reorganisation forms: show only the fields of the merge result that was chosen.
(function () {
  "use strict";

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
