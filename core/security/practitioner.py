"""Who is acting: the practitioner context every signed assertion is built from. Defaults come
from the config's ``[practitioner]`` table; an API call may override them with a
``practitioner`` object (an EHR with several practitioners sends who is at the keyboard)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class Practitioner:
    national_id: str
    id_type: str = "RPPS"  # RPPS or ADELI
    family_name: str = ""
    given_name: str = ""
    profession_code: str = "10"  # G15 (10: médecin)
    specialty_code: str = "SM26"  # R01 (SM26: qualifié en médecine générale)
    structure_id: str = ""
    structure_name: str = ""
    activity_sector: str = "SA07"  # R02 (SA07: cabinet individuel)
    billing_id: str = ""  # identifiant de facturation (AM number)
    authentication_mode: str = "DIRECTE"

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.given_name, self.family_name) if p) or self.national_id

    def journal_fields(self) -> dict[str, str]:
        return {"practitioner_id": self.national_id, "practitioner_name": self.display_name}

    def override(self, given: dict[str, Any] | None) -> Practitioner:
        return replace(self, **given) if given else self


_PATTERNS = {
    "national_id": r"^[0-9A-Za-z]{8,20}$",
    "id_type": None,
    "structure_id": r"^[0-9A-Za-z]{1,30}$",
    "billing_id": r"^[0-9A-Za-z]{0,20}$",
}

# Every field goes into signed XML (the VIHF, INSi's assertion): no control character, which XML
# 1.0 cannot carry.
_PRINTABLE = r"^[^\x00-\x1f\x7f]*$"

_DESCRIPTIONS = {
    "national_id": "the practitioner's RPPS or ADELI number",
    "id_type": "which register `national_id` is from",
    "family_name": "family name",
    "given_name": "given name",
    "profession_code": "profession, code of the G15 nomenclature (10: médecin)",
    "specialty_code": "specialty, code of the R01 nomenclature (SM26: médecine générale)",
    "structure_id": "the structure's identifier (FINESS, SIRET or the practice's)",
    "structure_name": "the structure's name",
    "activity_sector": "activity sector, code of the R02 nomenclature (SA07: cabinet individuel)",
    "billing_id": "billing identifier (the Assurance Maladie number)",
    "authentication_mode": "how the practitioner was authenticated (DIRECTE: with their own card)",
}

#: JSON schema of the ``practitioner`` object an API call may carry.
PRACTITIONER_SCHEMA: dict[str, Any] = {
    "title": "Practitioner",
    "type": "object",
    "additionalProperties": False,
    "description": "Who is acting, overriding the [practitioner] table of the config for this "
    "call; fields left out keep the config's values.",
    "properties": {
        f.name: {
            **(
                {"type": "string", "enum": ["RPPS", "ADELI"]}
                if f.name == "id_type"
                else {"type": "string", "enum": ["DIRECTE", "INDIRECTE", "INDIRECTE_RENFORCEE"]}
                if f.name == "authentication_mode"
                else {
                    "type": "string",
                    "maxLength": 100,
                    "pattern": _PATTERNS.get(f.name) or _PRINTABLE,
                }
            ),
            "description": _DESCRIPTIONS[f.name],
        }
        for f in fields(Practitioner)
    },
}
