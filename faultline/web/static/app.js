// faultline dashboard: the charts, drawn by plotly.js (served by the app) from the JSON
// each page carries. No other script, style or font is loaded.
"use strict";

function readJSON(id) {
  const node = document.getElementById(id);
  return node ? JSON.parse(node.textContent) : null;
}

function pageQuery(keep) {
  // the window (since, until) of this page, for links to other views
  const params = new URLSearchParams(window.location.search);
  const out = new URLSearchParams();
  for (const key of keep) { if (params.get(key)) out.set(key, params.get(key)); }
  const text = out.toString();
  return text ? "?" + text : "";
}

const SIGN = { "-": "#c0392b", "+": "#1e8449", "0": "#95a5a6" };
const CONFIG = { displaylogo: false, responsive: true };

function drawNetwork() {
  const data = readJSON("graph-data");
  const box = document.getElementById("network");
  if (!data || !box || !window.Plotly) return;
  if (!data.nodes.length) { box.textContent = "No relationships in this window."; return; }
  const n = data.nodes.length;
  const at = {};
  data.nodes.forEach((node, k) => {
    const angle = 2 * Math.PI * k / n + Math.PI / 2;
    at[node.id] = [Math.cos(angle), Math.sin(angle)];
  });
  const most = Math.max(...data.edges.map(e => e.events), 1);
  const traces = [];
  const mids = { x: [], y: [], text: [], color: [], pair: [] };
  for (const e of data.edges) {
    const [x0, y0] = at[e.a], [x1, y1] = at[e.b];
    traces.push({ x: [x0, x1], y: [y0, y1], mode: "lines", hoverinfo: "skip", showlegend: false,
                  line: { color: SIGN[e.sign] || SIGN["0"], width: 1 + 9 * Math.sqrt(e.events / most) } });
    mids.x.push((x0 + x1) / 2); mids.y.push((y0 + y1) / 2); mids.color.push(SIGN[e.sign] || SIGN["0"]);
    mids.text.push(`${e.a}–${e.b}: score ${e.score >= 0 ? "+" : ""}${e.score.toFixed(2)}, ${e.events} events`);
    mids.pair.push([e.a, e.b]);
  }
  traces.push({ x: mids.x, y: mids.y, mode: "markers", hovertext: mids.text, hoverinfo: "text",
                customdata: mids.pair, marker: { size: 11, color: mids.color }, showlegend: false,
                name: "pairs" });
  traces.push({ x: data.nodes.map(d => at[d.id][0]), y: data.nodes.map(d => at[d.id][1]),
                mode: "markers+text", text: data.nodes.map(d => d.id), textposition: "middle center",
                hovertext: data.nodes.map(d => `${d.id}: ${d.events} events`), hoverinfo: "text",
                customdata: data.nodes.map(d => [d.id]), name: "actors",
                marker: { size: 44, color: "#2c3e50" }, textfont: { color: "white", size: 12 },
                showlegend: false });
  const layout = { height: 480, margin: { l: 10, r: 10, t: 10, b: 10 }, plot_bgcolor: "white",
                   hovermode: "closest",
                   xaxis: { visible: false, range: [-1.3, 1.3] },
                   yaxis: { visible: false, range: [-1.3, 1.3], scaleanchor: "x" } };
  Plotly.newPlot(box, traces, layout, CONFIG).then(() => {
    box.on("plotly_click", event => {
      const point = event.points[0];
      const ids = point && point.customdata;
      if (!ids) return;
      const query = pageQuery(["since", "until"]);
      window.location.href = ids.length === 2 ? `/pair/${ids[0]}/${ids[1]}${query}` : `/actors/${ids[0]}`;
    });
    box.dataset.ready = "true";
  });
}

function monthEnd(month) {
  const [y, m] = month.split("-").map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(last).padStart(2, "0")}`;
}

function timeSlider() {
  const months = readJSON("months-data");
  const form = document.getElementById("window");
  const slider = document.getElementById("slider");
  if (!months || !months.length || !form || !slider) return;
  const from = document.getElementById("from-month"), to = document.getElementById("to-month");
  const label = document.getElementById("months");
  const since = form.elements.since, until = form.elements.until;
  for (const range of [from, to]) { range.max = String(months.length - 1); }
  const index = (value, fallback) => {
    const k = value ? months.indexOf(value.slice(0, 7)) : -1;
    return k >= 0 ? k : fallback;
  };
  from.value = String(index(since.value, 0));
  to.value = String(index(until.value, months.length - 1));
  const show = () => {
    if (Number(from.value) > Number(to.value)) to.value = from.value;
    label.textContent = `${months[from.value]} – ${months[to.value]}`;
  };
  const apply = () => {
    since.value = `${months[from.value]}-01`;
    until.value = monthEnd(months[to.value]);
    form.submit();
  };
  for (const range of [from, to]) {
    range.addEventListener("input", show);
    range.addEventListener("change", apply);
  }
  show();
  slider.hidden = false;
}

const QUAD = { 1: ["verbal cooperation", "#82e0aa"], 2: ["material cooperation", "#1e8449"],
               3: ["verbal conflict", "#f5b041"], 4: ["material conflict", "#c0392b"] };

function drawTimeline() {
  const data = readJSON("timeline-data");
  const box = document.getElementById("timeline");
  if (!data || !box || !window.Plotly) return;
  if (!data.periods.length) { box.textContent = "No dated events between them."; return; }
  const periods = [...new Set(data.periods.map(p => p.period))].sort();
  const count = (quad, period) => data.periods.filter(p => p.period === period)
    .reduce((sum, p) => sum + (p.by_quad[quad] || 0), 0);
  const traces = Object.entries(QUAD).map(([quad, [name, color]]) => ({
    type: "bar", name, x: periods, y: periods.map(p => count(quad, p)), marker: { color } }));
  traces.push({ type: "scatter", mode: "lines+markers", name: "summed intensity", yaxis: "y2",
                x: periods, line: { color: "#2c3e50" },
                y: periods.map(p => data.periods.filter(q => q.period === p)
                                               .reduce((sum, q) => sum + q.intensity, 0)) });
  const layout = { barmode: "stack", height: 340, margin: { l: 45, r: 55, t: 20, b: 40 },
                   plot_bgcolor: "white", legend: { orientation: "h", y: -0.2 },
                   yaxis: { title: { text: "events" } },
                   yaxis2: { title: { text: "intensity" }, overlaying: "y", side: "right",
                             zeroline: true, zerolinecolor: "#999" } };
  Plotly.newPlot(box, traces, layout, CONFIG).then(() => { box.dataset.ready = "true"; });
}

drawNetwork();
timeSlider();
drawTimeline();
