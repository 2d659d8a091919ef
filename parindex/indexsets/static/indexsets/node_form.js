// Show only the parameters of the chosen rule type (the others are ignored when saving).
(function () {
  var select = document.getElementById("id_rule_type");
  if (!select) return;
  var fields = {range: "id_step", choice: "id_options", percent_tiers: "id_tiers", deduction: "id_per_item"};
  function update() {
    Object.keys(fields).forEach(function (type) {
      var input = document.getElementById(fields[type]);
      if (input) input.closest(".mb-2").hidden = type !== select.value;
    });
  }
  select.addEventListener("change", update);
  update();
})();
