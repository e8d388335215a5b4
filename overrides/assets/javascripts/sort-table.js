/* Sorting a table by any column (the 政府信息公开目录, partials/disclosure-catalogue.html), without a framework.
   Loaded only by the pages with such a table, as an external file: the site's Content-Security-Policy allows no
   inline script or handler. Without this script the table reads the same, in the order the build wrote it.

   Each column heading becomes a button; the sorted column carries aria-sort, and a polite live region says what
   the order is now. A cell's data-pub-sort (an ISO date) is compared instead of its text when it has one. */
(function () {
  "use strict";
  var collator = new Intl.Collator("zh-CN", { numeric: true, sensitivity: "base" });

  function key(row, column) {
    var cell = row.cells[column];
    return cell ? (cell.getAttribute("data-pub-sort") || cell.textContent.trim()) : "";
  }

  function setUp(table) {
    var headings = table.tHead.rows[0].cells, body = table.tBodies[0];
    var status = document.createElement("p");
    status.className = "pub-visually-hidden";
    status.setAttribute("role", "status");
    table.parentNode.insertBefore(status, table.nextSibling);
    Array.prototype.forEach.call(headings, function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "pub-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var descending = th.getAttribute("aria-sort") === "ascending";
        var rows = Array.prototype.map.call(body.rows, function (row, n) { return { row: row, n: n }; });
        rows.sort(function (a, b) {
          var order = collator.compare(key(a.row, column), key(b.row, column));
          return (descending ? -order : order) || a.n - b.n;  // ties keep their order
        });
        rows.forEach(function (r) { body.appendChild(r.row); });
        Array.prototype.forEach.call(headings, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        status.textContent = "已按" + button.textContent.trim() + (descending ? "降序" : "升序") + "排列";
      });
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table[data-pub-sortable]"), setUp);
})();
