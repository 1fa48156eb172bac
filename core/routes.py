"""The core's own operations: health, plugins (listed, switched on or off), the OpenAPI document
and the event stream."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from aiguillage import __version__
from aiguillage import outbox as ob
from aiguillage.appkeys import (
    CLIENTS,
    DELIVERIES,
    EVENTS,
    HEALTH,
    JOURNAL,
    OPENAPI,
    OUTBOX,
    PLUGINS,
    SETTINGS,
    STARTED_AT,
)
from aiguillage.certificates import CertificateError, read_certificate
from aiguillage.clients import ADMIN_SCOPE
from aiguillage.events import Event
from aiguillage.hookspecs import CONTRACT_VERSION, Call, Operation, Param, PluginConfig, hookimpl
from aiguillage.journal_api import JOURNAL_SCOPE
from aiguillage.openapi import with_origin
from aiguillage.outbox_api import DELIVERY_ERROR_SCHEMA, OUTBOX_STATE_SCHEMA
from aiguillage.outcomes import OUTCOMES
from aiguillage.plugin_runtime import RUNTIME
from aiguillage.problems import FieldError, Problem
from aiguillage.times import iso

HEARTBEAT_SECONDS = 15.0
#: How often a quiet event stream checks that its app was not revoked (``apps revoke`` runs in
#: another process, so nothing tells the daemon); every event is checked too.
REVOCATION_CHECK_SECONDS = 2.0

_HEALTH_STATUS = ["up", "down", "degraded"]
_HEALTH_STATUS_SCHEMA: dict[str, Any] = {
    "title": "HealthState",
    "type": "string",
    "enum": _HEALTH_STATUS,
    "description": "a plugin's health: `up`, `down` or `degraded`",
}

PLUGIN_HEALTH_SCHEMA: dict[str, Any] = {
    "title": "PluginHealth",
    "type": "object",
    "description": "A plugin's last health check.",
    "required": ["status", "detail"],
    "properties": {
        "status": {
            "type": "string",
            "enum": [*_HEALTH_STATUS, "unknown"],
            "description": "`up`; `degraded` (works, but something needs attention soon: a "
            "certificate about to expire…); `down`; `unknown` before the first check",
        },
        "detail": {"type": "string", "description": "what the check found, in words"},
        "latency_ms": {
            "type": ["number", "null"],
            "minimum": 0,
            "description": "how long reaching the service took, when the check measured it",
        },
        "checked_at": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": "when the check ran",
        },
        "extra": {
            "type": "object",
            "additionalProperties": True,
            "description": "the plugin's own findings, e.g. `<certificate key>_days_left`",
        },
    },
}

_BREAKER_SCHEMA: dict[str, Any] = {
    "title": "CircuitBreaker",
    "type": "object",
    "description": "Whether a plugin's deliveries are paused after consecutive transient failures.",
    "required": ["state", "consecutive_failures", "opened_at"],
    "properties": {
        "state": {
            "type": "string",
            "enum": ["closed", "open", "half_open"],
            "description": "`closed`: deliveries run; `open`: paused; `half_open`: a probe "
            "delivery decides",
        },
        "consecutive_failures": {
            "type": "integer",
            "minimum": 0,
            "description": "transient failures in a row",
        },
        "opened_at": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": "when it last opened; `null` if it never did",
        },
    },
}

_CERTIFICATE_SCHEMA: dict[str, Any] = {
    "title": "CertificateExpiry",
    "type": "object",
    "description": "The plugin's certificate that expires first.",
    "required": ["subject", "not_after", "days_left"],
    "properties": {
        "subject": {"type": "string", "description": "whose it is (RFC 4514 distinguished name)"},
        "not_after": {
            "type": "string",
            "format": "date-time",
            "description": "when it stops being valid",
        },
        "days_left": {
            "type": "integer",
            "description": "whole days until then; negative once it has expired",
        },
    },
}

_OUTCOME_SCHEMA: dict[str, Any] = {
    "title": "PluginOutcome",
    "type": "object",
    "description": "One exchange of the plugin with its service, as the journal holds it.",
    "required": ["time", "event", "outcome", "summary"],
    "properties": {
        "time": {"type": "string", "format": "date-time", "description": "when it ended"},
        "event": {"type": "string", "description": "the journal event, e.g. `ins.search`"},
        "outcome": {
            "type": "string",
            "description": "the journal outcome: `ok`, a service's code or an error code",
        },
        "summary": {
            "type": ["string", "null"],
            "description": "what happened, in words, as the journal says it (it may name a "
            "patient): `null` for an app without the `journal` scope",
        },
    },
}

_OUTBOX_COUNTS_SCHEMA: dict[str, Any] = {
    "title": "OutboxCounts",
    "type": "object",
    "description": "How many items are in each outbox state; a state none is in is left out.",
    "additionalProperties": False,
    "properties": {
        state: {"type": "integer", "minimum": 1, "description": f"items `{state}`"}
        for state in ob.STATES
    },
}

HEALTH_SCHEMA: dict[str, Any] = {
    "title": "Health",
    "type": "object",
    "description": "The daemon and each enabled plugin's health.",
    "required": ["status", "version", "contract", "uptime_s", "plugins", "outbox"],
    "properties": {
        "status": {
            "type": "string",
            "enum": ["ok", "degraded"],
            "description": "`ok` when every enabled plugin is up",
        },
        "version": {"type": "string", "description": "the daemon's version"},
        "contract": {"type": "string", "description": "the plugin contract version"},
        "uptime_s": {
            "type": "number",
            "minimum": 0,
            "description": "seconds since the daemon started (a duration, not a time)",
        },
        "plugins": {
            "type": "object",
            "additionalProperties": PLUGIN_HEALTH_SCHEMA,
            "description": "each enabled plugin's health, by name",
        },
        "outbox": {
            "type": "object",
            "description": "by plugin that delivers sends: its circuit breaker and its items by "
            "state",
            "additionalProperties": {
                "title": "OutboxHealth",
                "type": "object",
                "description": "A plugin's deliveries.",
                "required": ["breaker", "items"],
                "properties": {
                    "breaker": _BREAKER_SCHEMA,
                    "items": _OUTBOX_COUNTS_SCHEMA,
                },
            },
        },
    },
}

PLUGIN_STATUS_SCHEMA: dict[str, Any] = {
    "title": "PluginStatus",
    "type": "object",
    "description": "An installed plugin.",
    "required": [
        "name",
        "version",
        "title",
        "enabled",
        "endpoint",
        "endpoint_url",
        "api_prefixes",
        "health",
        "certificate",
        "last_success",
        "last_failure",
        "breaker",
    ],
    "properties": {
        "name": {"type": "string", "description": "its name: its config table and scope"},
        "version": {"type": "string", "description": "its version"},
        "title": {"type": "string", "description": "what it connects to, in words"},
        "enabled": {
            "type": "boolean",
            "description": "whether it is switched on (its API answers, its sends go out)",
        },
        "endpoint": {
            "type": "string",
            "description": "`simulator`, or the real service's URL, as configured",
        },
        "endpoint_url": {
            "type": ["string", "null"],
            "format": "uri",
            "description": "the URL it talks to (the simulator's once it runs); `null` when it "
            "has none",
        },
        "api_prefixes": {
            "type": "array",
            "items": {"type": "string"},
            "description": "the first path segments under `/v1/` it serves",
        },
        "health": {
            "anyOf": [PLUGIN_HEALTH_SCHEMA, {"type": "null"}],
            "description": "its last health check; `null` when disabled",
        },
        "certificate": {
            "anyOf": [_CERTIFICATE_SCHEMA, {"type": "null"}],
            "description": "the certificate it uses that expires first (the test PKI's with a "
            "simulator); `null` when it uses none or it cannot be read",
        },
        "last_success": {
            "anyOf": [_OUTCOME_SCHEMA, {"type": "null"}],
            "description": "its last exchange that did what was asked; `null` if none is journaled",
        },
        "last_failure": {
            "anyOf": [_OUTCOME_SCHEMA, {"type": "null"}],
            "description": "its last exchange that failed or was refused; `null` if none is "
            "journaled",
        },
        "breaker": {
            "anyOf": [_BREAKER_SCHEMA, {"type": "null"}],
            "description": "the circuit breaker of its deliveries; `null` when it delivers no "
            "sends or is disabled",
        },
    },
}

PLUGIN_SWITCH_SCHEMA: dict[str, Any] = {
    "title": "PluginSwitch",
    "type": "object",
    "description": "Whether the plugin must run.",
    "required": ["enabled"],
    "additionalProperties": False,
    "properties": {
        "enabled": {"type": "boolean", "description": "`true` to switch it on, `false` off"}
    },
}

PLUGINS_SCHEMA: dict[str, Any] = {
    "title": "PluginList",
    "type": "object",
    "description": "Every installed plugin, enabled or not.",
    "required": ["plugins"],
    "properties": {
        "plugins": {
            "type": "array",
            "items": PLUGIN_STATUS_SCHEMA,
            "description": "the plugins, in load order",
        }
    },
}

OPENAPI_SCHEMA: dict[str, Any] = {
    "title": "OpenApiDocument",
    "type": "object",
    "description": "An OpenAPI 3.1 document (https://spec.openapis.org/oas/v3.1.0): this one.",
    "required": ["openapi", "info", "paths", "components"],
    "properties": {
        "openapi": {"type": "string", "description": "the OpenAPI version, `3.1.0`"},
        "info": {"type": "object", "description": "the API's title and version"},
        "servers": {
            "type": "array",
            "items": {"type": "object"},
            "description": "the address the document was fetched from",
        },
        "security": {
            "type": "array",
            "items": {"type": "object"},
            "description": "the bearer token every operation needs",
        },
        "tags": {"type": "array", "items": {"type": "object"}, "description": "operation groups"},
        "paths": {"type": "object", "description": "every operation, by path and method"},
        "components": {
            "type": "object",
            "description": "named schemas, parameters, headers and the security scheme",
        },
    },
}

# --- the event stream ----------------------------------------------------------------------

#: The event types the core publishes; plugins publish others (``dmp.batch``…).
CORE_EVENT_TYPES = (
    "outbox.item",
    "outbox.failing",
    "outbox.recovered",
    "plugin.health",
    "plugin.switched",
)

_EVENT_ENVELOPE: dict[str, Any] = {
    "time": {"type": "string", "format": "date-time", "description": "when it happened"},
}


def _event(title: str, type_: str, description: str, fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": title,
        "type": "object",
        "description": f"`{type_}`: {description}",
        "required": ["type", "time", *fields],
        "properties": {
            "type": {"type": "string", "const": type_, "description": "the event's type"},
            **_EVENT_ENVELOPE,
            **fields,
        },
    }


_PLUGIN_FIELD = {"type": "string", "description": "the plugin concerned"}

OUTBOX_ITEM_EVENT = _event(
    "OutboxItemEvent",
    "outbox.item",
    "an outbox item was queued or changed state (to apps with its plugin's scope).",
    {
        "id": {"type": "integer", "minimum": 1, "description": "the item's id"},
        "plugin": _PLUGIN_FIELD,
        "kind": {"type": "string", "description": "what is sent, e.g. `dmp.document`"},
        "state": OUTBOX_STATE_SCHEMA,
        "attempts": {"type": "integer", "minimum": 0, "description": "attempts so far"},
        "last_error": {
            "anyOf": [DELIVERY_ERROR_SCHEMA, {"type": "null"}],
            "description": "why the last attempt failed; `null` if none did",
        },
    },
)
OUTBOX_FAILING_EVENT = _event(
    "OutboxFailingEvent",
    "outbox.failing",
    "a plugin's circuit breaker opened: its deliveries are paused (once per outage).",
    {
        "plugin": _PLUGIN_FIELD,
        "error": {
            "type": "object",
            "description": "the failure that opened it",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "the error's code"},
                "message": {"type": "string", "description": "what went wrong, in words"},
            },
        },
        "detail": {"type": "string", "description": "how many failures, when the next probe"},
    },
)
OUTBOX_RECOVERED_EVENT = _event(
    "OutboxRecoveredEvent",
    "outbox.recovered",
    "a probe delivery succeeded after an outage: deliveries resume (once per outage).",
    {"plugin": _PLUGIN_FIELD},
)
PLUGIN_HEALTH_EVENT = _event(
    "PluginHealthEvent",
    "plugin.health",
    "a plugin's health status changed (and once per plugin at start-up); to every app.",
    {
        "plugin": _PLUGIN_FIELD,
        "status": _HEALTH_STATUS_SCHEMA,
        "detail": {"type": "string", "description": "what the check found, in words"},
        "previous": {
            "anyOf": [_HEALTH_STATUS_SCHEMA, {"type": "null"}],
            "description": "its health before; `null` at the first check",
        },
    },
)
PLUGIN_SWITCHED_EVENT = _event(
    "PluginSwitchedEvent",
    "plugin.switched",
    "a plugin was switched on or off (`PUT /v1/plugins/{name}`); to every app.",
    {
        "plugin": _PLUGIN_FIELD,
        "enabled": {"type": "boolean", "description": "whether it runs now"},
        "previous": {"type": "boolean", "description": "whether it ran before"},
        "client": {"type": "string", "description": "the app that switched it"},
    },
)
PLUGIN_EVENT: dict[str, Any] = {
    "title": "PluginEvent",
    "type": "object",
    "description": "An event a plugin publishes (`dmp.batch`…), to apps with its scope; the "
    "plugin's README describes its fields.",
    "required": ["type", "time"],
    "properties": {
        "type": {
            "type": "string",
            "not": {"enum": list(CORE_EVENT_TYPES)},
            "description": "the event's type, prefixed by the plugin's name",
        },
        **_EVENT_ENVELOPE,
    },
    "additionalProperties": True,
}

#: One event's ``data`` on ``GET /v1/events``: the SSE ``event`` field repeats ``type``.
EVENT_SCHEMA: dict[str, Any] = {
    "title": "Event",
    "description": "One event's `data` (JSON); the SSE `event:` line repeats its `type`, and "
    "`id:` is the id to resume after with `Last-Event-ID`.",
    "oneOf": [
        OUTBOX_ITEM_EVENT,
        OUTBOX_FAILING_EVENT,
        OUTBOX_RECOVERED_EVENT,
        PLUGIN_HEALTH_EVENT,
        PLUGIN_SWITCHED_EVENT,
        PLUGIN_EVENT,
    ],
}


def _plugin_health(app: web.Application, name: str) -> dict[str, Any]:
    result = app[HEALTH].results.get(name)
    if result is None:
        return {"status": "unknown", "detail": "not checked yet", "checked_at": None}
    return {**result, "checked_at": iso(result["checked_at"])}


async def get_health(call: Call) -> dict[str, Any]:
    app = call.app
    plugins = {c.name: _plugin_health(app, c.name) for c in app[SETTINGS].enabled_plugins()}
    status = "ok" if all(p["status"] == "up" for p in plugins.values()) else "degraded"
    return {
        "status": status,
        "version": __version__,
        "contract": CONTRACT_VERSION,
        "uptime_s": round(time.monotonic() - app[STARTED_AT], 3),
        "plugins": plugins,
        "outbox": _outbox_health(app),
    }


def _outbox_health(app: web.Application) -> dict[str, Any]:
    if not app[DELIVERIES].dispatchers:
        return {}
    counts = app[OUTBOX].counts()
    return {
        name: {"breaker": _breaker(d.breaker.describe()), "items": counts.get(name, {})}
        for name, d in app[DELIVERIES].dispatchers.items()
    }


def _breaker(described: dict[str, Any]) -> dict[str, Any]:
    return {**described, "opened_at": iso(described["opened_at"])}


async def get_plugins(call: Call) -> dict[str, Any]:
    app = call.app
    app[OUTCOMES].refresh(app[JOURNAL].reader)
    return {"plugins": [plugin_entry(app, name, call.client) for name in app[PLUGINS].infos]}


async def put_plugin(call: Call) -> dict[str, Any]:
    app, name = call.app, call.params["name"]
    await app[RUNTIME].switch(name, call.body["enabled"], call.client.name, call.request_id)
    app[OUTCOMES].refresh(app[JOURNAL].reader)
    return plugin_entry(app, name, call.client)


def plugin_entry(app: web.Application, name: str, client: Any) -> dict[str, Any]:
    """A plugin as ``GET /v1/plugins`` lists it (a ``PluginStatus``) to ``client``: a journal
    summary may name a patient, so only an app that may read the journal gets it."""
    info, config = app[PLUGINS].infos[name], app[SETTINGS].plugins[name]
    on = app[RUNTIME].is_on(name)
    dispatcher = app[DELIVERIES].dispatchers.get(name) if on else None
    outcomes = app[OUTCOMES].of(name)
    return {
        "name": name,
        "version": info.version,
        "title": info.title,
        "enabled": on,
        "endpoint": config.endpoint,
        "endpoint_url": config.endpoint_url,
        "api_prefixes": list(info.prefixes),
        "health": _plugin_health(app, name) if on else None,
        "certificate": _certificate(app, config),
        "last_success": _outcome(outcomes["last_success"], client),
        "last_failure": _outcome(outcomes["last_failure"], client),
        "breaker": _breaker(dispatcher.breaker.describe()) if dispatcher else None,
    }


def _outcome(outcome: dict[str, Any] | None, client: Any) -> dict[str, Any] | None:
    if outcome is None or client.has_scope(JOURNAL_SCOPE):
        return outcome
    return {**outcome, "summary": None}


def _certificate(app: web.Application, config: PluginConfig) -> dict[str, Any] | None:
    """The plugin's certificate that expires first: among those its ``startup`` loaded, else
    (switched off, or it could not load them) those its config names, read as ``aiguillage
    doctor`` reads them."""
    found: list[tuple[str, dt.datetime]] = [
        (c.subject, c.certificate.not_valid_after_utc)
        for c in config.credentials.values()
        if c is not None
    ]
    if not found:
        for key in app[PLUGINS].infos[config.name].config:
            path = config.options.get(key.name) if key.type == "certificate" else None
            secret = config.options.get(key.password_key) if key.password_key else None
            if path:
                read = _read_certificate(path, secret.reveal() if secret else None)
                if read is not None:
                    found.append(read)
    if not found:
        return None
    subject, not_after = min(found, key=lambda f: f[1])
    return {
        "subject": subject,
        "not_after": iso(not_after.timestamp()),
        "days_left": (not_after - dt.datetime.now(dt.UTC)).days,
    }


#: Certificates read from files, by path, size, modification time and password (hashed): a
#: PKCS#12 file's key
#: derivation is slow on purpose, and the Services page asks again and again.
_READ: dict[tuple[str, int, int, str], tuple[str, dt.datetime] | None] = {}


def _read_certificate(path: str, password: str | None) -> tuple[str, dt.datetime] | None:
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    secret = hashlib.sha256((password or "").encode()).hexdigest()
    key = (path, stat.st_size, stat.st_mtime_ns, secret)
    if key not in _READ:
        try:
            info = read_certificate(path, password)
            _READ[key] = (info.subject, info.not_after)
        except CertificateError:
            _READ[key] = None  # what doctor and the plugin's health report
    return _READ[key]


async def get_openapi(call: Call) -> dict[str, Any]:
    return with_origin(call.app[OPENAPI], str(call.request.url.origin()))


async def get_events(call: Call) -> web.StreamResponse:
    request = call.request
    last_id = _last_event_id(request.headers.get("Last-Event-ID"))
    bus = call.app[EVENTS]
    subscription, backlog = bus.subscribe(last_id)
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream",
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",
        }
    )
    await response.prepare(request)
    clients, name = call.app[CLIENTS], call.client.name
    try:
        await response.write(b"retry: 3000\n: connected\n\n")
        revoked = False
        for event in backlog:
            revoked = not clients.is_active(name)
            if revoked:
                break
            await _send(response, event, call.client)
        quiet_since = time.monotonic()
        while not revoked and not bus.closed:
            event = await subscription.get(REVOCATION_CHECK_SECONDS)
            # Revoked since the stream opened (on an event, or within the check period): the
            # stream ends before anything more goes out, and the client's reconnection gets 401.
            revoked = not clients.is_active(name)
            if revoked:
                break
            if event is not None:
                if await _send(response, event, call.client):
                    quiet_since = time.monotonic()
            elif subscription.overflowed or bus.closed:
                break  # the client reconnects with Last-Event-ID and loses nothing kept
            elif time.monotonic() - quiet_since >= HEARTBEAT_SECONDS:
                await response.write(b": keep-alive\n\n")
                quiet_since = time.monotonic()
        if revoked:
            await response.write(b": app revoked\n\n")
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    finally:
        subscription.close()
    return response


async def _send(response: web.StreamResponse, event: Event, client: Any) -> bool:
    """Write ``event`` if the app may see it; whether it was written."""
    if event.scope is not None and not client.has_scope(event.scope):
        return False
    data = json.dumps(event_data(event), ensure_ascii=False)
    await response.write(f"id: {event.id}\nevent: {event.type}\ndata: {data}\n\n".encode())
    return True


def event_data(event: Event) -> dict[str, Any]:
    """An event's ``data`` as the stream sends it (an :data:`EVENT_SCHEMA`)."""
    return {"type": event.type, "time": iso(event.time), **event.data}


def _last_event_id(value: str | None) -> int | None:
    if value is None:
        return None
    # ASCII digits (isdigit() takes any script's) and no more than an event id can have.
    if not re.fullmatch(r"[0-9]{1,18}", value):
        raise Problem(
            400,
            "bad-last-event-id",
            "Invalid Last-Event-ID",
            errors=[FieldError("Last-Event-ID", "must be an event id (1 to 18 digits)")],
        )
    return int(value)


_CHECKED = "2026-12-02T15:06:58.204+00:00"
_HEALTH_EXAMPLE: dict[str, Any] = {
    "status": "degraded",
    "version": "0.1.0",
    "contract": "2.5",
    "uptime_s": 3605.912,
    "plugins": {
        "insi": {
            "status": "up",
            "detail": "127.0.0.1:44321 reachable",
            "latency_ms": 0.84,
            "checked_at": _CHECKED,
            "extra": {"signature_certificate_days_left": 364},
        },
        "dmp": {
            "status": "degraded",
            "detail": "127.0.0.1:44322 reachable; signature_certificate expires in 12 days",
            "latency_ms": 0.91,
            "checked_at": _CHECKED,
            "extra": {"signature_certificate_days_left": 12},
        },
    },
    "outbox": {
        "dmp": {
            "breaker": {"state": "closed", "consecutive_failures": 0, "opened_at": None},
            "items": {"sent": 118, "failed": 1},
        }
    },
}
_INSI_EXAMPLE: dict[str, Any] = {
    "name": "insi",
    "version": "0.1.0",
    "title": "INSi: the national health identity (INS) teleservice",
    "enabled": True,
    "endpoint": "simulator",
    "endpoint_url": "https://127.0.0.1:44321",
    "api_prefixes": ["ins"],
    "health": _HEALTH_EXAMPLE["plugins"]["insi"],
    "certificate": {
        "subject": "CN=899700218896,OU=499700218896006,O=CABINET TEST,C=FR",
        "not_after": "2027-12-02T15:00:00.000+00:00",
        "days_left": 364,
    },
    "last_success": {
        "time": "2026-12-02T15:05:12.342+00:00",
        "event": "ins.search",
        "outcome": "cr00",
        "summary": "search by traits (RUTH, F, 1975-12-31) → CR 00 OK: INS 275127507522237 (NIR)",
    },
    "last_failure": {
        "time": "2026-12-01T10:41:03.118+00:00",
        "event": "ins.verify",
        "outcome": "timeout",
        "summary": "verify 275127507522237 → timeout: no answer within 10 s",
    },
    "breaker": None,
}
_JFSE_OFF_EXAMPLE: dict[str, Any] = {
    "name": "jfse",
    "version": "0.1.0",
    "title": "jFSE: electronic care sheets (FSE) and billing",
    "enabled": False,
    "endpoint": "simulator",
    "endpoint_url": None,
    "api_prefixes": ["fse"],
    "health": None,
    "certificate": None,
    "last_success": None,
    "last_failure": None,
    "breaker": None,
}
_PLUGINS_EXAMPLE: dict[str, Any] = {"plugins": [_INSI_EXAMPLE, _JFSE_OFF_EXAMPLE]}
_OPENAPI_EXAMPLE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Aiguillage", "version": "0.1.0"},
    "servers": [{"url": "http://127.0.0.1:7480", "description": "this daemon"}],
    "security": [{"bearer": []}],
    "tags": [{"name": "core"}],
    "paths": {"/v1/health": {"get": {"operationId": "getHealth"}}},
    "components": {"schemas": {}},
}
_EVENT_EXAMPLES: dict[str, Any] = {
    "outbox.item": {
        "type": "outbox.item",
        "time": "2026-12-02T15:07:38.502+00:00",
        "id": 42,
        "plugin": "dmp",
        "kind": "dmp.document",
        "state": "sent",
        "attempts": 1,
        "last_error": None,
    },
    "plugin.health": {
        "type": "plugin.health",
        "time": _CHECKED,
        "plugin": "insi",
        "status": "down",
        "detail": "127.0.0.1:44321 unreachable: Connection refused",
        "previous": "up",
    },
    "outbox.failing": {
        "type": "outbox.failing",
        "time": "2026-12-02T15:12:40.015+00:00",
        "plugin": "dmp",
        "error": {"code": "timeout", "message": "no answer within 60 s"},
        "detail": "5 consecutive transient failures; deliveries paused, next probe in 30 s",
    },
    "outbox.recovered": {
        "type": "outbox.recovered",
        "time": "2026-12-02T15:13:10.441+00:00",
        "plugin": "dmp",
    },
    "plugin.switched": {
        "type": "plugin.switched",
        "time": "2026-12-02T15:20:01.907+00:00",
        "plugin": "jfse",
        "enabled": False,
        "previous": True,
        "client": "console",
    },
}

CORE_OPERATIONS = [
    Operation(
        "GET",
        "/v1/health",
        "Daemon version, uptime and each enabled plugin's health",
        get_health,
        operation_id="getHealth",
        description="""The daemon's version and uptime, each enabled plugin's last health
check and, for each plugin that delivers sends, its circuit breaker and its outbox items by
state. `status` is `ok` when every enabled plugin is `up`. Checks run at start-up and every
`[daemon] health_interval` seconds in the background: this answers from memory, at once.""",
        response_schema=HEALTH_SCHEMA,
        response_examples={"one plugin degraded": _HEALTH_EXAMPLE},
        tags=("core",),
    ),
    Operation(
        "GET",
        "/v1/plugins",
        "Installed plugins: enabled, endpoint, health, certificate, last outcomes",
        get_plugins,
        operation_id="listPlugins",
        description="""Every installed plugin, enabled or not: its version, the `/v1/`
prefixes it serves (its scope is its name), its endpoint (`simulator` or the service's URL)
and, when enabled, its last health check and the circuit breaker of its deliveries. Also, for
the practice admin's Services page: the certificate it uses that expires first (`days_left`),
and its last success and last failure as the journal holds them (a journal row belongs to the
plugin its event names: `ins.search` to `insi`; `ok`, or an answer the plugin counts as one,
is a success, `pending` neither, anything else a failure; their `summary`, which may name a
patient, only for an app with the `journal` scope). Answers from memory: the journal's new rows
only are read.""",
        response_schema=PLUGINS_SCHEMA,
        response_examples={"one on, one off": _PLUGINS_EXAMPLE},
        tags=("core",),
    ),
    Operation(
        "PUT",
        "/v1/plugins/{name}",
        "Switch a plugin on or off, without a restart",
        put_plugin,
        scope=ADMIN_SCOPE,
        operation_id="switchPlugin",
        description="""Switches the plugin on (`{"enabled": true}`) or off in the running
daemon and in the config file, so that the change outlives a restart. Needs the `admin` scope
(`aiguillage apps add NAME --scope admin`); `*` does not grant it.

The config file changes by the `enabled` value of the plugin's table alone (the table is
added when missing): comments and layout stay. The new file must pass the start-up validation
(`409 config-invalid` names the key otherwise), replaces the old one atomically, and the old
one is kept beside it as `<file>.bak`. A daemon started without a config file answers
`409 no-config-file`: start it with `--config FILE`. A table written with dotted keys or
inline, or a file changed while being written, is `409 config-not-editable`.

Switched on, the plugin starts as at start-up, with its table as the file says now: its
simulator (endpoint `simulator`), its `startup`, its deliveries, its health check. Its API
answers and the OpenAPI document lists it. When it cannot start, it stays off, the file is
unchanged, and the answer is `503 plugin-start-failed` with the cause. Switched off, its API
answers `404 plugin-disabled`, calls under way get 5 seconds to end, deliveries under way too
(those cut off are queued again), then its `shutdown` runs and its simulator stops; its queued
sends wait. Switches are made one at a time. Each change is journaled (`config.changed`: the
app, the plugin, before and after, the file and its SHA-256 before and after) and published as
a `plugin.switched` event. Asking for the state it is already in changes nothing.

Answers the plugin as `GET /v1/plugins` lists it.""",
        params=[
            Param(
                "name",
                "path",
                {"type": "string", "minLength": 1, "maxLength": 64},
                required=True,
                description="the plugin's name (`insi`, `dmp`…)",
            )
        ],
        request_schema=PLUGIN_SWITCH_SCHEMA,
        request_examples={"switch off": {"enabled": False}, "switch on": {"enabled": True}},
        response_schema=PLUGIN_STATUS_SCHEMA,
        response_examples={"switched off": _JFSE_OFF_EXAMPLE, "switched on": _INSI_EXAMPLE},
        errors={
            404: ("not-found",),
            409: ("no-config-file", "config-invalid", "config-not-editable"),
            503: ("plugin-start-failed", "config-write-failed"),
        },
        tags=("core",),
    ),
    Operation(
        "GET",
        "/v1/openapi.json",
        "This API's OpenAPI 3.1 document",
        get_openapi,
        operation_id="getOpenApi",
        description="""This document, for the plugins this daemon runs, with `servers` the
address it was fetched from. Generate a client from it: every shared shape is a named schema,
every operation declares its headers and the problems it can answer.""",
        response_schema=OPENAPI_SCHEMA,
        response_examples={"an excerpt": _OPENAPI_EXAMPLE},
        tags=("core",),
    ),
    Operation(
        "GET",
        "/v1/events",
        "Server-sent events: outbox states, plugin health, plugins' own",
        get_events,
        operation_id="streamEvents",
        description="""A `text/event-stream` that stays open. Each event is an `id:` line, an
`event:` line naming its type and a `data:` line holding one JSON object (the `Event` schema:
its `type` and `time`, then the fields of that type). An app sees the events of the plugins it
has the scope of, and `plugin.health` and `plugin.switched` events.

| event | when |
| --- | --- |
| `outbox.item` | an outbox item was queued or changed state |
| `outbox.failing` | a plugin's circuit breaker opened: its deliveries are paused |
| `outbox.recovered` | a probe succeeded after an outage: deliveries resume |
| `plugin.health` | a plugin's health status changed (and once per plugin at start-up) |
| `plugin.switched` | a plugin was switched on or off (`PUT /v1/plugins/{name}`) |
| a plugin's own (`dmp.batch`…) | described in the plugin's README |

Reconnect with `Last-Event-ID` (1 to 18 ASCII digits; 400 `bad-last-event-id` otherwise) to
receive first the events missed while away, among the last 1,000 kept. A `: keep-alive` comment
comes every 15 seconds. A client too slow to keep up is disconnected and resumes from its last
id. When the app is revoked the stream ends, within 2 seconds and before any further event.""",
        response_media_type="text/event-stream",
        response_schema=EVENT_SCHEMA,
        response_examples=_EVENT_EXAMPLES,
        request_headers=("Last-Event-ID",),
        errors={400: ("bad-last-event-id",)},
        tags=("core",),
    ),
]


@hookimpl
def register_operations(register: Callable[[Operation], None]) -> None:
    for operation in CORE_OPERATIONS:
        register(operation)
