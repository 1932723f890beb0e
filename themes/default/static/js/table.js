// Filtering and sorting for a dataset's table. The page is complete without it: this only hides
// rows and reorders them (the rows of this page), and announces how many rows are shown.
(function () {
  "use strict";
  var table = document.querySelector("[data-sortable-table]");
  var panel = document.querySelector("[data-table-filters]");
  if (!table || !panel) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var input = panel.querySelector("input");
  var status = panel.querySelector("[data-filter-status]");
  panel.hidden = false;

  function apply() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.textContent.toLowerCase();
      var visible = words.every(function (word) { return text.indexOf(word) >= 0; });
      row.hidden = !visible;
      if (visible) shown++;
    });
    status.textContent = "Showing " + shown + " of " + rows.length + " rows on this page.";
  }
  input.addEventListener("input", apply);

  // Sorting: each heading becomes a button; numbers sort as numbers, dates by the date their
  // <time> gives, the rest as text.
  var headings = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headings, function (heading, column) {
    var numeric = heading.classList.contains("number");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.textContent = heading.textContent;
    heading.textContent = "";
    heading.appendChild(button);
    button.addEventListener("click", function () {
      var ascending = heading.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(headings, function (other) { other.removeAttribute("aria-sort"); });
      heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var key = function (row) {
        var time = row.cells[column].querySelector("time[datetime]");
        if (time) return time.getAttribute("datetime");
        var text = row.cells[column].textContent.trim();
        if (!numeric) return text.toLowerCase();
        return text === "" ? null : parseFloat(text.replace(/,/g, "").replace("\u2212", "-"));
      };
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (x === y) return 0;
        if (x === null) return 1; // blanks last, whichever the order
        if (y === null) return -1;
        return (x < y ? -1 : 1) * (ascending ? 1 : -1);
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  apply();
})();
