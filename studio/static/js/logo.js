// Logo maker: picking another colour redraws the pictures at once (the server draws them; the
// "Perbarui gambar" button does the same without JavaScript).
(function () {
  "use strict";
  var form = document.querySelector("form.logo-maker");
  if (!form) return;
  var redraw = form.querySelector("button[name=action][value=preview]");
  form.querySelectorAll("input[name=colour]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      if (!redraw) return;
      if (form.requestSubmit) form.requestSubmit(redraw); else redraw.click();
    });
  });
})();
