"""Delivering a queued document: the ITI-41 submission built from what the outbox item holds,
identical on every try (same ids, same time, same bytes)."""

from __future__ import annotations

import base64
import datetime as dt
import json

from lxml import etree

from aiguillage.plugin import Delivered, DeliveryError, Item, PluginConfig, Practitioner, mtom

from . import xades
from .cda import Patient, patient_of
from .client import DmpClient, DmpError
from .documents import queued_cda
from .metadata import DocumentEntry, Submission, content_type_of, provide_and_register
from .valuesets import lookup


async def deliver_document(item: Item, config: PluginConfig) -> Delivered:
    p = item.payload
    practitioner = Practitioner(**p["practitioner"])
    patient = patient_of(p["patient"])
    client: DmpClient = config.service
    try:
        replaces = await _entry_uuid(client, p.get("replaces"), practitioner, patient)
        # On the event loop, not in a thread: signing and the metadata take about a
        # millisecond, and threads contending for the GIL cost more than that (bench/dmp.py).
        body, parts = _submission(item, config, patient, practitioner, replaces)
        already = await client.provide(body, parts, practitioner, patient.ins, patient.ins_oid)
    except DmpError as exc:
        raise DeliveryError(exc.code, exc.message, exc.transient) from None
    if already is not None:
        return Delivered({"registry": already}, already_present=True)
    return Delivered()


def _submission(
    item: Item,
    config: PluginConfig,
    patient: Patient,
    practitioner: Practitioner,
    replaces: str | None,
) -> tuple[etree._Element, list[mtom.Part]]:
    """The ITI-41 body and its MTOM parts for the CDA queued with the item."""
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
