"""Hook implementations of the jfse plugin."""

from __future__ import annotations

import aiohttp

from aiguillage.plugin import (
    CertificateError,
    ConfigKey,
    Daemon,
    Delivered,
    Health,
    Item,
    PluginConfig,
    PluginInfo,
    __version__,
    client_context,
    configured_trust,
    fault_keys,
    hookimpl,
    plugin_test_pki,
    service_health,
)

from .api import LOT_KIND, OPERATIONS
from .backend import JfseError
from .client import JsonBackend
from .delivery import deliver_lot
from .follow import start_following, stop_following
from .simulator import EDITOR_KEY, Faults, JfseSimulator
from .store import FseStore


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="jfse",
        version=__version__,
        title="jFSE: electronic care sheets (FSE) and billing",
        api_prefixes=("fse",),
        outbox_kinds=(LOT_KIND,),
        config=(
            ConfigKey("timeout", "float", 10.0, "seconds before a call to the engine gives up"),
            ConfigKey(
                "retries",
                "int",
                2,
                "extra tries of a transient failure (no answer, engine unavailable); a refusal "
                "is never retried",
            ),
            ConfigKey("id_jfse", "int", 1, "the installation's jFSE id (idJfse)"),
            ConfigKey(
                "editor_name", "str", "Aiguillage", "the software editor's name (editorName)"
            ),
            ConfigKey(
                "editor_key",
                "secret",
                None,
                "the editor key the engine's publisher issued (editorKey); with the simulator, "
                "its published test key when unset",
            ),
            ConfigKey(
                "etablissement",
                "str",
                "",
                "the practice as the engine knows it (integrator.etablissement); empty: the "
                "[practitioner] structure_id",
            ),
            ConfigKey(
                "amo_specialty",
                "str",
                "01",
                "the practitioner's AMO specialty code (01: general practice)",
            ),
            ConfigKey(
                "server_ca",
                "str",
                "",
                "PEM bundle trusted for the engine's HTTPS proxy (empty: the system's trust store)",
            ),
            ConfigKey(
                "arl_wait",
                "float",
                30.0,
                "seconds a lot's delivery waits for its ARL before the outbox tries again later",
            ),
            ConfigKey(
                "returns_interval",
                "float",
                30.0,
                "seconds between two looks at the payment and rejection notices",
            ),
            *fault_keys("answer SERVICE_INDISPONIBLE (503) to every call"),
        ),
    )


@hookimpl
def register_operations(register, config: PluginConfig) -> None:
    for operation in OPERATIONS:
        register(operation)


@hookimpl
async def startup(daemon: Daemon, config: PluginConfig) -> None:
    store = FseStore(config.data_dir / "fse.db")
    config.state["store"] = store
    config.state["daemon"] = daemon
    # What a crash left half done: a lot formed but never queued, a care sheet left securing.
    await store.recover()
    try:
        editor_key = _editor_key(config)
    except CertificateError as exc:
        config.unavailable = str(exc)
        return
    connector = aiohttp.TCPConnector(ssl=client_context(None, configured_trust(config)), limit=16)
    session = aiohttp.ClientSession(connector=connector)
    config.state["session"] = session
    options = config.options
    config.service = JsonBackend(
        endpoint=config.endpoint_url,
        session=session,
        id_jfse=options["id_jfse"],
        editor_name=options["editor_name"],
        editor_key=editor_key,
        etablissement=options["etablissement"] or daemon.practitioner.structure_id,
        timeout=options["timeout"],
        retries=options["retries"],
    )
    config.state["follower"] = start_following(daemon, config)


def _editor_key(config: PluginConfig) -> str:
    secret = config.options["editor_key"]
    if secret is not None:
        return secret.reveal()
    if config.endpoint == "simulator":
        return EDITOR_KEY
    raise CertificateError("[jfse] needs editor_key (the engine authenticates the software)")


@hookimpl
async def shutdown(config: PluginConfig) -> None:
    await stop_following(config.state.pop("follower", None))
    if config.service is not None:
        await config.service.aclose()
    session = config.state.pop("session", None)
    if session is not None:
        await session.close()
    store = config.state.pop("store", None)
    if store is not None:
        store.close()


@hookimpl
async def deliver(item: Item, config: PluginConfig) -> Delivered | None:
    if item.kind != LOT_KIND:
        return None
    return await deliver_lot(item, config)


@hookimpl
def classify_error(error: BaseException, config: PluginConfig) -> str | None:
    if isinstance(error, JfseError):
        return "transient" if error.transient else "permanent"
    return None


@hookimpl
async def health(config: PluginConfig) -> Health:
    """The engine's reachability, then whether its notices are being read."""
    found = await service_health(config)
    status = config.state.get("follow_status")
    if found.status == "up" and status is not None and status.last_error:
        found.status = "degraded"
        found.detail += f"; payment notices not read: {status.last_error}"
    return found


@hookimpl
def simulator(config: PluginConfig) -> JfseSimulator:
    return JfseSimulator(
        pki=plugin_test_pki(config.data_dir), faults=Faults.from_options(config.options)
    )
