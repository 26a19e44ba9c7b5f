// Studio Kemasan: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // Forms with data-once: disable the submit button after the first click (double-click safety;
  // the server also refuses a second identical submission).
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.hasAttribute("data-once")) return;
    if (form.dataset.sent) { ev.preventDefault(); return; }
    form.dataset.sent = "1";
    var btn = form.querySelector("[type=submit]");
    if (btn) { btn.setAttribute("aria-disabled", "true"); btn.classList.add("busy"); }
  });
  // Elements with data-poll-url: poll a JSON job status and reload when it is finished.
  document.querySelectorAll("[data-poll-url]").forEach(function (el) {
    var url = el.getAttribute("data-poll-url");
    var bar = el.querySelector(".meter > span");
    var msg = el.querySelector("[data-poll-message]");
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (j) {
          if (bar) bar.style.width = Math.round((j.progress || 0) * 100) + "%";
          if (msg && j.message) msg.textContent = j.message;
          if (j.finished) { window.location.reload(); } else { setTimeout(tick, 1000); }
        })
        .catch(function () { setTimeout(tick, 3000); });
    }
    setTimeout(tick, 800);
  });
})();

// A form with data-confirm asks before it is sent (e.g. "Hapus data demo").
document.addEventListener("submit", function (e) {
  var msg = e.target && e.target.getAttribute && e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { e.preventDefault(); e.stopImmediatePropagation(); }
}, true);
