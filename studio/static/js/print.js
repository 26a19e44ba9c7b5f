// Hub print form: pick the first free label on the sheet picture, live summary, expiry from
// the production date. Progressive: without this file the number fields and links still work.
(function () {
  "use strict";
  var form = document.getElementById("print-form");
  if (!form) return;
  var perPage = parseInt(form.getAttribute("data-per-page"), 10) || 1;
  var shelfLife = parseInt(form.getAttribute("data-shelf-life"), 10) || 0;
  var start = form.querySelector("[name=start_slot]");
  var qty = form.querySelector("[name=quantity]");
  var modes = form.querySelectorAll("[name=qty_mode]");
  var slots = form.querySelectorAll("svg.sheet .slot");

  function mode() {
    for (var i = 0; i < modes.length; i++) { if (modes[i].checked) return modes[i].value; }
    return "labels";
  }
  function clampStart() {
    var n = parseInt(start.value, 10);
    if (!(n >= 1)) n = 1;
    if (n > perPage) n = perPage;
    return n;
  }
  function copies(first) {
    var q = parseInt(qty.value, 10);
    if (!(q >= 1)) q = 1;
    return mode() === "sheets" ? q * perPage - (first - 1) : q;
  }
  function setText(name, value) {
    var el = form.querySelector("[data-v=" + name + "]");
    if (el) el.textContent = value;
  }
  // The first-sheet picture is rendered from the print PDF itself: follow the chosen start label and count.
  var preview = document.getElementById("sheet-preview");
  var timer = null;
  function updatePreview(first, n) {
    if (!preview) return;
    var url = new URL(preview.getAttribute("src"), window.location.href);
    if (url.searchParams.get("mulai") === String(first) && url.searchParams.get("jumlah") === String(n)) return;
    url.searchParams.set("mulai", first);
    url.searchParams.set("jumlah", n);
    clearTimeout(timer);
    timer = setTimeout(function () { preview.src = url.pathname + url.search; }, 300);
  }
  function update() {
    var first = clampStart();
    var n = copies(first);
    updatePreview(first, n);
    var sheets = Math.floor((first - 1 + n - 1) / perPage) + 1;
    slots.forEach(function (el) {
      var k = parseInt(el.getAttribute("data-slot"), 10);
      el.classList.remove("used", "print", "free", "start");
      el.classList.add(k < first ? "used" : (k < first + n ? "print" : "free"));
      if (k === first) el.classList.add("start");
      el.setAttribute("aria-pressed", k === first ? "true" : "false");
    });
    setText("start", first);
    setText("skip", first - 1);
    setText("copies", n);
    setText("sheets", sheets);
    var skip = form.querySelector("[data-if-skip]");
    if (skip) skip.hidden = first <= 1;
  }
  slots.forEach(function (el) {
    el.setAttribute("role", "button");
    el.addEventListener("click", function (ev) {
      ev.preventDefault();
      start.value = el.getAttribute("data-slot");
      update();
    });
    el.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); el.dispatchEvent(new MouseEvent("click")); }
    });
  });
  [start, qty].forEach(function (el) { if (el) el.addEventListener("input", update); });
  modes.forEach(function (el) { el.addEventListener("change", update); });

  // A different stock needs a different sheet picture: reload the form for it.
  var stock = form.querySelector("[name=layout_id]");
  if (stock) stock.addEventListener("change", function () {
    window.location = form.getAttribute("data-stock-url") + "?stok=" + encodeURIComponent(stock.value);
  });

  // Expiry follows the production date (production date + shelf life); the operator may pick earlier.
  var made = form.querySelector("[name=production_date]");
  var expiry = form.querySelector("[name=expiry_date]");
  if (made && expiry && shelfLife) made.addEventListener("change", function () {
    var d = new Date(made.value + "T00:00:00Z");
    if (isNaN(d)) return;
    d.setUTCDate(d.getUTCDate() + shelfLife);
    expiry.value = d.toISOString().slice(0, 10);
  });
  update();
})();
