// Shows a question only when an earlier answer on the same page has the expected value
// (data-show-if = question code, data-show-if-value = choice code / yes / no / number).
// Without JavaScript every question stays visible; the server ignores hidden answers.
(function () {
  "use strict";
  var form = document.getElementById("survey-section-form");
  if (!form) return;
  var blocks = form.querySelectorAll("[data-show-if]");
  if (!blocks.length) return;

  function valuesOf(name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    var values = [];
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) continue;
      if (el.closest("[hidden]")) continue;
      if (el.value !== "") values.push(el.value.replace(",", "."));
    }
    return { present: inputs.length > 0, values: values };
  }

  function update() {
    for (var i = 0; i < blocks.length; i++) {
      var block = blocks[i];
      var found = valuesOf(block.getAttribute("data-show-if"));
      if (!found.present) continue; // condition on another page: already applied by the server
      var expected = block.getAttribute("data-show-if-value");
      var shown = found.values.some(function (v) {
        return v === expected || (!isNaN(parseFloat(v)) && parseFloat(v) === parseFloat(expected));
      });
      block.hidden = !shown;
    }
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
  update(); // second pass for chained conditions
})();
