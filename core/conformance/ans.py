"""The ANS schematron files Aiguillage ships (folder ``ans`` of this package): exactly those the
CDA checks read, in the ANS package's own layout, and the function that finds them.

What a root schematron reads: the files it includes (``<include href>``, relative to the
including file, recursively), and the files its rules open with ``doc()``/``document()``,
whose paths are written as literals either in the call or in a ``<let>`` the rules use
(``<let name="jdv_x" value="'../jeuxDeValeurs/JDV_X.xml'"/>``, read through an abstract
pattern's ``$path_jdv``). Those paths resolve against the folder of the root: the compiled
stylesheet, where the rules end up, is written beside it.

To refresh the copy from a newer ANS package (the folder holding ``schematrons/`` and
``jeuxDeValeurs/``)::

    python -m aiguillage.conformance.ans ANS_FOLDER

which replaces the ``ans`` folder by the files the roots of :mod:`.schematron` need, unchanged
(keep its ``README.md`` up to date by hand).
"""

from __future__ import annotations

import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

#: The bundled copy: ``schematrons/`` and ``jeuxDeValeurs/`` as in the ANS package.
BUNDLED = Path(__file__).parent / "ans"
SCH = "{http://purl.oclc.org/dsdl/schematron}"
_QUOTED_FILE = r"""'([^'\s]+\.(?:xml|rdf))'|"([^"\s]+\.(?:xml|rdf))\""""
#: A file named in the call itself: doc('include/voc-….xml').
_DIRECT = re.compile(r"\b(?:doc|document|doc-available)\(\s*(?:" + _QUOTED_FILE + ")")
_LITERAL = re.compile(_QUOTED_FILE)
#: A call whose argument is built (concat, a path made at run time): its targets cannot be
#: listed, so the closure reports it rather than guess.
_BUILT = re.compile(r"\b(?:doc|document|doc-available)\(\s*(?:concat|string-join)\(")


@dataclass
class Closure:
    """What the roots need, relative to the ANS folder; ``missing``: referenced and absent;
    ``unlisted``: ``doc()`` calls whose target is computed (``FILE: call``)."""

    files: set[str] = field(default_factory=set)
    missing: set[str] = field(default_factory=set)
    unlisted: set[str] = field(default_factory=set)


def closure(folder: Path, roots: tuple[str, ...]) -> Closure:
    """Every file under ``folder`` (an ANS package: ``schematrons/``, ``jeuxDeValeurs/``) the
    root schematrons (paths under ``schematrons/``) need to run."""
    folder = folder.resolve()
    found = Closure()

    def note(path: Path, origin: str) -> None:
        try:
            name = path.relative_to(folder).as_posix()
        except ValueError:
            found.missing.add(f"{path} (outside the folder, read by {origin})")
            return
        (found.files if path.is_file() else found.missing).add(name)

    for root in roots:
        start = (folder / "schematrons" / root).resolve()
        included = _included(start, note)
        text = "\n".join(p.read_text(encoding="utf-8") for p in included)
        for path in included:
            source = path.read_text(encoding="utf-8")
            for match in _DIRECT.finditer(source):
                note((start.parent / (match.group(1) or match.group(2))).resolve(), root)
            for match in _BUILT.finditer(source):
                line = source.count("\n", 0, match.start()) + 1
                found.unlisted.add(f"{path.relative_to(folder).as_posix()}:{line}")
            for let in etree.parse(str(path)).iter(f"{SCH}let"):
                value = _LITERAL.fullmatch((let.get("value") or "").strip())
                # A value set declared and never read is not opened (the ANS profiles declare
                # some): only the used ones count.
                if value and re.search(rf"\${re.escape(let.get('name', ''))}(?![\w.-])", text):
                    note((start.parent / (value.group(1) or value.group(2))).resolve(), root)
    return found


def _included(start: Path, note: object) -> list[Path]:
    """``start`` and every schematron it includes, recursively."""
    seen: list[Path] = []
    todo = [start]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        note(path, "an include")  # type: ignore[operator]
        if not path.is_file():
            continue
        seen.append(path)
        for include in etree.parse(str(path)).iter(f"{SCH}include"):
            todo.append((path.parent / include.get("href", "")).resolve())
    return seen


def copy(source: Path, target: Path, roots: tuple[str, ...]) -> Closure:
    """Replace the ``schematrons/`` and ``jeuxDeValeurs/`` of ``target`` by the files of
    ``source`` the roots need (other files of ``target``, its README, stay)."""
    needed = closure(source, roots)
    if needed.missing or needed.unlisted:
        return needed
    for folder in ("schematrons", "jeuxDeValeurs"):
        shutil.rmtree(target / folder, ignore_errors=True)
    for name in sorted(needed.files):
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / name, target / name)
    return needed


def main(argv: list[str]) -> int:
    from .schematron import ROOTS

    if len(argv) != 1:
        print("usage: python -m aiguillage.conformance.ans ANS_FOLDER", file=sys.stderr)
        return 2
    needed = copy(Path(argv[0]), BUNDLED, ROOTS)
    for problem in sorted(needed.missing):
        print(f"missing: {problem}", file=sys.stderr)
    for problem in sorted(needed.unlisted):
        print(f"computed doc() target, list its files by hand: {problem}", file=sys.stderr)
    if needed.missing or needed.unlisted:
        return 1
    size = sum((BUNDLED / name).stat().st_size for name in needed.files)
    print(f"{len(needed.files)} files, {size / 1e6:.1f} MB, in {BUNDLED}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
