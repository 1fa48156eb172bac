"""The plugin contract: every hook a plugin may implement, and the plain data they exchange.

Plugins import these through ``aiguillage.plugin``, the one public module. A plugin is a module
(or object) with functions decorated by ``hookimpl`` whose names are the hooks below. It
implements only the hooks it needs, and takes only the keyword arguments it uses (pluggy passes
arguments by name). Hooks may be ``async def``: the core awaits what they return.

Per-plugin hooks (everything but ``plugin_info`` and ``register_commands``) are called through
pluggy for one plugin at a time, with that plugin's own ``config``; they are never called for a
disabled plugin, but ``register_operations`` (called for every installed plugin, which can be
switched on at run time). ``startup`` and ``shutdown`` may run more than once in a process.

Every hook is documented in ``docs/plugins.md``; a test fails when one is not.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pluggy

from aiguillage.journal import Entry
from aiguillage.problems import Problem

if TYPE_CHECKING:
    import click

    from aiguillage.daemon import Daemon
    from aiguillage.security.credentials import Credential
    from aiguillage.security.practitioner import Practitioner

#: Bumped on any incompatible change to the hooks or the dataclasses below. A plugin states the
#: major version it was written for in ``PluginInfo.contract``; start-up refuses a mismatch.
CONTRACT_VERSION = "2.5"

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
    #: Outcomes of its journal rows that mean the service did what was asked (an INSi "compte
    #: rendu" that found no one is one); any other but ``pending`` is a failure. The Services
    #: page shows the last of each.
    success_outcomes: tuple[str, ...] = ("ok",)

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
    #: What ``startup`` opened for the operations to reach the service (its protocol client);
    #: ``call.service()`` hands it to a handler.
    service: Any = None
    #: Why the plugin cannot work (missing certificate…), set by ``startup``: its operations
    #: answer 503 with it, its outbox items wait queued until a restart, its health is down.
    unavailable: str | None = None
    #: The credentials ``startup`` loaded, by config key: health turns degraded before they
    #: expire.
    credentials: dict[str, Credential | None] = field(default_factory=dict)
    #: Anything else the plugin keeps between its hooks (sessions, stores). The core never
    #: reads it.
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
    ``request_schema`` before ``handler`` runs; ``response_schema`` describes the 2xx body (tests
    check every answer against it). ``scope`` is the token scope a client app needs (``None``:
    any authenticated app). ``handler`` is ``async def handler(call: Call)``.

    Everything else describes the operation in the OpenAPI document and the plugin's README
    (``docs/plugins.md``, "Describing an operation"): a schema dict with a ``title`` becomes the
    named component of that title.
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
    #: Response media type(s) when not JSON (an event stream, a PDF…); a file answer may have
    #: several, each described as binary unless ``response_schema`` says otherwise.
    response_media_type: str | tuple[str, ...] = "application/json"
    tags: tuple[str, ...] = ()
    plugin: str = "core"
    #: The operation's name in the OpenAPI document and generated clients (``searchIns``); empty:
    #: derived from the method and path.
    operation_id: str = ""
    #: Markdown said below the summary.
    description: str = ""
    #: Problem types (the part after ``urn:aiguillage:problem:``) the operation can answer, by
    #: status, besides those every operation may answer (docs/api.md, "Errors"). Tests refuse a
    #: problem an operation answers without declaring it.
    errors: dict[int, tuple[str, ...]] = field(default_factory=dict)
    #: Named examples of the request body and of the success answer.
    request_examples: dict[str, Any] = field(default_factory=dict)
    response_examples: dict[str, Any] = field(default_factory=dict)
    #: Request headers the operation reads and response headers its success answer carries,
    #: by name, from the core's table (``docs/api.md``, "Headers"): ``("Idempotency-Key",)``.
    request_headers: tuple[str, ...] = ()
    response_headers: tuple[str, ...] = ()

    @property
    def media_types(self) -> tuple[str, ...]:
        """The success answer's media types."""
        kind = self.response_media_type
        return (kind,) if isinstance(kind, str) else kind


@dataclass
class Call:
    """What an operation's handler receives: ``async def handler(call: Call)``.

    The handler returns JSON-able data (sent with the operation's ``response_status``) or an
    aiohttp response. It raises ``Problem`` for errors.
    """

    request: Any  # aiohttp.web.Request
    body: Any
    params: dict[str, Any]
    #: The calling client app (``name``, ``scopes``).
    client: Any
    request_id: str
    #: The operation's plugin's config (``None`` for the core's own operations).
    config: PluginConfig | None = None
    daemon: Daemon | None = None

    @property
    def app(self) -> Any:
        return self.request.app

    @property
    def practitioner(self) -> Practitioner:
        """Who acts: the practice's practitioner, overridden by the body's ``practitioner``
        object when the request has one."""
        assert self.daemon is not None
        given = self.body.get("practitioner") if isinstance(self.body, dict) else None
        return self.daemon.practitioner.override(given)

    def service(self) -> Any:
        """The plugin's service client (``config.service``), or a 503 problem saying why the
        plugin is unavailable."""
        assert self.config is not None
        if self.config.service is None:
            raise Problem(
                503,
                "plugin-unavailable",
                f"The {self.config.name} plugin is not available",
                self.config.unavailable or f"the {self.config.name} plugin did not start",
                service=self.config.name,
            )
        return self.config.service

    async def journal(
        self,
        event: str,
        summary: str,
        outcome: str = "ok",
        *,
        practitioner: Practitioner | None = None,
        patient_ins: str | None = None,
        patient_name: str | None = None,
        request: Any = None,
        response: Any = None,
        durable: bool = False,
    ) -> Entry:
        """Journal one exchange of this request with the service (what was asked, what came
        back), tagged with the request id, the client app and the practitioner; returns once
        the row is committed (``durable=True``: once it is on disk, safe from a power cut)."""
        assert self.daemon is not None
        who = practitioner or self.practitioner
        entry = Entry(
            event=event,
            summary=summary,
            outcome=outcome,
            request_id=self.request_id,
            client=self.client.name if self.client else None,
            **who.journal_fields(),
            patient_ins=patient_ins,
            patient_name=patient_name,
            request=request,
            response=response,
        )
        await self.daemon.journal(entry, durable=durable)
        return entry

    @contextlib.asynccontextmanager
    async def remote_action(
        self,
        event: str,
        summary: str,
        *,
        practitioner: Practitioner | None = None,
        patient_ins: str | None = None,
        patient_name: str | None = None,
        request: Any = None,
    ) -> AsyncIterator[RemoteAction]:
        """Journal a call that changes something at the service *before* making it, so that
        no action the service took goes unjournaled::

            async with call.remote_action("dmp.authorization", "add", patient_ins=ins) as done:
                detail = await client.set_authorization(...)
                done.summary = f"added: {detail}"

        A ``pending`` row (``summary``, ``request``) is committed to disk first; if it cannot
        be written (disk full…) the error propagates and the block never runs: the call is
        not made. When the block ends, a second row under the same event and request id says
        how it went: ``done.outcome`` (``ok`` unless the block set it) and
        ``done.summary`` / ``done.response``. When the block raises, that row is written
        too — with the outcome the block set before raising (the service's error code), else
        ``error`` — and the exception goes on. A pending row without its outcome row means the
        daemon could not learn or record how the call ended: the action may have happened."""
        who = practitioner or self.practitioner
        tags = {"practitioner": who, "patient_ins": patient_ins, "patient_name": patient_name}
        await self.journal(event, summary, "pending", request=request, durable=True, **tags)
        action = RemoteAction(summary)
        try:
            yield action
        except BaseException as exc:
            if action.outcome == "ok":
                action.outcome = "error"
                action.summary = f"{summary}: failed ({type(exc).__name__}: {exc})"
            await self._outcome(event, action, tags)
            raise
        await self._outcome(event, action, tags)

    async def _outcome(self, event: str, action: RemoteAction, tags: dict[str, Any]) -> None:
        await self.journal(
            event, action.summary, action.outcome, response=action.response, durable=True, **tags
        )


@dataclass
class RemoteAction:
    """What ``Call.remote_action`` yields: the block says here how the call went, for the
    journal row that follows it."""

    summary: str
    #: ``ok``, or the service's error code (``not-found``…) when the block failed.
    outcome: str = "ok"
    response: Any = None


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
    start with ``/v1/<prefix>/`` for one of the plugin's prefixes. Called once at start-up for
    every installed plugin, enabled or not: a disabled one's operations answer 404
    ``plugin-disabled`` until it is switched on."""


@hookspec
def startup(daemon: Daemon, config: PluginConfig) -> None:
    """Open long-lived resources (HTTP sessions, loaded keys, SOAP clients) once the simulator,
    if any, is running and ``config.endpoint_url`` is known. Set ``config.service`` to what the
    operations use, or ``config.unavailable`` to why the plugin cannot work; keep the rest in
    ``config.state``. Runs again, with a new ``config``, each time the plugin is switched on
    while the daemon runs. May be ``async``."""


@hookspec
def shutdown(daemon: Daemon, config: PluginConfig) -> None:
    """Release what ``startup`` opened (also when it stopped early, having set
    ``config.unavailable``). Called in reverse order of start-up, and when the plugin is
    switched off while the daemon runs. May be ``async``."""


@hookspec(firstresult=True)
def deliver(item: Any, config: PluginConfig) -> Any:
    """Deliver one outbox ``Item`` of a kind the plugin owns and return what the receiver
    answered: a ``Delivered`` (``already_present=True`` when the receiver already had it, which
    is a success) or a JSON-able dict; raise ``DeliveryError`` (or anything: see
    ``classify_error``) on failure. Identifiers sent to the receiver must come from the item,
    fixed at enqueue time."""


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


@hookspec
def register_commands(cli: click.Group, with_config: Callable[..., Any]) -> None:
    """Add the plugin's commands to the ``aiguillage`` command line: ``@cli.command()`` or
    ``@cli.group()``, as with click. ``with_config`` decorates a command so that it takes the
    usual ``--config`` and ``--data-dir`` options and receives the plugin's ``config`` (a
    ``PluginConfig`` with ``data_dir``, its folder in the daemon's data dir). Called once per
    installed plugin, enabled or not, when a command the core does not have is asked for or
    listed; a command named like one of the core's or another plugin's is left out."""


@hookspec(firstresult=True)
def resolve_beneficiary(call: Call, session: str, index: int, config: PluginConfig) -> Any:
    """Give the beneficiary number ``index`` (0-based) of the carte Vitale session ``session``
    (an ApCV session, say) as a ``BENEFICIARY_SCHEMA`` dict, or ``None`` when the plugin holds
    no session of that id. Raise ``Problem`` when it holds it but cannot give it (expired: 410;
    no such beneficiary: 422 naming ``beneficiary``). ``call`` is the operation that asks (its
    request id and practitioner tag the journal rows); ``config`` is the answering plugin's.
    Other plugins reach it through ``call.daemon.resolve_beneficiary``, never by importing the
    plugin. May be ``async``."""


@hookspec(firstresult=True)
def sign_care_sheet(
    call: Call, session: str, index: int, digest: str, summary: dict[str, str], config: PluginConfig
) -> Any:
    """Have beneficiary ``index`` of session ``session`` sign a care sheet: ``digest`` is the
    sheet's SHA-256 (hex), ``summary`` what the beneficiary is shown (labelled strings). Return
    ``{"value": base64, "signed_at": ISO time, "reference": str, "context": str}`` (``context``:
    the service's id of the session's context the signature was made in), or ``None`` when the
    plugin holds no session of that id; raise ``Problem`` as ``resolve_beneficiary`` does.
    Reached through ``call.daemon.sign_care_sheet``. May be ``async``."""
