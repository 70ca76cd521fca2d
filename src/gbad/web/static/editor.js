/* gbad web UI: the scenario editor. Every section of the scenario as form fields
   built from the scenario's JSON schema (GET /api/scenario/schema), with a
   country picker, per-ally settings, procurement per tier, the threat and the
   milestones. The scenario object is the one truth: fields write into it, the
   JSON view is written from it, and a parsed JSON view is written back to the
   fields. Loaded before app.js; shares its global scope. */
"use strict";

const Editor = {
  widgets: [], // {path, write(scenario)}
  badFields: new Set(), // paths whose own JSON box does not parse
  schema: null,
  catalogue: null,
  onChange: null,
};

// Sections in the order a planner sets them; later ones start folded.
const SECTIONS = [
  ["essentials", "Essentials", true],
  ["countries", "Allies", true],
  ["target", "Target", true],
  ["threat", "Threat", true],
  ["milestones", "Milestones", false],
  ["procurement", "Procurement", false],
  ["budget", "Budget", false],
  ["industry", "Industry", false],
  ["force", "Force", false],
  ["campaign", "Campaign", false],
  ["engagement", "Engagement", false],
  ["siting", "Siting", false],
  ["coverage", "Coverage", false],
  ["sweep", "Sweep", false],
  ["overrides", "Overrides of reference data", false],
];

// Ids kept for fields that links and scripts name.
const FIELD_IDS = {
  name: "f-name", "target.factor": "f-factor", "target.key": "f-key", "target.method": "f-method",
  horizon_year: "f-horizon", "threat.nights": "f-nights", "threat.preset": "f-preset",
  "budget.gbad_share_of_core_pct": "f-share", "budget.core_target_pct_gdp": "f-core",
};

function fieldId(path) {
  return FIELD_IDS[path] || `f-${path.replace(/[^A-Za-z0-9]+/g, "-")}`;
}

function resolve(node) {
  if (!node) return {};
  if (node.$ref) {
    const name = node.$ref.split("/").pop();
    return resolve(Editor.schema.$defs[name]);
  }
  if (node.anyOf) {
    const nonNull = node.anyOf.filter((n) => n.type !== "null");
    const out = nonNull.length === 1 ? { ...resolve(nonNull[0]) } : { ...node, kinds: nonNull.map(resolve) };
    out.nullable = node.anyOf.some((n) => n.type === "null");
    for (const key of ["default", "description", "title"]) if (key in node) out[key] = node[key];
    return out;
  }
  return node;
}

function label(path, node) {
  const leaf = path.split(".").pop();
  const words = leaf.replace(/_/g, " ");
  const unit = /_pct$/.test(leaf) ? "%" : /_km$/.test(leaf) ? "km" : /_musd$/.test(leaf) ? "million USD" : /_days$/.test(leaf) ? "days" : /_m$/.test(leaf) ? "m" : "";
  const text = words.replace(/ (pct|km|musd|days|m)$/, "");
  return [text.charAt(0).toUpperCase() + text.slice(1), unit, node.description || ""];
}

function fieldBox(path, node, control, extraHint) {
  const [text, unit, description] = label(path, node);
  const lab = el("label", { for: control.id || "" }, text);
  if (unit) lab.append(" ", el("span", { class: "hint", text: unit }));
  const box = el("div", { class: "field", "data-field": path },
    lab, control, el("div", { class: "field-error", "data-error-for": path }));
  if (description || extraHint) box.title = [description, extraHint].filter(Boolean).join(" ");
  return box;
}

function emit() {
  if (Editor.onChange) Editor.onChange();
}

// Numbers are typed as text and read whole: 1000000 stays 1000000.
function parseNumber(raw) {
  const text = raw.trim().replace(/[\s_]/g, "").replace(/,/g, "");
  if (text === "") return undefined;
  const num = Number(text);
  return Number.isFinite(num) ? num : raw.trim();
}

function numberInput(id, placeholder) {
  return el("input", { id, type: "text", inputmode: "decimal", autocomplete: "off", spellcheck: "false", placeholder: placeholder ?? "" });
}

function showNumber(value) {
  return value === undefined || value === null ? "" : String(value);
}

// ---------------------------------------------------------------- generic fields
function scalarField(path, node) {
  const id = fieldId(path);
  let control;
  let read;
  let write;
  const type = node.type;
  if (node.enum) {
    control = el("select", { id, "data-path": path });
    if (node.nullable) control.append(el("option", { value: "", text: "(default)" }));
    for (const option of node.enum) control.append(el("option", { value: String(option), text: String(option) }));
    read = () => (control.value === "" && node.nullable ? null : control.value);
    write = (v) => { control.value = v === null || v === undefined ? "" : String(v); };
  } else if (type === "boolean") {
    control = el("input", { id, type: "checkbox", "data-path": path });
    read = () => control.checked;
    write = (v) => { control.checked = Boolean(v); };
  } else if (type === "number" || type === "integer") {
    control = numberInput(id, node.nullable ? "(default)" : showNumber(node.default));
    control.dataset.path = path;
    read = () => {
      const v = parseNumber(control.value);
      return v === undefined ? (node.nullable ? null : undefined) : v;
    };
    write = (v) => { control.value = showNumber(v); };
  } else if (type === "array" && node.items && ["string", "integer", "number"].includes(node.items.type)) {
    control = el("input", { id, type: "text", "data-path": path, placeholder: node.nullable ? "(default)" : "", autocomplete: "off" });
    const numeric = node.items.type !== "string";
    read = () => {
      const parts = control.value.split(/[,\s]+/).filter(Boolean);
      if (!parts.length) return node.nullable ? null : [];
      return parts.map((p) => (numeric ? parseNumber(p) : p));
    };
    write = (v) => { control.value = Array.isArray(v) ? v.join(", ") : ""; };
  } else if (type === "string") {
    control = el("input", { id, type: "text", "data-path": path, autocomplete: "off", placeholder: node.nullable ? "(default)" : "" });
    read = () => (control.value === "" && node.nullable ? null : control.value);
    write = (v) => { control.value = v === null || v === undefined ? "" : String(v); };
  } else {
    return jsonField(path, node);
  }
  control.addEventListener(control.tagName === "SELECT" || control.type === "checkbox" ? "change" : "input", () => {
    setPath(state.scenario, path, read());
    emit();
  });
  Editor.widgets.push({ path, write: (s) => write(getPath(s, path)) });
  return fieldBox(path, node, control);
}

// A mapping whose keys are a fixed list (tiers, threat classes): one input per key.
function enumMapField(path, node, keys) {
  const grid = el("div", { class: "grid5" });
  const inputs = {};
  for (const key of keys) {
    const id = fieldId(`${path}.${key}`);
    const input = numberInput(id, "");
    input.dataset.path = `${path}.${key}`;
    input.dataset.optional = "1";
    inputs[key] = input;
    input.addEventListener("input", () => {
      const value = parseNumber(input.value);
      const map = { ...(getPath(state.scenario, path) || {}) };
      if (value === undefined) delete map[key];
      else map[key] = value;
      setPath(state.scenario, path, Object.keys(map).length || !node.nullable ? map : null);
      emit();
    });
    grid.append(el("div", { class: "field" }, el("label", { for: id, text: key }), input,
      el("div", { class: "field-error", "data-error-for": `${path}.${key}` })));
  }
  Editor.widgets.push({
    path,
    write: (s) => {
      const map = getPath(s, path) || {};
      for (const key of keys) inputs[key].value = showNumber(map[key]);
    },
  });
  const [text, , description] = label(path, node);
  return el("div", { class: "subfield", "data-field": path, title: description },
    el("div", { class: "raid-head", text }), grid, el("div", { class: "field-error", "data-error-for": path }));
}

// A free mapping of simple values: rows of key and value, add and remove.
function mapField(path, node, { keyList = null, valueKind = "number", showValue = (v) => v, valueTo = (v) => v, store = null } = {}) {
  const rows = el("div", { class: "maprows" });
  const listId = keyList ? `${fieldId(path)}-keys` : null;
  const wrap = el("div", { class: "subfield", "data-field": path });
  const [text, , description] = label(path, node);
  wrap.title = description;
  const render = (map) => {
    rows.replaceChildren();
    for (const [key, value] of Object.entries(map || {})) rows.append(row(key, showValue(value)));
  };
  const commit = () => {
    const map = {};
    for (const r of rows.children) {
      const key = r.querySelector(".mapkey").value.trim();
      if (!key) continue;
      const raw = r.querySelector(".mapval").value;
      map[key] = valueTo(valueKind === "number" ? parseNumber(raw) ?? raw : raw.trim());
    }
    if (store) store(map);
    else setPath(state.scenario, path, Object.keys(map).length || !node.nullable ? map : null);
    emit();
  };
  const row = (key, value) => {
    const keyInput = el("input", { class: "mapkey", type: "text", value: key, "aria-label": `${text} key`, autocomplete: "off" });
    if (listId) keyInput.setAttribute("list", listId);
    const valInput = valueKind === "number" ? numberInput("", "") : el("input", { type: "text", autocomplete: "off" });
    valInput.classList.add("mapval");
    valInput.setAttribute("aria-label", `${text} value`);
    valInput.value = value === undefined || value === null ? "" : String(value);
    const remove = el("button", { type: "button", class: "btn-link", text: "remove", "aria-label": `remove ${key}` });
    remove.addEventListener("click", () => { remove.parentElement.remove(); commit(); });
    keyInput.addEventListener("change", commit);
    valInput.addEventListener("input", commit);
    return el("div", { class: "maprow" }, keyInput, valInput, remove);
  };
  const add = el("button", { type: "button", class: "btn-link", text: "+ add" });
  add.addEventListener("click", () => { rows.append(row("", "")); rows.lastChild.querySelector(".mapkey").focus(); });
  wrap.append(el("div", { class: "raid-head", text }), rows, add, el("div", { class: "field-error", "data-error-for": path }));
  if (listId) {
    const list = el("datalist", { id: listId });
    for (const key of keyList()) list.append(el("option", { value: key }));
    wrap.append(list);
  }
  Editor.widgets.push({ path, write: (s) => render(getPath(s, path)) });
  return wrap;
}

// Anything else: its own small JSON box (parsed on each edit).
function jsonField(path, node) {
  const id = fieldId(path);
  const area = el("textarea", { id, rows: "3", spellcheck: "false", class: "jsonfield", "data-path": path });
  area.addEventListener("input", () => {
    const raw = area.value.trim();
    try {
      const value = raw === "" ? (node.nullable ? null : node.type === "object" ? {} : undefined) : JSON.parse(raw);
      area.classList.remove("badjson");
      setPath(state.scenario, path, value);
      emit();
      Editor.badFields.delete(path);
      refreshStart();
    } catch (err) {
      area.classList.add("badjson");
      const box = area.parentElement.querySelector(".field-error");
      if (box) box.textContent = `Not valid JSON: ${err.message}`;
      // The scenario still holds the last valid value: never run it.
      Editor.badFields.add(path);
      refreshStart();
    }
  });
  Editor.widgets.push({
    path,
    write: (s) => {
      const v = getPath(s, path);
      area.classList.remove("badjson");
      area.value = v === undefined || v === null || (typeof v === "object" && !Object.keys(v).length) ? "" : JSON.stringify(v);
    },
  });
  return fieldBox(path, node, area);
}

function genericField(path, node) {
  node = resolve(node);
  const keys = node.propertyNames && node.propertyNames.enum;
  if (node.type === "object" && keys && node.additionalProperties && ["number", "integer"].includes(node.additionalProperties.type)) {
    return enumMapField(path, node, keys);
  }
  if (node.type === "object" && node.additionalProperties && ["number", "integer", "string"].includes(node.additionalProperties.type)) {
    const kind = node.additionalProperties.type === "string" ? "text" : "number";
    return mapField(path, node, { valueKind: kind, keyList: () => allyTierKeys() });
  }
  if (node.type === "object" && node.properties) return null; // a section: handled by the caller
  return scalarField(path, node);
}

// ---------------------------------------------------------------- special fields
function allyTierKeys() {
  const allies = (Editor.catalogue && Editor.catalogue.allies) || [];
  const keys = [...TIERS];
  for (const ally of allies) {
    keys.push(ally.iso3);
    for (const tier of TIERS) keys.push(`${ally.iso3}:${tier}`);
  }
  return keys;
}

function countryPicker() {
  const cat = Editor.catalogue || { allies: [], groups: {} };
  const wrap = el("div", { class: "picker", id: "country-picker" });
  const defaultBox = el("input", { type: "checkbox", id: "countries-default" });
  const count = el("span", { class: "hint", id: "countries-count" });
  wrap.append(el("label", { class: "check" }, defaultBox, " The default: the 30 European allies "), count);
  const groups = el("div", { class: "group-buttons" });
  for (const [name, members] of Object.entries(cat.groups)) {
    const button = el("button", { type: "button", class: "chip", "data-group": name, text: `${name} (${members.length})` });
    button.title = `Select exactly these allies: ${members.join(", ")}`;
    button.addEventListener("click", () => {
      setPath(state.scenario, "countries", [...members]);
      writeAll();
      emit();
    });
    groups.append(button);
  }
  const filter = el("input", { type: "search", id: "countries-filter", placeholder: "Filter allies…", "aria-label": "Filter allies" });
  const list = el("div", { class: "ally-list" });
  const boxes = {};
  const sets = [
    ["Front line", (a) => a.european && a.front_line],
    ["Other European allies", (a) => a.european && !a.front_line],
    ["North America", (a) => !a.european],
  ];
  for (const [title, test] of sets) {
    const members = cat.allies.filter(test);
    if (!members.length) continue;
    const block = el("div", { class: "ally-block" }, el("div", { class: "ally-block-head", text: title }));
    for (const ally of members) {
      const box = el("input", { type: "checkbox", "data-iso3": ally.iso3, id: `ally-${ally.iso3}` });
      boxes[ally.iso3] = box;
      const essi = ally.essi_member ? el("span", { class: "badge", title: `ESSI member since ${ally.essi_join_year ?? "?"}`, text: "ESSI" }) : "";
      const item = el("label", { class: "ally", "data-name": `${ally.name} ${ally.iso3}`.toLowerCase() }, box, ` ${ally.name} `, el("span", { class: "hint", text: ally.iso3 }), " ", essi);
      box.addEventListener("change", () => {
        const current = getPath(state.scenario, "countries") || defaultAllies();
        const next = box.checked ? [...new Set([...current, ally.iso3])] : current.filter((c) => c !== ally.iso3);
        setPath(state.scenario, "countries", next);
        writeAll();
        emit();
      });
      block.append(item);
    }
    list.append(block);
  }
  filter.addEventListener("input", () => {
    const q = filter.value.trim().toLowerCase();
    for (const item of $$(".ally", list)) item.hidden = q !== "" && !item.dataset.name.includes(q);
  });
  defaultBox.addEventListener("change", () => {
    setPath(state.scenario, "countries", defaultBox.checked ? null : defaultAllies());
    writeAll();
    emit();
  });
  wrap.append(groups, filter, list, el("div", { class: "field-error", "data-error-for": "countries" }));
  Editor.widgets.push({
    path: "countries",
    write: (s) => {
      const chosen = s.countries;
      defaultBox.checked = chosen === null || chosen === undefined;
      const set = new Set(chosen || defaultAllies());
      for (const [iso3, box] of Object.entries(boxes)) box.checked = set.has(iso3);
      count.textContent = `${set.size} allies in the plan`;
    },
  });
  return wrap;
}

function defaultAllies() {
  return ((Editor.catalogue && Editor.catalogue.allies) || []).filter((a) => a.european).map((a) => a.iso3);
}

function allyName(iso3) {
  const ally = ((Editor.catalogue && Editor.catalogue.allies) || []).find((a) => a.iso3 === iso3);
  return ally ? ally.name : iso3;
}

// One row per ally in the plan: minimum and maximum target, its core-defence path.
function perAllyTable() {
  const wrap = el("div", { class: "subfield", id: "per-ally" });
  const table = el("table", { class: "table compact" });
  wrap.append(el("div", { class: "raid-head" }, "Per-ally settings ", el("span", { class: "hint", text: "fire units; empty: the plan's rule (minimum of every tier: Target section)" })), table,
    el("div", { class: "field-error", "data-error-for": "target.minimum" }),
    el("div", { class: "field-error", "data-error-for": "target.maximum" }),
    el("div", { class: "field-error", "data-error-for": "budget.user_path" }));
  const cell = (iso3, path, placeholder, key = iso3) => {
    const input = numberInput("", placeholder);
    input.setAttribute("aria-label", `${path} ${key}`);
    input.dataset.ally = iso3;
    input.value = showNumber(getPath(state.scenario, path)?.[key]);
    input.addEventListener("input", () => {
      const map = { ...(getPath(state.scenario, path) || {}) };
      const v = parseNumber(input.value);
      if (v === undefined) delete map[key];
      else map[key] = v;
      setPath(state.scenario, path, map);
      emit();
    });
    return el("td", {}, input);
  };
  const pathCell = (iso3) => {
    const input = el("input", { type: "text", placeholder: "2030: 3.0, 2035: 3.5", autocomplete: "off", "aria-label": `core defence path ${iso3}` });
    const current = (getPath(state.scenario, "budget.user_path") || {})[iso3];
    input.value = current ? Object.entries(current).map(([y, v]) => `${y}: ${v}`).join(", ") : "";
    input.addEventListener("input", () => {
      const map = { ...(getPath(state.scenario, "budget.user_path") || {}) };
      const pairs = input.value.split(",").map((p) => p.split(":").map((x) => x.trim())).filter((p) => p[0]);
      if (!pairs.length) delete map[iso3];
      else map[iso3] = Object.fromEntries(pairs.map(([y, v]) => [y, parseNumber(v ?? "") ?? v ?? ""]));
      setPath(state.scenario, "budget.user_path", map);
      emit();
    });
    return el("td", {}, input);
  };
  Editor.widgets.push({
    path: "per-ally",
    write: (s) => {
      const allies = s.countries || defaultAllies();
      table.replaceChildren(el("thead", {}, el("tr", {}, el("th", { text: "Ally" }), el("th", { text: "Min long" }),
        el("th", { text: "Min medium" }), el("th", { text: "Max" }), el("th", { text: "Core defence path (year: % GDP)" }))));
      const body = el("tbody");
      for (const iso3 of allies) {
        body.append(el("tr", { "data-ally": iso3 }, el("td", { text: `${allyName(iso3)} (${iso3})` }),
          cell(iso3, "target.minimum", "—", `${iso3}:long`), cell(iso3, "target.minimum", "—", `${iso3}:medium`),
          cell(iso3, "target.maximum", "—"), pathCell(iso3)));
      }
      table.append(body);
    },
  });
  return wrap;
}

// Procurement: the system bought per tier for every ally, then per ally and tier.
function procurementEditor() {
  const wrap = el("div", { class: "subfield", id: "procurement-editor" });
  const systems = (Editor.catalogue && Editor.catalogue.systems) || [];
  const grid = el("div", { class: "grid2" });
  const selects = {};
  for (const tier of TIERS) {
    const id = fieldId(`procurement.${tier}`);
    const select = el("select", { id, "data-path": `procurement.${tier}` });
    select.append(el("option", { value: "", text: "(default rule)" }));
    for (const sys of systems.filter((s) => s.tier === tier)) {
      select.append(el("option", { value: sys.system, text: `${sys.name}${sys.in_production ? "" : " (not in production)"}` }));
    }
    selects[tier] = select;
    select.addEventListener("change", () => {
      const map = { ...(state.scenario.procurement || {}) };
      if (select.value) map[tier] = { [select.value]: 1 };
      else delete map[tier];
      state.scenario.procurement = map;
      writeAll();
      emit();
    });
    grid.append(el("div", { class: "field" }, el("label", { for: id, text: tier }), select,
      el("div", { class: "field-error", "data-error-for": `procurement.${tier}` })));
  }
  const perAlly = mapField("procurement", { description: "iso3:tier → system (a share mix only in the JSON view)" }, {
    valueKind: "text",
    keyList: () => allyTierKeys().filter((k) => k.includes(":")),
    showValue: (v) => (v && typeof v === "object" ? Object.keys(v).join("+") : v),
    valueTo: (v) => ({ [v]: 1 }),
    store: (map) => {
      const tiers = Object.fromEntries(Object.entries(state.scenario.procurement || {}).filter(([k]) => !k.includes(":")));
      state.scenario.procurement = { ...tiers, ...map };
    },
  });
  // The per-ally rows show only the iso3:tier keys; the tier keys are the selects above.
  const generic = Editor.widgets.pop();
  Editor.widgets.push({
    path: "procurement",
    write: (s) => {
      const all = s.procurement || {};
      for (const tier of TIERS) {
        const entry = all[tier];
        selects[tier].value = entry && typeof entry === "object" ? Object.keys(entry)[0] || "" : entry || "";
      }
      const rest = Object.fromEntries(Object.entries(all).filter(([k]) => k.includes(":")));
      generic.write({ procurement: rest });
    },
  });
  perAlly.querySelector(".raid-head").textContent = "Per ally and tier (iso3:tier → system)";
  wrap.append(el("div", { class: "raid-head", text: "System bought for new fire units, per tier" }), grid, perAlly);
  return wrap;
}

// ---------------------------------------------------------------- build
function buildEditor(container, schema, catalogue, onChange) {
  Editor.schema = schema;
  Editor.catalogue = catalogue;
  Editor.onChange = onChange;
  Editor.widgets = [];
  container.replaceChildren();
  const props = schema.properties;
  const done = new Set();
  for (const [key, title, open] of SECTIONS) {
    const body = el("div", { class: "section-body" });
    if (key === "essentials") {
      for (const path of ["name", "base_year", "horizon_year", "seed"]) {
        body.append(genericField(path, props[path]));
        done.add(path);
      }
    } else if (key === "countries") {
      body.append(countryPicker(), perAllyTable());
      done.add("countries");
    } else if (key === "procurement") {
      body.append(procurementEditor());
      done.add("procurement");
    } else if (key === "milestones") {
      body.append(genericField("milestones", props.milestones));
      body.append(el("p", { class: "hint", text: "Years whose force is sited, covered and fought, e.g. 2025, 2028, 2032, 2035. Empty: the base year, two between and the horizon." }));
      done.add("milestones");
    } else if (props[key]) {
      const section = resolve(props[key]);
      if (section.properties) {
        const grid = el("div", { class: "grid2" });
        const wide = el("div");
        for (const [name, node] of Object.entries(section.properties)) {
          const field = genericField(`${key}.${name}`, node);
          if (!field) continue;
          (field.classList.contains("subfield") || field.querySelector("textarea") ? wide : grid).append(field);
        }
        body.append(grid, wide);
      } else {
        body.append(genericField(key, props[key]));
      }
      done.add(key);
    } else {
      continue;
    }
    container.append(el("details", { class: "section", "data-section": key, ...(open ? { open: "" } : {}) },
      el("summary", { text: title }), body));
  }
  // Sections the page does not know yet (added to the scenario later): generic.
  for (const [key, node] of Object.entries(props)) {
    if (done.has(key)) continue;
    const section = resolve(node);
    const body = el("div", { class: "section-body" });
    if (section.properties) {
      for (const [name, sub] of Object.entries(section.properties)) {
        const field = genericField(`${key}.${name}`, sub);
        if (field) body.append(field);
      }
    } else {
      body.append(genericField(key, node));
    }
    container.append(el("details", { class: "section", "data-section": key }, el("summary", { text: key }), body));
  }
}

function writeAll() {
  for (const widget of Editor.widgets) widget.write(state.scenario);
  if (Editor.badFields.size) {
    Editor.badFields.clear();
    refreshStart();
  }
}
