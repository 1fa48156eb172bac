"""The app carte Vitale holders the ApCV simulator knows, read from ``beneficiaries.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENEFICIARIES = Path(__file__).parent / "beneficiaries.toml"


@dataclass(frozen=True)
class Person:
    """One beneficiary as the simulated service holds them (wire codes, full NIRs)."""

    nir: str
    nir_od: str
    birth_name: str
    first_name: str
    birth_date: str
    rank: int
    regime: str
    caisse: str
    centre: str
    rights: tuple[dict[str, str], ...] = ()
    exonerations: tuple[dict[str, str], ...] = ()
    ins: str | None = None
    ins_oid: str | None = None
    used_name: str | None = None


@dataclass(frozen=True)
class Holder:
    """One app carte Vitale: the QR code it shows opens a context with these beneficiaries."""

    key: str
    beneficiaries: tuple[Person, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        return ", ".join(f"{p.first_name} {p.birth_name}" for p in self.beneficiaries)


def load_holders(path: Path = BENEFICIARIES) -> dict[str, Holder]:
    """The holders by key, in the file's order."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))

    def person(entry: dict[str, Any]) -> Person:
        return Person(
            **{
                **entry,
                "rights": tuple(entry.get("rights", ())),
                "exonerations": tuple(entry.get("exonerations", ())),
            }
        )

    holders = {}
    for entry in data["holder"]:
        holders[entry["key"]] = Holder(entry["key"], tuple(person(p) for p in entry["beneficiary"]))
    return holders


def find_holder(holders: dict[str, Holder], name: str) -> Holder:
    """The holder named ``name``: an exact key (``NESSI-RUTH``), or a birth name alone
    (``NESSI``: the first holder of that name). Case does not matter."""
    wanted = name.strip().upper()
    if wanted in holders:
        return holders[wanted]
    for holder in holders.values():
        if holder.beneficiaries[0].birth_name == wanted:
            return holder
    raise UnknownHolder(f"no test identity named {name!r} (known: {', '.join(holders)})")


class UnknownHolder(ValueError):
    """No holder of that name."""
