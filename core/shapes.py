"""The JSON shapes every plugin shares (brief §3): a patient is the same object in an INSi
search, a DMP send and a journal record."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from jsonschema import FormatChecker
from stdnum.fr import nir

#: The formats the API's validator checks: JSON Schema's own (``date``, ``date-time``…) and the
#: semantic checks of the shapes below, each written once so that every route that takes a
#: patient checks it the same way. A failed check's message is the ``ValueError``'s.
FORMATS = FormatChecker()

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
    "format": "nir",
    "description": "an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key",
    "examples": ["279035121518989"],
}

INS_OID_SCHEMA: dict[str, Any] = {
    "title": "InsOid",
    "type": "string",
    "enum": INS_OIDS,
    "description": "The INS's assigning authority: NIR, NIA, test NIR, demonstration NIR; "
    "an INS given without one is a NIR (1.2.250.1.213.1.4.8).",
}

INS_SCHEMA: dict[str, Any] = {
    "title": "Ins",
    "type": "object",
    "description": "A patient's INS (national health identifier).",
    "required": ["matricule"],
    "additionalProperties": False,
    "properties": {
        "matricule": MATRICULE,
        "oid": INS_OID_SCHEMA,
    },
}

_NAME: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": 100, "format": "ins-name"}

_TRAITS: dict[str, Any] = {
    "birth_name": {**_NAME, "description": "birth name (nom de naissance)"},
    "first_names": {
        "type": "array",
        "minItems": 1,
        "maxItems": 10,
        "items": _NAME,
        "description": "birth first names, in order",
    },
    "used_name": {
        "type": "string",
        "maxLength": 100,
        "format": "ins-name",
        "description": "used name (nom utilisé), when it differs",
    },
    "sex": {
        "title": "Sex",
        "type": "string",
        "enum": ["M", "F"],
        "description": "administrative sex, as the INS carries it",
    },
    "birth_date": {
        "type": "string",
        # ASCII digits only (a schema's \d takes any script's), and a month and day that can
        # exist: 00 is the lunar date's unknown part.
        "pattern": r"^[0-9]{4}-(0[0-9]|1[0-2])-(0[0-9]|[12][0-9]|3[01])$",
        "format": "birth-date",
        "description": "YYYY-MM-DD, from 1850, not in the future; lunar dates (day or month 00) "
        "accepted",
    },
    "birth_place": {
        "type": "string",
        "pattern": "^(?:[0-9]{2}|2A|2B)[0-9]{3}$",
        "description": "INSEE (COG) code of the birth place; 99999 when unknown",
    },
}

TRAITS_SCHEMA: dict[str, Any] = {
    "title": "Traits",
    "type": "object",
    "description": "A patient's identity traits, as an INS search takes them.",
    "required": ["birth_name", "first_names", "sex", "birth_date"],
    "additionalProperties": False,
    "properties": _TRAITS,
}

#: Every trait of the INS, birth place included: what a document identified by an INS must carry
#: (ANS minimal structuring, rule SMDS_CDAClinicalDocument), where a search may do without it.
INS_TRAITS_SCHEMA: dict[str, Any] = {
    **TRAITS_SCHEMA,
    "title": "InsTraits",
    "description": "Every INS trait, birth place included: what a document's patient carries.",
    "required": [*TRAITS_SCHEMA["required"], "birth_place"],
}

#: Traits as far as they are known (a journal record may name a patient by a few of them).
PARTIAL_TRAITS_SCHEMA: dict[str, Any] = {
    "title": "PartialTraits",
    "type": "object",
    "description": "Identity traits as far as they are known.",
    "additionalProperties": False,
    "properties": _TRAITS,
}

#: The statuses of confidence the RNIV (Référentiel national d'identitovigilance, volet 1)
#: gives an identity, in their codes: provisoire, récupérée, validée, qualifiée.
IDENTITY_STATUSES = ("PROV", "RECUP", "VALI", "QUAL")

IDENTITY_STATUS_SCHEMA: dict[str, Any] = {
    "title": "IdentityStatus",
    "type": "string",
    "enum": list(IDENTITY_STATUSES),
    "description": "The identity's status under the RNIV: `PROV` provisoire, `RECUP` récupérée "
    "(INS from INSi, traits not checked against an identity document), `VALI` validée (traits "
    "checked against a high-trust identity document, no INS from INSi), `QUAL` qualifiée (both; "
    "the only status under which the INS may reference and share health data). "
    "`POST /v1/ins/status` computes it; DMP and MSSanté refuse a patient whose status is "
    "not `QUAL` (see their config).",
}

PATIENT_SCHEMA: dict[str, Any] = {
    "title": "Patient",
    "type": "object",
    "description": "A patient: the INS and the traits it was qualified with, and the identity's "
    "status when the EHR gives it.",
    "required": ["ins", "traits"],
    "additionalProperties": False,
    "properties": {
        "ins": INS_SCHEMA,
        "traits": TRAITS_SCHEMA,
        "identity_status": IDENTITY_STATUS_SCHEMA,
    },
}

#: The patient of a document the daemon builds or sends (a DMP send, a VSM batch): the INS
#: and every INS trait.
DOCUMENT_PATIENT_SCHEMA: dict[str, Any] = {
    **PATIENT_SCHEMA,
    "title": "DocumentPatient",
    "description": "The patient of a document: the INS and every INS trait.",
    "properties": {
        "ins": INS_SCHEMA,
        "traits": INS_TRAITS_SCHEMA,
        "identity_status": IDENTITY_STATUS_SCHEMA,
    },
}

_INS_NAME = re.compile(r"[A-Z]+(?:[ '-]+[A-Z]+)*'?")


@FORMATS.checks("ins-name", raises=ValueError)
def check_ins_name(value: object) -> bool:
    """A name the INS referential can hold once folded: letters, space, hyphen, apostrophe."""
    if not isinstance(value, str) or not value:
        return True
    folded = fold_name(value)
    if not _INS_NAME.fullmatch(folded):
        bad = sorted({c for c in folded if not (c.isascii() and (c.isalpha() or c in " '-"))})
        what = f"characters {''.join(bad)!r} are" if bad else "this arrangement is"
        raise ValueError(f"{what} not accepted in an INS name (letters, space, hyphen, apostrophe)")
    return True


@FORMATS.checks("birth-date", raises=ValueError)
def check_birth_date(value: object) -> bool:
    """A birth date that can be one: 1850 to today, not in the future. Lunar dates (day or
    month 00, or a day the month lacks) pass, as INSi and the carte Vitale carry them for
    people whose exact date is unknown."""
    if not isinstance(value, str):
        return True
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", value)
    if not match:
        raise ValueError("must be YYYY-MM-DD")
    year, month, day = (int(g) for g in match.groups())
    today = dt.date.today()
    if year < 1850 or month > 12 or day > 31:
        raise ValueError(f"{value} is not a plausible birth date")
    if year > today.year:
        raise ValueError(f"{value} is in the future")
    if month and day:
        try:
            born = dt.date(year, month, day)
        except ValueError:
            return True  # a lunar date such as 1960-02-30
        if born > today:
            raise ValueError(f"{value} is in the future")
    return True


@FORMATS.checks("nir", raises=ValueError)
def check_nir(value: object) -> bool:
    """A NIR or INS whose key matches (97 − number mod 97; 2A counts as 19, 2B as 18)."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{6}[0-9AB][0-9]{8}", value):
        if not nir.is_valid(value):
            raise ValueError("the key does not match the number")
    return True


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


_DAY: dict[str, Any] = {"type": "string", "format": "date"}

BENEFICIARY_SCHEMA: dict[str, Any] = {
    "title": "Beneficiary",
    "type": "object",
    "description": "A beneficiary of the Assurance Maladie as a carte Vitale or an ApCV session "
    "gives them: who they are, whose rights they have, where those rights are held, for which "
    "periods, and their exonerations. The ApCV plugin answers it; billing and INS searches "
    "take it.",
    "required": [
        "nir",
        "nir_od",
        "birth_name",
        "first_name",
        "birth_date",
        "rank",
        "regime",
        "caisse",
        "centre",
        "rights",
        "exonerations",
    ],
    "additionalProperties": False,
    "properties": {
        "nir": {**MATRICULE, "description": "the beneficiary's NIR (individual), with its key"},
        "nir_od": {
            **MATRICULE,
            "description": "the NIR of the ouvrant droit, the insured person the rights come "
            "from (the beneficiary's own when they are insured themselves)",
        },
        "birth_name": {**_NAME, "description": "birth name, as the card holds it"},
        "first_name": {**_NAME, "description": "first name, as the card holds it"},
        "used_name": {
            "type": "string",
            "maxLength": 100,
            "format": "ins-name",
            "description": "used name (nom d'usage), when the card holds one",
        },
        "birth_date": {
            "type": "string",
            "format": "birth-date",
            "description": "birth date as the card holds it, YYYY-MM-DD; may be a lunar date "
            "(day or month 00, a day the month lacks), which is not a calendar date",
        },
        "lunar_birth_date": {
            "type": "boolean",
            "description": "true when `birth_date` is not a calendar date",
        },
        "rank": {
            "type": "integer",
            "minimum": 1,
            "maximum": 9,
            "description": "rank of birth (rang de naissance): tells apart twins who share a "
            "NIR and a birth date",
        },
        "regime": {
            "type": "string",
            "pattern": "^[0-9]{2}$",
            "description": "the régime (01: régime général…)",
        },
        "caisse": {"type": "string", "pattern": "^[0-9]{3}$", "description": "the caisse"},
        "centre": {"type": "string", "pattern": "^[0-9]{4}$", "description": "the centre"},
        "rights": {
            "type": "array",
            "maxItems": 20,
            "description": "periods of AMO rights (droits de l'assurance maladie obligatoire)",
            "items": {
                "title": "RightsPeriod",
                "type": "object",
                "required": ["start"],
                "additionalProperties": False,
                "properties": {
                    "start": {**_DAY, "description": "first day"},
                    "end": {
                        "anyOf": [{**_DAY}, {"type": "null"}],
                        "description": "last day; null: open-ended",
                    },
                    "label": {"type": "string", "maxLength": 200},
                },
            },
        },
        "exonerations": {
            "type": "array",
            "maxItems": 20,
            "description": "exonerations of the ticket modérateur the beneficiary holds",
            "items": {
                "title": "Exoneration",
                "type": "object",
                "required": ["code"],
                "additionalProperties": False,
                "properties": {
                    "code": {
                        "title": "ExonerationCode",
                        "type": "string",
                        "enum": ["ald", "maternite", "at_mp", "css", "ame", "invalidite", "other"],
                        "description": "ALD (affection de longue durée), maternity, AT/MP, "
                        "CSS (complémentaire santé solidaire), AME, invalidity, other",
                    },
                    "label": {"type": "string", "maxLength": 200},
                    "start": {"anyOf": [{**_DAY}, {"type": "null"}]},
                    "end": {"anyOf": [{**_DAY}, {"type": "null"}]},
                },
            },
        },
        "ins": {
            "anyOf": [INS_SCHEMA, {"type": "null"}],
            "description": "the INS and its OID, when the source carries it",
        },
    },
}
