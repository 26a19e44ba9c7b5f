// Review pages: pin a comment by clicking the label, link list items to markers, keyboard
// shortcuts for working through the queue. Every page works without this file (comments are
// then general, decisions are plain forms).
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";

  function typing(el) {
    return el && (el.tagName === "TEXTAREA" || el.tagName === "INPUT" || el.tagName === "SELECT" || el.isContentEditable);
  }

  // --- pin a comment on the label -------------------------------------------------------
  var preview = document.querySelector(".pf-preview.pin-target");
  var form = document.getElementById("komentar-form");
  if (preview && form) {
    var wMm = parseFloat(preview.getAttribute("data-w-mm"));
    var hMm = parseFloat(preview.getAttribute("data-h-mm"));
    var px = document.getElementById("pin-x"), py = document.getElementById("pin-y");
    var status = document.getElementById("pin-status");
    var clear = form.querySelector("[data-clear-pin]");
    var body = document.getElementById("comment-body");
    var general = status ? status.textContent : "";
    var layer = preview.querySelector("svg.pin-markers");
    var r = layer ? parseFloat(layer.getAttribute("data-pin-r")) : Math.max(wMm, hMm) * 0.03;
    var marker = null;

    function setPin(x, y) {
      px.value = x.toFixed(1);
      py.value = y.toFixed(1);
      if (layer) {
        if (!marker) {
          marker = document.createElementNS(SVG, "g");
          marker.setAttribute("class", "pin new");
          var c = document.createElementNS(SVG, "circle");
          c.setAttribute("r", r);
          var t = document.createElementNS(SVG, "text");
          t.setAttribute("font-size", r * 1.2);
          t.textContent = "+";
          marker.appendChild(c);
          marker.appendChild(t);
          layer.appendChild(marker);
        }
        marker.firstChild.setAttribute("cx", x);
        marker.firstChild.setAttribute("cy", y);
        marker.lastChild.setAttribute("x", x);
        marker.lastChild.setAttribute("y", y);
      }
      if (status) {
        status.textContent = (document.documentElement.lang === "en" ? "Pinned at " : "Ditempel di ") +
          x.toFixed(1) + " × " + y.toFixed(1) + " mm";
        status.classList.add("pinned");
      }
      if (clear) clear.hidden = false;
      if (body) body.focus();
    }

    function clearPin() {
      px.value = "";
      py.value = "";
      if (marker) { marker.remove(); marker = null; }
      if (status) { status.textContent = general; status.classList.remove("pinned"); }
      if (clear) clear.hidden = true;
    }

    preview.addEventListener("click", function (ev) {
      var img = preview.querySelector("img");
      var box = img.getBoundingClientRect();
      if (!box.width || !box.height) return;
      var x = (ev.clientX - box.left) / box.width * wMm;
      var y = (ev.clientY - box.top) / box.height * hMm;
      if (x < 0 || y < 0 || x > wMm || y > hMm) return;
      setPin(x, y);
    });
    if (clear) clear.addEventListener("click", clearPin);
  }

  // --- show/hide the preflight markers --------------------------------------------------
  var toggle = document.querySelector("[data-toggle-marks]");
  var anyPreview = document.querySelector(".pf-preview");
  function toggleMarks() { if (anyPreview) anyPreview.classList.toggle("marks-hidden"); }
  if (toggle && anyPreview) { toggle.hidden = false; toggle.addEventListener("click", toggleMarks); }

  // --- link list items and markers (hover or keyboard focus highlights both) ------------
  function link(listSel, attr, markSel) {
    document.querySelectorAll(listSel + "[" + attr + "]").forEach(function (li) {
      var n = li.getAttribute(attr);
      var marks = document.querySelectorAll(markSel + "[" + attr + '="' + n + '"]');
      function on() { li.classList.add("hl"); marks.forEach(function (m) { m.classList.add("hl"); }); }
      function off() { li.classList.remove("hl"); marks.forEach(function (m) { m.classList.remove("hl"); }); }
      li.addEventListener("mouseenter", on);
      li.addEventListener("mouseleave", off);
      li.addEventListener("focus", on);
      li.addEventListener("blur", off);
    });
  }
  link(".pf-item", "data-pf", ".pf-mark");
  link(".rv-comments li", "data-pin", ".pin");

  // --- submit a textarea's form with Ctrl+Enter -----------------------------------------
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && ev.target.tagName === "TEXTAREA" && ev.target.form) {
      ev.preventDefault();
      if (ev.target.form.requestSubmit) ev.target.form.requestSubmit(); else ev.target.form.submit();
    }
  });

  // --- keyboard shortcuts ----------------------------------------------------------------
  var queueLinks = Array.prototype.slice.call(document.querySelectorAll("[data-queue-item]"));
  if (queueLinks.length && !typing(document.activeElement)) queueLinks[0].focus();

  function go(id) { var el = document.getElementById(id); if (el) { el.focus(); el.scrollIntoView({ block: "center" }); } }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) return;
    var k = ev.key;
    if (queueLinks.length && (k === "j" || k === "k")) {
      var i = queueLinks.indexOf(document.activeElement);
      i = k === "j" ? Math.min(queueLinks.length - 1, i + 1) : Math.max(0, i - 1);
      queueLinks[i].focus();
      ev.preventDefault();
    } else if (k === "c") { go("comment-body"); ev.preventDefault(); }
    else if (k === "a") { go("approve-btn"); ev.preventDefault(); }
    else if (k === "r") { go("changes-body"); ev.preventDefault(); }
    else if (k === "m") { toggleMarks(); }
    else if (k === "n") {
      var next = document.getElementById("next-link") || document.getElementById("queue-link");
      if (next) window.location.href = next.href;
    }
  });
})();
