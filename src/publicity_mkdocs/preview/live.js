// The preview's live script. scripts/serve.py adds it to every page it serves; `mkdocs build` never writes it.
// It asks the preview (this host only) what changed: when the pages did, the page reloads; when the content
// has errors, a panel lists each one (file, line, problem, fix) over the last good version of the page.
// Everything shown is set as text (textContent), never as HTML.
(function () {
  "use strict";
  var script = document.currentScript;
  var shown = script ? Number(script.getAttribute("data-site")) : NaN;  // the pages' version this page comes from
  var panel = null;

  function line(parent, tag, text, css) {
    var element = document.createElement(tag);
    element.textContent = text;
    if (css) element.style.cssText = css;
    parent.appendChild(element);
    return element;
  }

  function show(state) {
    var problems = state.problems || [];
    if (!problems.length) {
      if (panel) panel.remove();
      panel = null;
      return;
    }
    if (!panel) {
      panel = document.createElement("section");
      panel.id = "pub-preview-problems";
      panel.setAttribute("role", "alert");
      panel.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:10000;max-height:45vh;overflow:auto;" +
        "background:#fff8e1;color:#1a1a1a;border-top:4px solid #b71c1c;padding:0.8em 1.2em;font-size:16px;" +
        "line-height:1.5;box-shadow:0 -2px 8px rgba(0,0,0,.3);font-family:sans-serif";
      document.body.appendChild(panel);
    }
    panel.textContent = "";
    var heading = state.site > 0
      ? "内容有 " + problems.length + " 处错误，预览显示的是上一次没有错误时的页面。改正并保存后，这里会自动更新："
      : "内容有 " + problems.length + " 处错误，还没有可以预览的页面。改正并保存后，页面会自动出现：";
    line(panel, "h2", heading, "margin:0 0 .5em;font-size:18px;color:#b71c1c");
    var list = line(panel, "ol", "", "margin:0;padding-left:1.5em");
    problems.forEach(function (problem) {
      var item = line(list, "li", "", "margin:.3em 0");
      line(item, "strong", problem.path + ":" + problem.line);
      line(item, "span", "：" + problem.message);
      if (problem.fix) line(item, "div", "改法：" + problem.fix, "color:#333");
    });
  }

  function poll() {
    fetch("/__preview/state", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.site !== shown && state.site > 0) {
          location.reload();
          return;
        }
        show(state);
        setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 1000); });  // the preview stopped or restarts: ask again
  }

  poll();
})();
