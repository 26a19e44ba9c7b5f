// Product data form: warn before leaving a section with unsaved typing. Works without it too.
(function () {
  "use strict";
  var form = document.querySelector("[data-product-form]");
  if (!form) return;
  var dirty = false;
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { dirty = false; });
  window.addEventListener("beforeunload", function (ev) {
    if (!dirty) return;
    ev.preventDefault();
    ev.returnValue = "";
  });
  // Fields that only matter for one answer (halal number when "certified"): hidden while another
  // answer is chosen and they are empty. Without JavaScript they simply stay visible.
  form.querySelectorAll("[data-show-when]").forEach(function (box) {
    var rule = box.getAttribute("data-show-when").split("=");
    var control = form.querySelector("[name='" + rule[0] + "']");
    var input = box.querySelector("input, select, textarea");
    if (!control || !input) return;
    function sync() { box.hidden = control.value !== rule[1] && !input.value; }
    control.addEventListener("change", sync);
    sync();
  });
  // Jump to the first field with a red message so it is on screen after saving.
  var bad = form.querySelector(".field.has-error input, .field.has-error textarea, .field.has-error select");
  if (bad && window.location.hash === "#isi-bagian") {
    bad.scrollIntoView({ block: "center" });
    bad.focus({ preventScroll: true });
  }
})();
