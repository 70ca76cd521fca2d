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
  lost: false,
  backoff: 1000,
  origin: null,
  jsonText: "",
  jsonBad: null,
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
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    // No answer at all: the server is down or unreachable.
    setConnection(false);
    return { status: 0, ok: false, data: null };
  }
  setConnection(true);
  let data = null;
  const type = response.headers.get("content-type") || "";
  if (type.includes("json")) {
    try {
      data = await response.json();
    } catch (err) {
      data = null;
    }
  }
  return { status: response.status, ok: response.ok, data };
}

// ---------------------------------------------------------------- scenario form
function fillForm() {
  writeAll();
  const custom = getPath(state.scenario, "threat.preset") === "custom";
  for (const input of $$('[data-path^="threat.raid."]')) input.disabled = !custom;
  const raid = $('[data-field="threat.raid"]');
  if (raid) raid.classList.toggle("disabled", !custom);
  writeJson();
}

function writeJson() {
  const text = JSON.stringify(state.scenario, null, 2);
  $("#scenario-json").value = text;
  state.jsonText = text;
  setJsonBad(null);
}

// The JSON view edited but not yet read, or not valid: Start is off until it is.
function setJsonBad(message) {
  state.jsonBad = message;
  $('[data-error-for="__json"]').textContent = message ? `Not valid JSON: ${message}` : "";
  refreshStart();
}

// Start is off while the JSON view, or a field's own JSON box, does not parse.
function refreshStart() {
  const fields = [...Editor.badFields];
  const off = Boolean(state.jsonBad) || fields.length > 0;
  $("#start").disabled = off;
  $("#start").title = off ? "Some JSON in the editor is not valid: fix it to start a run" : "";
  if (state.jsonBad) setValidity(false, "✗ the JSON view is not valid JSON; Start is off");
  else if (fields.length) setValidity(false, `✗ ${fields[0]} is not valid JSON; Start is off`);
}

function onEditorChange() {
  fillCustomRaid();
  writeJson();
  markEdited();
  scheduleValidate();
}

function fillCustomRaid() {
  const custom = getPath(state.scenario, "threat.preset") === "custom";
  for (const input of $$('[data-path^="threat.raid."]')) input.disabled = !custom;
}

function markEdited() {
  if (state.origin && !state.origin.edited) {
    state.origin.edited = true;
    showOrigin();
  }
}

function showOrigin() {
  const o = state.origin;
  $("#scenario-origin").textContent = o ? `From run #${o.id} (${o.name})${o.copy ? ", a copy" : ""}${o.edited ? ", edited" : ""}` : "";
}

// Read the JSON view now; false (and Start off) when it does not parse.
function readJson() {
  const text = $("#scenario-json").value;
  if (text === state.jsonText) return !state.jsonBad;
  try {
    const parsed = JSON.parse(text);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("a scenario is a JSON object");
    state.scenario = parsed;
    state.jsonText = text;
    setJsonBad(null);
    writeAll();
    fillCustomRaid();
    markEdited();
    return true;
  } catch (err) {
    setJsonBad(err.message);
    return false;
  }
}

function onJsonInput() {
  if (readJson()) scheduleValidate();
}

function clearErrors() {
  for (const box of $$(".field-error")) if (box.dataset.errorFor !== "__json") box.textContent = "";
  for (const field of $$(".field.invalid, .subfield.invalid")) field.classList.remove("invalid");
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
      const field = box.closest(".field, .subfield");
      if (field) field.classList.add("invalid");
      const section = box.closest("details.section");
      if (section) section.open = true;
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
  if (!readJson()) return false;
  const seq = ++state.validateSeq;
  const res = await api("POST", "/api/scenario/validate", state.scenario);
  if (seq !== state.validateSeq || state.jsonBad) return res.ok; // a newer edit is being checked
  if (res.ok) {
    clearErrors();
    if (Editor.badFields.size) refreshStart();
    else setValidity(true, "✓ scenario valid");
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
  clearTimeout(state.jsonTimer);
  // Never run a scenario other than the one the editor shows.
  if (!readJson() || Editor.badFields.size) return;
  await submitScenario(state.scenario);
}

async function submitScenario(scenario) {
  const button = $("#start");
  button.disabled = true;
  try {
    const res = await api("POST", "/api/runs", scenario);
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
    if (res.status === 0) {
      setValidity(false, "the server cannot be reached; nothing was started");
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
    refreshStart();
  }
}

// ---------------------------------------------------------------- connection
// Every request goes through api(); a failed fetch marks the server lost, and the
// page keeps polling with backoff (1 s doubling to 15 s) until it answers again.
function setConnection(ok) {
  const banner = $("#conn-banner");
  const status = $("#server-status");
  if (ok) {
    if (state.lost) {
      state.lost = false;
      banner.textContent = "Connection to the server is back.";
      banner.className = "conn-banner conn-ok";
      clearTimeout(state.bannerTimer);
      state.bannerTimer = setTimeout(() => { banner.hidden = true; }, 2500);
    }
    status.textContent = "server ok";
    status.className = "pill pill-ok";
    state.backoff = 1000;
  } else {
    state.lost = true;
    banner.hidden = false;
    banner.className = "conn-banner conn-lost";
    banner.textContent = `Lost connection to the server; retrying every ${Math.round(state.backoff / 1000)} s…`;
    status.textContent = "server unreachable";
    status.className = "pill st-failed";
  }
}

function nextBackoff() {
  const wait = state.backoff;
  state.backoff = Math.min(15000, state.backoff * 2);
  return wait;
}

// A heartbeat every 5 s, so a lost server shows even when nothing else is
// polling; while lost, it knocks with the backoff and reloads the history on return.
async function heartbeat() {
  const wasLost = state.lost;
  const res = await api("GET", "/api/health");
  if (res.ok && wasLost) loadHistory();
  state.heartbeat = setTimeout(heartbeat, state.lost ? nextBackoff() : 5000);
}

// ---------------------------------------------------------------- one run
async function cancelRun() {
  const id = state.runId;
  if (id === null || id === undefined) return;
  $("#cancel-run").disabled = true;
  const res = await api("POST", `/api/runs/${id}/cancel`);
  $("#cancel-run").disabled = false;
  if (res.status === 401) $("#token-box").hidden = false;
  if (!res.ok && res.status !== 409) {
    $("#run-error").textContent = (res.data && res.data.detail) || `Server said ${res.status}.`;
    $("#run-error").hidden = false;
  }
  clearTimeout(state.polling);
  poll();
}

// Open run `id`; `view` names the hash route kept (`run`, or `requirement` for its
// "Is fivefold enough?" tab).
function openRun(id, view = "run") {
  state.runId = id;
  state.run = null;
  location.hash = `${view}=${id}`;
  clearTimeout(state.polling);
  $("#run-empty").hidden = true;
  $("#run-view").hidden = false;
  $("#run-results").hidden = true;
  $("#run-error").hidden = true;
  $("#report-frame").removeAttribute("src");
  $("#report-frame").hidden = true;
  $("#run-title").textContent = `#${id}`;
  $("#run-meta").textContent = "";
  $("#run-stage").textContent = "";
  $("#downloads").replaceChildren();
  $("#run-status").textContent = "…";
  $("#run-status").className = "pill st-queued";
  $("#progress-bar").style.width = "0%";
  state.mapRun = null;
  renderRequirement({ id, status: "queued", results: null });
  poll();
}

async function poll() {
  const id = state.runId;
  const res = await api("GET", `/api/runs/${id}?results=false`);
  if (id !== state.runId) return;
  if (res.status === 0) {
    // The server is gone: keep the last state on screen and try again, ever more slowly.
    state.polling = setTimeout(poll, nextBackoff());
    return;
  }
  if (!res.ok) {
    $("#run-error").textContent = res.status === 404 ? `No run #${id}.` : `Server said ${res.status}; asking again.`;
    $("#run-error").hidden = false;
    // A server error may pass: keep asking (a missing run will not come back).
    if (res.status >= 500) state.polling = setTimeout(poll, nextBackoff());
    return;
  }
  if ($("#run-error").textContent.startsWith("Server said")) $("#run-error").hidden = true;
  const run = res.data;
  state.run = run;
  renderRunHead(run);
  if (!$("#panel-requirement").hidden && !["done", "failed"].includes(run.status)) renderRequirement(run);
  if (run.status === "done") {
    const full = await api("GET", `/api/runs/${id}`);
    if (id === state.runId && full.ok) {
      state.run = full.data;
      renderResults(full.data);
    }
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
    if (id === state.runId && full.ok && full.data.results) {
      state.run = full.data;
      renderResults(full.data);
    }
    loadHistory();
  } else {
    state.polling = setTimeout(poll, 400);
  }
}

function renderRunHead(run) {
  $("#run-title").textContent = `#${run.id} · ${run.name}`;
  const created = run.created_at ? run.created_at.replace("T", " ").slice(0, 19) : "";
  const elapsed = run.elapsed_s === null || run.elapsed_s === undefined ? "" : ` · ${fmt(run.elapsed_s)} s`;
  $("#run-meta").textContent = `${run.kind} · created ${created} UTC${elapsed} · seed ${run.seed} · data ${run.data_version}`;
  const pill = $("#run-status");
  pill.textContent = run.status;
  pill.className = `pill st-${run.status}`;
  const pct = run.status === "done" ? 100 : Math.round(100 * (run.progress || 0));
  const bar = $("#progress-bar");
  bar.style.width = `${pct}%`;
  bar.setAttribute("aria-valuenow", String(pct));
  let stage = "";
  if (run.status === "running") stage = `${pct}% · ${run.stage || "working"}`;
  else if (run.status === "queued") {
    stage = run.queue_position ? `queued: ${ordinal(run.queue_position)} in line for a free worker` : "waiting for a free worker";
  }
  $("#cancel-run").hidden = !(run.status === "running" || run.status === "queued");
  $("#run-stage").textContent = stage;
  const finished = ["done", "failed", "cancelled"].includes(run.status);
  for (const id of ["#rerun", "#load-scenario", "#duplicate"]) $(id).disabled = false;
  $("#rerun").textContent = run.status === "done" ? "Rerun" : finished ? "Retry" : "Rerun";
  renderDownloads(run);
}

function ordinal(n) {
  const suffix = n % 10 === 1 && n % 100 !== 11 ? "st" : n % 10 === 2 && n % 100 !== 12 ? "nd" : n % 10 === 3 && n % 100 !== 13 ? "rd" : "th";
  return `${n}${suffix}`;
}

function renderDownloads(run) {
  const box = $("#downloads");
  box.replaceChildren();
  if (run.status !== "done" && run.status !== "failed") return;
  box.append(el("a", { class: "btn btn-ghost", id: "dl-plan", href: `/api/runs/${run.id}/plan.json`, download: `run${run.id}-plan.json`, text: "plan.json" }));
  if (run.report_url) {
    box.append(el("a", { class: "btn btn-ghost", id: "dl-report", href: `${run.report_url}?download=1`, download: `run${run.id}-report.html`, text: "report.html" }));
  }
  if ((run.tables || []).length) {
    box.append(el("a", { class: "btn btn-ghost", id: "dl-csv", href: "#tables", text: `CSV (${run.tables.length})` }));
    box.lastChild.addEventListener("click", (event) => {
      event.preventDefault();
      const tables = $("details.tables");
      tables.open = true;
      tables.scrollIntoView({ block: "start" });
    });
  }
}

// Put a run's scenario in the editor: as it is, or as a copy to edit.
async function loadScenarioOf(id, copy) {
  const res = await api("GET", `/api/runs/${id}?results=false`);
  if (!res.ok) return;
  const scenario = structuredClone(res.data.scenario);
  if (copy) scenario.name = `${scenario.name} (copy)`.slice(0, 200);
  state.scenario = scenario;
  state.origin = { id, name: res.data.name, copy, edited: false };
  fillForm();
  showOrigin();
  validate();
  if (copy) {
    const name = $("#f-name");
    name.focus();
    name.select();
  }
}

async function rerun(id) {
  const res = await api("GET", `/api/runs/${id}?results=false`);
  if (!res.ok) return;
  state.scenario = structuredClone(res.data.scenario);
  state.origin = { id, name: res.data.name, copy: false, edited: false };
  fillForm();
  showOrigin();
  await submitScenario(state.scenario);
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
      el("td", { class: "row-actions" }, historyButton("Load", `Put run ${run.id}'s scenario in the editor`, () => loadScenarioOf(run.id, false)),
        historyButton(run.status === "done" ? "Rerun" : "Retry", `Run run ${run.id}'s scenario again`, () => rerun(run.id), run.status === "queued" || run.status === "running"),
        deleteButton(run))));
  }
  $("#compare-btn").disabled = state.selected.length !== 2;
}

function historyButton(text, title, action, disabled = false) {
  const button = el("button", { class: "btn-link", type: "button", title, text });
  button.disabled = disabled;
  button.addEventListener("click", action);
  return button;
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

// ---------------------------------------------------------------- tabs and start-up
function showTab(name) {
  for (const tab of $$(".tab")) tab.classList.toggle("active", tab.dataset.tab === name);
  for (const panel of $$(".tabpanel")) panel.hidden = panel.id !== `panel-${name}`;
  if (name === "history") loadHistory();
  if (name === "map") showMap();
  if (name === "requirement") renderRequirement(state.run);
  // The open run's own tabs keep their route: #run=ID, #requirement=ID.
  const current = /^#(run|requirement|compare)=/.exec(location.hash);
  if ((name === "run" || name === "requirement") && state.runId !== null && state.runId !== undefined &&
      (!current || current[1] !== name)) {
    location.hash = `${name}=${state.runId}`;
  }
  if ((name === "run" || name === "compare") && window.Plotly) {
    for (const chart of $$(`#panel-${name} .js-plotly-plot`)) window.Plotly.Plots.resize(chart);
  }
}

function route() {
  const hash = location.hash.slice(1);
  const run = /^run=(\d+)$/.exec(hash);
  const cmp = /^compare=(\d+),(\d+)$/.exec(hash);
  const req = /^requirement=(\d+)$/.exec(hash);
  if (run && Number(run[1]) !== state.runId) {
    openRun(Number(run[1]));
    showTab("run");
  } else if (req) {
    if (Number(req[1]) !== state.runId) openRun(Number(req[1]), "requirement");
    showTab("requirement");
  } else if (cmp) {
    compare(Number(cmp[1]), Number(cmp[2]));
  }
}

async function init() {
  $("#scenario-json").addEventListener("input", () => {
    clearTimeout(state.jsonTimer);
    // Until the box is read, Start would run what it said before: hold it.
    $("#start").disabled = true;
    state.jsonTimer = setTimeout(() => {
      onJsonInput();
      refreshStart();
    }, 300);
  });
  $("#scenario-form").addEventListener("submit", startRun);
  $("#cancel-run").addEventListener("click", cancelRun);
  $("#reset").addEventListener("click", () => {
    state.scenario = structuredClone(state.defaults);
    state.origin = null;
    showOrigin();
    fillForm();
    validate();
  });
  $("#load-scenario").addEventListener("click", () => loadScenarioOf(state.runId, false));
  $("#duplicate").addEventListener("click", () => loadScenarioOf(state.runId, true));
  $("#rerun").addEventListener("click", () => rerun(state.runId));
  $("#report-toggle").addEventListener("click", toggleReport);
  for (const tab of $$(".tab")) tab.addEventListener("click", () => showTab(tab.dataset.tab));
  $("#compare-btn").addEventListener("click", () => {
    const [a, b] = [...state.selected].sort((x, y) => x - y);
    compare(a, b);
  });
  $("#token").value = token();
  $("#token").addEventListener("change", (event) => sessionStorage.setItem("gbad-token", event.target.value.trim()));
  window.addEventListener("hashchange", route);
  initMapControls();

  const [health, limits, defaults, schema, catalogue] = await Promise.all([
    api("GET", "/api/health"), api("GET", "/api/limits"), api("GET", "/api/scenario/default"),
    api("GET", "/api/scenario/schema"), api("GET", "/api/allies"),
  ]);
  if (!health.ok) {
    setConnection(false);
    setTimeout(() => window.location.reload(), nextBackoff());
    return;
  }
  if (limits.ok && limits.data.token_required) $("#token-box").hidden = false;
  state.defaults = defaults.data;
  state.scenario = structuredClone(defaults.data);
  buildEditor($("#editor"), schema.data, catalogue.ok ? catalogue.data : null, onEditorChange);
  state.catalogue = catalogue.ok ? catalogue.data : null;
  fillForm();
  setValidity(null, "default scenario");
  loadHistory();
  route();
  state.heartbeat = setTimeout(heartbeat, 5000);
  const version = await api("GET", "/api/version");
  if (version.ok) $("#versions").textContent = `gbad ${version.data.version} · data ${version.data.data_version}`;
}

document.addEventListener("DOMContentLoaded", init);
