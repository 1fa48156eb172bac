"""Identity traits as INSi wants them: validated before any call, folded to its alphabet,
compared trait by trait, and encoded as the INS DataMatrix."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from stdnum.fr import nir

from aiguillage.plugin import FieldError, fold_name

OID_KINDS = {
    "1.2.250.1.213.1.4.8": "NIR",
    "1.2.250.1.213.1.4.9": "NIA",
    "1.2.250.1.213.1.4.10": "test",
    "1.2.250.1.213.1.4.11": "test",
}
INS_OIDS = tuple(OID_KINDS)
_INSI_NAME = re.compile(r"[A-Z]+(?:[ '-]+[A-Z]+)*'?")
# [0-9], not \d: \d matches the digits of every script, which INSi and a CDA cannot take.
_INSEE = re.compile(r"(?:[0-9]{2}|2A|2B)[0-9]{3}")
_LUNAR = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
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


@dataclass
class Checked:
    """Validated, folded input; ``errors`` lists what is wrong, field by field."""

    errors: list[FieldError] = field(default_factory=list)

    def fail(self, path: str, message: str) -> None:
        self.errors.append(FieldError(path, message))


def check_name(check: Checked, path: str, value: str) -> str:
    folded = fold_name(value)
    if not folded:
        check.fail(path, "must not be empty")
    elif not _INSI_NAME.fullmatch(folded):
        bad = sorted({c for c in folded if not (c.isascii() and (c.isalpha() or c in " '-"))})
        what = f"characters {''.join(bad)!r} are" if bad else "this arrangement is"
        check.fail(path, f"{what} not accepted by INSi (letters, space, hyphen, apostrophe)")
    return folded


def check_date(check: Checked, path: str, value: str) -> str:
    """A birth date; lunar dates (day or month 00, or a day the month lacks) are accepted, as
    INSi and the carte Vitale carry them for people whose exact date is unknown."""
    match = _LUNAR.fullmatch(value)
    if not match:
        check.fail(path, "must be YYYY-MM-DD")
        return value
    year, month, day = (int(g) for g in match.groups())
    today = dt.date.today()
    if not 1850 <= year <= today.year or month > 12 or day > 31:
        check.fail(path, f"{value} is not a plausible birth date")
    elif month and day:
        try:
            if dt.date(year, month, day) > today:
                check.fail(path, f"{value} is in the future")
        except ValueError:
            pass  # a lunar date such as 1960-02-30
    return value


def check_place(check: Checked, path: str, value: str) -> str:
    place = value.upper()
    if not _INSEE.fullmatch(place):
        check.fail(path, "must be an INSEE code: 5 characters, digits or 2A/2B then 3 digits")
    return place


def check_matricule(check: Checked, path: str, value: str) -> str:
    """A NIR or INS: 13 characters and its key (97 − number mod 97; 2A counts as 19, 2B 18)."""
    matricule = value.upper().replace(" ", "")
    if not re.fullmatch(r"[0-9]{6}[0-9AB][0-9]{8}", matricule):
        check.fail(path, "must be 15 characters: 13 of the number (2A/2B allowed) and the key")
    elif not nir.is_valid(matricule):
        check.fail(path, "the key does not match the number")
    return matricule


def check_traits(check: Checked, path: str, raw: dict) -> Traits:
    first_names = [
        check_name(check, f"{path}/first_names/{i}", n) for i, n in enumerate(raw["first_names"])
    ]
    # "JEAN PIERRE" in one string is two first names, as INSi lists them.
    first_names = [part for name in first_names for part in name.split(" ")]
    return Traits(
        birth_name=check_name(check, f"{path}/birth_name", raw["birth_name"]),
        first_names=first_names,
        sex=raw["sex"],
        birth_date=check_date(check, f"{path}/birth_date", raw["birth_date"]),
        birth_place=check_place(check, f"{path}/birth_place", raw["birth_place"])
        if raw.get("birth_place")
        else None,
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
