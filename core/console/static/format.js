// French labels and dates (JJ/MM/AAAA HH:MM, local time), and a small DOM builder.

const pad = (n) => String(n).padStart(2, "0");

export function formatDate(iso, withTime = true) {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const day = `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()}`;
  return withTime ? `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}` : day;
}

/** "JJ/MM/AAAA" typed by the admin → the ISO instant of that local midnight (``next``: the
 * midnight after, for an inclusive "au" bound); "" when empty; an Error when unreadable. */
export function parseDay(text, next = false) {
  const value = text.trim();
  if (!value) return "";
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  if (!m) throw new Error(`« ${value} » n'est pas une date JJ/MM/AAAA`);
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(year, month - 1, day);
  if (d.getFullYear() !== year || d.getMonth() !== month - 1 || d.getDate() !== day) {
    throw new Error(`« ${value} » n'est pas une date du calendrier`);
  }
  if (next) d.setDate(d.getDate() + 1);
  return d.toISOString();
}

export const STATES = {
  queued: "en attente",
  sending: "en cours d'envoi",
  sent: "envoyé",
  failed: "en échec",
  dead: "abandonné",
  cancelled: "annulé",
};

export const HEALTH = {
  up: "en service",
  degraded: "dégradé",
  down: "hors service",
  unknown: "pas encore vérifié",
};

export const BREAKER = {
  closed: "fermé : les envois partent",
  open: "ouvert : envois suspendus après des échecs",
  half_open: "semi-ouvert : un envoi d'essai décide",
};

export const OUTCOMES = {
  sent: "envoyé",
  already_present: "déjà reçu par le destinataire",
  transient_error: "erreur passagère",
  permanent_error: "erreur définitive",
  interrupted: "interrompu par l'arrêt du démon",
  queued: "remis en file",
  cancelled: "annulé",
};

export const ACTIONS = { attempt: "tentative", retry: "renvoi", cancel: "annulation" };

/** h("tag.class", {attr: value, onclick: fn}, child, …): an element; strings become text. */
export function h(spec, attrs, ...children) {
  const [tag, ...classes] = spec.split(".");
  const el = document.createElement(tag);
  if (classes.length) el.className = classes.join(" ");
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** A labelled form field; the label is tied to the control by id. */
export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const parts = [h("label", { for: id }, label), control];
  if (hint) {
    const hintId = `${id}-hint`;
    control.setAttribute("aria-describedby", hintId);
    parts.push(h("span.hint", { id: hintId }, hint));
  }
  return h("div.field", {}, parts);
}

export function table(caption, headers, rows) {
  return h(
    "table",
    {},
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, headers.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows),
  );
}

/** Save a Blob under ``filename`` (a download, no navigation). */
export function download(blob, filename) {
  const href = URL.createObjectURL(blob);
  const a = h("a", { href, download: filename, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 60000);
}

/** Tell the screen reader (and the status line) what just happened. */
export function say(text) {
  document.getElementById("status").textContent = text;
}
