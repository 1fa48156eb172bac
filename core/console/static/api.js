// Calls to the daemon's /v1 API with the admin token this tab holds (sessionStorage only: no
// cookie, so another site's page has nothing to ride on).

const KEY = "aiguillage.token";

export class ApiError extends Error {
  constructor(status, problem) {
    super(describeProblem(status, problem));
    this.status = status;
    this.problem = problem;
  }
}

export function describeProblem(status, problem) {
  if (!problem || typeof problem !== "object") {
    return `Le démon a répondu ${status} sans explication.`;
  }
  const parts = [problem.title || `Erreur ${status}`];
  if (problem.detail) parts.push(problem.detail);
  for (const e of problem.errors || []) parts.push(`${e.field} : ${e.message}`);
  return `Erreur ${status} — ${parts.join(" — ")}`;
}

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (value) => sessionStorage.setItem(KEY, value),
  clear: () => sessionStorage.removeItem(KEY),
};

function url(path, query) {
  const u = new URL(path, location.origin);
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== "") u.searchParams.set(k, v);
  }
  return u.pathname + u.search;
}

async function send(path, { method = "GET", body, query, auth = true, probe = false } = {}) {
  const headers = { Accept: "application/json" };
  const bearer = token.get();
  if (auth && bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(url(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
    });
  } catch (err) {
    throw new ApiError(0, { title: "Démon injoignable", detail: String(err.message || err) });
  }
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      problem = null;
    }
    // A refused token ends the session, unless the call was checking a token being typed in.
    if (response.status === 401 && auth && !probe) window.dispatchEvent(new CustomEvent("aiguillage:unauthorized"));
    throw new ApiError(response.status, problem);
  }
  return response;
}

export async function api(path, options) {
  const response = await send(path, options);
  return response.status === 204 ? null : response.json();
}

/** The bytes of a file answer and the name its Content-Disposition gives. */
export async function apiFile(path, options) {
  const response = await send(path, options);
  const disposition = response.headers.get("Content-Disposition") || "";
  const match = /filename="([^"]+)"/.exec(disposition);
  return { blob: await response.blob(), filename: match ? match[1] : null };
}

/** Follow /v1/events with fetch (EventSource cannot send a bearer token); reconnects with
 * Last-Event-ID. Returns a function that stops it. */
export function followEvents(onEvent, onState) {
  const controller = new AbortController();
  let lastId = null;
  let stopped = false;

  async function once() {
    const headers = { Authorization: `Bearer ${token.get()}`, Accept: "text/event-stream" };
    if (lastId) headers["Last-Event-ID"] = lastId;
    const response = await fetch("/v1/events", {
      headers,
      signal: controller.signal,
      credentials: "omit",
      cache: "no-store",
    });
    if (!response.ok) throw new Error(`flux refusé (${response.status})`);
    onState(true);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let data = "";
        for (const line of block.split("\n")) {
          if (line.startsWith("id: ")) lastId = line.slice(4);
          else if (line.startsWith("data: ")) data += line.slice(6);
        }
        if (data) {
          try {
            onEvent(JSON.parse(data));
          } catch {
            // a malformed event is skipped; the next one may be fine
          }
        }
      }
    }
  }

  (async () => {
    while (!stopped && token.get()) {
      try {
        await once();
      } catch {
        // reconnect below
      }
      onState(false);
      if (stopped) break;
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  })();
  return () => {
    stopped = true;
    controller.abort();
  };
}
