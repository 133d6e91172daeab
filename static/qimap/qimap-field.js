/*
 * qimap's form fields: the JavaScript of a Streamlit component (st.components.v2, made by
 * qimap.ui.fields). A native <select> (the state picker) or a native search box (find stories
 * near you), each with its label and a visible note. Streamlit calls the default export on
 * every run that draws the field, with `data` as JSON (qimap.ui.fields):
 *
 *   kind     "select" or "search"
 *   id       the control's id (its label's `for`), unique on the page
 *   label, note   the label and the words under the control (its description)
 *   value    the value the page holds
 *   options  [[value, label], ...] (select)
 *   placeholder, maxLength   (search)
 *
 * Native controls, not Streamlit's widgets: the page's first screen then needs none of their
 * script chunks from the server (docs/performance.md, issue 14), and a phone shows its own
 * picker. A choice, or a search sent with Enter (or by leaving the box), sets the trigger
 * "change" to the value; qimap.ui.fields checks it. Everything is set as text.
 */
const fields = new WeakMap(); // box -> {control, label, note, shown, options}

// A value is sent as the trigger "change" when the reader is still at the field (Enter, a
// click, a touch, the open list's choice) and as "leave" when it was taken because the reader
// left it (Tab, a click elsewhere): the page then moves nothing, focus least of all.
function send(field, value, trigger) {
  if (value === field.shown) return; // what the page shows already (or was just sent)
  field.shown = value;
  field.setTriggerValue(trigger, value);
}

function make(root, data) {
  const label = document.createElement("label");
  label.className = "qimap-field-label";
  const control = document.createElement(data.kind === "select" ? "select" : "input");
  control.className = "qimap-field-control";
  const note = document.createElement("p");
  note.className = "qimap-field-note";
  const field = { control, label, note, shown: null, options: "", setTriggerValue: null };
  const now = () => send(field, control.value, "change");
  const left = () => send(field, control.value, "leave");
  if (data.kind === "select") {
    // A choice made with the mouse, a touch or in the open list is sent at once. Arrow keys and
    // letters on the closed select change its value as they go: that value is sent with Enter
    // or on leaving the select, so a keyboard can pass states by without each one opening
    // (and taking focus to) its scorecards (WCAG 3.2.2, on input).
    let keyed = false;
    control.addEventListener("focus", () => (keyed = false));
    control.addEventListener("pointerdown", () => (keyed = false));
    control.addEventListener("keydown", (event) => {
      const opens =
        event.key === " " || event.key === "F4" || (event.altKey && event.key.startsWith("Arrow"));
      if (event.key === "Enter") {
        keyed = false;
        now();
      } else if (event.key !== "Tab") keyed = !opens;
    });
    control.addEventListener("change", () => {
      if (!keyed) now();
    });
    control.addEventListener("blur", left);
  } else {
    control.type = "search";
    control.autocomplete = "off";
    control.enterKeyHint = "search";
    control.addEventListener("keydown", (event) => {
      if (event.key === "Enter") now();
    });
    control.addEventListener("search", now); // Enter, or its clear button
    control.addEventListener("change", left); // text left in the box
  }
  root.replaceChildren(label, control, note);
  return field;
}

export default function field({ data, parentElement, setTriggerValue }) {
  const root = parentElement.querySelector(".qimap-field");
  if (!root || !data) return;
  let state = fields.get(root);
  if (!state) {
    state = make(root, data);
    fields.set(root, state);
  }
  state.setTriggerValue = setTriggerValue;
  const { control, label, note } = state;
  const id = String(data.id);
  control.id = id;
  label.htmlFor = id;
  label.textContent = String(data.label);
  note.id = `${id}-note`;
  note.textContent = data.note ? String(data.note) : "";
  note.hidden = !data.note;
  if (data.note) control.setAttribute("aria-describedby", note.id);
  else control.removeAttribute("aria-describedby");
  const value = String(data.value ?? "");
  if (data.kind === "select") {
    const options = JSON.stringify(data.options);
    if (options !== state.options) {
      state.options = options;
      control.replaceChildren(
        ...(Array.isArray(data.options) ? data.options : []).map(([optionValue, text]) => {
          const option = document.createElement("option");
          option.value = String(optionValue);
          option.textContent = String(text);
          return option;
        })
      );
      control.value = value;
    }
  } else {
    control.placeholder = String(data.placeholder ?? "");
    if (Number.isInteger(data.maxLength)) control.maxLength = data.maxLength;
  }
  // The page's value replaces the field's only when the page changed it (a link, a map click,
  // the other picker): a rerun from elsewhere, or the answer to what was just sent, leaves
  // what someone is typing or arrowing through alone.
  if (value !== state.shown) control.value = value;
  state.shown = value;
}
