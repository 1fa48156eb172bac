"""Hook implementations of the dmp plugin."""

from __future__ import annotations

import aiohttp

from aiguillage.plugin import (
    CertificateError,
    ConfigKey,
    Daemon,
    Delivered,
    Faults,
    Health,
    Item,
    PluginConfig,
    PluginInfo,
    Signer,
    Software,
    __version__,
    certificate_keys,
    client_context,
    configured_credential,
    configured_trust,
    fault_keys,
    hookimpl,
    identity_config_keys,
    ihe,
    plugin_test_pki,
    service_health,
)

from .api import OPERATIONS
from .batches import Batches, start_reporting, stop_reporting
from .client import DmpClient
from .delivery import deliver_document
from .documents import KIND
from .metadata import content_type_of
from .simulator import DmpSimulator


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="dmp",
        version=__version__,
        title="DMP / Mon espace santé: the shared medical record (IHE XDS.b)",
        api_prefixes=("dmp",),
        outbox_kinds=(KIND,),
        config=(
            ConfigKey("timeout", "float", 10.0, "seconds before a call to the service gives up"),
            *certificate_keys("auth_certificate", "structure authentication certificate"),
            *certificate_keys("signature_certificate", "signature certificate of the VIHF"),
            ConfigKey(
                "server_ca",
                "str",
                "",
                "PEM bundle trusted for the DMP server (empty: the system's trust store)",
            ),
            ConfigKey(
                "lps_id",
                "str",
                "1.2.250.1.999.1",
                "the software's OID (LPS_ID, submission sourceId)",
            ),
            ConfigKey(
                "content_type_code",
                "str",
                "",
                "the practice's SubmissionSet contentTypeCode (JDV_J59: an activity sector "
                "SA05…SA63, a TRE_R209 activity type, 05 or EXP_PATIENT); empty: the "
                "practitioner's activity sector",
                choices=("", *ihe.valuesets.value_set("dmp_content_type")),
            ),
            ConfigKey("lps_name", "str", "Aiguillage", "software name in the VIHF"),
            ConfigKey("lps_version", "str", __version__, "software version in the VIHF"),
            ConfigKey(
                "dmp_homologation",
                "str",
                "NumAutorisation",
                "DMP homologation number (LPS_ID_HOMOLOGATION_DMP)",
            ),
            *fault_keys("DMPServiceUnavailable"),
            *identity_config_keys(),
        ),
    )


@hookimpl
def register_operations(register, config: PluginConfig) -> None:
    for operation in OPERATIONS:
        register(operation)


@hookimpl
async def startup(daemon: Daemon, config: PluginConfig) -> None:
    config.state["batches"] = batches = Batches(config.data_dir / "batches.db")
    config.state["batch_reporter"] = start_reporting(batches, daemon)
    # Missing credentials, or no content type for the practice's submissions, leave this
    # plugin unusable, not the daemon; health says why.
    try:
        content_type_of(config.options["content_type_code"], daemon.practitioner)
    except ihe.UnknownCode as exc:
        config.unavailable = str(exc)
        return
    try:
        auth = configured_credential(config, "auth_certificate", "structure-auth")
        signature = configured_credential(config, "signature_certificate", "practitioner-signature")
        if signature is None:
            raise CertificateError("[dmp] needs signature_certificate (the VIHF is signed)")
    except CertificateError as exc:
        config.unavailable = str(exc)
        return
    options = config.options
    trust = configured_trust(config)
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(ssl=client_context(auth, trust), limit=32)
    )
    config.state["session"] = session
    config.state["signature"] = signature
    config.credentials = {"auth_certificate": auth, "signature_certificate": signature}
    config.service = DmpClient(
        base_url=config.endpoint_url,
        session=session,
        signer=Signer(signature),
        software=Software(
            options["lps_id"],
            options["lps_name"],
            options["lps_version"],
            options["dmp_homologation"],
        ),
        timeout=options["timeout"],
    )


@hookimpl
async def shutdown(config: PluginConfig) -> None:
    reporter = config.state.pop("batch_reporter", None)
    if reporter is not None:
        await stop_reporting(reporter)
    batches = config.state.pop("batches", None)
    if batches is not None:
        batches.close()
    session = config.state.pop("session", None)
    if session is not None:
        await session.close()


@hookimpl
async def health(config: PluginConfig) -> Health:
    return await service_health(config)


@hookimpl
async def deliver(item: Item, config: PluginConfig) -> Delivered | None:
    if item.kind != KIND:
        return None
    return await deliver_document(item, config)


@hookimpl
def simulator(config: PluginConfig) -> DmpSimulator:
    pki = plugin_test_pki(config.data_dir)
    return DmpSimulator(
        server_p12=pki.p12("server"),
        password=pki.password,
        trust=pki.ca_bundle,
        database=config.data_dir / "simulator.db",
        faults=Faults.from_options(config.options),
    )
