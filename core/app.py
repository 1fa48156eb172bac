"""The aiohttp application: ``create_app(settings)``."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from aiohttp import web

from aiguillage import __version__, checkpoints, datadir
from aiguillage import journal as jr
from aiguillage import outbox as ob
from aiguillage.api import check_description, check_operation, make_handler
from aiguillage.appkeys import (
    CHECK_ANSWERS,
    CLIENTS,
    DAEMON,
    DELIVERIES,
    EVENTS,
    HEALTH,
    HOSTS_BY_PORT,
    JOURNAL,
    OPENAPI,
    OPERATIONS,
    OUTBOX,
    PLUGINS,
    SETTINGS,
    STARTED_AT,
)
from aiguillage.clients import ClientStore
from aiguillage.config import Settings
from aiguillage.console import add_routes as add_console_routes
from aiguillage.daemon import Daemon
from aiguillage.delivery import Deliveries
from aiguillage.events import EventBus
from aiguillage.health import HealthMonitor
from aiguillage.hookspecs import Operation
from aiguillage.middlewares import MIDDLEWARES
from aiguillage.openapi import operation_id
from aiguillage.outcomes import OUTCOMES, Outcomes
from aiguillage.plugin_manager import DEFAULT_PLUGINS, PluginError, Plugins, load_plugins
from aiguillage.plugin_runtime import RUNTIME, PluginRuntime, describe
from aiguillage.rejections import REJECTIONS, Rejections

#: Seconds between two maintenance passes (payload retention, space reclaim, journal retention).
MAINTENANCE_INTERVAL = 3600.0

log = logging.getLogger("aiguillage")


@dataclass
class Acceptances:
    """What the admin accepted at start-up (``aiguillage serve --accept-…``)."""

    #: A journal that no longer matches its checkpoints may be taken as it is.
    new_journal: bool = False
    #: What ``aiguillage serve`` found and was accepted, to be journaled.
    refusals: Sequence[datadir.Refusal] = ()
    #: What the journal's own check found and was accepted (set at start-up).
    findings: list[checkpoints.Finding] = field(default_factory=list)


ACCEPTANCES = web.AppKey("acceptances", Acceptances)
CHECKPOINTS = web.AppKey("checkpoints", checkpoints.Checkpoints)


def create_app(
    settings: Settings,
    plugins: Plugins | None = None,
    *,
    validate_responses: bool = False,
    acceptances: Acceptances | None = None,
) -> web.Application:
    """Build the daemon's application. ``validate_responses`` checks every handler's result
    against its published schema, and every problem against the operation's declared ones
    (tests turn it on); ``acceptances`` is what the admin accepted
    that the start-up would refuse otherwise."""
    plugins = plugins or load_plugins()
    app = web.Application(middlewares=MIDDLEWARES)
    app[SETTINGS] = settings
    app[CHECK_ANSWERS] = validate_responses
    app[ACCEPTANCES] = acceptances or Acceptances()
    app[PLUGINS] = plugins
    app[EVENTS] = EventBus()
    app[HEALTH] = HealthMonitor(plugins, settings.enabled_plugins, app[EVENTS])
    app[HOSTS_BY_PORT] = {}
    app[STARTED_AT] = time.monotonic()
    app[DELIVERIES] = Deliveries()
    app[DAEMON] = Daemon(app)
    # Every installed plugin's operations are routed, behind a gate that answers
    # plugin-disabled while it is off: the router cannot change once the daemon serves, and a
    # plugin may be switched on at run time. The document lists the enabled ones only.
    runtime = app[RUNTIME] = PluginRuntime(app)
    runtime.operations = collect_operations(settings, plugins, installed=True)
    app[OPERATIONS] = runtime.published()
    app[OPENAPI] = describe(app[OPERATIONS])
    for op in runtime.operations:
        runtime.route(op, make_handler(op, validate_responses))
    add_console_routes(app)
    runtime.route_prefixes()
    app.cleanup_ctx.extend(
        [
            _data_dir_lock,
            _client_store,
            _journal,
            _outbox,
            _journal_started,
            _outcomes,
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


def collect_operations(
    settings: Settings, plugins: Plugins, installed: bool = False
) -> list[Operation]:
    """The core's operations, then each enabled plugin's (``installed``: every installed
    plugin's, the daemon routes them all), checked for prefix and duplicates. Both come
    through the ``register_operations`` hook."""
    operations: list[Operation] = []
    for default in DEFAULT_PLUGINS:
        plugins.call_sync(default, "register_operations", register=operations.append, config=None)
    for config in settings.plugins.values() if installed else settings.enabled_plugins():
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
    ids: set[str] = set()
    for op in operations:
        if (op.method, op.path) in seen:
            raise PluginError(f"{op.method} {op.path} is registered twice")
        seen.add((op.method, op.path))
        if operation_id(op) in ids:
            raise PluginError(f"{op.method} {op.path}: operationId {operation_id(op)!r} is taken")
        ids.add(operation_id(op))
        try:
            check_description(op)
        except ValueError as exc:
            raise PluginError(str(exc)) from None
    return operations


async def _data_dir_lock(app: web.Application) -> AsyncIterator[None]:
    data_dir = app[SETTINGS].daemon.data_dir
    fd = datadir.lock(data_dir)
    fixed = datadir.make_private(data_dir)
    if fixed:
        log.warning(
            "data dir %s: group/other permissions removed from %s", data_dir, ", ".join(fixed)
        )
    yield
    datadir.unlock(fd)


@contextlib.contextmanager
def _starting(path: Path) -> Iterator[None]:
    """A database that cannot be opened or written at start-up is one line naming it."""
    try:
        yield
    except sqlite3.Error as exc:
        note = datadir.space_note(path)
        raise datadir.StartupError(f"{path}: cannot open or write: {exc}{note}") from None
    except OSError as exc:
        raise datadir.StartupError(f"{exc.filename or path}: {exc.strerror or exc}") from None


async def _journal(app: web.Application) -> AsyncIterator[None]:
    """Open the journal once it agrees with its checkpoints (or the admin accepted that it does
    not); at shutdown, journal the refusals counted and checkpoint the final head."""
    settings = app[SETTINGS]
    data_dir = settings.daemon.data_dir
    path = data_dir / datadir.JOURNAL_DB
    acceptances = app[ACCEPTANCES]
    try:
        credential = checkpoints.structure_credential(settings)
    except checkpoints.CredentialError as exc:
        raise datadir.StartupError(str(exc)) from None
    with _starting(path):
        findings = checkpoints.inspect(data_dir, checkpoints.verifier_for(data_dir, credential))
    if findings and not acceptances.new_journal:
        raise datadir.StartupError(
            f"{findings[0].line(data_dir)}; start with {datadir.ACCEPT_NEW_JOURNAL} to accept it"
        )
    acceptances.findings = findings
    with _starting(path):
        app[JOURNAL] = jr.Journal(data_dir, settings.journal.max_exchange_bytes)
    with _starting(data_dir / checkpoints.FILE):
        signer = checkpoints.signer_for(data_dir, credential)
        app[CHECKPOINTS] = checkpoints.Checkpoints(data_dir, signer)
    app[REJECTIONS] = Rejections(app[JOURNAL])
    yield
    app[REJECTIONS].flush()
    try:
        # Through the writer, after every queued row: what it returns is on disk, which the
        # closing fold of the write-ahead log (whose failure is not reported) need not be.
        await _checkpoint(app)
    except (OSError, sqlite3.Error) as exc:
        log.error("journal: the shutdown checkpoint could not be written: %s", exc)
    app[JOURNAL].close()


async def _journal_started(app: web.Application) -> AsyncIterator[None]:
    """Journal the start (and what the admin accepted), checkpoint it, then checkpoint the head
    every ``checkpoints.INTERVAL`` seconds while rows are added. Runs once every store is open,
    so a journal that recorded a start always has its outbox and client apps beside it."""
    path = app[SETTINGS].daemon.data_dir / datadir.JOURNAL_DB
    with _starting(path):
        accepted = await _journal_acceptances(app)
        await _journal_start(app)
        await _checkpoint(app, "accepted" if accepted else "head")

    async def loop() -> None:
        while True:
            await asyncio.sleep(checkpoints.INTERVAL)
            try:
                await _checkpoint(app)
            except Exception:
                log.exception("journal: checkpoint failed; next try in %g s", checkpoints.INTERVAL)

    task = asyncio.create_task(loop())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def _checkpoint(app: web.Application, kind: str = "head") -> None:
    journal, marks = app[JOURNAL], app[CHECKPOINTS]
    if kind == "head" and journal.head() == marks.last:
        return  # nothing added since the last checkpoint
    seq, hash_ = await journal.durable_head()
    if await asyncio.to_thread(marks.write, seq, hash_, kind) is not None:
        await journal.line_written(seq, hash_)


async def _journal_acceptances(app: web.Application) -> bool:
    """Journal each thing the admin accepted at start-up; whether the journal itself was one
    (its checkpoint then starts a new series)."""
    acceptances, journal = app[ACCEPTANCES], app[JOURNAL]
    for finding in acceptances.findings:
        previous = finding.previous
        await journal.record(
            jr.Entry(
                event="journal.accepted",
                outcome="accepted",
                summary=(
                    f"{finding.file}: {finding.cause}; accepted at start-up "
                    f"({datadir.ACCEPT_NEW_JOURNAL})"
                )[:500],
                request={
                    "file": finding.file,
                    "cause": finding.cause,
                    "option": datadir.ACCEPT_NEW_JOURNAL,
                    "previous_checkpoint": (
                        {"seq": previous.seq, "hash": previous.hash, "time": previous.time}
                        if previous
                        else None
                    ),
                },
            )
        )
    for refusal in acceptances.refusals:
        if refusal.flag == datadir.ACCEPT_NEW_JOURNAL and acceptances.findings:
            continue  # the same lost journal, journaled above with its checkpoint
        await journal.record(
            jr.Entry(
                event=refusal.event,
                outcome="accepted",
                summary=f"{refusal.cause}; accepted at start-up ({refusal.flag})"[:500],
                request={**refusal.details, "option": refusal.flag},
            )
        )
    return bool(acceptances.findings) or any(
        r.flag == datadir.ACCEPT_NEW_JOURNAL for r in acceptances.refusals
    )


async def _journal_start(app: web.Application) -> None:
    """Journal the start, and a config change since the previous start (by content hash)."""
    settings = app[SETTINGS]
    source = settings.source
    digest = hashlib.sha256(source.read_bytes()).hexdigest() if source else "defaults"
    journal = app[JOURNAL]
    previous = _last_config_digest(journal)
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


def _last_config_digest(journal: jr.Journal) -> str | None:
    """The config file's hash as the journal last knew it: at the previous start, or after a
    service was switched on or off since (``PUT /v1/plugins/{name}`` journals its change)."""
    last = None
    for event, key in (("daemon.started", "config_sha256"), ("config.changed", "after_sha256")):
        row = next(jr.select(journal.reader, jr.JournalFilter(event=event, limit=1)), None)
        if row is not None and (last is None or row["seq"] > last[0]):
            last = (row["seq"], json.loads(row["request"] or "{}").get(key))
    return last[1] if last else None


async def _outbox(app: web.Application) -> AsyncIterator[None]:
    data_dir = app[SETTINGS].daemon.data_dir
    with _starting(data_dir / datadir.OUTBOX_DB):
        app[OUTBOX] = ob.Outbox(data_dir)
        # We hold the data dir's lock: whatever is still "sending" was cut off by a crash.
        interrupted = await app[OUTBOX].write(ob.recover_interrupted, time.time())
    if interrupted:
        log.warning(
            "outbox: %d send(s) interrupted by the last stop are queued again", len(interrupted)
        )
    yield
    app[OUTBOX].close()


async def _deliveries(app: web.Application) -> AsyncIterator[None]:
    app[RUNTIME].start_deliveries()
    yield
    app[RUNTIME].delivering = False
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
    data_dir = app[SETTINGS].daemon.data_dir
    with _starting(data_dir / datadir.CLIENTS_DB):
        app[CLIENTS] = ClientStore(data_dir)
    yield
    app[CLIENTS].close()


async def _plugin_lifecycle(app: web.Application) -> AsyncIterator[None]:
    """Start each enabled plugin's simulator (when its endpoint is "simulator"), then the plugin.
    Whatever started is stopped in reverse order, even when a later start fails."""
    runtime = app[RUNTIME]
    try:
        for config in app[SETTINGS].enabled_plugins():
            await runtime.start(config)
        yield
    finally:
        await runtime.stop_all()


async def _outcomes(app: web.Application) -> AsyncIterator[None]:
    """Each plugin's last success and failure, folded from the journal as rows come."""
    outcomes = app[OUTCOMES] = Outcomes(app[SETTINGS].daemon.data_dir, app[PLUGINS].infos)
    path = app[SETTINGS].daemon.data_dir / datadir.JOURNAL_DB
    with _starting(path):
        outcomes.open(app[JOURNAL].reader)
    # The first start with a journal and no saved state walks it back, in the background.
    walk = asyncio.create_task(outcomes.walk_back(app[JOURNAL].reader))
    yield
    walk.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await walk
    outcomes.refresh(app[JOURNAL].reader)
    if outcomes.walk_from is None:  # an unfinished walk is made again next start
        outcomes.save()


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
