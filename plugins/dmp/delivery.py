"""Delivering a queued document: the ITI-41 submission built from what the outbox item holds,
identical on every try (same ids, same time, same bytes). A registry answer that the document's
uniqueId is already registered counts as delivered only once the registry's entry shows it is
this very document (same patient, hash and size): an EHR's CDA may reuse an id another
document holds."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json

from lxml import etree

from aiguillage.plugin import (
    Delivered,
    DeliveryError,
    Item,
    PluginConfig,
    Practitioner,
    ihe,
    mtom,
)

from . import xades
from .client import DmpClient, DmpError, Entry, UniqueIdTaken
from .documents import queued_cda
from .metadata import DocumentEntry, Submission, content_type_of, provide_and_register


async def deliver_document(item: Item, config: PluginConfig) -> Delivered:
    p = item.payload
    practitioner = Practitioner(**p["practitioner"])
    patient = ihe.patient_of(p["patient"])
    client: DmpClient = config.service
    try:
        replaces = await _entry_uuid(client, p.get("replaces"), practitioner, patient)
        # On the event loop, not in a thread: signing and the metadata take about a
        # millisecond, and threads contending for the GIL cost more than that (bench/dmp.py).
        body, parts = _submission(item, config, patient, practitioner, replaces)
        try:
            await client.provide(body, parts, practitioner, patient.ins, patient.ins_oid)
        except UniqueIdTaken as taken:
            unique_id = p["ids"]["document"]
            entry = await _registered_entry(client, unique_id, practitioner, patient)
            _check_same_document(taken, entry, unique_id, parts[0].data, patient)
            return Delivered(
                {"registry": taken.message, "entry_uuid": entry.entry_uuid}, already_present=True
            )
    except DmpError as exc:
        raise DeliveryError(exc.code, exc.message, exc.transient) from None
    return Delivered()


async def _registered_entry(
    client: DmpClient, unique_id: str, practitioner: Practitioner, patient: ihe.Patient
) -> Entry | None:
    """The entry the registry holds under ``unique_id`` in the patient's DMP (ITI-18
    GetDocuments, which answers about the VIHF's patient only), or ``None``."""
    entries = await client.get([unique_id], patient.ins, patient.ins_oid, practitioner)
    return next((e for e in entries if e.unique_id == unique_id), None)


def _check_same_document(
    taken: UniqueIdTaken, entry: Entry | None, unique_id: str, cda: bytes, patient: ihe.Patient
) -> None:
    """Nothing if ``entry`` is the document sent: this patient's, with the CDA's SHA-1 (hex)
    and size in bytes, as XDS registers them. Otherwise a permanent :class:`DmpError` naming
    who holds the uniqueId; another patient is not named (their INS is none of this send's
    business)."""
    if entry is None:
        raise DmpError(
            taken.code,
            f"uniqueId {unique_id} is already registered, for a document that is not in this "
            f"patient's DMP (another patient's, or one deleted or hidden): this document was "
            f"not filed; give it another ClinicalDocument/id",
        )
    holder = f"uniqueId {unique_id} is already registered for entry {entry.entry_uuid}"
    if entry.patient_id != ihe.hl7v2.cx(patient):
        raise DmpError(
            taken.code,
            f"{holder}, another patient's document: this document was not filed; give it "
            f"another ClinicalDocument/id",
        )
    registered = (
        (entry.slots.get("hash") or [""])[0].lower(),
        (entry.slots.get("size") or [""])[0],
    )
    if registered != (hashlib.sha1(cda).hexdigest(), str(len(cda))):
        raise DmpError(
            taken.code,
            f"{holder} in this patient's DMP, with other content (hash {registered[0] or '?'}, "
            f"size {registered[1] or '?'}; this document: hash {hashlib.sha1(cda).hexdigest()}, "
            f"size {len(cda)}): this document was not filed; give it another ClinicalDocument/id",
        )


def _submission(
    item: Item,
    config: PluginConfig,
    patient: ihe.Patient,
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
        content_type=ihe.lookup("dmp_content_type", content_type),
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
    client: DmpClient, unique_id: str | None, practitioner: Practitioner, patient: ihe.Patient
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
