"""The aiohttp application: ``create_app(settings)``."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator

from aiohttp import web

from aiguillage.api import check_operation, make_handler
from aiguillage.appkeys import (
    CLIENTS,
    EVENTS,
    HEALTH,
    HOSTS_BY_PORT,
    OPERATIONS,
    PLUGIN_STATE,
    PLUGINS,
    SETTINGS,
    STARTED_AT,
)
from aiguillage.clients import ClientStore
from aiguillage.config import Settings
from aiguillage.events import EventBus
from aiguillage.health import HealthMonitor
from aiguillage.hookspecs import Operation
from aiguillage.middlewares import MIDDLEWARES
from aiguillage.plugin_manager import PluginError, Plugins, load_plugins
from aiguillage.problems import Problem
from aiguillage.routes import CORE_OPERATIONS

log = logging.getLogger("aiguillage")


def create_app(
    settings: Settings, plugins: Plugins | None = None, *, validate_responses: bool = False
) -> web.Application:
    """Build the daemon's application. ``validate_responses`` checks every handler's result
    against its published schema (tests turn it on)."""
    plugins = plugins or load_plugins()
    app = web.Application(middlewares=MIDDLEWARES)
    app[SETTINGS] = settings
    app[PLUGINS] = plugins
    app[EVENTS] = EventBus()
    app[HEALTH] = HealthMonitor(plugins, settings.enabled_plugins(), app[EVENTS])
    app[HOSTS_BY_PORT] = {}
    app[PLUGIN_STATE] = {}
    app[STARTED_AT] = time.monotonic()
    app[OPERATIONS] = collect_operations(settings, plugins)
    for op in app[OPERATIONS]:
        app.router.add_route(op.method, op.path, make_handler(op, validate_responses))
    for config in settings.plugins.values():
        if not config.enabled:
            for prefix in plugins.infos[config.name].prefixes:
                app.router.add_route("*", f"/v1/{prefix}", _disabled(config.name))
                app.router.add_route("*", f"/v1/{prefix}/{{tail:.*}}", _disabled(config.name))
    app.cleanup_ctx.extend([_client_store, _plugin_lifecycle, _health_monitor])
    app.on_shutdown.append(_end_event_streams)
    return app


def collect_operations(settings: Settings, plugins: Plugins) -> list[Operation]:
    """The core's operations, then each enabled plugin's, checked for prefix and duplicates."""
    operations = list(CORE_OPERATIONS)
    for config in settings.enabled_plugins():
        info = plugins.infos[config.name]
        registered: list[Operation] = []
        plugins.call_sync(
            config.name, "register_operations", register=registered.append, config=config
        )
        for op in registered:
            op.plugin = config.name
            try:
                check_operation(op, info.prefixes)
            except ValueError as exc:
                raise PluginError(str(exc)) from None
        operations.extend(registered)
    seen: set[tuple[str, str]] = set()
    for op in operations:
        if (op.method, op.path) in seen:
            raise PluginError(f"{op.method} {op.path} is registered twice")
        seen.add((op.method, op.path))
    return operations


def _disabled(name: str):
    async def handler(request: web.Request) -> web.StreamResponse:
        raise Problem(
            404,
            "plugin-disabled",
            "Plugin disabled",
            f"The {name} plugin is disabled: set enabled = true in the [{name}] table of the "
            f"config file and restart the daemon.",
        )

    return handler


async def _client_store(app: web.Application) -> AsyncIterator[None]:
    app[CLIENTS] = ClientStore(app[SETTINGS].daemon.data_dir)
    yield
    app[CLIENTS].close()


async def _plugin_lifecycle(app: web.Application) -> AsyncIterator[None]:
    """Start each enabled plugin's simulator (when its endpoint is "simulator"), then the plugin.
    Whatever started is stopped in reverse order, even when a later start fails."""
    plugins = app[PLUGINS]
    async with contextlib.AsyncExitStack() as stack:
        for config in app[SETTINGS].enabled_plugins():
            if config.endpoint == "simulator":
                sim = await plugins.call(config.name, "simulator", config=config)
                if sim is not None:
                    config.endpoint_url = await sim.start("127.0.0.1")
                    stack.push_async_callback(sim.stop)
                    log.info("%s: simulator listening on %s", config.name, config.endpoint_url)
            else:
                config.endpoint_url = config.endpoint
            await plugins.call(config.name, "startup", app=app, config=config)
            stack.push_async_callback(plugins.call, config.name, "shutdown", app=app, config=config)
        yield


async def _health_monitor(app: web.Application) -> AsyncIterator[None]:
    monitor = app[HEALTH]
    await monitor.check_all()  # so the first /v1/health already tells the truth
    task = asyncio.create_task(monitor.run(app[SETTINGS].daemon.health_interval))
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def _end_event_streams(app: web.Application) -> None:
    app[EVENTS].close()
