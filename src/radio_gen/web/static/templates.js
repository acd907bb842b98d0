// radio-gen newsroom: the template editor (line numbers, the error's line) and its live preview. Plain JS.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }

  ready(function () {
    var area = document.getElementById("source");
    if (!area) return;
    var box = area.closest(".editor");
    var gutter = box.querySelector(".gutter");
    var errorLine = parseInt(box.dataset.errorLine || "0", 10) || 0;
    var shown = -1;

    // One number per line of the text; the line the sandbox complained about is marked.
    function numbers() {
      var count = area.value.split("\n").length;
      if (count === shown && !numbers.dirty) return;
      shown = count;
      numbers.dirty = false;
      gutter.textContent = "";
      for (var i = 1; i <= count; i++) {
        var span = document.createElement("span");
        span.textContent = String(i);
        if (i === errorLine) span.className = "bad";
        gutter.appendChild(span);
      }
      gutter.scrollTop = area.scrollTop;
    }
    function markError(line) {
      errorLine = line || 0;
      box.dataset.errorLine = errorLine ? String(errorLine) : "";
      numbers.dirty = true;
      numbers();
    }
    area.addEventListener("scroll", function () { gutter.scrollTop = area.scrollTop; });
    numbers();

    // The preview: the template's unsaved text rendered for today's articles, a moment after typing stops.
    var list = document.getElementById("preview");
    var problem = document.getElementById("preview-error");
    var state = document.getElementById("preview-state");
    var program = document.getElementById("preview-program");
    var token = document.querySelector("meta[name=csrf-token]").getAttribute("content");
    var timer = null;
    var asked = 0;

    function show(result) {
      list.textContent = "";
      problem.textContent = "";
      (result.problems || []).forEach(function (text) {
        var p = document.createElement("p");
        p.textContent = text;
        problem.appendChild(p);
      });
      markError(result.ok ? 0 : result.line);
      (result.segments || []).forEach(function (segment) {
        var li = document.createElement("li");
        li.className = "pv-" + segment.kind + (segment.item ? " pv-item" : "");
        li.textContent = segment.text;
        list.appendChild(li);
      });
      box.classList.toggle("has-error", !result.ok);
      // The error shown after a refused save was about the text before this one.
      var refused = document.getElementById("save-error");
      if (result.ok && refused) refused.hidden = true;
    }

    function render() {
      var mine = ++asked;
      state.textContent = state.dataset.loading;
      fetch(area.dataset.preview, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
        body: JSON.stringify({ source: area.value, program: program ? program.value : "" })
      }).then(function (response) { return response.json(); }).then(function (result) {
        if (mine !== asked) return;               // an older answer arriving late
        state.textContent = "";
        show(result);
        list.dataset.rendered = String(mine);
      }).catch(function () { if (mine === asked) state.textContent = ""; });
    }

    area.addEventListener("input", function () {
      numbers();
      clearTimeout(timer);
      timer = setTimeout(render, 500);
    });
    if (program) program.addEventListener("change", render);
    render();
  });
})();
