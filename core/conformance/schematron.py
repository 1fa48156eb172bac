"""The ANS schematron check of a CDA, as the ANS's own TestContenuCDA runs it: Saxon-HE (PyPI
``saxonche``, the ``aiguillage[conformance]`` extra) on the ISO Schematron pipeline (include,
abstract patterns, SVRL), with the value-set files the rules read through ``doc()``.

The schematrons and value sets are the ANS's: by default the copy this package ships (folder
``ans``, see :mod:`.ans`), or an ANS folder given with ``--schematrons`` (a newer package).
The files the checks need are copied once into a cache folder, where the compiled stylesheets
are kept beside them (their relative ``doc()`` paths must resolve, and the installed package
may not be writable)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import lxml
from lxml import etree

from .ans import BUNDLED, closure

SVRL_NS = "{http://purl.oclc.org/dsdl/svrl}"
HL7 = "urn:hl7-org:v3"
#: ISO/IEC 19757-3 describes a schematron's compilation as three transformations; lxml ships
#: the reference stylesheets of each (the XSLT 1.0 edition, whose output Saxon runs as XSLT 2).
ISO_STYLESHEETS = Path(lxml.__file__).parent / "isoschematron/resources/xsl/iso-schematron-xslt1"
RESOLVE_INCLUDES = ISO_STYLESHEETS / "iso_dsdl_include.xsl"
EXPAND_ABSTRACT_PATTERNS = ISO_STYLESHEETS / "iso_abstract_expand.xsl"
GENERATE_VALIDATOR = ISO_STYLESHEETS / "iso_svrl_for_xslt1.xsl"
#: SVRL roles that report without failing the document.
ADVISORY_ROLES = frozenset({"warning", "info"})
#: The schematrons every CDA must pass, then those of a VSM (templateId 1.2.250.1.213.1.1.1.13).
EVERY_CDA = (
    "profils/structurationMinimale/ASIP-STRUCT-MIN-StrucMin.sch",
    "profils/CI-SIS_ModelesDeContenusCDA.sch",
)
VSM_TEMPLATE = "1.2.250.1.213.1.1.1.13"
VSM = (
    "profils/CI-SIS_Modeles_ANS.sch",
    "profils/IHE.sch",
    "CI-SIS_VSM_2023.01.sch",
)
#: Every schematron a check may run: the bundled copy holds what these read.
ROOTS = EVERY_CDA + VSM


#: One Saxon processor, and each compiled stylesheet once, for the whole process: compiling the
#: minimal structuring's takes Saxon 15 to 25 s, and every run of a process (a test session's
#: too) checks its CDAs with the same ones. Keyed by the compiled file, whose folder is named
#: by the digest of the files it was made from.
_processor: object = None
_executables: dict[Path, object] = {}
_stages: dict[Path, object] = {}


class SchematronUnavailable(RuntimeError):
    """Saxon or the schematron folder is missing: no report can be made."""


@dataclass
class Report:
    schematron: str
    fired: int
    failed: list[str] = field(default_factory=list)
    warnings: int = 0
    error: str | None = None

    @property
    def passed(self) -> bool:
        """No failed assertion, and at least one rule fired: a check that fired no rule
        checked nothing."""
        return self.error is None and not self.failed and self.fired > 0

    def as_dict(self) -> dict[str, object]:
        return {
            "schematron": self.schematron,
            "rules_fired": self.fired,
            "failed_assertions": self.failed,
            "warnings": self.warnings,
            "error": self.error,
            "passed": self.passed,
        }


def applicable(cda: bytes) -> tuple[str, ...]:
    """The schematrons a CDA must pass: the minimal structuring and content models for all, the
    section models and its own for a VSM."""
    root = etree.fromstring(cda, etree.XMLParser(no_network=True, resolve_entities=False))
    templates = {t.get("root") for t in root.iterfind(f"{{{HL7}}}templateId")}
    return EVERY_CDA + (VSM if VSM_TEMPLATE in templates else ())


class Schematrons:
    """The ANS schematrons under ``source`` (the folder holding ``schematrons/`` and
    ``jeuxDeValeurs/``; default: the bundled copy), compiled once into ``cache``."""

    def __init__(self, source: Path | None, cache: Path) -> None:
        source = source or BUNDLED
        if not (source / "schematrons").is_dir() or not (source / "jeuxDeValeurs").is_dir():
            raise SchematronUnavailable(
                f"{source}: the ANS folder holding schematrons/ and jeuxDeValeurs/ is needed"
            )
        try:
            from saxonche import PySaxonProcessor
        except ImportError:
            raise SchematronUnavailable(
                "Saxon-HE is not installed: pip install 'aiguillage[conformance]'"
            ) from None
        global _processor
        self.source = source
        self.tree = _cached_tree(source, cache)
        if _processor is None:
            _processor = PySaxonProcessor(license=False)
        self._xslt = _processor.new_xslt30_processor()

    def check(self, cda: Path) -> list[Report]:
        """Every applicable schematron's report on the CDA in ``cda``."""
        return [self._run(name, cda) for name in applicable(cda.read_bytes())]

    def _run(self, name: str, cda: Path) -> Report:
        try:
            svrl = self._validator(name).transform_to_string(source_file=str(cda.resolve()))
        except Exception as exc:  # Saxon raises its own PySaxonApiError
            return Report(name, 0, error=f"{type(exc).__name__}: {str(exc)[:300]}")
        return _read_svrl(name, svrl)

    def _validator(self, name: str) -> object:
        """The compiled validator of schematron ``name``, generated once into the cached tree:
        its rules open value sets by paths relative to the schematron, so it must sit beside
        it."""
        schematron = self.tree / "schematrons" / name
        generated = schematron.with_name(f".{schematron.stem}.validator.xsl")
        if generated not in _executables:
            if not generated.exists():
                self._generate(schematron, generated)
            _executables[generated] = self._xslt.compile_stylesheet(stylesheet_file=str(generated))
        return _executables[generated]

    def _generate(self, schematron: Path, target: Path) -> None:
        included = self._apply(RESOLVE_INCLUDES, schematron)
        expanded = etree.fromstring(self._apply(EXPAND_ABSTRACT_PATTERNS, included).encode())
        # The reference generator refuses any query binding but its own; the ANS rules are XPath
        # 2.0, which the generated stylesheet hands to Saxon unchanged.
        expanded.set("queryBinding", "xslt")
        with _sibling(target) as stage:
            stage.write_bytes(etree.tostring(expanded, xml_declaration=True, encoding="utf-8"))
            validator = self._apply(GENERATE_VALIDATOR, stage)
        with _sibling(target) as done:
            done.write_text(validator, encoding="utf-8")
            os.replace(done, target)  # a concurrent process sees the whole file or none

    def _apply(self, stylesheet: Path, source: Path | str) -> str:
        """``stylesheet`` applied to a file, or to XML text (written beside the schematrons
        first, so that what it refers to still resolves)."""
        compiled = _stages.get(stylesheet)
        if compiled is None:
            compiled = _stages[stylesheet] = self._xslt.compile_stylesheet(
                stylesheet_file=str(stylesheet)
            )
        if isinstance(source, Path):
            return compiled.transform_to_string(source_file=str(source))
        with _sibling(self.tree / "schematrons" / "stage.xml") as staged:
            staged.write_text(source, encoding="utf-8")
            return compiled.transform_to_string(source_file=str(staged))


@contextlib.contextmanager
def _sibling(path: Path) -> Iterator[Path]:
    """A private file in ``path``'s folder, removed afterwards unless renamed away."""
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    os.close(fd)
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def _read_svrl(name: str, svrl: str) -> Report:
    """A report from the SVRL output: the rules that fired, and the failed assertions (those
    whose role is advisory count as warnings)."""
    report = Report(name, 0)
    for element in etree.fromstring(svrl.encode()).iter(
        f"{SVRL_NS}fired-rule", f"{SVRL_NS}failed-assert"
    ):
        if element.tag == f"{SVRL_NS}fired-rule":
            report.fired += 1
        elif (element.get("role") or "error").lower() in ADVISORY_ROLES:
            report.warnings += 1
        else:
            message = " ".join(element.findtext(f"{SVRL_NS}text", "").split())
            report.failed.append(f"{element.get('location')}: {message}"[:500])
    return report


def _cached_tree(source: Path, cache: Path) -> Path:
    """A private copy of the files the checks read (the compiled stylesheets are written
    beside them), named by a digest of their names and bytes: other files, another copy."""
    needed = closure(source, ROOTS)
    if needed.missing:
        raise SchematronUnavailable(
            f"{source}: files the ANS schematrons read are missing: "
            + ", ".join(sorted(needed.missing)[:5])
        )
    names = sorted(needed.files)
    if needed.unlisted:  # a target computed at run time: every file may be read
        names = sorted(
            p.relative_to(source).as_posix()
            for folder in ("schematrons", "jeuxDeValeurs")
            for p in (source / folder).rglob("*")
            if p.is_file()
        )
    listing = hashlib.sha256(f"lxml {lxml.__version__}\n".encode())
    for name in names:
        digest = hashlib.sha256((source / name).read_bytes()).hexdigest()
        listing.update(f"{name} {digest}\n".encode())
    tree = cache / f"ans-{listing.hexdigest()[:16]}"
    if not tree.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        building = cache / f".building-{os.getpid()}"
        shutil.rmtree(building, ignore_errors=True)
        for name in names:
            (building / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / name, building / name)
        try:
            building.rename(tree)
        except OSError:  # another run finished first: its copy is as good
            shutil.rmtree(building, ignore_errors=True)
    return tree
