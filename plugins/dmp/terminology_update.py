"""Is a bundled value set or correspondence out of date? Compares the FHIR resources bundled in
the shared value sets' ``terminology/`` folder (``aiguillage.ihe``) with ones given to it (as
published by the ANS, JSON), matched by their ``url``, and says for each whether the bundled one
is older, and what changed.

    python -m aiguillage.plugins.dmp.terminology_update [FILE.json ...]

With no file, lists the bundled resources with their version and date. Exit status: 0 when
every bundled resource given a counterpart is current, 1 when one is older (or differs on the
same date), 2 when a file cannot be read or matches no bundled resource.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from aiguillage.plugin import ihe

TERMINOLOGY = ihe.valuesets.TERMINOLOGY


@dataclass(frozen=True)
class FhirDate:
    """A FHIR ``dateTime`` as resources give their ``date``: a year, a month, a day, or a moment
    with its offset."""

    day: dt.date
    moment: dt.datetime | None  # None: no time of day given

    @classmethod
    def parse(cls, text: str) -> FhirDate:
        if "T" in text:
            moment = dt.datetime.fromisoformat(text)
            if moment.tzinfo is None:
                raise ValueError(f"date {text!r} has a time but no offset")
            return cls(moment.date(), moment)
        if not re.fullmatch(r"[0-9]{4}(-[0-9]{2}){0,2}", text):
            raise ValueError(f"{text!r} is not a FHIR date")
        parts = [int(p) for p in text.split("-")]
        return cls(dt.date(*parts, *[1, 1][len(parts) - 1 :]), None)

    def comparable(self, other: FhirDate) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime]:
        """Both as moments when both have one, else both as days."""
        if self.moment and other.moment:
            return self.moment, other.moment
        return self.day, other.day


@dataclass(frozen=True)
class Resource:
    path: Path
    url: str
    name: str
    version: str
    date: FhirDate
    entries: frozenset[str]  # "system|code|display" of a ValueSet, "source→target" of a map

    @classmethod
    def read(cls, path: Path) -> Resource:
        try:
            document = json.loads(path.read_bytes())
        except json.JSONDecodeError as exc:
            raise ValueError(f"not JSON ({exc})") from None
        kind = document.get("resourceType") if isinstance(document, dict) else None
        if kind == "ValueSet":
            entries = {
                f"{include['system']}|{concept['code']}|{concept.get('display', '')}"
                for include in document["compose"]["include"]
                for concept in include.get("concept", [])
            }
        elif kind == "ConceptMap":
            entries = {
                f"{element['code']}→{target['code']}"
                for group in document["group"]
                for element in group["element"]
                for target in element.get("target", [])
            }
        else:
            raise ValueError(f"a {kind or 'JSON document'}, not a FHIR ValueSet or ConceptMap")
        return cls(
            path,
            document["url"],
            document.get("name", path.stem),
            document.get("version", "?"),
            FhirDate.parse(document["date"]),
            frozenset(entries),
        )


@dataclass(frozen=True)
class Comparison:
    bundled: Resource
    given: Resource

    @property
    def verdict(self) -> str:
        given, bundled = self.given.date.comparable(self.bundled.date)
        if given > bundled:
            return "older"
        if given == bundled:
            return "current" if self.given.entries == self.bundled.entries else "differs"
        return "newer"

    def describe(self) -> str:
        b, g = self.bundled, self.given
        line = (
            f"{self.verdict:8} {b.name}: bundled {b.version} of {b.date.day}, "
            f"given {g.version} of {g.date.day}"
        )
        added, removed = sorted(g.entries - b.entries), sorted(b.entries - g.entries)
        for label, entries in (("added", added), ("removed", removed)):
            if entries:
                line += f"; {len(entries)} {label}: " + ", ".join(
                    e.split("|")[1] if "|" in e else e for e in entries
                )
        return line


def bundled() -> dict[str, Resource]:
    """The bundled resources, by url."""
    resources = (Resource.read(p) for p in sorted(TERMINOLOGY.glob("*.json")))
    return {r.url: r for r in resources}


def main(argv: Sequence[str] | None = None) -> int:
    files = list(sys.argv[1:] if argv is None else argv)
    ours = bundled()
    if not files:
        for resource in ours.values():
            print(f"{resource.name} {resource.version} of {resource.date.day}")
        return 0
    status = 0
    for file in files:
        try:
            given = Resource.read(Path(file))
        except (OSError, ValueError, KeyError) as exc:
            print(f"error    {file}: {exc}")
            status = 2
            continue
        mine = ours.get(given.url)
        if mine is None:
            print(f"unknown  {file}: no bundled resource has the url {given.url}")
            status = 2
            continue
        comparison = Comparison(mine, given)
        print(comparison.describe())
        if comparison.verdict in ("older", "differs"):
            status = max(status, 1)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
