// Draws the dashboard's charts from the JSON the page embeds (#dashboard-data).
// Every mark links to the filtered task list it counts (item.url).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("dashboard-data").textContent);
  var colours = { red: "#d93025", yellow: "#e8a500", blue: "#1a73e8", green: "#188038", grey: "#8a939c" };
  var font = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif';
  var charts = [];

  function draw(id, option, items) {
    var element = document.getElementById(id);
    if (!element) return;
    var chart = echarts.init(element, null, { renderer: "canvas" });
    option.textStyle = { fontFamily: font };
    option.animation = false;
    chart.setOption(option);
    chart.on("click", function (params) {
      var item = items[params.dataIndex];
      if (item && item.url) window.location.href = item.url;
    });
    charts.push(chart);
  }

  function names(items) { return items.map(function (item) { return item.name; }); }
  function values(items) { return items.map(function (item) { return item.value; }); }

  draw("chart-lights", {
    tooltip: { trigger: "item", formatter: "{b}：{c} 项（{d}%）" },
    legend: { bottom: 0 },
    series: [{
      type: "pie", radius: ["45%", "72%"], center: ["50%", "45%"],
      label: { formatter: "{b}\n{c}" },
      data: data.lights.map(function (item) {
        return { name: item.name, value: item.value, itemStyle: { color: colours[item.colour] } };
      })
    }]
  }, data.lights);

  draw("chart-sections", {
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
    grid: { left: 8, right: 40, top: 10, bottom: 10, containLabel: true },
    xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%", hideOverlap: true } },
    // On a phone the section names take at most 40 % of the chart, leaving room for the bars.
    yAxis: { type: "category", inverse: true, data: names(data.sections),
             axisLabel: { width: Math.min(220, Math.round(((document.getElementById("chart-sections") || {}).clientWidth || 550) * 0.4)),
                          overflow: "truncate" } },
    series: [{ type: "bar", data: values(data.sections), label: { show: true, position: "right", formatter: "{c}%" },
               itemStyle: { color: "#174ea6" } }]
  }, data.sections);

  draw("chart-departments", {
    tooltip: { trigger: "axis" },
    legend: { data: ["完成进度", "按期完成率"], top: 0 },
    grid: { left: 8, right: 20, top: 30, bottom: 10, containLabel: true },
    xAxis: { type: "category", data: data.departments.map(function (item) {
      return item.name + (item.reported ? "★" : "");
    }), axisLabel: { interval: 0, rotate: data.departments.length > 12 ? 40 : 0 } },
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    series: [
      { name: "完成进度", type: "bar", data: values(data.departments), itemStyle: { color: "#174ea6" } },
      { name: "按期完成率", type: "bar", data: data.departments.map(function (item) { return item.onTime; }),
        itemStyle: { color: "#188038" } }
    ]
  }, data.departments);

  draw("chart-quarters", {
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
    grid: { left: 8, right: 30, top: 20, bottom: 10, containLabel: true },
    xAxis: { type: "category", data: names(data.quarters) },
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    series: [{ type: "line", data: values(data.quarters), label: { show: true, formatter: "{c}%" },
               symbolSize: 10, itemStyle: { color: "#b3261e" } }]
  }, data.quarters);

  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
})();
