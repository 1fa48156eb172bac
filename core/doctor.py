"""``aiguillage doctor``: the checks a practice admin runs when something is off."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import socket
import stat
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from aiguillage import checkpoints
from aiguillage.certificates import EXPIRY_WARNING_DAYS, CertificateError, read_certificate
from aiguillage.config import Settings
from aiguillage.plugin_manager import Plugins
from aiguillage.problems import TYPE_PREFIX

#: A clock before this date is certainly wrong (the release is younger), and TLS and signed
#: assertions would fail in confusing ways.
CLOCK_FLOOR = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
CLOCK_CEILING = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


@dataclass
class Check:
    outcome: Literal["ok", "warn", "fail", "info"]
    name: str
    detail: str


def run_checks(settings: Settings, plugins: Plugins) -> Iterator[Check]:
    yield Check("ok", "config", str(settings.source or "built-in defaults"))
    yield check_data_dir(settings)
    yield check_checkpoints(settings)
    yield check_port(settings)
    yield check_clock()
    for config in settings.enabled_plugins():
        for key in plugins.infos[config.name].config:
            if key.type == "certificate":
                yield check_certificate(config.name, key.name, config.options, key.password_key)


def check_data_dir(settings: Settings) -> Check:
    path = settings.daemon.data_dir
    if not path.exists():
        parent = next((p for p in path.parents if p.exists()), None)
        if parent is not None and os.access(parent, os.W_OK):
            return Check("ok", "data dir", f"{path} will be created (mode 700) at first start")
        return Check("fail", "data dir", f"{path} does not exist and cannot be created")
    if not os.access(path, os.W_OK | os.X_OK):
        return Check("fail", "data dir", f"{path} is not writable by this user")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        return Check(
            "warn",
            "data dir",
            f"{path} is readable by others (mode {mode:o}): run chmod 700 {path}",
        )
    return Check("ok", "data dir", f"{path} writable and private")


def check_checkpoints(settings: Settings) -> Check:
    """The journal's last checkpoint and what signed it (``journal verify`` checks them)."""
    contents = checkpoints.read(settings.daemon.data_dir / checkpoints.FILE)
    last = contents.last()
    if last is None:
        return Check("info", "journal checkpoints", f"none yet ({checkpoints.FILE})")
    method, _, fingerprint = last.method.partition(":")
    if method == checkpoints.CERT_METHOD:
        signer = f"the structure certificate sha256:{fingerprint[:16]}…"
    else:
        signer = f"HMAC-SHA256 under {checkpoints.KEY_FILE}"
    detail = f"last: row {last.seq} at {last.time}, signed with {signer}"
    if contents.malformed:
        return Check("warn", "journal checkpoints", f"{detail}; {contents.malformed[0]}")
    return Check("ok", "journal checkpoints", detail)


def check_port(settings: Settings) -> Check:
    bind, port = settings.daemon.bind, settings.daemon.port
    try:
        with socket.socket(socket.AF_INET6 if ":" in bind else socket.AF_INET) as sock:
            sock.bind((bind, port))
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            return Check("fail", "port", f"cannot bind {bind}:{port}: {exc.strerror}")
        if _is_our_daemon(bind, port):
            return Check("ok", "port", f"{bind}:{port} is served by a running aiguillage daemon")
        return Check("fail", "port", f"{bind}:{port} is taken by another program")
    return Check("ok", "port", f"{bind}:{port} is free")


def _is_our_daemon(bind: str, port: int) -> bool:
    host = f"[{bind}]" if ":" in bind else bind
    try:
        urllib.request.urlopen(f"http://{host}:{port}/v1/health", timeout=2)
    except urllib.error.HTTPError as exc:  # 401 without a token is what the daemon answers
        try:
            return json.loads(exc.read()).get("type", "").startswith(TYPE_PREFIX)
        except ValueError:
            return False
    except OSError:
        return False
    return False


def check_clock(now: dt.datetime | None = None) -> Check:
    now = now or dt.datetime.now(dt.UTC)
    if not CLOCK_FLOOR <= now < CLOCK_CEILING:
        return Check(
            "fail",
            "clock",
            f"system time {now:%Y-%m-%d %H:%M} UTC is not plausible; "
            "signed requests and TLS will fail",
        )
    return Check("ok", "clock", f"{now:%Y-%m-%d %H:%M:%S} UTC")


def check_certificate(plugin: str, key: str, options: dict, password_key: str | None) -> Check:
    name = f"{plugin}.{key}"
    path = options.get(key)
    if not path:
        return Check("info", name, "not configured")
    secret = options.get(password_key) if password_key else None
    try:
        info = read_certificate(path, secret.reveal() if secret else None)
    except CertificateError as exc:
        return Check("fail", name, str(exc))
    days = info.days_left()
    detail = f"{info.subject}, expires {info.not_after:%Y-%m-%d} ({days} days left)"
    if days < 0:
        return Check("fail", name, f"EXPIRED: {detail}")
    if days < EXPIRY_WARNING_DAYS:
        return Check("warn", name, f"renew soon: {detail}")
    return Check("ok", name, detail)
