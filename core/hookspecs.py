"""The plugin contract: every hook a plugin may implement, and the plain data they exchange.

A plugin is a module (or object) with functions decorated by ``hookimpl`` whose names are the
hooks below. It implements only the hooks it needs, and takes only the keyword arguments it uses
(pluggy passes arguments by name). Hooks may be ``async def``: the core awaits what they return.

Per-plugin hooks (everything but ``plugin_info``) are called for one plugin at a time, with that
plugin's own ``config``; they are never called for a disabled plugin.

Every hook is documented in ``docs/plugins.md``; a test fails when one is not.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pluggy

#: Bumped on any incompatible change to the hooks or the dataclasses below. A plugin states the
#: major version it was written for in ``PluginInfo.contract``; start-up refuses a mismatch.
CONTRACT_VERSION = "1.0"

hookspec = pluggy.HookspecMarker("aiguillage")
hookimpl = pluggy.HookimplMarker("aiguillage")


# --- data exchanged through the hooks -----------------------------------------------------------

ConfigType = Literal["str", "int", "float", "bool", "list", "secret", "certificate"]


@dataclass(frozen=True)
class ConfigKey:
    """One key of a plugin's config table.

    ``secret`` keys only accept ``{ env = "NAME" }`` or ``{ file = "path" }``; ``certificate`` keys
    hold the path of a PKCS#12 or PEM file, whose password is the secret key named ``password_key``.
    """

    name: str
    type: ConfigType
    default: Any
    description: str
    choices: tuple[Any, ...] = ()
    password_key: str | None = None


@dataclass(frozen=True)
class PluginInfo:
    """What ``plugin_info`` returns: who the plugin is and what it owns."""

    name: str
    version: str
    title: str
    contract: str = CONTRACT_VERSION
    #: First path segments under ``/v1/`` that belong to the plugin (default: its name).
    api_prefixes: tuple[str, ...] = ()
    #: Outbox item kinds this plugin delivers, e.g. ``("dmp.document",)``.
    outbox_kinds: tuple[str, ...] = ()
    #: Keys of the plugin's config table besides ``enabled`` and ``endpoint``.
    config: tuple[ConfigKey, ...] = ()

    @property
    def prefixes(self) -> tuple[str, ...]:
        return self.api_prefixes or (self.name,)


@dataclass
class PluginConfig:
    """A plugin's validated config table, as its hooks receive it."""

    name: str
    enabled: bool
    #: ``"simulator"`` or the real service's URL, as written in the config file.
    endpoint: str
    options: dict[str, Any] = field(default_factory=dict)
    #: The URL the plugin must talk to: the configured one, or the simulator's once it runs.
    #: ``None`` when the endpoint is ``"simulator"`` and the plugin ships none.
    endpoint_url: str | None = None
    #: A folder of the plugin's own in the daemon's data dir (created before any hook runs).
    data_dir: Path | None = None
    #: What the plugin opened in ``startup`` (sessions, loaded keys), for its other hooks.
    state: dict[str, Any] = field(default_factory=dict)


@dataclass
class Param:
    """A path or query parameter of an operation."""

    name: str
    location: Literal["path", "query"]
    schema: dict[str, Any]
    required: bool = False
    description: str = ""


@dataclass
class Operation:
    """One API operation a plugin offers, registered through ``register_operations``.

    ``path`` is an aiohttp route path under one of the plugin's prefixes, e.g.
    ``/v1/ins/search`` or ``/v1/dmp/patients/{ins}``. The request body is validated against
    ``request_schema`` before ``handler`` runs; ``response_schema`` documents the 2xx body.
    ``scope`` is the token scope a client app needs (``None``: any authenticated app).
    ``handler`` is ``async def handler(call: Call)``.
    """

    method: Literal["GET", "POST", "PUT", "DELETE"]
    path: str
    summary: str
    handler: Callable[..., Awaitable[Any]]
    scope: str | None = None
    request_schema: dict[str, Any] | None = None
    response_schema: dict[str, Any] | None = None
    response_status: int = 200
    params: list[Param] = field(default_factory=list)
    #: Request content types accepted besides ``application/json``.
    content_types: tuple[str, ...] = ("application/json",)
    #: Body size cap in bytes; ``None`` uses the daemon's ``max_body_bytes``.
    max_body_bytes: int | None = None
    #: Response media type when not JSON (an event stream, a PDF…).
    response_media_type: str = "application/json"
    tags: tuple[str, ...] = ()
    plugin: str = "core"


@dataclass
class Call:
    """What an operation's handler receives: ``async def handler(call: Call)``.

    The handler returns JSON-able data (sent with the operation's ``response_status``) or an
    aiohttp response. It raises ``aiguillage.problems.Problem`` for errors.
    """

    request: Any  # aiohttp.web.Request
    body: Any
    params: dict[str, Any]
    client: Any  # aiguillage.clients.ClientApp
    request_id: str

    @property
    def app(self) -> Any:
        return self.request.app


@dataclass
class Health:
    """What ``health`` returns. ``status`` is ``up``, ``down`` or ``degraded``."""

    status: Literal["up", "down", "degraded"]
    detail: str = ""
    latency_ms: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


Classification = Literal["transient", "permanent"]


# --- the hooks ----------------------------------------------------------------------------------


@hookspec
def plugin_info() -> PluginInfo:
    """Describe the plugin: name (the config table and entry-point name), version, title, the
    ``/v1/`` prefixes it owns, the outbox kinds it delivers and its config keys with defaults.
    Called once at start-up for every installed plugin, enabled or not."""


@hookspec
def register_operations(register: Callable[[Operation], None], config: PluginConfig) -> None:
    """Call ``register(Operation(...))`` for each API operation the plugin serves. Paths must
    start with ``/v1/<prefix>/`` for one of the plugin's prefixes."""


@hookspec
def startup(app: Any, config: PluginConfig) -> None:
    """Open long-lived resources (HTTP sessions, loaded keys, SOAP clients) once the simulator,
    if any, is running and ``config.endpoint_url`` is known; keep them in ``config.state``.
    May be ``async``."""


@hookspec
def shutdown(app: Any, config: PluginConfig) -> None:
    """Release what ``startup`` opened. Called in reverse order of start-up. May be ``async``."""


@hookspec(firstresult=True)
def deliver(item: Any, config: PluginConfig) -> dict[str, Any] | None:
    """Deliver one outbox item of a kind the plugin owns and return its result (JSON-able),
    or raise. An answer from the receiver meaning "already there" is a success: return a result
    saying so. Identifiers sent to the receiver must come from the item, fixed at enqueue time."""


@hookspec(firstresult=True)
def classify_error(error: BaseException, config: PluginConfig) -> Classification | None:
    """Say whether an exception raised by this plugin is ``"transient"`` (retry later) or
    ``"permanent"`` (a human must act). Return ``None`` to let the core decide: network errors
    and timeouts are transient, anything else permanent."""


@hookspec(firstresult=True)
def health(config: PluginConfig) -> Health:
    """Report whether the plugin can do its job now (endpoint reachable, certificates valid).
    Must answer within a few seconds. May be ``async``."""


@hookspec(firstresult=True)
def simulator(config: PluginConfig) -> Any:
    """Return an object with ``async start(host: str) -> str`` (returns the URL it serves) and
    ``async stop()``: a real server speaking the service's protocol. Used when the plugin's
    ``endpoint`` is ``"simulator"`` and by ``aiguillage simulate``."""
