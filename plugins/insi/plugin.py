"""Hook implementations of the insi plugin."""

from __future__ import annotations

import uuid

import aiohttp

from aiguillage.plugin import (
    CertificateError,
    ConfigKey,
    Health,
    PluginConfig,
    PluginInfo,
    Signer,
    TestPki,
    __version__,
    certificate_keys,
    client_context,
    configured_credential,
    configured_trust,
    fault_keys,
    hookimpl,
    plugin_test_pki,
    service_health,
)

from .api import OPERATIONS
from .client import InsiClient, Software
from .simulator import Faults, InsiSimulator

DEFAULT_IDAM = "NumAutorisation"


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="insi",
        version=__version__,
        title="INSi: the national health identity (INS) teleservice",
        api_prefixes=("ins",),
        # The service answered: found one, no one, or several (CR 00, 01, 02).
        success_outcomes=("ok", "cr00", "cr01", "cr02"),
        config=(
            ConfigKey("timeout", "float", 10.0, "seconds before a call to the service gives up"),
            ConfigKey(
                "retries",
                "int",
                2,
                "extra tries of a transient failure (network, 5xx, "
                "siram_40); functional faults are never retried",
            ),
            ConfigKey(
                "mode",
                "str",
                "card",
                "card: signed PS assertion; machine: TLS certificate INSI-AUTO/INSI-MANU alone",
                ("card", "machine"),
            ),
            *certificate_keys(
                "auth_certificate",
                "TLS client certificate (structure "
                "authentication; CN INSI-AUTO or INSI-MANU in machine mode)",
            ),
            *certificate_keys("signature_certificate", "signs the PS assertion (card mode)"),
            ConfigKey(
                "server_ca",
                "str",
                "",
                "PEM bundle trusted for the INSi server (empty: the system's trust store)",
            ),
            ConfigKey("idam", "str", DEFAULT_IDAM, "software authorisation number (IDAM)"),
            ConfigKey("idam_r", "str", "4", "the IDAM's R attribute"),
            ConfigKey("software_name", "str", "Aiguillage", "software name in ContexteLPS"),
            ConfigKey("software_version", "str", __version__, "software version in ContexteLPS"),
            ConfigKey(
                "software_instance",
                "str",
                "",
                "installation id in ContexteLPS (empty: one generated and kept in the data dir)",
            ),
            ConfigKey(
                "assertion_validity",
                "float",
                300.0,
                "seconds a PS assertion is valid (it is reused, not re-signed, within that time)",
            ),
            ConfigKey("simulator_idams", "list", [DEFAULT_IDAM], "IDAMs the simulator accepts"),
            *fault_keys("answer siram_40 to all"),
        ),
    )


@hookimpl
def register_operations(register, config: PluginConfig) -> None:
    for operation in OPERATIONS:
        register(operation)


def test_pki(config: PluginConfig) -> TestPki:
    return plugin_test_pki(config.data_dir)


@hookimpl
async def startup(config: PluginConfig) -> None:
    # Missing or unreadable credentials leave the plugin unusable, not the daemon: its health
    # and its operations say why, and `aiguillage doctor` too.
    try:
        _start(config)
    except CertificateError as exc:
        config.unavailable = str(exc)


def _start(config: PluginConfig) -> None:
    options = config.options
    card = options["mode"] == "card"
    auth = configured_credential(
        config, "auth_certificate", "structure-auth" if card else "insi-auto"
    )
    signer = None
    if card:
        signature = configured_credential(config, "signature_certificate", "practitioner-signature")
        if signature is None:
            raise CertificateError(
                '[insi] mode = "card" needs signature_certificate (the PS assertion is signed)'
            )
        signer = Signer(signature)
    trust = configured_trust(config)
    connector = aiohttp.TCPConnector(ssl=client_context(auth, trust), limit=32)
    session = aiohttp.ClientSession(connector=connector)
    config.state["session"] = session
    config.credentials = {
        "auth_certificate": auth,
        "signature_certificate": signer.credential if signer else None,
    }
    config.service = InsiClient(
        endpoint=config.endpoint_url,
        session=session,
        software=Software(
            options["idam"],
            options["idam_r"],
            options["software_name"],
            options["software_version"],
            _instance(config),
        ),
        signer=signer,
        timeout=options["timeout"],
        retries=options["retries"],
        assertion_validity=options["assertion_validity"],
    )


def _instance(config: PluginConfig) -> str:
    if config.options["software_instance"]:
        return config.options["software_instance"]
    path = config.data_dir / "instance-id"
    if not path.exists():
        path.write_text(str(uuid.uuid4()))
    return path.read_text().strip()


@hookimpl
async def shutdown(config: PluginConfig) -> None:
    session = config.state.pop("session", None)
    if session is not None:
        await session.close()


@hookimpl
async def health(config: PluginConfig) -> Health:
    return await service_health(config)


@hookimpl
def simulator(config: PluginConfig) -> InsiSimulator:
    pki = test_pki(config)
    options = config.options
    return InsiSimulator(
        server_p12=pki.p12("server"),
        password=pki.password,
        trust=pki.ca_bundle,
        idams=options["simulator_idams"],
        faults=Faults.from_options(options),
    )
