"""Identity traits as INSi wants them: folded to its alphabet, compared trait by trait, and
encoded as the INS DataMatrix. What a request may hold is checked before, by the shared schemas
(``Traits``, ``Ins``: names, dates, NIR keys), where every route checks it the same way."""

from __future__ import annotations

from dataclasses import dataclass

from aiguillage.plugin import fold_name

OID_KINDS = {
    "1.2.250.1.213.1.4.8": "NIR",
    "1.2.250.1.213.1.4.9": "NIA",
    "1.2.250.1.213.1.4.10": "test",
    "1.2.250.1.213.1.4.11": "test",
}
DATAMATRIX_HEADER = "IS010000000000000000000000"
GS = "\x1d"


@dataclass
class Traits:
    birth_name: str
    first_names: list[str]
    sex: str
    birth_date: str
    birth_place: str | None = None
    first_name: str | None = None  # the first first name, as INSi's TIQ/Prenom gives it

    def to_json(self) -> dict:
        return {
            "birth_name": self.birth_name,
            "first_name": self.first_name or (self.first_names[0] if self.first_names else ""),
            "first_names": self.first_names,
            "sex": self.sex,
            "birth_date": self.birth_date,
            "birth_place": self.birth_place,
        }


@dataclass
class Ins:
    matricule: str  # 13 characters and the 2-digit key
    oid: str
    start: str | None = None
    end: str | None = None

    @property
    def kind(self) -> str:
        return OID_KINDS.get(self.oid, "unknown")

    def to_json(self) -> dict:
        data = {"matricule": self.matricule, "oid": self.oid, "kind": self.kind}
        if self.start or self.end:
            data |= {"start": self.start, "end": self.end}
        return data


def insi_traits(raw: dict) -> Traits:
    """The traits of a request (already checked by the ``Traits`` schema) as INSi takes them:
    names folded to its alphabet, and first names split where the EHR joined several in one
    string ("JEAN PIERRE" is two first names, as INSi lists them)."""
    first_names = [part for name in raw["first_names"] for part in fold_name(name).split(" ")]
    return Traits(
        birth_name=fold_name(raw["birth_name"]),
        first_names=first_names,
        sex=raw["sex"],
        birth_date=raw["birth_date"],
        birth_place=raw.get("birth_place") or None,
    )


def compare(held: Traits, returned: Traits) -> list[dict]:
    """The traits that differ between what the EHR holds and what INSi returned."""
    pairs = {
        "birth_name": (held.birth_name, returned.birth_name),
        "first_names": (" ".join(held.first_names), " ".join(returned.first_names)),
        "sex": (held.sex, returned.sex),
        "birth_date": (held.birth_date, returned.birth_date),
    }
    if held.birth_place:
        pairs["birth_place"] = (held.birth_place, returned.birth_place)
    return [{"trait": name, "held": a, "returned": b} for name, (a, b) in pairs.items() if a != b]


def datamatrix(ins: Ins, traits: Traits) -> str:
    """The INS DataMatrix payload (ANS format): a fixed header, then tagged fields; fields of
    variable length end with the GS character."""
    year, month, day = traits.birth_date.split("-")
    return (
        DATAMATRIX_HEADER
        + "S1"
        + ins.matricule
        + "S2"
        + ins.oid
        + GS
        + "S3"
        + " ".join(traits.first_names)
        + GS
        + "S4"
        + traits.birth_name
        + GS
        + "S5"
        + traits.sex
        + "S6"
        + f"{day}-{month}-{year}"
        + "S7"
        + (traits.birth_place or "")
    )
