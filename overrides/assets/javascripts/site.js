/* The site's own script, one deferred file for every page (kept out of the page's HTML, and cached):
   the reading settings' buttons, the search's opener and the read-aloud buttons' loader. */

/* Reading settings: 适老模式 and 字号 (大/中/小), remembered across pages and visits in localStorage (no server,
   no cookies). The head's script (partials/head-extra.html) defines pubReading.apply() and applies the saved
   settings before the first paint; here the header's buttons save a choice and apply it again. */
(function () {
  "use strict";
  function save(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: this page only */ }
  }
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-pub-elder-toggle], [data-pub-size-choice]") : null;
    if (!target) return;
    if (target.hasAttribute("data-pub-elder-toggle")) {
      save("pub-elder", document.documentElement.getAttribute("data-pub-elder") === "1" ? "0" : "1");
    } else {
      save("pub-size", target.getAttribute("data-pub-size-choice"));
    }
    window.pubReading.apply();
  });
  window.pubReading.apply();  // the buttons exist now: mark the pressed ones
})();

/* The header's search (partials/search.html): opens on focus, on the header button (phones),
   or on "/" and "s". Only then are its results panel made live and search.js fetched. */
(function () {
  "use strict";
  var box = document.querySelector(".pub-search"), toggle = document.getElementById("__search");
  if (!box || !toggle) return;
  var input = box.querySelector(".md-search__input"), loading = null;
  function load() {
    var later = box.querySelector("template.pub-search__later");
    if (later) later.replaceWith(later.content);
    loading = loading || import(new URL(box.getAttribute("data-pub-search"), location.href).href)
      .then(function (m) { return m.start(box, toggle); })
      .catch(function (e) { loading = null; box.querySelector(".md-search-result__meta").textContent = "搜索暂时无法使用"; throw e; });
    return loading;
  }
  function open() { toggle.checked = true; input.focus(); load(); }
  input.addEventListener("focus", function () { toggle.checked = true; load(); });
  toggle.addEventListener("change", function () { if (toggle.checked) open(); });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key === "Escape" && toggle.checked) {
      toggle.checked = false; input.blur();
    } else if ((e.key === "/" || e.key === "s") && !e.ctrlKey && !e.metaKey && !e.altKey &&
        !(t && t.closest && t.closest("input, textarea, select, [contenteditable]"))) {
      e.preventDefault(); open();
    }
  });
})();

/* 语音朗读 (partials/reading-controls.html, item pages): shown only where the browser can speak Chinese, that is
   has speech synthesis and a zh voice (voices may arrive late: voiceschanged). The reading itself is in
   read-aloud.js, fetched on the first press, so that a reader who never listens loads nothing more. */
(function () {
  "use strict";
  var box = document.querySelector("[data-pub-aloud]"), synth = window.speechSynthesis;
  if (!box || !synth || !window.SpeechSynthesisUtterance) return;
  function reveal() {
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if (/^zh([-_]|$)/i.test(voices[i].lang || "")) { box.hidden = false; return; }
    }
  }
  reveal();
  if (box.hidden && synth.addEventListener) synth.addEventListener("voiceschanged", reveal);
  var loading = null;
  box.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button") : null;
    if (!button) return;
    loading = loading || import(new URL(box.getAttribute("data-pub-aloud"), location.href).href)
      .then(function (m) { return m.start(box); })
      .catch(function (e) { loading = null; box.querySelector("[data-pub-aloud-status]").textContent = "朗读暂时无法使用"; throw e; });
    loading.then(function (reader) { reader.press(button); });
  });
})();
