"""Starting and stopping plugins inside a running daemon: at start-up, at shutdown, and when the
practice admin switches a service on or off (``PUT /v1/plugins/{name}``) without a restart.

A running plugin has its simulator listening (when its endpoint is ``"simulator"``), its
``startup`` hook run, its outbox dispatcher claiming items once the outbox is open, and its
health checked. The operations of every installed plugin are routed from the start (the
router cannot change once the daemon serves); a gate in front of each answers 404
``plugin-disabled`` while its plugin is off. Switching is serialised: one at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from aiguillage import __version__, config_writer
from aiguillage.appkeys import (
    DAEMON,
    DELIVERIES,
    EVENTS,
    HEALTH,
    JOURNAL,
    OPENAPI,
    OPERATIONS,
    OUTBOX,
    PLUGINS,
    SETTINGS,
)
from aiguillage.config import ConfigError, OutboxPolicy, Settings, load_settings
from aiguillage.delivery import Dispatcher
from aiguillage.hookspecs import Operation, PluginConfig
from aiguillage.journal import Entry
from aiguillage.openapi import build_openapi
from aiguillage.plugin_manager import PluginError
from aiguillage.problems import Problem, storage_problem

log = logging.getLogger("aiguillage")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

#: Longest a plugin switched on may take to start (its simulator and ``startup``) before the
#: switch gives up and leaves it off. At daemon start-up there is no limit: nothing else waits.
START_TIMEOUT = 30.0
#: Longest a plugin switched off may take to stop (``shutdown``, its simulator).
STOP_TIMEOUT = 10.0
#: How long calls to a plugin's API under way may take to end once it is switched off.
CALLS_GRACE = 5.0
#: How long its deliveries under way may take to end; those cut off are queued again.
DELIVERY_GRACE = 5.0


def disabled_problem(name: str) -> Problem:
    return Problem(
        404,
        "plugin-disabled",
        "Plugin disabled",
        f"The {name} plugin is disabled: switch it on in the console's Services page "
        f"(PUT /v1/plugins/{name}, scope admin), or set enabled = true in the [{name}] table of "
        "the config file.",
    )


def describe(operations: list[Operation]) -> dict[str, Any]:
    """The OpenAPI document of ``operations``: a title that is no component name fails (a
    ``PluginError``), two schemas under one title are logged."""
    conflicts: list[str] = []
    try:
        document = build_openapi(operations, __version__, conflicts=conflicts)
    except ValueError as exc:
        raise PluginError(f"the OpenAPI document cannot be built: {exc}") from None
    for title in conflicts:
        log.warning(
            "OpenAPI: two different schemas are titled %r; the second is published inline. "
            "Give a changed copy of a shared shape a title of its own.",
            title,
        )
    return document


def plugin_data_dir(settings: Settings, name: str) -> Path:
    """A plugin's folder in the data dir, created private like its parent ``plugins``."""
    plugins = settings.daemon.data_dir / "plugins"
    path = plugins / name
    settings.daemon.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    for each in (plugins, path):
        each.mkdir(mode=0o700, exist_ok=True)
    return path


@dataclass
class _Running:
    config: PluginConfig
    simulator: Any = None


class PluginRuntime:
    def __init__(self, app: web.Application) -> None:
        self.app = app
        #: The running plugins, in the order they started.
        self.running: dict[str, _Running] = {}
        #: Every installed plugin's operations (the core's first), routed once.
        self.operations: list[Operation] = []
        self.lock = asyncio.Lock()
        self._calls: dict[str, int] = {}
        self._idle: dict[str, asyncio.Event] = {}
        self._resources: dict[str, list[web.AbstractResource]] = {}
        #: Whether dispatchers run: from the outbox's opening to the daemon's stop.
        self.delivering = False

    # --- routing --------------------------------------------------------------------------

    def is_on(self, name: str) -> bool:
        config = self.app[SETTINGS].plugins.get(name)
        return config is not None and config.enabled and name in self.running

    def route(self, op: Operation, handler: Handler) -> None:
        """Route ``op``: a core operation as it is, a plugin's behind the gate."""
        if op.plugin != "core":
            handler = self._gate(op.plugin, handler)
        route = self.app.router.add_route(op.method, op.path, handler)
        if op.plugin != "core":
            self._resources.setdefault(op.plugin, []).append(route.resource)

    def route_prefixes(self) -> None:
        """Paths under a plugin's prefixes that no operation has: ``plugin-disabled`` while
        it is off, else ``not-found`` / ``method-not-allowed`` as the router would say."""
        for name, info in self.app[PLUGINS].infos.items():
            handler = self._unmatched(name)
            for prefix in info.prefixes:
                self.app.router.add_route("*", f"/v1/{prefix}", handler)
                self.app.router.add_route("*", f"/v1/{prefix}/{{tail:.*}}", handler)

    def _gate(self, name: str, handler: Handler) -> Handler:
        async def gated(request: web.Request) -> web.StreamResponse:
            if not self.is_on(name):
                raise disabled_problem(name)
            self._calls[name] = self._calls.get(name, 0) + 1
            self._idle.setdefault(name, asyncio.Event()).clear()
            try:
                return await handler(request)
            finally:
                self._calls[name] -= 1
                if not self._calls[name]:
                    self._idle[name].set()

        gated.operation = handler.operation  # type: ignore[attr-defined]
        return gated

    def _unmatched(self, name: str) -> Handler:
        async def handler(request: web.Request) -> web.StreamResponse:
            if not self.is_on(name):
                raise disabled_problem(name)
            allowed: set[str] = set()
            for resource in self._resources.get(name, ()):
                _, methods = await resource.resolve(request)
                allowed |= methods
            if allowed:
                raise web.HTTPMethodNotAllowed(request.method, allowed)
            raise web.HTTPNotFound()

        return handler

    def published(self) -> list[Operation]:
        """The operations the OpenAPI document lists: the core's and the running plugins'."""
        on = {c.name for c in self.app[SETTINGS].enabled_plugins()}
        return [op for op in self.operations if op.plugin == "core" or op.plugin in on]

    def _publish(self, operations: list[Operation], document: dict[str, Any]) -> None:
        # In place: the application's state is frozen once it runs, its contents are not.
        self.app[OPERATIONS][:] = operations
        self.app[OPENAPI].clear()
        self.app[OPENAPI].update(document)

    # --- starting and stopping ------------------------------------------------------------

    async def start(self, config: PluginConfig) -> None:
        """Start the plugin's simulator (endpoint ``"simulator"``) and run its ``startup``;
        the simulator is stopped again when ``startup`` fails."""
        plugins, name = self.app[PLUGINS], config.name
        config.data_dir = plugin_data_dir(self.app[SETTINGS], name)
        running = _Running(config)
        try:
            if config.endpoint == "simulator":
                simulator = await plugins.call(name, "simulator", config=config)
                if simulator is not None:
                    config.endpoint_url = await simulator.start("127.0.0.1")
                    running.simulator = simulator
                    log.info("%s: simulator listening on %s", name, config.endpoint_url)
            else:
                config.endpoint_url = config.endpoint
            await plugins.call(name, "startup", daemon=self.app[DAEMON], config=config)
        except BaseException:
            if running.simulator is not None:
                with contextlib.suppress(Exception):
                    await running.simulator.stop()
            raise
        self.running[name] = running

    async def stop(self, name: str) -> None:
        """Run the plugin's ``shutdown`` and stop its simulator. What fails is logged: the
        plugin is off either way."""
        running = self.running.pop(name, None)
        if running is None:
            return
        plugins, config = self.app[PLUGINS], running.config
        try:
            await plugins.call(name, "shutdown", daemon=self.app[DAEMON], config=config)
        except Exception:
            log.exception("%s: shutdown failed", name)
        if running.simulator is not None:
            try:
                await running.simulator.stop()
            except Exception:
                log.exception("%s: its simulator did not stop cleanly", name)
        config.endpoint_url = None  # what it talked to is gone

    async def stop_all(self) -> None:
        async with self.lock:
            for name in reversed(list(self.running)):
                await self.stop(name)

    def dispatcher(self, config: PluginConfig, policy: OutboxPolicy) -> Dispatcher | None:
        if not self.app[PLUGINS].infos[config.name].outbox_kinds:
            return None
        app = self.app
        return Dispatcher(app[PLUGINS], config, policy, app[OUTBOX], app[EVENTS], app[JOURNAL])

    def start_deliveries(self) -> None:
        """The dispatchers of the running plugins, once the outbox is open."""
        settings = self.app[SETTINGS]
        dispatchers = [
            self.dispatcher(r.config, settings.outbox.policy(name))
            for name, r in self.running.items()
        ]
        self.app[DELIVERIES].start([d for d in dispatchers if d is not None])
        self.delivering = True

    async def _wait_for_calls(self, name: str) -> None:
        if self._calls.get(name):
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(CALLS_GRACE):
                    await self._idle[name].wait()

    # --- switching ------------------------------------------------------------------------

    async def switch(self, name: str, enabled: bool, client: str, request_id: str) -> bool:
        """Switch plugin ``name`` on or off, in the config file and in the daemon. Whether
        anything changed. Raises a ``Problem`` saying why when it cannot; the plugin and the
        file are then as they were."""
        settings: Settings = self.app[SETTINGS]
        if name not in self.app[PLUGINS].infos:
            installed = ", ".join(self.app[PLUGINS].infos) or "none"
            raise Problem(
                404, "not-found", "No such plugin", f"No plugin {name!r} (installed: {installed})."
            )
        async with self.lock:
            source = settings.source
            if source is None:
                raise _no_config_file()
            was = self.is_on(name)
            try:
                in_file, before = await asyncio.to_thread(config_writer.enabled_in, source, name)
            except FileNotFoundError:
                raise _no_config_file(source) from None
            except config_writer.ConfigWriteError as exc:
                raise _config_problem(exc) from None
            except OSError as exc:
                raise _write_problem(source, exc) from None
            if was == enabled and in_file == enabled:
                return False
            edit: config_writer.Edit | None = None
            try:
                if in_file != enabled:
                    edit = await asyncio.to_thread(
                        config_writer.prepare, source, name, enabled, self.app[PLUGINS].infos
                    )
                    fresh = edit.settings
                else:  # the file already says so; it must still be valid to act on it
                    fresh = await asyncio.to_thread(_validated, source, self.app[PLUGINS].infos)
            except config_writer.ConfigWriteError as exc:
                raise _config_problem(exc) from None
            except OSError as exc:
                raise _write_problem(source, exc) from None
            try:
                if enabled and not was:
                    await self._switch_on(fresh.plugins[name], fresh.outbox.policy(name), edit)
                elif was and not enabled:
                    await self._switch_off(name, edit)
                elif edit is not None:
                    await self._commit(edit)
            finally:
                if edit is not None:
                    config_writer.discard(edit)
            after = edit.after if edit else before
            await self._journal(name, was, enabled, source, before, after, edit, client, request_id)
            self.app[EVENTS].publish(
                "plugin.switched",
                {"plugin": name, "enabled": enabled, "previous": was, "client": client},
            )
            return True

    async def _switch_on(
        self, config: PluginConfig, policy: OutboxPolicy, edit: config_writer.Edit | None
    ) -> None:
        name = config.name
        config.enabled = True
        settings = self.app[SETTINGS]
        on = {c.name for c in settings.enabled_plugins()} | {name}
        operations = [op for op in self.operations if op.plugin == "core" or op.plugin in on]
        try:
            document = describe(operations)
        except Exception as exc:
            raise _start_problem(name, f"its API cannot be described: {exc}") from None
        try:
            async with asyncio.timeout(START_TIMEOUT):
                await self.start(config)
        except TimeoutError:
            raise _start_problem(name, f"it did not start within {START_TIMEOUT:g} s") from None
        except Exception as exc:
            log.exception("%s: could not be switched on", name)
            raise _start_problem(name, f"{type(exc).__name__}: {exc}") from None
        try:
            if edit is not None:
                await self._commit(edit)
        except BaseException:
            await self.stop(name)
            raise
        settings.plugins[name] = config
        settings.outbox.policies[name] = policy  # its [outbox.<name>] table as the file says
        if self.delivering:
            dispatcher = self.dispatcher(config, policy)
            if dispatcher is not None:
                self.app[DELIVERIES].start([dispatcher])
        self._publish(operations, document)
        await self.app[HEALTH].check(config)

    async def _switch_off(self, name: str, edit: config_writer.Edit | None) -> None:
        if edit is not None:
            await self._commit(edit)
        config = self.app[SETTINGS].plugins[name]
        config.enabled = False  # the gate closes: new calls answer plugin-disabled
        operations = self.published()
        self._publish(operations, describe(operations))
        self.app[HEALTH].forget(name)
        await self.app[DELIVERIES].remove(name, DELIVERY_GRACE)
        await self._wait_for_calls(name)
        try:
            async with asyncio.timeout(STOP_TIMEOUT):
                await self.stop(name)
        except TimeoutError:
            log.error("%s: did not stop within %g s; left as it was", name, STOP_TIMEOUT)

    async def _commit(self, edit: config_writer.Edit) -> None:
        try:
            await asyncio.to_thread(config_writer.commit, edit)
        except config_writer.ConfigWriteError as exc:
            raise _config_problem(exc) from None
        except OSError as exc:
            raise _write_problem(edit.path, exc) from None

    async def _journal(
        self,
        name: str,
        was: bool,
        enabled: bool,
        source: Path,
        before: bytes,
        after: bytes,
        edit: config_writer.Edit | None,
        client: str,
        request_id: str,
    ) -> None:
        state = "switched on" if enabled else "switched off"
        written = f"{source} rewritten" if edit else f"{source} already said so"
        await self.app[JOURNAL].record(
            Entry(
                event="config.changed",
                summary=f"{name} {state} by app {client!r}; {written}",
                request_id=request_id,
                client=client,
                request={
                    "plugin": name,
                    "enabled_before": was,
                    "enabled_after": enabled,
                    "file": str(source),
                    "backup": str(edit.backup) if edit else None,
                    "before_sha256": config_writer.sha256(before),
                    "after_sha256": config_writer.sha256(after),
                },
            ),
            durable=True,
        )


RUNTIME = web.AppKey("plugin_runtime", PluginRuntime)


def _validated(path: Path, infos: dict) -> Settings:
    try:
        return load_settings(path, infos)
    except ConfigError as exc:
        raise config_writer.ConfigWriteError("invalid", str(exc)) from None


def _no_config_file(path: Path | None = None) -> Problem:
    where = f"{path} no longer exists" if path else "the daemon was started without a config file"
    return Problem(
        409,
        "no-config-file",
        "No config file to write",
        f"{where}, so a change could not outlive a restart: start the daemon with --config "
        "FILE or AIGUILLAGE_CONFIG (the project's config/aiguillage.toml is a commented "
        "example to start from).",
    )


def _config_problem(exc: config_writer.ConfigWriteError) -> Problem:
    if exc.kind == "invalid":
        return Problem(
            409,
            "config-invalid",
            "The config file would not be valid",
            f"{exc}. Nothing was written and nothing changed; correct the file first.",
        )
    return Problem(409, "config-not-editable", "The config file cannot be changed safely", str(exc))


def _write_problem(path: Path, exc: OSError) -> Problem:
    problem = storage_problem(exc)
    if problem is not None:
        return problem
    return Problem(
        503,
        "config-write-failed",
        "The config file could not be written",
        f"{path}: {exc.strerror or exc}; nothing changed.",
    )


def _start_problem(name: str, cause: str) -> Problem:
    return Problem(
        503,
        "plugin-start-failed",
        f"The {name} plugin could not be started",
        f"{cause}. It stays off and the config file is unchanged.",
    )
