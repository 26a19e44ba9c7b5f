// Stock advice: the design page shows the stocks at once and "checking which stocks hold every
// mandatory item"; this asks the server (wizard.design_stock_advice) until the answer is ready and
// puts the judged cards in place. The editor asks when its stock panel is opened. The producer's
// own pick is kept. Without JavaScript the note's link shows the same answer.
(function () {
  "use strict";
  var note = document.querySelector("[data-advice-url]");
  if (!note) return;
  var url = note.getAttribute("data-advice-url");
  var tries = 0;
  var started = false;

  function apply(j) {
    var grid = note.parentNode.querySelector(".optgrid.stocks");
    if (!grid) return;
    var picked = grid.querySelector("input[name=layout_id]:checked");
    var userPick = picked && picked.getAttribute("data-user") === "yes" ? picked.value : null;
    var holder = document.createElement("div");
    holder.innerHTML = j.html;
    var fresh = holder.querySelector(".optgrid.stocks");
    if (!fresh) return;
    grid.parentNode.replaceChild(fresh, grid);
    if (userPick) {
      var again = fresh.querySelector("input[name=layout_id][value='" + userPick + "']");
      if (again) again.checked = true;
    }
    var form = fresh.closest("form");
    if (form && j.default_set && !form.querySelector("input[name=label_set]:checked")) {
      var set = form.querySelector("input[name=label_set][value='" + j.default_set + "']");
      if (set) set.checked = true;
    }
    // the start form's style gallery follows the stock now checked (gallery.js listens on the form)
    var now = fresh.querySelector("input[name=layout_id]:checked");
    if (form && now && form.classList.contains("start")) now.dispatchEvent(new Event("change", { bubbles: true }));
    note.remove();
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        if (j.ready) { apply(j); return; }
        if (++tries < 120) setTimeout(poll, 1000);
      })
      .catch(function () { if (++tries < 120) setTimeout(poll, 3000); });
  }

  function start() {
    if (started) return;
    started = true;
    poll();
  }

  // a pick made while waiting is the producer's: keep it when the judged cards arrive
  note.parentNode.addEventListener("change", function (ev) {
    if (ev.target && ev.target.name === "layout_id") ev.target.setAttribute("data-user", "yes");
  });
  var panel = note.closest("details");
  if (note.getAttribute("data-advice-when") === "open" && panel && !panel.open) {
    panel.addEventListener("toggle", function () { if (panel.open) start(); });
  } else {
    start();
  }
})();
