"""The DMP operations of the API."""

from __future__ import annotations

import asyncio
import base64
import binascii
import datetime as dt
import functools
import json
import re
from pathlib import Path
from typing import Any

from aiohttp import web
from stdnum.fr import nir

from aiguillage.api import started
from aiguillage.appkeys import JOURNAL, SETTINGS
from aiguillage.hookspecs import Call, Operation, Param
from aiguillage.journal import Entry
from aiguillage.outbox_api import ACCEPTED_SCHEMA, accept
from aiguillage.problems import FieldError, Problem, validation_problem
from aiguillage.security.practitioner import PRACTITIONER_SCHEMA, Practitioner
from aiguillage.shapes import (
    DOCUMENT_PATIENT_SCHEMA,
    INS_DEFAULT_OID,
    INS_OIDS,
    INS_SCHEMA,
    MATRICULE,
)
from aiguillage.times import TIME_PARAM, parse_time
from aiguillage.xml import unwritable_text

from .cda import (
    HL7,
    VSM_KEYS,
    VSM_TEMPLATE,
    DocumentInfo,
    NotBase64,
    ins_trait_problems,
    level1,
    new_oid,
    patient_of,
    vsm,
)
from .client import DmpClient, DmpError
from .client import Entry as RegistryEntry
from .metadata import SIGNATURE_TYPE, STATUS_URNS, content_type_of, service_times
from .valuesets import Code, UnknownCode, class_of

SCOPE = "dmp"
#: A document's XDS uniqueId: its OID, or for an EHR's own CDA ``root^extension`` (the CDA's
#: ClinicalDocument/id). No quote can appear, which ITI-18 list parameters rely on.
UNIQUE_ID: dict[str, Any] = {
    "type": "string",
    "pattern": r"^[0-9.]{3,64}(\^[0-9A-Za-z._-]{1,60})?$",
    "maxLength": 64,
}
KIND = "dmp.document"
MAX_PDF_BYTES = 20 * 1024 * 1024

_VSM_ITEMS = {
    "type": "array",
    "maxItems": 200,
    "items": {
        "type": "object",
        "required": ["label"],
        "additionalProperties": False,
        "properties": {
            "label": {"type": "string", "minLength": 1, "maxLength": 500},
            "since": {"type": "string", "format": "date"},
            "code": {"type": "string", "maxLength": 50},
            "dosage": {"type": "string", "maxLength": 500},
        },
    },
}
VSM_SCHEMA = {
    "type": "object",
    "description": "the volet de synthèse médicale, built by the daemon (CI-SIS VSM 2023.01)",
    "additionalProperties": False,
    "properties": {key: _VSM_ITEMS for key in VSM_KEYS},
}
SEND_SCHEMA = {
    "type": "object",
    "required": ["patient", "document"],
    "additionalProperties": False,
    "properties": {
        "patient": DOCUMENT_PATIENT_SCHEMA,
        "document": {
            "type": "object",
            "description": "a PDF the daemon wraps in a CDA level 1, or the EHR's own CDA",
            "oneOf": [
                {"required": ["pdf", "title", "type_code"]},
                {"required": ["cda"]},
                {"required": ["vsm"]},
            ],
            "additionalProperties": False,
            "properties": {
                "pdf": {
                    "type": "string",
                    "contentEncoding": "base64",
                    "description": "the PDF, base64",
                },
                "title": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 200,
                    "description": "required with pdf; optional with vsm",
                },
                "type_code": {"type": "string", "description": "LOINC, JDV J07"},
                "vsm": VSM_SCHEMA,
                "cda": {
                    "type": "string",
                    "contentEncoding": "base64",
                    "description": "a CDA R2 document, base64; checked against the CDA XSD",
                },
            },
        },
        "confidentiality": {"enum": ["N", "R", "V"], "default": "N"},
        "replaces": {**UNIQUE_ID, "description": "uniqueId of the document this one replaces"},
        "practitioner": PRACTITIONER_SCHEMA,
    },
}
STATUS_ANSWER = {
    "type": "object",
    "required": ["exists", "closed", "authorization", "treating_physician", "raw"],
    "properties": {
        "exists": {"type": "boolean"},
        "closed": {"type": "boolean"},
        "authorization": {"enum": ["valid", "expired", "none", "blocked"]},
        "treating_physician": {"type": "boolean"},
        "raw": {"type": "object"},
    },
}
LIST_ANSWER = {
    "type": "object",
    "required": ["documents"],
    "properties": {
        "documents": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "unique_id": {"type": "string"},
                    "title": {"type": "string"},
                    "type_code": {"type": "string"},
                    "status": {"type": "string"},
                    "created": {"type": "string"},
                    "author": {"type": "string"},
                    "confidentiality": {"type": "array", "items": {"type": "string"}},
                },
            },
        }
    },
}


def _client(call: Call) -> DmpClient:
    return started(call, "dmp")


def _ins(call: Call, value: str, oid: str | None, field: str = "ins") -> tuple[str, str]:
    if not nir.is_valid(value):
        raise validation_problem([FieldError(field, "not a valid INS (13 characters and key)")])
    return value, oid or INS_DEFAULT_OID


def _problem(error: DmpError) -> Problem:
    status = 504 if error.code == "Timeout" else 503 if error.transient else 502
    return Problem(
        status,
        "dmp-error",
        "The DMP refused or failed the request",
        error.message,
        service="dmp",
        service_code=error.code,
    )


async def _journal(
    call: Call, practitioner: Practitioner, event: str, ins: str, outcome: str, summary: str
) -> None:
    await call.app[JOURNAL].record(
        Entry(
            event=event,
            outcome=outcome,
            summary=summary,
            request_id=call.request_id,
            client=call.client.name,
            **practitioner.journal_fields(),
            patient_ins=ins,
        ),
        durable=False,
    )


#: The statuses of a document that may be read, and that a status change may start from.
READABLE = ("Approved", "Deprecated")
CHANGEABLE = ("Approved", "Archived")


async def _entry(
    call: Call,
    practitioner: Practitioner,
    ins: str,
    oid: str,
    unique_id: str,
    statuses: tuple[str, ...],
    event: str,
) -> RegistryEntry:
    """The patient's document ``unique_id`` if its status is one of ``statuses``, or a 404
    that the journal records under ``event``."""
    entry = await _client(call).entry(unique_id, statuses, ins, oid, practitioner)
    if entry is None:
        await _journal(call, practitioner, event, ins, "not-found", f"no document {unique_id}")
        raise Problem(
            404,
            "not-found",
            "No such document",
            f"The patient's DMP holds no document {unique_id} you can see.",
            service="dmp",
        )
    return entry


async def patient_status(call: Call) -> dict[str, Any]:
    ins, oid = _ins(call, call.params["ins"], call.params.get("oid"))
    practitioner = call.app[SETTINGS].practitioner
    try:
        status = await _client(call).existence(ins, oid, practitioner)
    except DmpError as exc:
        await _journal(call, practitioner, "dmp.patient.status", ins, exc.code, exc.message)
        raise _problem(exc) from None
    await _journal(
        call,
        practitioner,
        "dmp.patient.status",
        ins,
        "ok",
        f"DMP {'exists' if status.exists else 'absent'}, authorization {status.authorization}",
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
    kind = next(k for k in ("pdf", "cda", "vsm") if k in document)
    field = f"/document/{kind}"
    ins = body["patient"]["ins"]["matricule"]
    errors = [] if nir.is_valid(ins) else [FieldError("/patient/ins/matricule", "not a valid INS")]
    errors += [
        FieldError(path, message)
        for path, message in unwritable_text(body, skip=("/document/pdf", "/document/cda"))
    ]
    content = b""
    if kind == "pdf":
        content = _pdf_base64(document["pdf"], field, errors)
        details = {
            "title": document["title"],
            "type_code": document["type_code"],
            "format": "pdf",
            "unique_id": new_oid(),
        }
        _check_type(document["type_code"], "/document/type_code", errors)
    elif kind == "vsm":
        details = vsm_details(document.get("title"))
    else:
        try:
            content = base64.b64decode(document["cda"], validate=True)
        except (binascii.Error, ValueError):
            raise validation_problem([FieldError(field, "not valid base64")]) from None
        if len(content) > MAX_PDF_BYTES:
            raise validation_problem([FieldError(field, f"larger than {MAX_PDF_BYTES} bytes")])
        details = cda_details(content, ins, errors)
    if errors:
        raise validation_problem(errors)
    patient = body["patient"]
    practitioner = call.app[SETTINGS].practitioner.override(body.get("practitioner"))
    payload = queued_payload(
        patient,
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
        practitioner={"id": practitioner.national_id, "name": practitioner.display_name},
    )


def _pdf_base64(text: str, field: str, errors: list[FieldError]) -> bytes:
    """The PDF's base64 as bytes, after the checks that need not read all of it: its size and
    its header. The alphabet is checked as the CDA is built, in the one pass over the text."""
    encoded = text.encode("ascii", errors="replace")
    size = len(encoded) // 4 * 3 - encoded[-2:].count(b"=")
    if size > MAX_PDF_BYTES:
        errors.append(FieldError(field, f"larger than {MAX_PDF_BYTES} bytes"))
    try:
        header = binascii.a2b_base64(encoded[:8], strict_mode=True)
    except binascii.Error:
        errors.append(FieldError(field, "not valid base64"))
    else:
        if not header.startswith(b"%PDF"):
            errors.append(FieldError(field, "is not a PDF (no %PDF header)"))
    return encoded


def vsm_details(title: str | None) -> dict[str, str]:
    return {
        "title": title or "Volet de synthèse médicale",
        "type_code": "SYNTH",
        "format": "vsm",
        "unique_id": new_oid(),
    }


def _check_type(type_code: str, field: str, errors: list[FieldError]) -> None:
    """A document type the DMP takes (JDV_J66) and that ASS_X16 gives a class; not the type
    J66 has for the signature that goes with each submission."""
    if type_code == SIGNATURE_TYPE:
        errors.append(FieldError(field, f"{type_code} is the type of a signature, not a document"))
        return
    try:
        class_of(type_code)
    except UnknownCode as exc:
        errors.append(FieldError(field, str(exc)))


def content_type(call: Call, practitioner: Practitioner) -> Code:
    """The SubmissionSet contentTypeCode (JDV_J59) of what ``practitioner`` submits: the
    practice's ``[dmp] content_type_code``, or else its activity sector (TRE_R02, SA07 for a
    cabinet individuel), which J59 lists for every setting but hospitals. A 422 naming the
    sector when it is not in J59."""
    configured = call.app[SETTINGS].plugins["dmp"].options["content_type_code"]
    try:
        return content_type_of(configured, practitioner)
    except UnknownCode as exc:
        raise validation_problem([FieldError("/practitioner/activity_sector", str(exc))]) from None


def queued_payload(
    patient: dict,
    details: dict,
    practitioner: Practitioner,
    content_type: Code,
    created: dt.datetime,
    confidentiality: str = "N",
    replaces: str | None = None,
) -> dict[str, Any]:
    """What a ``dmp.document`` outbox item carries to be delivered, identically on each try."""
    return {
        "patient": patient,
        "document": details,
        "confidentiality": confidentiality,
        "replaces": replaces,
        "practitioner": vars(practitioner),
        "content_type": content_type.code,
        # Fixed now, so a re-delivery after a crash sends the same identifiers.
        "ids": {
            "document": details["unique_id"],
            "set": new_oid(),
            "signature": new_oid(),
            "submission": new_oid(),
        },
        "created": created.isoformat(),
    }


#: Every document waits in the outbox as the CDA that will be sent (built when it is queued,
#: so each try sends the same bytes and the outbox shows what left).
CDA_ATTACHMENT = ("text/xml", "document.xml")


def queued_cda(
    payload: dict[str, Any],
    practitioner: Practitioner,
    *,
    pdf_base64: bytes | None = None,
    vsm_content: dict[str, Any] | None = None,
) -> bytes:
    """The CDA a document waits in the outbox as, built from its payload (ids, time, patient):
    a level 1 around ``pdf_base64`` (:class:`NotBase64` if it is not), or the VSM."""
    document = payload["document"]
    info = DocumentInfo(
        document["title"],
        document["type_code"],
        unique_id=payload["ids"]["document"],
        set_id=payload["ids"]["set"],
        confidentiality=payload["confidentiality"],
        created=dt.datetime.fromisoformat(payload["created"]),
    )
    patient = patient_of(payload["patient"])
    if pdf_base64 is not None:
        return level1(pdf_base64, info, patient, practitioner)
    if vsm_content is None:
        raise TypeError("queued_cda needs pdf_base64 or vsm_content")
    return vsm(vsm_content, info, patient, practitioner)


def cda_details(content: bytes, ins: str, errors: list[FieldError]) -> dict[str, str]:
    """What the metadata needs from an EHR's CDA, after checking it against the CDA XSD and
    that it is about the patient named in the request."""
    from aiguillage.xml import XmlError, parse

    field = "/document/cda"
    try:
        root = parse(content)
    except XmlError as exc:
        errors.append(FieldError(field, str(exc)))
        return {}
    schema = cda_schema()
    if not schema.validate(root):
        error = schema.error_log.last_error
        errors.append(
            FieldError(
                field, f"not valid against the CDA schema, line {error.line}: {error.message}"
            )
        )
        return {}
    q = f"{{{HL7}}}"
    document_id = root.find(f"{q}id")
    unique_id = document_id.get("root", "") + (
        f"^{document_id.get('extension')}" if document_id.get("extension") else ""
    )
    if not re.fullmatch(UNIQUE_ID["pattern"], unique_id) or len(unique_id) > 64:
        errors.append(
            FieldError(
                field,
                "ClinicalDocument/id must give a uniqueId of at most 64 characters: an OID root, "
                "and an extension of letters, digits, '.', '_' or '-'",
            )
        )
    if root.find(f"{q}recordTarget/{q}patientRole/{q}id[@extension='{ins}']") is None:
        errors.append(FieldError(field, f"recordTarget/patientRole/id is not the INS {ins}"))
    person = root.find(f"{q}recordTarget/{q}patientRole/{q}patient")
    errors += [
        FieldError(field, f"recordTarget/patientRole/patient {problem}")
        for problem in ins_trait_problems(person)
    ]
    type_code = root.find(f"{q}code").get("code", "")
    _check_type(type_code, field, errors)
    body = root.find(f"{q}component/{q}nonXMLBody/{q}text")
    if body is not None and body.get("mediaType") == "application/pdf":
        format_ = "pdf"
    elif root.find(f"{q}templateId[@root='{VSM_TEMPLATE}']") is not None:
        format_ = "vsm"
    else:
        errors.append(FieldError(field, "only level 1 (PDF) documents and the VSM are accepted"))
        format_ = ""
    try:
        times = service_times(root)
    except ValueError as exc:
        errors.append(FieldError(field, str(exc)))
        times = {}
    return {
        "title": root.findtext(f"{q}title") or "",
        "type_code": type_code,
        "format": format_,
        "unique_id": unique_id,
        **times,
    }


@functools.cache
def cda_schema():
    from lxml import etree

    path = Path(__file__).parent / "cda_xsd" / "CDA_extended.xsd"
    return etree.XMLSchema(etree.parse(str(path), etree.XMLParser(no_network=True)))


async def list_documents(call: Call) -> dict[str, Any]:
    ins, oid = _ins(call, call.params["ins"], call.params.get("oid"))
    practitioner = call.app[SETTINGS].practitioner
    status = call.params.get("status")
    statuses = None if not status else [STATUS_URNS[status.capitalize()]]
    type_code = call.params.get("type")
    # XDS creationTime is YYYYMMDDhhmmss (UTC): compare it with the bounds written the same way.
    since = _dtm_param("from", call.params.get("from"))
    until = _dtm_param("to", call.params.get("to"))
    try:
        entries = await _client(call).find(ins, oid, practitioner, statuses)
    except DmpError as exc:
        await _journal(call, practitioner, "dmp.documents.search", ins, exc.code, exc.message)
        raise _problem(exc) from None
    await _journal(
        call, practitioner, "dmp.documents.search", ins, "ok", f"{len(entries)} document(s) listed"
    )
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
    ins, oid = _ins(call, call.params["patient"], call.params.get("oid"), "patient")
    unique_id = call.params["unique_id"]
    practitioner = call.app[SETTINGS].practitioner
    client = _client(call)
    try:
        entry = await _entry(call, practitioner, ins, oid, unique_id, READABLE, "dmp.document.read")
        content, mime_type = await client.retrieve(
            unique_id, entry.repository_id, practitioner, ins, oid
        )
    except DmpError as exc:
        await _journal(call, practitioner, "dmp.document.read", ins, exc.code, exc.message)
        raise _problem(exc) from None
    await _journal(
        call,
        practitioner,
        "dmp.document.read",
        ins,
        "ok",
        f"document {unique_id} ({entry.title}) read",
    )
    if call.params.get("render") == "pdf":
        content, mime_type = _pdf_of(content), "application/pdf"
    return web.Response(body=content, content_type=mime_type.split(";")[0])


def _dtm_param(name: str, text: str | None) -> str | None:
    timestamp = parse_time(name, text)
    if timestamp is None:
        return None
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y%m%d%H%M%S")


def _pdf_of(cda: bytes) -> bytes:
    from aiguillage.xml import parse

    text = parse(cda).find(f"{{{HL7}}}component/{{{HL7}}}nonXMLBody/{{{HL7}}}text")
    if text is None or text.get("mediaType") != "application/pdf":
        raise Problem(
            422,
            "not-level1-pdf",
            "No PDF in this document",
            "render=pdf needs a level 1 CDA wrapping a PDF.",
        )
    return base64.b64decode("".join((text.text or "").split()))


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


STATUS_ACTIONS = {
    "mask": ("add", "MASQUE_PS"),
    "unmask": ("remove", "MASQUE_PS"),
    "hide_from_patient": ("add", "INVISIBLE_PATIENT"),
    "archive": ("status", "Archived"),
    "delete": ("status", "Deleted"),
}
STATUS_SCHEMA = {
    "type": "object",
    "required": ["action", "patient"],
    "additionalProperties": False,
    "properties": {
        "action": {"enum": list(STATUS_ACTIONS)},
        "patient": INS_SCHEMA,
        "practitioner": PRACTITIONER_SCHEMA,
    },
}


async def change_status(call: Call) -> dict[str, Any]:
    """Mask, unmask, hide from the patient, archive or delete a document (TD3.3, ITI-57)."""
    from .cda import UNKNOWN_BIRTH_PLACE, Patient
    from .metadata import masking_update, status_update

    body = call.body
    ins, oid = _ins(
        call, body["patient"]["matricule"], body["patient"].get("oid"), "/patient/matricule"
    )
    practitioner = call.app[SETTINGS].practitioner.override(body.get("practitioner"))
    client = _client(call)
    unique_id = call.params["unique_id"]
    action = body["action"]
    kind, value = STATUS_ACTIONS[action]
    patient = Patient(ins, oid, "", [""], "U", "", UNKNOWN_BIRTH_PLACE)
    source_id = call.app[SETTINGS].plugins["dmp"].options["lps_id"]
    submitted = content_type(call, practitioner)
    event = f"dmp.document.{action}"
    try:
        entry = await _entry(call, practitioner, ins, oid, unique_id, CHANGEABLE, event)
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
    except DmpError as exc:
        await _journal(call, practitioner, event, ins, exc.code, exc.message)
        raise _problem(exc) from None
    await _journal(
        call,
        practitioner,
        event,
        ins,
        "ok",
        f"document {unique_id} ({entry.title}): {action}",
    )
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
    ins, oid = _ins(call, call.params["ins"], call.params.get("oid"))
    practitioner = call.app[SETTINGS].practitioner.override(call.body.get("practitioner"))
    add = call.body["action"] == "add"
    try:
        context = await _client(call).set_authorization(ins, oid, practitioner, add)
    except DmpError as exc:
        await _journal(call, practitioner, "dmp.authorization", ins, exc.code, exc.message)
        raise _problem(exc) from None
    await _journal(
        call,
        practitioner,
        "dmp.authorization",
        ins,
        "ok",
        f"authorization {call.body['action']}: {context}",
    )
    return {"action": call.body["action"], "detail": context}


OPERATIONS.append(
    Operation(
        "PUT",
        "/v1/dmp/patients/{ins}/authorization",
        "Add or remove my authorisation on the patient's DMP (TD0.3)",
        set_authorization,
        scope=SCOPE,
        params=[_INS_PARAM, _OID_PARAM],
        request_schema={
            "type": "object",
            "required": ["action"],
            "additionalProperties": False,
            "properties": {
                "action": {"enum": ["add", "remove"]},
                "practitioner": PRACTITIONER_SCHEMA,
            },
        },
        response_schema={"type": "object", "required": ["action", "detail"]},
    )
)


BATCH_SCHEMA = {
    "type": "object",
    "required": ["items"],
    "additionalProperties": False,
    "properties": {
        "items": {
            "type": "array",
            "minItems": 1,
            "maxItems": 5000,
            "items": {
                "type": "object",
                "required": ["patient", "vsm"],
                "additionalProperties": False,
                "properties": {
                    "patient": DOCUMENT_PATIENT_SCHEMA,
                    "vsm": VSM_SCHEMA,
                    "title": {"type": "string", "minLength": 1, "maxLength": 200},
                },
            },
        },
        "practitioner": PRACTITIONER_SCHEMA,
    },
}
BATCH_ANSWER = {
    "type": "object",
    "required": ["batch_id", "total", "counts", "done", "failures"],
    "properties": {
        "batch_id": {"type": "string"},
        "total": {"type": "integer"},
        "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
        "done": {"type": "boolean"},
        "failures": {"type": "array", "items": {"type": "object"}},
    },
}


async def send_vsm_batch(call: Call) -> web.Response:
    """Queue the VSM of many patients; one outbox item each, all durable before the 202."""
    from aiguillage import outbox as ob
    from aiguillage.appkeys import DELIVERIES, OUTBOX
    from aiguillage.outbox_api import IDEMPOTENCY_KEY

    items = call.body["items"]
    errors = [
        FieldError(f"/items/{n}/patient/ins/matricule", "not a valid INS")
        for n, item in enumerate(items)
        if not nir.is_valid(item["patient"]["ins"]["matricule"])
    ]
    errors += [FieldError(path, message) for path, message in unwritable_text(call.body)]
    if errors:
        raise validation_problem(errors)
    key = call.request.headers.get("Idempotency-Key")
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        raise validation_problem(
            [FieldError("Idempotency-Key", "1 to 255 printable ASCII characters")]
        )
    practitioner = call.app[SETTINGS].practitioner.override(call.body.get("practitioner"))
    submitted = content_type(call, practitioner)
    now = dt.datetime.now(dt.UTC)

    def build(n: int, entry: dict[str, Any]) -> ob.NewItem:
        details = vsm_details(entry.get("title"))
        unique_id = details["unique_id"]
        payload = queued_payload(entry["patient"], details, practitioner, submitted, now)
        cda = queued_cda(payload, practitioner, vsm_content=entry["vsm"])
        vsm_json = json.dumps(entry["vsm"], ensure_ascii=False).encode()
        return ob.NewItem(
            plugin="dmp",
            kind=KIND,
            payload=payload,
            external_id=unique_id,
            attachments=[(*CDA_ATTACHMENT, cda)],
            idempotency_key=f"{call.client.name}\x1fbatch:{key}:{n}" if key else None,
            request_hash=ob.request_hash(vsm_json) if key else None,
            client=call.client.name,
            request_id=call.request_id,
            patient=entry["patient"]["ins"]["matricule"],
            practitioner={"id": practitioner.national_id, "name": practitioner.display_name},
            answer={"state": "queued", "kind": KIND, "external_id": unique_id},
        )

    # Thousands of CDAs take seconds to build: in a thread, so other requests go on meanwhile.
    new_items = await asyncio.to_thread(lambda: [build(n, e) for n, e in enumerate(items)])

    def enqueue_all(conn):  # one transaction: all of the batch is queued, or none
        made = []
        for new in new_items:
            item, _ = ob.enqueue(conn, new, now.timestamp())
            made.append((item.id, item.patient))
        return made

    try:
        queued = await call.app[OUTBOX].write(enqueue_all)
    except ob.IdempotencyMismatch:
        raise Problem(
            422,
            "idempotency-key-reused",
            "Idempotency-Key reused",
            "This Idempotency-Key was first used with different VSMs.",
            errors=[FieldError("Idempotency-Key", "already used")],
        ) from None
    batch_id = started(call, "dmp", "batches").record(queued)
    call.app[DELIVERIES].wake("dmp")
    location = f"/v1/dmp/batches/{batch_id}"
    return web.json_response(
        {"batch_id": batch_id, "items": len(queued), "location": location},
        status=202,
        headers={"Location": location},
    )


async def get_batch(call: Call) -> dict[str, Any]:
    from aiguillage.appkeys import OUTBOX

    batches = started(call, "dmp", "batches")
    summary = batches.summary(call.params["batch_id"], call.app[OUTBOX])
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
