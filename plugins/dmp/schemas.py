"""The JSON shapes of the DMP operations: what the API accepts and answers."""

from __future__ import annotations

from typing import Any

from aiguillage.plugin import (
    DELIVERY_ERROR_SCHEMA,
    DOCUMENT_PATIENT_SCHEMA,
    INS_SCHEMA,
    PRACTITIONER_SCHEMA,
)

from .vsm import VSM_KEYS

#: A document's XDS uniqueId: its OID, or for an EHR's own CDA ``root^extension`` (the CDA's
#: ClinicalDocument/id). No quote can appear, which ITI-18 list parameters rely on.
#: A document's availability status in the registry.
DOCUMENT_STATUS: dict[str, Any] = {
    "title": "DmpDocumentAvailability",
    "type": "string",
    "enum": ["approved", "deprecated", "archived"],
    "description": "`approved` (current), `deprecated` (replaced), `archived`",
}

UNIQUE_ID: dict[str, Any] = {
    "type": "string",
    "description": "a document's XDS uniqueId: an OID, or `root^extension` for an EHR's own CDA",
    "pattern": r"^[0-9.]{3,64}(\^[0-9A-Za-z._-]{1,60})?$",
    "maxLength": 64,
}

#: The time a DMP answer holds, as every time the API serves: RFC 3339 with its offset.
_TIME: dict[str, Any] = {"type": ["string", "null"], "format": "date-time"}
#: The registry's own value of a time: an XDS DTM, UTC, from the year to the second.
_DTM: dict[str, Any] = {"type": ["string", "null"], "pattern": "^[0-9]{4}([0-9]{2}){0,5}$"}

_VSM_ITEM: dict[str, Any] = {
    "title": "VsmItem",
    "type": "object",
    "description": "One line of the VSM: a problem, an allergy, a treatment…",
    "required": ["label"],
    "additionalProperties": False,
    "properties": {
        "label": {
            "type": "string",
            "minLength": 1,
            "maxLength": 500,
            "description": 'what it is, in words ("Diabète de type 2")',
        },
        "since": {"type": "string", "format": "date", "description": "since when (YYYY-MM-DD)"},
        "code": {"type": "string", "maxLength": 50, "description": "its code (CIM-10, ATC…)"},
        "dosage": {"type": "string", "maxLength": 500, "description": "a treatment's dosage"},
    },
}
_VSM_KINDS = {
    "problems": "current pathologies",
    "history": "medical and surgical history",
    "allergies": "allergies and intolerances",
    "risk_factors": "risk factors",
    "results": "results worth knowing",
    "treatments": "long-term treatments",
}
VSM_SCHEMA: dict[str, Any] = {
    "title": "Vsm",
    "type": "object",
    "description": "The volet de synthèse médicale, built by the daemon (CI-SIS VSM 2023.01): "
    'its items by kind; a kind left out or empty is written "Aucune information".',
    "additionalProperties": False,
    "properties": {
        key: {
            "type": "array",
            "maxItems": 200,
            "items": _VSM_ITEM,
            "description": _VSM_KINDS.get(key, key.replace("_", " ")),
        }
        for key in VSM_KEYS
    },
}

_TITLE: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 200}
_BASE64: dict[str, Any] = {"type": "string", "format": "byte", "contentEncoding": "base64"}

#: The three kinds of document a send carries, each told by its one required content key.
PDF_DOCUMENT: dict[str, Any] = {
    "title": "DmpPdfDocument",
    "type": "object",
    "description": "A PDF, which the daemon wraps in a CDA R2 level 1.",
    "required": ["pdf", "title", "type_code"],
    "additionalProperties": False,
    "properties": {
        "pdf": {**_BASE64, "description": "the PDF (at most 20 MiB), base64"},
        "title": {**_TITLE, "description": "the document's title, as the DMP lists it"},
        "type_code": {
            "type": "string",
            "description": "the document's type: a LOINC code of the DMP's JDV_J66 "
            "(`11488-4` compte rendu de consultation…), not `E1762`, the signature's",
            "examples": ["11488-4"],
        },
    },
}
VSM_DOCUMENT: dict[str, Any] = {
    "title": "DmpVsmDocument",
    "type": "object",
    "description": "A VSM the daemon builds from its items (type `SYNTH`).",
    "required": ["vsm"],
    "additionalProperties": False,
    "properties": {
        "vsm": VSM_SCHEMA,
        "title": {**_TITLE, "description": 'default: "Volet de synthèse médicale"'},
    },
}
CDA_DOCUMENT: dict[str, Any] = {
    "title": "DmpCdaDocument",
    "type": "object",
    "description": "The EHR's own CDA R2: a level 1 (a PDF) or a VSM, about the request's "
    "patient, with every INS trait; checked against the CDA XSD.",
    "required": ["cda"],
    "additionalProperties": False,
    "properties": {
        "cda": {**_BASE64, "description": "the CDA document (at most 20 MiB), base64"},
    },
}
DOCUMENT_SCHEMA: dict[str, Any] = {
    "title": "DmpDocument",
    "description": "What is sent: a PDF, a VSM or the EHR's own CDA — the object with `pdf`, "
    "`vsm` or `cda`.",
    "oneOf": [PDF_DOCUMENT, VSM_DOCUMENT, CDA_DOCUMENT],
}
SEND_SCHEMA: dict[str, Any] = {
    "title": "DmpDocumentSend",
    "type": "object",
    "description": "A document to send to the patient's DMP.",
    "required": ["patient", "document"],
    "additionalProperties": False,
    "properties": {
        "patient": DOCUMENT_PATIENT_SCHEMA,
        "document": DOCUMENT_SCHEMA,
        "confidentiality": {
            "type": "string",
            "enum": ["N", "R", "V"],
            "default": "N",
            "description": "HL7 confidentiality (JDV J08): N normal, R restricted, V very "
            "restricted",
        },
        "replaces": {
            **UNIQUE_ID,
            "description": "the uniqueId of the patient's document this one replaces (RPLC): "
            "that one is deprecated once this one is registered",
        },
        "practitioner": PRACTITIONER_SCHEMA,
    },
}

_AUTHORIZATION = {
    "title": "DmpAuthorizationState",
    "type": "string",
    "enum": ["valid", "expired", "none", "blocked"],
    "description": "The calling practitioner's authorisation on the patient's DMP: `valid`, "
    "`expired`, `none`, or `blocked` (the patient refused it).",
}
STATUS_ANSWER: dict[str, Any] = {
    "title": "DmpPatientStatus",
    "type": "object",
    "description": "Whether the patient has a DMP and what the practitioner may do with it "
    "(TD0.2).",
    "required": ["exists", "closed", "authorization", "treating_physician", "raw"],
    "additionalProperties": False,
    "properties": {
        "exists": {"type": "boolean", "description": "the patient has a DMP"},
        "closed": {
            "type": "boolean",
            "description": "the DMP is closed: it cannot be read nor written",
        },
        "authorization": _AUTHORIZATION,
        "treating_physician": {
            "type": "boolean",
            "description": "the practitioner is the patient's médecin traitant on the DMP",
        },
        "raw": {
            "type": "object",
            "description": "the DMP's own codes, by name: its attention lines "
            "(`AUTORISATION`, `STATUT_MT`…), `query_response` (the HL7 query response code) "
            "and `status` (the patient's statusCode: `active`, `terminated`)",
            "additionalProperties": {"type": "string"},
        },
    },
}

_NULLABLE = {"type": ["string", "null"]}
_CODE: dict[str, Any] = {
    "title": "DmpCode",
    "type": "object",
    "description": "A coded value of the DMP's metadata.",
    "required": ["code", "display", "system"],
    "additionalProperties": False,
    "properties": {
        "code": {**_NULLABLE, "description": "the code"},
        "display": {**_NULLABLE, "description": "its display name"},
        "system": {**_NULLABLE, "description": "the OID of its code system"},
    },
}
_INSTITUTION: dict[str, Any] = {
    "title": "DmpInstitution",
    "type": "object",
    "description": "The structure an author works in (its XDS `authorInstitution`).",
    "required": ["name", "id", "id_type", "oid"],
    "additionalProperties": False,
    "properties": {
        "name": {**_NULLABLE, "description": "its name"},
        "id": {**_NULLABLE, "description": "its identifier (FINESS, SIRET… with a prefix)"},
        "id_type": {**_NULLABLE, "description": "the identifier's type (`IDNST`)"},
        "oid": {**_NULLABLE, "description": "the OID of the identifier's assigning authority"},
    },
}
AUTHOR_SCHEMA: dict[str, Any] = {
    "title": "DmpAuthor",
    "type": "object",
    "description": "Who wrote a document, as its XDS metadata says (`authorPerson` and the "
    "slots beside it).",
    "required": [
        "id",
        "id_type",
        "oid",
        "family",
        "given",
        "institution",
        "role",
        "specialty",
        "xcn",
    ],
    "additionalProperties": False,
    "properties": {
        "id": {**_NULLABLE, "description": "the author's national id (`8` + RPPS…)"},
        "id_type": {
            **_NULLABLE,
            "description": "the id's type (`IDNPS`: national practitioner id)",
        },
        "oid": {**_NULLABLE, "description": "the OID of the id's assigning authority"},
        "family": {**_NULLABLE, "description": "family name"},
        "given": {**_NULLABLE, "description": "given name(s)"},
        "institution": {
            "anyOf": [_INSTITUTION, {"type": "null"}],
            "description": "the first `authorInstitution`",
        },
        "role": {**_NULLABLE, "description": "the first `authorRole`, as written"},
        "specialty": {
            "anyOf": [_CODE, {"type": "null"}],
            "description": "the first `authorSpecialty`",
        },
        "xcn": {
            "type": "string",
            "description": "`authorPerson` as the registry holds it (HL7 XCN: "
            "`id^family^given^^^^^^&oid&ISO^D^^^IDNPS`)",
        },
    },
}
ENTRY_SCHEMA: dict[str, Any] = {
    "title": "DmpDocumentEntry",
    "type": "object",
    "description": "One document of the patient's DMP, from its registry entry (TD3.1).",
    "required": [
        "unique_id",
        "title",
        "type_code",
        "status",
        "created",
        "created_hl7",
        "service_start",
        "service_start_hl7",
        "service_stop",
        "service_stop_hl7",
        "author",
        "confidentiality",
        "mime_type",
    ],
    "additionalProperties": False,
    "properties": {
        "unique_id": {**UNIQUE_ID, "description": "the document's uniqueId: read it with it"},
        "title": {"type": "string", "description": "the document's title"},
        "type_code": {"type": "string", "description": "its type (LOINC, JDV_J66)"},
        "status": DOCUMENT_STATUS,
        "created": {**_TIME, "description": "when the document was written (creationTime)"},
        "created_hl7": {**_DTM, "description": "creationTime as the registry holds it"},
        "service_start": {
            **_TIME,
            "description": "when the care it is about began (serviceStartTime)",
        },
        "service_start_hl7": {**_DTM, "description": "serviceStartTime as the registry holds it"},
        "service_stop": {**_TIME, "description": "when that care ended (serviceStopTime)"},
        "service_stop_hl7": {**_DTM, "description": "serviceStopTime as the registry holds it"},
        "author": {
            "anyOf": [AUTHOR_SCHEMA, {"type": "null"}],
            "description": "its first author; `null` when the entry names none",
        },
        "confidentiality": {
            "type": "array",
            "items": {"type": "string"},
            "description": "its confidentiality codes: `N`, `R` or `V`, and the DMP's masking "
            "ones (`MASQUE_PS`, `INVISIBLE_PATIENT`…)",
        },
        "mime_type": {
            "type": "string",
            "description": "what reading it gives (`text/xml`: a CDA)",
        },
    },
}
LIST_ANSWER: dict[str, Any] = {
    "title": "DmpDocumentList",
    "type": "object",
    "description": "The patient's documents the practitioner may see.",
    "required": ["documents"],
    "additionalProperties": False,
    "properties": {
        "documents": {
            "type": "array",
            "items": ENTRY_SCHEMA,
            "description": "as the registry lists them",
        }
    },
}

STATUS_ACTIONS = {
    "mask": ("add", "MASQUE_PS"),
    "unmask": ("remove", "MASQUE_PS"),
    "hide_from_patient": ("add", "INVISIBLE_PATIENT"),
    "archive": ("status", "Archived"),
    "delete": ("status", "Deleted"),
}
_ACTION = {
    "title": "DmpDocumentAction",
    "type": "string",
    "enum": list(STATUS_ACTIONS),
    "description": "`mask`: hidden from other health professionals (MASQUE_PS); `unmask`; "
    "`hide_from_patient` (INVISIBLE_PATIENT); `archive`; `delete`.",
}
STATUS_SCHEMA: dict[str, Any] = {
    "title": "DmpDocumentStatusChange",
    "type": "object",
    "description": "A change of a document's status or visibility.",
    "required": ["action", "patient"],
    "additionalProperties": False,
    "properties": {
        "action": _ACTION,
        "patient": INS_SCHEMA,
        "practitioner": PRACTITIONER_SCHEMA,
    },
}
STATUS_CHANGED: dict[str, Any] = {
    "title": "DmpDocumentStatus",
    "type": "object",
    "description": "The change done (TD3.3).",
    "required": ["unique_id", "action", "done"],
    "additionalProperties": False,
    "properties": {
        "unique_id": {**UNIQUE_ID, "description": "the document's uniqueId"},
        "action": _ACTION,
        "done": {"type": "boolean", "const": True, "description": "always `true`"},
    },
}

_AUTHORIZATION_ACTION = {
    "title": "DmpAuthorizationAction",
    "type": "string",
    "enum": ["add", "remove"],
    "description": "`add` or `remove` the practitioner's authorisation",
}
AUTHORIZATION_SCHEMA: dict[str, Any] = {
    "title": "DmpAuthorizationChange",
    "type": "object",
    "description": "The practitioner's authorisation to add or remove, with the patient's consent.",
    "required": ["action"],
    "additionalProperties": False,
    "properties": {
        "action": _AUTHORIZATION_ACTION,
        "practitioner": PRACTITIONER_SCHEMA,
    },
}
AUTHORIZATION_ANSWER: dict[str, Any] = {
    "title": "DmpAuthorization",
    "type": "object",
    "description": "The authorisation change the DMP made (TD0.3).",
    "required": ["action", "detail"],
    "additionalProperties": False,
    "properties": {
        "action": _AUTHORIZATION_ACTION,
        "detail": {
            "type": "string",
            "description": 'the DMP\'s comment, in French ("Autorisation ajoutée", or that it '
            "was already there)",
        },
    },
}

_BATCH_ID: dict[str, Any] = {
    "type": "string",
    "format": "uuid",
    "pattern": "^[0-9a-f-]{36}$",
    "description": "the batch's id",
}
BATCH_ITEM: dict[str, Any] = {
    "title": "VsmBatchItem",
    "type": "object",
    "description": "One patient's VSM.",
    "required": ["patient", "vsm"],
    "additionalProperties": False,
    "properties": {
        "patient": DOCUMENT_PATIENT_SCHEMA,
        "vsm": VSM_SCHEMA,
        "title": {**_TITLE, "description": 'default: "Volet de synthèse médicale"'},
    },
}
BATCH_SCHEMA: dict[str, Any] = {
    "title": "VsmBatch",
    "type": "object",
    "description": "The VSM of many patients, sent with one request.",
    "required": ["items"],
    "additionalProperties": False,
    "properties": {
        "items": {
            "type": "array",
            "minItems": 1,
            "maxItems": 5000,
            "items": BATCH_ITEM,
            "description": "one VSM per item, each its own outbox item",
        },
        "practitioner": PRACTITIONER_SCHEMA,
    },
}
BATCH_ACCEPTED: dict[str, Any] = {
    "title": "VsmBatchAccepted",
    "type": "object",
    "description": "The batch queued: follow it at `location`.",
    "required": ["batch_id", "items", "location", "refused"],
    "additionalProperties": False,
    "properties": {
        "batch_id": _BATCH_ID,
        "items": {"type": "integer", "minimum": 1, "description": "how many items it queued"},
        "refused": {
            "type": "array",
            "description": "the items refused for their identity's status (not queued)",
            "items": {
                "title": "VsmBatchRefusal",
                "type": "object",
                "required": ["index", "patient", "identity_status", "field", "reason"],
                "additionalProperties": False,
                "properties": {
                    "index": {"type": "integer", "description": "its position in `items`"},
                    "patient": {"type": "string", "description": "the patient's INS"},
                    "identity_status": {
                        "type": ["string", "null"],
                        "description": "the status given (`null`: none, when required)",
                    },
                    "field": {"type": "string", "description": "the field refused"},
                    "reason": {"type": "string", "description": "why"},
                },
            },
        },
        "location": {
            "type": "string",
            "format": "uri-reference",
            "description": "the batch's address (`/v1/dmp/batches/{batch_id}`), as `Location`",
        },
    },
}
#: The outbox states a batch counts its items in (``unknown``: an item purged since).
_COUNTED = ("queued", "sending", "sent", "failed", "dead", "cancelled", "unknown")
BATCH_ANSWER: dict[str, Any] = {
    "title": "DmpBatch",
    "type": "object",
    "description": "Where a VSM batch stands.",
    "required": ["batch_id", "total", "counts", "done", "failures"],
    "additionalProperties": False,
    "properties": {
        "batch_id": _BATCH_ID,
        "total": {"type": "integer", "description": "how many items the batch has"},
        "counts": {
            "title": "DmpBatchCounts",
            "type": "object",
            "description": "how many items are in each outbox state; a state none is in is "
            "left out",
            "properties": {
                state: {"type": "integer", "minimum": 1, "description": f"items {state}"}
                for state in _COUNTED
            },
            "additionalProperties": {"type": "integer"},
        },
        "done": {
            "type": "boolean",
            "description": "every item has ended: sent, failed, dead or cancelled",
        },
        "failures": {
            "type": "array",
            "description": "the items that failed or are dead, with why",
            "items": {
                "title": "DmpBatchFailure",
                "type": "object",
                "description": "An item of the batch that did not reach the DMP.",
                "required": ["item_id", "patient", "state", "error"],
                "additionalProperties": False,
                "properties": {
                    "item_id": {"type": "integer", "description": "its outbox item"},
                    "patient": {"type": "string", "description": "the patient's INS"},
                    "state": {"type": "string", "enum": ["failed", "dead"]},
                    "error": {
                        "anyOf": [DELIVERY_ERROR_SCHEMA, {"type": "null"}],
                        "description": "its last error",
                    },
                },
            },
        },
    },
}
