// radio-gen newsroom: the program page's player, timeline and sentence buttons. Plain JS, no build step.
(function () {
  "use strict";
  function ready(fn) { if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn); }

  ready(function () {
    var player = document.getElementById("program-audio");
    var sentence = document.getElementById("sentence-audio");
    if (!player) return;

    // Clicking a timeline block or a segment's time seeks the program there.
    document.querySelectorAll("[data-start].tl, button.seek").forEach(function (el) {
      el.addEventListener("click", function () {
        if (sentence) sentence.pause();
        player.currentTime = parseFloat(el.dataset.start);
        var playing = player.play();
        if (playing && playing.catch) playing.catch(function () {});
      });
    });

    // Each sentence plays on its own, spoken as on air (same voice, cache, leveling).
    document.querySelectorAll("button.say").forEach(function (button) {
      button.addEventListener("click", function () {
        player.pause();
        document.querySelectorAll("button.say.playing").forEach(function (b) { b.classList.remove("playing"); });
        button.classList.add("playing");
        sentence.src = button.dataset.src;
        var playing = sentence.play();
        if (playing && playing.catch) playing.catch(function () { button.classList.remove("playing"); });
      });
    });
    if (sentence) sentence.addEventListener("ended", function () {
      document.querySelectorAll("button.say.playing").forEach(function (b) { b.classList.remove("playing"); });
    });

    // The segment being heard is marked in the timeline and the script.
    var segments = Array.prototype.slice.call(document.querySelectorAll(".seg[data-start]"));
    var blocks = Array.prototype.slice.call(document.querySelectorAll(".timeline .tl"));
    player.addEventListener("timeupdate", function () {
      var t = player.currentTime;
      segments.forEach(function (seg, i) {
        var on = t >= parseFloat(seg.dataset.start) && t < parseFloat(seg.dataset.end);
        seg.classList.toggle("now", on);
        if (blocks[i]) blocks[i].classList.toggle("now", on);
      });
    });
  });
})();
