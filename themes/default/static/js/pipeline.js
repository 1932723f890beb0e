// Filtering and sorting for the procurement pipeline table. The page is complete without it:
// this only hides rows and reorders them, and announces how many rows are shown.
(function () {
  "use strict";
  var table = document.querySelector("[data-pipeline-table]");
  var panel = document.querySelector("[data-pipeline-filters]");
  if (!table || !panel) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var status = panel.querySelector("[data-filter-status]");
  var controls = panel.querySelectorAll("[data-filter]");
  panel.hidden = false;

  function matches(row, filters) {
    if (filters.department && row.getAttribute("data-department") !== filters.department) return false;
    if (filters.band && row.getAttribute("data-band") !== filters.band) return false;
    if (filters.quarter && row.getAttribute("data-quarter") !== filters.quarter) return false;
    if (filters.text) {
      var words = filters.text.toLowerCase().split(/\s+/).filter(Boolean);
      var text = row.textContent.toLowerCase();
      for (var i = 0; i < words.length; i++) if (text.indexOf(words[i]) < 0) return false;
    }
    return true;
  }

  function apply() {
    var filters = {};
    controls.forEach(function (control) { filters[control.getAttribute("data-filter")] = control.value.trim(); });
    var shown = 0;
    rows.forEach(function (row) {
      var visible = matches(row, filters);
      row.hidden = !visible;
      if (visible) shown++;
    });
    status.textContent = "Showing " + shown + " of " + rows.length + " projects.";
  }
  controls.forEach(function (control) { control.addEventListener("input", apply); });

  // Sorting: each sortable heading becomes a button; aria-sort tells screen readers the order.
  var headings = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headings, function (heading, column) {
    var kind = heading.getAttribute("data-sort");
    if (!kind) return;
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
        if (kind === "number") return row.getAttribute("data-value") === "" ? null : parseFloat(row.getAttribute("data-value"));
        if (kind === "date") return row.getAttribute("data-start") || null;
        return row.cells[column].textContent.trim().toLowerCase();
      };
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (x === y) return 0;
        if (x === null) return 1; // unknown values last, whichever the order
        if (y === null) return -1;
        return (x < y ? -1 : 1) * (ascending ? 1 : -1);
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  // A link such as /procurement/?department=Adult%20Care (from a department's page) opens filtered.
  var wanted = new URLSearchParams(location.search).get("department");
  var select = panel.querySelector('[data-filter="department"]');
  if (wanted && select && Array.prototype.some.call(select.options, function (option) { return option.value === wanted; })) select.value = wanted;
  apply();
})();
