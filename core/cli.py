"""The ``aiguillage`` command. Every command takes ``--config`` and ``--data-dir`` so it acts on
the same state as the daemon it administers."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import gc
import getpass
import inspect
import json
import os
import socket
import sqlite3
import ssl
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
from aiohttp import web
from cryptography import x509

from aiguillage import __version__, apidocs, checkpoints, datadir
from aiguillage import journal as jr
from aiguillage import outbox as ob
from aiguillage.app import Acceptances, collect_operations, create_app
from aiguillage.clients import ClientError, ClientStore
from aiguillage.config import ConfigError, Settings, config_path, load_settings
from aiguillage.conformance.command import conformance_group
from aiguillage.doctor import run_checks
from aiguillage.journal_api import JOURNAL_SCOPE
from aiguillage.logs import AccessLogger, configure_logging
from aiguillage.outbox_api import item_json, why
from aiguillage.plugin_manager import PluginError, Plugins, load_plugins
from aiguillage.plugin_runtime import describe, plugin_data_dir
from aiguillage.problems import Problem
from aiguillage.security.testpki import make_test_pki
from aiguillage.times import iso, parse_time

TOKEN_FILE = datadir.TOKEN
DEFAULT_APP = "default"
#: ``journal verify``'s exit status when a signature cannot be checked here (its key or
#: certificate is not at hand): not evidence of tampering, not a clean bill either.
NOT_VERIFIED = 3


def fail(message: str, code: int = 2) -> None:
    click.echo(f"aiguillage: {message}", err=True)
    sys.exit(code)


def state_options(command: Callable[..., Any]) -> Callable[..., Any]:
    @click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False),
        help="config file (default: $AIGUILLAGE_CONFIG, then config/aiguillage.toml)",
    )
    @click.option(
        "--data-dir",
        type=click.Path(file_okay=False),
        help="data directory (overrides [daemon] data_dir)",
    )
    @functools.wraps(command)
    def wrapper(config_file: str | None, data_dir: str | None, **kwargs: Any) -> Any:
        return command(config_file=config_file, data_dir=data_dir, **kwargs)

    return wrapper


def load(config_file: str | None, data_dir: str | None) -> tuple[Plugins, Settings]:
    try:
        plugins = load_plugins()
        settings = load_settings(config_path(config_file), plugins.infos)
    except (ConfigError, PluginError) as exc:
        fail(str(exc))
    if data_dir:
        settings.daemon.data_dir = Path(data_dir).expanduser().resolve()
    return plugins, settings


def with_config(plugin: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """What ``register_commands`` hands plugin ``plugin`` as ``with_config``: a decorator giving
    a command the ``--config`` and ``--data-dir`` options and, instead of them, the plugin's
    ``config`` — its validated table, with ``data_dir`` made, as the daemon would have it."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def run(config_file: str | None, data_dir: str | None, **kwargs: Any) -> Any:
            _, settings = load(config_file, data_dir)
            config = settings.plugins[plugin]
            try:
                config.data_dir = plugin_data_dir(settings, plugin)
            except OSError as exc:
                fail(f"{exc.filename or settings.daemon.data_dir}: {exc.strerror or exc}")
            return command(config=config, **kwargs)

        return state_options(run)

    return decorate


def plugin_commands(taken: set[str]) -> dict[str, click.Command]:
    """The commands installed plugins add through ``register_commands``, by name. A plugin whose
    hook fails, or that names a command like one already there, is told in one line on stderr
    and left out; the other commands are unaffected."""
    try:
        plugins = load_plugins()
    except PluginError as exc:
        click.echo(f"aiguillage: plugin commands left out: {exc}", err=True)
        return {}
    found: dict[str, click.Command] = {}
    for name in plugins.infos:
        # A group of its own per plugin: a hook that fails half way adds nothing, and one plugin
        # cannot replace a command of the core or of another plugin.
        group = click.Group(name)
        try:
            result = plugins.call_sync(
                name, "register_commands", cli=group, with_config=with_config(name)
            )
            if inspect.isawaitable(result):
                if inspect.iscoroutine(result):
                    result.close()
                raise PluginError("register_commands must not be async")
        except Exception as exc:  # a third-party plugin's bug must not take the CLI down
            click.echo(f"aiguillage: plugin {name!r}: commands not registered: {exc}", err=True)
            continue
        for command_name, command in group.commands.items():
            if command_name in taken or command_name in found:
                click.echo(
                    f"aiguillage: plugin {name!r}: command {command_name!r} already exists; "
                    "left out",
                    err=True,
                )
                continue
            found[command_name] = command
    return found


class Main(click.Group):
    """The ``aiguillage`` group: the core's commands, and the plugins' (``register_commands``),
    loaded only when a command the core lacks is asked for, or the commands are listed — so a
    plugin can never break or slow the core's own commands."""

    _plugins: dict[str, click.Command] | None = None

    def plugin_commands(self) -> dict[str, click.Command]:
        if self._plugins is None:
            self._plugins = plugin_commands(set(self.commands))
        return self._plugins

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return super().get_command(ctx, cmd_name) or self.plugin_commands().get(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.plugin_commands()})


@click.group(cls=Main)
@click.version_option(__version__, prog_name="aiguillage")
def main() -> None:
    """Aiguillage: one localhost API in front of the French national e-health services."""


@main.command()
@state_options
@click.option("--port", type=click.IntRange(0, 65535), help="TCP port (0: any free port)")
@click.option(
    datadir.ACCEPT_NEW_JOURNAL,
    "accept_new_journal",
    is_flag=True,
    help="start although journal.db is missing or older than its last checkpoint "
    "(the acceptance is journaled and checkpointed)",
)
@click.option(
    datadir.ACCEPT_MISSING_STORE,
    "accept_missing_store",
    is_flag=True,
    help="start although outbox.db or clients.db is missing beside the journal "
    "(created empty; the acceptance is journaled)",
)
def serve(
    config_file: str | None,
    data_dir: str | None,
    port: int | None,
    accept_new_journal: bool,
    accept_missing_store: bool,
) -> None:
    """Run the daemon."""
    plugins, settings = load(config_file, data_dir)
    if port is not None:
        settings.daemon.port = port
    configure_logging(settings.daemon.log_level)
    # Whatever the daemon creates (databases and their -wal/-shm files, plugin folders, keys)
    # is for its user alone.
    os.umask(0o077)
    accepted = {datadir.ACCEPT_NEW_JOURNAL: accept_new_journal}
    accepted[datadir.ACCEPT_MISSING_STORE] = accept_missing_store
    refusals = preflight(settings.daemon.data_dir, accepted)
    token_note = ensure_default_app(settings, plugins)
    sock = bind_socket(settings.daemon.bind, settings.daemon.port)
    settings.daemon.port = sock.getsockname()[1]
    try:
        app = create_app(
            settings,
            plugins,
            acceptances=Acceptances(new_journal=accept_new_journal, refusals=refusals),
        )
    except PluginError as exc:
        fail(str(exc))
    scheme = "https" if settings.daemon.tls_cert else "http"
    host = f"[{settings.daemon.bind}]" if ":" in settings.daemon.bind else settings.daemon.bind
    line = f"aiguillage {__version__} listening on {scheme}://{host}:{settings.daemon.port}"

    async def announce(app: web.Application) -> None:
        # What start-up built (schemas, WSDL models, keys) lives as long as the daemon: out of
        # the garbage collector's sight, so its full passes stay short and so do latency tails.
        gc.freeze()
        # Printed once simulators and plugins are up, so a script that waits for it can call.
        click.echo(f"{line}; {token_note}", err=False)
        sys.stdout.flush()

    app.on_startup.append(announce)
    with startup_failures(settings.daemon.data_dir):
        web.run_app(
            app,
            sock=sock,
            print=None,
            access_log_class=AccessLogger,
            ssl_context=tls_context(settings),
        )


@main.command("openapi")
@state_options
def openapi_command(config_file: str | None, data_dir: str | None) -> None:
    """Print the OpenAPI document of the enabled operations (what GET /v1/openapi.json serves,
    with the port as a variable)."""
    plugins, settings = load(config_file, data_dir)
    try:
        document = describe(collect_operations(settings, plugins))
    except PluginError as exc:
        fail(str(exc))
    click.echo(json.dumps(document, ensure_ascii=False, indent=2))


@main.command("docs")
@state_options
@click.option("--check", is_flag=True, help="change nothing; exit 1 if a file is out of date")
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=".",
    help="the project checkout holding docs/ and plugins/",
)
def docs_command(config_file: str | None, data_dir: str | None, check: bool, root: Path) -> None:
    """Write each operation's reference into docs/api.md and the plugins' READMEs, from the
    descriptions the OpenAPI document is built from."""
    plugins, settings = load(config_file, data_dir)
    try:
        found = apidocs.pages(root, collect_operations(settings, plugins))
    except (PluginError, apidocs.MissingBlock, OSError) as exc:
        fail(str(exc))
    stale = [page for page in found if page.stale]
    for page in stale:
        if check:
            click.echo(f"out of date: {page.path} (run: aiguillage docs)")
        else:
            page.path.write_text(page.updated, encoding="utf-8")
            click.echo(f"updated {page.path}")
    if check and stale:
        sys.exit(1)
    if not stale:
        click.echo(f"{len(found)} files up to date")


@contextlib.contextmanager
def startup_failures(data_dir: Path) -> Iterator[None]:
    """A start-up that cannot go on: one line naming the file and the cause, exit 2."""
    try:
        yield
    except datadir.DataDirBusy as exc:
        fail(f"{exc}; stop it first, or use another --data-dir")
    except datadir.StartupError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{exc.filename or data_dir}: {exc.strerror or exc}")


def preflight(data_dir: Path, accepted: dict[str, bool]) -> list[datadir.Refusal]:
    """Check the data dir before anything is written to it: writable, every database
    readable, no store gone missing unless ``accepted`` says so. Exits 2 with one line
    otherwise; returns the refusals that were accepted. (Permissions are fixed once, by the
    application, when it takes the data dir's lock.)"""
    with startup_failures(data_dir):
        fd = datadir.lock(data_dir)
        try:
            datadir.check_databases(data_dir)
            refusals = datadir.missing_stores(data_dir)
        finally:
            # The application takes the lock again for its lifetime.
            datadir.unlock(fd)
    for refusal in refusals:
        if not accepted.get(refusal.flag):
            fail(refusal.line())
    return refusals


def known_scopes(plugins: Plugins) -> set[str]:
    """Scopes a client app can hold: one per plugin, and ``journal`` to read the journal."""
    return {*plugins.infos, JOURNAL_SCOPE}


def ensure_default_app(settings: Settings, plugins: Plugins) -> str:
    """On first run, create the ``default`` app and write its token, readable by this user only."""
    try:
        return _ensure_default_app(settings, plugins)
    except sqlite3.Error as exc:
        path = settings.daemon.data_dir / datadir.CLIENTS_DB
        fail(f"{path}: cannot open or write: {exc}{datadir.space_note(path)}")
    except OSError as exc:
        fail(f"{exc.filename or settings.daemon.data_dir}: {exc.strerror or exc}")
    raise AssertionError("unreachable")


def _ensure_default_app(settings: Settings, plugins: Plugins) -> str:
    store = ClientStore(settings.daemon.data_dir)
    token_path = settings.daemon.data_dir / TOKEN_FILE
    try:
        if not store.list():
            _, token = store.add(DEFAULT_APP, ["*"], known_scopes=known_scopes(plugins))
            fd = os.open(token_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                os.fchmod(f.fileno(), 0o600)
                f.write(token + "\n")
            return f"created app 'default', its token is in {token_path}"
    finally:
        store.close()
    if token_path.exists():
        return f"token of app 'default' in {token_path}"
    return "client apps: see 'aiguillage apps list'"


def bind_socket(bind: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((bind, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            fail(
                f"port {port} on {bind} is already in use (is the daemon already running? "
                f"try 'aiguillage doctor', or --port)"
            )
        fail(f"cannot listen on {bind}:{port}: {exc.strerror}")
    sock.listen(128)
    return sock


def tls_context(settings: Settings) -> ssl.SSLContext | None:
    if not settings.daemon.tls_cert:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    try:
        context.load_cert_chain(settings.daemon.tls_cert, settings.daemon.tls_key)
    except (OSError, ssl.SSLError) as exc:
        fail(f"[daemon] tls_cert/tls_key: cannot load: {exc}")
    return context


main.add_command(conformance_group)


@main.group()
def apps() -> None:
    """Client applications (EHRs) and their tokens."""


@apps.command("add")
@state_options
@click.argument("name")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    help="a plugin name the app may use, 'journal' to read the journal, * for all of them, or "
    "'admin' for the practice admin: everything, and switching services on or off (repeatable)",
)
@click.option(
    "--origin",
    "origins",
    multiple=True,
    help="browser origin allowed to call, e.g. http://localhost:3000 (repeatable)",
)
def apps_add(
    config_file: str | None,
    data_dir: str | None,
    name: str,
    scopes: tuple[str, ...],
    origins: tuple[str, ...],
) -> None:
    """Create an app and print its token (shown only this once)."""
    plugins, settings = load(config_file, data_dir)
    missing = datadir.missing_store(settings.daemon.data_dir, datadir.CLIENTS_DB)
    if missing is not None:  # an empty store made here would hide the loss from the daemon
        fail(f"{missing.path}: {missing.cause}; start the daemon with {missing.flag} first", code=1)
    store = ClientStore(settings.daemon.data_dir)
    try:
        _, token = store.add(name, list(scopes), list(origins), known_scopes=known_scopes(plugins))
    except ClientError as exc:
        fail(str(exc))
    finally:
        store.close()
    click.echo(token)
    click.echo(f"app {name!r} created; store this token now, it is not shown again", err=True)


@apps.command("list")
@state_options
def apps_list(config_file: str | None, data_dir: str | None) -> None:
    """List apps: state (active, revoked, expired), scopes, origins, a console session's expiry."""
    _, settings = load(config_file, data_dir)
    store = _client_store(settings.daemon.data_dir)
    now = time.time()
    for app in store.list():
        state = "revoked" if app.revoked_at else "expired" if app.expired(now) else "active"
        # Only console sessions expire: the column is there for them alone.
        until = (
            f"\texpires={time.strftime('%Y-%m-%d %H:%M', time.localtime(app.expires_at))}"
            if app.expires_at is not None
            else ""
        )
        click.echo(
            f"{app.name}\t{state}\tscopes={','.join(app.scopes)}\t"
            f"origins={','.join(app.origins) or '-'}{until}"
        )
    store.close()


@apps.command("revoke")
@state_options
@click.argument("name")
def apps_revoke(config_file: str | None, data_dir: str | None, name: str) -> None:
    """Revoke an app's token at once (the running daemon refuses it from the next request)."""
    _, settings = load(config_file, data_dir)
    store = _client_store(settings.daemon.data_dir)
    revoked = store.revoke(name)
    store.close()
    if not revoked:
        fail(f"no active app named {name!r}", code=1)
    click.echo(f"app {name!r} revoked")


def _client_store(data_dir: Path) -> ClientStore:
    if not (data_dir / datadir.CLIENTS_DB).exists():  # not created here: see _outbox_db
        fail(f"no clients store in {data_dir}", code=1)
    return ClientStore(data_dir)


@main.command("plugins")
@state_options
def plugins_command(config_file: str | None, data_dir: str | None) -> None:
    """List installed plugins and whether the config enables them."""
    plugins, settings = load(config_file, data_dir)
    for name, info in plugins.infos.items():
        config = settings.plugins[name]
        state = "enabled" if config.enabled else "disabled"
        click.echo(f"{name}\t{info.version}\t{state}\t{config.endpoint}\t{info.title}")


@main.command("console")
@state_options
@click.option(
    "--port", type=click.IntRange(1, 65535), help="the daemon's port, if not the config's"
)
def console_command(config_file: str | None, data_dir: str | None, port: int | None) -> None:
    """Print the console's address with a one-time login code (5 minutes, single use)."""
    from aiguillage.console import codes

    _, settings = load(config_file, data_dir)
    daemon = settings.daemon
    try:
        code = codes.issue(daemon.data_dir)
    except (OSError, sqlite3.Error) as exc:
        fail(f"{daemon.data_dir / codes.DB}: cannot write the login code: {exc}")
    scheme = "https" if daemon.tls_cert else "http"
    # A daemon listening on every address answers on the loopback one too.
    bind = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(daemon.bind, daemon.bind)
    host = f"[{bind}]" if ":" in bind else bind
    click.echo(f"{scheme}://{host}:{port or daemon.port}/console/#code={code}")
    minutes = int(codes.CODE_TTL_SECONDS // 60)
    click.echo(
        f"open this address in a browser on this machine within {minutes} minutes; "
        "the code works once",
        err=True,
    )


@main.group("config")
def config_group() -> None:
    """The config file."""


@config_group.command("check")
@state_options
def config_check(config_file: str | None, data_dir: str | None) -> None:
    """Validate the config file; exit 2 with one line naming the key if it is wrong."""
    _, settings = load(config_file, data_dir)
    enabled = ", ".join(p.name for p in settings.enabled_plugins()) or "none"
    click.echo(f"config OK: {settings.source or 'built-in defaults'} (enabled: {enabled})")


@main.command()
@state_options
def doctor(config_file: str | None, data_dir: str | None) -> None:
    """Check config, data dir, port, clock and certificates; exit 1 if anything fails."""
    plugins, settings = load(config_file, data_dir)
    failed = False
    for check in run_checks(settings, plugins):
        failed |= check.outcome == "fail"
        click.echo(f"{check.outcome.upper():5} {check.name}: {check.detail}")
    sys.exit(1 if failed else 0)


@main.group("outbox")
def outbox_group() -> None:
    """Sends waiting, delivered, failed or dead."""


def _outbox_db(data_dir: Path) -> Any:
    path = data_dir / datadir.OUTBOX_DB
    if not path.exists():  # not created here: a daemon would take it for a lost outbox
        fail(f"no outbox in {data_dir}", code=1)
    return ob.open_database(path)


def _in_transaction(conn: Any, fn: Callable[..., Any], *args: Any) -> Any:
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = fn(conn, *args)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return result


@outbox_group.command("list")
@state_options
@click.option("--state", type=click.Choice(ob.STATES))
@click.option("--plugin")
@click.option("--patient", help="patient INS")
@click.option("--limit", type=click.IntRange(1, 10000), default=50, show_default=True)
def outbox_list(
    config_file: str | None,
    data_dir: str | None,
    state: str | None,
    plugin: str | None,
    patient: str | None,
    limit: int,
) -> None:
    """List items, newest first."""
    _, settings = load(config_file, data_dir)
    conn = _outbox_db(settings.daemon.data_dir)
    f = ob.ItemFilter(
        state=state, plugins=[plugin] if plugin else None, patient=patient, limit=limit
    )
    for item in ob.select(conn, f):
        error = ""
        if item.last_error and item.state != "sent":
            error = f"\t{item.last_error['code']}: {item.last_error['message']}"
        click.echo(
            f"{item.id}\t{item.state}\t{item.plugin}\t{item.kind}\t{item.external_id}\t"
            f"attempts={item.attempts}\t{iso(item.created_at)}{error}"
        )


@outbox_group.command("show")
@state_options
@click.argument("item_id", type=int)
def outbox_show(config_file: str | None, data_dir: str | None, item_id: int) -> None:
    """One item with why it is in its state and its attempt history."""
    _, settings = load(config_file, data_dir)
    conn = _outbox_db(settings.daemon.data_dir)
    try:
        item = ob.get(conn, item_id)
    except ob.NotFound:
        fail(f"no outbox item {item_id}", code=1)
    history = ob.history(conn, item_id)
    for key, value in item_json(item).items():
        click.echo(f"{key}: {value}")
    click.echo(f"why: {why(item, history, None)}")
    for h in history:
        error = f" {h['error']['code']}: {h['error']['message']}" if h["error"] else ""
        took = f" ({h['duration_ms']} ms)" if h["duration_ms"] is not None else ""
        actor = f" by {h['actor']}" if h["actor"] else ""
        click.echo(f"  {iso(h['at'])} {h['action']} -> {h['outcome']}{took}{actor}{error}")


@outbox_group.command("retry")
@state_options
@click.argument("item_id", type=int)
def outbox_retry(config_file: str | None, data_dir: str | None, item_id: int) -> None:
    """Queue a failed or dead item again (a running daemon picks it up within a second)."""
    _outbox_transition(config_file, data_dir, ob.retry, item_id)


@outbox_group.command("cancel")
@state_options
@click.argument("item_id", type=int)
def outbox_cancel(config_file: str | None, data_dir: str | None, item_id: int) -> None:
    """Cancel a queued or failed item."""
    _outbox_transition(config_file, data_dir, ob.cancel, item_id)


def _outbox_transition(
    config_file: str | None, data_dir: str | None, fn: Callable[..., ob.Item], item_id: int
) -> None:
    _, settings = load(config_file, data_dir)
    conn = _outbox_db(settings.daemon.data_dir)
    try:
        item = _in_transaction(conn, fn, item_id, f"cli:{getpass.getuser()}", time.time())
    except ob.NotFound:
        fail(f"no outbox item {item_id}", code=1)
    except ob.OutboxConflict as exc:
        fail(str(exc), code=1)
    click.echo(f"item {item.id} is now {item.state}")


@main.group("journal")
def journal_group() -> None:
    """The hash-chained journal of exchanges and identity actions."""


@journal_group.command("verify")
@state_options
@click.option(
    "--certificate",
    "certificates",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True),
    help="a PEM certificate that signed earlier checkpoints (a previous structure "
    "certificate; repeatable)",
)
def journal_verify(
    config_file: str | None, data_dir: str | None, certificates: tuple[str, ...]
) -> None:
    """Check the hash chain, then the rows against the checkpoints kept outside the journal;
    exit 1 naming the first mismatch, 3 if a signature cannot be checked here."""
    _, settings = load(config_file, data_dir)
    folder = settings.daemon.data_dir
    path = folder / datadir.JOURNAL_DB
    contents = checkpoints.read(folder / checkpoints.FILE)
    if not path.exists():
        last = contents.current()[-1] if contents.current() else None
        if last is not None:
            fail(f"journal BROKEN: {path} is missing, but {last.where()} records it", code=1)
        fail(f"no journal in {folder}", code=1)
    conn = jr.open_database(path)
    extra = []
    for name in certificates:
        try:
            extra += x509.load_pem_x509_certificates(Path(name).read_bytes())
        except ValueError:
            fail(f"--certificate {name}: not a PEM certificate")
    try:
        credential = checkpoints.structure_credential(settings)
    except checkpoints.CredentialError as exc:
        click.echo(f"aiguillage: warning: {exc}", err=True)
        credential = None
    verifier = checkpoints.verifier_for(folder, credential, extra)
    # The same check as GET /v1/journal/verify's walk of the whole journal.
    checked = checkpoints.verify_journal(conn, folder, verifier)
    result, report = checked.chain, checked.report
    if report is None:
        fail(f"journal BROKEN at row {result.broken_at}: {result.reason}", code=1)
    if report.problems:
        fail(f"journal BROKEN: {report.problems[0]}", code=1)
    if report.unverifiable:
        fail(f"journal NOT VERIFIED: {report.unverifiable[0]}", code=NOT_VERIFIED)
    if report.last is None:
        note = f"no checkpoints yet ({checkpoints.FILE})"
    else:
        note = (
            f"{report.checked} checkpoints match (the last: row {report.last.seq}, "
            f"{report.last.time})"
        )
        if report.superseded:
            note += f"; {report.superseded} of a journal replaced earlier, signatures checked"
    click.echo(f"journal OK: {result.rows} rows, chain intact; {note}")


@journal_group.command("export")
@state_options
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), required=True)
@click.option("--from", "since", help="rows at or after (YYYY-MM-DD or ISO date and time)")
@click.option("--to", "until", help="rows before")
@click.option("--event", help="an event type or prefix, e.g. ins")
@click.option("--patient", help="an INS, or the start of a patient's names (birth name first)")
@click.option("--outcome")
def journal_export(
    config_file: str | None,
    data_dir: str | None,
    fmt: str,
    output: str,
    since: str | None,
    until: str | None,
    event: str | None,
    patient: str | None,
    outcome: str | None,
) -> None:
    """Export journal rows, oldest first."""
    _, settings = load(config_file, data_dir)
    try:
        start, end = parse_time("--from", since), parse_time("--to", until)
    except Problem as problem:
        fail(problem.detail)
    f = jr.JournalFilter(
        since=jr.iso(start) if start is not None else None,
        until=jr.iso(end) if end is not None else None,
        event=event,
        patient=patient,
        outcome=outcome,
        limit=None,
        ascending=True,
    )
    path = settings.daemon.data_dir / datadir.JOURNAL_DB
    if not path.exists():  # not created here: a daemon would take it for a lost journal
        fail(f"no journal in {settings.daemon.data_dir}", code=1)
    conn = jr.open_database(path)
    written = 0

    def rows() -> Iterator[dict[str, Any]]:
        nonlocal written
        for row in jr.select(conn, f):
            written += 1
            yield row

    if fmt == "xlsx":
        Path(output).write_bytes(jr.export_xlsx(rows()))
    else:  # written as it is read: years of rows never sit whole in memory
        with open(output, "wb") as out:
            for chunk in jr.csv_chunks(rows()):
                out.write(chunk)
    click.echo(f"{written} rows written to {output}")


@main.group("certs")
def certs_group() -> None:
    """Certificates."""


@certs_group.command("make-test")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option(
    "--password-file",
    type=click.Path(dir_okay=False, exists=True),
    help="password of the .p12 files (default: a random one, in password.txt)",
)
def certs_make_test(directory: str, password_file: str | None) -> None:
    """Make a private test PKI shaped like the IGC-Santé test chain in DIRECTORY."""
    password = Path(password_file).read_text().strip() if password_file else None
    pki = make_test_pki(Path(directory), password)
    click.echo(f"test PKI written to {pki.directory}:")
    for name in sorted(p.name for p in pki.directory.iterdir()):
        click.echo(f"  {name}")
    click.echo("trust ca-bundle.pem on the peers; the .p12 password is in password.txt")


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@state_options
@click.argument("names", nargs=-1)
@click.pass_context
def simulate(
    ctx: click.Context, config_file: str | None, data_dir: str | None, names: tuple[str, ...]
) -> None:
    """Run the simulators of the named plugins (default: every plugin that has one) until
    interrupted. Options after a plugin's name go to its simulator, which answers them and
    exits (``aiguillage simulate apcv --qr NESSI`` prints a QR payload)."""
    # Unknown options land among the names: the plugins named before the first of them.
    first = next((i for i, n in enumerate(names) if n.startswith("-")), len(names))
    names, extra = names[:first], [*names[first:], *ctx.args]
    plugins, settings = load(config_file, data_dir)
    unknown = [n for n in names if n not in settings.plugins]
    if unknown:
        fail(f"no plugin named {unknown[0]!r}")
    configs = [settings.plugins[n] for n in names] if names else list(settings.plugins.values())
    if extra:
        _simulator_command(plugins, settings, names, extra)
        return

    async def run() -> None:
        started = []
        try:
            for config in configs:
                config.data_dir = plugin_data_dir(settings, config.name)
                sim = await plugins.call(config.name, "simulator", config=config)
                if sim is None:
                    click.echo(f"{config.name}: no simulator yet")
                    continue
                url = await sim.start("127.0.0.1")
                started.append(sim)
                click.echo(f"{config.name}: simulator listening on {url}")
                for key, also in sorted(config.state.items()):
                    if key.endswith("_endpoint"):  # a second protocol's server (IMAP beside SMTP)
                        click.echo(f"{config.name}: {key.removesuffix('_endpoint')} on {also}")
            sys.stdout.flush()
            await asyncio.Event().wait()
        finally:
            for sim in reversed(started):
                await sim.stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())


def _simulator_command(
    plugins: Plugins, settings: Settings, names: tuple[str, ...], args: list[str]
) -> None:
    """Hand ``args`` to one plugin's simulator (its optional ``command`` method) and print
    what it answers."""
    if len(names) != 1:
        fail(f"options {' '.join(args)!r} go to one plugin's simulator: name exactly one plugin")
    config = settings.plugins[names[0]]
    config.data_dir = plugin_data_dir(settings, config.name)
    sim = plugins.call_sync(config.name, "simulator", config=config)
    command = getattr(sim, "command", None)
    if command is None:
        fail(f"the {config.name} simulator takes no options (given: {' '.join(args)})")
    try:
        click.echo(command(args))
    except ValueError as exc:
        fail(f"{config.name} simulator: {exc}")
