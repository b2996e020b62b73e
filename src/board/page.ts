/**
 * The board's single page (HTML, CSS and script as one string, so `npm run build` needs no asset copy).
 * It loads Chart.js from the server (`/static/chart.umd.js`, the chart.js package's UMD build), polls
 * `/api/runs` for a new generation of events and redraws in place. `window.__board` exposes the page's
 * state (charts, tags, graph ops) for tests and the curious.
 */
export const PAGE_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>tensorgraph board</title>
<style>
* { box-sizing: border-box; }
body { margin: 0; font-family: Helvetica, Arial, sans-serif; color: #222; background: #f4f5f7; }
header { display: flex; align-items: center; gap: 24px; padding: 0 16px; height: 48px; background: #ff6f00; color: white; }
header h1 { font-size: 18px; margin: 0; font-weight: 600; }
header nav button { background: none; border: none; color: white; font-size: 14px; padding: 14px 10px; cursor: pointer; opacity: 0.8; }
header nav button.active { opacity: 1; border-bottom: 3px solid white; }
#status { margin-left: auto; font-size: 12px; opacity: 0.9; }
main { display: flex; min-height: calc(100vh - 48px); }
aside { width: 240px; padding: 16px; background: white; border-right: 1px solid #ddd; font-size: 13px; }
aside h3 { font-size: 13px; margin: 16px 0 6px; color: #555; text-transform: uppercase; }
aside label { display: block; margin: 3px 0; }
#content { flex: 1; padding: 16px; overflow: auto; }
.cards { display: flex; flex-wrap: wrap; gap: 16px; }
.card { background: white; border: 1px solid #ddd; border-radius: 4px; padding: 10px; width: 480px; }
.card h4 { margin: 0 0 6px; font-size: 13px; font-weight: 600; word-break: break-all; }
.card canvas { width: 460px; height: 280px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
.empty { color: #777; font-style: italic; }
.view { display: none; }
.view.active { display: block; }
#graph-box { background: white; border: 1px solid #ddd; overflow: auto; max-height: calc(100vh - 140px); }
#graph-box .tg-scope { cursor: pointer; }
#graph-box .tg-op:hover rect, #graph-box .tg-scope:hover rect { stroke: #d62728; stroke-width: 2; }
#tooltip { position: fixed; pointer-events: none; background: rgba(30,30,30,0.92); color: white; font: 12px monospace;
  padding: 6px 8px; border-radius: 4px; white-space: pre; display: none; z-index: 10; max-width: 640px; overflow: hidden; }
.toolbar { margin-bottom: 8px; font-size: 13px; display: flex; gap: 8px; align-items: center; }
#errors { color: #b00020; font-size: 12px; white-space: pre-wrap; }
</style>
</head>
<body>
<header>
  <h1>tensorgraph board</h1>
  <nav>
    <button data-view="scalars" class="active">Scalars</button>
    <button data-view="histograms">Histograms</button>
    <button data-view="graph">Graph</button>
  </nav>
  <span id="status">loading…</span>
</header>
<main>
<aside>
  <h3>Runs</h3>
  <div id="runs"></div>
  <h3>Smoothing</h3>
  <input id="smoothing" type="range" min="0" max="0.999" step="0.001" value="0.6">
  <span id="smoothing-value">0.600</span>
  <h3>Horizontal axis</h3>
  <label><input type="radio" name="xaxis" value="step" checked> Step</label>
  <label><input type="radio" name="xaxis" value="relative"> Relative (seconds)</label>
  <label><input type="radio" name="xaxis" value="wall"> Wall time</label>
  <div id="errors"></div>
</aside>
<div id="content">
  <section id="view-scalars" class="view active"><div id="scalar-cards" class="cards"></div></section>
  <section id="view-histograms" class="view"><div id="histogram-cards" class="cards"></div></section>
  <section id="view-graph" class="view">
    <div class="toolbar">Run <select id="graph-run"></select>
      <button id="expand-all">Expand all</button><button id="collapse-all">Collapse all</button>
      <span>Click a name scope to expand or collapse it; hover over an op for its type, shapes and device.</span></div>
    <div id="graph-box"></div>
  </section>
</div>
</main>
<div id="tooltip"></div>
<script src="/static/chart.umd.js"></script>
<script>
(function () {
  'use strict';
  var COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  var params = new URLSearchParams(location.search);
  var POLL_MS = Math.max(100, Number(params.get('poll')) || 2000);
  var board = {
    generation: -1, runs: [], scalars: {}, histograms: {}, hidden: {}, smoothing: 0.6, xAxis: 'step',
    charts: {}, histogramCharts: {}, scalarTags: [], histogramTags: [], graphRun: null, expanded: [],
    graphOps: [], graphScopes: [], updates: 0, view: 'scalars', errors: [],
  };
  window.__board = board;

  function colorOf(run) {
    var i = board.runs.map(function (r) { return r.name; }).indexOf(run);
    return COLORS[(i < 0 ? 0 : i) % COLORS.length];
  }
  function getJSON(url) {
    return fetch(url, { cache: 'no-store' }).then(function (r) {
      if (!r.ok) throw new Error(url + ': ' + r.status);
      return r.json();
    });
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /** TensorBoard's smoothing: an exponential moving average, debiased as in Adam. */
  function smooth(values, weight) {
    var last = 0, n = 0, out = [];
    for (var i = 0; i < values.length; i++) {
      var v = values[i];
      if (!isFinite(v)) { out.push(v); continue; }
      last = last * weight + (1 - weight) * v;
      n++;
      var debias = weight === 1 ? 1 : 1 - Math.pow(weight, n);
      out.push(last / debias);
    }
    return out;
  }
  board.smooth = smooth;

  function xOf(p, first) {
    if (board.xAxis === 'relative') return p[1] - first;
    if (board.xAxis === 'wall') return p[1] * 1000;
    return p[0];
  }
  function xTick(v) {
    if (board.xAxis === 'wall') return new Date(v).toLocaleTimeString();
    if (board.xAxis === 'relative') return v < 120 ? v.toFixed(1) + ' s' : (v / 60).toFixed(1) + ' min';
    return v;
  }

  function renderRuns() {
    var box = document.getElementById('runs');
    box.textContent = '';
    if (!board.runs.length) box.appendChild(el('div', { class: 'empty' }, 'no event files yet'));
    board.runs.forEach(function (r) {
      var label = el('label');
      var cb = el('input', { type: 'checkbox', 'data-run': r.name });
      cb.checked = !board.hidden[r.name];
      cb.addEventListener('change', function () { board.hidden[r.name] = !cb.checked; renderScalars(); renderHistograms(); });
      var sw = el('span', { class: 'swatch' });
      sw.style.background = colorOf(r.name);
      label.appendChild(cb); label.appendChild(sw); label.appendChild(document.createTextNode(r.name));
      box.appendChild(label);
    });
    var sel = document.getElementById('graph-run');
    var withGraph = board.runs.filter(function (r) { return r.hasGraph; }).map(function (r) { return r.name; });
    if (sel.options.length !== withGraph.length) {
      sel.textContent = '';
      withGraph.forEach(function (n) { sel.appendChild(el('option', { value: n }, n)); });
    }
    if (board.graphRun === null || withGraph.indexOf(board.graphRun) < 0) board.graphRun = withGraph[0] || null;
    if (board.graphRun !== null) sel.value = board.graphRun;
  }

  function card(container, key, title) {
    var id = 'card-' + encodeURIComponent(key);
    var c = document.getElementById(id);
    if (c) return c.querySelector('canvas');
    c = el('div', { class: 'card', id: id, 'data-tag': key });
    c.appendChild(el('h4', {}, title));
    var canvas = el('canvas', { width: '460', height: '280' });
    c.appendChild(canvas);
    container.appendChild(c);
    return canvas;
  }

  function scalarDatasets(tag) {
    var sets = [];
    board.runs.forEach(function (r) {
      var pts = (board.scalars[r.name] || {})[tag];
      if (!pts || board.hidden[r.name]) return;
      var first = pts.length ? pts[0][1] : 0;
      var sm = smooth(pts.map(function (p) { return p[2]; }), board.smoothing);
      var color = colorOf(r.name);
      sets.push({ label: r.name, run: r.name, kind: 'smoothed', borderColor: color, backgroundColor: color,
        borderWidth: 2, pointRadius: 0, data: pts.map(function (p, i) { return { x: xOf(p, first), y: sm[i], step: p[0] }; }) });
      sets.push({ label: r.name + ' (raw)', run: r.name, kind: 'raw', borderColor: color + '40', backgroundColor: color + '40',
        borderWidth: 1, pointRadius: 0, data: pts.map(function (p) { return { x: xOf(p, first), y: p[2], step: p[0] }; }) });
    });
    return sets;
  }

  function renderScalars() {
    var container = document.getElementById('scalar-cards');
    var tags = {};
    Object.keys(board.scalars).forEach(function (run) { Object.keys(board.scalars[run]).forEach(function (t) { tags[t] = true; }); });
    board.scalarTags = Object.keys(tags).sort();
    if (!board.scalarTags.length) { container.textContent = ''; container.appendChild(el('p', { class: 'empty' }, 'No scalar summaries yet.')); return; }
    var empty = container.querySelector('.empty');
    if (empty) empty.remove();
    board.scalarTags.forEach(function (tag) {
      var canvas = card(container, 'scalar:' + tag, tag);
      var datasets = scalarDatasets(tag);
      var chart = board.charts[tag];
      if (!chart) {
        chart = new Chart(canvas, {
          type: 'line',
          data: { datasets: datasets },
          options: {
            animation: false, responsive: false, parsing: true, normalized: true,
            interaction: { mode: 'nearest', intersect: false },
            scales: { x: { type: 'linear', ticks: { callback: function (v) { return xTick(v); } } }, y: { type: 'linear' } },
            plugins: {
              legend: { labels: { filter: function (item, data) { return data.datasets[item.datasetIndex].kind === 'smoothed'; } } },
              tooltip: { filter: function (item) { return item.dataset.kind === 'smoothed'; },
                callbacks: { title: function (items) { return items.length ? 'step ' + items[0].raw.step : ''; } } },
            },
          },
        });
        board.charts[tag] = chart;
      } else {
        chart.data.datasets = datasets;
        chart.update('none');
      }
    });
  }

  /** Re-bins a TF histogram (sparse buckets, upper limits) into n equal bins over [lo, hi]. */
  function rebin(h, lo, hi, n) {
    var out = new Array(n).fill(0);
    var width = (hi - lo) / n || 1;
    for (var i = 0; i < h.bucket.length; i++) {
      var count = h.bucket[i];
      if (!count) continue;
      var left = Math.max(i === 0 ? h.min : h.bucketLimit[i - 1], h.min);
      var right = Math.min(h.bucketLimit[i], h.max);
      if (!(right > left)) { var k = Math.min(n - 1, Math.max(0, Math.floor((left - lo) / width))); out[k] += count; continue; }
      for (var b = 0; b < n; b++) {
        var bl = lo + b * width, br = bl + width;
        var overlap = Math.min(right, br) - Math.max(left, bl);
        if (overlap > 0) out[b] += count * overlap / (right - left);
      }
    }
    return out;
  }
  board.rebin = rebin;

  function renderHistograms() {
    var container = document.getElementById('histogram-cards');
    var keys = [];
    board.runs.forEach(function (r) {
      Object.keys(board.histograms[r.name] || {}).sort().forEach(function (t) { keys.push([t, r.name]); });
    });
    var tags = {};
    keys.forEach(function (k) { tags[k[0]] = true; });
    board.histogramTags = Object.keys(tags).sort();
    if (!keys.length) { container.textContent = ''; container.appendChild(el('p', { class: 'empty' }, 'No histogram summaries yet.')); return; }
    var empty = container.querySelector('.empty');
    if (empty) empty.remove();
    keys.forEach(function (k) {
      var tag = k[0], run = k[1], key = tag + ' @ ' + run;
      var hs = board.histograms[run][tag];
      var canvas = card(container, 'histogram:' + key, tag + ' — ' + run);
      canvas.parentNode.style.display = board.hidden[run] ? 'none' : '';
      var lo = Infinity, hi = -Infinity;
      hs.forEach(function (h) { if (h.num > 0) { lo = Math.min(lo, h.min); hi = Math.max(hi, h.max); } });
      if (!isFinite(lo)) { lo = 0; hi = 1; }
      if (hi === lo) { lo -= 0.5; hi += 0.5; }
      var N = 30, width = (hi - lo) / N;
      // At most 12 steps drawn, evenly spaced, the latest always; older steps lighter.
      var pick = [];
      var every = Math.max(1, Math.ceil(hs.length / 12));
      for (var i = hs.length - 1; i >= 0; i -= every) pick.unshift(i);
      var datasets = pick.map(function (idx, j) {
        var h = hs[idx];
        var counts = rebin(h, lo, hi, N);
        var a = pick.length === 1 ? 1 : 0.15 + 0.85 * j / (pick.length - 1);
        var c = 'rgba(255,111,0,' + a.toFixed(2) + ')';
        return { label: 'step ' + h.step, step: h.step, borderColor: c, backgroundColor: c, borderWidth: 1.5, pointRadius: 0,
          data: counts.map(function (v, b) { return { x: lo + (b + 0.5) * width, y: v }; }) };
      });
      var chart = board.histogramCharts[key];
      if (!chart) {
        chart = new Chart(canvas, {
          type: 'line', data: { datasets: datasets },
          options: { animation: false, responsive: false, interaction: { mode: 'nearest', intersect: false },
            scales: { x: { type: 'linear', ticks: { callback: function (v) { return Number(v).toPrecision(3); } } },
              y: { type: 'linear', title: { display: true, text: 'count' } } },
            plugins: { legend: { display: false } } },
        });
        board.histogramCharts[key] = chart;
      } else { chart.data.datasets = datasets; chart.update('none'); }
      chart.$steps = hs.map(function (h) { return h.step; });
    });
  }

  function loadGraph() {
    var box = document.getElementById('graph-box');
    if (board.graphRun === null) { box.innerHTML = '<p class="empty">No graph in these event files (pass the graph to FileWriter).</p>'; return Promise.resolve(); }
    var url = '/api/graph?run=' + encodeURIComponent(board.graphRun) + '&expanded=' + encodeURIComponent(JSON.stringify(board.expanded));
    return fetch(url, { cache: 'no-store' }).then(function (r) { return r.text().then(function (t) { return [r.ok, t]; }); }).then(function (res) {
      if (!res[0]) { box.textContent = res[1]; return; }
      box.innerHTML = res[1];
      board.graphOps = Array.prototype.map.call(box.querySelectorAll('.tg-op'), function (g) { return g.getAttribute('data-name'); });
      board.graphScopes = Array.prototype.map.call(box.querySelectorAll('.tg-scope'), function (g) { return g.getAttribute('data-scope'); });
      board.graphLoaded = (board.graphLoaded || 0) + 1;
    });
  }
  board.loadGraph = loadGraph;

  function toggleScope(scope) {
    var i = board.expanded.indexOf(scope);
    if (i >= 0) board.expanded = board.expanded.filter(function (s) { return s !== scope && s.indexOf(scope + '/') !== 0; });
    else board.expanded.push(scope);
    return loadGraph();
  }
  board.toggleScope = toggleScope;

  var graphBox = document.getElementById('graph-box');
  graphBox.addEventListener('click', function (ev) {
    var g = ev.target.closest('.tg-scope');
    if (g) toggleScope(g.getAttribute('data-scope'));
  });
  var tip = document.getElementById('tooltip');
  graphBox.addEventListener('mousemove', function (ev) {
    var g = ev.target.closest('.tg-op, .tg-scope, .tg-edge');
    var t = g && g.querySelector('title');
    if (!t) { tip.style.display = 'none'; return; }
    tip.textContent = t.textContent;
    tip.style.display = 'block';
    tip.style.left = (ev.clientX + 14) + 'px';
    tip.style.top = (ev.clientY + 14) + 'px';
  });
  graphBox.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
  document.getElementById('graph-run').addEventListener('change', function (ev) { board.graphRun = ev.target.value; board.expanded = []; loadGraph(); });
  document.getElementById('expand-all').addEventListener('click', function () {
    getJSON('/api/graph/scopes?run=' + encodeURIComponent(board.graphRun || '')).then(function (s) { board.expanded = s.scopes; loadGraph(); });
  });
  document.getElementById('collapse-all').addEventListener('click', function () { board.expanded = []; loadGraph(); });

  document.querySelectorAll('header nav button').forEach(function (b) {
    b.addEventListener('click', function () {
      board.view = b.getAttribute('data-view');
      document.querySelectorAll('header nav button').forEach(function (x) { x.classList.toggle('active', x === b); });
      document.querySelectorAll('.view').forEach(function (v) { v.classList.toggle('active', v.id === 'view-' + board.view); });
      if (board.view === 'graph') loadGraph();
    });
  });
  var slider = document.getElementById('smoothing');
  slider.addEventListener('input', function () {
    board.smoothing = Number(slider.value);
    document.getElementById('smoothing-value').textContent = board.smoothing.toFixed(3);
    renderScalars();
  });
  document.querySelectorAll('input[name=xaxis]').forEach(function (r) {
    r.addEventListener('change', function () { board.xAxis = r.value; renderScalars(); });
  });

  var polling = false;
  function poll() {
    if (polling) return Promise.resolve();
    polling = true;
    return getJSON('/api/runs').then(function (info) {
      board.errors = info.errors;
      document.getElementById('errors').textContent = info.errors.join('\\n');
      if (info.generation === board.generation) return;
      var graphChanged = JSON.stringify(info.runs.map(function (r) { return [r.name, r.graphVersion]; })) !==
        JSON.stringify(board.runs.map(function (r) { return [r.name, r.graphVersion]; }));
      board.generation = info.generation;
      board.runs = info.runs;
      return Promise.all([getJSON('/api/scalars'), getJSON('/api/histograms')]).then(function (res) {
        board.scalars = res[0];
        board.histograms = res[1];
        renderRuns();
        renderScalars();
        renderHistograms();
        var events = info.runs.reduce(function (s, r) { return s + r.events; }, 0);
        document.getElementById('status').textContent = events + ' events in ' + info.runs.length + ' run(s) · updated ' + new Date().toLocaleTimeString();
        board.updates++;
        if (graphChanged || board.graphOps.length === 0) return loadGraph();
      });
    }).catch(function (e) {
      document.getElementById('status').textContent = 'server unreachable (' + e.message + ')';
    }).then(function () { polling = false; });
  }
  board.poll = poll;
  poll();
  setInterval(poll, POLL_MS);
})();
</script>
</body>
</html>
`;
