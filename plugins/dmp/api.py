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
from stdnum.fr import nir

from aiguillage.plugin import (
    ACCEPTED_SCHEMA,
    INS_DEFAULT_OID,
    INS_OIDS,
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
    parse_time,
    parse_xml,
    unwritable_text,
    validation_problem,
)

from .batches import Batches, publish_progress
from .cda import HL7, UNKNOWN_BIRTH_PLACE, NotBase64, Patient, new_oid
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
from .metadata import STATUS_URNS, content_type_of, masking_update, status_update
from .refusals import problem as refusal
from .schemas import (
    AUTHORIZATION_SCHEMA,
    BATCH_ANSWER,
    BATCH_SCHEMA,
    LIST_ANSWER,
    SEND_SCHEMA,
    STATUS_ACTIONS,
    STATUS_ANSWER,
    STATUS_SCHEMA,
    UNIQUE_ID,
)
from .valuesets import Code, UnknownCode

SCOPE = "dmp"
#: The statuses of a document that may be read, and that a status change may start from.
READABLE = ("Approved", "Deprecated")
CHANGEABLE = ("Approved", "Archived")


def _client(call: Call) -> DmpClient:
    return call.service()


def _ins(value: str, oid: str | None, field: str = "ins") -> tuple[str, str]:
    if not nir.is_valid(value):
        raise validation_problem([FieldError(field, "not a valid INS (13 characters and key)")])
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


def content_type(call: Call, practitioner: Practitioner) -> Code:
    """The SubmissionSet contentTypeCode (JDV_J59) of what ``practitioner`` submits: the
    practice's ``[dmp] content_type_code``, or else its activity sector (TRE_R02, SA07 for a
    cabinet individuel), which J59 lists for every setting but hospitals. A 422 naming the
    sector when it is not in J59."""
    try:
        return content_type_of(call.config.options["content_type_code"], practitioner)
    except UnknownCode as exc:
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
    kinds = [k for k in ("pdf", "cda", "vsm") if k in document]
    if len(kinds) != 1:  # the schema's oneOf lets a VSM carry a stray pdf or cda
        raise validation_problem([FieldError("/document", "give one of pdf, cda or vsm")])
    (kind,) = kinds
    field = f"/document/{kind}"
    ins = body["patient"]["ins"]["matricule"]
    errors = [] if nir.is_valid(ins) else [FieldError("/patient/ins/matricule", "not a valid INS")]
    errors += [
        FieldError(path, message)
        for path, message in unwritable_text(body, skip=("/document/pdf", "/document/cda"))
    ]
    content = b""
    if kind == "pdf":
        content = pdf_base64(document["pdf"], field, errors)
        details = {
            "title": document["title"],
            "type_code": document["type_code"],
            "format": "pdf",
            "unique_id": new_oid(),
        }
        check_type(document["type_code"], "/document/type_code", errors)
    elif kind == "vsm":
        details = vsm_details(document.get("title"))
    else:
        try:
            content = base64.b64decode(document["cda"], validate=True)
        except (binascii.Error, ValueError):
            raise validation_problem([FieldError(field, "not valid base64")]) from None
        if len(content) > MAX_PDF_BYTES:
            raise validation_problem([FieldError(field, f"larger than {MAX_PDF_BYTES} bytes")])
        details = cda_details(content, body["patient"], errors)
    if errors:
        raise validation_problem(errors)
    practitioner = call.practitioner
    payload = queued_payload(
        body["patient"],
        details,
        practitioner,
        content_type(call, practitioner),
        dt.datetime.now(dt.UTC),
        body.get("confidentiality", "N"),
        body.get("replaces"),
    )
    if kind == "pdf":
        try:
            content = queued_cda(payload, practitioner, pdf_base64=content)
        except NotBase64 as exc:
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
    return {
        "documents": [
            {
                "unique_id": e.unique_id,
                "title": e.title,
                "type_code": e.type_code,
                "status": e.status.lower(),
                "created": e.creation_time,
                "author": e.author,
                "confidentiality": e.confidentiality,
            }
            for e in entries
        ]
    }


async def read_document(call: Call) -> web.Response:
    ins, oid = _ins(call.params["patient"], call.params.get("oid"), "patient")
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
    text = parse_xml(cda).find(f"{{{HL7}}}component/{{{HL7}}}nonXMLBody/{{{HL7}}}text")
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


_INS_PARAM = Param("ins", "path", MATRICULE, description="the patient's INS")
_OID_PARAM = Param("oid", "query", {"enum": INS_OIDS}, description="the INS OID")

OPERATIONS = [
    Operation(
        "GET",
        "/v1/dmp/patients/{ins}",
        "Does the patient have a DMP, am I authorised (TD0.2)",
        patient_status,
        scope=SCOPE,
        response_schema=STATUS_ANSWER,
        params=[_INS_PARAM, _OID_PARAM],
    ),
    Operation(
        "POST",
        "/v1/dmp/documents",
        "Send a PDF to the patient's DMP (queued, 202)",
        send_document,
        scope=SCOPE,
        request_schema=SEND_SCHEMA,
        response_status=202,
        response_schema=ACCEPTED_SCHEMA,
        max_body_bytes=32 * 1024 * 1024,
    ),
    Operation(
        "GET",
        "/v1/dmp/patients/{ins}/documents",
        "The patient's documents (TD3.1)",
        list_documents,
        scope=SCOPE,
        response_schema=LIST_ANSWER,
        params=[
            _INS_PARAM,
            _OID_PARAM,
            Param("type", "query", {"type": "string"}, description="LOINC type code"),
            Param("status", "query", {"enum": ["approved", "deprecated", "archived"]}),
            Param("from", "query", TIME_PARAM, description="created at or after"),
            Param("to", "query", TIME_PARAM, description="created before"),
        ],
    ),
    Operation(
        "GET",
        "/v1/dmp/documents/{unique_id}",
        "A document's bytes (TD3.2)",
        read_document,
        scope=SCOPE,
        response_media_type="application/octet-stream",
        params=[
            Param("unique_id", "path", UNIQUE_ID),
            Param("patient", "query", MATRICULE, required=True, description="the patient's INS"),
            _OID_PARAM,
            Param(
                "render", "query", {"enum": ["pdf"]}, description="pdf: the PDF of a level 1 CDA"
            ),
        ],
    ),
]


async def change_status(call: Call) -> dict[str, Any]:
    """Mask, unmask, hide from the patient, archive or delete a document (TD3.3, ITI-57)."""
    body = call.body
    ins, oid = _ins(body["patient"]["matricule"], body["patient"].get("oid"), "/patient/matricule")
    practitioner = call.practitioner
    client = _client(call)
    unique_id = call.params["unique_id"]
    action = body["action"]
    kind, value = STATUS_ACTIONS[action]
    patient = Patient(ins, oid, "", [""], "U", "", UNKNOWN_BIRTH_PLACE)
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


OPERATIONS.append(
    Operation(
        "POST",
        "/v1/dmp/documents/{unique_id}/status",
        "Mask, unmask, hide from the patient, archive or delete a document (TD3.3)",
        change_status,
        scope=SCOPE,
        request_schema=STATUS_SCHEMA,
        response_schema={"type": "object", "required": ["unique_id", "action", "done"]},
        params=[Param("unique_id", "path", UNIQUE_ID)],
    )
)


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


OPERATIONS.append(
    Operation(
        "PUT",
        "/v1/dmp/patients/{ins}/authorization",
        "Add or remove my authorisation on the patient's DMP (TD0.3)",
        set_authorization,
        scope=SCOPE,
        params=[_INS_PARAM, _OID_PARAM],
        request_schema=AUTHORIZATION_SCHEMA,
        response_schema={"type": "object", "required": ["action", "detail"]},
    )
)


async def send_vsm_batch(call: Call) -> web.Response:
    """Queue the VSM of many patients; one outbox item each, all durable before the 202."""
    items = call.body["items"]
    errors = [
        FieldError(f"/items/{n}/patient/ins/matricule", "not a valid INS")
        for n, item in enumerate(items)
        if not nir.is_valid(item["patient"]["ins"]["matricule"])
    ]
    errors += [FieldError(path, message) for path, message in unwritable_text(call.body)]
    if errors:
        raise validation_problem(errors)
    practitioner = call.practitioner
    submitted = content_type(call, practitioner)
    now = dt.datetime.now(dt.UTC)

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
    return accepted.response(
        {"batch_id": batch_id, "items": len(accepted.items), "location": location}, location
    )


def _batches(call: Call) -> Batches:
    return call.config.state["batches"]


async def get_batch(call: Call) -> dict[str, Any]:
    summary = _batches(call).summary(call.params["batch_id"], call.daemon)
    if summary is None:
        raise Problem(
            404, "not-found", "No such batch", f"There is no batch {call.params['batch_id']}."
        )
    return summary


OPERATIONS += [
    Operation(
        "POST",
        "/v1/dmp/vsm/batch",
        "Queue the VSM of many patients (202, batch id)",
        send_vsm_batch,
        scope=SCOPE,
        request_schema=BATCH_SCHEMA,
        response_status=202,
        max_body_bytes=32 * 1024 * 1024,
        response_schema={"type": "object", "required": ["batch_id", "items", "location"]},
    ),
    Operation(
        "GET",
        "/v1/dmp/batches/{batch_id}",
        "A VSM batch: counts per state, failures",
        get_batch,
        scope=SCOPE,
        response_schema=BATCH_ANSWER,
        params=[
            Param(
                "batch_id",
                "path",
                {"type": "string", "format": "uuid", "pattern": "^[0-9a-f-]{36}$"},
            )
        ],
    ),
]
