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
  // data-poll-schedule: the waits in ms ("300 500 500 … 3000", the last repeats; the answer's
  // next_ms, when larger, wins: a photo waiting its turn is asked about less often); a list with
  // data-poll-phases shows which phase (li[data-phase]) is done, current or to come.
  function markPhases(list, phase) {
    var items = list.querySelectorAll("li[data-phase]");
    var at = -1;
    items.forEach(function (li, i) { if (li.getAttribute("data-phase") === phase) at = i; });
    if (at < 0) return;
    items.forEach(function (li, i) {
      var state = i < at ? "done" : (i === at ? "current" : "todo");
      li.className = "is-" + state;
      if (state === "current") li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
      var word = li.querySelector("[data-phase-state]");
      if (word) word.textContent = state === "todo" ? "" : (list.getAttribute("data-word-" + state) || "");
    });
  }
  document.querySelectorAll("[data-poll-url]").forEach(function (el) {
    var url = el.getAttribute("data-poll-url");
    var bar = el.querySelector(".meter > span");
    var msg = el.querySelector("[data-poll-message]");
    var phases = el.querySelector("[data-poll-phases]");
    var waits = (el.getAttribute("data-poll-schedule") || "800 1000").split(/\s+/).map(Number)
      .filter(function (n) { return n > 0; });
    var n = 0;
    function next() { return waits.length ? waits[Math.min(n++, waits.length - 1)] : 1000; }
    function tick() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (j) {
          if (bar) bar.style.width = Math.round((j.progress || 0) * 100) + "%";
          if (msg && j.message) msg.textContent = j.message;
          if (phases && j.phase) markPhases(phases, j.phase);
          if (j.finished) { window.location.reload(); } else { setTimeout(tick, Math.max(next(), j.next_ms || 0)); }
        })
        .catch(function () { setTimeout(tick, 3000); });
    }
    setTimeout(tick, next());
  });
})();

// A form with data-confirm asks before it is sent (e.g. "Hapus data demo").
document.addEventListener("submit", function (e) {
  var msg = e.target && e.target.getAttribute && e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { e.preventDefault(); e.stopImmediatePropagation(); }
}, true);
