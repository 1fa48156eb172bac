"""Reading INSEE's Code officiel géographique (COG) files into the birth-place table that
``aiguillage.places`` serves, and writing that table atomically.

The table is one gzipped CSV (``code,name,kind,valid_from,valid_to,approximate``): one row per
code and name over a period, ``valid_to`` exclusive (the date of the event that ended it, as
INSEE writes it), an empty bound meaning "no known start" or "still valid". ``approximate``
marks a bound that was reconstructed from yearly states rather than read from a dated event.

INSEE formats read (recognised by their header line):

- communes since 1943 (``v_commune_depuis_1943.csv``, ``v_commune_outremer_depuis_1943.csv``):
  ``TYPECOM,COM,TNCC,NCC,NCCENR,LIBELLE,DATE_DEBUT,DATE_FIN`` — the ``COM`` rows (a delegated or
  associated commune is no birth place code once merged: births there take the new commune's);
- countries and territories of one year (``v_pays_territoire_YYYY.csv``):
  ``COG,ACTUAL,CRPAY,ANI,LIBCOG,LIBENR,CODEISO2,CODEISO3,CODENUM3`` — no dates;
- countries and territories since 1943 (``v_pays_et_territoire_depuis_1943.csv``): six columns,
  the code, the parent code, two labels, ``DATE_DEBUT`` and ``DATE_FIN``.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from aiguillage.files import replace_file

FIELDS = ("code", "name", "kind", "valid_from", "valid_to", "approximate")
#: Kinds of places: a commune, a municipal arrondissement (Paris, Lyon, Marseille: the
#: registry of births records them), a country or territory, the unknown place, and a code of
#: the CNDA's published test identities that the COG lacks.
KINDS = ("commune", "arrondissement", "pays", "inconnu", "test")
UNKNOWN_CODE = "99999"
UNKNOWN_NAME = "LIEU DE NAISSANCE INCONNU"
COMMUNE_CODE = re.compile(r"^(?:[0-9]{2}|2A|2B)[0-9]{3}$")
COUNTRY_CODE = re.compile(r"^99[1-9][0-9]{2}$")
#: Fewer rows than this in a communes file is a truncated or wrong file, not a COG.
MIN_COMMUNES = 30000

_COMMUNES_HEADER = ("TYPECOM", "COM", "TNCC", "NCC", "NCCENR", "LIBELLE", "DATE_DEBUT", "DATE_FIN")
_COUNTRIES_HEADER = ("COG", "ACTUAL", "CRPAY", "ANI", "LIBCOG", "LIBENR")


class CogFileError(Exception):
    """A file that is not one of INSEE's COG formats, or a row that breaks it."""


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    kind: str
    valid_from: str = ""
    valid_to: str = ""
    approximate: bool = False

    def cells(self) -> list[str]:
        return [
            self.code,
            self.name,
            self.kind,
            self.valid_from,
            self.valid_to,
            "1" if self.approximate else "",
        ]


@dataclass
class Report:
    """What an import read: rows kept per kind, per file."""

    files: list[tuple[str, str, int]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.counts.items()))
        return f"{sum(self.counts.values())} places ({kinds})"


def _date(value: str, where: str) -> str:
    if not value:
        return ""
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise CogFileError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def _reader(path: Path) -> tuple[list[str], Iterator[list[str]]]:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    # INSEE publishes UTF-8; older years were Windows-1252 — accept both.
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    sample = text[:2000]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip().upper() for cell in next(rows, [])]
    return header, rows


def read_communes(path: Path) -> Iterator[Row]:
    header, rows = _reader(path)
    if tuple(header[: len(_COMMUNES_HEADER)]) != _COMMUNES_HEADER:
        raise CogFileError(f"{path.name}: not a COG communes file (header {','.join(header)})")
    for number, cells in enumerate(rows, start=2):
        if not cells:
            continue
        where = f"{path.name} line {number}"
        if len(cells) < len(_COMMUNES_HEADER):
            raise CogFileError(f"{where}: {len(cells)} columns, {len(_COMMUNES_HEADER)} expected")
        kind, code, name = cells[0], cells[1], cells[5]
        # COMA/COMD: a commune associated or delegated after a merger — births there take the
        # new commune's code. ARM: a municipal arrondissement, where births are registered.
        if kind not in ("COM", "ARM"):
            continue
        if not COMMUNE_CODE.match(code) and not re.match(r"^9[78][0-9]{3}$", code):
            raise CogFileError(f"{where}: {code!r} is not a commune code")
        if not name:
            raise CogFileError(f"{where}: no LIBELLE")
        start, end = _date(cells[6], where), _date(cells[7], where)
        if start and end and end <= start:
            raise CogFileError(f"{where}: DATE_FIN {end} is not after DATE_DEBUT {start}")
        yield Row(code, name, "commune" if kind == "COM" else "arrondissement", start, end)


def read_countries(path: Path) -> Iterator[Row]:
    header, rows = _reader(path)
    dated = "DATE_DEBUT" in header and "DATE_FIN" in header
    if not dated and tuple(header[: len(_COUNTRIES_HEADER)]) != _COUNTRIES_HEADER:
        raise CogFileError(f"{path.name}: not a COG countries file (header {','.join(header)})")
    start_at = header.index("DATE_DEBUT") if dated else -1
    end_at = header.index("DATE_FIN") if dated else -1
    # The dated file names its label column LIBCOG or comes positional (code, parent, label…).
    label_at = header.index("LIBCOG") if "LIBCOG" in header else 2
    for number, cells in enumerate(rows, start=2):
        if not cells:
            continue
        where = f"{path.name} line {number}"
        if len(cells) <= max(label_at, start_at, end_at):
            raise CogFileError(f"{where}: {len(cells)} columns")
        code, name = cells[0].strip(), cells[label_at].strip()
        if code == "99100":  # France itself: a birth in France takes its commune's code
            continue
        if not COUNTRY_CODE.match(code):
            raise CogFileError(f"{where}: {code!r} is not a country code (99xxx)")
        if not name:
            raise CogFileError(f"{where}: no label")
        start = _date(cells[start_at], where) if dated else ""
        end = _date(cells[end_at], where) if dated else ""
        yield Row(code, name, "pays", start, end, approximate=not dated)


def read_table(path: Path) -> Iterator[Row]:
    """Our own table (the bundled one, or one written by :func:`write_table`)."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        if tuple(next(rows, ())) != FIELDS:
            raise CogFileError(f"{path.name}: not a birth-place table")
        for cells in rows:
            yield Row(*cells[:5], approximate=cells[5] == "1")


def read_plain_table(path: Path) -> Iterator[Row]:
    """A small table in the same columns, not compressed (the CNDA supplement)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        if tuple(next(rows, ())) != FIELDS:
            raise CogFileError(f"{path.name}: not a birth-place table")
        for cells in rows:
            yield Row(*cells[:5], approximate=cells[5] == "1")


def detect(path: Path) -> Callable[[Path], Iterator[Row]]:
    """The reader of ``path``'s format, from its header line."""
    header, _ = _reader(path)
    if tuple(header[: len(_COMMUNES_HEADER)]) == _COMMUNES_HEADER:
        return read_communes
    if ("DATE_DEBUT" in header and "DATE_FIN" in header) or tuple(
        header[: len(_COUNTRIES_HEADER)]
    ) == _COUNTRIES_HEADER:
        return read_countries
    raise CogFileError(
        f"{path.name}: not an INSEE COG file this command reads (communes since 1943, or "
        f"countries and territories); header: {','.join(header)[:120]}"
    )


def import_files(
    paths: Iterable[Path],
    target: Path,
    current: Path,
    progress: Callable[[str], None] = lambda _: None,
) -> Report:
    """Read INSEE's files and write the table to ``target`` atomically. Communes and countries
    given replace those of ``current`` (the table in use); a kind not given is kept from it, so a
    newer countries file alone updates the countries only."""
    report = Report()
    fresh: dict[str, list[Row]] = {}
    for path in paths:
        rows = list(detect(path)(path))
        for row in rows:
            fresh.setdefault(row.kind, []).append(row)
        kinds = sorted({row.kind for row in rows})
        report.files.append((path.name, "/".join(kinds), len(rows)))
        progress(f"{path.name}: {len(rows)} rows ({', '.join(kinds) or 'none kept'})")
    communes = fresh.get("commune")
    if communes is not None and len({r.code for r in communes}) < MIN_COMMUNES:
        raise CogFileError(
            f"only {len({r.code for r in communes})} commune codes: a COG since 1943 has more "
            f"than {MIN_COMMUNES} (a truncated file?)"
        )
    # A kind the files do not carry is kept from the table in use (a countries file alone, a
    # communes file without its arrondissements).
    kept = [row for row in read_table(current) if row.kind not in fresh]
    rows = [*kept, *(row for group in fresh.values() for row in group)]
    if not any(row.code == UNKNOWN_CODE for row in rows):
        rows.append(Row(UNKNOWN_CODE, UNKNOWN_NAME, "inconnu"))
    write_table(rows, target)
    for row in rows:
        report.counts[row.kind] = report.counts.get(row.kind, 0) + 1
    return report


def write_table(rows: Iterable[Row], target: Path, mode: int = 0o600) -> None:
    """Write the table to ``target`` through a temporary file renamed over it: a crash leaves
    the previous table whole. Private by default, like the rest of the daemon's data dir."""
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    ordered = sorted(rows, key=lambda r: (r.code, r.valid_from, r.name))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(FIELDS)
    writer.writerows(row.cells() for row in ordered)
    # mtime 0: the same rows give the same bytes (the bundled table is rebuilt byte for byte).
    packed = io.BytesIO()
    with gzip.GzipFile(fileobj=packed, mode="wb", mtime=0) as gz:
        gz.write(text.getvalue().encode())
    replace_file(target, packed.getvalue(), mode)
