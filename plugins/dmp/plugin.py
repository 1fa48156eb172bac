"""Hook implementations of the dmp plugin."""

from __future__ import annotations

import base64
import datetime as dt
import json

import aiohttp
from lxml import etree

from aiguillage import __version__, mtom
from aiguillage.appkeys import EVENTS, OUTBOX, SETTINGS
from aiguillage.certificates import CertificateError, certificate_keys
from aiguillage.health import service_health
from aiguillage.hookspecs import ConfigKey, Health, PluginConfig, PluginInfo, hookimpl
from aiguillage.outbox import DeliveryError, Item
from aiguillage.security.credentials import (
    client_context,
    configured_credential,
    configured_trust,
)
from aiguillage.security.practitioner import Practitioner
from aiguillage.security.saml import Signer
from aiguillage.security.testpki import plugin_test_pki
from aiguillage.security.vihf import Software
from aiguillage.simulators import Faults, fault_keys

from . import xades
from .api import KIND, OPERATIONS, queued_cda
from .batches import Batches, start_reporting, stop_reporting
from .cda import Patient, patient_of
from .client import DmpClient, DmpError
from .metadata import DocumentEntry, Submission, content_type_of, provide_and_register
from .simulator import DmpSimulator
from .valuesets import UnknownCode, lookup, value_set


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
                choices=("", *value_set("dmp_content_type")),
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
        ),
    )


@hookimpl
def register_operations(register, config: PluginConfig) -> None:
    for operation in OPERATIONS:
        register(operation)


@hookimpl
async def startup(app, config: PluginConfig) -> None:
    config.state["batches"] = batches = Batches(config.data_dir / "batches.db")
    config.state["batch_reporter"] = start_reporting(batches, app[OUTBOX], app[EVENTS])
    # Missing credentials, or no content type for the practice's submissions, leave this
    # plugin unusable, not the daemon; health says why.
    try:
        content_type_of(config.options["content_type_code"], app[SETTINGS].practitioner)
    except UnknownCode as exc:
        config.state["unavailable"] = str(exc)
        return
    try:
        auth = configured_credential(config, "auth_certificate", "structure-auth")
        signature = configured_credential(config, "signature_certificate", "practitioner-signature")
        if signature is None:
            raise CertificateError("[dmp] needs signature_certificate (the VIHF is signed)")
    except CertificateError as exc:
        config.state["unavailable"] = str(exc)
        return
    options = config.options
    trust = configured_trust(config)
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(ssl=client_context(auth, trust), limit=32)
    )
    config.state["session"] = session
    config.state["credentials"] = {"auth_certificate": auth, "signature_certificate": signature}
    config.state["signature"] = signature
    config.state["client"] = DmpClient(
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
async def deliver(item: Item, config: PluginConfig) -> dict | None:
    if item.kind != KIND:
        return None
    if "client" not in config.state:
        raise DeliveryError("plugin-unavailable", config.state.get("unavailable", ""), True)
    p = item.payload
    practitioner = Practitioner(**p["practitioner"])
    patient = patient_of(p["patient"])
    client: DmpClient = config.state["client"]
    try:
        replaces = await _entry_uuid(client, p.get("replaces"), practitioner, patient)
        # On the event loop, not in a thread: signing and the metadata take about a
        # millisecond, and threads contending for the GIL cost more than that (bench/dmp.py).
        body, parts = _submission(item, config, patient, practitioner, replaces)
        return await client.provide(body, parts, practitioner, patient.ins, patient.ins_oid)
    except DmpError as exc:
        raise DeliveryError(exc.code, exc.message, exc.transient) from None


def _submission(
    item: Item,
    config: PluginConfig,
    patient: Patient,
    practitioner: Practitioner,
    replaces: str | None,
) -> tuple[etree._Element, list[mtom.Part]]:
    """The ITI-41 body and its MTOM parts for the CDA queued with the item, identical on
    every try: same ids, same time, same bytes."""
    p = item.payload
    created = dt.datetime.fromisoformat(p["created"])
    document = p["document"]
    cda = _queued_cda(item, practitioner)
    # Fixed at queue time; items an earlier daemon queued get the practice's now.
    content_type = (
        p.get("content_type")
        or content_type_of(config.options["content_type_code"], practitioner).code
    )
    signature = xades.sign({p["ids"]["document"]: cda}, config.state["signature"], now=created)
    submission = Submission(
        patient=patient,
        practitioner=practitioner,
        document=DocumentEntry(
            cda,
            p["ids"]["document"],
            document["title"],
            document["type_code"],
            document["format"],
            created,
            confidentiality=[p["confidentiality"]],
            service_start=document.get("service_start"),
            service_stop=document.get("service_stop"),
        ),
        signature=signature,
        signature_unique_id=p["ids"]["signature"],
        source_id=config.options["lps_id"],
        content_type=lookup("dmp_content_type", content_type),
        unique_id=p["ids"]["submission"],
        replaces=replaces,
        submitted=created,
    )
    body = provide_and_register(submission, ("document@aiguillage", "signature@aiguillage"))
    return body, [
        mtom.Part("document@aiguillage", "text/xml", cda),
        mtom.Part("signature@aiguillage", "text/xml", signature),
    ]


def _queued_cda(item: Item, practitioner: Practitioner) -> bytes:
    """The CDA queued with the item. Items queued before documents were built at queue time
    hold the PDF or the VSM's JSON instead: their CDA is built here, from the same ids and
    time, so an upgrade with sends still waiting loses none."""
    attachment = item.attachments[0]
    if attachment.content_type == "application/pdf":
        pdf_base64 = base64.b64encode(attachment.data)
        return queued_cda(item.payload, practitioner, pdf_base64=pdf_base64)
    if attachment.content_type == "application/json":
        return queued_cda(item.payload, practitioner, vsm_content=json.loads(attachment.data))
    return attachment.data


async def _entry_uuid(
    client: DmpClient, unique_id: str | None, practitioner: Practitioner, patient: Patient
) -> str | None:
    """The registry's entryUUID of the document a new one replaces."""
    if not unique_id:
        return None
    # RPLC replaces an approved document only.
    entry = await client.entry(unique_id, ("Approved",), patient.ins, patient.ins_oid, practitioner)
    if entry is not None:
        return entry.entry_uuid
    raise DmpError(
        "XDSUnknownReplacedDocument",
        f"the document {unique_id} to replace is not in the patient's DMP "
        f"(or is no longer approved)",
    )


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
