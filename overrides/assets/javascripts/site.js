/* The site's own script, one deferred file for every page (kept out of the page's HTML, and cached):
   the reading settings' buttons and the search's opener. */

/* Reading settings: 适老模式 and 字号 (大/中/小), remembered across pages and visits.
   The head applies the saved settings before the first paint (partials/head-extra.html);
   this wires the header's buttons. No server, no cookies: localStorage only. */
(function () {
  "use strict";
  var root = document.documentElement;
  var SCALE = { small: 0.9, medium: 1, large: 1.15 };

  function load(key, fallback) {
    try { return window.localStorage.getItem(key) || fallback; } catch (e) { return fallback; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(key, value); } catch (e) { /* private mode: this page only */ }
  }
  function apply() {
    var elder = load("pub-elder", "0") === "1";
    var size = load("pub-size", "medium");
    if (!SCALE[size]) size = "medium";
    root.setAttribute("data-pub-elder", elder ? "1" : "0");
    root.setAttribute("data-pub-size", size);
    root.style.setProperty("--pub-scale", String((elder ? 1.25 : 1) * SCALE[size]));
    var toggle = document.querySelector("[data-pub-elder-toggle]");
    if (toggle) toggle.setAttribute("aria-pressed", elder ? "true" : "false");
    var buttons = document.querySelectorAll("[data-pub-size-choice]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", buttons[i].getAttribute("data-pub-size-choice") === size ? "true" : "false");
    }
  }
  window.pubReading = { apply: apply };
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-pub-elder-toggle], [data-pub-size-choice]") : null;
    if (!target) return;
    if (target.hasAttribute("data-pub-elder-toggle")) {
      save("pub-elder", load("pub-elder", "0") === "1" ? "0" : "1");
    } else {
      save("pub-size", target.getAttribute("data-pub-size-choice"));
    }
    apply();
  });
  apply();
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
