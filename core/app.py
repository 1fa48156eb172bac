"""The aiohttp application: ``create_app(settings)``."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

from aiohttp import web

from aiguillage import __version__, datadir
from aiguillage import journal as jr
from aiguillage import outbox as ob
from aiguillage.api import check_operation, make_handler
from aiguillage.appkeys import (
    CLIENTS,
    DAEMON,
    DELIVERIES,
    EVENTS,
    HEALTH,
    HOSTS_BY_PORT,
    JOURNAL,
    OPERATIONS,
    OUTBOX,
    PLUGINS,
    SETTINGS,
    STARTED_AT,
)
from aiguillage.clients import ClientStore
from aiguillage.config import Settings
from aiguillage.daemon import Daemon
from aiguillage.delivery import Deliveries, Dispatcher
from aiguillage.events import EventBus
from aiguillage.health import HealthMonitor
from aiguillage.hookspecs import Operation
from aiguillage.middlewares import MIDDLEWARES
from aiguillage.plugin_manager import DEFAULT_PLUGINS, PluginError, Plugins, load_plugins
from aiguillage.problems import Problem

#: Seconds between two maintenance passes (payload retention, space reclaim, journal retention).
MAINTENANCE_INTERVAL = 3600.0

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
    app[STARTED_AT] = time.monotonic()
    app[DELIVERIES] = Deliveries()
    app[DAEMON] = Daemon(app)
    app[OPERATIONS] = collect_operations(settings, plugins)
    for op in app[OPERATIONS]:
        app.router.add_route(op.method, op.path, make_handler(op, validate_responses))
    for config in settings.plugins.values():
        if not config.enabled:
            for prefix in plugins.infos[config.name].prefixes:
                app.router.add_route("*", f"/v1/{prefix}", _disabled(config.name))
                app.router.add_route("*", f"/v1/{prefix}/{{tail:.*}}", _disabled(config.name))
    app.cleanup_ctx.extend(
        [
            _data_dir_lock,
            _client_store,
            _journal,
            _outbox,
            _plugin_lifecycle,
            _deliveries,
            _health_monitor,
            _maintenance,
        ]
    )
    app.on_shutdown.append(_end_event_streams)
    app.on_response_prepare.append(_server_header)
    return app


async def _server_header(request: web.Request, response: web.StreamResponse) -> None:
    # aiohttp names itself and Python with their versions: a map of what to attack.
    response.headers["Server"] = "aiguillage"


def collect_operations(settings: Settings, plugins: Plugins) -> list[Operation]:
    """The core's operations, then each enabled plugin's, checked for prefix and duplicates.
    Both come through the ``register_operations`` hook."""
    operations: list[Operation] = []
    for default in DEFAULT_PLUGINS:
        plugins.call_sync(default, "register_operations", register=operations.append, config=None)
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


async def _data_dir_lock(app: web.Application) -> AsyncIterator[None]:
    fd = datadir.lock(app[SETTINGS].daemon.data_dir)
    yield
    datadir.unlock(fd)


async def _journal(app: web.Application) -> AsyncIterator[None]:
    app[JOURNAL] = jr.Journal(
        app[SETTINGS].daemon.data_dir, app[SETTINGS].journal.max_exchange_bytes
    )
    await _journal_start(app)
    yield
    app[JOURNAL].close()


async def _journal_start(app: web.Application) -> None:
    """Journal the start, and a config change since the previous start (by content hash)."""
    settings = app[SETTINGS]
    source = settings.source
    digest = hashlib.sha256(source.read_bytes()).hexdigest() if source else "defaults"
    journal = app[JOURNAL]
    last = next(jr.select(journal.reader, jr.JournalFilter(event="daemon.started", limit=1)), None)
    previous = json.loads(last["request"]).get("config_sha256") if last else None
    if previous is not None and previous != digest:
        await journal.record(
            jr.Entry(
                event="config.changed",
                summary=f"configuration changed since the previous start ({source or 'defaults'})",
                request={"before_sha256": previous, "after_sha256": digest},
            )
        )
    enabled = [c.name for c in settings.enabled_plugins()]
    await journal.record(
        jr.Entry(
            event="daemon.started",
            summary=f"aiguillage {__version__} started; plugins enabled: {', '.join(enabled)}",
            request={
                "version": __version__,
                "config": str(source) if source else None,
                "config_sha256": digest,
                "enabled": enabled,
            },
        )
    )


async def _outbox(app: web.Application) -> AsyncIterator[None]:
    app[OUTBOX] = ob.Outbox(app[SETTINGS].daemon.data_dir)
    # We hold the data dir's lock: whatever is still "sending" was cut off by a crash.
    interrupted = await app[OUTBOX].write(ob.recover_interrupted, time.time())
    if interrupted:
        log.warning(
            "outbox: %d send(s) interrupted by the last stop are queued again", len(interrupted)
        )
    yield
    app[OUTBOX].close()


async def _deliveries(app: web.Application) -> AsyncIterator[None]:
    settings, plugins = app[SETTINGS], app[PLUGINS]
    app[DELIVERIES].start(
        [
            Dispatcher(
                plugins,
                config,
                settings.outbox.policy(config.name),
                app[OUTBOX],
                app[EVENTS],
                app[JOURNAL],
            )
            for config in settings.enabled_plugins()
            if plugins.infos[config.name].outbox_kinds
        ]
    )
    yield
    await app[DELIVERIES].stop()


async def maintain(app: web.Application, now: float) -> dict[str, int]:
    """One maintenance pass: purge sent payloads past retention, reclaim space when due, purge
    journal rows past retention. Returns what it did."""
    settings = app[SETTINGS]
    outbox, done = app[OUTBOX], {}
    before = now - settings.outbox.payload_retention_days * 86400
    done["payloads_purged"] = await outbox.write(ob.purge_payloads, before, now)
    row = outbox.reader.execute("SELECT value FROM meta WHERE key = 'vacuumed_at'").fetchone()
    if row is None or now - float(row[0]) >= settings.outbox.vacuum_interval_hours * 3600:
        await outbox.write(ob.vacuum, now)
        done["vacuumed"] = 1
    if settings.journal.retention_days > 0:
        done["journal_rows_purged"] = await app[JOURNAL].purge(
            now - settings.journal.retention_days * 86400
        )
    return done


async def _maintenance(app: web.Application) -> AsyncIterator[None]:
    async def loop() -> None:
        while True:
            try:
                done = await maintain(app, time.time())
                if any(done.values()):
                    log.info("maintenance: %s", done)
            except Exception:
                log.exception("maintenance pass failed; next one in %g s", MAINTENANCE_INTERVAL)
            await asyncio.sleep(MAINTENANCE_INTERVAL)

    task = asyncio.create_task(loop())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


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
            config.data_dir = plugin_data_dir(app[SETTINGS], config.name)
            if config.endpoint == "simulator":
                sim = await plugins.call(config.name, "simulator", config=config)
                if sim is not None:
                    config.endpoint_url = await sim.start("127.0.0.1")
                    stack.push_async_callback(sim.stop)
                    log.info("%s: simulator listening on %s", config.name, config.endpoint_url)
            else:
                config.endpoint_url = config.endpoint
            daemon = app[DAEMON]
            await plugins.call(config.name, "startup", daemon=daemon, config=config)
            stack.push_async_callback(
                plugins.call, config.name, "shutdown", daemon=daemon, config=config
            )
        yield


def plugin_data_dir(settings: Settings, name: str) -> Path:
    path = settings.daemon.data_dir / "plugins" / name
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


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
