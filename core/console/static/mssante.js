// Boîte MSSanté (received mail: unread in bold, critical results highlighted) and Annuaire (the
// MSSanté directory search), through the MSSanté plugin's own operations.

import { ApiError, api } from "./api.js";
import { field, formatDate, h, say, table } from "./format.js";

function unavailable(err) {
  if (err instanceof ApiError && err.problem && /plugin-disabled$/.test(err.problem.type || "")) {
    return "Le service MSSanté est désactivé : activez-le sur la page Services.";
  }
  return err.message;
}

function patientText(patient) {
  if (!patient || !patient.traits) return "—";
  const t = patient.traits;
  const names = [t.birth_name, (t.first_names || []).join(" ")].filter(Boolean).join(" ");
  const ins = patient.ins ? ` (INS ${patient.ins.matricule})` : "";
  return `${names}${ins}`;
}

export async function inboxPage(page) {
  const unread = h("input", { type: "checkbox", id: "m-unread" });
  const critical = h("input", { type: "checkbox", id: "m-critical" });
  const form = h(
    "form.filters",
    { "aria-label": "Filtrer la boîte" },
    h("div.check", {}, unread, h("label", { for: "m-unread" }, "Non lus seulement")),
    h("div.check", {}, critical, h("label", { for: "m-critical" }, "Résultats critiques seulement")),
    h("button", { type: "submit" }, "Filtrer"),
  );
  const listBox = h("div.list");
  const pager = h("div.pager");
  page.body.replaceChildren(form, listBox, pager);
  let cursors = [null];

  async function markRead(id) {
    try {
      await api(`/v1/mssante/inbox/${id}/read`, { method: "POST" });
      say(`Message n° ${id} marqué comme lu.`);
      await load();
    } catch (err) {
      say(unavailable(err));
    }
  }

  async function load() {
    let answer;
    try {
      answer = await api("/v1/mssante/inbox", {
        query: {
          unread: unread.checked ? "true" : "",
          critical: critical.checked ? "true" : "",
          cursor: cursors[cursors.length - 1],
          limit: 50,
        },
      });
    } catch (err) {
      listBox.replaceChildren(h("p.error", { role: "alert" }, unavailable(err)));
      pager.replaceChildren();
      return;
    }
    const rows = answer.items.map((m) => {
      const flags = [];
      if (m.unread) flags.push(h("span.badge", {}, "non lu"));
      if (m.critical) flags.push(h("span.badge.critical", {}, "résultat critique"));
      else if (m.abnormal) flags.push(h("span.badge.abnormal", {}, "résultat anormal"));
      if (m.package_error) flags.push(h("span.badge", {}, `pièce illisible : ${m.package_error}`));
      return h(
        "tr",
        { "data-id": m.id, class: [m.unread ? "unread" : "", m.critical ? "critical" : ""].join(" ").trim() || null },
        h("td.date", {}, formatDate(m.received_at)),
        h("td", {}, m.from || "—"),
        h("td", {}, m.subject || "(sans objet)"),
        h("td", {}, patientText(m.patient)),
        h("td", {}, flags),
        h("td", {}, m.unread ? h("button", { type: "button", onclick: () => markRead(m.id) }, `Marquer le n° ${m.id} comme lu`) : ""),
      );
    });
    listBox.replaceChildren(
      rows.length
        ? table("Messages reçus, du plus récent au plus ancien", ["Reçu le", "De", "Objet", "Patient", "Signalements", ""], rows)
        : h("p", {}, "Aucun message."),
    );
    pager.replaceChildren(
      cursors.length > 1 ? h("button", { type: "button", onclick: () => { cursors.pop(); load(); } }, "Page précédente") : "",
      answer.next_cursor ? h("button", { type: "button", onclick: () => { cursors.push(answer.next_cursor); load(); } }, "Page suivante") : "",
    );
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    cursors = [null];
    load();
  });
  await load();
  page.onEvent = (event) => {
    if (event.type === "mssante.message") load();
  };
}

export async function directoryPage(page) {
  const q = h("input", { id: "d-q", name: "q", type: "search", autocomplete: "off" });
  const postcode = h("input", { id: "d-postcode", name: "postcode", inputmode: "numeric", autocomplete: "off" });
  const rpps = h("input", { id: "d-rpps", name: "rpps", inputmode: "numeric", autocomplete: "off" });
  const result = h("div.list", { "aria-live": "polite" });
  const form = h(
    "form.filters",
    { role: "search", "aria-label": "Rechercher dans l'annuaire MSSanté" },
    field("Nom, ville ou profession", q, "le début de chaque mot suffit"),
    field("Code postal", postcode),
    field("RPPS", rpps),
    h("button", { type: "submit" }, "Rechercher"),
  );
  page.body.replaceChildren(form, result);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    let answer;
    try {
      answer = await api("/v1/mssante/directory", {
        query: { q: q.value.trim(), postcode: postcode.value.trim(), rpps: rpps.value.trim(), limit: 50 },
      });
    } catch (err) {
      result.replaceChildren(h("p.error", { role: "alert" }, unavailable(err)));
      return;
    }
    const rows = answer.items.map((m) =>
      h(
        "tr",
        {},
        h("td", {}, [(m.names || {}).civility, (m.names || {}).family, (m.names || {}).given].filter(Boolean).join(" ") || "—"),
        h("td", {}, m.profession ? m.profession.label : "—"),
        h("td", {}, m.specialty ? m.specialty.label : "—"),
        h("td", {}, m.structure ? m.structure.name : "—"),
        h("td", {}, [m.postcode, m.city].filter(Boolean).join(" ") || "—"),
        h("td", {}, h("code", {}, m.address)),
      ),
    );
    result.replaceChildren(
      rows.length
        ? table(`${answer.count} résultat${answer.count > 1 ? "s" : ""}`, ["Nom", "Profession", "Spécialité", "Structure", "Ville", "Adresse MSSanté"], rows)
        : h("p", {}, "Aucune boîte ne correspond."),
    );
    say(`${answer.count} résultat(s) dans l'annuaire.`);
  });
}
