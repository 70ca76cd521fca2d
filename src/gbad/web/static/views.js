/* gbad web UI: the views of a run (answer, trajectory, cost and funding, targets,
   one ally), the interactive map and the comparison of two runs. Loaded after
   app.js; shares its global scope. Keys other engineers add to plan.json are
   drawn when present and never required. */
"use strict";

const MISSING = "—";

function pct(value) {
  return typeof value === "number" ? `${fmt(value, "pct")} %` : MISSING;
}

function yearOr(value, otherwise) {
  return typeof value === "number" ? String(value) : otherwise;
}

// ---------------------------------------------------------------- one run
function renderResults(run) {
  const results = run.results || {};
  const summary = results.summary || {};
  renderAnswer(results, summary);
  renderKpis(results, summary);
  $("#run-results").hidden = false;
  const milestones = Array.isArray(results.milestones) && results.milestones.length ? results.milestones : summary.trajectory;
  drawTrajectoryChart(milestones);
  drawTrajectory(summary.trajectory || milestones);
  drawFunding(results.budget, summary);
  drawTargets(summary.national_targets, results);
  fillAllySelect(results, summary);
  renderExtraViews(results);
  if (!$("#panel-requirement").hidden) renderRequirement(run);
  drawTimings(run.timings || {});
  const links = $("#table-links");
  links.replaceChildren();
  for (const name of run.tables || []) {
    links.append(el("li", {}, el("a", { href: `/api/runs/${run.id}/tables/${encodeURIComponent(name)}`, download: `run${run.id}-${name}.csv`, text: `${name}.csv` })));
  }
  const frame = $("#report-frame");
  frame.hidden = true;
  frame.removeAttribute("src");
  $("#report-toggle").textContent = "Show it here";
  $("#report-link").hidden = !run.report_url;
  $("#report-toggle").hidden = !run.report_url;
  if (run.report_url) $("#report-link").href = run.report_url;
  if (!$("#panel-map").hidden) showMap();
}

function toggleReport() {
  const frame = $("#report-frame");
  const run = state.run;
  if (!run || !run.report_url) return;
  if (frame.hidden) {
    frame.src = run.report_url;
    frame.hidden = false;
    $("#report-toggle").textContent = "Hide it";
  } else {
    frame.hidden = true;
    frame.removeAttribute("src");
    $("#report-toggle").textContent = "Show it here";
  }
}

function renderAnswer(results, summary) {
  const box = $("#answer");
  const parts = [];
  const factor = summary.factor ?? getPath(results, "scenario.target.factor");
  if (typeof summary.long_medium_target === "number") {
    parts.push(`A ${fmt(factor)}-fold target means ${fmt(summary.long_medium_target)} long + medium fire units (${fmt(summary.long_medium_baseline)} today)`);
  }
  if (typeof summary.total_cost_musd === "number") {
    const funded = typeof summary.funding_year === "number" ? `every ally funds its share by ${summary.funding_year}` : "not every ally funds its share by the horizon";
    parts.push(`costing ${fmt(summary.total_cost_musd)} million USD; ${funded}`);
  }
  if ("long_medium_delivery_year" in summary) {
    parts.push(typeof summary.long_medium_delivery_year === "number"
      ? `industry delivers the long + medium target by ${summary.long_medium_delivery_year}`
      : "industry does not deliver the long + medium target in the years modelled");
  }
  let sentence = parts.length ? `${parts.join(", ")}.` : "";
  if (typeof summary.missile_leak_share === "number") {
    sentence += ` The ${summary.coverage_year ?? "horizon"} force covers ${pct(summary.missile_coverage_fraction)} of the defended asset value against missiles and lets ${pct(summary.missile_leak_share)} of missiles through.`;
  }
  const req = results.requirement;
  if (req && typeof req === "object" && typeof req.total_cost_musd === "number" && typeof req.leak_target === "number") {
    const fold = typeof factor === "number" ? `${fmt(factor)}-fold` : "x-fold";
    const against = typeof req.target_cost_musd === "number" ? `, against ${fmt(req.target_cost_musd)} million USD for the ${fold} target` : "";
    const pooled = req.geometry === "pooled" ? " (sized on the pooled campaign: a lower bound)" : "";
    sentence += req.met
      ? ` Holding missiles to ${pct(req.leak_target)} in ${req.year} takes ${fmt(req.total_cost_musd)} million USD of added fire units${against}${pooled}.`
      : ` No force found holds missiles to ${pct(req.leak_target)} in ${req.year}: with ${fmt(req.total_cost_musd)} million USD of added fire units, ${pct(req.missile_leak_share)} of missiles leak${pooled}.`;
  }
  box.textContent = sentence.trim();
  box.hidden = !sentence;
}

function renderKpis(results, summary) {
  const kpis = $("#kpis");
  kpis.replaceChildren();
  const year = summary.coverage_year;
  for (const [key, labelText, baseUnit, kind, stage, absent, ofYear] of KPIS) {
    const ran = results[stage] && results[stage].status === "ok";
    let value = summary[key];
    let unit = baseUnit;
    if (value && typeof value === "object" && !Array.isArray(value)) {
      const worst = Object.entries(value).filter(([, v]) => typeof v === "number").sort((a, b) => b[1] - a[1])[0];
      value = worst ? worst[1] : null;
      unit = worst ? `${baseUnit}, worst: ${worst[0]}` : baseUnit;
    }
    if (key === "campaign_endurance_nights" && summary.campaign_endurance_reached === false && typeof value === "number") {
      value = `≥ ${fmt(value)}`;
    }
    kpis.append(
      el("div", { class: "kpi", "data-key": key },
        el("div", { class: "kpi-label", text: ofYear && year != null ? `${labelText}, ${year} force` : labelText }),
        el("div", { class: "kpi-value", text: fmt(value, kind) }),
        el("div", { class: "kpi-unit", text: value === null || value === undefined ? (ran ? absent : "stage not available") : unit })));
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
      const atLeast = key === "endurance_nights" && row.endurance_reached === false ? "≥ " : "";
      return el("td", { "data-key": key, text: atLeast + fmt(row[key], kind) });
    })));
  box.replaceChildren(
    el("table", { class: "trajectory" }, el("thead", {}, head), el("tbody", {}, ...body)),
    el("p", { class: "hint", text: "Each milestone year's force fights the same threat with the same random numbers." }));
}

function trajectoryTraces(rows, suffix = "", dash = "solid") {
  const years = rows.map((r) => r.year);
  return [
    { type: "scatter", mode: "lines+markers", name: `long + medium fire units${suffix}`, x: years, y: rows.map((r) => r.long_medium_fire_units ?? null),
      line: { color: "#0f2747", dash }, hovertemplate: "%{x}: %{y} fire units<extra></extra>" },
    { type: "scatter", mode: "lines+markers", name: `missile coverage %${suffix}`, x: years, y: rows.map((r) => (typeof r.missile_coverage_fraction === "number" ? 100 * r.missile_coverage_fraction : null)),
      yaxis: "y2", line: { color: "#1d7a46", dash }, hovertemplate: "%{x}: %{y:.1f} % covered<extra></extra>" },
    { type: "scatter", mode: "lines+markers", name: `missile leak share %${suffix}`, x: years, y: rows.map((r) => (typeof r.missile_leak_share === "number" ? 100 * r.missile_leak_share : null)),
      yaxis: "y2", line: { color: "#b42318", dash }, hovertemplate: "%{x}: %{y:.1f} % of missiles leak<extra></extra>" },
  ];
}

const TRAJECTORY_LAYOUT = {
  margin: { l: 56, r: 56, t: 30, b: 40 },
  xaxis: { title: { text: "milestone year" }, tickformat: "d", dtick: 1 },
  yaxis: { title: { text: "long + medium fire units" }, rangemode: "tozero", gridcolor: "#e6ebf1" },
  yaxis2: { title: { text: "%" }, overlaying: "y", side: "right", range: [0, 100], dtick: 20, showgrid: false },
};

function drawTrajectoryChart(rows) {
  const box = $("#chart-trajectory");
  if (!plotlyReady() || !Array.isArray(rows) || !rows.length) {
    box.replaceChildren();
    box.classList.add("collapsed");
    return;
  }
  box.classList.remove("collapsed");
  box.replaceChildren();
  window.Plotly.newPlot(box, trajectoryTraces(rows), { ...PLOT_LAYOUT, ...TRAJECTORY_LAYOUT }, PLOT_CONFIG);
}

function drawFunding(budget, summary) {
  const box = $("#chart-funding");
  const rows = budget && Array.isArray(budget.collective_by_year) ? budget.collective_by_year : [];
  const note = $("#funding-note");
  note.textContent = "";
  if (!plotlyReady() || !rows.length) {
    box.replaceChildren(el("p", { class: "empty", text: "No budget in this plan." }));
    return;
  }
  box.replaceChildren();
  let sum = 0;
  const cumulative = rows.map((r) => (sum += r.gbad_budget_musd || 0));
  const years = rows.map((r) => r.year);
  const traces = [
    { type: "bar", name: "GBAD budget per year", x: years, y: rows.map((r) => r.gbad_budget_musd), marker: { color: "#9db4d3" }, hovertemplate: "%{x}: %{y:,.0f} million USD<extra></extra>" },
    { type: "scatter", mode: "lines", name: "budget so far", x: years, y: cumulative, line: { color: "#1f4e8c" }, hovertemplate: "%{x}: %{y:,.0f} million USD so far<extra></extra>" },
  ];
  if (typeof summary.total_cost_musd === "number") {
    traces.push({ type: "scatter", mode: "lines", name: "cost of the plan", x: [years[0], years[years.length - 1]], y: [summary.total_cost_musd, summary.total_cost_musd],
      line: { color: "#b42318", dash: "dash" }, hovertemplate: "cost: %{y:,.0f} million USD<extra></extra>" });
  }
  window.Plotly.newPlot(box, traces, { ...PLOT_LAYOUT, margin: { l: 70, r: 12, t: 30, b: 40 }, xaxis: { tickformat: "d" },
    yaxis: { title: { text: "million USD" }, gridcolor: "#e6ebf1" } }, PLOT_CONFIG);
  const unfunded = summary.unfunded_countries || [];
  note.textContent = `Last ally funded: ${yearOr(summary.funding_year, "not by the horizon")}` +
    (typeof summary.funded_share_by_horizon === "number" ? ` · ${pct(summary.funded_share_by_horizon)} of the cost funded by the horizon` : "") +
    (unfunded.length ? ` · not funded: ${unfunded.join(", ")}` : "");
}

// Every ally labelled: one horizontal bar per ally, the chart as tall as they need.
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
  const lm = (r) => (byTier ? ["long", "medium"].reduce((sum, t) => sum + ((r.tiers[t] || {}).target || 0), 0) : r.target || 0);
  const sorted = [...data].sort((a, b) => lm(a) - lm(b));
  const y = sorted.map((r) => `${r.name || r.iso3} (${r.iso3})`);
  const traces = byTier
    ? ["long", "medium"].map((tier) => ({
      type: "bar", orientation: "h", name: tier, y, x: sorted.map((r) => (r.tiers[tier] || {}).target || 0),
      marker: { color: TIER_COLOURS[tier] }, hovertemplate: `%{y}: %{x} ${tier}<extra>target</extra>`,
    }))
    : [{ type: "bar", orientation: "h", name: "target", y, x: sorted.map((r) => r.target), marker: { color: "#1f4e8c" }, hovertemplate: "%{y}: %{x}<extra>target</extra>" }];
  const today = (r) => (byTier ? ["long", "medium"].reduce((sum, t) => sum + ((r.tiers[t] || {}).baseline || 0), 0) : r.baseline);
  traces.push({
    type: "scatter", mode: "markers", name: "long + medium today", y, x: sorted.map(today),
    marker: { symbol: "line-ns-open", size: 16, line: { width: 3, color: "#b42318" } },
    hovertemplate: "%{y}: %{x}<extra>today</extra>",
  });
  const height = Math.max(260, 22 * sorted.length + 90);
  box.style.height = `${height}px`;
  window.Plotly.newPlot(box, traces, {
    ...PLOT_LAYOUT,
    height,
    barmode: "stack",
    margin: { l: 170, r: 12, t: 30, b: 40 },
    xaxis: { title: { text: "long + medium fire units at the horizon" }, gridcolor: "#e6ebf1" },
    yaxis: { tickmode: "array", tickvals: y, ticktext: y, automargin: true, tickfont: { size: 12 } },
  }, PLOT_CONFIG);
  // A click on an ally's bar opens it in "One ally".
  box.on("plotly_click", (event) => {
    const point = event.points && event.points[0];
    const iso3 = point && /\(([A-Z]{3})\)$/.exec(String(point.y));
    const select = $("#ally-select");
    if (!iso3 || ![...select.options].some((o) => o.value === iso3[1])) return;
    select.value = iso3[1];
    select.dispatchEvent(new Event("change"));
    $("#ally-card").scrollIntoView({ block: "start" });
  });
}

// ---------------------------------------------------------------- one ally
function fillAllySelect(results, summary) {
  const select = $("#ally-select");
  const rows = summary.national_targets || [];
  const previous = select.value;
  select.replaceChildren(...rows.map((r) => el("option", { value: r.iso3, text: `${r.name || r.iso3} (${r.iso3})` })));
  if (rows.some((r) => r.iso3 === previous)) select.value = previous;
  select.onchange = () => renderAlly(results, select.value);
  $("#ally-card").hidden = !rows.length;
  if (rows.length) renderAlly(results, select.value);
}

function smallTable(headers, rows, attrs = {}) {
  return el("table", { class: "table compact", ...attrs },
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", { text: h })))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((c) => el("td", { text: c }))))));
}

function renderAlly(results, iso3) {
  const box = $("#ally-view");
  const summary = results.summary || {};
  const target = (summary.national_targets || []).find((r) => r.iso3 === iso3) || {};
  const parts = [];
  const tiers = Object.entries(target.tiers || {}).filter(([, v]) => v.target || v.baseline);
  parts.push(el("h4", { text: "Targets" }), smallTable(["Tier", "Today", "Target"], tiers.map(([t, v]) => [t, fmt(v.baseline), fmt(v.target)]), { "data-view": "ally-targets" }));
  const budget = ((results.budget || {}).countries || []).find((r) => r.iso3 === iso3);
  const industry = ((results.industry || {}).countries || []).find((r) => r.iso3 === iso3);
  const money = [];
  if (budget) {
    money.push(["Cost of its new fire units", `${fmt(budget.capex_musd)} million USD`],
      ["GBAD budget to the horizon", `${fmt(budget.budget_to_horizon_musd)} million USD`],
      ["Funded in", yearOr(budget.funded_year, "not by the horizon")], ["Gap", `${fmt(budget.gap_musd)} million USD`]);
  }
  if (industry) {
    money.push(["Target delivered in", yearOr(industry.met_year, "not in the years modelled")],
      ["Buying nationally", yearOr(industry.national_met_year, MISSING)], ["Buying jointly (ESSI pool)", yearOr(industry.joint_met_year, MISSING)],
      ["In the pool", fmt(industry.in_pool)]);
  }
  if (money.length) parts.push(el("h4", { text: "Cost, funding and delivery" }), smallTable(["", ""], money, { "data-view": "ally-money" }));
  const force = (Array.isArray(results.force) ? results.force : []).filter((r) => r.iso3 === iso3 && (r.fire_units || r.delivered));
  if (force.length) {
    parts.push(el("h4", { text: "Force by milestone year" }),
      smallTable(["Year", "Tier", "System", "Fire units", "of which new"], force.map((r) => [String(r.year), r.tier, r.system, fmt(r.fire_units), fmt(r.delivered)]), { "data-view": "ally-force" }));
  }
  const cover = ((results.coverage || {}).countries || {})[iso3];
  if (cover && typeof cover === "object") {
    const year = (results.coverage || {}).year;
    parts.push(el("h4", { text: `Coverage of its assets, ${year ?? "horizon"} force` }),
      smallTable(["Threat class", "Asset value covered", "Assets covered"], Object.entries(cover).filter(([, v]) => v && typeof v === "object")
        .map(([cls, v]) => [cls, pct(v.value_fraction), `${fmt(v.assets_covered)} of ${fmt(v.assets)}`]), { "data-view": "ally-coverage" }));
  }
  const area = ((results.campaign || {}).by_area || []).find((r) => r.iso3 === iso3);
  if (area) {
    const year = (results.campaign || {}).year;
    parts.push(el("h4", { text: `Threats and leakers over the campaign, ${year ?? "horizon"} force` }),
      smallTable(["Threat class", "Threats", "Leakers"], Object.keys(area.threats || {}).map((cls) => [cls, fmt((area.threats || {})[cls]), fmt((area.leakers || {})[cls])]), { "data-view": "ally-leakers" }));
  }
  box.replaceChildren(...parts);
}

// ---------------------------------------------------------------- results other stages add
const EXTRA_VIEWS = [
  ["requirement", "Requirement: required against the x-fold target"],
  ["burn_vs_build", "Burn against build: interceptors fired against those produced"],
  ["spatial", "Spatial campaign"],
];

function renderExtraViews(results) {
  const box = $("#extra-views");
  box.replaceChildren();
  const summary = results.summary || {};
  for (const [key, title] of EXTRA_VIEWS) {
    const value = results[key] ?? summary[key] ?? (results.campaign || {})[key];
    if (value === undefined || value === null) continue;
    const card = el("details", { class: "chart-card", open: "", "data-view": key }, el("summary", { text: title }));
    if (key === "requirement" && state.runId !== null && state.runId !== undefined) {
      const open = el("a", { class: "btn btn-ghost", id: "open-requirement", href: `#requirement=${state.runId}`, text: "Open “Is fivefold enough?”" });
      card.append(el("p", {}, open));
    }
    card.append(genericView(value, 0));
    box.append(card);
  }
}

// Any JSON value as tables: rows of records, mappings of scalars, nested sections.
function genericView(value, depth) {
  if (Array.isArray(value)) {
    if (!value.length) return el("p", { class: "muted", text: "none" });
    if (value.every((r) => r && typeof r === "object" && !Array.isArray(r))) {
      const keys = [...new Set(value.flatMap((r) => Object.keys(r).filter((k) => typeof r[k] !== "object" || r[k] === null)))];
      const shown = value.slice(0, 60);
      const table = smallTable(keys, shown.map((r) => keys.map((k) => fmt(r[k]))));
      return value.length > shown.length ? el("div", {}, table, el("p", { class: "notice", text: `Showing ${shown.length} of ${value.length} rows (plan.json has all).` })) : table;
    }
    return el("p", { text: value.map((v) => fmt(v)).join(", ") });
  }
  if (value && typeof value === "object") {
    const scalars = Object.entries(value).filter(([, v]) => v === null || typeof v !== "object");
    const nested = Object.entries(value).filter(([, v]) => v !== null && typeof v === "object");
    const out = el("div");
    if (scalars.length) out.append(smallTable(["", ""], scalars.map(([k, v]) => [k.replace(/_/g, " "), fmt(v)])));
    for (const [k, v] of nested) {
      if (depth >= 2) continue;
      out.append(el("h4", { text: k.replace(/_/g, " ") }), genericView(v, depth + 1));
    }
    return out;
  }
  return el("p", { text: fmt(value) });
}

// ---------------------------------------------------------------- map
const MAP_STATE = { data: null, borders: null, runId: null };
const MAP_COLOURS = { long: "#b42318", medium: "#1f4e8c", short: "#2f9e44", "very-short": "#f08c00", "c-uas": "#7048e8" };

function initMapControls() {
  $("#map-year").addEventListener("input", drawMap);
  $("#map-assets").addEventListener("change", drawMap);
  $("#map-reach").addEventListener("change", drawMap);
}

// Circles of radius_km around each unit, as one polygon trace (lon/lat, 24 sides).
function circles(units, radiusOf) {
  const x = [];
  const y = [];
  for (const u of units) {
    const r = radiusOf(u);
    if (!r) continue;
    const dlat = r / 111.32;
    const dlon = r / (111.32 * Math.cos((u.lat * Math.PI) / 180));
    for (let k = 0; k <= 24; k += 1) {
      const a = (2 * Math.PI * k) / 24;
      x.push(u.lon + dlon * Math.cos(a));
      y.push(u.lat + dlat * Math.sin(a));
    }
    x.push(null);
    y.push(null);
  }
  return { x, y };
}

async function showMap() {
  const run = state.run;
  const ready = run && run.status === "done" && run.results;
  $("#map-empty").hidden = Boolean(ready);
  $("#map-view").hidden = !ready;
  if (!ready || MAP_STATE.runId === run.id) return;
  MAP_STATE.runId = run.id;
  const [layers, borders] = await Promise.all([
    api("GET", `/api/runs/${run.id}/map`),
    MAP_STATE.borders ? Promise.resolve({ ok: true, data: MAP_STATE.borders }) : api("GET", "/api/map/borders"),
  ]);
  if (!layers.ok) {
    MAP_STATE.runId = null;
    $("#map-empty").hidden = false;
    $("#map-empty").textContent = "This run has no map.";
    return;
  }
  MAP_STATE.data = layers.data;
  if (borders.ok) MAP_STATE.borders = borders.data;
  const years = layers.data.years || [];
  const slider = $("#map-year");
  slider.max = String(Math.max(0, years.length - 1));
  slider.value = slider.max;
  const classes = [...new Set(Object.values(layers.data.radii || {}).flatMap((r) => Object.keys(r)))].sort();
  $("#map-reach").replaceChildren(el("option", { value: "", text: "(none)" }), ...classes.map((c) => el("option", { value: c, text: c })));
  const tiers = [...new Set(layers.data.units.map((u) => u.tier))].sort((a, b) => TIERS.indexOf(a) - TIERS.indexOf(b));
  const boxes = $("#map-tiers");
  boxes.replaceChildren(...tiers.map((tier) => {
    const box = el("input", { type: "checkbox", "data-tier": tier });
    box.checked = tier !== "very-short" || tiers.length === 1;
    box.addEventListener("change", drawMap);
    return el("label", { class: "check" }, box, ` ${tier}`);
  }));
  drawMap();
}

function drawMap() {
  const data = MAP_STATE.data;
  if (!data || !plotlyReady()) return;
  const years = data.years || [];
  const year = years[Number($("#map-year").value)] ?? null;
  $("#map-year-label").textContent = year === null ? "" : String(year);
  $("#map-year").setAttribute("aria-valuetext", year === null ? "" : String(year));
  const shown = new Set($$("#map-tiers input:checked").map((b) => b.dataset.tier));
  const traces = [];
  if (MAP_STATE.borders) {
    traces.push({ type: "scatter", mode: "lines", x: MAP_STATE.borders.lon, y: MAP_STATE.borders.lat, line: { color: "#b8c2cf", width: 0.8 }, hoverinfo: "skip", showlegend: false, name: "borders" });
  }
  if ($("#map-assets").checked) {
    const assets = data.assets || [];
    traces.push({
      type: "scatter", mode: "markers", name: "defended assets", x: assets.map((a) => a.lon), y: assets.map((a) => a.lat),
      marker: { symbol: "diamond-open", size: assets.map((a) => 6 + 10 * Math.sqrt(Math.min(1, a.value || 0))), color: "#a86400" },
      customdata: assets.map((a) => ["asset", a.name, a.kind, a.iso3, a.value]),
      hovertemplate: "%{customdata[1]} (%{customdata[2]}, %{customdata[3]})<br>value %{customdata[4]}<extra>asset</extra>",
    });
  }
  const reach = $("#map-reach").value;
  if (reach) {
    // Where each shown unit engages the chosen threat class (its effective radius).
    for (const tier of TIERS) {
      if (!shown.has(tier)) continue;
      const units = data.units.filter((u) => u.tier === tier && (year === null || u.years.includes(year)));
      const ring = circles(units, (u) => ((data.radii || {})[u.system] || {})[reach]);
      if (!ring.x.length) continue;
      traces.push({ type: "scatter", mode: "lines", fill: "toself", name: `${tier} reach, ${reach}`, x: ring.x, y: ring.y,
        line: { color: MAP_COLOURS[tier], width: 0.6 }, fillcolor: `${MAP_COLOURS[tier]}22`, hoverinfo: "skip" });
    }
  }
  const counts = [];
  const tierTraces = [];
  for (const tier of TIERS) {
    const units = data.units.filter((u) => u.tier === tier && (year === null || u.years.includes(year)));
    if (!units.length) continue;
    counts.push(`${tier}: ${units.length}`);
    if (!shown.has(tier)) continue;
    tierTraces.push({
      type: "scatter", mode: "markers", name: `${tier} (${units.length})`, x: units.map((u) => u.lon), y: units.map((u) => u.lat),
      marker: { size: tier === "long" ? 12 : tier === "medium" ? 10 : 6, color: MAP_COLOURS[tier], line: { width: 1, color: "#fff" },
        symbol: units.map((u) => (u.origin === "new" ? "circle" : "square")) },
      customdata: units.map((u) => ["unit", u.system, u.iso3, u.origin, u.site, tier]),
      hovertemplate: "%{customdata[1]} · %{customdata[2]}<br>%{customdata[3]} · %{customdata[4]}<extra>%{customdata[5]}</extra>",
    });
  }
  // Inner tiers first, so the fewer long- and medium-range units are drawn on top.
  traces.push(...tierTraces.reverse());
  let covered = "";
  const byClass = (data.coverage_by_class || {})[String(year)];
  if (reach && byClass && typeof byClass[reach] === "number") {
    covered = ` · asset value covered against ${reach}: ${pct(byClass[reach])}`;
  }
  $("#map-counts").textContent = year === null ? "" : `Fire units standing in ${year}: ${counts.join(" · ")} (squares: today's, circles: new)${covered}`;
  const pts = [...data.units, ...(data.assets || [])];
  const lons = pts.map((p) => p.lon);
  const lats = pts.map((p) => p.lat);
  const pad = 1.5;
  const range = lons.length
    ? { x: [Math.min(...lons) - pad, Math.max(...lons) + pad], y: [Math.min(...lats) - pad, Math.max(...lats) + pad] }
    : { x: [-12, 45], y: [34, 71] };
  const mid = (range.y[0] + range.y[1]) / 2;
  const box = $("#map");
  const layout = {
    ...PLOT_LAYOUT,
    height: 620,
    margin: { l: 40, r: 10, t: 30, b: 30 },
    uirevision: MAP_STATE.runId,
    xaxis: { range: range.x, showgrid: false, zeroline: false, constrain: "domain", title: { text: "longitude [°]" } },
    yaxis: { range: range.y, showgrid: false, zeroline: false, scaleanchor: "x", scaleratio: 1 / Math.cos((mid * Math.PI) / 180), constrain: "domain", title: { text: "latitude [°]" } },
    legend: { orientation: "h", y: 1.04 },
    hovermode: "closest",
  };
  window.Plotly.react(box, traces, layout, PLOT_CONFIG);
  if (!box.dataset.clicks) {
    box.dataset.clicks = "1";
    box.on("plotly_click", (event) => {
      const p = event.points && event.points[0];
      if (!p || !p.customdata) return;
      const d = p.customdata;
      $("#map-detail").textContent = d[0] === "asset"
        ? `Asset: ${d[1]} (${d[2]}, ${d[3]}), value ${fmt(d[4])}, at ${fmt(p.y)}° N ${fmt(p.x)}° E`
        : `Fire unit: ${d[1]} of ${d[2]}, ${d[5]} tier, ${d[3] === "new" ? "new" : "today's"}, site ${d[4]}, at ${fmt(p.y)}° N ${fmt(p.x)}° E`;
    });
  }
}

// ---------------------------------------------------------------- compare
const ALLY_KEYS = {
  "budget.capex_musd": "cost of new fire units [million USD]",
  "budget.funded_year": "funded in",
  "budget.gap_musd": "funding gap [million USD]",
  "industry.met_year": "target delivered in",
  "industry.cost_saved_musd": "saved by buying jointly [million USD]",
};

function changeText(item) {
  if (item.delta === null || item.delta === undefined) {
    if (item.kind === "year") return item.a === item.b ? "same" : `${yearOr(item.a, "never")} → ${yearOr(item.b, "never")}`;
    return item.a === item.b ? "same" : "changed";
  }
  const sign = item.delta > 0 ? "+" : item.delta < 0 ? "−" : "±";
  const mag = Math.abs(item.delta);
  if (item.kind === "year") return item.delta === 0 ? "same year" : `${sign}${mag} year${mag === 1 ? "" : "s"}`;
  if (item.kind === "share") return `${sign}${fmt(100 * mag)} points`;
  let text = `${sign}${fmt(mag)}`;
  if (typeof item.rel === "number") text += ` (${item.rel > 0 ? "+" : item.rel < 0 ? "−" : ""}${fmt(100 * Math.abs(item.rel))} %)`;
  return text;
}

function valueText(value, kind) {
  if (kind === "year") return yearOr(value, value === null || value === undefined ? "never" : String(value));
  if (kind === "share") return pct(value);
  return fmt(value);
}

function changeClass(item) {
  return typeof item.delta === "number" && item.delta !== 0 ? (item.delta > 0 ? "num up" : "num down") : "num";
}

async function compare(a, b) {
  showTab("compare");
  location.hash = `compare=${a},${b}`;
  const res = await api("GET", `/api/compare?a=${a}&b=${b}`);
  $("#compare-empty").hidden = res.ok;
  $("#compare-view").hidden = !res.ok;
  if (!res.ok) {
    $("#compare-empty").textContent = `Cannot compare: ${(res.data && res.data.detail) || res.status}`;
    return;
  }
  const diff = res.data;
  $("#compare-title").textContent = `Run A #${a} (${diff.a.name}) → run B #${b} (${diff.b.name})`;
  $("#compare-identical").hidden = !diff.identical;
  const head = $("#compare-headline tbody");
  head.replaceChildren(...diff.headline.map((h) => el("tr", { "data-key": h.key },
    el("td", { text: h.label }), el("td", { class: "num", text: valueText(h.a, h.kind) }),
    el("td", { class: "num", text: valueText(h.b, h.kind) }), el("td", { class: changeClass(h), text: changeText(h) }))));
  const scenarioBody = $("#compare-scenario tbody");
  scenarioBody.replaceChildren(...diff.scenario.map((item) => el("tr", {}, el("td", { class: "path", text: item.path }),
    el("td", { class: "num", text: fmt(item.a) }), el("td", { class: "num", text: fmt(item.b) }))));
  if (!diff.scenario.length) scenarioBody.append(el("tr", {}, el("td", { colspan: "3", class: "muted", text: "none" })));
  const allies = $("#compare-allies");
  allies.replaceChildren();
  if (!diff.allies.length) allies.append(el("p", { class: "muted", text: "No ally's targets, cost or years changed." }));
  else {
    const table = el("table", { class: "table compact", id: "compare-allies-table" },
      el("thead", {}, el("tr", {}, el("th", { text: "Ally / result" }), el("th", { class: "num", text: "Run A" }), el("th", { class: "num", text: "Run B" }), el("th", { class: "num", text: "Change" }))));
    for (const ally of diff.allies) {
      const body = el("tbody", { "data-ally": ally.iso3 });
      const note = !ally.in_a ? " (only in B)" : !ally.in_b ? " (only in A)" : "";
      body.append(el("tr", { class: "group-row" }, el("th", { colspan: "4", text: `${ally.name} (${ally.iso3})${note}` })));
      for (const c of ally.changes) {
        const labelText = c.key.startsWith("target.") ? `${c.key.slice(7)} target [fire units]` : ALLY_KEYS[c.key] || c.key;
        body.append(el("tr", {}, el("td", { class: "indent", text: labelText }), el("td", { class: "num", text: valueText(c.a, c.kind) }),
          el("td", { class: "num", text: valueText(c.b, c.kind) }), el("td", { class: changeClass(c), text: changeText(c) })));
      }
      table.append(body);
    }
    allies.append(table);
  }
  const cut = $("#compare-cut");
  cut.hidden = !diff.other.truncated;
  cut.textContent = diff.other.truncated
    ? `Showing ${diff.other.shown.toLocaleString("en-GB")} of ${diff.other.total.toLocaleString("en-GB")} changed results (the largest first); the full list: GET /api/runs/${a}/diff/${b}.`
    : "";
  $("#compare-more summary").textContent = `Every other result that moved (${diff.other.total.toLocaleString("en-GB")})`;
  const resultsBody = $("#compare-results tbody");
  resultsBody.replaceChildren(...diff.other.rows.map((item) => el("tr", {}, el("td", { class: "path", text: item.path }),
    el("td", { class: "num", text: valueText(item.a, item.kind) }), el("td", { class: "num", text: valueText(item.b, item.kind) }),
    el("td", { class: changeClass(item), text: changeText(item) }))));
  if (!diff.other.rows.length) resultsBody.append(el("tr", {}, el("td", { colspan: "4", class: "muted", text: "none" })));
  drawCompare(diff.trajectory);
}

function drawCompare(trajectory) {
  const box = $("#chart-compare");
  const a = trajectory.a || [];
  const b = trajectory.b || [];
  if (!plotlyReady() || (!a.length && !b.length)) {
    box.replaceChildren(el("p", { class: "muted", text: "No milestone years in these runs." }));
    return;
  }
  box.replaceChildren();
  const traces = [...trajectoryTraces(a, " · A", "dot"), ...trajectoryTraces(b, " · B", "solid")];
  window.Plotly.newPlot(box, traces, { ...PLOT_LAYOUT, ...TRAJECTORY_LAYOUT, legend: { orientation: "h", y: 1.18 }, margin: { l: 56, r: 56, t: 60, b: 40 } }, PLOT_CONFIG);
}
