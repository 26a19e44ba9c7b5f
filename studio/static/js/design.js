// Label designer: posts the designer's small forms with fetch (JSON answer), swaps the preview,
// the problem list and the element frames, and lets the producer drag/resize elements on the
// preview. Everything here has a no-JS fallback: the same forms post and redirect.
(function () {
  "use strict";
  var root = document.getElementById("designer");
  if (!root || root.getAttribute("data-editable") !== "yes") return;
  document.documentElement.classList.add("js");
  var labelW = parseFloat(root.getAttribute("data-label-w"));
  var labelH = parseFloat(root.getAttribute("data-label-h"));
  var safe = parseFloat(root.getAttribute("data-safe")) || 0;
  var stage = root.querySelector(".stage");
  var img = root.querySelector(".preview");
  var overlay = root.querySelector(".overlay");
  var busyNote = root.querySelector(".busy-note");
  var findings = document.getElementById("findings");
  var moveForm = root.querySelector(".moveform");
  var tagSelect = moveForm ? moveForm.querySelector("select[name=tag]") : null;
  var selected = null;
  var pending = 0;
  root.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });
  // Frames on the preview show while "Atur posisi" is open (or while an element is selected).
  var movePart = document.getElementById("move");
  if (movePart) {
    movePart.addEventListener("toggle", function () { root.classList.toggle("editing", movePart.open); });
  }

  function busy(on) {
    pending += on ? 1 : -1;
    stage.classList.toggle("busy", pending > 0);
    if (busyNote) busyNote.hidden = pending <= 0;
  }

  function post(form, extra) {
    var data = new FormData(form);
    if (extra) Object.keys(extra).forEach(function (k) { data.set(k, extra[k]); });
    busy(true);
    return fetch(form.getAttribute("action") || window.location.pathname, {
      method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" }
    }).then(function (r) { return r.json(); }).then(function (j) {
      apply(j);
      return j;
    }).catch(function () {
      form.submit();   // network trouble: fall back to the plain form post
    }).finally(function () { busy(false); });
  }

  function apply(j) {
    if (j.error) { showError(j.error); } else { showError(null); }
    if (j.label_w_mm && (j.label_w_mm !== labelW || j.label_h_mm !== labelH)) {
      window.location.reload();   // another stock: the page's sizes and pictures change
      return;
    }
    if (j.preview_url && img.getAttribute("src") !== j.preview_url) {
      var next = new Image();
      var v = j.preview_url.slice(-12);
      // the style thumbnails follow once the label itself is shown: they do not delay it
      var thumbs = function () {
        root.querySelectorAll("img.thumb").forEach(function (t) {
          t.src = t.src.replace(/v=[0-9a-f]+/, "v=" + v);
        });
      };
      next.onload = function () { img.src = j.preview_url; thumbs(); };
      next.onerror = thumbs;
      next.src = j.preview_url;
    }
    if (j.findings_html !== undefined) findings.innerHTML = j.findings_html;
    if (j.elements) drawElements(j.elements);
  }

  var errorBox = null;
  function showError(msg) {
    if (!msg) { if (errorBox) { errorBox.remove(); errorBox = null; } return; }
    if (!errorBox) {
      errorBox = document.createElement("p");
      errorBox.className = "flash flash-error";
      errorBox.setAttribute("role", "alert");
      stage.parentNode.insertBefore(errorBox, stage.nextSibling);
    }
    errorBox.textContent = msg;
  }

  // Forms marked data-live: post on change (radios, checkboxes, colours) and on submit.
  root.querySelectorAll("form[data-live]").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var extra = null;
      if (ev.submitter && ev.submitter.name) { extra = {}; extra[ev.submitter.name] = ev.submitter.value; }
      post(form, extra);
    });
    if (form === moveForm) return;
    var timer = null;
    form.addEventListener("change", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { post(form); }, form.querySelector("input[type=color]") ? 350 : 0);
    });
  });
  // A preset fills the three colour pickers, so "my own colours" starts from it.
  root.querySelectorAll("input[name=preset][data-colours]").forEach(function (r) {
    r.addEventListener("change", function () {
      var cols = r.getAttribute("data-colours").split(",");
      ["primary", "accent", "text"].forEach(function (n, i) {
        var c = r.form.querySelector("input[name=" + n + "]");
        if (c) c.value = cols[i].toLowerCase();
      });
    });
  });
  // A chosen colour means "my own colours".
  root.querySelectorAll("input[type=color]").forEach(function (c) {
    c.addEventListener("input", function () {
      var custom = c.form.querySelector("input[name=preset][value=custom]");
      if (custom) custom.checked = true;
    });
  });

  // ---------------------------------------------------------------- element frames
  function pct(v, total) { return (100 * v / total) + "%"; }

  function drawElements(elements) {
    overlay.innerHTML = "";
    overlay.hidden = false;
    var s = document.createElement("div");
    s.className = "safe";
    s.style.left = pct(safe, labelW); s.style.top = pct(safe, labelH);
    s.style.width = pct(labelW - 2 * safe, labelW); s.style.height = pct(labelH - 2 * safe, labelH);
    overlay.appendChild(s);
    if (tagSelect) {
      var keep = tagSelect.value;
      tagSelect.innerHTML = "";
      elements.forEach(function (e) {
        var o = document.createElement("option");
        o.value = e.tag; o.textContent = e.name;
        o.setAttribute("data-box", [e.x_mm, e.y_mm, e.w_mm, e.h_mm].join(","));
        tagSelect.appendChild(o);
      });
      if (keep) tagSelect.value = keep;
      fillInputs();
    }
    elements.forEach(function (e) {
      var d = document.createElement("div");
      d.className = "el" + (selected === e.tag ? " sel" : "");
      d.setAttribute("data-tag", e.tag);
      d.setAttribute("tabindex", "0");
      d.setAttribute("role", "button");
      d.setAttribute("aria-label", e.name);
      place(d, e.x_mm, e.y_mm, e.w_mm, e.h_mm);
      var tip = document.createElement("span"); tip.className = "tip"; tip.textContent = e.name; d.appendChild(tip);
      var grip = document.createElement("span"); grip.className = "grip"; d.appendChild(grip);
      d._box = { x: e.x_mm, y: e.y_mm, w: e.w_mm, h: e.h_mm };
      overlay.appendChild(d);
      attachDrag(d, grip);
      d.addEventListener("keydown", function (ev) { keyMove(ev, d); });
    });
  }

  function place(d, x, y, w, h) {
    d.style.left = pct(x, labelW); d.style.top = pct(y, labelH);
    d.style.width = pct(w, labelW); d.style.height = pct(h, labelH);
  }

  function select(tag) {
    selected = tag;
    overlay.querySelectorAll(".el").forEach(function (el) {
      el.classList.toggle("sel", el.getAttribute("data-tag") === tag);
    });
    if (tagSelect) { tagSelect.value = tag; fillInputs(); }
  }

  function fillInputs() {
    if (!tagSelect || !tagSelect.selectedOptions.length) return;
    var b = tagSelect.selectedOptions[0].getAttribute("data-box").split(",");
    ["x_mm", "y_mm", "w_mm", "h_mm"].forEach(function (n, i) { moveForm.querySelector("[name=" + n + "]").value = b[i]; });
  }
  if (tagSelect) tagSelect.addEventListener("change", function () { select(tagSelect.value); });

  function clamp(b) {
    b.w = Math.max(2, Math.min(b.w, labelW - 2 * safe));
    b.h = Math.max(2, Math.min(b.h, labelH - 2 * safe));
    b.x = Math.min(Math.max(b.x, safe), labelW - safe - b.w);
    b.y = Math.min(Math.max(b.y, safe), labelH - safe - b.h);
    return b;
  }

  function commit(d) {
    var b = d._box;
    post(moveForm, { tag: d.getAttribute("data-tag"), nudge: "", x_mm: b.x.toFixed(1), y_mm: b.y.toFixed(1),
                     w_mm: b.w.toFixed(1), h_mm: b.h.toFixed(1) });
  }

  function attachDrag(d, grip) {
    d.addEventListener("pointerdown", function (ev) {
      ev.preventDefault();
      select(d.getAttribute("data-tag"));
      var resize = ev.target === grip;
      var rect = overlay.getBoundingClientRect();
      var mmPerPx = labelW / rect.width;
      var start = { x: ev.clientX, y: ev.clientY, b: Object.assign({}, d._box) };
      var moved = false;
      d.setPointerCapture(ev.pointerId);
      function onMove(e) {
        var dx = (e.clientX - start.x) * mmPerPx, dy = (e.clientY - start.y) * mmPerPx;
        if (Math.abs(dx) + Math.abs(dy) > 0.3) moved = true;
        var b = Object.assign({}, start.b);
        if (resize) { b.w += dx; b.h += dy; } else { b.x += dx; b.y += dy; }
        d._box = clamp(b);
        place(d, d._box.x, d._box.y, d._box.w, d._box.h);
      }
      function onUp() {
        d.removeEventListener("pointermove", onMove);
        d.removeEventListener("pointerup", onUp);
        d.removeEventListener("pointercancel", onUp);
        if (moved) commit(d);
      }
      d.addEventListener("pointermove", onMove);
      d.addEventListener("pointerup", onUp);
      d.addEventListener("pointercancel", onUp);
    });
  }

  function keyMove(ev, d) {
    var step = ev.shiftKey ? 5 : 1, b = Object.assign({}, d._box);
    if (ev.key === "ArrowLeft") b.x -= step; else if (ev.key === "ArrowRight") b.x += step;
    else if (ev.key === "ArrowUp") b.y -= step; else if (ev.key === "ArrowDown") b.y += step;
    else return;
    ev.preventDefault();
    select(d.getAttribute("data-tag"));
    d._box = clamp(b);
    place(d, d._box.x, d._box.y, d._box.w, d._box.h);
    clearTimeout(d._timer);
    d._timer = setTimeout(function () { commit(d); }, 400);
  }

  // First draw: read the elements from the move form's options.
  if (tagSelect) {
    var first = [];
    Array.prototype.forEach.call(tagSelect.options, function (o) {
      var b = o.getAttribute("data-box").split(",").map(parseFloat);
      first.push({ tag: o.value, name: o.textContent.replace(/\s*\(.*\)\s*$/, ""), x_mm: b[0], y_mm: b[1], w_mm: b[2], h_mm: b[3] });
    });
    img.addEventListener("load", function once() { img.removeEventListener("load", once); });
    drawElements(first);
  }
})();
