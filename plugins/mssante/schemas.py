"""JSON schemas of the MSSanté operations."""

from __future__ import annotations

from typing import Any

from aiguillage.plugin import INS_SCHEMA, PARTIAL_TRAITS_SCHEMA, PATIENT_SCHEMA

#: MSSanté addresses live in the mssante.fr domain space; a patient's is
#: ``<matricule INS>@patient.mssante.fr``.
ADDRESS_PATTERN = r"^[A-Za-z0-9._%+'-]{1,64}@([A-Za-z0-9-]{1,63}\.)*mssante\.fr$"
PATIENT_DOMAIN = "patient.mssante.fr"
ADDRESS = {
    "type": "string",
    "maxLength": 254,
    "pattern": ADDRESS_PATTERN,
    "description": "an MSSanté address (domain `mssante.fr` or one of its sub-domains)",
    "examples": ["jean.dupont@medecin.mssante.fr"],
}
_TIME = {"type": "string", "format": "date-time", "description": "RFC 3339, with offset"}
_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
_BASE64 = {"type": "string", "contentEncoding": "base64", "minLength": 1}
_LOINC = {
    "type": "string",
    "pattern": "^[0-9]{1,7}-[0-9]$",
    "description": "the document's type: a LOINC code of the JDV_J07 value set (XdsTypeCode)",
    "examples": ["11502-2"],
}

PDF_DOCUMENT = {
    "title": "MssantePdfDocument",
    "type": "object",
    "description": "A PDF, wrapped by the daemon in a CDA R2 level 1 for the XDM package and "
    "attached as it is beside it",
    "required": ["pdf", "title", "type_code"],
    "additionalProperties": False,
    "properties": {
        "pdf": {**_BASE64, "description": "the PDF, base64"},
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "type_code": _LOINC,
    },
}
CDA_DOCUMENT = {
    "title": "MssanteCdaDocument",
    "type": "object",
    "description": "The EHR's own CDA R2 document (level 1 or structured, e.g. a CR-BIO), about "
    "the message's patient; its title and type are its own `title` and `code`",
    "required": ["cda"],
    "additionalProperties": False,
    "properties": {
        "cda": {**_BASE64, "description": "the CDA document, base64"},
        "pdf": {**_BASE64, "description": "its PDF rendering, attached beside the package"},
        "format_code": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "its XDS formatCode (JDV_J60); known by itself for a level 1, a "
            "CR-BIO, a VSM and an IPS-FR",
        },
    },
}
SEND_SCHEMA: dict[str, Any] = {
    "title": "MssanteMessageRequest",
    "type": "object",
    "required": ["to", "patient", "subject_label", "documents"],
    "additionalProperties": False,
    "properties": {
        "from": {**ADDRESS, "description": "the sender (default: the configured `address`)"},
        "to": {"type": "array", "items": ADDRESS, "minItems": 1, "maxItems": 50},
        "cc": {"type": "array", "items": ADDRESS, "maxItems": 50, "default": []},
        "patient": PATIENT_SCHEMA,
        "subject_label": {
            "type": "string",
            "minLength": 1,
            "maxLength": 120,
            "pattern": "^[^\\x00-\\x1f\\x7f]+$",
            "description": "what the subject says the message is, e.g. `Compte rendu de "
            "biologie`; the subject is `XDM/1.0/DDM+<label> <NOM> <prénom> <birth date>`",
        },
        "body": {
            "title": "MssanteBody",
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "properties": {
                "text": {"type": "string", "maxLength": 1_000_000},
                "html": {"type": "string", "maxLength": 1_000_000},
            },
        },
        "documents": {
            "type": "array",
            "minItems": 1,
            "maxItems": 20,
            "items": {"oneOf": [PDF_DOCUMENT, CDA_DOCUMENT]},
        },
        "request_receipt": {
            "type": "boolean",
            "default": False,
            "description": "ask the recipients for a return receipt (an MDN)",
        },
    },
}

RECIPIENT_RECEIPT = {
    "title": "MssanteRecipientReceipt",
    "type": "object",
    "required": ["from", "disposition", "code", "label", "at"],
    "additionalProperties": False,
    "properties": {
        "from": {"type": ["string", "null"], "description": "the recipient who answered"},
        "disposition": {"type": "string", "description": "`processed`, `displayed`…"},
        "code": {"type": ["string", "null"]},
        "label": {"type": ["string", "null"]},
        "at": _NULLABLE_TIME,
    },
}
RECEIPT_STATE = {
    "title": "MssanteReceipt",
    "type": "object",
    "required": ["requested", "state", "code", "label", "at", "receipts"],
    "additionalProperties": False,
    "properties": {
        "requested": {"type": "boolean"},
        "state": {
            "type": "string",
            "enum": ["none", "requested", "processed", "error"],
            "description": "`requested` until every recipient's software answered; "
            "`processed` then; `error` when one could not take the message in (`code` and "
            "`label` say why)",
        },
        "code": {"type": ["string", "null"]},
        "label": {"type": ["string", "null"]},
        "at": _NULLABLE_TIME,
        "receipts": {"type": "array", "items": RECIPIENT_RECEIPT},
    },
}
SENT_MESSAGE = {
    "title": "MssanteSentMessage",
    "type": "object",
    "required": ["id", "message_id", "state", "from", "to", "cc", "subject", "receipt"],
    "additionalProperties": False,
    "properties": {
        "id": {"type": "integer", "description": "the outbox item's id"},
        "message_id": {"type": "string", "description": "the RFC 5322 Message-ID"},
        "state": {
            "type": "string",
            "description": "the outbox item's state (`queued`, `sending`, `sent`, `failed`…)",
        },
        "last_error": {"type": ["object", "null"]},
        "from": {"type": "string"},
        "to": {"type": "array", "items": {"type": "string"}},
        "cc": {"type": "array", "items": {"type": "string"}},
        "subject": {"type": "string"},
        "patient": {"type": ["string", "null"], "description": "the patient's INS"},
        "sent_folder": {
            "type": ["string", "null"],
            "description": "`copied` once in the mailbox's Sent folder",
        },
        "receipt": RECEIPT_STATE,
    },
}

FLAGS = {
    "contains_biology": {"type": "boolean", "description": "holds a biology report (CR-BIO)"},
    "abnormal": {"type": "boolean", "description": "a result is flagged abnormal"},
    "critical": {
        "type": "boolean",
        "description": "a result is flagged critical (HH, LL, AA…): show it at once",
    },
}
RECEIVED_PATIENT = {
    "title": "MssanteReceivedPatient",
    "type": "object",
    "description": "who the package says the message is about (its sourcePatientInfo): "
    "recognise the patient from these traits before filing anything",
    "additionalProperties": False,
    "properties": {
        "ins": {"anyOf": [INS_SCHEMA, {"type": "null"}]},
        "traits": PARTIAL_TRAITS_SCHEMA,
    },
}
INBOX_SUMMARY_PROPERTIES: dict[str, Any] = {
    "id": {"type": "integer"},
    "received_at": _TIME,
    "date": _NULLABLE_TIME,
    "message_id": {"type": ["string", "null"]},
    "from": {"type": ["string", "null"]},
    "subject": {"type": ["string", "null"]},
    "patient": {"anyOf": [RECEIVED_PATIENT, {"type": "null"}]},
    "unread": {"type": "boolean"},
    **FLAGS,
    "documents": {"type": "integer", "description": "how many documents the package holds"},
    "package_error": {
        "type": ["string", "null"],
        "description": "why the IHE_XDM.ZIP package could not be read (the message is kept)",
    },
    "receipt_requested": {"type": "boolean"},
    "acknowledged": {
        "type": ["string", "null"],
        "description": "the receipt sent (`processed` or `error`), if any",
    },
}
INBOX_SUMMARY = {
    "title": "MssanteInboxMessage",
    "type": "object",
    "required": list(INBOX_SUMMARY_PROPERTIES),
    "additionalProperties": False,
    "properties": INBOX_SUMMARY_PROPERTIES,
}
INBOX_PAGE = {
    "title": "MssanteInboxPage",
    "type": "object",
    "required": ["items", "next_cursor"],
    "additionalProperties": False,
    "properties": {
        "items": {"type": "array", "items": INBOX_SUMMARY},
        "next_cursor": {
            "type": ["integer", "null"],
            "description": "pass as `cursor` for the next page; `null` on the last one",
        },
    },
}
RECEIVED_DOCUMENT = {
    "title": "MssanteReceivedDocument",
    "type": "object",
    "required": ["n", "name", "media_type", "size"],
    "additionalProperties": False,
    "properties": {
        "n": {"type": "integer", "description": "its number, for `…/documents/{n}`"},
        "name": {"type": "string", "description": "its file name in the package"},
        "title": {"type": ["string", "null"]},
        "type_code": {"type": ["string", "null"]},
        "media_type": {"type": "string"},
        "size": {"type": "integer"},
        **FLAGS,
    },
}
INBOX_MESSAGE = {
    "title": "MssanteInboxMessageDetail",
    "type": "object",
    "required": [*INBOX_SUMMARY_PROPERTIES, "to", "cc", "headers", "body", "attachments"],
    "additionalProperties": False,
    "properties": {
        **INBOX_SUMMARY_PROPERTIES,
        "documents": {"type": "array", "items": RECEIVED_DOCUMENT},
        "to": {"type": "array", "items": {"type": "string"}},
        "cc": {"type": "array", "items": {"type": "string"}},
        "headers": {
            "type": "array",
            "description": "the message's headers, in order",
            "items": {
                "type": "array",
                "prefixItems": [{"type": "string"}, {"type": "string"}],
                "minItems": 2,
                "maxItems": 2,
            },
        },
        "body": {
            "type": "object",
            "additionalProperties": False,
            "required": ["text", "html"],
            "properties": {
                "text": {"type": ["string", "null"]},
                "html": {"type": ["string", "null"]},
            },
        },
        "attachments": {
            "type": "array",
            "description": "the message's attachments, the `IHE_XDM.ZIP` package among them",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["n", "filename", "media_type", "size"],
                "properties": {
                    "n": {"type": "integer", "description": "its number, for `…/documents/{n}`"},
                    "filename": {"type": ["string", "null"]},
                    "media_type": {"type": "string"},
                    "size": {"type": "integer"},
                },
            },
        },
    },
}
ACK_SCHEMA = {
    "title": "MssanteAckRequest",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "error": {
            "type": "object",
            "description": "the message could not be taken in: the receipt says "
            "`processed/Error: code^label`; absent, it says `processed`",
            "required": ["code", "label"],
            "additionalProperties": False,
            "properties": {
                "code": {"type": "string", "pattern": "^[A-Za-z0-9_.-]{1,40}$"},
                "label": {"type": "string", "minLength": 1, "maxLength": 200},
            },
        }
    },
}
READ_ANSWER = {
    "title": "MssanteReadAnswer",
    "type": "object",
    "required": ["id", "unread"],
    "additionalProperties": False,
    "properties": {"id": {"type": "integer"}, "unread": {"type": "boolean"}},
}
_TEXT = {"type": ["string", "null"]}
_CODED = {
    "title": "MssanteCoded",
    "type": "object",
    "required": ["code", "label"],
    "additionalProperties": False,
    "properties": {"code": _TEXT, "label": _TEXT},
}
DIRECTORY_ENTRY = {
    "title": "MssanteDirectoryEntry",
    "type": "object",
    "required": [
        "address",
        "type",
        "names",
        "rpps",
        "profession",
        "specialty",
        "structure",
        "address_lines",
        "postcode",
        "city",
    ],
    "additionalProperties": False,
    "properties": {
        "address": {"type": "string", "description": "the MSSanté address"},
        "type": {
            "type": ["string", "null"],
            "description": "`PER` a person's mailbox, `ORG` a structure's (or a service's)",
        },
        "names": {
            "type": "object",
            "required": ["family", "given", "civility"],
            "additionalProperties": False,
            "properties": {"family": _TEXT, "given": _TEXT, "civility": _TEXT},
        },
        "rpps": {**_TEXT, "description": "the practitioner's national id (Identifiant PP)"},
        "profession": {"anyOf": [_CODED, {"type": "null"}]},
        "specialty": {"anyOf": [_CODED, {"type": "null"}]},
        "structure": {
            "anyOf": [
                {
                    "title": "MssanteStructure",
                    "type": "object",
                    "required": ["name", "id", "id_type", "service"],
                    "additionalProperties": False,
                    "properties": {"name": _TEXT, "id": _TEXT, "id_type": _TEXT, "service": _TEXT},
                },
                {"type": "null"},
            ]
        },
        "address_lines": {"type": "array", "items": {"type": "string"}},
        "postcode": _TEXT,
        "city": _TEXT,
    },
}
DIRECTORY_PAGE = {
    "title": "MssanteDirectoryAnswer",
    "type": "object",
    "required": ["items", "count"],
    "additionalProperties": False,
    "properties": {
        "items": {"type": "array", "items": DIRECTORY_ENTRY},
        "count": {"type": "integer"},
    },
}
