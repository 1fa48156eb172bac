"""The DMP operations of the API: HTTP in, a DMP exchange or a queued send out.

What a document is queued as is built in ``documents.py``; the JSON shapes are in
``schemas.py``; the delivery (``delivery.py``) does not import this module.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web

from aiguillage.plugin import (
    ACCEPTED_SCHEMA,
    IDENTITY_STATUS_SCHEMA,
    INS_DEFAULT_OID,
    INS_OID_SCHEMA,
    MATRICULE,
    TIME_PARAM,
    Call,
    FieldError,
    Operation,
    Param,
    Practitioner,
    Problem,
    RemoteAction,
    Send,
    accept,
    accept_many,
    identity_problem,
    identity_refusal,
    ihe,
    journal_identity_refusal,
    parse_time,
    parse_xml,
    require_qualified,
    unwritable_text,
    utc_now,
    validation_problem,
)

from .batches import Batches, publish_progress
from .client import DmpClient, DmpError
from .client import Entry as RegistryEntry
from .documents import (
    CDA_ATTACHMENT,
    KIND,
    MAX_PDF_BYTES,
    cda_details,
    check_type,
    pdf_base64,
    queued_cda,
    queued_payload,
    vsm_details,
)
from .metadata import (
    STATUS_URNS,
    content_type_of,
    masking_update,
    status_update,
)
from .refusals import PATIENT_CODES, errors
from .refusals import problem as refusal
from .schemas import (
    AUTHORIZATION_ANSWER,
    AUTHORIZATION_SCHEMA,
    BATCH_ACCEPTED,
    BATCH_ANSWER,
    BATCH_SCHEMA,
    DOCUMENT_STATUS,
    LIST_ANSWER,
    SEND_SCHEMA,
    STATUS_ACTIONS,
    STATUS_ANSWER,
    STATUS_CHANGED,
    STATUS_SCHEMA,
    UNIQUE_ID,
)
from .vsm_status import OPERATION as VSM_STATUS_OPERATION

SCOPE = "dmp"
#: The statuses of a document that may be read, and that a status change may start from.
READABLE = ("Approved", "Deprecated")
CHANGEABLE = ("Approved", "Archived")


def _client(call: Call) -> DmpClient:
    return call.service()


def _ins(value: str, oid: str | None) -> tuple[str, str]:
    # The schema's "nir" format has checked the key.
    return value, oid or INS_DEFAULT_OID


class DocumentNotFound(Exception):
    """The patient's DMP holds no document with this uniqueId in a wanted status."""


@contextlib.asynccontextmanager
async def exchange(
    call: Call, practitioner: Practitioner, event: str, ins: str, changes: str | None = None
) -> AsyncIterator[RemoteAction]:
    """The one way a DMP exchange of a handler ends: journaled under ``event`` with the
    summary the handler set, or — on a DMP error or an unknown document — journaled with the
    error and turned into the problem the EHR gets (``refusals.py``).

    ``changes`` says, in words, what the exchange will change at the DMP: it is then a
    ``Call.remote_action``, journaled ``pending`` before anything is sent — if that row cannot
    be written, nothing is — and again once it has ended."""
    journaled = (
        call.remote_action(event, changes, practitioner=practitioner, patient_ins=ins)
        if changes
        else _journaled_after(call, practitioner, event, ins)
    )
    async with journaled as done:
        try:
            yield done
        except DmpError as exc:
            done.outcome, done.summary = exc.code, exc.message
            raise refusal(exc) from None
        except DocumentNotFound as exc:
            done.outcome, done.summary = "not-found", f"no document {exc}"
            raise Problem(
                404,
                "not-found",
                "No such document",
                f"The patient's DMP holds no document {exc} you can see.",
                service="dmp",
            ) from None


@contextlib.asynccontextmanager
async def _journaled_after(
    call: Call, practitioner: Practitioner, event: str, ins: str
) -> AsyncIterator[RemoteAction]:
    """One row once a read has ended, answered or refused (the outcome set)."""
    done = RemoteAction("")
    try:
        yield done
    except Problem:
        if done.outcome != "ok":
            await call.journal(
                event, done.summary, done.outcome, practitioner=practitioner, patient_ins=ins
            )
        raise
    await call.journal(event, done.summary, practitioner=practitioner, patient_ins=ins)


async def _entry(
    client: DmpClient,
    practitioner: Practitioner,
    ins: str,
    oid: str,
    unique_id: str,
    statuses: tuple[str, ...],
) -> RegistryEntry:
    """The patient's document ``unique_id`` if its status is one of ``statuses``."""
    entry = await client.entry(unique_id, statuses, ins, oid, practitioner)
    if entry is None:
        raise DocumentNotFound(unique_id)
    return entry


def content_type(call: Call, practitioner: Practitioner) -> ihe.Code:
    """The SubmissionSet contentTypeCode (JDV_J59) of what ``practitioner`` submits: the
    practice's ``[dmp] content_type_code``, or else its activity sector (TRE_R02, SA07 for a
    cabinet individuel), which J59 lists for every setting but hospitals. A 422 naming the
    sector when it is not in J59."""
    try:
        return content_type_of(call.config.options["content_type_code"], practitioner)
    except ihe.UnknownCode as exc:
        raise validation_problem([FieldError("/practitioner/activity_sector", str(exc))]) from None


async def patient_status(call: Call) -> dict[str, Any]:
    ins, oid = _ins(call.params["ins"], call.params.get("oid"))
    practitioner = call.practitioner
    async with exchange(call, practitioner, "dmp.patient.status", ins) as done:
        status = await _client(call).existence(ins, oid, practitioner)
        done.summary = (
            f"DMP {'exists' if status.exists else 'absent'}, authorization {status.authorization}"
        )
    return {
        "exists": status.exists,
        "closed": status.closed,
        "authorization": status.authorization,
        "treating_physician": status.treating_physician,
        "raw": status.raw,
    }


async def send_document(call: Call) -> web.Response:
    body = call.body
    document = body["document"]
    # The schema's oneOf lets through exactly one of them.
    (kind,) = [k for k in ("pdf", "cda", "vsm") if k in document]
    field = f"/document/{kind}"
    ins = body["patient"]["ins"]["matricule"]
    await require_qualified(
        call, body["patient"].get("identity_status"), ins, IDENTITY_FIELD, "DMP send"
    )
    problems = [
        FieldError(path, message)
        for path, message in unwritable_text(body, skip=("/document/pdf", "/document/cda"))
    ]
    content = b""
    if kind == "pdf":
        content = pdf_base64(document["pdf"], field, problems)
        details = {
            "title": document["title"],
            "type_code": document["type_code"],
            "format": "pdf",
            "unique_id": ihe.new_oid(),
        }
        check_type(document["type_code"], "/document/type_code", problems)
    elif kind == "vsm":
        details = vsm_details(document.get("title"))
    else:
        try:
            content = base64.b64decode(document["cda"], validate=True)
        except (binascii.Error, ValueError):
            raise validation_problem([FieldError(field, "not valid base64")]) from None
        if len(content) > MAX_PDF_BYTES:
            raise validation_problem([FieldError(field, f"larger than {MAX_PDF_BYTES} bytes")])
        details = cda_details(content, body["patient"], problems)
    if problems:
        raise validation_problem(problems)
    practitioner = call.practitioner
    payload = queued_payload(
        body["patient"],
        details,
        practitioner,
        content_type(call, practitioner),
        utc_now(),
        body.get("confidentiality", "N"),
        body.get("replaces"),
    )
    if kind == "pdf":
        try:
            content = queued_cda(payload, practitioner, pdf_base64=content)
        except ihe.NotBase64 as exc:
            raise validation_problem([FieldError(field, str(exc))]) from None
    elif kind == "vsm":
        content = queued_cda(payload, practitioner, vsm_content=document["vsm"])
    return await accept(
        call,
        kind=KIND,
        payload=payload,
        external_id=details["unique_id"],
        attachments=[(*CDA_ATTACHMENT, content)],
        patient=ins,
        practitioner=practitioner,
    )


async def list_documents(call: Call) -> dict[str, Any]:
    ins, oid = _ins(call.params["ins"], call.params.get("oid"))
    await require_qualified(
        call, call.params.get("identity_status"), ins, "identity_status", "DMP search"
    )
    practitioner = call.practitioner
    status = call.params.get("status")
    statuses = None if not status else [STATUS_URNS[status.capitalize()]]
    type_code = call.params.get("type")
    # XDS creationTime is YYYYMMDDhhmmss (UTC): compare it with the bounds written the same way.
    since = _dtm_param("from", call.params.get("from"))
    until = _dtm_param("to", call.params.get("to"))
    async with exchange(call, practitioner, "dmp.documents.search", ins) as done:
        entries = await _client(call).find(ins, oid, practitioner, statuses)
        done.summary = f"{len(entries)} document(s) listed"
    entries = [
        e
        for e in entries
        if (not type_code or e.type_code == type_code)
        and (not since or e.creation_time >= since)
        and (not until or e.creation_time < until)
    ]
    return {"documents": [document_entry(e) for e in entries]}


def document_entry(entry: RegistryEntry) -> dict[str, Any]:
    """A registry entry as the API shows it: its times in RFC 3339 beside the registry's DTMs,
    its author in parts."""

    def dtm(slot: str) -> str | None:
        return (entry.slots.get(slot) or [None])[0] or None  # an empty slot says nothing

    start, stop = dtm("serviceStartTime"), dtm("serviceStopTime")
    return {
        "unique_id": entry.unique_id,
        "title": entry.title,
        "type_code": entry.type_code,
        "status": entry.status.lower(),
        "created": ihe.hl7v2.rfc3339_of_dtm(entry.creation_time),
        "created_hl7": entry.creation_time or None,
        "service_start": ihe.hl7v2.rfc3339_of_dtm(start) if start else None,
        "service_start_hl7": start,
        "service_stop": ihe.hl7v2.rfc3339_of_dtm(stop) if stop else None,
        "service_stop_hl7": stop,
        "author": _author(entry.author_slots),
        "confidentiality": entry.confidentiality,
        "mime_type": entry.mime_type,
    }


def _author(slots: dict[str, list[str]]) -> dict[str, Any] | None:
    xcn = (slots.get("authorPerson") or [""])[0]
    if not xcn:
        return None

    def first(slot: str) -> str | None:
        return next((v for v in slots.get(slot, []) if v), None)

    institution, specialty = first("authorInstitution"), first("authorSpecialty")
    return {
        **ihe.hl7v2.person_of_xcn(xcn),
        "institution": ihe.hl7v2.institution_of_xon(institution) if institution else None,
        "role": first("authorRole"),
        "specialty": ihe.hl7v2.code_of_cwe(specialty) if specialty else None,
        "xcn": xcn,
    }


async def read_document(call: Call) -> web.Response:
    ins, oid = _ins(call.params["patient"], call.params.get("oid"))
    await require_qualified(
        call, call.params.get("identity_status"), ins, "identity_status", "DMP read"
    )
    unique_id = call.params["unique_id"]
    practitioner = call.practitioner
    client = _client(call)
    async with exchange(call, practitioner, "dmp.document.read", ins) as done:
        entry = await _entry(client, practitioner, ins, oid, unique_id, READABLE)
        content, mime_type = await client.retrieve(
            unique_id, entry.repository_id, practitioner, ins, oid
        )
        done.summary = f"document {unique_id} ({entry.title}) read"
    if call.params.get("render") == "pdf":
        content, mime_type = _pdf_of(content), "application/pdf"
    return web.Response(body=content, content_type=mime_type.split(";")[0])


def _dtm_param(name: str, text: str | None) -> str | None:
    timestamp = parse_time(name, text)
    if timestamp is None:
        return None
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y%m%d%H%M%S")


def _pdf_of(cda: bytes) -> bytes:
    q = f"{{{ihe.HL7}}}"
    text = parse_xml(cda).find(f"{q}component/{q}nonXMLBody/{q}text")
    if text is None or text.get("mediaType") != "application/pdf":
        raise _no_pdf("render=pdf needs a level 1 CDA wrapping a PDF.")
    try:
        pdf = base64.b64decode("".join((text.text or "").split()), validate=True)
    except (binascii.Error, ValueError):
        raise _no_pdf("The document's PDF body is not valid base64.") from None
    # An empty or foreign body would be an empty or unreadable "PDF" with a 200.
    if not pdf.startswith(b"%PDF-"):
        raise _no_pdf("The document's PDF body is empty or not a PDF.")
    return pdf


def _no_pdf(detail: str) -> Problem:
    return Problem(422, "not-level1-pdf", "No PDF in this document", detail, service="dmp")


async def change_status(call: Call) -> dict[str, Any]:
    """Mask, unmask, hide from the patient, archive or delete a document (TD3.3, ITI-57)."""
    body = call.body
    ins, oid = _ins(body["patient"]["matricule"], body["patient"].get("oid"))
    practitioner = call.practitioner
    client = _client(call)
    unique_id = call.params["unique_id"]
    action = body["action"]
    kind, value = STATUS_ACTIONS[action]
    patient = ihe.Patient(ins, oid, "", [""], "U", "", ihe.cda.UNKNOWN_BIRTH_PLACE)
    source_id = call.config.options["lps_id"]
    submitted = content_type(call, practitioner)
    changes = f"document {unique_id}: {action} requested"
    async with exchange(call, practitioner, f"dmp.document.{action}", ins, changes) as done:
        entry = await _entry(client, practitioner, ins, oid, unique_id, CHANGEABLE)
        if kind == "status":
            request = status_update(
                patient,
                practitioner,
                source_id,
                submitted,
                entry.entry_uuid,
                entry.status or "Approved",
                value,
            )
        else:
            add, remove = ({value}, set()) if kind == "add" else (set(), {value})
            request = masking_update(
                patient, practitioner, source_id, submitted, entry.element, add, remove
            )
        await client.update(request, practitioner, ins, oid)
        done.summary = f"document {unique_id} ({entry.title}): {action}"
    return {"unique_id": unique_id, "action": action, "done": True}


async def set_authorization(call: Call) -> dict[str, Any]:
    """Add or remove this practitioner's authorisation on the patient's DMP (TD0.3)."""
    ins, oid = _ins(call.params["ins"], call.params.get("oid"))
    practitioner = call.practitioner
    add = call.body["action"] == "add"
    client = _client(call)
    changes = f"authorization {call.body['action']} requested"
    async with exchange(call, practitioner, "dmp.authorization", ins, changes) as done:
        context = await client.set_authorization(ins, oid, practitioner, add)
        done.summary = f"authorization {call.body['action']}: {context}"
    return {"action": call.body["action"], "detail": context}


async def send_vsm_batch(call: Call) -> web.Response:
    """Queue the VSM of many patients; one outbox item each, all durable before the 202. The
    items whose identity may not be sent are refused one by one; the others go."""
    problems = [FieldError(path, message) for path, message in unwritable_text(call.body)]
    if problems:
        raise validation_problem(problems)
    items, refused = await _qualified_items(call)
    practitioner = call.practitioner
    submitted = content_type(call, practitioner)
    now = utc_now()

    def build(entry: dict[str, Any]) -> Send:
        details = vsm_details(entry.get("title"))
        payload = queued_payload(entry["patient"], details, practitioner, submitted, now)
        cda = queued_cda(payload, practitioner, vsm_content=entry["vsm"])
        return Send(
            payload,
            details["unique_id"],
            attachments=[(*CDA_ATTACHMENT, cda)],
            patient=entry["patient"]["ins"]["matricule"],
            practitioner=practitioner,
        )

    # Thousands of CDAs take seconds to build: in a thread, so other requests go on meanwhile.
    sends = await asyncio.to_thread(lambda: [build(entry) for entry in items])
    accepted = await accept_many(call, KIND, sends)
    batches = _batches(call)
    batch_id = await batches.record([(i.id, i.patient) for i in accepted.items])
    # Its items may all have ended before the batch was on disk, unseen by the progress
    # reporter: the last event goes out now then.
    summary = batches.summary(batch_id, call.daemon)
    if summary["done"] and not accepted.replayed:
        publish_progress(summary, call.daemon)
    location = f"/v1/dmp/batches/{batch_id}"
    answer = {
        "batch_id": batch_id,
        "items": len(accepted.items),
        "location": location,
        "refused": refused,
    }
    return accepted.response(answer, location)


async def _qualified_items(call: Call) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The batch's items that may be sent, and a report of each refused one (its position,
    patient, field and why), journaled; a 422 when none may."""
    assert call.config is not None
    kept, refused, errors = [], [], []
    for n, entry in enumerate(call.body["items"]):
        field = f"/items/{n}{IDENTITY_FIELD}"
        status = entry["patient"].get("identity_status")
        error = identity_refusal(call.config.options, status, field)
        if error is None:
            kept.append(entry)
            continue
        ins = entry["patient"]["ins"]["matricule"]
        await journal_identity_refusal(call, error, ins, f"VSM batch item {n}")
        errors.append(error)
        refused.append(
            {
                "index": n,
                "patient": ins,
                "identity_status": status,
                "field": error.field,
                "reason": error.message,
            }
        )
    if not kept:
        raise identity_problem(errors)
    return kept, refused


def _batches(call: Call) -> Batches:
    return call.config.state["batches"]


async def get_batch(call: Call) -> dict[str, Any]:
    summary = _batches(call).summary(call.params["batch_id"], call.daemon)
    if summary is None:
        raise Problem(
            404, "not-found", "No such batch", f"There is no batch {call.params['batch_id']}."
        )
    return summary


# --- the operations, as the OpenAPI document and the README describe them --------------------

_NOT_FOUND = {404: ("not-found",)}
#: Where a request's patient says the identity's RNIV status.
IDENTITY_FIELD = "/patient/identity_status"
_NOT_QUALIFIED = {422: ("identity-not-qualified",)}
_IDENTITY_PARAM = Param(
    "identity_status",
    "query",
    IDENTITY_STATUS_SCHEMA,
    description="the identity's RNIV status as the EHR holds it; one other than `QUAL` is a "
    "422 `identity-not-qualified` (see `[dmp] allow_unqualified_identity`)",
)

_INS_PARAM = Param("ins", "path", MATRICULE, description="the patient's INS (NIR or NIA)")
_OID_PARAM = Param("oid", "query", INS_OID_SCHEMA, description="the INS's OID; default: the NIR's")
_UNIQUE_ID_PARAM = Param(
    "unique_id",
    "path",
    UNIQUE_ID,
    description="the document's uniqueId, from the listing (`^` written `%5E`)",
)

#: NESSI RUTH ISABELLE, an INSi test identity whose DMP the simulator holds (patients.toml).
_RUTH = {
    "ins": {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"},
    "traits": {
        "birth_name": "NESSI",
        "first_names": ["RUTH", "ISABELLE"],
        "sex": "F",
        "birth_date": "1977-07-14",
        "birth_place": "63220",
    },
}
#: HERMAN GATIEN, another of them.
_GATIEN = {
    "ins": {"matricule": "181036322045676"},
    "traits": {
        "birth_name": "HERMAN",
        "first_names": ["GATIEN"],
        "sex": "M",
        "birth_date": "1981-03-24",
        "birth_place": "63220",
    },
}
_PDF_BASE64 = (
    "JVBERi0xLjQKMSAwIG9iajw8L1R5cGUvQ2F0YWxvZz4+ZW5kb2JqCnRyYWlsZXI8PC9Sb290IDEgMCBSPj4KJSVFT0YK"
)
_VSM_EXAMPLE = {
    "problems": [{"label": "Diabète de type 2", "code": "E11", "since": "2015-03-02"}],
    "allergies": [{"label": "Pénicilline"}],
    "treatments": [{"label": "Metformine 1000 mg", "dosage": "1 cp matin et soir"}],
}
_UNIQUE_ID_EXAMPLE = "2.25.87702065079632945140677260122843742920"
#: An entry as the simulator lists a PDF the test practitioner sent.
_ENTRY_EXAMPLE = {
    "unique_id": _UNIQUE_ID_EXAMPLE,
    "title": "Compte rendu de consultation",
    "type_code": "11488-4",
    "status": "approved",
    "created": "2026-12-02T15:20:35+00:00",
    "created_hl7": "20261202152035",
    "service_start": "2026-12-02T15:20:35+00:00",
    "service_start_hl7": "20261202152035",
    "service_stop": None,
    "service_stop_hl7": None,
    "author": {
        "id": "899900063480",
        "id_type": "IDNPS",
        "oid": "1.2.250.1.71.4.2.1",
        "family": "LIBRE",
        "given": "MAX",
        "institution": {
            "name": "CABINET TEST",
            "id": "499900063480001",
            "id_type": "IDNST",
            "oid": "1.2.250.1.71.4.2.2",
        },
        "role": None,
        "specialty": {
            "code": "G15_10/SM26",
            "display": "Médecin - Qualifié en Médecine Générale (SM)",
            "system": "1.2.250.1.213.1.1.4.5",
        },
        "xcn": "899900063480^LIBRE^MAX^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS",
    },
    "confidentiality": ["N"],
    "mime_type": "text/xml",
}

OPERATIONS = [
    Operation(
        "GET",
        "/v1/dmp/patients/{ins}",
        "Does the patient have a DMP, am I authorised (TD0.2)",
        patient_status,
        scope=SCOPE,
        operation_id="getDmpPatient",
        description="""TD0.2, the DMP's existence test: whether the patient has a DMP, whether
it is closed, the calling practitioner's authorisation on it (`valid`, `expired`, `none`, or
`blocked` when the patient refused it) and whether they are the patient's treating physician,
with the DMP's own codes in `raw`. A patient without a DMP is a 200 with `exists: false`.

Journaled `dmp.patient.status`, answered or refused.""",
        response_schema=STATUS_ANSWER,
        response_examples={
            "authorised": {
                "exists": True,
                "closed": False,
                "authorization": "valid",
                "treating_physician": True,
                "raw": {
                    "AUTORISATION": "VALIDE",
                    "STATUT_MT": "true",
                    "query_response": "OK",
                    "status": "active",
                },
            },
            "no DMP": {
                "exists": False,
                "closed": False,
                "authorization": "none",
                "treating_physician": False,
                "raw": {"query_response": "NF", "status": ""},
            },
        },
        params=[_INS_PARAM, _OID_PARAM],
        errors=errors(PATIENT_CODES),
    ),
    VSM_STATUS_OPERATION,
    Operation(
        "PUT",
        "/v1/dmp/patients/{ins}/authorization",
        "Add or remove my authorisation on the patient's DMP (TD0.3)",
        set_authorization,
        scope=SCOPE,
        operation_id="setDmpAuthorization",
        description="""TD0.3: the practitioner gives themselves, or gives up, access to the
patient's DMP, with the patient's consent. Adding an authorisation already there is a 200
whose `detail` says so. A patient who blocked this practitioner: 403 `dmp-access-denied`.

Journaled `dmp.authorization`: `pending` (synced to disk) before the DMP is called, then
with its outcome, so that no change is made that the journal does not show.""",
        params=[_INS_PARAM, _OID_PARAM],
        request_schema=AUTHORIZATION_SCHEMA,
        request_examples={"add": {"action": "add"}, "remove": {"action": "remove"}},
        response_schema=AUTHORIZATION_ANSWER,
        response_examples={"added": {"action": "add", "detail": "Autorisation ajoutée"}},
        errors=errors(PATIENT_CODES),
    ),
    Operation(
        "POST",
        "/v1/dmp/documents",
        "Send a document to the patient's DMP (queued, 202)",
        send_document,
        scope=SCOPE,
        operation_id="sendDmpDocument",
        errors=_NOT_QUALIFIED,
        description="""Queues a document for the patient's DMP and answers `202` with the
outbox item (kind `dmp.document`) once it is durable; the outbox delivers it (TD2.1, ITI-41)
and retries what is worth retrying. Follow it at `Location` or on the event stream.

The document is one of:

- `pdf`, with `title` and `type_code`: a PDF the daemon wraps in a CDA R2 level 1. The
  type is a DMP document type (JDV_J66, but `E1762`, the signature's);
- `vsm`, with an optional `title`: the volet de synthèse médicale, built by the daemon
  (CI-SIS VSM 2023.01) from its items;
- `cda`: the EHR's own CDA, a level 1 or a VSM (known by its templateId
  `1.2.250.1.213.1.1.1.13`), checked against the CDA XSD. It must be about the patient named:
  its `recordTarget/patientRole/id` under an INS OID is that patient's INS alone, under the
  OID given (an IPP may stand beside it), and each INS trait it writes (birth name, birth first
  names and the first of them, sex, birth date, birth place) is the request's once names are
  folded as the INS referential writes them (upper case, no diacritics, ligatures spelt out).
  A 422 on `/document/cda` says which differs.

The patient's traits are every INS trait, `birth_place` included (INSEE COG code, `99999`
when unknown): a CDA identified by an INS must carry them all. They are checked as an INS
search checks them (a birth date that cannot be one, or in the future, is a 422). The CDA is
built now, so a bad PDF, type or trait is a 422 rather than a later failure, and it waits in
the outbox as the item's attachment (`text/xml`, the bytes that will be sent). Text holding a
character XML cannot carry (a control character, say) is a 422 naming its field.
`replaces` names the uniqueId of a document of the patient that this one replaces (RPLC).

Only a qualified identity may be sent under the INS (RNIV): a `patient.identity_status` other
than `QUAL` is a 422 `identity-not-qualified` naming `/patient/identity_status`, journaled
`identity.refused`, unless `[dmp] allow_unqualified_identity`. Without a status the send goes
(the EHR did not say), unless `[dmp] require_identity_status`.

`Idempotency-Key` makes the send safe to repeat.""",
        request_schema=SEND_SCHEMA,
        request_headers=("Idempotency-Key",),
        request_examples={
            "pdf": {
                "patient": _RUTH,
                "document": {
                    "pdf": _PDF_BASE64,
                    "title": "Compte rendu de consultation",
                    "type_code": "11488-4",
                },
                "confidentiality": "N",
            },
            "vsm": {"patient": _RUTH, "document": {"vsm": _VSM_EXAMPLE}},
        },
        response_status=202,
        response_schema=ACCEPTED_SCHEMA,
        response_headers=("Location", "Idempotent-Replayed"),
        response_examples={
            "queued": {
                "id": 42,
                "state": "queued",
                "kind": KIND,
                "external_id": _UNIQUE_ID_EXAMPLE,
                "location": "/v1/outbox/42",
            }
        },
        max_body_bytes=32 * 1024 * 1024,
    ),
    Operation(
        "GET",
        "/v1/dmp/patients/{ins}/documents",
        "The patient's documents (TD3.1)",
        list_documents,
        scope=SCOPE,
        operation_id="listDmpDocuments",
        description="""TD3.1 (ITI-18 FindDocuments): the documents of the patient's DMP that
the practitioner may see, `approved` ones unless `status` asks for others; submission
signatures and documents another practitioner masked are not listed.

Times are RFC 3339 in UTC (`created`, `service_start`, `service_stop`), each beside the
registry's own value (an HL7 DTM, UTC: `created_hl7`…); a DTM less precise than the second
stands for the start of the period it names. `author` is the entry's `authorPerson` in parts,
with the institution, role and specialty the metadata gives, and the raw XCN in `xcn`.

`identity_status`: the identity's RNIV status; one other than `QUAL` is a 422
`identity-not-qualified` before any call (see `sendDmpDocument`). Journaled
`dmp.documents.search`.""",
        response_schema=LIST_ANSWER,
        response_examples={"one document": {"documents": [_ENTRY_EXAMPLE]}},
        params=[
            _INS_PARAM,
            _OID_PARAM,
            Param(
                "type",
                "query",
                {"type": "string"},
                description="only documents of this type (LOINC, JDV_J66)",
            ),
            Param(
                "status",
                "query",
                DOCUMENT_STATUS,
                description="only documents in this status; default: approved",
            ),
            Param("from", "query", TIME_PARAM, description="created at or after"),
            Param("to", "query", TIME_PARAM, description="created before"),
            _IDENTITY_PARAM,
        ],
        errors=errors(PATIENT_CODES, _NOT_QUALIFIED),
    ),
    Operation(
        "GET",
        "/v1/dmp/documents/{unique_id}",
        "A document's bytes (TD3.2)",
        read_document,
        scope=SCOPE,
        operation_id="getDmpDocument",
        description="""TD3.2 (ITI-43): the document as the DMP holds it — a CDA, `text/xml`.
With `render=pdf`, the PDF a level 1 CDA wraps (`application/pdf`); a document that wraps
none is a 422 `not-level1-pdf`. A document the practitioner cannot see, or deleted, is a 404
`not-found`.

A uniqueId is an OID, or for an EHR's own CDA `root^extension` (its `ClinicalDocument/id`;
`^` written `%5E` in a URL). `identity_status` as for the listing. Journaled
`dmp.document.read`.""",
        response_media_type=("text/xml", "application/pdf"),
        params=[
            _UNIQUE_ID_PARAM,
            Param("patient", "query", MATRICULE, required=True, description="the patient's INS"),
            _OID_PARAM,
            Param(
                "render",
                "query",
                {"type": "string", "enum": ["pdf"]},
                description="`pdf`: the PDF inside a level 1 CDA",
            ),
            _IDENTITY_PARAM,
        ],
        errors=errors(
            (*PATIENT_CODES, "XDSDocumentUniqueIdError"),
            {**_NOT_FOUND, 422: ("not-level1-pdf", "identity-not-qualified")},
        ),
    ),
    Operation(
        "POST",
        "/v1/dmp/documents/{unique_id}/status",
        "Mask, unmask, hide from the patient, archive or delete a document (TD3.3)",
        change_status,
        scope=SCOPE,
        operation_id="setDmpDocumentStatus",
        description="""TD3.3 (ITI-57): changes a document's visibility or status. `mask`
hides it from other health professionals (`MASQUE_PS`), `unmask` shows it again,
`hide_from_patient` hides it from the patient (`INVISIBLE_PATIENT`); `archive` and `delete`
change its status (approved → archived → deleted). A change the registry refuses in the
document's current state (archiving it twice) is a 409 `dmp-update-refused`.

Journaled `dmp.document.<action>`: `pending` (synced to disk) before the DMP is called, then
with its outcome.""",
        request_schema=STATUS_SCHEMA,
        request_examples={
            "mask": {"action": "mask", "patient": {"matricule": "277076322082910"}},
            "archive": {"action": "archive", "patient": {"matricule": "277076322082910"}},
        },
        response_schema=STATUS_CHANGED,
        response_examples={
            "masked": {"unique_id": _UNIQUE_ID_EXAMPLE, "action": "mask", "done": True}
        },
        params=[_UNIQUE_ID_PARAM],
        errors=errors(
            (*PATIENT_CODES, "XDSMetadataUpdateError", "XDSRegistryMetadataError"), _NOT_FOUND
        ),
    ),
    Operation(
        "POST",
        "/v1/dmp/vsm/batch",
        "Queue the VSM of many patients (202, batch id)",
        send_vsm_batch,
        scope=SCOPE,
        operation_id="sendVsmBatch",
        errors=_NOT_QUALIFIED,
        description="""The VSM of up to 5,000 patients in one request (an EHR's ALD patients
with a qualified INS, say). Every item is checked and its VSM built (about half a millisecond
each, off the event loop: 5,000 take a few seconds before the answer), then all are queued in
one transaction, one outbox item each, or none. The answer names the batch; follow it at
`Location` (`getDmpBatch`) or on the event stream, where `dmp.batch` carries its progress.

An item whose `patient.identity_status` is not `QUAL` (or, with `[dmp]
require_identity_status`, has none) is refused alone, journaled `identity.refused`: `refused`
lists each (its position, INS, status and why) while the others are queued; when every item is
refused, a 422 `identity-not-qualified` naming each. `items` counts those queued.

`Idempotency-Key` covers the request as a whole, its patients included.""",
        request_schema=BATCH_SCHEMA,
        request_headers=("Idempotency-Key",),
        request_examples={
            "two patients": {
                "items": [
                    {"patient": _RUTH, "vsm": _VSM_EXAMPLE},
                    {
                        "patient": _GATIEN,
                        "vsm": {"problems": [{"label": "Asthme", "code": "J45"}]},
                        "title": "Synthèse médicale",
                    },
                ]
            }
        },
        response_status=202,
        response_schema=BATCH_ACCEPTED,
        response_headers=("Location", "Idempotent-Replayed"),
        response_examples={
            "queued": {
                "batch_id": "5f0c1c9e-3b8e-4d7a-9a51-2f4e8c6d1b23",
                "items": 2,
                "location": "/v1/dmp/batches/5f0c1c9e-3b8e-4d7a-9a51-2f4e8c6d1b23",
                "refused": [],
            },
            "one refused": {
                "batch_id": "5f0c1c9e-3b8e-4d7a-9a51-2f4e8c6d1b23",
                "items": 1,
                "location": "/v1/dmp/batches/5f0c1c9e-3b8e-4d7a-9a51-2f4e8c6d1b23",
                "refused": [
                    {
                        "index": 1,
                        "patient": "181036322045676",
                        "identity_status": "VALI",
                        "field": "/items/1/patient/identity_status",
                        "reason": "VALI (Identité validée) is not QUAL: only a qualified "
                        "identity (INS from INSi and traits checked against a high-trust "
                        "identity document) may reference and share health data under the INS "
                        "(RNIV)",
                    }
                ],
            },
        },
        max_body_bytes=32 * 1024 * 1024,
    ),
    Operation(
        "GET",
        "/v1/dmp/batches/{batch_id}",
        "A VSM batch: counts per state, failures",
        get_batch,
        scope=SCOPE,
        operation_id="getDmpBatch",
        description="""Where a VSM batch stands: how many items it has, how many are in each
outbox state, whether all have ended, and the items that failed with the DMP's reason.
`/v1/events` carries the same as `dmp.batch` events (at most one a second per batch, and
one when it is done).""",
        response_schema=BATCH_ANSWER,
        response_examples={
            "done": {
                "batch_id": "5f0c1c9e-3b8e-4d7a-9a51-2f4e8c6d1b23",
                "total": 2,
                "counts": {"sent": 1, "failed": 1},
                "done": True,
                "failures": [
                    {
                        "item_id": 44,
                        "patient": "181036322045676",
                        "state": "failed",
                        "error": {
                            "code": "DMPAccessDenied",
                            "message": "Le professionnel n'est pas autorisé",
                            "transient": False,
                        },
                    }
                ],
            }
        },
        params=[
            Param(
                "batch_id",
                "path",
                {"type": "string", "format": "uuid", "pattern": "^[0-9a-f-]{36}$"},
                description="the batch's id, from `sendVsmBatch`",
            )
        ],
        errors=_NOT_FOUND,
    ),
]
