"""The JSON shapes every plugin shares (brief §3): a patient is the same object in an INSi
search, a DMP send and a journal record."""

from __future__ import annotations

import unicodedata
from typing import Any

#: INS OIDs: NIR, NIA, test NIR, demonstration NIR.
INS_OIDS = [
    "1.2.250.1.213.1.4.8",
    "1.2.250.1.213.1.4.9",
    "1.2.250.1.213.1.4.10",
    "1.2.250.1.213.1.4.11",
]
#: The OID of an INS given without one: the NIR's.
INS_DEFAULT_OID = INS_OIDS[0]

MATRICULE: dict[str, Any] = {
    "type": "string",
    "pattern": "^[0-9]{6}[0-9AB][0-9]{8}$",
    "description": "an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key",
}

INS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["matricule"],
    "additionalProperties": False,
    "properties": {"matricule": MATRICULE, "oid": {"enum": INS_OIDS}},
}

_TRAITS: dict[str, Any] = {
    "birth_name": {"type": "string", "minLength": 1, "maxLength": 100},
    "first_names": {
        "type": "array",
        "minItems": 1,
        "maxItems": 10,
        "items": {"type": "string", "minLength": 1, "maxLength": 100},
        "description": "birth first names, in order",
    },
    "used_name": {"type": "string", "maxLength": 100},
    "sex": {"enum": ["M", "F"]},
    "birth_date": {
        "type": "string",
        # ASCII digits only (a schema's \d takes any script's), and a month and day that can
        # exist: 00 is the lunar date's unknown part.
        "pattern": r"^[0-9]{4}-(0[0-9]|1[0-2])-(0[0-9]|[12][0-9]|3[01])$",
        "description": "YYYY-MM-DD; lunar dates (day or month 00) accepted",
    },
    "birth_place": {
        "type": "string",
        "pattern": "^(?:[0-9]{2}|2A|2B)[0-9]{3}$",
        "description": "INSEE (COG) code of the birth place; 99999 when unknown",
    },
}

TRAITS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["birth_name", "first_names", "sex", "birth_date"],
    "additionalProperties": False,
    "properties": _TRAITS,
}

#: Every trait of the INS, birth place included: what a document identified by an INS must carry
#: (ANS minimal structuring, rule SMDS_CDAClinicalDocument), where a search may do without it.
INS_TRAITS_SCHEMA: dict[str, Any] = {
    **TRAITS_SCHEMA,
    "required": [*TRAITS_SCHEMA["required"], "birth_place"],
}

#: Traits as far as they are known (a journal record may name a patient by a few of them).
PARTIAL_TRAITS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": _TRAITS,
}

PATIENT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["ins", "traits"],
    "additionalProperties": False,
    "properties": {"ins": INS_SCHEMA, "traits": TRAITS_SCHEMA},
}

#: The patient of a document the daemon builds or sends (a DMP send, a VSM batch): the INS
#: and every INS trait.
DOCUMENT_PATIENT_SCHEMA: dict[str, Any] = {
    **PATIENT_SCHEMA,
    "properties": {"ins": INS_SCHEMA, "traits": INS_TRAITS_SCHEMA},
}


# The INS referential writes names in upper-case letters without diacritics, with space, hyphen
# and apostrophe; ligatures are spelt out and typographic hyphens and apostrophes made plain.
_LIGATURES = str.maketrans(
    {"Œ": "OE", "œ": "OE", "Æ": "AE", "æ": "AE", "ß": "SS", "’": "'", "‘": "'", "‐": "-", "‑": "-"}
)


def fold_name(value: str) -> str:
    """``value`` as the INS referential writes it, the form INSi returns and compares traits
    in: ligatures spelt out, diacritics removed, upper case, spaces collapsed
    ("Hélène  d’Aubigné" → "HELENE D'AUBIGNE")."""
    text = unicodedata.normalize("NFD", value.translate(_LIGATURES))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").upper()
    return " ".join(text.split())
