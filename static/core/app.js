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
  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSwap", function (e) { drawCharts(e.target); });
})();
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});
