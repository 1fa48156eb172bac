// Journal: the traced exchanges, filtered and paged; CSV and XLSX exports; whether the hash
// chain still holds.

import { ApiError, api, apiFile } from "./api.js";
import { download, field, formatDate, h, parseDay, say, table } from "./format.js";

/** The chain's status (GET /v1/journal/verify); asks again while a walk runs. */
async function chainStatus(box, page) {
  let v;
  try {
    v = await api("/v1/journal/verify");
  } catch (err) {
    box.className = "chain unknown";
    box.textContent =
      err instanceof ApiError && (err.status === 404 || err.status === 405)
        ? "Vérification de la chaîne indisponible sur ce démon (aiguillage journal verify la fait en ligne de commande)."
        : `Vérification de la chaîne impossible : ${err.message}`;
    return;
  }
  box.dataset.status = v.status;
  const when = v.checked_at ? `, vérifiée le ${formatDate(v.checked_at)}` : "";
  if (v.status === "ok") {
    box.className = "chain ok";
    box.textContent = `Chaîne d'intégrité intacte : ${v.rows_checked} lignes vérifiées${when}.`;
  } else if (v.status === "broken") {
    box.className = "chain broken";
    const where = v.first_bad_row ? ` à la ligne ${v.first_bad_row}` : "";
    box.textContent = `Chaîne d'intégrité rompue${where} : ${v.reason || "le journal a été modifié"}.`;
  } else if (v.status === "not_verified") {
    box.className = "chain unknown";
    box.textContent = `Chaîne non vérifiable ici : ${v.reason || "la clé des points de contrôle manque"}${when}.`;
  } else {
    box.className = "chain unknown";
    box.textContent = "Vérification de la chaîne en cours…";
  }
  if (v.running) {
    const r = v.running;
    box.textContent += ` Vérification en cours : ${r.rows_checked} / ${r.rows_total} lignes.`;
  }
  if (v.running || v.status === "unchecked") {
    page.chainTimer = setTimeout(() => chainStatus(box, page), 2000);
  }
}

export async function journalPage(page) {
  const event = h("input", { id: "j-event", name: "event", autocomplete: "off" });
  const patient = h("input", { id: "j-patient", name: "patient", autocomplete: "off" });
  const outcome = h("input", { id: "j-outcome", name: "outcome", autocomplete: "off" });
  const from = h("input", { id: "j-from", name: "from", autocomplete: "off", size: 10 });
  const to = h("input", { id: "j-to", name: "to", autocomplete: "off", size: 10 });
  const formError = h("p.error", { role: "alert" });
  const chain = h("p.chain", { role: "status" }, "Vérification de la chaîne…");
  const form = h(
    "form.filters",
    { "aria-label": "Filtrer le journal" },
    field("Événement", event, "un type ou un début : dmp, ins.search…"),
    field("Patient", patient, "INS ou partie du nom"),
    field("Résultat", outcome, "ok, une erreur…"),
    field("Du", from, "JJ/MM/AAAA"),
    field("Au", to, "JJ/MM/AAAA, inclus"),
    h("button", { type: "submit" }, "Filtrer"),
    formError,
  );
  const exports = h(
    "div.exports",
    {},
    h("button", { type: "button", onclick: () => exportAs("csv") }, "Exporter en CSV"),
    h("button", { type: "button", onclick: () => exportAs("xlsx") }, "Exporter en XLSX"),
  );
  const listBox = h("div.list");
  const pager = h("div.pager");
  page.body.replaceChildren(chain, form, exports, listBox, pager);
  let cursors = [null];

  function filters() {
    return {
      event: event.value.trim(),
      patient: patient.value.trim(),
      outcome: outcome.value.trim(),
      from: parseDay(from.value),
      to: parseDay(to.value, true),
    };
  }

  async function exportAs(format) {
    try {
      const file = await apiFile("/v1/journal/export", { query: { ...filters(), format } });
      download(file.blob, file.filename || `journal.${format}`);
      say(`Export ${format.toUpperCase()} téléchargé.`);
    } catch (err) {
      formError.textContent = err.message;
    }
  }

  async function load() {
    let answer;
    try {
      answer = await api("/v1/journal", { query: { ...filters(), cursor: cursors[cursors.length - 1], limit: 50 } });
    } catch (err) {
      formError.textContent = err.message;
      return;
    }
    formError.textContent = "";
    const rows = answer.rows.map((r) =>
      h(
        "tr",
        { "data-seq": r.seq, "data-event": r.event },
        h("td", {}, String(r.seq)),
        h("td.date", {}, formatDate(r.time)),
        h("td", {}, r.event),
        h("td", {}, r.outcome),
        h("td", {}, r.summary),
        h("td", {}, r.patient_name || r.patient_ins || "—"),
        h("td", {}, r.client || "—"),
      ),
    );
    listBox.replaceChildren(
      rows.length
        ? table("Journal, du plus récent au plus ancien", ["N°", "Date", "Événement", "Résultat", "Résumé", "Patient", "Application"], rows)
        : h("p", {}, "Aucune ligne ne correspond."),
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
  page.stop = () => clearTimeout(page.chainTimer);
  await Promise.all([load(), chainStatus(chain, page)]);
}
