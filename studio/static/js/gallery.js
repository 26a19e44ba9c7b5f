// Design step, before a design exists: the style gallery follows the stock the producer picks
// (each picture is this product on that stock, rendered by the server from the label PDF).
(function () {
  "use strict";
  var form = document.querySelector("form.start");
  if (!form) return;
  function show(layoutId) {
    form.querySelectorAll("img[data-sample]").forEach(function (img) {
      img.src = img.getAttribute("data-sample").replace("__LAYOUT__", encodeURIComponent(layoutId));
    });
  }
  // delegated: the stock cards are replaced when the stock advice arrives (advice.js)
  form.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t && t.name === "layout_id" && t.checked) show(t.value);
  });
})();
