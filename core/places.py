"""Birth places as the INS traits code them: the INSEE (COG) code of the commune *as it was at
the birth date*, a country or territory code ``99xxx`` for a birth abroad, ``99999`` unknown.

The table is INSEE's Code officiel géographique (see ``data/README.md`` for its source, date and
limits), read once and kept in memory; a newer one imported with ``aiguillage insee import``
(``places_import.py``) replaces it in the daemon's data dir and is read on its next use.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiguillage.places_import import (
    UNKNOWN_CODE,
    CogFileError,
    Report,
    Row,
    import_files,
    read_plain_table,
    read_table,
)

BUNDLED = Path(__file__).with_name("data") / "insee-places.csv.gz"
#: Where ``aiguillage insee import`` writes a newer table, in the daemon's data dir.
IMPORTED = Path("places") / "insee-places.csv.gz"
#: Codes the published CNDA test identities carry at their birth dates that INSEE's COG does
#: not give then (see ``data/README.md``): the INSi qualification platform answers them, so a
#: certification run must be able to send them.
CNDA_TEST_PLACES = Path(__file__).with_name("data") / "cnda-test-places.csv"
#: The place code inside a NIR: positions 6 to 10 (department and commune, ``99`` and the
#: country for a birth abroad, ``97x``/``98x`` and two digits overseas).
_NIR = re.compile(r"^[12378][0-9]{4}((?:[0-9]{2}|2A|2B)[0-9]{3})[0-9]{5}$")
#: A birth place code: a commune's (2A/2B for Corsica), ``99xxx`` a country's, ``99999``.
PLACE_CODE_PATTERN = "^(?:[0-9]{2}|2A|2B)[0-9]{3}$"

_ARTICLES = ("L ", "LE ", "LA ", "LES ")
_SAINTS = {"ST": "SAINT", "STE": "SAINTE", "STS": "SAINTS", "STES": "SAINTES"}
_LIGATURES = str.maketrans({"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss"})


def fold_place(text: str) -> str:
    """``text`` as place names are compared: no accents, upper case, hyphens, apostrophes and
    other punctuation as single spaces, ``ST``/``STE`` spelt ``SAINT``/``SAINTE``
    ("St-Étienne-d’Orthe" → "SAINT ETIENNE D ORTHE")."""
    words = _words(text)
    return " ".join(_SAINTS.get(word, word) for word in words)


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.combining(c)).upper()
    return re.sub(r"[^0-9A-Z]+", " ", text).split()


def department_of(code: str) -> str | None:
    """The department (or overseas collectivity) a commune code belongs to; None for a
    country or the unknown place."""
    if code.startswith("99"):
        return None
    return code[:3] if code[:2] in ("97", "98") else code[:2]


def nir_place(nir: str) -> str | None:
    """The birth place code a NIR carries (positions 6 to 10), None when ``nir`` is not a NIR's
    shape. Its key is not checked here."""
    found = _NIR.match(nir.strip().upper())
    return found.group(1) if found else None


@dataclass(frozen=True)
class Place:
    """One code over one period with one name."""

    code: str
    name: str
    kind: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    approximate: bool

    @property
    def department(self) -> str | None:
        return department_of(self.code)

    def valid_at(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "kind": self.kind,
            "department": self.department,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "approximate": self.approximate,
        }


def _day(value: str) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class Places:
    """Every place of the table, searchable by name prefix and by code at a date."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self.places: list[Place] = [
            Place(r.code, r.name, r.kind, _day(r.valid_from), _day(r.valid_to), r.approximate)
            for r in rows
        ]
        self.by_code: dict[str, list[Place]] = {}
        for place in self.places:
            self.by_code.setdefault(place.code, []).append(place)
        keyed: list[tuple[str, int]] = []
        for index, place in enumerate(self.places):
            key = fold_place(place.name)
            keyed.append((key, index))
            # "Abergement" finds "L'Abergement-Clémenciat": INSEE sorts names without article.
            for article in _ARTICLES:
                if key.startswith(article):
                    keyed.append((key[len(article) :], index))
        keyed.sort()
        self._keys = [key for key, _ in keyed]
        self._index = [index for _, index in keyed]

    def __len__(self) -> int:
        return len(self.places)

    def lookup(self, code: str, day: dt.date | None = None) -> Place | None:
        """The place ``code`` names at ``day`` (its latest period when no day is given), None
        when the code names nothing then."""
        periods = self.by_code.get(code.upper(), [])
        if day is None:
            return max(periods, key=_recency, default=None)
        valid = [place for place in periods if place.valid_at(day)]
        # Reconstructed periods of one code can overlap (a former name kept until 2019, the
        # 2019 name since a dated wave): the one ending soonest after the day is its name then.
        return min(valid, key=lambda place: place.valid_to or dt.date.max, default=None)

    def search(
        self,
        q: str,
        day: dt.date | None = None,
        limit: int = 20,
        first: Sequence[str] = (),
    ) -> list[Place]:
        """Places whose name starts with ``q`` (folded, see :func:`fold_place`), valid at
        ``day`` (today when None), in the order of their names; the codes of ``first`` (a
        NIR's place) ahead of them when valid then."""
        day = day or dt.date.today()
        found: list[Place] = []
        seen: set[tuple[str, str]] = set()
        for code in first:
            place = self.lookup(code, day)
            if place is not None and (place.code, place.name) not in seen:
                seen.add((place.code, place.name))
                found.append(place)
        matches: list[tuple[str, int]] = []
        # Twice the limit: a name with an article is indexed twice, and both may match.
        for prefix in _prefixes(q):
            matches.extend(self._range(prefix, day, 2 * limit + len(found)))
        matches.sort()
        for _, index in matches:
            place = self.places[index]
            if (place.code, place.name) in seen:
                continue
            seen.add((place.code, place.name))
            found.append(place)
        return found[:limit]

    def _range(self, prefix: str, day: dt.date, wanted: int) -> list[tuple[str, int]]:
        """Up to ``wanted`` index entries whose key starts with ``prefix``, valid at ``day``,
        walking the sorted keys from the first match (so a short prefix costs no more than
        the names it returns)."""
        out: list[tuple[str, int]] = []
        position = bisect.bisect_left(self._keys, prefix)
        keys, indexes = self._keys, self._index
        while position < len(keys) and len(out) < wanted and keys[position].startswith(prefix):
            index = indexes[position]
            if self.places[index].valid_at(day):
                out.append((keys[position], index))
            position += 1
        return out


def _recency(place: Place) -> tuple[dt.date, dt.date]:
    return (place.valid_to or dt.date.max, place.valid_from or dt.date.min)


def _prefixes(q: str) -> list[str]:
    """The folded prefixes ``q`` stands for. The word being typed is kept as typed and also
    read as SAINT/SAINTE ("st" finds Strasbourg and Saint-Denis); words already ended are
    folded as :func:`fold_place` folds names."""
    words = _words(q)
    if not words:
        return []
    ended = q.rstrip() != q or q[-1:] in "-'’"
    head = [_SAINTS.get(word, word) for word in (words if ended else words[:-1])]
    if ended:
        return [" ".join(head) + " "]
    last = words[-1]
    tails = [last] if last not in _SAINTS else [last, _SAINTS[last]]
    return [" ".join([*head, tail]) for tail in tails]


_loaded: dict[Path, tuple[int, Places]] = {}
_lock = threading.Lock()


def table_path(data_dir: Path | None = None) -> Path:
    """The table in use: the one imported into the daemon's data dir (``data_dir`` is a
    plugin's folder in it, as ``PluginConfig.data_dir``), else the bundled one."""
    if data_dir is not None:
        imported = _daemon_dir(data_dir) / IMPORTED
        if imported.exists():
            return imported
    return BUNDLED


def _daemon_dir(plugin_dir: Path) -> Path:
    # A plugin's folder is ``<data dir>/plugins/<name>``; the table is the daemon's, shared by
    # the plugins that check birth places (insee, insi).
    return plugin_dir.parent.parent


def birth_places(data_dir: Path | None = None) -> Places:
    """The birth-place table, loaded on first use and again only when the file changed (an
    import renames a new file over it)."""
    path = table_path(data_dir)
    stamp = path.stat().st_mtime_ns
    cached = _loaded.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        cached = _loaded.get(path)
        if cached is None or cached[0] != stamp:
            cached = (stamp, Places([*read_table(path), *read_plain_table(CNDA_TEST_PLACES)]))
            _loaded[path] = cached
    return cached[1]


def birth_place_problem(code: str, birth_date: dt.date, data_dir: Path | None = None) -> str | None:
    """Why ``code`` is not a birth place code at ``birth_date`` (a French sentence for the
    422's field error), None when it is one."""
    if code == UNKNOWN_CODE:
        return None
    table = birth_places(data_dir)
    if table.lookup(code, birth_date) is not None:
        return None
    current = table.lookup(code)
    if current is None:
        return f"{code} n'est pas un code de lieu de naissance INSEE (commune ou pays)"
    since = f" depuis le {current.valid_from.isoformat()}" if current.valid_from else ""
    until = f" jusqu'au {current.valid_to.isoformat()}" if current.valid_to else ""
    return (
        f"{code} ({current.name}) n'est pas un code valide au {birth_date.isoformat()} "
        f"(valide{since}{until})"
    )


def import_places(
    paths: Sequence[Path], data_dir: Path, progress: Callable[[str], None] = lambda _: None
) -> Report:
    """Import INSEE's COG files (communes since 1943, countries) into the daemon's data dir
    (``data_dir`` a plugin's folder in it), replacing the table in use atomically; raises
    :class:`CogFileError` naming the file and line that is not INSEE's format, the table in use
    left as it was."""
    target = _daemon_dir(data_dir) / IMPORTED
    return import_files(paths, target, table_path(data_dir), progress)


__all__ = [
    "PLACE_CODE_PATTERN",
    "CogFileError",
    "Place",
    "Places",
    "birth_place_problem",
    "birth_places",
    "fold_place",
    "import_places",
    "nir_place",
]
