// The console's shell: login (a pasted admin token, or the one-time code of
// `aiguillage console`), the page menu, live updates from /v1/events.

import { api, followEvents, token } from "./api.js";
import { h, field, formatDate, say } from "./format.js";
import { servicesPage } from "./services.js";
import { envoisPage } from "./envois.js";
import { journalPage } from "./journal.js";
import { inboxPage, directoryPage } from "./mssante.js";

const PAGES = {
  services: { title: "Services", render: servicesPage },
  envois: { title: "Envois", render: envoisPage },
  journal: { title: "Journal", render: journalPage },
  boite: { title: "Boîte MSSanté", render: inboxPage },
  annuaire: { title: "Annuaire", render: directoryPage },
};

const main = document.getElementById("main");
const nav = document.getElementById("nav");
const live = document.getElementById("live");
const logout = document.getElementById("logout");
let current = null; // {name, page}
let stopEvents = null;

function route() {
  const name = location.hash.replace(/^#\/?/, "");
  return PAGES[name] ? name : null;
}

async function show(name) {
  if (current && current.page.stop) current.page.stop();
  for (const a of nav.querySelectorAll("a")) {
    if (a.dataset.page === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  const { title, render } = PAGES[name];
  document.title = `${title} — Aiguillage`;
  const heading = h("h2", { tabindex: "-1" }, title);
  const body = h("div.page", { "data-page": name });
  main.replaceChildren(heading, body);
  heading.focus();
  const page = { body, stop: null, onEvent: null };
  current = { name, page };
  try {
    await render(page);
  } catch (err) {
    body.replaceChildren(h("p.error", { role: "alert" }, err.message));
  }
}

function loggedIn() {
  nav.hidden = false;
  logout.hidden = false;
  if (stopEvents) stopEvents();
  stopEvents = followEvents(
    (event) => {
      if (current && current.page.onEvent) current.page.onEvent(event);
    },
    (connected) => {
      live.textContent = connected ? "Mises à jour en direct : connecté" : "Mises à jour en direct : reconnexion…";
      live.dataset.connected = connected ? "yes" : "no";
    },
  );
  if (!route()) location.hash = "#/services";
  else show(route());
}

function loginForm(message) {
  nav.hidden = true;
  logout.hidden = true;
  live.textContent = "";
  if (stopEvents) stopEvents();
  stopEvents = null;
  const input = h("input", {
    id: "token",
    type: "password",
    autocomplete: "off",
    spellcheck: "false",
    required: true,
  });
  const error = h("p.error", { role: "alert", id: "login-error" }, message || "");
  const form = h(
    "form",
    { "aria-labelledby": "login-title" },
    field(
      "Jeton d'administration",
      input,
      "Un jeton d'une application de portée « admin » (aiguillage apps add NOM --scope admin), " +
        "ou lancez « aiguillage console » pour une adresse de connexion à usage unique.",
    ),
    h("button", { type: "submit" }, "Se connecter"),
    error,
  );
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const value = input.value.trim();
    token.set(value);
    try {
      await api("/v1/plugins", { probe: true });
    } catch (err) {
      token.clear();
      error.textContent = `Connexion refusée. ${err.message}`;
      input.focus();
      return;
    }
    input.value = "";
    loggedIn();
  });
  const heading = h("h2", { id: "login-title", tabindex: "-1" }, "Connexion");
  main.replaceChildren(heading, form);
  document.title = "Connexion — Aiguillage";
  (message ? input : heading).focus();
}

async function loginWithCode(code) {
  // Out of the address bar and the history before anything else: the code serves once.
  history.replaceState(null, "", location.pathname);
  try {
    const session = await api("/v1/console/login", { method: "POST", body: { code }, auth: false });
    token.set(session.token);
    say(`Connecté (application ${session.app}, valable jusqu'au ${formatDate(session.expires_at)}).`);
    loggedIn();
  } catch (err) {
    loginForm(`Le code de connexion n'a pas été accepté. ${err.message}`);
  }
}

logout.addEventListener("click", async () => {
  logout.disabled = true;
  if (stopEvents) stopEvents();
  stopEvents = null;
  // A console session's app is revoked, so the token is worth nothing once the tab forgets
  // it; a token pasted by hand belongs to an app made with `apps add`, which stays.
  let message = "Vous êtes déconnecté : la session de la console est révoquée.";
  try {
    await api("/v1/console/logout", { method: "POST", probe: true });
  } catch (err) {
    if (err.status === 409) {
      message =
        "Vous êtes déconnecté de cette page. Le jeton saisi reste valable " +
        "(« aiguillage apps revoke » y met fin).";
    } else if (err.status !== 401) {
      message = `Vous êtes déconnecté de cette page, mais la session n'a pas pu être révoquée. ${err.message}`;
    }
  } finally {
    token.clear();
    logout.disabled = false;
  }
  loginForm(message);
});
window.addEventListener("hashchange", () => {
  const name = route();
  if (name && token.get()) show(name);
});
window.addEventListener("aiguillage:unauthorized", () => {
  token.clear();
  loginForm("Le jeton n'est plus accepté (révoqué, ou session expirée) : reconnectez-vous.");
});

const code = /^#code=([A-Za-z0-9_-]+)$/.exec(location.hash);
if (code) loginWithCode(code[1]);
else if (token.get()) loggedIn();
else loginForm();
