"""The daemon as an admin runs it: a real process, the first-run token, the CLI commands."""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import stat
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from conftest import BUILT_IN_PLUGINS, ROOT, run_cli

STARTED = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")


@pytest.fixture
def daemon(tmp_path: Path):
    """``aiguillage serve`` on a free port; yields (port, data dir); stopped after the test."""
    data_dir = tmp_path / "data"
    process = subprocess.Popen(
        [sys.executable, "-m", "aiguillage", "serve", "--port", "0", "--data-dir", str(data_dir)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    match = STARTED.search(line)
    assert match, line + process.stderr.read()
    yield int(match.group(1)), data_dir, line
    process.terminate()
    process.wait(timeout=10)


def get(port: int, path: str, token: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_first_run_writes_a_private_token_and_serves(daemon):
    port, data_dir, line = daemon
    token_file = data_dir / "token"
    assert str(token_file) in line
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    token = token_file.read_text().strip()
    status, health = get(port, "/v1/health", token)
    assert status == 200
    assert set(health["plugins"]) == set(BUILT_IN_PLUGINS)
    status, listed = get(port, "/v1/plugins", token)
    assert len(listed["plugins"]) == len(BUILT_IN_PLUGINS)
    assert get(port, "/v1/health")[0] == 401


def test_port_taken_exits_2(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("serve", "--port", str(port), "--data-dir", str(tmp_path / "d"))
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_apps_add_list_revoke_against_a_running_daemon(daemon):
    port, data_dir, _ = daemon
    added = run_cli(
        "apps",
        "add",
        "cabinet-ehr",
        "--scope",
        "insi",
        "--scope",
        "dmp",
        "--origin",
        "http://localhost:3000/",
        "--data-dir",
        str(data_dir),
    )
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip()
    assert token.startswith("agl_")
    assert get(port, "/v1/health", token)[0] == 200

    listed = run_cli("apps", "list", "--data-dir", str(data_dir)).stdout
    assert "cabinet-ehr\tactive\tscopes=insi,dmp\torigins=http://localhost:3000" in listed
    assert token not in listed and token not in (data_dir / "clients.db").read_bytes().decode(
        "latin-1"
    )

    assert run_cli("apps", "revoke", "cabinet-ehr", "--data-dir", str(data_dir)).returncode == 0
    assert get(port, "/v1/health", token)[0] == 401
    again = run_cli("apps", "revoke", "cabinet-ehr", "--data-dir", str(data_dir))
    assert again.returncode == 1 and "no active app" in again.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scope", "insy"], "unknown scope 'insy'"),
        ([], "Missing option '--scope'"),
        (["--scope", "insi", "--origin", "localhost:3000"], "must look like http://host[:port]"),
    ],
)
def test_apps_add_bad_input(tmp_path, args, message):
    result = run_cli("apps", "add", "x", *args, "--data-dir", str(tmp_path))
    assert result.returncode == 2 and message in result.stderr


def test_duplicate_app_name(tmp_path):
    assert run_cli("apps", "add", "x", "--scope", "*", "--data-dir", str(tmp_path)).returncode == 0
    result = run_cli("apps", "add", "x", "--scope", "*", "--data-dir", str(tmp_path))
    assert result.returncode == 2 and "already exists" in result.stderr


def test_apps_commands_do_not_make_a_missing_clients_store(tmp_path):
    """A data dir whose journal records a start but whose clients.db is gone: a start refuses
    it, so the commands must not make an empty one that the start would take as the real."""
    from aiguillage import journal as jr

    conn = jr.open_database(tmp_path / "journal.db")
    conn.execute("BEGIN IMMEDIATE")
    jr.append(conn, jr.Entry("daemon.started", "started"), 0.0, 1000)
    conn.execute("COMMIT")
    conn.close()
    for args in (["list"], ["revoke", "x"]):
        result = run_cli("apps", *args, "--data-dir", str(tmp_path))
        assert result.returncode == 1, result.stderr
        assert f"no clients store in {tmp_path}" in result.stderr
    added = run_cli("apps", "add", "x", "--scope", "*", "--data-dir", str(tmp_path))
    assert added.returncode == 1 and "--accept-missing-store" in added.stderr, added.stderr
    assert not (tmp_path / "clients.db").exists()


def test_plugins_command_reflects_config(tmp_path):
    config = tmp_path / "a.toml"
    config.write_text('[jfse]\nenabled = false\n[dmp]\nendpoint = "https://dmp.example/ws"\n')
    out = run_cli("plugins", "--config", str(config)).stdout
    rows = {line.split("\t")[0]: line.split("\t") for line in out.splitlines()}
    assert rows["jfse"][2] == "disabled"
    assert rows["dmp"][3] == "https://dmp.example/ws"
    assert set(rows) == set(BUILT_IN_PLUGINS)


def make_p12(path: Path, password: bytes, days: int) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "INSI-AUTO")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"test", key, cert, None, serialization.BestAvailableEncryption(password)
        )
    )


def test_doctor_reports_certificates_and_state(tmp_path):
    make_p12(tmp_path / "auth.p12", b"pin-1", days=400)
    make_p12(tmp_path / "sign.p12", b"pin-2", days=10)
    (tmp_path / "pin2").write_text("pin-2")
    config = tmp_path / "a.toml"
    config.write_text(
        '[insi]\nauth_certificate = "auth.p12"\n'
        'auth_certificate_password = { env = "AGL_AUTH_PIN" }\n'
        'signature_certificate = "sign.p12"\n'
        'signature_certificate_password = { file = "pin2" }\n'
        '[dmp]\nauth_certificate = "missing.p12"\n'
    )
    data_dir = tmp_path / "data"
    data_dir.mkdir(mode=0o755)
    data_dir.chmod(0o755)
    result = run_cli(
        "doctor",
        "--config",
        str(config),
        "--data-dir",
        str(data_dir),
        env={"AGL_AUTH_PIN": "pin-1"},
    )
    out = result.stdout
    assert "OK    config:" in out
    assert "WARN  data dir:" in out and "chmod 700" in out
    assert "OK    clock:" in out
    assert re.search(
        r"OK    insi\.auth_certificate: CN=INSI-AUTO, expires .* \((399|400) days", out
    )
    assert re.search(r"WARN  insi\.signature_certificate: renew soon: .*\((9|10) days left", out)
    assert "FAIL  dmp.auth_certificate:" in out and "missing.p12" in out
    assert result.returncode == 1


def test_doctor_wrong_certificate_password(tmp_path):
    make_p12(tmp_path / "auth.p12", b"right", days=100)
    config = tmp_path / "a.toml"
    config.write_text(
        '[insi]\nauth_certificate = "auth.p12"\n'
        'auth_certificate_password = { env = "AGL_AUTH_PIN" }\n'
    )
    result = run_cli(
        "doctor",
        "--config",
        str(config),
        "--data-dir",
        str(tmp_path / "d"),
        env={"AGL_AUTH_PIN": "Zq9-typo-pin"},
    )
    assert "FAIL  insi.auth_certificate:" in result.stdout and "wrong password" in result.stdout
    assert "Zq9-typo-pin" not in result.stdout + result.stderr
    assert result.returncode == 1


def test_doctor_recognises_the_running_daemon(daemon):
    port, data_dir, _ = daemon
    config = data_dir.parent / "port.toml"
    config.write_text(f"[daemon]\nport = {port}\n")
    result = run_cli("doctor", "--config", str(config), "--data-dir", str(data_dir))
    assert f"OK    port: 127.0.0.1:{port} is served by a running aiguillage daemon" in result.stdout
    assert result.returncode == 0, result.stdout


def test_one_daemon_per_data_dir(daemon):
    _, data_dir, _ = daemon
    result = run_cli("serve", "--port", "0", "--data-dir", str(data_dir))
    assert result.returncode == 2
    assert f"another aiguillage daemon is using {data_dir}" in result.stderr
    assert "Traceback" not in result.stderr


async def test_simulate_hands_options_to_the_simulator(aiohttp_client, settings, plugins, token):
    """``aiguillage simulate apcv --qr NESSI`` prints a payload the daemon's simulator, with the
    same data dir, accepts."""
    data_dir = str(settings.daemon.data_dir)
    result = run_cli("simulate", "apcv", "--qr", "NESSI", "--data-dir", data_dir)
    assert result.returncode == 0, result.stderr
    payload = result.stdout.strip()
    assert payload and "\n" not in payload
    from aiguillage.app import create_app

    for other in ("dmp", "mssante", "jfse"):
        settings.plugins[other].enabled = False
    http = await aiohttp_client(create_app(settings, plugins))
    response = await http.post(
        "/v1/apcv/sessions", json={"qr": payload}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status == 201, await response.text()
    assert (await response.json())["beneficiaries"][0]["birth_name"] == "NESSI"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("insi", "--qr", "NESSI"), "the insi simulator takes no options"),
        (("apcv", "insi", "--qr", "NESSI"), "name exactly one plugin"),
        (("apcv", "--qr", "NOBODY"), "apcv simulator:"),
        (("apcv", "--frobnicate"), "apcv simulator: unknown options"),
        (("nope", "--qr", "NESSI"), "no plugin named 'nope'"),
    ],
)
def test_simulate_options_that_cannot_be_served(tmp_path, args, says):
    result = run_cli("simulate", *args, "--data-dir", str(tmp_path / "d"))
    assert result.returncode == 2, result.stdout
    assert says in result.stderr
    assert "Traceback" not in result.stderr
