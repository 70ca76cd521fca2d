/* gbad web UI: edit a scenario, run the plan, watch progress, read the report,
   compare runs. Plain JavaScript against the JSON API; nothing fetched elsewhere. */
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));

const state = {
  scenario: null,
  defaults: null,
  runId: null,
  polling: null,
  selected: [],
  validateTimer: null,
  validateSeq: 0,
};

// [summary key, label, unit, format, stage that publishes it, shown when the stage ran but gave none,
//  whether the value describes one milestone year's force (summary.coverage_year)]
const KPIS = [
  ["long_medium_target", "Long + medium target", "fire units", "", "targets", "not reported", false],
  ["long_medium_baseline", "Long + medium today", "fire units", "", "targets", "not reported", false],
  ["total_cost_musd", "Total cost", "million USD", "", "budget", "not reported", false],
  ["funded_share_by_horizon", "Funded by the horizon", "% of the cost", "pct", "budget", "not reported", false],
  ["funding_year", "Last ally funded", "year", "", "budget", "not by the horizon", false],
  ["long_medium_delivery_year", "Long + medium delivered", "year", "", "industry", "not in the years modelled", false],
  ["missile_coverage_fraction", "Missile coverage", "% of asset value", "pct", "coverage", "not reported", true],
  ["coverage_fraction", "Coverage", "% of asset value, raid-weighted", "pct", "coverage", "not reported", true],
  ["missile_leak_share", "Missile leak share", "% of missiles", "pct", "campaign", "not reported", true],
  ["campaign_endurance_nights", "Endurance", "nights", "", "campaign", "not reported", true],
  ["leak_fraction", "Leakers", "% of threats", "pct", "campaign", "not reported", true],
];

// Columns of the trajectory table: [key of a summary.trajectory row, header, format].
const TRAJECTORY = [
  ["year", "Year", "year"],
  ["long_medium_fire_units", "Long + medium fire units", ""],
  ["coverage_fraction", "Coverage %", "pct"],
  ["missile_coverage_fraction", "Missile coverage %", "pct"],
  ["missile_leak_share", "Missile leak share %", "pct"],
  ["leak_fraction", "Leak fraction %", "pct"],
  ["endurance_nights", "Endurance (nights)", ""],
];

// ---------------------------------------------------------------- helpers
function fmt(value, kind) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value !== "number") return String(value);
  if (kind === "pct") return (100 * value).toLocaleString("en-GB", { maximumFractionDigits: 1 });
  if (Number.isInteger(value)) {
    return Math.abs(value) >= 1800 && Math.abs(value) <= 2200 ? String(value) : value.toLocaleString("en-GB");
  }
  const abs = Math.abs(value);
  const digits = abs >= 1000 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString("en-GB", { maximumFractionDigits: digits });
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, val] of Object.entries(attrs)) {
    if (key === "class") node.className = val;
    else if (key === "text") node.textContent = val;
    else node.setAttribute(key, val);
  }
  for (const child of children) node.append(child);
  return node;
}

function getPath(obj, path) {
  return path.split(".").reduce((node, key) => (node == null ? undefined : node[key]), obj);
}

function setPath(obj, path, value) {
  const parts = path.split(".");
  let node = obj;
  for (const key of parts.slice(0, -1)) {
    if (node[key] === null || typeof node[key] !== "object") node[key] = {};
    node = node[key];
  }
  const last = parts[parts.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
}

function token() {
  return sessionStorage.getItem("gbad-token") || "";
}

async function api(method, url, body) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token()) headers.Authorization = `Bearer ${token()}`;
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  const type = response.headers.get("content-type") || "";
  if (type.includes("json")) data = await response.json();
  return { status: response.status, ok: response.ok, data };
}

// ---------------------------------------------------------------- scenario form
function fillForm() {
  for (const input of $$("[data-path]")) {
    const value = getPath(state.scenario, input.dataset.path);
    input.value = value === undefined || value === null ? "" : value;
  }
  const custom = getPath(state.scenario, "threat.preset") === "custom";
  for (const input of $$("#raid-mix input")) input.disabled = !custom;
  $("#raid-mix").classList.toggle("disabled", !custom);
  $("#scenario-json").value = JSON.stringify(state.scenario, null, 2);
}

function readInput(input) {
  const raw = input.value.trim();
  if (input.type === "number") {
    if (raw === "") return input.dataset.optional ? undefined : null;
    const num = Number(raw);
    return Number.isFinite(num) ? num : raw;
  }
  return raw;
}

function onFieldInput(event) {
  const input = event.target;
  setPath(state.scenario, input.dataset.path, readInput(input));
  if (input.dataset.path === "threat.preset") {
    if (input.value !== "custom") setPath(state.scenario, "threat.raid", {});
    fillForm();
  } else {
    $("#scenario-json").value = JSON.stringify(state.scenario, null, 2);
  }
  scheduleValidate();
}

function onJsonInput() {
  const box = $('[data-error-for="__json"]');
  try {
    const parsed = JSON.parse($("#scenario-json").value);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("a scenario is a JSON object");
    box.textContent = "";
    state.scenario = parsed;
    for (const input of $$("[data-path]")) {
      const value = getPath(parsed, input.dataset.path);
      input.value = value === undefined || value === null ? "" : value;
    }
    scheduleValidate();
  } catch (err) {
    box.textContent = `Not valid JSON: ${err.message}`;
  }
}

function clearErrors() {
  for (const box of $$(".field-error")) if (box.dataset.errorFor !== "__json") box.textContent = "";
  for (const field of $$(".field.invalid")) field.classList.remove("invalid");
  const general = $("#form-errors");
  general.hidden = true;
  general.textContent = "";
}

function showErrors(detail) {
  clearErrors();
  const general = [];
  for (const item of detail || []) {
    const loc = (item.loc || []).map(String);
    let box = null;
    for (let n = loc.length; n > 0 && !box; n -= 1) {
      box = $(`[data-error-for="${CSS.escape(loc.slice(0, n).join("."))}"]`);
    }
    const message = item.msg || "invalid value";
    if (box) {
      box.textContent = box.textContent ? `${box.textContent}; ${message}` : message;
      const field = box.closest(".field");
      if (field) field.classList.add("invalid");
    } else {
      general.push(`${loc.join(".") || "scenario"}: ${message}`);
    }
  }
  if (general.length) {
    const box = $("#form-errors");
    box.textContent = general.join("\n");
    box.hidden = false;
  }
}

function setValidity(ok, text) {
  const span = $("#validity");
  span.textContent = text;
  span.className = `validity ${ok === null ? "" : ok ? "ok" : "bad"}`;
}

function scheduleValidate() {
  clearTimeout(state.validateTimer);
  state.validateTimer = setTimeout(validate, 250);
}

async function validate() {
  const seq = ++state.validateSeq;
  const res = await api("POST", "/api/scenario/validate", state.scenario);
  if (seq !== state.validateSeq) return res.ok; // a newer edit is being checked
  if (res.ok) {
    clearErrors();
    setValidity(true, "✓ scenario valid");
  } else if (res.status === 422) {
    showErrors(res.data.detail);
    setValidity(false, `✗ check ${res.data.field}`);
  } else {
    setValidity(false, `server said ${res.status}`);
  }
  return res.ok;
}

async function startRun(event) {
  event.preventDefault();
  const button = $("#start");
  button.disabled = true;
  try {
    const res = await api("POST", "/api/runs", state.scenario);
    if (res.status === 422) {
      showErrors(res.data.detail);
      setValidity(false, `✗ check ${res.data.field}`);
      return;
    }
    if (res.status === 401) {
      $("#token-box").hidden = false;
      setValidity(false, "this server needs an API token (top right)");
      return;
    }
    if (!res.ok) {
      setValidity(false, (res.data && res.data.detail) || `server said ${res.status}`);
      return;
    }
    clearErrors();
    setValidity(true, `run #${res.data.id} started`);
    showTab("run");
    openRun(res.data.id);
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- one run
async function cancelRun() {
  const id = state.runId;
  if (id === null || id === undefined) return;
  const res = await api("POST", `/api/runs/${id}/cancel`);
  if (res.status === 401) $("#token-box").hidden = false;
  if (!res.ok && res.status !== 409) {
    $("#run-error").textContent = (res.data && res.data.detail) || `Server said ${res.status}.`;
    $("#run-error").hidden = false;
  }
}

function openRun(id) {
  state.runId = id;
  location.hash = `run=${id}`;
  clearTimeout(state.polling);
  $("#run-empty").hidden = true;
  $("#run-view").hidden = false;
  $("#run-results").hidden = true;
  $("#run-error").hidden = true;
  $("#report-frame").removeAttribute("src");
  $("#run-title").textContent = `#${id}`;
  $("#run-meta").textContent = "";
  $("#run-stage").textContent = "";
  $("#run-status").textContent = "…";
  $("#run-status").className = "pill st-queued";
  $("#progress-bar").style.width = "0%";
  poll();
}

async function poll() {
  const id = state.runId;
  const res = await api("GET", `/api/runs/${id}?results=false`);
  if (id !== state.runId) return;
  if (!res.ok) {
    $("#run-error").textContent = res.status === 404 ? `No run #${id}.` : `Server said ${res.status}.`;
    $("#run-error").hidden = false;
    return;
  }
  const run = res.data;
  renderRunHead(run);
  if (run.status === "done") {
    const full = await api("GET", `/api/runs/${id}`);
    if (id === state.runId && full.ok) renderResults(full.data);
    loadHistory();
  } else if (run.status === "cancelled") {
    $("#run-error").textContent = "Run cancelled.";
    $("#run-error").hidden = false;
    loadHistory();
  } else if (run.status === "failed") {
    $("#run-error").textContent = `Run failed: ${run.error || "unknown error"}`;
    $("#run-error").hidden = false;
    const full = await api("GET", `/api/runs/${id}`);
    // A plan whose later stage failed keeps what the earlier stages computed.
    if (id === state.runId && full.ok && full.data.results) renderResults(full.data);
    loadHistory();
  } else {
    state.polling = setTimeout(poll, 400);
  }
}

function renderRunHead(run) {
  $("#run-title").textContent = `#${run.id} · ${run.name}`;
  const created = run.created_at ? run.created_at.replace("T", " ").slice(0, 19) : "";
  const elapsed = run.elapsed_s === null ? "" : ` · ${fmt(run.elapsed_s)} s`;
  $("#run-meta").textContent = `${run.kind} · created ${created} UTC${elapsed} · seed ${run.seed} · data ${run.data_version}`;
  const pill = $("#run-status");
  pill.textContent = run.status;
  pill.className = `pill st-${run.status}`;
  const pct = Math.round(100 * (run.progress || 0));
  const bar = $("#progress-bar");
  bar.style.width = `${run.status === "done" ? 100 : pct}%`;
  bar.setAttribute("aria-valuenow", String(pct));
  const stage = run.status === "running" ? `${pct}% · ${run.stage || "working"}` : run.status === "queued" ? "waiting for a free worker" : "";
  $("#cancel-run").hidden = !(run.status === "running" || run.status === "queued");
  $("#run-stage").textContent = stage;
}

function renderResults(run) {
  const results = run.results || {};
  const summary = results.summary || {};
  const kpis = $("#kpis");
  kpis.replaceChildren();
  const year = summary.coverage_year;
  for (const [key, label, baseUnit, kind, stage, absent, ofYear] of KPIS) {
    const ran = results[stage] && results[stage].status === "ok";
    let value = summary[key];
    let unit = baseUnit;
    if (value && typeof value === "object" && !Array.isArray(value)) {
      // Per-class values (e.g. leakers by threat class): show the worst class.
      const worst = Object.entries(value).filter(([, v]) => typeof v === "number").sort((a, b) => b[1] - a[1])[0];
      value = worst ? worst[1] : null;
      unit = worst ? `${baseUnit}, worst: ${worst[0]}` : baseUnit;
    }
    kpis.append(
      el("div", { class: "kpi", "data-key": key },
        el("div", { class: "kpi-label", text: ofYear && year != null ? `${label}, ${year} force` : label }),
        el("div", { class: "kpi-value", text: fmt(value, kind) }),
        el("div", { class: "kpi-unit", text: value === null || value === undefined ? (ran ? absent : "stage not available") : unit })));
  }
  $("#run-results").hidden = false;
  drawTrajectory(summary.trajectory);
  drawTargets(summary.national_targets, results);
  drawTimings(run.timings || {});
  const links = $("#table-links");
  links.replaceChildren();
  for (const name of run.tables || []) {
    links.append(el("li", {}, el("a", { href: `/api/runs/${run.id}/tables/${encodeURIComponent(name)}`, text: `${name}.csv` })));
  }
  const frame = $("#report-frame");
  if (run.report_url) {
    frame.src = run.report_url;
    $("#report-link").href = run.report_url;
  }
}

function drawTrajectory(rows) {
  const box = $("#trajectory");
  if (!Array.isArray(rows) || !rows.length) {
    box.replaceChildren(el("p", { class: "empty", text: "No milestone years in this plan." }));
    return;
  }
  const head = el("tr", {}, ...TRAJECTORY.map(([, header]) => el("th", { text: header })));
  const body = rows.map((row) => el("tr", { "data-year": String(row.year) },
    ...TRAJECTORY.map(([key, , kind]) => {
      // Endurance not reached within the campaign: the defence lasts at least that long.
      const atLeast = key === "endurance_nights" && row.endurance_reached === false ? "≥ " : "";
      return el("td", { "data-key": key, text: atLeast + fmt(row[key], kind) });
    })));
  box.replaceChildren(
    el("table", { class: "trajectory" }, el("thead", {}, head), el("tbody", {}, ...body)),
    el("p", { class: "hint", text: "Each milestone year's force fights the same threat with the same random numbers." }));
}

function plotlyReady() {
  return typeof window.Plotly !== "undefined";
}

const PLOT_CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"] };
const PLOT_LAYOUT = {
  margin: { l: 48, r: 12, t: 10, b: 60 },
  font: { family: "system-ui, sans-serif", size: 12, color: "#17202c" },
  paper_bgcolor: "rgba(0,0,0,0)",
  plot_bgcolor: "rgba(0,0,0,0)",
  legend: { orientation: "h", y: 1.08 },
};

const TIERS = ["long", "medium", "short", "very-short", "c-uas"];
const TIER_COLOURS = { long: "#0f2747", medium: "#1f4e8c", short: "#4f86c6", "very-short": "#9db4d3", "c-uas": "#c9d6e6" };

function drawTargets(rows, results) {
  const box = $("#chart-targets");
  let data = Array.isArray(rows) ? rows : null;
  if (!data) {
    const countries = results.targets && results.targets.countries;
    data = Array.isArray(countries) ? countries : [];
  }
  if (!plotlyReady() || !data.length) {
    box.replaceChildren(el("p", { class: "empty", text: "No national targets in this plan." }));
    return;
  }
  box.replaceChildren();
  const byTier = data.every((r) => r.tiers && typeof r.tiers === "object");
  const lm = (r) => (byTier ? ["long", "medium"].reduce((sum, t) => sum + ((r.tiers[t] || {}).target || 0), 0) : 0);
  const sorted = [...data].sort((a, b) => lm(b) - lm(a) || (b.target || 0) - (a.target || 0));
  const x = sorted.map((r) => r.iso3);
  const names = sorted.map((r) => r.name || r.iso3);
  const traces = byTier
    // Fire units of different tiers are not alike (a battery, a launcher): stack them by tier.
    ? TIERS.map((tier) => ({
      type: "bar", name: tier, x, y: sorted.map((r) => (r.tiers[tier] || {}).target || 0), text: names,
      textposition: "none", marker: { color: TIER_COLOURS[tier] },
      hovertemplate: `%{text}: %{y} ${tier}<extra>target</extra>`,
    }))
    : [{ type: "bar", name: "target", x, y: sorted.map((r) => r.target), text: names, textposition: "none",
      marker: { color: "#1f4e8c" }, hovertemplate: "%{text}: %{y}<extra>target</extra>" }];
  const today = (r) => (byTier ? ["long", "medium"].reduce((sum, t) => sum + ((r.tiers[t] || {}).baseline || 0), 0) : r.baseline);
  traces.push({
    type: "scatter", mode: "markers", name: byTier ? "long + medium today" : "today", x, y: sorted.map(today), text: names,
    marker: { symbol: "line-ew-open", size: 18, line: { width: 3, color: "#b42318" } },
    hovertemplate: "%{text}: %{y}<extra>today</extra>",
  });
  window.Plotly.newPlot(box, traces, {
    ...PLOT_LAYOUT,
    barmode: "stack",
    margin: { l: 56, r: 12, t: 10, b: 40 },
    legend: { orientation: "v", x: 1.01, y: 1, traceorder: "normal" },
    yaxis: { title: { text: "fire units" }, gridcolor: "#e6ebf1" },
  }, PLOT_CONFIG);
}

function drawTimings(timings) {
  const box = $("#chart-timings");
  const entries = Object.entries(timings).filter(([k, v]) => k !== "total_s" && typeof v === "number");
  if (!plotlyReady() || !entries.length) {
    box.replaceChildren(el("p", { class: "empty", text: "No timings recorded." }));
    return;
  }
  box.replaceChildren();
  window.Plotly.newPlot(box, [{
    type: "bar", orientation: "h", x: entries.map(([, v]) => v), y: entries.map(([k]) => k),
    marker: { color: "#2f6fbf" }, hovertemplate: "%{y}: %{x:.3f} s<extra></extra>",
  }], { ...PLOT_LAYOUT, margin: { l: 80, r: 12, t: 10, b: 40 }, xaxis: { title: { text: "s" }, gridcolor: "#e6ebf1" }, yaxis: { autorange: "reversed" } }, PLOT_CONFIG);
}

// ---------------------------------------------------------------- history
async function loadHistory() {
  const res = await api("GET", "/api/runs?limit=200");
  if (!res.ok) return;
  const body = $("#runs-table tbody");
  body.replaceChildren();
  const runs = res.data.runs;
  $("#runs-empty").hidden = runs.length > 0;
  state.selected = state.selected.filter((id) => runs.some((r) => r.id === id && r.status === "done"));
  for (const run of runs) {
    const box = el("input", { type: "checkbox", "aria-label": `select run ${run.id}`, "data-id": String(run.id) });
    box.checked = state.selected.includes(run.id);
    box.disabled = run.status !== "done";
    box.addEventListener("change", () => toggleSelected(run.id, box.checked));
    const link = el("a", { class: "runlink", text: run.name, href: `#run=${run.id}` });
    link.addEventListener("click", (event) => { event.preventDefault(); showTab("run"); openRun(run.id); });
    const created = run.created_at ? run.created_at.replace("T", " ").slice(0, 19) : "";
    body.append(el("tr", { "data-run": String(run.id) },
      el("td", {}, box),
      el("td", { class: "num", text: String(run.id) }),
      el("td", {}, link),
      el("td", { class: "num", text: fmt(run.factor) }),
      el("td", {}, el("span", { class: `pill st-${run.status}`, text: run.status })),
      el("td", { text: created }),
      el("td", { class: "num", text: run.elapsed_s === null ? "" : `${fmt(run.elapsed_s)} s` }),
      el("td", {}, deleteButton(run))));
  }
  $("#compare-btn").disabled = state.selected.length !== 2;
}

function deleteButton(run) {
  const button = el("button", { class: "btn-link", type: "button", title: `Delete run ${run.id}`, text: "Delete" });
  button.disabled = run.status === "queued" || run.status === "running";
  button.addEventListener("click", async () => {
    if (!window.confirm(`Delete run #${run.id} (${run.name}) and its results?`)) return;
    const res = await api("DELETE", `/api/runs/${run.id}`);
    if (res.status === 401) $("#token-box").hidden = false;
    state.selected = state.selected.filter((x) => x !== run.id);
    loadHistory();
  });
  return button;
}

function toggleSelected(id, on) {
  state.selected = state.selected.filter((x) => x !== id);
  if (on) state.selected.push(id);
  while (state.selected.length > 2) {
    const dropped = state.selected.shift();
    const other = $(`#runs-table input[data-id="${dropped}"]`);
    if (other) other.checked = false;
  }
  $("#compare-btn").disabled = state.selected.length !== 2;
}

// ---------------------------------------------------------------- compare
async function compare(a, b) {
  showTab("compare");
  location.hash = `compare=${a},${b}`;
  const res = await api("GET", `/api/runs/${a}/diff/${b}`);
  $("#compare-empty").hidden = res.ok;
  $("#compare-view").hidden = !res.ok;
  if (!res.ok) {
    $("#compare-empty").textContent = `Cannot compare: ${(res.data && res.data.detail) || res.status}`;
    return;
  }
  const diff = res.data;
  $("#compare-title").textContent = `Run A #${a} (${diff.meta.name.a}) → run B #${b} (${diff.meta.name.b})`;
  $("#compare-identical").hidden = !diff.identical;
  const scenarioBody = $("#compare-scenario tbody");
  scenarioBody.replaceChildren();
  for (const item of diff.scenario) {
    scenarioBody.append(el("tr", {}, el("td", { class: "path", text: item.path }),
      el("td", { class: "num", text: fmt(item.a) }), el("td", { class: "num", text: fmt(item.b) })));
  }
  if (!diff.scenario.length) scenarioBody.append(el("tr", {}, el("td", { colspan: "3", class: "muted", text: "none" })));
  const moved = diff.results.filter((d) => !d.path.startsWith("sources"));
  // Headline numbers first, then the largest relative changes.
  const headlineFirst = (d) => (d.path.startsWith("summary.") ? 0 : 1);
  moved.sort((x, y) => headlineFirst(x) - headlineFirst(y) || Math.abs(y.rel ?? 0) - Math.abs(x.rel ?? 0));
  const resultsBody = $("#compare-results tbody");
  resultsBody.replaceChildren();
  for (const item of moved.slice(0, 300)) {
    let change = "";
    if (typeof item.delta === "number") {
      change = `${item.delta > 0 ? "+" : ""}${fmt(item.delta)}`;
      if (item.rel !== null && item.rel !== undefined) change += ` (${item.rel > 0 ? "+" : ""}${fmt(100 * item.rel)}%)`;
    }
    const cls = typeof item.delta === "number" ? (item.delta > 0 ? "num up" : "num down") : "num";
    resultsBody.append(el("tr", {}, el("td", { class: "path", text: item.path }),
      el("td", { class: "num", text: fmt(item.a) }), el("td", { class: "num", text: fmt(item.b) }),
      el("td", { class: cls, text: change })));
  }
  if (!moved.length) resultsBody.append(el("tr", {}, el("td", { colspan: "4", class: "muted", text: "none" })));
  drawCompare(moved);
}

function drawCompare(moved) {
  const box = $("#chart-compare");
  const headline = moved.filter((d) => d.path.startsWith("summary.") && typeof d.rel === "number" && !d.path.includes("["));
  if (!plotlyReady() || !headline.length) {
    box.replaceChildren();
    box.style.minHeight = "0";
    return;
  }
  box.style.minHeight = "";
  box.replaceChildren();
  const rows = headline.slice(0, 12).reverse();
  window.Plotly.newPlot(box, [{
    type: "bar", orientation: "h", x: rows.map((d) => 100 * d.rel), y: rows.map((d) => d.path.replace("summary.", "")),
    marker: { color: rows.map((d) => (d.rel >= 0 ? "#1f4e8c" : "#b42318")) },
    hovertemplate: "%{y}: %{x:+.1f}%<extra></extra>",
  }], { ...PLOT_LAYOUT, margin: { l: 190, r: 20, t: 10, b: 40 }, xaxis: { title: { text: "change from A to B [%]" }, zeroline: true, gridcolor: "#e6ebf1" } }, PLOT_CONFIG);
}

// ---------------------------------------------------------------- tabs and start-up
function showTab(name) {
  for (const tab of $$(".tab")) tab.classList.toggle("active", tab.dataset.tab === name);
  for (const panel of $$(".tabpanel")) panel.hidden = panel.id !== `panel-${name}`;
  if (name === "history") loadHistory();
  if (name === "run" && window.Plotly) {
    for (const chart of $$("#panel-run .js-plotly-plot")) window.Plotly.Plots.resize(chart);
  }
}

function route() {
  const hash = location.hash.slice(1);
  const run = /^run=(\d+)$/.exec(hash);
  const cmp = /^compare=(\d+),(\d+)$/.exec(hash);
  if (run && Number(run[1]) !== state.runId) {
    showTab("run");
    openRun(Number(run[1]));
  } else if (cmp) {
    compare(Number(cmp[1]), Number(cmp[2]));
  }
}

async function init() {
  for (const input of $$("[data-path]")) {
    input.addEventListener(input.tagName === "SELECT" ? "change" : "input", onFieldInput);
  }
  $("#scenario-json").addEventListener("input", () => {
    clearTimeout(state.jsonTimer);
    state.jsonTimer = setTimeout(onJsonInput, 300);
  });
  $("#scenario-form").addEventListener("submit", startRun);
  $("#cancel-run").addEventListener("click", cancelRun);
  $("#reset").addEventListener("click", () => {
    state.scenario = structuredClone(state.defaults);
    fillForm();
    validate();
  });
  for (const tab of $$(".tab")) tab.addEventListener("click", () => showTab(tab.dataset.tab));
  $("#compare-btn").addEventListener("click", () => {
    const [a, b] = [...state.selected].sort((x, y) => x - y);
    compare(a, b);
  });
  $("#token").value = token();
  $("#token").addEventListener("change", (event) => sessionStorage.setItem("gbad-token", event.target.value.trim()));
  window.addEventListener("hashchange", route);

  const [health, limits, defaults] = await Promise.all([
    api("GET", "/api/health"), api("GET", "/api/limits"), api("GET", "/api/scenario/default"),
  ]);
  const status = $("#server-status");
  status.textContent = health.ok ? "server ok" : "server down";
  status.className = `pill ${health.ok ? "pill-ok" : "st-failed"}`;
  if (limits.ok && limits.data.token_required) $("#token-box").hidden = false;
  state.defaults = defaults.data;
  state.scenario = structuredClone(defaults.data);
  fillForm();
  setValidity(null, "default scenario");
  loadHistory();
  route();
  const version = await api("GET", "/api/version");
  if (version.ok) $("#versions").textContent = `gbad ${version.data.version} · data ${version.data.data_version}`;
}

document.addEventListener("DOMContentLoaded", init);
