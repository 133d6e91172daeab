/*
 * qimap's map in the page: the JavaScript of a Streamlit component (st.components.v2, made by
 * qimap.ui.map_component). Streamlit calls the default export on every run that draws the map,
 * with the same box each time and `data`, the JSON that qimap.map.mapview.map_data builds:
 *
 *   script   the map's scripts as one file (Leaflet, Supercluster, qimap-map.js)
 *   css      its style sheets
 *   prefetch the data files the map will fetch, asked for while the script loads
 *   states, styles, settings   the states' file, their fills and words, the map's settings
 *   options  Leaflet's options for a new map; tiles: the basemap's tiles, or null (none)
 *   cases    the cases' file and filter (or inline cases), the chosen state, the searched place
 *   view     {center, zoom} to move to, or null; applied when it differs from the last one
 *   height   the box's CSS height, or null when the page's CSS sets it
 *   pickable whether a click picks (the explorer) or does nothing (an upload's preview)
 *
 * The map is made once per box and kept across reruns: a rerun swaps only the cases (when they
 * changed) and moves the view (when asked). When anything else changed (a publish changed the
 * states' fills, a deploy the script), the map is made again. Nothing in `data` is ever run or
 * parsed as markup. A click on a state or a case comes back to Python as the trigger "pick".
 */
const scripts = new Map(); // url -> Promise, once per page
const maps = new Map(); // box -> {map, group, baseKey, casesKey, viewKey, data, report}
const BASE = ["script", "states", "styles", "settings", "options", "tiles"]; // a new map if changed

function loadScript(url) {
  if (!scripts.has(url)) {
    scripts.set(
      url,
      new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = url;
        script.onload = resolve;
        script.onerror = () => reject(new Error("could not load " + url));
        document.head.appendChild(script);
      })
    );
  }
  return scripts.get(url);
}

function linkOnce(rel, url, as) {
  for (const link of document.head.querySelectorAll("link[data-qimap]")) {
    if (link.getAttribute("href") === url && link.rel === rel) return;
  }
  const link = document.createElement("link");
  link.rel = rel;
  link.href = url;
  link.setAttribute("data-qimap", "");
  if (as) {
    link.as = as;
    link.crossOrigin = "anonymous"; // as fetch() asks for it, so the preloaded file is used
  }
  document.head.appendChild(link);
}

function showProblem(box, text) {
  const problem = document.createElement("p");
  problem.className = "qimap-problem";
  problem.setAttribute("role", "alert");
  problem.textContent = text;
  box.replaceChildren(problem);
}

// A box Streamlit has taken out of the page loses its map (its listeners go with it).
function forget(box) {
  const entry = maps.get(box);
  if (entry && entry.map) entry.map.remove();
  maps.delete(box);
}

function draw(box) {
  const entry = maps.get(box);
  if (!entry || !box.isConnected) return;
  for (const other of maps.keys()) if (!other.isConnected) forget(other);
  const data = entry.data;
  if (entry.data.script !== entry.loaded) return; // a newer script is still loading
  const qimap = window.qimap;
  const baseKey = JSON.stringify(BASE.map((key) => data[key]));
  if (entry.map && baseKey !== entry.baseKey) {
    entry.map.remove();
    box.replaceChildren();
    Object.assign(entry, { map: null, group: null, casesKey: null, viewKey: null });
  }
  entry.baseKey = baseKey;
  if (!entry.map) {
    entry.map = window.L.map(box, data.options);
    if (data.tiles) {
      window.L.tileLayer(data.tiles.url, {
        attribution: data.tiles.attribution,
        minZoom: data.options.minZoom,
        maxZoom: data.options.maxZoom,
      }).addTo(entry.map);
    }
    qimap.addStates(entry.map, data.states, data.styles, data.settings);
  }
  qimap.setReporter(entry.map, data.pickable ? entry.report : null);
  const casesKey = JSON.stringify(data.cases);
  if (casesKey !== entry.casesKey) {
    if (entry.group) entry.map.removeLayer(entry.group);
    entry.group = window.L.featureGroup().addTo(entry.map);
    qimap.showCases(entry.group, data.cases);
    entry.casesKey = casesKey;
  }
  const viewKey = JSON.stringify(data.view);
  if (data.view && viewKey !== entry.viewKey) {
    entry.map.setView(data.view.center, data.view.zoom);
  }
  entry.viewKey = viewKey;
}

export default function ({ parentElement, data, setTriggerValue }) {
  const box = parentElement.querySelector(".qimap-map");
  if (!box) return undefined;
  if (data.height) box.style.height = data.height;
  data.css.forEach((url) => linkOnce("stylesheet", url));
  data.prefetch.forEach((url) => linkOnce("preload", url, "fetch"));
  const entry = maps.get(box) || {};
  entry.data = data;
  entry.report = (pick) => setTriggerValue("pick", pick);
  maps.set(box, entry);
  const script = data.script;
  loadScript(script).then(
    () => {
      if (entry.data.script !== script) return; // a newer run asked for another script
      entry.loaded = script;
      draw(box);
    },
    () => showProblem(box, data.settings.words.script_failed)
  );
  // Streamlit calls this when the map leaves the page (another page, another layout); the same
  // box may be drawn again right away, so only a box that is gone loses its map.
  return () => {
    setTimeout(() => {
      if (!box.isConnected) forget(box);
    }, 0);
  };
}
