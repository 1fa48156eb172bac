"""Rebuild ``insee-places.csv.gz`` from the yearly states of the COG that the npm package
``@etalab/decoupage-administratif`` publishes (see README.md next to this file for what each
version holds and the limits), and the INSEE countries list. Run by a maintainer, not by the
daemon:

    python core/data/reconstruct_places.py DIR COUNTRIES.py

DIR holds one folder per package version (``DIR/6.0.0/package/data/communes.json``…);
COUNTRIES.py is the ``COUNTRIES`` mapping (code → names) of INSEE's country list.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

from aiguillage.places_import import UNKNOWN_CODE, UNKNOWN_NAME, Row, write_table

#: COG state at 1 January of each year → the package version holding it (the package's own
#: "Millésimes et versions de package" table; 2020 was never published).
MILLESIMES = {
    2019: "0.7.0",
    2021: "1.1.1",
    2022: "2.3.1",
    2023: "3.1.1",
    2024: "4.1.0",
    2025: "5.3.0",
    2026: "6.0.0",
}
#: The 2019 version that also lists absorbed communes, former codes and perished communes.
HISTORY = "0.3.0"
FIRST = min(MILLESIMES)
#: Dated waves of code changes (law facts): the Paris region's new departments (1968-01-01),
#: communes moved from Ain and Isère to the Rhône (1967-12-31), Corsica split (1976-01-01).
WAVES = [
    (("75", "78"), ("91", "92", "93", "94", "95"), "1968-01-01"),
    (("01", "38"), ("69",), "1967-12-31"),
    (("20",), ("2A", "2B"), "1976-01-01"),
]


def wave(old: str, new: str) -> str:
    for before, after, day in WAVES:
        if old[:2] in before and new[:2] in after:
            return day
    return ""


def load(root: Path, version: str) -> list[dict]:
    return json.loads((root / version / "package" / "data" / "communes.json").read_text())


def main(root: Path, countries_py: Path, target: Path) -> None:
    years = sorted(MILLESIMES)
    states: dict[int, dict[str, tuple[str, str]]] = {}
    for year in years:
        states[year] = {
            c["code"]: (
                c["nom"],
                "arrondissement" if c["type"] == "arrondissement-municipal" else "commune",
            )
            for c in load(root, MILLESIMES[year])
            if c["type"] in ("commune-actuelle", "arrondissement-municipal")
        }
    history = load(root, HISTORY)
    # When a code's period begins: a code that a dated wave created starts then.
    created = {
        c["nouveauCode"]: wave(c["code"], c["nouveauCode"])
        for c in history
        if c["type"] == "ancien-code"
    }
    rows: list[Row] = []
    codes = sorted({code for state in states.values() for code in state})
    for code in codes:
        present = [y for y in years if code in states[y]]
        segments: list[list] = []  # [first year, last year, name, kind]
        for year in present:
            name, kind = states[year][code]
            last = segments[-1] if segments else None
            previous = years[years.index(year) - 1] if year != FIRST else None
            if last and last[1] == previous and last[2] == name:
                last[1] = year
            else:
                segments.append([year, year, name, kind])
        for first, last, name, kind in segments:
            approximate = False
            if first == FIRST:
                start = created.get(code, "")
                approximate = not start
            else:
                before = years[years.index(first) - 1]
                # The change took effect after the previous state, by 1 January of this year:
                # the earliest possible day is kept, so that no valid code is refused.
                start = f"{before + 1}-01-01"
                approximate = first - before > 1
            if last == years[-1]:
                end = ""
            else:
                after = years[years.index(last) + 1]
                end = f"{after}-01-01"
                approximate = approximate or after - last > 1
            rows.append(Row(code, name, kind, start, end, approximate))
    known = {row.code for row in rows}
    first_state = states[FIRST]
    old_kinds = (
        "commune-absorbee",
        "ancien-code",
        "commune-perimee",
        "commune-deleguee",
        "commune-associee",
    )
    seen: set[str] = set()
    for version in (HISTORY, MILLESIMES[FIRST]):
        for c in load(root, version):
            code = c["code"]
            if c["type"] not in old_kinds or (code, c["nom"]) in seen:
                continue
            if code in first_state and first_state[code][0] == c["nom"]:
                continue
            # A former name of a code still in use (the commune nouvelle kept the code of one
            # of the merged communes), or a code that ended before 2019.
            seen.add((code, c["nom"]))
            end = wave(code, c["nouveauCode"]) if c.get("nouveauCode") else ""
            # Merged at an unknown date before 2019: the latest possible end is kept.
            rows.append(
                Row(
                    code,
                    c["nom"],
                    "commune",
                    created.get(code, ""),
                    end or f"{FIRST}-01-01",
                    not end,
                )
            )
    countries = ast.literal_eval(countries_py.read_text().split("COUNTRIES =", 1)[1])
    for code, names in countries.items():
        for name in names:
            rows.append(Row(code, name, "pays", "", "", True))
    rows.append(Row(UNKNOWN_CODE, UNKNOWN_NAME, "inconnu"))
    write_table(rows, target, mode=0o644)
    print(
        f"{len(rows)} rows, {len(known | {code for code, _ in seen})} commune codes, "
        f"{len(countries)} country codes"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(__file__).with_name("insee-places.csv.gz"))
