// Services: each plugin, whether it is on, where it points, its health, its circuit breaker,
// its certificate, its last success and failure, and the switch that turns it on or off.

import { api } from "./api.js";
import { BREAKER, HEALTH, formatDate, h, say } from "./format.js";

function certificateText(plugin) {
  const cert = plugin.certificate;
  if (cert && cert.not_after) {
    const left = cert.days_left;
    const when = `expire le ${formatDate(cert.not_after, false)}`;
    if (left === undefined || left === null) return when;
    return left < 0 ? `${when} (expiré)` : `${when} (dans ${left} jour${left > 1 ? "s" : ""})`;
  }
  const extra = (plugin.health && plugin.health.extra) || {};
  const days = Object.entries(extra).filter(([k]) => k.endsWith("_days_left"));
  if (days.length) {
    const left = Math.min(...days.map(([, v]) => v));
    return `expire dans ${left} jour${left > 1 ? "s" : ""}`;
  }
  return "aucun certificat suivi";
}

function lastText(entry) {
  if (!entry) return "—";
  return `${formatDate(entry.time)} — ${entry.summary || entry.event}`;
}

function breakerOf(plugin, health) {
  let breaker = plugin.breaker;
  if (breaker === undefined && health && health.outbox && health.outbox[plugin.name]) {
    breaker = health.outbox[plugin.name].breaker;
  }
  if (!breaker) return "sans envois différés";
  const state = typeof breaker === "string" ? breaker : breaker.state;
  const failures = typeof breaker === "object" && breaker.consecutive_failures;
  return BREAKER[state] ? `${BREAKER[state]}${failures ? ` (${failures} échecs de suite)` : ""}` : state;
}

function card(plugin, health, refresh) {
  const name = plugin.name;
  const healthState = plugin.enabled ? (plugin.health ? plugin.health.status : "unknown") : null;
  const error = h("p.error", { role: "alert" });
  const toggle = h("input", {
    type: "checkbox",
    role: "switch",
    id: `toggle-${name}`,
    checked: plugin.enabled,
  });
  toggle.addEventListener("change", async () => {
    const wanted = toggle.checked;
    toggle.disabled = true;
    error.textContent = "";
    say(`${wanted ? "Activation" : "Désactivation"} de ${name}…`);
    try {
      await api(`/v1/plugins/${encodeURIComponent(name)}`, { method: "PUT", body: { enabled: wanted } });
      say(`${name} est ${wanted ? "activé" : "désactivé"}.`);
      await refresh(toggle.id); // the new card's switch takes the focus back
    } catch (err) {
      toggle.checked = !wanted;
      toggle.disabled = false;
      toggle.focus();
      error.textContent = `${name} n'a pas pu être ${wanted ? "activé" : "désactivé"}. ${err.message}`;
      say(error.textContent);
    }
  });
  const rows = [
    ["État", plugin.enabled ? "activé" : "désactivé"],
    ["Point d'accès", plugin.endpoint === "simulator" ? `simulateur${plugin.endpoint_url ? ` (${plugin.endpoint_url})` : ""}` : plugin.endpoint_url || plugin.endpoint],
    [
      "Santé",
      healthState
        ? [
            h("span", { class: `health ${healthState}` }, HEALTH[healthState] || healthState),
            plugin.health && plugin.health.detail ? ` — ${plugin.health.detail}` : "",
          ]
        : "—",
    ],
    ["Vérifiée le", plugin.health ? formatDate(plugin.health.checked_at) : "—"],
    ["Circuit", breakerOf(plugin, health)],
    ["Certificat", certificateText(plugin)],
    ["Dernier succès", lastText(plugin.last_success)],
    ["Dernier échec", lastText(plugin.last_failure)],
  ];
  return h(
    "section.card",
    { "data-plugin": name, "aria-labelledby": `title-${name}`, class: `card ${plugin.enabled ? "on" : "off"}` },
    h("h3", { id: `title-${name}` }, h("span.name", {}, name), " ", h("span.title", {}, plugin.title)),
    h("dl", {}, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
    h("div.switch", {}, toggle, h("label", { for: toggle.id }, `Service ${name} activé`)),
    error,
  );
}

export async function servicesPage(page) {
  const list = h("div.cards");
  page.body.replaceChildren(
    h("p.lead", {}, "Chaque service national : s'il fonctionne, où il se connecte, et l'interrupteur qui l'active ou le désactive sans redémarrer le démon."),
    list,
  );
  async function refresh(focusId) {
    const [plugins, health] = await Promise.all([api("/v1/plugins"), api("/v1/health")]);
    const focused = focusId || (list.contains(document.activeElement) ? document.activeElement.id : null);
    list.replaceChildren(...plugins.plugins.map((p) => card(p, health, refresh)));
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
    page.body.dataset.loaded = String(plugins.plugins.length);
  }
  await refresh();
  let pending = null;
  page.onEvent = (event) => {
    if (!event.type.startsWith("plugin.") && !event.type.startsWith("outbox.")) return;
    clearTimeout(pending);
    pending = setTimeout(() => refresh().catch(() => {}), 300);
  };
  page.stop = () => clearTimeout(pending);
}
