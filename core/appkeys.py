"""Typed keys of the aiohttp application's state."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    pass

SETTINGS = web.AppKey("settings", "Settings")
PLUGINS = web.AppKey("plugins", "Plugins")
CLIENTS = web.AppKey("clients", "ClientStore")
EVENTS = web.AppKey("events", "EventBus")
HEALTH = web.AppKey("health", "HealthMonitor")
OPERATIONS = web.AppKey("operations", "list[Operation]")
STARTED_AT = web.AppKey("started_at", float)
#: Host header values accepted, by the local port the request came in on.
HOSTS_BY_PORT = web.AppKey("hosts_by_port", dict[int, frozenset[str]])
#: Resources plugins keep between startup and shutdown, by plugin name.
PLUGIN_STATE = web.AppKey("plugin_state", "dict[str, Any]")

__all__ = [
    "CLIENTS",
    "EVENTS",
    "HEALTH",
    "HOSTS_BY_PORT",
    "OPERATIONS",
    "PLUGINS",
    "PLUGIN_STATE",
    "SETTINGS",
    "STARTED_AT",
    "Any",
]
