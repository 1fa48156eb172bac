"""JSON schemas of the ApCV operations, and their examples."""

from __future__ import annotations

from typing import Any

from aiguillage.plugin import BENEFICIARY_SCHEMA, PRACTITIONER_SCHEMA

#: The longest payload taken: a QR code holds under 3 kB; an NFC payload is of the same order.
MAX_PAYLOAD = 4096

_PAYLOAD: dict[str, Any] = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_PAYLOAD,
    # Opaque, passed to the service unchanged; only control characters are refused (a
    # scanner's trailing newline, say), which no ApCV payload holds.
    "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f]*$",
}

SESSION_REQUEST: dict[str, Any] = {
    "title": "ApcvSessionRequest",
    "type": "object",
    "description": "What the patient showed: the scanned QR code of their carte Vitale app "
    "(`qr`) or the payload read by NFC (`nfc`), exactly one of them.",
    "additionalProperties": False,
    "properties": {
        "qr": {
            **_PAYLOAD,
            "description": "the text of the QR code the carte Vitale app shows, as the scanner "
            "read it (without a trailing newline); opaque, passed to the service unchanged",
            "examples": ["APCV1.eyJ2IjoxLCJzdWIiOiJORVNTSS1SVVRIIn0.c2lnbmF0dXJl"],
        },
        "nfc": {
            **_PAYLOAD,
            "description": "the payload read from the phone by NFC (Android only), as text; "
            "opaque, passed to the service unchanged",
        },
        "practitioner": PRACTITIONER_SCHEMA,
    },
}

SESSION_SCHEMA: dict[str, Any] = {
    "title": "ApcvSession",
    "type": "object",
    "description": "An ApCV session: the context the ApCV service opened for one scan, and the "
    "beneficiaries it gives (the insured person and those who hold rights through them).",
    "required": ["id", "source", "created_at", "expires_at", "beneficiaries"],
    "properties": {
        "id": {
            "type": "string",
            "description": "the session's id: give it to `GET`/`DELETE /v1/apcv/sessions/{id}`, "
            "as `apcv_session` to `POST /v1/ins/search`, or to a care sheet",
            "examples": ["apcv_Jx3b1bQb2m4Zq5T0cW9yLk8e"],
        },
        "source": {
            "type": "string",
            "enum": ["qr", "nfc"],
            "description": "how the session was opened: a scanned QR code or an NFC tap",
        },
        "created_at": {
            "type": "string",
            "format": "date-time",
            "description": "when the session was opened",
        },
        "expires_at": {
            "type": "string",
            "format": "date-time",
            "description": "the end of validity of the ApCV context (`DateFinValidite`): after "
            "it the session answers 410 and the patient must scan again",
        },
        "beneficiaries": {
            "type": "array",
            "minItems": 1,
            "items": BENEFICIARY_SCHEMA,
            "description": "the beneficiaries of the context, in the service's order; the "
            "others' `index` is their position here (0: the first)",
        },
    },
}

# --- examples -------------------------------------------------------------------------------------
# The NESSI family of the INSi test identities: Ruth, the insured, and her son Michelangelo.

RUTH: dict[str, Any] = {
    "nir": "277076322082910",
    "nir_od": "277076322082910",
    "birth_name": "NESSI",
    "first_name": "RUTH",
    "birth_date": "1977-07-14",
    "lunar_birth_date": False,
    "rank": 1,
    "regime": "01",
    "caisse": "631",
    "centre": "6311",
    "rights": [{"start": "2024-01-01", "end": None, "label": "maladie"}],
    "exonerations": [],
    "ins": {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"},
}
MICHELANGELO: dict[str, Any] = {
    **RUTH,
    "nir": "110086322083060",
    "first_name": "MICHELANGELO",
    "birth_date": "2010-08-07",
    "ins": {"matricule": "110086322083060", "oid": "1.2.250.1.213.1.4.8"},
}
CATARINA: dict[str, Any] = {
    "nir": "236066322083656",
    "nir_od": "236066322083656",
    "birth_name": "TCHITCHI",
    "first_name": "CATARINA",
    "birth_date": "1936-06-21",
    "lunar_birth_date": False,
    "rank": 1,
    "regime": "01",
    "caisse": "631",
    "centre": "6311",
    "rights": [{"start": "2023-01-01", "end": None, "label": "maladie"}],
    "exonerations": [
        {
            "code": "ald",
            "label": "affection de longue durée",
            "start": "2022-05-01",
            "end": "2032-04-30",
        }
    ],
    "ins": None,
}
LUNAR: dict[str, Any] = {
    "nir": "160012B02077713",
    "nir_od": "160012B02077713",
    "birth_name": "ADRTROIS",
    "first_name": "TOUSSAINT",
    "birth_date": "1960-00-00",
    "lunar_birth_date": True,
    "rank": 1,
    "regime": "01",
    "caisse": "202",
    "centre": "2021",
    "rights": [{"start": "2024-01-01", "end": None, "label": "maladie"}],
    "exonerations": [],
    "ins": {"matricule": "160012B02077713", "oid": "1.2.250.1.213.1.4.8"},
}

_QR = "APCV1.eyJ2IjoxLCJzdWIiOiJORVNTSS1SVVRIIn0.c2lnbmF0dXJl"
REQUEST_EXAMPLES: dict[str, Any] = {
    "a scanned QR code": {"qr": _QR},
    "an NFC tap": {"nfc": "APCV-NFC.AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"},
    "for another practitioner": {"qr": _QR, "practitioner": {"national_id": "10101010101"}},
}
_SESSION = {
    "id": "apcv_Jx3b1bQb2m4Zq5T0cW9yLk8e",
    "source": "qr",
    "created_at": "2026-12-02T09:14:05.120+00:00",
    "expires_at": "2026-12-02T09:19:05.000+00:00",
}
SESSION_EXAMPLES: dict[str, Any] = {
    "a family: the insured and her son": {**_SESSION, "beneficiaries": [RUTH, MICHELANGELO]},
    "an ALD exoneration, no INS in the context": {
        **_SESSION,
        "id": "apcv_q0T4nV7mZ1sX8cK2pL5wHy3a",
        "beneficiaries": [CATARINA],
    },
    "a lunar birth date": {
        **_SESSION,
        "id": "apcv_Wm2cR8tY4uK6pX0sZ3vB9nQe",
        "beneficiaries": [LUNAR],
    },
}
