"""Loading and validating ``aiguillage.toml``.

Every problem stops start-up with one line naming the file, the table and the key. Secrets are
never written inline: a secret key holds ``{ env = "NAME" }`` or ``{ file = "path" }``.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiguillage.hookspecs import ConfigKey, PluginConfig, PluginInfo
from aiguillage.security.practitioner import Practitioner
from aiguillage.security.testpki import TEST_PRACTITIONER_ID, TEST_STRUCTURE_ID

CONFIG_ENV = "AIGUILLAGE_CONFIG"
DEFAULT_CONFIG = Path("config/aiguillage.toml")
DEFAULT_PORT = 7480
LOG_LEVELS = ("debug", "info", "warning", "error")
#: The longest a send may wait for its delivery's outcome before answering (``?wait=``,
#: ``default_wait``): past it, an EHR's own HTTP timeout is likely to cut the request first.
MAX_WAIT_SECONDS = 60.0


class ConfigError(Exception):
    """A config problem, worded as the one line the admin will read."""


class Secret:
    """A secret value that never shows in logs, reprs or tracebacks."""

    __slots__ = ("_value", "source")

    def __init__(self, value: str, source: str) -> None:
        self._value = value
        self.source = source

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret(from {self.source})"

    __str__ = __repr__


@dataclass(frozen=True)
class _Key:
    type: str
    default: Any
    description: str
    choices: tuple[Any, ...] = ()
    #: Smallest accepted value of a number.
    minimum: float | None = None
    #: Largest accepted value of a number.
    maximum: float | None = None


DAEMON_KEYS: dict[str, _Key] = {
    "bind": _Key("str", "127.0.0.1", "address to listen on; loopback only unless allow_remote"),
    "port": _Key("int", DEFAULT_PORT, "TCP port of the API"),
    "data_dir": _Key("str", "~/.local/share/aiguillage", "where databases and the token live"),
    "log_level": _Key("str", "info", "log verbosity", LOG_LEVELS),
    "allowed_hosts": _Key("list", [], "extra Host header values accepted, e.g. 'ehr-pc:7480'"),
    "allow_remote": _Key("bool", False, "allow a non-loopback bind (TLS files required)"),
    "tls_cert": _Key("str", "", "PEM certificate chain served when TLS is on"),
    "tls_key": _Key("str", "", "PEM private key served when TLS is on"),
    "max_body_bytes": _Key("int", 1_048_576, "default request body cap in bytes", minimum=1024),
    "health_interval": _Key("float", 30.0, "seconds between plugin health checks", minimum=0.1),
}

#: Delivery policy of the outbox: defaults in [outbox], overrides in [outbox.<plugin>].
POLICY_KEYS: dict[str, _Key] = {
    "initial_delay": _Key("float", 2.0, "seconds before the first retry", minimum=0.0),
    "factor": _Key("float", 2.0, "each retry waits this many times longer", minimum=1.0),
    "max_delay": _Key("float", 600.0, "longest wait between two attempts", minimum=0.0),
    "max_attempts": _Key("int", 10, "attempts before an item is dead", minimum=1),
    "concurrency": _Key("int", 4, "deliveries in flight at once", minimum=1),
    "attempt_timeout": _Key("float", 60.0, "seconds one attempt may take", minimum=0.01),
    "breaker_threshold": _Key(
        "int", 5, "consecutive transient failures that open the breaker", minimum=1
    ),
    "breaker_cooldown": _Key(
        "float", 30.0, "seconds before a probe once the breaker is open", minimum=0.0
    ),
    "default_wait": _Key(
        "float",
        0.0,
        "seconds a send waits for its outcome when the request says no ?wait= (0: background)",
        minimum=0.0,
        maximum=MAX_WAIT_SECONDS,
    ),
}

OUTBOX_KEYS: dict[str, _Key] = {
    "payload_retention_days": _Key(
        "float", 30.0, "days a sent item keeps its payload", minimum=0.0
    ),
    "vacuum_interval_hours": _Key("float", 24.0, "hours between space reclaims", minimum=0.01),
    **POLICY_KEYS,
}

JOURNAL_KEYS: dict[str, _Key] = {
    "retention_days": _Key("float", 1095.0, "days journal rows are kept (0: forever)", minimum=0.0),
    "max_exchange_bytes": _Key(
        "int", 262_144, "cap on each stored request or response", minimum=1024
    ),
}

PLUGIN_BASE_KEYS = ("enabled", "endpoint")


@dataclass
class DaemonSettings:
    bind: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    data_dir: Path = field(default_factory=lambda: Path("~/.local/share/aiguillage").expanduser())
    log_level: str = "info"
    allowed_hosts: list[str] = field(default_factory=list)
    allow_remote: bool = False
    tls_cert: str = ""
    tls_key: str = ""
    max_body_bytes: int = 1_048_576
    health_interval: float = 30.0


#: Who acts when an API call names nobody: the practitioner of the test PKI, until configured.
PRACTITIONER_KEYS: dict[str, _Key] = {
    "national_id": _Key("str", TEST_PRACTITIONER_ID, "RPPS or ADELI number"),
    "id_type": _Key("str", "RPPS", "kind of national_id", ("RPPS", "ADELI")),
    "family_name": _Key("str", "LIBRE", "family name"),
    "given_name": _Key("str", "MAX", "given name"),
    "profession_code": _Key("str", "10", "profession, G15 code (10: médecin)"),
    "specialty_code": _Key("str", "SM26", "specialty, R01 code"),
    "structure_id": _Key("str", TEST_STRUCTURE_ID, "structure (FINESS/SIRET-based) id"),
    "structure_name": _Key("str", "CABINET TEST", "structure name"),
    "activity_sector": _Key("str", "SA07", "activity sector, R02 code"),
    "billing_id": _Key("str", "991130972", "identifiant de facturation (AM number)"),
    "authentication_mode": _Key(
        "str",
        "DIRECTE",
        "how the practitioner authenticated",
        ("DIRECTE", "INDIRECTE", "INDIRECTE_RENFORCEE"),
    ),
}


@dataclass(frozen=True)
class OutboxPolicy:
    initial_delay: float = 2.0
    factor: float = 2.0
    max_delay: float = 600.0
    max_attempts: int = 10
    concurrency: int = 4
    attempt_timeout: float = 60.0
    breaker_threshold: int = 5
    breaker_cooldown: float = 30.0
    #: Seconds a send's request waits for the delivery's outcome when it gives no ``?wait=``.
    default_wait: float = 0.0


@dataclass
class OutboxSettings:
    payload_retention_days: float = 30.0
    vacuum_interval_hours: float = 24.0
    default_policy: OutboxPolicy = field(default_factory=OutboxPolicy)
    policies: dict[str, OutboxPolicy] = field(default_factory=dict)

    def policy(self, plugin: str) -> OutboxPolicy:
        return self.policies.get(plugin, self.default_policy)


@dataclass
class JournalSettings:
    retention_days: float = 1095.0
    max_exchange_bytes: int = 262_144


@dataclass
class Settings:
    daemon: DaemonSettings
    plugins: dict[str, PluginConfig]
    #: The file the settings came from (``None``: built-in defaults).
    source: Path | None = None
    outbox: OutboxSettings = field(default_factory=OutboxSettings)
    journal: JournalSettings = field(default_factory=JournalSettings)
    practitioner: Practitioner = field(
        default_factory=lambda: Practitioner(**{k: v.default for k, v in PRACTITIONER_KEYS.items()})
    )

    def enabled_plugins(self) -> list[PluginConfig]:
        return [p for p in self.plugins.values() if p.enabled]


def config_path(explicit: str | os.PathLike[str] | None) -> Path | None:
    """The file to read: ``--config``, ``$AIGUILLAGE_CONFIG``, then config/aiguillage.toml."""
    if explicit:
        return Path(explicit)
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    return DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None


def load_settings(path: str | os.PathLike[str] | None, infos: dict[str, PluginInfo]) -> Settings:
    """Read and validate a config file (``None``: defaults only) against the loaded plugins."""
    source = Path(path) if path else None
    raw: dict[str, Any] = {}
    if source is not None:
        try:
            raw = tomllib.loads(source.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{source}: file not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{source}: cannot read: {exc}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    return _Validator(source, infos).settings(raw)


class _Validator:
    def __init__(self, source: Path | None, infos: dict[str, PluginInfo]) -> None:
        self.source = source
        self.base_dir = source.resolve().parent if source else Path.cwd()
        self.infos = infos

    def fail(self, table: str, key: str | None, message: str) -> ConfigError:
        where = f"[{table}] {key}" if key else f"[{table}]"
        return ConfigError(f"{self.source or '<defaults>'}: {where}: {message}")

    def settings(self, raw: dict[str, Any]) -> Settings:
        core_tables = ("daemon", "outbox", "journal", "practitioner")
        for table, value in raw.items():
            if table not in core_tables and table not in self.infos:
                known = ", ".join([*core_tables, *sorted(self.infos)])
                raise self.fail(table, None, f"unknown table (known: {known})")
            if not isinstance(value, dict):
                raise self.fail(table, None, "must be a table")
        daemon = self.daemon(raw.get("daemon", {}))
        plugins = {name: self.plugin(info, raw.get(name, {})) for name, info in self.infos.items()}
        return Settings(
            daemon=daemon,
            plugins=plugins,
            source=self.source,
            outbox=self.outbox(raw.get("outbox", {})),
            journal=JournalSettings(**self.table("journal", raw.get("journal", {}), JOURNAL_KEYS)),
            practitioner=Practitioner(
                **self.table("practitioner", raw.get("practitioner", {}), PRACTITIONER_KEYS)
            ),
        )

    def table(
        self, name: str, table: dict[str, Any], keys: dict[str, _Key], subtables: tuple = ()
    ) -> dict[str, Any]:
        """The table's values, typed and checked, with defaults for the keys it leaves out."""
        values: dict[str, Any] = {}
        for key, value in table.items():
            if key in subtables:
                continue
            spec = keys.get(key)
            if spec is None:
                raise self.fail(name, key, "unknown key")
            values[key] = self.typed(name, key, spec.type, value, spec.choices)
            if spec.minimum is not None and values[key] < spec.minimum:
                raise self.fail(name, key, f"must be at least {spec.minimum:g}")
            if spec.maximum is not None and values[key] > spec.maximum:
                raise self.fail(name, key, f"must be at most {spec.maximum:g}")
        return {k: values.get(k, spec.default) for k, spec in keys.items()}

    def daemon(self, table: dict[str, Any]) -> DaemonSettings:
        merged = self.table("daemon", table, DAEMON_KEYS)
        merged["data_dir"] = self.path(merged["data_dir"])
        settings = DaemonSettings(**merged)
        self.check_daemon(settings)
        return settings

    def outbox(self, table: dict[str, Any]) -> OutboxSettings:
        # [outbox.<plugin>] tables override the policy for one plugin.
        overrides = {k: v for k, v in table.items() if isinstance(v, dict)}
        values = self.table("outbox", table, OUTBOX_KEYS, subtables=tuple(overrides))
        default = OutboxPolicy(**{k: values[k] for k in POLICY_KEYS})
        policies = {}
        for plugin, override in overrides.items():
            if plugin not in self.infos:
                raise self.fail(f"outbox.{plugin}", None, "no plugin of that name")
            own = {k: override[k] for k in override if k in POLICY_KEYS}
            inherited = {k: getattr(default, k) for k in POLICY_KEYS if k not in own}
            checked = self.table(f"outbox.{plugin}", override, POLICY_KEYS)
            policies[plugin] = OutboxPolicy(**{**inherited, **{k: checked[k] for k in own}})
        return OutboxSettings(
            payload_retention_days=values["payload_retention_days"],
            vacuum_interval_hours=values["vacuum_interval_hours"],
            default_policy=default,
            policies=policies,
        )

    def check_daemon(self, d: DaemonSettings) -> None:
        if not 0 <= d.port <= 65535:
            raise self.fail("daemon", "port", f"{d.port} is not a TCP port")
        try:
            address = ipaddress.ip_address(d.bind)
        except ValueError:
            raise self.fail("daemon", "bind", f"{d.bind!r} is not an IP address") from None
        if not address.is_loopback:
            if not d.allow_remote:
                raise self.fail(
                    "daemon", "bind", f"{d.bind} is not loopback; set allow_remote = true and TLS"
                )
            for key in ("tls_cert", "tls_key"):
                value = getattr(d, key)
                if not value:
                    raise self.fail("daemon", key, "required when binding a non-loopback address")
                if not self.path(value).is_file():
                    raise self.fail("daemon", key, f"file not found: {self.path(value)}")
        d.tls_cert = str(self.path(d.tls_cert)) if d.tls_cert else ""
        d.tls_key = str(self.path(d.tls_key)) if d.tls_key else ""

    def plugin(self, info: PluginInfo, table: dict[str, Any]) -> PluginConfig:
        keys = {k.name: k for k in info.config}
        options: dict[str, Any] = {}
        for key, value in table.items():
            if key in PLUGIN_BASE_KEYS:
                continue
            spec = keys.get(key)
            if spec is None:
                raise self.fail(info.name, key, "unknown key")
            options[key] = self.option(info.name, spec, value)
        for spec in info.config:
            if spec.name not in options:
                options[spec.name] = self.option(info.name, spec, spec.default, default=True)
        enabled = self.typed(info.name, "enabled", "bool", table.get("enabled", True))
        endpoint = self.typed(info.name, "endpoint", "str", table.get("endpoint", "simulator"))
        if endpoint != "simulator":
            parts = urlsplit(endpoint)
            if not parts.scheme or not parts.hostname:
                raise self.fail(info.name, "endpoint", f'{endpoint!r} is not "simulator" or a URL')
        return PluginConfig(name=info.name, enabled=enabled, endpoint=endpoint, options=options)

    def option(self, table: str, spec: ConfigKey, value: Any, default: bool = False) -> Any:
        if spec.type == "secret":
            if value is None or value == "":
                return None  # not configured; a plugin that needs it says so in its health
            return self.secret(table, spec.name, value)
        value = self.typed(table, spec.name, spec.type, value, spec.choices)
        if spec.type == "certificate" and value:
            return str(self.path(value))
        return value

    def typed(
        self, table: str, key: str, kind: str, value: Any, choices: tuple[Any, ...] = ()
    ) -> Any:
        expected = {
            "str": (str,),
            "certificate": (str,),
            "int": (int,),
            "float": (int, float),
            "bool": (bool,),
            "list": (list,),
        }[kind]
        # bool is an int in Python; a config file saying `port = true` is still wrong.
        if not isinstance(value, expected) or (
            kind in ("int", "float") and isinstance(value, bool)
        ):
            if isinstance(value, dict) and set(value) & {"env", "file"}:
                raise self.fail(table, key, "is not a secret; write the value itself")
            raise self.fail(table, key, f"expected {kind}, got {type(value).__name__} {value!r}")
        if choices and value not in choices:
            allowed = ", ".join(map(repr, choices[:12]))
            if len(choices) > 12:  # a code list: too long for one line
                allowed += f"… ({len(choices)} values: the plugin's README names their list)"
            raise self.fail(table, key, f"{value!r} is not one of: {allowed}")
        return float(value) if kind == "float" else value

    def secret(self, table: str, key: str, value: Any) -> Secret:
        if not isinstance(value, dict) or len(value) != 1 or not set(value) <= {"env", "file"}:
            raise self.fail(
                table, key, 'secrets are never inline: write { env = "NAME" } or { file = "path" }'
            )
        ((kind, ref),) = value.items()
        if not isinstance(ref, str) or not ref:
            raise self.fail(table, key, f"{kind} must be a non-empty string")
        if kind == "env":
            if ref not in os.environ:
                raise self.fail(table, key, f"environment variable {ref} is not set")
            return Secret(os.environ[ref], f"env {ref}")
        path = self.path(ref)
        try:
            return Secret(path.read_text(encoding="utf-8").rstrip("\r\n"), f"file {path}")
        except OSError as exc:
            raise self.fail(table, key, f"cannot read secret file {path}: {exc.strerror}") from None

    def path(self, value: str | Path) -> Path:
        path = Path(value).expanduser()
        return path if path.is_absolute() else self.base_dir / path
