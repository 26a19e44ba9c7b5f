// Studio Kemasan, step "Foto": upload with progress, delete confirmation and the correction editor.
// Progressive: without this file the pages still upload, list, choose and apply options.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.querySelectorAll(".js-only").forEach(function (el) { el.hidden = false; });

  // ---------------------------------------------------------------- confirmations
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) ev.preventDefault();
  }, true);

  // ---------------------------------------------------------------- upload
  function setPct(span, pct) {
    span.className = "pct-" + Math.max(0, Math.min(100, Math.round(pct / 5) * 5));
  }

  document.querySelectorAll("form[data-photo-upload]").forEach(function (form) {
    var input = form.querySelector("input[type=file]:not([data-camera-input])");
    var camera = form.querySelector("[data-camera-input]");
    var cameraBtn = form.querySelector("[data-camera-button]");
    var state = form.querySelector("[data-upload-state]");
    var message = form.querySelector("[data-upload-message]");
    var bar = state ? state.querySelector(".meter > span") : null;
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 0;
    var busy = false;

    function show(text, isError) {
      state.hidden = false;
      message.textContent = text;
      state.classList.toggle("is-error", !!isError);
    }

    function send(fileInput) {
      var file = fileInput.files && fileInput.files[0];
      if (!file || busy) return;
      if (maxBytes && file.size > maxBytes) { show(form.getAttribute("data-msg-too-big"), true); fileInput.value = ""; return; }
      busy = true;
      form.classList.add("is-sending");
      show(form.getAttribute("data-msg-sending") + " " + file.name, false);
      var data = new FormData();
      form.querySelectorAll("input[type=hidden]").forEach(function (h) { data.append(h.name, h.value); });
      data.append("photo", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.onprogress = function (e) { if (e.lengthComputable && bar) setPct(bar, 100 * e.loaded / e.total); };
      xhr.setRequestHeader("Accept", "application/json");
      xhr.onload = function () {
        var reply = null;
        try { reply = JSON.parse(xhr.responseText); } catch (e) { reply = null; }
        if (xhr.status >= 200 && xhr.status < 300 && reply && reply.url) {
          // The photos page, scrolled to the new photo. Same page + new #hash would only scroll: reload.
          var next = new URL(reply.url, window.location.href);
          if (next.pathname === window.location.pathname && next.search === window.location.search) {
            window.location.hash = next.hash;
            window.location.reload();
          } else {
            window.location.assign(next.href);
          }
          return;
        }
        busy = false; form.classList.remove("is-sending");
        fileInput.value = "";
        if (bar) setPct(bar, 0);
        var why = reply && reply.errors && reply.errors.length ? reply.errors.join(" ") : form.getAttribute("data-msg-failed");
        show(why, true);
      };
      xhr.onerror = function () {
        busy = false; form.classList.remove("is-sending");
        show(form.getAttribute("data-msg-failed"), true);
      };
      xhr.send(data);
    }

    input.addEventListener("change", function () { send(input); });
    if (camera && cameraBtn) {
      cameraBtn.addEventListener("click", function () { camera.click(); });
      camera.addEventListener("change", function () { send(camera); });
    }
  });

  // ---------------------------------------------------------------- correction editor
  var COLOURS = { fg: "#16a34a", bg: "#dc2626", box: "#0f6b5c", crop: "#ffffff" };

  document.querySelectorAll("[data-photo-editor]").forEach(function (root) {
    var img = root.querySelector("img.editor-img");
    if (!img) return;
    var W = parseInt(root.getAttribute("data-width"), 10);
    var H = parseInt(root.getAttribute("data-height"), 10);
    var hidden = document.getElementById("marks");
    var initial = {};
    try { initial = JSON.parse(root.getAttribute("data-initial") || "{}"); } catch (e) { initial = {}; }
    var state = {
      box: initial.box || null, crop: initial.crop || null,
      fg: (initial.fg_points || []).slice(), bg: (initial.bg_points || []).slice()
    };
    var history = [];
    var tool = "box";
    var canvas = document.createElement("canvas");
    canvas.className = "editor-canvas";
    canvas.setAttribute("aria-label", img.alt);
    root.appendChild(canvas);
    var ctx = canvas.getContext("2d");
    var overlay = null;
    var overlayUrl = root.getAttribute("data-overlay-url");
    var showCut = document.querySelector("[data-show-cut]");
    var help = document.querySelector("[data-tool-help]");
    var summary = document.querySelector("[data-mark-summary]");
    var brush = 0.01 * Math.max(W, H);     // the engine's default brush radius (1 % of the longer side)
    var drag = null;

    function snapshot() { return JSON.stringify(state); }
    function save() {
      if (hidden) {
        hidden.value = JSON.stringify({ box: state.box, crop: state.crop, fg_points: state.fg, bg_points: state.bg });
      }
      if (summary) {
        var parts = [];
        if (state.box) parts.push("1 " + summary.getAttribute("data-box"));
        if (state.crop) parts.push("1 " + summary.getAttribute("data-crop"));
        if (state.fg.length) parts.push(state.fg.length + " " + summary.getAttribute("data-fg"));
        if (state.bg.length) parts.push(state.bg.length + " " + summary.getAttribute("data-bg"));
        summary.textContent = parts.length ? parts.join(" · ") : summary.getAttribute("data-none");
      }
    }
    function remember() { history.push(snapshot()); if (history.length > 50) history.shift(); }

    function toImage(ev) {
      var r = canvas.getBoundingClientRect();
      var x = (ev.clientX - r.left) / r.width * W, y = (ev.clientY - r.top) / r.height * H;
      return [Math.round(Math.max(0, Math.min(W - 1, x)) * 10) / 10, Math.round(Math.max(0, Math.min(H - 1, y)) * 10) / 10];
    }

    function resize() {
      var r = img.getBoundingClientRect();
      var dpr = window.devicePixelRatio || 1;
      canvas.width = Math.max(1, Math.round(r.width * dpr));
      canvas.height = Math.max(1, Math.round(r.height * dpr));
      canvas.style.width = r.width + "px";
      canvas.style.height = r.height + "px";
      draw();
    }

    function rectOf(b, s) { return [b[0] * s, b[1] * s, (b[2] - b[0]) * s, (b[3] - b[1]) * s]; }

    function drawMarks(list, colour, s, dpr) {
      ctx.strokeStyle = colour; ctx.fillStyle = colour;
      ctx.lineCap = "round"; ctx.lineJoin = "round";
      list.forEach(function (m) {
        var isTap = typeof m[0] === "number";
        var pts = isTap ? [m] : m;
        ctx.globalAlpha = 0.55;
        ctx.lineWidth = Math.max(6 * dpr, 2 * brush * s);
        ctx.beginPath();
        pts.forEach(function (p, i) { if (i) ctx.lineTo(p[0] * s, p[1] * s); else ctx.moveTo(p[0] * s, p[1] * s); });
        if (pts.length > 1) ctx.stroke();
        ctx.globalAlpha = 1;
        var p0 = pts[0];
        ctx.beginPath();
        ctx.arc(p0[0] * s, p0[1] * s, Math.max(7 * dpr, brush * s), 0, 2 * Math.PI);
        ctx.fill();
        ctx.lineWidth = 2 * dpr; ctx.strokeStyle = "#ffffff"; ctx.stroke(); ctx.strokeStyle = colour;
      });
    }

    function draw() {
      var dpr = window.devicePixelRatio || 1;
      var s = canvas.width / W;
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      if (overlay && showCut && showCut.checked) {
        ctx.fillStyle = "rgba(0,0,0,0.55)";
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(overlay, 0, 0, canvas.width, canvas.height);
      }
      var crop = drag && drag.tool === "crop" ? drag.rect : state.crop;
      if (crop) {
        var c = rectOf(crop, s);
        ctx.fillStyle = "rgba(0,0,0,0.45)";
        ctx.fillRect(0, 0, canvas.width, c[1]);
        ctx.fillRect(0, c[1] + c[3], canvas.width, canvas.height - c[1] - c[3]);
        ctx.fillRect(0, c[1], c[0], c[3]);
        ctx.fillRect(c[0] + c[2], c[1], canvas.width - c[0] - c[2], c[3]);
        ctx.setLineDash([]); ctx.lineWidth = 2 * dpr; ctx.strokeStyle = COLOURS.crop;
        ctx.strokeRect(c[0], c[1], c[2], c[3]);
      }
      var box = drag && drag.tool === "box" ? drag.rect : state.box;
      if (box) {
        var b = rectOf(box, s);
        ctx.lineWidth = 5 * dpr; ctx.strokeStyle = "#ffffff"; ctx.setLineDash([]);
        ctx.strokeRect(b[0], b[1], b[2], b[3]);
        ctx.lineWidth = 3 * dpr; ctx.strokeStyle = COLOURS.box; ctx.setLineDash([10 * dpr, 6 * dpr]);
        ctx.strokeRect(b[0], b[1], b[2], b[3]);
        ctx.setLineDash([]);
      }
      drawMarks(state.fg, COLOURS.fg, s, dpr);
      drawMarks(state.bg, COLOURS.bg, s, dpr);
      if (drag && drag.stroke) drawMarks([drag.stroke], COLOURS[drag.tool], s, dpr);
    }

    function setTool(name) {
      tool = name;
      document.querySelectorAll(".tool[data-tool]").forEach(function (b) {
        b.setAttribute("aria-pressed", b.getAttribute("data-tool") === name ? "true" : "false");
      });
      if (help) help.textContent = help.getAttribute("data-help-" + name) || "";
      root.setAttribute("data-active-tool", name);
    }

    canvas.addEventListener("pointerdown", function (ev) {
      if (ev.button !== undefined && ev.button > 0) return;
      ev.preventDefault();
      canvas.setPointerCapture(ev.pointerId);
      var p = toImage(ev);
      if (tool === "box" || tool === "crop") drag = { tool: tool, start: p, rect: [p[0], p[1], p[0], p[1]] };
      else drag = { tool: tool, stroke: [p], moved: 0, last: p };
      draw();
    });
    canvas.addEventListener("pointermove", function (ev) {
      if (!drag) return;
      ev.preventDefault();
      var p = toImage(ev);
      if (drag.rect) {
        drag.rect = [Math.min(drag.start[0], p[0]), Math.min(drag.start[1], p[1]),
                     Math.max(drag.start[0], p[0]), Math.max(drag.start[1], p[1])];
      } else {
        var d = Math.hypot(p[0] - drag.last[0], p[1] - drag.last[1]);
        if (d >= brush * 0.6) { drag.stroke.push(p); drag.moved += d; drag.last = p; }
      }
      draw();
    });
    function finish(ev) {
      if (!drag) return;
      var d = drag; drag = null;
      if (d.rect) {
        var big = (d.rect[2] - d.rect[0]) >= 0.03 * W && (d.rect[3] - d.rect[1]) >= 0.03 * H;
        if (big && ev.type === "pointerup") { remember(); state[d.tool] = d.rect; }
      } else if (ev.type === "pointerup") {
        remember();
        var tap = d.moved < brush * 1.5 || d.stroke.length < 2;
        state[d.tool].push(tap ? d.stroke[0] : d.stroke);
      }
      save(); draw();
    }
    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);

    document.querySelectorAll(".tool[data-tool]").forEach(function (b) {
      b.addEventListener("click", function () { setTool(b.getAttribute("data-tool")); });
    });
    var undo = document.querySelector("[data-undo]");
    if (undo) undo.addEventListener("click", function () {
      if (!history.length) return;
      state = JSON.parse(history.pop()); save(); draw();
    });
    var clear = document.querySelector("[data-clear]");
    if (clear) clear.addEventListener("click", function () {
      remember(); state = { box: null, crop: null, fg: [], bg: [] }; save(); draw();
    });
    if (overlayUrl && showCut) {
      showCut.addEventListener("change", function () {
        if (!overlay) {
          overlay = new Image();
          overlay.onload = draw;
          overlay.src = overlayUrl;
        }
        draw();
      });
    }
    if (img.complete) resize(); else img.addEventListener("load", resize);
    window.addEventListener("resize", resize);
    setTool("box");
    save();
  });
})();
