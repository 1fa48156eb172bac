"""A real Dovecot IMAP server for the tests: the peer the MSSanté client must work with
unchanged, started on 127.0.0.1 with a generated configuration — STARTTLS on the IMAP port,
the test PKI's server certificate, a client certificate required to log in, one passwd-file
user and its Maildir in a temporary directory.

Dovecot is a system package (Debian ``dovecot-imapd``). Without it the tests that need it are
skipped, except in CI (the ``CI`` environment variable), where its absence is a failure."""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from aiguillage.security.credentials import load_credential
from aiguillage.security.testpki import TestPki

USER = "cabinet.test@medecin.mssante.fr"
PASSWORD = "secret-imap-test"  # a throwaway test account
STARTUP_WAIT = 15.0

CONFIG = """\
base_dir = {base}/run
state_dir = {base}/state
instance_name = aiguillage-test-{port}
log_path = {base}/dovecot.log
protocols = imap
listen = 127.0.0.1
default_login_user = dovenull
default_internal_user = dovecot
default_internal_group = dovecot
first_valid_uid = 1
mail_location = maildir:{base}/mail/%u
# IDLE must notice another connection's APPEND within the tests' patience.
mailbox_idle_check_interval = 1 secs

ssl = required
ssl_cert = <{base}/server.pem
ssl_key = <{base}/server.key
ssl_ca = <{ca}
ssl_verify_client_cert = yes
# The test CA publishes no CRL: without this every client certificate is "invalid".
ssl_require_crl = no
auth_ssl_require_client_cert = yes
auth_mechanisms = plain login
# A refused login answers at once: the tests of refusals need not wait.
auth_failure_delay = 0

passdb {{
  driver = passwd-file
  args = scheme=PLAIN {base}/users
}}
userdb {{
  driver = passwd-file
  args = {base}/users
}}

service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


@dataclass(frozen=True)
class Dovecot:
    port: int
    user: str
    password: str
    log: Path

    @property
    def url(self) -> str:
        return f"imap://127.0.0.1:{self.port}"


def dovecot_binary() -> str | None:
    """The ``dovecot`` binary, or ``None`` (tests skip; in CI they fail instead)."""
    found = shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin:/sbin")
    if found is None and os.environ.get("CI"):
        pytest.fail("CI must run the tests against Dovecot: apt-get install dovecot-imapd")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(base: Path, pki: TestPki) -> None:
    """Certificate and key in PEM, the user and its Maildir's parent."""
    credential = load_credential(pki.p12("server"), pki.password)
    (base / "server.pem").write_bytes(credential.pem_chain())
    key = base / "server.key"
    key.write_bytes(credential.pem_key())
    key.chmod(0o600)
    mail_user = pwd.getpwnam("mail")
    mail = base / "mail"
    mail.mkdir()
    os.chown(mail, mail_user.pw_uid, mail_user.pw_gid)
    (base / "users").write_text(
        f"{USER}:{{PLAIN}}{PASSWORD}:{mail_user.pw_uid}:{mail_user.pw_gid}::{mail}/{USER}\n"
    )


def _write_config(base: Path, pki: TestPki, port: int, capability: str | None) -> Path:
    text = CONFIG.format(base=base, ca=pki.ca_bundle, port=port)
    if capability is not None:
        # What the server says it can do once logged in: less than it can, to test the
        # client's other paths (synchronising literals, polling without IDLE).
        text += f"protocol imap {{\n  imap_capability = {capability}\n}}\n"
    config = base / "dovecot.conf"
    config.write_text(text)
    return config


class PortTaken(Exception):
    pass


def _wait_ready(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_WAIT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            if "in use" in _tail(log):
                raise PortTaken(port)
            raise RuntimeError(f"dovecot exited ({process.returncode}): {_tail(log)}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1) as s:
            s.settimeout(2)
            if s.recv(200).startswith(b"* OK"):
                return
        time.sleep(0.05)
    raise RuntimeError(f"dovecot did not answer on port {port}: {_tail(log)}")


def _tail(log: Path) -> str:
    texts = []
    for path in (log, log.with_suffix(".stderr")):
        with contextlib.suppress(OSError):
            texts.append(path.read_text()[-2000:])
    return "\n".join(texts) or "(no log)"


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # the master stops its own children
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextlib.contextmanager
def running_dovecot(pki: TestPki, capability: str | None = None) -> Iterator[Dovecot]:
    """Start Dovecot in the foreground for the block; stop it by its PID after.
    ``capability``: the post-login capability list to announce instead of Dovecot's."""
    binary = dovecot_binary()
    if binary is None:
        pytest.skip("dovecot is not installed (Debian package dovecot-imapd)")
    # Login processes run as dovenull: every directory on the way to the sockets must be
    # searchable by it, which pytest's private tmp_path is not.
    base = Path(tempfile.mkdtemp(prefix="aiguillage-dovecot-"))
    base.chmod(0o755)
    log = base / "dovecot.log"
    process = None
    try:
        _prepare(base, pki)
        for attempt in range(3):
            # A free port now may be another worker's by the time Dovecot binds it.
            port = _free_port()
            config = _write_config(base, pki, port, capability)
            with (base / "dovecot.stderr").open("wb") as stderr:
                process = subprocess.Popen(
                    [binary, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=stderr
                )
            try:
                _wait_ready(process, port, log)
                break
            except PortTaken:
                _stop(process)
                if attempt == 2:
                    raise
        yield Dovecot(port, USER, PASSWORD, log)
    finally:
        if process is not None:
            _stop(process)
        shutil.rmtree(base, ignore_errors=True)
