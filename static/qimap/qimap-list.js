/*
 * qimap's case list: the JavaScript of a Streamlit component (st.components.v2, made by
 * qimap.ui.case_list). Streamlit calls the default export on every run that draws the list,
 * with `data`, one page of the visible cases as JSON (qimap.render.case_list.list_page):
 *
 *   cases   [{id, title, when, place, outcome, point, summary, source, details, help}]
 *   page, pages, first, last, total   which page this is, and which cases it holds
 *
 * One element instead of some 120 Streamlit elements: the page's first screen then needs no
 * button or number-input code from the server (docs/performance.md, issue 14). Everything is
 * set as text; a source is a link only when it is http(s). "Details" sends the trigger "open"
 * (the case's id), the pager the trigger "page" (a page number); qimap.ui.case_list checks both.
 */
const SOURCE_LABEL = "Read the source ↗";
const boxes = new WeakMap(); // box -> {list, pager, ..., focusFirst}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = String(text);
  return el;
}

function webLink(url) {
  if (typeof url !== "string") return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

function item(card, open) {
  const li = element("li", "qimap-case");
  li.append(element("h3", "qimap-case-title", card.title));
  const line = element("p", "qimap-case-line", `${card.when} · ${card.place} · `);
  line.append(element("strong", "", card.outcome), ".");
  if (card.point) line.append(" ", card.point);
  li.append(line, element("p", "qimap-case-summary", card.summary));
  const url = webLink(card.source);
  if (url) {
    const source = element("p", "qimap-case-source");
    const link = element("a", "", SOURCE_LABEL);
    link.href = url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    source.append(link);
    li.append(source);
  }
  const details = element("button", "qimap-button", card.details);
  details.type = "button";
  details.title = String(card.help);
  details.addEventListener("click", () => open(String(card.id)));
  li.append(details);
  return li;
}

function makePager(box, turn) {
  const nav = element("nav", "qimap-pager");
  nav.setAttribute("aria-label", "Pages of case studies");
  const previous = element("button", "qimap-button", "← Previous page");
  const next = element("button", "qimap-button", "Next page →");
  previous.type = next.type = "button";
  const label = element("label", "qimap-pager-jump", "Page ");
  const input = element("input");
  input.type = "number";
  input.min = "1";
  input.inputMode = "numeric";
  const of = element("span");
  label.append(input, of);
  const status = element("p", "qimap-pager-status");
  status.setAttribute("role", "status");
  nav.append(previous, label, next, status);
  previous.addEventListener("click", () => turn(box.page - 1));
  next.addEventListener("click", () => turn(box.page + 1));
  // A typed page is taken with Enter or on leaving the box, not on each arrow or spin step
  // (each turn moves focus to the new page's first story).
  const jump = () => {
    const wanted = Number.parseInt(input.value, 10);
    if (!Number.isInteger(wanted) || !turn(wanted)) input.value = String(box.page);
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") jump();
  });
  input.addEventListener("blur", jump);
  return { nav, previous, next, input, of, status };
}

export default function caseList({ data, parentElement, setTriggerValue }) {
  const root = parentElement.querySelector(".qimap-cases");
  if (!root) return;
  let box = boxes.get(root);
  if (!box) {
    box = { list: element("ol", "qimap-case-list"), page: 1, wanted: 0 };
    box.list.setAttribute("role", "list"); // kept a list without its bullets (VoiceOver)
    const turn = (page) => {
      const wanted = Math.min(Math.max(page, 1), box.pages);
      if (wanted === box.page) return false;
      box.wanted = wanted; // that page's first story gets focus when it arrives
      setTriggerValue("page", wanted);
      return true;
    };
    box.pager = makePager(box, turn);
    box.open = (id) => setTriggerValue("open", id);
    root.replaceChildren(box.list, box.pager.nav);
    boxes.set(root, box);
  }
  const cards = Array.isArray(data?.cases) ? data.cases : [];
  box.page = Number(data?.page) || 1;
  box.pages = Number(data?.pages) || 1;
  box.list.replaceChildren(...cards.map((card) => item(card, box.open)));
  const { nav, previous, next, input, of, status } = box.pager;
  nav.hidden = box.pages < 2;
  previous.disabled = box.page <= 1;
  next.disabled = box.page >= box.pages;
  input.max = String(box.pages);
  input.setAttribute("aria-label", `Page number, 1 to ${box.pages}`);
  input.value = String(box.page);
  of.textContent = ` of ${box.pages}`;
  status.textContent = ""; // said after a turn only, and never left stale
  if (box.wanted && box.wanted === box.page && cards.length) {
    box.wanted = 0;
    status.textContent = `Case studies ${data.first}–${data.last} of ${data.total}.`;
    const heading = box.list.querySelector("h3");
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: "start" });
  }
}
