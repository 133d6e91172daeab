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
const fields = new WeakMap(); // box -> {control, sent, shown, options}

function make(root, data, send) {
  const label = document.createElement("label");
  label.className = "qimap-field-label";
  const control = document.createElement(data.kind === "select" ? "select" : "input");
  control.className = "qimap-field-control";
  const note = document.createElement("p");
  note.className = "qimap-field-note";
  const field = { control, label, note, sent: null, shown: null, options: "" };
  if (data.kind === "select") {
    // A choice made with the mouse, a touch or in the open list is sent at once. Arrow keys and
    // letters on the closed select change its value as they go: that value is sent with Enter
    // or on leaving the select, so a keyboard can pass states by without each one opening
    // (and taking focus to) its scorecards (WCAG 3.2.2, on input).
    let keyed = false;
    control.addEventListener("pointerdown", () => (keyed = false));
    control.addEventListener("keydown", (event) => {
      const opens = event.key === " " || event.key === "F4" || (event.altKey && event.key.startsWith("Arrow"));
      if (event.key === "Enter") send(field, control.value);
      else if (event.key !== "Tab") keyed = !opens;
    });
    control.addEventListener("change", () => {
      if (!keyed) send(field, control.value);
    });
    control.addEventListener("blur", () => send(field, control.value));
  } else {
    control.type = "search";
    control.autocomplete = "off";
    control.enterKeyHint = "search";
    control.addEventListener("keydown", (event) => {
      if (event.key === "Enter") send(field, control.value);
    });
    control.addEventListener("change", () => send(field, control.value)); // on leaving the box
    control.addEventListener("search", () => send(field, control.value)); // its clear button
  }
  root.replaceChildren(label, control, note);
  return field;
}

export default function field({ data, parentElement, setTriggerValue }) {
  const root = parentElement.querySelector(".qimap-field");
  if (!root || !data) return;
  const send = (state, value) => {
    if (value === state.sent) return;
    state.sent = value;
    setTriggerValue("change", value);
  };
  let state = fields.get(root);
  if (!state) {
    state = make(root, data, send);
    fields.set(root, state);
  }
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
    }
    control.value = value;
  } else {
    control.placeholder = String(data.placeholder ?? "");
    if (Number.isInteger(data.maxLength)) control.maxLength = data.maxLength;
    // The page's value replaces the box's text only when the page changed it (a link, a
    // reset): a rerun from elsewhere does not wipe what someone is typing.
    if (value !== state.shown) control.value = value;
  }
  state.shown = value;
  state.sent = value;
}
