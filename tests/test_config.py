"""Config loading: the shipped file, and every way a config can be wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from aiguillage.config import (
    DAEMON_KEYS,
    JOURNAL_KEYS,
    OUTBOX_KEYS,
    PRACTITIONER_KEYS,
    ConfigError,
    OutboxPolicy,
    Secret,
    load_settings,
)

from conftest import ROOT, run_cli

SHIPPED = ROOT / "config" / "aiguillage.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "aiguillage.toml"
    path.write_text(text)
    return path


def error_of(tmp_path: Path, plugins, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_settings(path, plugins.infos)
    message = str(info.value)
    assert message.startswith(str(path)) and "\n" not in message
    return message


def test_shipped_config_is_the_defaults(plugins):
    shipped = load_settings(SHIPPED, plugins.infos)
    defaults = load_settings(None, plugins.infos)
    assert shipped.daemon == defaults.daemon
    for name in ("insi", "dmp", "mssante", "apcv", "jfse"):
        assert shipped.plugins[name].enabled and shipped.plugins[name].endpoint == "simulator"
        assert shipped.plugins[name].options == defaults.plugins[name].options


def test_shipped_config_documents_every_key(plugins):
    text = SHIPPED.read_text()
    for table, keys in (
        ("daemon", DAEMON_KEYS),
        ("outbox", OUTBOX_KEYS),
        ("practitioner", PRACTITIONER_KEYS),
        ("journal", JOURNAL_KEYS),
    ):
        section = text.split(f"[{table}]")[1].split("\n[")[0]
        for key in keys:
            assert re.search(rf"^{key} = ", section, re.M), f"[{table}] {key}"
    for name in ("insi", "dmp", "mssante", "apcv", "jfse"):
        table = text.split(f"[{name}]")[1].split("\n[")[0]
        for key in plugins.infos[name].config:
            assert re.search(rf"^#? ?{key.name} = ", table, re.M), f"[{name}] {key.name}"


def test_unknown_key_named(tmp_path, plugins):
    assert error_of(tmp_path, plugins, "[insi]\ntimout = 3\n").endswith(
        "[insi] timout: unknown key"
    )


def test_unknown_daemon_key_named(tmp_path, plugins):
    assert "[daemon] prot: unknown key" in error_of(tmp_path, plugins, "[daemon]\nprot = 1\n")


def test_unknown_table_named(tmp_path, plugins):
    assert "[inss]: unknown table" in error_of(tmp_path, plugins, "[inss]\nenabled = true\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[daemon]\nport = "7480"\n', "[daemon] port: expected int, got str"),
        ("[daemon]\nport = true\n", "[daemon] port: expected int"),
        ("[daemon]\nport = 70000\n", "[daemon] port: 70000 is not a TCP port"),
        ('[daemon]\nlog_level = "loud"\n', "[daemon] log_level: 'loud' is not one of"),
        ('[insi]\nenabled = "yes"\n', "[insi] enabled: expected bool"),
        ('[dmp]\nendpoint = "dmp.example"\n', "[dmp] endpoint: 'dmp.example' is not"),
        ('[daemon]\nbind = "localhost"\n', "[daemon] bind: 'localhost' is not an IP address"),
        ("insi = 3\n", "[insi]: must be a table"),
    ],
)
def test_bad_values_named(tmp_path, plugins, text, expected):
    assert expected in error_of(tmp_path, plugins, text)


def test_not_toml(tmp_path, plugins):
    assert "not valid TOML" in error_of(tmp_path, plugins, "[daemon\n")


def test_missing_file(tmp_path, plugins):
    with pytest.raises(ConfigError, match="file not found"):
        load_settings(tmp_path / "nope.toml", plugins.infos)


def test_non_loopback_bind_refused(tmp_path, plugins):
    message = error_of(tmp_path, plugins, '[daemon]\nbind = "0.0.0.0"\n')
    assert "[daemon] bind: 0.0.0.0 is not loopback" in message
    message = error_of(tmp_path, plugins, '[daemon]\nbind = "0.0.0.0"\nallow_remote = true\n')
    assert "[daemon] tls_cert: required" in message


def test_remote_bind_with_tls_files(tmp_path, plugins):
    (tmp_path / "cert.pem").write_text("x")
    (tmp_path / "key.pem").write_text("x")
    path = write(
        tmp_path,
        '[daemon]\nbind = "0.0.0.0"\nallow_remote = true\n'
        'tls_cert = "cert.pem"\ntls_key = "key.pem"\n',
    )
    settings = load_settings(path, plugins.infos)
    assert settings.daemon.tls_cert == str(tmp_path / "cert.pem")


def test_inline_secret_refused(tmp_path, plugins):
    message = error_of(tmp_path, plugins, '[insi]\nauth_certificate_password = "1234"\n')
    assert "[insi] auth_certificate_password: secrets are never inline" in message


def test_missing_env_secret(tmp_path, plugins, monkeypatch):
    monkeypatch.delenv("AGL_TEST_PIN", raising=False)
    message = error_of(
        tmp_path, plugins, '[insi]\nauth_certificate_password = { env = "AGL_TEST_PIN" }\n'
    )
    assert message.endswith(
        "[insi] auth_certificate_password: environment variable AGL_TEST_PIN is not set"
    )


def test_missing_file_secret(tmp_path, plugins):
    message = error_of(
        tmp_path, plugins, '[insi]\nauth_certificate_password = { file = "pin.txt" }\n'
    )
    assert "cannot read secret file" in message and "pin.txt" in message


def test_secrets_resolve_and_never_show(tmp_path, plugins, monkeypatch):
    monkeypatch.setenv("AGL_TEST_PIN", "s3cret-pin")
    (tmp_path / "pin.txt").write_text("other-pin\n")
    path = write(
        tmp_path,
        '[insi]\nauth_certificate_password = { env = "AGL_TEST_PIN" }\n'
        'signature_certificate_password = { file = "pin.txt" }\n',
    )
    options = load_settings(path, plugins.infos).plugins["insi"].options
    env_secret, file_secret = (
        options["auth_certificate_password"],
        options["signature_certificate_password"],
    )
    assert isinstance(env_secret, Secret) and env_secret.reveal() == "s3cret-pin"
    assert file_secret.reveal() == "other-pin"
    assert "s3cret-pin" not in repr(options) and "s3cret-pin" not in str(env_secret)


def test_relative_paths_follow_the_config_file(tmp_path, plugins):
    path = write(tmp_path, '[daemon]\ndata_dir = "state"\n[insi]\nauth_certificate = "a.p12"\n')
    settings = load_settings(path, plugins.infos)
    assert settings.daemon.data_dir == tmp_path / "state"
    assert settings.plugins["insi"].options["auth_certificate"] == str(tmp_path / "a.p12")


def test_config_check_command(tmp_path):
    bad = write(tmp_path, "[insi]\ntimout = 3\n")
    result = run_cli("config", "check", "--config", str(bad))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"aiguillage: {bad}: [insi] timout: unknown key"]
    good = run_cli("config", "check", "--config", str(SHIPPED))
    assert good.returncode == 0 and "config OK" in good.stdout


def test_serve_refuses_bad_config_with_one_line(tmp_path):
    bad = write(tmp_path, '[daemon]\nport = "x"\n')
    result = run_cli("serve", "--config", str(bad), "--data-dir", str(tmp_path / "d"))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "[daemon] port: expected int" in result.stderr


def test_environment_variable_names_the_config(tmp_path):
    bad = write(tmp_path, "[dmp]\nfoo = 1\n")
    result = run_cli("config", "check", env={"AIGUILLAGE_CONFIG": str(bad)})
    assert result.returncode == 2 and "[dmp] foo: unknown key" in result.stderr


def test_outbox_policy_per_plugin(tmp_path, plugins):
    path = write(tmp_path, "[outbox]\nmax_attempts = 7\n[outbox.dmp]\nconcurrency = 9\n")
    outbox = load_settings(path, plugins.infos).outbox
    assert outbox.policy("dmp") == OutboxPolicy(max_attempts=7, concurrency=9)
    assert outbox.policy("insi") == OutboxPolicy(max_attempts=7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[outbox]\nmax_atempts = 3\n", "[outbox] max_atempts: unknown key"),
        ("[outbox.dmp]\nretries = 3\n", "[outbox.dmp] retries: unknown key"),
        ("[outbox.dmpp]\nconcurrency = 3\n", "[outbox.dmpp]: no plugin of that name"),
        ("[outbox]\nconcurrency = 0\n", "[outbox] concurrency: must be at least 1"),
        ("[outbox.dmp]\nfactor = 0.5\n", "[outbox.dmp] factor: must be at least 1"),
        ('[journal]\nretention_days = "long"\n', "[journal] retention_days: expected float"),
        ("[journal]\nmax_exchange_bytes = 10\n", "[journal] max_exchange_bytes: must be at least"),
    ],
)
def test_outbox_and_journal_errors_named(tmp_path, plugins, text, expected):
    assert expected in error_of(tmp_path, plugins, text)
