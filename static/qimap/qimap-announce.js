/*
 * qimap's announcer: the JavaScript of a Streamlit component (st.components.v2, made by
 * qimap.ui.announce). Streamlit calls the default export on every run of the explorer, with
 * `data`, the latest announcement as JSON (qimap.ui.announce.request_data):
 *
 *   message  plain text for the live region (never parsed as markup)
 *   token    new for each request: a request is carried out once, however often it is drawn
 *   classes  the CSS classes of the target's copies, the shown one first; [] for no target
 *   focus    true: focus the target's first heading; false: only scroll it into view
 *
 * It waits for the script run to end and the target to be drawn, then moves focus and fills
 * the live region (#qimap-live, made once per page).
 */
const WAIT_MS = 8000; // a target not drawn by then is given up
let announced = ""; // the token of the request carried out last

function liveRegion() {
  let live = document.getElementById("qimap-live");
  if (!live) {
    live = document.createElement("div");
    live.id = "qimap-live";
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    live.setAttribute("aria-atomic", "true");
    live.style.cssText =
      "position:absolute;width:1px;height:1px;margin:-1px;padding:0;" +
      "overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0;";
    document.body.appendChild(live);
  }
  return live;
}

const visible = (el) => (el.checkVisibility ? el.checkVisibility() : el.offsetParent !== null);

function idle() {
  const app = document.querySelector('[data-testid="stApp"]');
  return !app || app.getAttribute("data-test-script-state") !== "running";
}

function inView(el) {
  const box = el.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight;
}

function target(classes) {
  for (const name of classes) {
    for (const el of document.getElementsByClassName(name)) if (visible(el)) return el;
  }
  return null;
}

export default function announce({ data }) {
  const live = liveRegion(); // exists before the first message, so it is heard
  const request = data || {};
  const classes = Array.isArray(request.classes) ? request.classes.map(String) : [];
  if (!request.token || announced === request.token) return;
  announced = request.token;
  const started = Date.now();
  const act = () => {
    const el = classes.length ? target(classes) : null;
    if ((!idle() || (classes.length && !el)) && Date.now() - started < WAIT_MS) {
      window.setTimeout(act, 100);
      return;
    }
    if (el && request.focus) {
      const heading = el.querySelector("h1, h2, h3") || el;
      if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
      heading.scrollIntoView({ block: "start" });
      // the map or an image above may still change height: look again once it has settled
      window.setTimeout(() => {
        if (!inView(heading)) heading.scrollIntoView({ block: "start" });
      }, 600);
    } else if (el && !inView(el)) {
      el.scrollIntoView({ block: "nearest" });
    }
    live.textContent = "";
    window.setTimeout(() => {
      live.textContent = String(request.message || "");
    }, 150);
  };
  act();
}
