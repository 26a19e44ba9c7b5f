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
  // Jump to the first field with a red message so it is on screen after saving.
  var bad = form.querySelector(".field.has-error input, .field.has-error textarea, .field.has-error select");
  if (bad && window.location.hash === "#isi-bagian") {
    bad.scrollIntoView({ block: "center" });
    bad.focus({ preventScroll: true });
  }
})();
