"""The ``aiguillage`` command. Every command takes ``--config`` and ``--data-dir`` so it acts on
the same state as the daemon it administers."""

from __future__ import annotations

import errno
import functools
import os
import socket
import ssl
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from aiohttp import web

from aiguillage import __version__
from aiguillage.app import create_app
from aiguillage.clients import ClientError, ClientStore
from aiguillage.config import ConfigError, Settings, config_path, load_settings
from aiguillage.doctor import run_checks
from aiguillage.logs import AccessLogger, configure_logging
from aiguillage.plugin_manager import PluginError, Plugins, load_plugins

TOKEN_FILE = "token"
DEFAULT_APP = "default"


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


@click.group()
@click.version_option(__version__, prog_name="aiguillage")
def main() -> None:
    """Aiguillage: one localhost API in front of the French national e-health services."""


@main.command()
@state_options
@click.option("--port", type=click.IntRange(0, 65535), help="TCP port (0: any free port)")
def serve(config_file: str | None, data_dir: str | None, port: int | None) -> None:
    """Run the daemon."""
    plugins, settings = load(config_file, data_dir)
    if port is not None:
        settings.daemon.port = port
    configure_logging(settings.daemon.log_level)
    token_note = ensure_default_app(settings, plugins)
    sock = bind_socket(settings.daemon.bind, settings.daemon.port)
    settings.daemon.port = sock.getsockname()[1]
    try:
        app = create_app(settings, plugins)
    except PluginError as exc:
        fail(str(exc))
    scheme = "https" if settings.daemon.tls_cert else "http"
    host = f"[{settings.daemon.bind}]" if ":" in settings.daemon.bind else settings.daemon.bind
    line = f"aiguillage {__version__} listening on {scheme}://{host}:{settings.daemon.port}"

    async def announce(app: web.Application) -> None:
        # Printed once simulators and plugins are up, so a script that waits for it can call.
        click.echo(f"{line}; {token_note}", err=False)
        sys.stdout.flush()

    app.on_startup.append(announce)
    web.run_app(
        app, sock=sock, print=None, access_log_class=AccessLogger, ssl_context=tls_context(settings)
    )


def ensure_default_app(settings: Settings, plugins: Plugins) -> str:
    """On first run, create the ``default`` app and write its token, readable by this user only."""
    store = ClientStore(settings.daemon.data_dir)
    token_path = settings.daemon.data_dir / TOKEN_FILE
    try:
        if not store.list():
            _, token = store.add(DEFAULT_APP, ["*"], known_scopes=set(plugins.infos))
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
    help="a plugin name the app may use, or * for all (repeatable)",
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
    store = ClientStore(settings.daemon.data_dir)
    try:
        _, token = store.add(name, list(scopes), list(origins), known_scopes=set(plugins.infos))
    except ClientError as exc:
        fail(str(exc))
    finally:
        store.close()
    click.echo(token)
    click.echo(f"app {name!r} created; store this token now, it is not shown again", err=True)


@apps.command("list")
@state_options
def apps_list(config_file: str | None, data_dir: str | None) -> None:
    """List apps with their scopes and origins."""
    _, settings = load(config_file, data_dir)
    store = ClientStore(settings.daemon.data_dir)
    for app in store.list():
        state = "revoked" if app.revoked_at else "active"
        click.echo(
            f"{app.name}\t{state}\tscopes={','.join(app.scopes)}\t"
            f"origins={','.join(app.origins) or '-'}"
        )
    store.close()


@apps.command("revoke")
@state_options
@click.argument("name")
def apps_revoke(config_file: str | None, data_dir: str | None, name: str) -> None:
    """Revoke an app's token at once (the running daemon refuses it from the next request)."""
    _, settings = load(config_file, data_dir)
    store = ClientStore(settings.daemon.data_dir)
    revoked = store.revoke(name)
    store.close()
    if not revoked:
        fail(f"no active app named {name!r}", code=1)
    click.echo(f"app {name!r} revoked")


@main.command("plugins")
@state_options
def plugins_command(config_file: str | None, data_dir: str | None) -> None:
    """List installed plugins and whether the config enables them."""
    plugins, settings = load(config_file, data_dir)
    for name, info in plugins.infos.items():
        config = settings.plugins[name]
        state = "enabled" if config.enabled else "disabled"
        click.echo(f"{name}\t{info.version}\t{state}\t{config.endpoint}\t{info.title}")


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
