// Design step, before a design exists: the style gallery follows the stock and the kind of label
// ("Jenis label": one sticker, or a front + back set shown side by side) the producer picks
// (each picture is this product on that stock, rendered by the server from the label PDF).
(function () {
  "use strict";
  var form = document.querySelector("form.start");
  if (!form) return;
  function show() {
    var layout = form.querySelector("input[name=layout_id]:checked");
    if (!layout) return;
    var set = form.querySelector("input[name=label_set]:checked");
    // "left: front, right: back" (or front, back 1, back 2) under a set's pictures
    form.querySelectorAll(".set-note").forEach(function (note) {
      note.hidden = !(set && set.value === note.getAttribute("data-set"));
    });
    form.querySelectorAll("img[data-sample]").forEach(function (img) {
      img.src = img.getAttribute("data-sample").replace("__LAYOUT__", encodeURIComponent(layout.value))
        .replace("__SET__", encodeURIComponent(set ? set.value : "single"));
    });
  }
  // delegated: the stock cards are replaced when the stock advice arrives (advice.js)
  form.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t && (t.name === "layout_id" || t.name === "label_set") && t.checked) show();
  });
})();
