"""The core's own operations: health, plugins, the OpenAPI document and the event stream."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from aiguillage import __version__
from aiguillage.appkeys import (
    CLIENTS,
    DELIVERIES,
    EVENTS,
    HEALTH,
    OPERATIONS,
    OUTBOX,
    PLUGINS,
    SETTINGS,
    STARTED_AT,
)
from aiguillage.hookspecs import CONTRACT_VERSION, Call, Operation, hookimpl
from aiguillage.openapi import build_openapi
from aiguillage.problems import FieldError, Problem

HEARTBEAT_SECONDS = 15.0
#: How often a quiet event stream checks that its app was not revoked (``apps revoke`` runs in
#: another process, so nothing tells the daemon); every event is checked too.
REVOCATION_CHECK_SECONDS = 2.0

_PLUGIN_HEALTH = {
    "type": "object",
    "required": ["status", "detail"],
    "properties": {
        "status": {"enum": ["up", "down", "degraded", "unknown"]},
        "detail": {"type": "string"},
        "latency_ms": {"type": ["number", "null"]},
        "checked_at": {"type": ["number", "null"]},
        "extra": {"type": "object"},
    },
}

HEALTH_SCHEMA = {
    "type": "object",
    "required": ["status", "version", "contract", "uptime_s", "plugins"],
    "properties": {
        "status": {"enum": ["ok", "degraded"], "description": "ok when every enabled plugin is up"},
        "version": {"type": "string"},
        "contract": {"type": "string", "description": "plugin contract version"},
        "uptime_s": {"type": "number"},
        "plugins": {"type": "object", "additionalProperties": _PLUGIN_HEALTH},
        "outbox": {
            "type": "object",
            "description": "per plugin that sends: its circuit breaker and its items by state",
            "additionalProperties": {
                "type": "object",
                "required": ["breaker", "items"],
                "properties": {
                    "breaker": {
                        "type": "object",
                        "properties": {
                            "state": {"enum": ["closed", "open", "half_open"]},
                            "consecutive_failures": {"type": "integer"},
                            "opened_at": {"type": ["number", "null"]},
                        },
                    },
                    "items": {"type": "object", "additionalProperties": {"type": "integer"}},
                },
            },
        },
    },
}

PLUGINS_SCHEMA = {
    "type": "object",
    "required": ["plugins"],
    "properties": {
        "plugins": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "version", "title", "enabled", "endpoint", "health"],
                "properties": {
                    "name": {"type": "string"},
                    "version": {"type": "string"},
                    "title": {"type": "string"},
                    "enabled": {"type": "boolean"},
                    "endpoint": {"type": "string"},
                    "endpoint_url": {"type": ["string", "null"]},
                    "api_prefixes": {"type": "array", "items": {"type": "string"}},
                    "health": {"oneOf": [_PLUGIN_HEALTH, {"type": "null"}]},
                },
            },
        }
    },
}


def _plugin_health(app: web.Application, name: str) -> dict[str, Any]:
    return app[HEALTH].results.get(name) or {"status": "unknown", "detail": "not checked yet"}


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
        name: {"breaker": d.breaker.describe(), "items": counts.get(name, {})}
        for name, d in app[DELIVERIES].dispatchers.items()
    }


async def get_plugins(call: Call) -> dict[str, Any]:
    app = call.app
    listed = []
    for name, info in app[PLUGINS].infos.items():
        config = app[SETTINGS].plugins[name]
        listed.append(
            {
                "name": name,
                "version": info.version,
                "title": info.title,
                "enabled": config.enabled,
                "endpoint": config.endpoint,
                "endpoint_url": config.endpoint_url,
                "api_prefixes": list(info.prefixes),
                "health": _plugin_health(app, name) if config.enabled else None,
            }
        )
    return {"plugins": listed}


async def get_openapi(call: Call) -> dict[str, Any]:
    return build_openapi(call.app[OPERATIONS], __version__)


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


async def _send(response: web.StreamResponse, event: Any, client: Any) -> bool:
    """Write ``event`` if the app may see it; whether it was written."""
    if event.scope is not None and not client.has_scope(event.scope):
        return False
    data = json.dumps({"type": event.type, "time": event.time, **event.data}, ensure_ascii=False)
    await response.write(f"id: {event.id}\nevent: {event.type}\ndata: {data}\n\n".encode())
    return True


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


CORE_OPERATIONS = [
    Operation(
        "GET",
        "/v1/health",
        "Daemon version, uptime and each enabled plugin's health",
        get_health,
        response_schema=HEALTH_SCHEMA,
        tags=("core",),
    ),
    Operation(
        "GET",
        "/v1/plugins",
        "Installed plugins: enabled, endpoint, health",
        get_plugins,
        response_schema=PLUGINS_SCHEMA,
        tags=("core",),
    ),
    Operation(
        "GET",
        "/v1/openapi.json",
        "This API's OpenAPI 3.1 document",
        get_openapi,
        response_schema={"type": "object"},
        tags=("core",),
    ),
    Operation(
        "GET",
        "/v1/events",
        "Server-sent events: outbox states, incoming mail, health",
        get_events,
        response_media_type="text/event-stream",
        response_schema={"type": "string"},
        tags=("core",),
    ),
]


@hookimpl
def register_operations(register: Callable[[Operation], None]) -> None:
    for operation in CORE_OPERATIONS:
        register(operation)
