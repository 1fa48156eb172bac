"""Typed keys of the aiohttp application's state (the type names are for readers and repr)."""

from __future__ import annotations

from aiohttp import web

SETTINGS = web.AppKey("settings", "aiguillage.config.Settings")
PLUGINS = web.AppKey("plugins", "aiguillage.plugin_manager.Plugins")
CLIENTS = web.AppKey("clients", "aiguillage.clients.ClientStore")
EVENTS = web.AppKey("events", "aiguillage.events.EventBus")
HEALTH = web.AppKey("health", "aiguillage.health.HealthMonitor")
OPERATIONS = web.AppKey("operations", "list[aiguillage.hookspecs.Operation]")
#: The OpenAPI document of the operations, built at start-up (``servers`` set per request).
OPENAPI = web.AppKey("openapi", dict)
OUTBOX = web.AppKey("outbox", "aiguillage.outbox.Outbox")
JOURNAL = web.AppKey("journal", "aiguillage.journal.Journal")
DELIVERIES = web.AppKey("deliveries", "aiguillage.delivery.Deliveries")
DAEMON = web.AppKey("daemon", "aiguillage.daemon.Daemon")
STARTED_AT = web.AppKey("started_at", float)
#: Host header values accepted, by the local port the request came in on.
HOSTS_BY_PORT = web.AppKey("hosts_by_port", dict[int, frozenset[str]])
#: Tests set it: every answer is checked against what the OpenAPI document declares.
CHECK_ANSWERS = web.AppKey("check_answers", bool)
