/* gbad web UI: "Is fivefold enough?" — a run's requirement (plan.json "requirement"):
   the least-cost force holding the missile leak share to the target, against the
   x-fold target, per tier and per ally, what it costs, which threat class drives
   which tier, and the required force as force.csv. Loaded after app.js and
   views.js; shares their global scope. Every number shown is the plan.json number
   of the same name; a plan without a requirement says so. */
"use strict";

const REQ_STATE = { sort: "iso3", dir: 1, tier: "", ally: null, runId: null };

// Columns of the per-ally table: [key of a by_ally_tier row, header, numeric].
const REQ_ALLY_COLUMNS = [
  ["iso3", "Ally", false],
  ["tier", "Tier", false],
  ["existing", "Existing", true],
  ["required", "Required", true],
  ["target", "x-fold target", true],
  ["difference", "Required − target", true],
];

// Headline cards: [requirement key, label, unit, format, key of its standard error].
const REQ_KPIS = [
  ["missile_leak_share", "Missile leak share, required force", "% of missiles", "pct", "missile_leak_share_se"],
  ["existing_missile_leak_share", "Missile leak share, existing force", "% of missiles", "pct", "existing_missile_leak_share_se"],
  ["leak_target", "Leak target", "% of missiles", "pct", null],
  ["total_cost_musd", "Added units, required force", "million USD", "", null],
  ["target_cost_musd", "New units, x-fold target", "million USD", "", null],
  ["cost_difference_musd", "Difference (required − target)", "million USD", "", null],
];

const GEOMETRY_LABELS = {
  pooled: "pooled campaign: a lower bound",
  spatial: "spatial campaign",
};

function seText(se) {
  // A standard error in percentage points, two significant digits.
  return typeof se === "number" ? (100 * se).toLocaleString("en-GB", { maximumSignificantDigits: 2 }) : null;
}

function shareWithSe(share, se) {
  const err = seText(se);
  return err === null || typeof share !== "number" ? pct(share) : `${fmt(share, "pct")} ± ${err} %`;
}

function allyName(iso3) {
  const allies = (state.catalogue && state.catalogue.allies) || [];
  const found = allies.find((a) => a.iso3 === iso3);
  return found ? `${found.name} (${iso3})` : iso3;
}

function requirementOf(run) {
  const results = (run && run.results) || null;
  if (!results) return { results: null, req: null };
  const req = results.requirement;
  return { results, req: req && typeof req === "object" && !Array.isArray(req) ? req : null };
}

// Called when a run is opened (nothing yet) and whenever its results arrive.
function renderRequirement(run) {
  const view = $("#req-view");
  const empty = $("#req-empty");
  const none = $("#req-none");
  const { results, req } = requirementOf(run);
  view.hidden = true;
  none.hidden = true;
  empty.hidden = false;
  if (!run) {
    empty.textContent = "Open a finished run to see whether its x-fold target is enough.";
    return;
  }
  if (!results) {
    empty.textContent = ["done", "failed", "cancelled"].includes(run.status)
      ? `Run #${run.id} has no results.`
      : `Run #${run.id} is ${run.status}; its requirement shows here when it is done.`;
    return;
  }
  empty.hidden = true;
  if (!req) {
    none.hidden = false;
    none.replaceChildren(run.status === "failed"
      ? `Run #${run.id} failed before its plan had a requirement (${run.error || "no reason recorded"}).`
      : "This run's plan has no requirement: it was made with the requirement stage off (",
    ...(run.status === "failed" ? [] : [el("code", { text: "PlanConfig(requirement=False)" }), "). ",
      el("code", { text: "gbad requirement" }), " finds it from the command line."]));
    return;
  }
  if (REQ_STATE.runId !== run.id) {
    REQ_STATE.runId = run.id;
    REQ_STATE.ally = null;
  }
  view.hidden = false;
  const summary = results.summary || {};
  const factor = summary.factor ?? getPath(results, "scenario.target.factor");
  const geometry = typeof req.geometry === "string" ? req.geometry : null;
  const badge = $("#req-geometry");
  badge.textContent = geometry ? GEOMETRY_LABELS[geometry] || `${geometry} campaign` : "campaign geometry not recorded";
  badge.className = `pill ${geometry === "pooled" ? "st-queued" : "pill-ok"}`;
  badge.dataset.geometry = geometry || "";
  const met = $("#req-met");
  met.textContent = req.met === true ? "target met" : req.met === false ? "target not met" : "not checked";
  met.className = `pill ${req.met === true ? "st-done" : "st-failed"}`;
  $("#req-factor").textContent = typeof factor === "number" ? `this run's target: ${fmt(factor)}-fold` : "";
  $("#req-answer").textContent = requirementSentence(req, factor);
  $("#req-pooled-note").hidden = geometry !== "pooled";
  renderRequirementKpis(req);
  renderRequirementTiers(req);
  renderRequirementAllies(req);
  renderRequirementMethod(req);
  const link = $("#dl-force");
  link.href = `/api/runs/${run.id}/force.csv`;
  link.setAttribute("download", `run${run.id}-force.csv`);
  const year = typeof req.year === "number" ? ` --year ${req.year}` : "";
  $("#dl-force-cmd").textContent = `gbad campaign --scenario scenario.yaml --force run${run.id}-force.csv${year}`;
}

// The answer in one sentence: the existing force's leak share, the cost of holding
// it to the target against the x-fold target's, and the Monte Carlo check.
function requirementSentence(req, factor) {
  const year = req.year ?? "the horizon year";
  const fold = typeof factor === "number" ? `${fmt(factor)}-fold` : "x-fold";
  const existing = `In ${year} today's force still in service lets ${shareWithSe(req.existing_missile_leak_share, req.existing_missile_leak_share_se)} of missiles through`;
  let cost = `holding the share to ${pct(req.leak_target)} takes ${fmt(req.total_cost_musd)} million USD of added fire units`;
  if (typeof req.target_cost_musd === "number") {
    cost += `, against ${fmt(req.target_cost_musd)} million USD for the ${fold} target`;
    if (typeof req.cost_difference_musd === "number") {
      const diff = req.cost_difference_musd;
      cost += diff === 0 ? " (the same)" : ` (${fmt(Math.abs(diff))} million USD ${diff < 0 ? "less" : "more"})`;
    }
  } else {
    cost += `; the ${fold} target's cost is not known`;
  }
  const check = `Checked by Monte Carlo with fresh seeds, the required force lets ${shareWithSe(req.missile_leak_share, req.missile_leak_share_se)} of missiles through: the target is ${req.met ? "met" : "not met"}.`;
  return `${existing}; ${cost}. ${check}`;
}

function renderRequirementKpis(req) {
  const box = $("#req-kpis");
  box.replaceChildren(...REQ_KPIS.map(([key, labelText, unit, kind, seKey]) => {
    const value = req[key];
    const se = seKey ? seText(req[seKey]) : null;
    return el("div", { class: "kpi", "data-key": key },
      el("div", { class: "kpi-label", text: labelText }),
      el("div", { class: "kpi-value", text: fmt(value, kind) }),
      el("div", { class: "kpi-unit", text: se === null ? unit : `${unit}, ± ${se} points (standard error)` }));
  }));
}

function tierRows(req) {
  const versus = Array.isArray(req.versus_target) ? req.versus_target : [];
  const byTier = Array.isArray(req.by_ally_tier) ? req.by_ally_tier : [];
  const drivers = Array.isArray(req.drivers) ? req.drivers : [];
  return versus.map((row) => {
    const rows = byTier.filter((r) => r.tier === row.tier);
    const existing = rows.length ? rows.reduce((sum, r) => sum + (r.existing || 0), 0) : null;
    return { ...row, existing, driver: drivers.find((d) => d.tier === row.tier) || null };
  });
}

function renderRequirementTiers(req) {
  const rows = tierRows(req);
  const classes = [...new Set(rows.flatMap((r) => Object.keys((r.driver && r.driver.leakers_prevented) || {})))];
  const head = ["Tier", "Existing", "Required", "x-fold target", "Required − target", "Driving threat class",
    ...classes.map((c) => `${c} leakers prevented`), "drone leakers prevented"];
  const body = rows.map((r) => {
    const d = r.driver || {};
    const prevented = d.leakers_prevented || {};
    const diff = typeof r.required === "number" && typeof r.target === "number" ? r.required - r.target : null;
    const cells = [[r.tier, "", "tier"], [fmt(r.existing), "num", "existing"], [fmt(r.required), "num", "required"],
      [fmt(r.target), "num", "target"], [diff === null ? MISSING : signed(diff), "num", "difference"],
      [d.threat_class || MISSING, "", "threat_class"],
      ...classes.map((c) => [fmt(prevented[c]), "num", `leakers_prevented.${c}`]),
      [fmt(d.drone_leakers_prevented), "num", "drone_leakers_prevented"]];
    return el("tr", { "data-tier": r.tier }, ...cells.map(([text, cls, key]) => el("td", { class: cls, "data-key": key, text })));
  });
  $("#req-tiers").replaceChildren(
    el("thead", {}, el("tr", {}, ...head.map((h, i) => el("th", { class: i > 0 && i !== 5 ? "num" : "", text: h })))),
    el("tbody", {}, ...body));
  drawRequirementChart(rows);
}

function signed(n) {
  return n > 0 ? `+${fmt(n)}` : n < 0 ? `−${fmt(-n)}` : "0";
}

function drawRequirementChart(rows) {
  const box = $("#chart-req-tiers");
  if (!plotlyReady() || !rows.length) {
    box.replaceChildren(el("p", { class: "empty", text: "No tiers in this requirement." }));
    return;
  }
  box.replaceChildren();
  const tiers = rows.map((r) => r.tier);
  // A log axis: very-short counts run to thousands, long-range ones to tens. Zero
  // has no place on it, so a zero bar is left out and its label says 0.
  const positive = (v) => (typeof v === "number" && v > 0 ? v : null);
  const bar = (name, key, color) => ({
    type: "bar", name, x: tiers, y: rows.map((r) => positive(r[key])),
    text: rows.map((r) => fmt(r[key])), textposition: "outside", cliponaxis: false,
    marker: { color }, hovertemplate: `%{x}: %{text} fire units<extra>${name}</extra>`,
  });
  const traces = [bar("existing", "existing", "#c9d6e6"), bar("required", "required", "#1f4e8c"), bar("x-fold target", "target", "#b42318")];
  window.Plotly.newPlot(box, traces, {
    ...PLOT_LAYOUT,
    barmode: "group",
    margin: { l: 60, r: 12, t: 40, b: 40 },
    xaxis: { title: { text: "tier" } },
    yaxis: { title: { text: "fire units in service, all allies (log)" }, type: "log", gridcolor: "#e6ebf1" },
  }, PLOT_CONFIG);
}

// ---------------------------------------------------------------- per ally
function allyRows(req) {
  const rows = Array.isArray(req.by_ally_tier) ? req.by_ally_tier : [];
  return rows.map((r) => ({ ...r, difference: typeof r.required === "number" && typeof r.target === "number" ? r.required - r.target : null }));
}

function renderRequirementAllies(req) {
  const select = $("#req-tier");
  const tiers = [...new Set(allyRows(req).map((r) => r.tier))].sort((a, b) => TIERS.indexOf(a) - TIERS.indexOf(b));
  select.replaceChildren(el("option", { value: "", text: "all tiers" }), ...tiers.map((t) => el("option", { value: t, text: t })));
  if (!tiers.includes(REQ_STATE.tier)) REQ_STATE.tier = "";
  select.value = REQ_STATE.tier;
  select.onchange = () => {
    REQ_STATE.tier = select.value;
    drawAllyTable(req);
    drawAllyChart(req);
  };
  drawAllyTable(req);
  drawAllyChart(req);
}

function drawAllyTable(req) {
  const table = $("#req-allies");
  const key = REQ_STATE.sort;
  const numeric = (REQ_ALLY_COLUMNS.find((c) => c[0] === key) || [])[2];
  const text = (r) => (key === "iso3" ? allyName(r.iso3) : String(r[key] ?? ""));
  const rows = allyRows(req).filter((r) => !REQ_STATE.tier || r.tier === REQ_STATE.tier);
  rows.sort((a, b) => {
    let cmp = numeric ? (a[key] ?? -Infinity) - (b[key] ?? -Infinity) : text(a).localeCompare(text(b));
    if (cmp === 0) cmp = allyName(a.iso3).localeCompare(allyName(b.iso3)) || TIERS.indexOf(a.tier) - TIERS.indexOf(b.tier);
    return REQ_STATE.dir * cmp;
  });
  const head = REQ_ALLY_COLUMNS.map(([k, label, num]) => {
    const button = el("button", { type: "button", class: "sort", "data-sort": k, text: label });
    button.addEventListener("click", () => {
      REQ_STATE.dir = REQ_STATE.sort === k ? -REQ_STATE.dir : num ? -1 : 1;
      REQ_STATE.sort = k;
      drawAllyTable(req);
    });
    const sorted = REQ_STATE.sort === k;
    if (sorted) button.append(REQ_STATE.dir > 0 ? " ▲" : " ▼");
    return el("th", { class: num ? "num" : "", "aria-sort": sorted ? (REQ_STATE.dir > 0 ? "ascending" : "descending") : "none" }, button);
  });
  const body = rows.map((r) => {
    const tr = el("tr", { "data-ally": r.iso3, "data-tier": r.tier, class: r.iso3 === REQ_STATE.ally ? "selected" : "" },
      el("td", {}, el("a", { href: "#", class: "runlink", "data-ally": r.iso3, text: allyName(r.iso3) })),
      el("td", { text: r.tier }),
      el("td", { class: "num", "data-key": "existing", text: fmt(r.existing) }),
      el("td", { class: "num", "data-key": "required", text: fmt(r.required) }),
      el("td", { class: "num", "data-key": "target", text: fmt(r.target) }),
      el("td", { class: "num", "data-key": "difference", text: r.difference === null ? MISSING : signed(r.difference) }));
    tr.querySelector("a").addEventListener("click", (event) => {
      event.preventDefault();
      REQ_STATE.ally = REQ_STATE.ally === r.iso3 ? null : r.iso3;
      drawAllyTable(req);
    });
    return tr;
  });
  table.replaceChildren(el("thead", {}, el("tr", {}, ...head)), el("tbody", {}, ...body));
  $("#req-allies-count").textContent = `${rows.length} rows of ${allyRows(req).length}`;
  renderAllyDetail(req);
}

// Per ally: with a tier picked, its required fire units against its x-fold target;
// over all tiers (fire units of different tiers do not add up), the cost of its
// added units (requirement.countries[].cost_musd).
function drawAllyChart(req) {
  const box = $("#chart-req-allies");
  const title = $("#req-allies-chart-title");
  const tier = REQ_STATE.tier;
  let y;
  let traces;
  if (tier) {
    const rows = allyRows(req).filter((r) => r.tier === tier).sort((a, b) => (a.target ?? 0) - (b.target ?? 0));
    y = rows.map((r) => allyName(r.iso3));
    traces = [["required", "required", "#1f4e8c"], ["x-fold target", "target", "#b42318"]].map(([name, key, color]) => ({
      type: "bar", orientation: "h", name, y, x: rows.map((r) => r[key]), marker: { color },
      hovertemplate: `%{y}: %{x} ${tier} fire units<extra>${name}</extra>`,
    }));
    title.textContent = `${tier}: required against the x-fold target, per ally [fire units]`;
  } else {
    const rows = (Array.isArray(req.countries) ? req.countries : []).slice().sort((a, b) => (a.cost_musd ?? 0) - (b.cost_musd ?? 0));
    y = rows.map((r) => allyName(r.iso3));
    traces = [{ type: "bar", orientation: "h", name: "added units", y, x: rows.map((r) => r.cost_musd), marker: { color: "#1f4e8c" },
      hovertemplate: "%{y}: %{x:,.1f} million USD<extra>cost_musd</extra>" }];
    title.textContent = "Cost of each ally's added fire units, with their interceptors [million USD]; pick a tier for fire units";
  }
  if (!plotlyReady() || !y.length) {
    box.replaceChildren(el("p", { class: "empty", text: "No allies in this requirement." }));
    return;
  }
  box.replaceChildren();
  const height = Math.max(220, 22 * y.length * (traces.length > 1 ? 1.6 : 1) + 90);
  box.style.height = `${height}px`;
  window.Plotly.newPlot(box, traces, {
    ...PLOT_LAYOUT, height, barmode: "group", margin: { l: 170, r: 12, t: 30, b: 40 },
    xaxis: { gridcolor: "#e6ebf1", rangemode: "tozero" },
    yaxis: { tickmode: "array", tickvals: y, ticktext: y, automargin: true },
  }, PLOT_CONFIG);
}

// One ally's required force: every system in service, existing and added, and
// the cost of its added units (requirement.countries).
function renderAllyDetail(req) {
  const box = $("#req-ally-detail");
  const iso3 = REQ_STATE.ally;
  if (!iso3) {
    box.replaceChildren(el("p", { class: "muted small", text: "Click an ally for its required force, system by system." }));
    return;
  }
  const country = (Array.isArray(req.countries) ? req.countries : []).find((c) => c.iso3 === iso3);
  const systems = country && Array.isArray(country.systems) ? country.systems : [];
  const tiers = allyRows(req).filter((r) => r.iso3 === iso3).sort((a, b) => TIERS.indexOf(a.tier) - TIERS.indexOf(b.tier));
  box.replaceChildren(
    el("h4", { text: `${allyName(iso3)}: its required force` }),
    el("p", { class: "small", "data-key": "cost_musd", text: country ? `Added fire units with their interceptors: ${fmt(country.cost_musd)} million USD.` : "No fire units in its required force." }),
    smallTable(["Tier", "System", "Fire units", "Existing", "Added"], systems.map((s) => [s.tier, s.system, fmt(s.fire_units), fmt(s.existing), fmt(s.added)]), { "data-view": "req-ally-systems" }),
    smallTable(["Tier", "Existing", "Required", "x-fold target"], tiers.map((r) => [r.tier, fmt(r.existing), fmt(r.required), fmt(r.target)]), { "data-view": "req-ally-tiers" }));
}

function renderRequirementMethod(req) {
  const box = $("#req-method");
  const parts = [smallTable(["", ""], [["method", fmt(req.method)], ["geometry", fmt(req.geometry)], ["evaluations", fmt(req.evaluations)]], { "data-view": "req-method" })];
  const rounds = Array.isArray(req.rounds) ? req.rounds : [];
  if (rounds.length) {
    parts.push(el("h4", { text: "Monte Carlo checks, one per round" }),
      smallTable(["Round", "Missile leak share %", "± points", "Added units", "Cost (million USD)"],
        rounds.map((r, i) => [String(i + 1), fmt(r.missile_leak_share, "pct"), seText(r.missile_leak_share_se) ?? MISSING, fmt(r.added_units), fmt(r.cost_musd)]),
        { "data-view": "req-rounds" }));
  }
  if (req.uncoverable !== undefined && req.uncoverable !== null) {
    parts.push(el("h4", { text: "Uncoverable" }), genericView(req.uncoverable, 1));
  }
  box.replaceChildren(...parts);
}
