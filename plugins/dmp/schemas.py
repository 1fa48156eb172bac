"""The JSON shapes of the DMP operations: what the API accepts and answers."""

from __future__ import annotations

from typing import Any

from aiguillage.plugin import (
    DOCUMENT_PATIENT_SCHEMA,
    INS_SCHEMA,
    PRACTITIONER_SCHEMA,
)

from .cda import VSM_KEYS

#: A document's XDS uniqueId: its OID, or for an EHR's own CDA ``root^extension`` (the CDA's
#: ClinicalDocument/id). No quote can appear, which ITI-18 list parameters rely on.
UNIQUE_ID: dict[str, Any] = {
    "type": "string",
    "pattern": r"^[0-9.]{3,64}(\^[0-9A-Za-z._-]{1,60})?$",
    "maxLength": 64,
}

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

AUTHORIZATION_SCHEMA = {
    "type": "object",
    "required": ["action"],
    "additionalProperties": False,
    "properties": {
        "action": {"enum": ["add", "remove"]},
        "practitioner": PRACTITIONER_SCHEMA,
    },
}

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
