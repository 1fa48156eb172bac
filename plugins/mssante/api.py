"""The MSSanté operations: send a message (queued), follow it, read the inbox, acknowledge,
search the directory."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import uuid
from typing import Any

from aiohttp import web

from aiguillage.plugin import (
    ACCEPTED_SCHEMA,
    TIME_PARAM,
    Call,
    FieldError,
    Operation,
    Param,
    Problem,
    XmlError,
    accept,
    ihe,
    iso,
    parse_time,
    parse_xml,
    require_qualified,
    validation_problem,
)

from . import directory
from .delivery import MESSAGE, RECEIPT
from .mailstore import FLAGS, MailStore, ReceivedMessage
from .mdn import MdnError, build_mdn
from .message import MessageError, Outgoing, OutgoingDocument, build_message, xdm_subject
from .schemas import (
    ACK_SCHEMA,
    DIRECTORY_PAGE,
    INBOX_MESSAGE,
    INBOX_PAGE,
    PATIENT_DOMAIN,
    READ_ANSWER,
    SEND_SCHEMA,
    SENT_MESSAGE,
)

SCOPE = "mssante"


def _store(call: Call) -> MailStore:
    return call.config.state["store"]


# --- sending ------------------------------------------------------------------------------------


async def send_message(call: Call) -> web.Response:
    body = call.body
    config = call.config
    patient = ihe.patient_of(body["patient"])
    problems: list[FieldError] = []
    _one_patient(body, patient.ins, problems)
    if _to_patient(body):
        await require_qualified(
            call,
            body["patient"].get("identity_status"),
            patient.ins,
            "/patient/identity_status",
            "MSSanté message to the patient's mailbox",
        )
    documents = [_document(d, f"/documents/{n}", problems) for n, d in enumerate(body["documents"])]
    if problems:
        raise validation_problem(problems)
    sender = body.get("from") or config.options["address"]
    outgoing = Outgoing(
        message_id=f"<{uuid.uuid4()}@{sender.rsplit('@', 1)[1]}>",
        sender=sender,
        to=body["to"],
        cc=body.get("cc", []),
        patient=patient,
        subject_label=body["subject_label"],
        body_text=body.get("body", {}).get("text"),
        body_html=body.get("body", {}).get("html"),
        documents=documents,
        request_receipt=body.get("request_receipt", False),
        date=dt.datetime.now(dt.UTC).replace(microsecond=0),
        software_reference=config.options["software_reference"] or None,
        source_id=config.options["lps_id"],
    )
    practitioner = call.practitioner
    try:
        raw = build_message(outgoing, practitioner)
    except MessageError as exc:
        raise validation_problem([_field_error(exc, body["documents"])]) from None
    limit = config.options["max_message_bytes"]
    if len(raw) > limit:
        raise validation_problem(
            [FieldError("/documents", f"the message would be {len(raw)} bytes, over {limit}")]
        )
    return await accept(
        call,
        kind=MESSAGE,
        payload={
            "message_id": outgoing.message_id,
            "from": sender,
            "to": outgoing.to,
            "cc": outgoing.cc,
            "recipients": [*outgoing.to, *outgoing.cc],
            "subject": xdm_subject(outgoing.subject_label, patient),
            "request_receipt": outgoing.request_receipt,
        },
        external_id=outgoing.message_id,
        attachments=[("message/rfc822", "message.eml", raw)],
        patient=patient.ins,
        practitioner=practitioner,
    )


def _to_patient(body: dict[str, Any]) -> bool:
    """A patient's own mailbox is among the recipients: the address is made of the INS, which
    only a qualified identity may be used under (RNIV)."""
    return any(
        address.rsplit("@", 1)[1].lower() == PATIENT_DOMAIN
        for address in [*body["to"], *body.get("cc", [])]
    )


def _one_patient(body: dict[str, Any], ins: str, problems: list[FieldError]) -> None:
    """A patient's mailbox among the recipients must be this message's patient's: one patient
    per message."""
    for field in ("to", "cc"):
        for n, address in enumerate(body.get(field, [])):
            local, domain = address.rsplit("@", 1)
            if domain.lower() == PATIENT_DOMAIN and local != ins:
                problems.append(
                    FieldError(
                        f"/{field}/{n}",
                        f"a patient's mailbox other than this message's patient's ({ins}): "
                        f"one patient per message",
                    )
                )


def _base64(text: str, field: str, problems: list[FieldError]) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        problems.append(FieldError(field, "not valid base64"))
        return b""


def _document(data: dict[str, Any], field: str, problems: list[FieldError]) -> OutgoingDocument:
    if "pdf" in data and "cda" not in data:
        pdf = _base64(data["pdf"], f"{field}/pdf", problems)
        return OutgoingDocument(data["title"], data["type_code"], "application/pdf", pdf)
    cda = _base64(data["cda"], f"{field}/cda", problems)
    rendering = _base64(data["pdf"], f"{field}/pdf", problems) if "pdf" in data else None
    title, type_code = "", ""
    if cda:
        # The CDA's own title and type: the builder checks the rest (its patient above all).
        try:
            root = parse_xml(cda)
        except XmlError as exc:
            problems.append(FieldError(f"{field}/cda", f"not well-formed XML: {exc}"))
        else:
            ns = {"hl7": ihe.HL7}
            title = root.findtext("hl7:title", default="", namespaces=ns).strip() or "Document"
            code = root.find("hl7:code", ns)
            type_code = "" if code is None else code.get("code", "")
    return OutgoingDocument(
        title,
        type_code,
        "text/xml",
        cda,
        format_code=data.get("format_code"),
        rendering=rendering,
    )


_WHERE = re.compile(r"^(?P<name>[a-z_]+)(?:\[(?P<n>[0-9]+)\])?(?:\.(?P<part>[a-z_]+))?: ")
#: The builder's names of a document's parts, as the request names them.
_PARTS = {
    "content": None,
    "rendering": "pdf",
    "title": "title",
    "type_code": "cda",
    "format_code": "format_code",
}


def _field_error(exc: MessageError, documents: list[dict[str, Any]]) -> FieldError:
    """The builder's refusal (``documents[0].content: …``) as a 422 naming the request's
    field (``/documents/0/cda``)."""
    text = str(exc)
    found = _WHERE.match(text)
    if found is None:
        return FieldError("/", text)
    message = text[found.end() :]
    name, n, part = found["name"], found["n"], found["part"]
    if name != "documents" or n is None:
        return FieldError(f"/{name.replace('.', '/')}", message)
    document = documents[int(n)]
    where = f"/documents/{n}"
    if part is None:
        return FieldError(where, message)
    if part == "content":
        return FieldError(f"{where}/{'cda' if 'cda' in document else 'pdf'}", message)
    return FieldError(f"{where}/{_PARTS.get(part) or part}", message)


async def get_sent(call: Call) -> dict[str, Any]:
    item = call.daemon.item(call.params["id"])
    if item is None or item.plugin != "mssante" or item.kind != MESSAGE:
        raise Problem(404, "mssante-message-unknown", "No message sent with this id")
    p = item.payload or {}
    sent = _store(call).get_sent(p["message_id"])
    result = item.result if isinstance(item.result, dict) else {}
    receipt: dict[str, Any] = {
        "requested": p["request_receipt"],
        "state": "requested" if p["request_receipt"] else "none",
        "code": None,
        "label": None,
        "at": None,
        "receipts": [],
    }
    if sent is not None:
        receipt |= {
            "state": sent.receipt,
            "code": sent.receipt_code,
            "label": sent.receipt_label,
            "at": iso(sent.receipt_at),
            "receipts": [
                {
                    "from": r.recipient,
                    "disposition": r.disposition,
                    "code": r.code,
                    "label": r.label,
                    "at": iso(r.at),
                }
                for r in sent.receipts
            ],
        }
    return {
        "id": item.id,
        "message_id": p["message_id"],
        "state": item.state,
        "last_error": item.last_error,
        "from": p["from"],
        "to": p["to"],
        "cc": p["cc"],
        "subject": p["subject"],
        "patient": item.patient,
        "sent_folder": result.get("sent_folder"),
        "receipt": receipt,
    }


# --- receiving ----------------------------------------------------------------------------------


def _summary(m: ReceivedMessage) -> dict[str, Any]:
    return {
        "id": m.id,
        "received_at": iso(m.received_at),
        "date": iso(m.date),
        "message_id": m.message_id,
        "from": m.sender,
        "subject": m.subject,
        "patient": m.patient,
        "unread": m.unread,
        "critical": m.critical,
        "abnormal": m.abnormal,
        "contains_biology": m.contains_biology,
        "documents": m.documents,
        "package_error": m.package_error or m.parse_error,
        "receipt_requested": m.receipt_to is not None,
        "acknowledged": m.ack.state if m.ack else None,
    }


async def list_inbox(call: Call) -> dict[str, Any]:
    p = call.params
    rows, next_cursor = _store(call).list_received(
        patient=p.get("patient"),
        unread=p.get("unread"),
        critical=p.get("critical"),
        from_=parse_time("from", p.get("from")),
        to=parse_time("to", p.get("to")),
        cursor=p.get("cursor"),
        limit=p.get("limit", 50),
    )
    return {"items": [_summary(m) for m in rows], "next_cursor": next_cursor}


def _no_such_message() -> Problem:
    return Problem(404, "mssante-inbox-unknown", "No received message with this id")


def _received(call: Call) -> ReceivedMessage:
    message = _store(call).get_received(call.params["id"])
    if message is None:
        raise _no_such_message()
    return message


async def get_inbox_message(call: Call) -> dict[str, Any]:
    m = _received(call)
    parsed = m.parsed or {}
    body = parsed.get("body") or {}
    return {
        **_summary(m),
        "to": parsed.get("to", []),
        "cc": parsed.get("cc", []),
        "headers": parsed.get("headers", []),
        "body": {"text": body.get("text"), "html": body.get("html")},
        "documents": [
            {
                "n": d["n"],
                "name": d.get("name") or d.get("filename") or f"document-{d['n']}",
                "title": d.get("title"),
                "type_code": d.get("type_code"),
                "media_type": d.get("media_type") or "application/octet-stream",
                "size": d["size"],
                **{flag: bool((d.get("flags") or {}).get(flag)) for flag in FLAGS},
            }
            for d in parsed.get("documents", [])
        ],
        "attachments": [
            {
                "n": a["n"],
                "filename": a.get("filename"),
                "media_type": a.get("media_type") or "application/octet-stream",
                "size": a["size"],
            }
            for a in parsed.get("attachments", [])
        ],
    }


async def get_inbox_document(call: Call) -> web.Response:
    found = _store(call).document(call.params["id"], call.params["n"])
    if found is None:
        _received(call)  # which 404: no such message, or no such document in it
        raise Problem(404, "mssante-document-unknown", "The message holds no document with this n")
    name = _header_safe(found.filename or f"document-{found.n}")
    # The sender's metadata chose it: only a bare type/subtype is served as such.
    media_type = (found.media_type or "").lower()
    if not _MEDIA_TYPE.fullmatch(media_type):
        media_type = "application/octet-stream"
    return web.Response(
        body=found.content,
        content_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


_MEDIA_TYPE = re.compile(r"[a-z0-9.+-]+/[a-z0-9.+-]+")


def _header_safe(name: str) -> str:
    """A file name another's mail chose, fit for a header: printable ASCII, no quote."""
    return "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name)


async def mark_read(call: Call) -> dict[str, Any]:
    if not await _store(call).mark_read(call.params["id"]):
        raise _no_such_message()
    return {"id": call.params["id"], "unread": False}


async def acknowledge(call: Call) -> web.Response:
    message = _received(call)
    if message.receipt_to is None:
        raise Problem(
            409, "mssante-no-receipt-requested", "The message asked for no return receipt"
        )
    if message.ack is not None:
        raise Problem(409, "mssante-already-acknowledged", "A receipt was already sent")
    if message.message_id is None:
        raise Problem(
            409, "mssante-no-receipt-requested", "The message has no Message-ID to answer"
        )
    error = (call.body or {}).get("error")
    sender = call.config.options["address"]
    receipt_id = f"<{uuid.uuid4()}@{sender.rsplit('@', 1)[1]}>"
    try:
        raw = build_mdn(
            original_message_id=message.message_id,
            original_recipient=None,
            receipt_to=message.receipt_to,
            reporter=sender,
            error=(error["code"], error["label"]) if error else None,
            date=dt.datetime.now(dt.UTC).replace(microsecond=0),
            subject=message.subject or "",
            original=_store(call).raw(message.id),
            message_id=receipt_id,
        )
    except MdnError as exc:
        raise Problem(
            409, "mssante-no-receipt-requested", "No receipt can answer this message", str(exc)
        ) from None
    answer = await accept(
        call,
        kind=RECEIPT,
        payload={
            "message_id": receipt_id,
            "from": sender,
            "to": [message.receipt_to],
            "cc": [],
            "recipients": [message.receipt_to],
            "subject": "Return receipt",
            "request_receipt": False,
            "acknowledges": message.id,
        },
        external_id=receipt_id,
        attachments=[("message/rfc822", "receipt.eml", raw)],
    )
    await _store(call).mark_acked(
        message.id,
        "processed",
        code=error["code"] if error else None,
        label=error["label"] if error else None,
        mdn_message_id=receipt_id,
    )
    return answer


# --- directory ----------------------------------------------------------------------------------


async def search_directory(call: Call) -> dict[str, Any]:
    p = call.params
    criteria = {name: p.get(name) for name in ("q", "rpps", "postcode", "profession")}
    try:
        items = call.config.state["directory"].search(**criteria, limit=p.get("limit", 20))
    except directory.NotImported as exc:
        raise Problem(
            503, "mssante-directory-missing", "The directory is not imported", str(exc)
        ) from None
    except ValueError as exc:
        # The directory names the criterion it refuses first (``rpps must not be empty``).
        name = str(exc).split(" ", 1)[0]
        field = name if name in (*criteria, "limit") else "q"
        raise validation_problem([FieldError(f"/{field}", str(exc))]) from None
    return {"items": items, "count": len(items)}


_ID = Param(
    "id",
    "path",
    {"type": "integer", "minimum": 1, "examples": [12]},
    required=True,
    description="its id",
)
_N = Param(
    "n",
    "path",
    {"type": "integer", "minimum": 0, "examples": [0]},
    required=True,
    description="the document's `n` (documents first, then attachments)",
)
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
_PDF_BASE64 = (
    "JVBERi0xLjQKMSAwIG9iajw8L1R5cGUvQ2F0YWxvZz4+ZW5kb2JqCnRyYWlsZXI8PC9Sb290IDEgMCBSPj4KJSVFT0YK"
)
_MESSAGE_ID = "<6f1c2a47-0c55-4d0e-9a8e-3f8f6f0f4b1e@medecin.mssante.fr>"
_RECEIVED_PATIENT = {
    "ins": {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"},
    "traits": {
        "birth_name": "NESSI",
        "first_names": ["RUTH", "ISABELLE"],
        "sex": "F",
        "birth_date": "1977-07-14",
    },
}
_SUMMARY_EXAMPLE = {
    "id": 12,
    "received_at": "2026-12-02T08:14:03.120+00:00",
    "date": "2026-12-02T08:13:58.000+00:00",
    "message_id": "<a1b2c3@labo.mssante.fr>",
    "from": "labo.test@labo.mssante.fr",
    "subject": "XDM/1.0/DDM+Compte rendu de biologie NESSI RUTH 14/07/1977",
    "patient": _RECEIVED_PATIENT,
    "unread": True,
    "critical": True,
    "abnormal": True,
    "contains_biology": True,
    "documents": 1,
    "package_error": None,
    "receipt_requested": True,
    "acknowledged": None,
}
_ACCEPTED_EXAMPLE = {
    "id": 42,
    "state": "queued",
    "kind": MESSAGE,
    "external_id": _MESSAGE_ID,
    "location": "/v1/outbox/42",
}

OPERATIONS: list[Operation] = [
    Operation(
        "POST",
        "/v1/mssante/messages",
        "Send a message with its documents (queued, 202)",
        send_message,
        scope=SCOPE,
        operation_id="sendMssanteMessage",
        description="""Queues a secure health mail about one patient and answers `202` with
the outbox item (kind `mssante.message`) once it is durable; the outbox hands it to the
operator's SMTP submission server (STARTTLS and the practice's client certificate) and
retries what is worth retrying: a 4xx answer or a network error is retried, a 5xx answer
(an unknown recipient, say) fails the item. A copy goes to the mailbox's `Sent` folder.

The message is built now, so that a bad document is a 422 rather than a later failure: the
subject `XDM/1.0/DDM+<subject_label> <NOM> <prénom> <JJ/MM/AAAA>`, the `X-MSS-*` headers of the
MSSanté référentiel (`X-MSS-CODECDA`, `X-MSS-INS`…), the `IHE_XDM.ZIP` package (README.TXT,
INDEX.HTM, `IHE_XDM/SUBSET01/METADATA.XML` with the patient's identity traits, the documents
as `DOC00001.XML`…) and each PDF beside it. A `pdf` document is wrapped in a CDA R2 level 1
for the package; a `cda` document must be about the message's patient (its recordTarget's
INS and traits are checked). One patient per message: a patient's mailbox
(`<matricule INS>@patient.mssante.fr`) among the recipients must be this patient's.

A message to the patient's mailbox uses the INS, which only a qualified identity may be used
under (RNIV): a `patient.identity_status` other than `QUAL` is then a 422
`identity-not-qualified` naming `/patient/identity_status`, journaled `identity.refused`,
unless `[mssante] allow_unqualified_identity`; without a status the message goes (the EHR did
not say), unless `[mssante] require_identity_status`. Messages between professionals are not
checked.

`request_receipt` asks the recipients' software for a return receipt (an MDN): follow it at
`GET /v1/mssante/messages/{id}` or as `mssante.receipt` on the event stream.
`Idempotency-Key` makes the send safe to repeat.""",
        request_schema=SEND_SCHEMA,
        request_headers=("Idempotency-Key",),
        request_examples={
            "a letter as PDF": {
                "to": ["jean.dupont@medecin.mssante.fr"],
                "patient": _RUTH,
                "subject_label": "Courrier de sortie",
                "body": {"text": "Cher confrère, veuillez trouver ci-joint…"},
                "documents": [
                    {"pdf": _PDF_BASE64, "title": "Lettre de liaison", "type_code": "34133-9"}
                ],
                "request_receipt": True,
            }
        },
        response_status=202,
        response_schema=ACCEPTED_SCHEMA,
        response_headers=("Location", "Idempotent-Replayed"),
        response_examples={"queued": _ACCEPTED_EXAMPLE},
        max_body_bytes=64 * 1024 * 1024,
        errors={422: ("identity-not-qualified",)},
    ),
    Operation(
        "GET",
        "/v1/mssante/messages/{id}",
        "A sent message: delivery and return receipt",
        get_sent,
        scope=SCOPE,
        operation_id="getMssanteMessage",
        description="""A message sent through `POST /v1/mssante/messages` (its outbox item's
`id`): its delivery state (the outbox item's), whether its copy reached the `Sent` folder, and
its return receipt: `requested` until every recipient's software answered, `processed` then,
`error` with the code and label a recipient's software gave (`processed/Error: code^label`).""",
        params=[_ID],
        response_schema=SENT_MESSAGE,
        response_examples={
            "received by the lab": {
                "id": 42,
                "message_id": _MESSAGE_ID,
                "state": "sent",
                "last_error": None,
                "from": "cabinet.test@medecin.mssante.fr",
                "to": ["labo.test@labo.mssante.fr"],
                "cc": [],
                "subject": "XDM/1.0/DDM+Demande d'examen NESSI RUTH 14/07/1977",
                "patient": "277076322082910",
                "sent_folder": "copied",
                "receipt": {
                    "requested": True,
                    "state": "processed",
                    "code": None,
                    "label": None,
                    "at": "2026-12-02T08:20:11.000+00:00",
                    "receipts": [
                        {
                            "from": "labo.test@labo.mssante.fr",
                            "disposition": "processed",
                            "code": None,
                            "label": None,
                            "at": "2026-12-02T08:20:11.000+00:00",
                        }
                    ],
                },
            }
        },
        errors={404: ("mssante-message-unknown",)},
    ),
    Operation(
        "GET",
        "/v1/mssante/inbox",
        "Received messages, newest first",
        list_inbox,
        scope=SCOPE,
        operation_id="listMssanteInbox",
        description="""The messages the daemon fetched from the practice's mailbox (over
IMAP, as they arrive), newest first, return receipts left out. Each says whom its package is
about (the identity traits of its `sourcePatientInfo`, to recognise the patient by), whether
it holds a biology report and whether a result is `abnormal` or `critical` (HH, LL, AA):
`critical=true` lists what must be acted on now. A package that could not be read safely is
kept, with `package_error` saying why. `limit` a page (50 unless said); pass `next_cursor`
back as `cursor` for the next one.""",
        params=[
            Param(
                "patient",
                "query",
                {"type": "string", "pattern": "^[0-9A-Z]{13}[0-9]{2}$"},
                description="only messages whose package names this INS",
            ),
            Param("unread", "query", {"type": "boolean"}, description="only unread (or read)"),
            Param(
                "critical",
                "query",
                {"type": "boolean"},
                description="only messages holding a critical result (or none)",
            ),
            Param("from", "query", TIME_PARAM, description="received at or after"),
            Param("to", "query", TIME_PARAM, description="received at or before"),
            Param(
                "cursor",
                "query",
                {"type": "integer", "minimum": 1},
                description="the `next_cursor` of the previous page",
            ),
            Param(
                "limit",
                "query",
                {"type": "integer", "minimum": 1, "maximum": 500},
                description="messages per page (default 50)",
            ),
        ],
        response_schema=INBOX_PAGE,
        response_examples={"a page": {"items": [_SUMMARY_EXAMPLE], "next_cursor": None}},
    ),
    Operation(
        "GET",
        "/v1/mssante/inbox/{id}",
        "A received message",
        get_inbox_message,
        scope=SCOPE,
        operation_id="getMssanteInboxMessage",
        description="""A received message: its headers in order, its text and HTML body,
whom its package is about, its documents (title, type, size and the biology flags of each)
and its other attachments; their bytes are at `…/documents/{n}`.""",
        params=[_ID],
        response_schema=INBOX_MESSAGE,
        response_examples={
            "a biology report": {
                **_SUMMARY_EXAMPLE,
                "to": ["cabinet.test@medecin.mssante.fr"],
                "cc": [],
                "headers": [["From", "labo.test@labo.mssante.fr"], ["X-MSS-INS", "O"]],
                "body": {"text": "Résultats ci-joints.", "html": None},
                "documents": [
                    {
                        "n": 0,
                        "name": "DOC00001.XML",
                        "title": "Compte rendu de biologie",
                        "type_code": "11502-2",
                        "media_type": "text/xml",
                        "size": 48211,
                        "contains_biology": True,
                        "abnormal": True,
                        "critical": True,
                    }
                ],
                "attachments": [
                    {
                        "n": 1,
                        "filename": "20261202_11502-2_NESSI_RUTH.pdf",
                        "media_type": "application/pdf",
                        "size": 80312,
                    }
                ],
            }
        },
        errors={404: ("mssante-inbox-unknown",)},
    ),
    Operation(
        "GET",
        "/v1/mssante/inbox/{id}/documents/{n}",
        "A document or attachment of a received message (its bytes)",
        get_inbox_document,
        scope=SCOPE,
        operation_id="getMssanteInboxDocument",
        description="""The bytes of document or attachment `n` of a received message, with
its media type (`text/xml` for a CDA, `application/pdf`…).""",
        params=[_ID, _N],
        response_media_type=("text/xml", "application/pdf", "application/octet-stream"),
        errors={404: ("mssante-inbox-unknown", "mssante-document-unknown")},
    ),
    Operation(
        "POST",
        "/v1/mssante/inbox/{id}/read",
        "Mark a received message read",
        mark_read,
        scope=SCOPE,
        operation_id="markMssanteInboxRead",
        description="""Marks a received message read in the daemon (`unread=false` in the
inbox); the server's own flag is the daemon's to keep (it marks each message seen once
stored).""",
        params=[_ID],
        response_schema=READ_ANSWER,
        response_examples={"read": {"id": 12, "unread": False}},
        errors={404: ("mssante-inbox-unknown",)},
    ),
    Operation(
        "POST",
        "/v1/mssante/inbox/{id}/ack",
        "Send the return receipt a received message asks for (queued, 202)",
        acknowledge,
        scope=SCOPE,
        operation_id="ackMssanteInboxMessage",
        description="""Answers a message that asked for a return receipt
(`Disposition-Notification-To`) with an MDN (RFC 8098), as the ANS guide for CDA documents by
MSSanté mail describes: `processed` once the EHR took it in, or `processed/Error: code^label`
with the `error` given (its subject then starts `[KO Intégration système !][code]`). The
receipt is queued (kind `mssante.receipt`, 202) and sent by the outbox; one receipt per
message: a second is a 409.""",
        params=[_ID],
        request_schema=ACK_SCHEMA,
        request_headers=("Idempotency-Key",),
        request_examples={
            "taken in": {},
            "patient unknown": {
                "error": {"code": "902", "label": "Identifiant de patient inconnu"}
            },
        },
        response_status=202,
        response_schema=ACCEPTED_SCHEMA,
        response_headers=("Location", "Idempotent-Replayed"),
        response_examples={"queued": {**_ACCEPTED_EXAMPLE, "kind": RECEIPT}},
        errors={
            404: ("mssante-inbox-unknown",),
            409: ("mssante-no-receipt-requested", "mssante-already-acknowledged"),
        },
    ),
    Operation(
        "GET",
        "/v1/mssante/directory",
        "Search the MSSanté directory (imported offline)",
        search_directory,
        scope=SCOPE,
        operation_id="searchMssanteDirectory",
        description="""Searches the public MSSanté directory the practice imported with
`aiguillage directory import` (the `Extraction_Correspondance_MSSante` file): mailboxes whose
names, city or profession start with each word of `q` (accents and case ignored), with the
`rpps`, `postcode` and `profession` given. Without an import: 503
`mssante-directory-missing`.""",
        params=[
            Param(
                "q",
                "query",
                {"type": "string", "minLength": 1, "maxLength": 200},
                description="words the names, city or profession start with",
            ),
            Param(
                "rpps",
                "query",
                {"type": "string", "pattern": "^[0-9A-Za-z]{1,20}$"},
                description="the practitioner's national id (Identifiant PP)",
            ),
            Param(
                "postcode",
                "query",
                {"type": "string", "pattern": "^[0-9A-Za-z]{2,10}$"},
                description="the postcode",
            ),
            Param(
                "profession",
                "query",
                {"type": "string", "minLength": 1, "maxLength": 100},
                description="the profession's code (`10`) or label (`Médecin`)",
            ),
            Param(
                "limit",
                "query",
                {"type": "integer", "minimum": 1, "maximum": 200},
                description="at most this many (default 20)",
            ),
        ],
        response_schema=DIRECTORY_PAGE,
        response_examples={
            "a GP in Lyon": {
                "items": [
                    {
                        "address": "jean.dupont@medecin.mssante.fr",
                        "type": "PER",
                        "names": {"family": "DUPONT", "given": "Jean", "civility": "DR"},
                        "rpps": "10001234567",
                        "profession": {"code": "10", "label": "Médecin"},
                        "specialty": {"code": "SM54", "label": "Médecine générale (SM)"},
                        "structure": {
                            "name": "CABINET DU DR DUPONT",
                            "id": "R10001234567",
                            "id_type": "4",
                            "service": None,
                        },
                        "address_lines": ["12 RUE DE LA REPUBLIQUE"],
                        "postcode": "69002",
                        "city": "LYON",
                    }
                ],
                "count": 1,
            }
        },
        errors={503: ("mssante-directory-missing",)},
    ),
]
