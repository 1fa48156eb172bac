// Envois: the outbox, filtered and paged; an item's detail with its attempts and the reason
// for its state; resend, cancel, and the document as it was sent.

import { api, apiFile } from "./api.js";
import { ACTIONS, OUTCOMES, STATES, download, field, formatDate, h, parseDay, say, table } from "./format.js";

/** The PDF a CDA carries (a level 1 CDA: nonXMLBody/text, base64), or null. */
export async function pdfInCda(blob) {
  const xml = new DOMParser().parseFromString(await blob.text(), "application/xml");
  if (xml.getElementsByTagName("parsererror").length) return null;
  for (const text of xml.getElementsByTagNameNS("urn:hl7-org:v3", "text")) {
    if (text.getAttribute("mediaType") === "application/pdf" && text.getAttribute("representation") === "B64") {
      const bytes = Uint8Array.from(atob(text.textContent.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
      return new Blob([bytes], { type: "application/pdf" });
    }
  }
  return null;
}

function open(blob, filename) {
  const href = URL.createObjectURL(blob);
  const opened = window.open(href, "_blank");
  if (!opened) download(blob, filename);
  setTimeout(() => URL.revokeObjectURL(href), 120000);
}

function errorText(error) {
  if (!error) return "—";
  return `${error.code} : ${error.message}${error.transient ? " (erreur passagère)" : " (erreur définitive)"}`;
}

export async function envoisPage(page) {
  const plugins = (await api("/v1/plugins")).plugins;
  const state = h("select", { id: "f-state", name: "state" }, h("option", { value: "" }, "tous"), Object.entries(STATES).map(([v, l]) => h("option", { value: v }, l)));
  const plugin = h("select", { id: "f-plugin", name: "plugin" }, h("option", { value: "" }, "tous"), plugins.map((p) => h("option", { value: p.name }, p.name)));
  const patient = h("input", { id: "f-patient", name: "patient", inputmode: "numeric", autocomplete: "off" });
  const from = h("input", { id: "f-from", name: "from", autocomplete: "off", size: 10 });
  const to = h("input", { id: "f-to", name: "to", autocomplete: "off", size: 10 });
  const formError = h("p.error", { role: "alert" });
  const form = h(
    "form.filters",
    { "aria-label": "Filtrer les envois" },
    field("État", state),
    field("Service", plugin),
    field("Patient (INS)", patient),
    field("Du", from, "JJ/MM/AAAA"),
    field("Au", to, "JJ/MM/AAAA, inclus"),
    h("button", { type: "submit" }, "Filtrer"),
    formError,
  );
  const listBox = h("div.list");
  const pager = h("div.pager");
  const detail = h("section.detail", { "aria-live": "polite", "aria-label": "Détail de l'envoi" });
  page.body.replaceChildren(form, listBox, pager, detail);

  let cursors = [null]; // the cursor of each page shown, for "page précédente"
  let openId = null;

  function query() {
    return {
      state: state.value,
      plugin: plugin.value,
      patient: patient.value.trim(),
      from: parseDay(from.value),
      to: parseDay(to.value, true),
      limit: 25,
    };
  }

  async function load() {
    let q;
    try {
      q = query();
    } catch (err) {
      formError.textContent = err.message;
      return;
    }
    formError.textContent = "";
    const cursor = cursors[cursors.length - 1];
    let answer;
    try {
      answer = await api("/v1/outbox", { query: { ...q, cursor } });
    } catch (err) {
      formError.textContent = err.message;
      return;
    }
    const rows = answer.items.map((item) =>
      h(
        "tr",
        { "data-id": item.id, "data-state": item.state, class: item.state },
        h("td", {}, String(item.id)),
        h("td.date", {}, formatDate(item.created_at)),
        h("td", {}, item.plugin),
        h("td", {}, item.kind),
        h("td", {}, item.patient || "—"),
        h("td", {}, h("span", { class: `state ${item.state}` }, STATES[item.state] || item.state)),
        h("td", {}, String(item.attempts)),
        h("td", {}, errorText(item.last_error)),
        h("td", {}, h("button", { type: "button", onclick: () => showDetail(item.id, true) }, `Détail n° ${item.id}`)),
      ),
    );
    listBox.replaceChildren(
      rows.length
        ? table("Envois, du plus récent au plus ancien", ["N°", "Créé le", "Service", "Type", "Patient", "État", "Tentatives", "Dernière erreur", ""], rows)
        : h("p", {}, "Aucun envoi ne correspond."),
    );
    pager.replaceChildren(
      cursors.length > 1 ? h("button", { type: "button", onclick: () => { cursors.pop(); load(); } }, "Page précédente") : "",
      answer.next_cursor ? h("button", { type: "button", onclick: () => { cursors.push(answer.next_cursor); load(); } }, "Page suivante") : "",
    );
  }

  async function act(id, method, path, done) {
    try {
      await api(path, { method });
      say(done);
    } catch (err) {
      say(err.message);
      detail.querySelector(".actions-error").textContent = err.message;
      return;
    }
    await Promise.all([load(), showDetail(id, false)]);
  }

  async function showDetail(id, focus) {
    openId = id;
    let item;
    try {
      item = await api(`/v1/outbox/${id}`);
    } catch (err) {
      detail.replaceChildren(h("p.error", { role: "alert" }, err.message));
      return;
    }
    const actions = [];
    if (item.state === "failed" || item.state === "dead") {
      actions.push(h("button", { type: "button", onclick: () => act(id, "POST", `/v1/outbox/${id}/retry`, `Envoi n° ${id} remis en file.`) }, "Renvoyer"));
    }
    if (item.state === "queued" || item.state === "failed") {
      const cancel = h("button.danger", { type: "button" }, "Annuler l'envoi");
      cancel.addEventListener("click", () => {
        if (cancel.dataset.confirm) return act(id, "DELETE", `/v1/outbox/${id}`, `Envoi n° ${id} annulé.`);
        cancel.dataset.confirm = "1";
        cancel.textContent = "Confirmer l'annulation";
      });
      actions.push(cancel);
    }
    const attachments = item.attachments.map((a) => {
      const name = a.filename || `piece-${a.n}`;
      const buttons = [
        h("button", {
          type: "button",
          onclick: async () => {
            try {
              const file = await apiFile(a.url);
              open(file.blob, file.filename || name);
            } catch (err) {
              say(err.message);
            }
          },
        }, `Ouvrir ${name}`),
      ];
      if (a.content_type === "text/xml" || a.content_type === "application/xml") {
        buttons.push(h("button", {
          type: "button",
          onclick: async () => {
            try {
              const pdf = await pdfInCda((await apiFile(a.url)).blob);
              if (pdf) open(pdf, name.replace(/\.xml$/, ".pdf"));
              else say("Ce document CDA ne contient pas de PDF.");
            } catch (err) {
              say(err.message);
            }
          },
        }, "Ouvrir le PDF"));
      }
      return h("li", {}, `${name} (${a.content_type}, ${a.size} octets) `, buttons);
    });
    const history = item.history.map((e) =>
      h(
        "tr",
        {},
        h("td", {}, ACTIONS[e.action] || e.action),
        h("td.date", {}, formatDate(e.at)),
        h("td", {}, e.duration_ms === null ? "—" : `${Math.round(e.duration_ms)} ms`),
        h("td", {}, OUTCOMES[e.outcome] || e.outcome),
        h("td", {}, errorText(e.error)),
        h("td", {}, e.actor || "—"),
      ),
    );
    const heading = h("h3", { tabindex: "-1" }, `Envoi n° ${item.id}`);
    detail.replaceChildren(
      heading,
      h("dl", {},
        h("dt", {}, "État"), h("dd", { class: "state-value" }, STATES[item.state] || item.state),
        h("dt", {}, "Raison"), h("dd", { class: "why" }, item.why),
        h("dt", {}, "Service"), h("dd", {}, `${item.plugin} (${item.kind})`),
        h("dt", {}, "Patient"), h("dd", {}, item.patient || "—"),
        h("dt", {}, "Créé le"), h("dd", {}, formatDate(item.created_at)),
        h("dt", {}, "Envoyé le"), h("dd", {}, formatDate(item.sent_at)),
        h("dt", {}, "Dernière erreur"), h("dd", {}, errorText(item.last_error)),
      ),
      h("div.actions", {}, actions),
      h("p.error.actions-error", { role: "alert" }),
      history.length ? table("Historique : tentatives, renvois, annulations", ["Action", "Début", "Durée", "Résultat", "Erreur", "Par"], history) : h("p", {}, "Aucune tentative pour l'instant."),
      h("h4", {}, "Documents envoyés"),
      item.payload_purged ? h("p", {}, "Purgés après la durée de conservation.") : h("ul.attachments", {}, attachments),
    );
    if (focus) heading.focus();
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    cursors = [null];
    load();
  });
  await load();
  let pending = null;
  page.onEvent = (event) => {
    if (event.type !== "outbox.item") return;
    clearTimeout(pending);
    pending = setTimeout(() => {
      load();
      if (openId === event.id) showDetail(openId, false);
    }, 200);
  };
  page.stop = () => clearTimeout(pending);
}
