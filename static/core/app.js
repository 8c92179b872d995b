// Small behaviours shared by every page; no inline scripts (the CSP forbids them).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches("[data-autosubmit]")) { el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
    var copy = event.target.closest("[data-copy]");
    if (copy && navigator.clipboard) {
      navigator.clipboard.writeText(document.getElementById(copy.getAttribute("data-copy")).textContent.trim());
    }
  });
  function drawCharts(root) {
    if (!window.echarts) { return; }
    var theme = document.body.getAttribute("data-chart-theme") || null;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var data = JSON.parse(document.getElementById(el.getAttribute("data-chart")).textContent);
      var mapId = el.getAttribute("data-chart-map");
      if (mapId) { window.echarts.registerMap("zone", JSON.parse(document.getElementById(mapId).textContent)); }
      var chart = window.echarts.init(el, theme);
      if (theme) { data.backgroundColor = "transparent"; }
      chart.setOption(data);
      // Every chart element opens the list behind it: links[series][data index].
      var linksId = el.getAttribute("data-chart-links");
      if (linksId) {
        var links = JSON.parse(document.getElementById(linksId).textContent);
        var target = el.getAttribute("data-chart-target");
        chart.on("click", function (p) {
          var url = (links[p.seriesIndex] || [])[p.dataIndex];
          if (!url) { return; }
          // A chart with a target panel loads the element's details beside it (htmx).
          if (target && window.htmx) { window.htmx.ajax("GET", url, target); } else { window.location.assign(url); }
        });
        el.setAttribute("data-chart-ready", "true");
      }
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  // A wall display reloads itself (the big screen).
  document.addEventListener("DOMContentLoaded", function () {
    var seconds = parseInt(document.body.getAttribute("data-refresh-seconds") || "0", 10);
    if (seconds > 0) { window.setTimeout(function () { window.location.reload(); }, seconds * 1000); }
  });
  // On a phone a list is a stack of cards (gaoxin.css `.table-cards`): each cell is labelled
  // with its column's heading, so no column is squeezed to one character per line. A table
  // opts out with `data-no-cards` (one that must keep its grid, e.g. a calendar).
  var PHONE = window.matchMedia("(max-width: 767.98px)");
  function cardTables(root) {
    if (!PHONE.matches) { return; }
    root.querySelectorAll("table.table").forEach(function (table) {
      if (table.classList.contains("table-cards") || table.hasAttribute("data-no-cards")) { return; }
      if (!table.tHead || !table.tHead.rows.length) { return; }
      var heads = [];
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
        for (var k = 0; k < (th.colSpan || 1); k++) { heads.push(th.innerText.trim()); }
      });
      Array.prototype.forEach.call(table.tBodies, function (body) {
        Array.prototype.forEach.call(body.rows, function (tr) {
          var i = 0;
          Array.prototype.forEach.call(tr.cells, function (td) {
            if (!td.hasAttribute("data-label") && heads[i]) { td.setAttribute("data-label", heads[i]); }
            i += td.colSpan || 1;
          });
        });
      });
      table.classList.add("table-cards");
    });
  }
  // The big screen (数据大屏) fits its wall display: scaled down to the window's height, never
  // scrolled (the layout is drawn for 1920 wide; the charts redraw at the new size).
  function fitScreen() {
    var body = document.body;
    if (!body.classList.contains("cockpit-screen")) { return; }
    var page = document.documentElement;
    body.style.zoom = "";
    var zoom = Math.floor((window.innerHeight / page.scrollHeight) * 1000) / 1000;
    if (zoom >= 1) { return; }
    // Zoomed text and borders round: shrink a little more until nothing scrolls.
    do {
      body.style.zoom = String(zoom);
      zoom -= 0.005;
    } while (page.scrollHeight > window.innerHeight && zoom > 0.3);
    window.dispatchEvent(new Event("resize"));
  }
  document.addEventListener("DOMContentLoaded", function () { cardTables(document); drawCharts(document); fitScreen(); });
  window.addEventListener("load", function () { fitScreen(); });
  document.addEventListener("htmx:afterSwap", function (e) { cardTables(e.target); drawCharts(e.target); });
})();
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
