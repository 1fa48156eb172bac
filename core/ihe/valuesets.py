"""The French value sets CDA documents and their XDS/XDM metadata draw their codes from, read
from the ANS files bundled unchanged with this package:

- ``jdv/``: the CI-SIS value sets of the CDA header (SVS XML, ANS TestContenuCDA 3.0): author
  specialty (J01), facility type (J02), practice setting (J04), document type (J07),
  confidentiality (J08);
- ``terminology/``: the DMP's XDS value sets (FHIR ValueSets of the ANS terminology
  publication): classCode (J57), SubmissionSet contentTypeCode (J59), formatCode (J60),
  typeCode (J66), and the DMP's type → class correspondence (ConceptMap ASS_X16).

Where each file comes from, and its version, is in ``terminology/README.md``; the DMP
plugin's ``terminology_update`` tells whether a newer one was published.
"""

from __future__ import annotations

import functools
import json
import tomllib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

JDV = Path(__file__).parent / "jdv"
TERMINOLOGY = Path(__file__).parent / "terminology"
SVS = "urn:ihe:iti:svs:2008"
FILES = {
    "author_specialty": JDV / "JDV_J01_XdsAuthorSpecialty_CISIS.xml",
    "facility_type": JDV / "JDV_J02_XdsHealthcareFacilityTypeCode_CISIS.xml",
    "practice_setting": JDV / "JDV_J04_XdsPracticeSettingCode_CISIS.xml",
    "type": JDV / "JDV_J07_XdsTypeCode_CISIS.xml",
    "confidentiality": JDV / "JDV_J08_XdsConfidentialityCode_CISIS.xml",
    "dmp_class": TERMINOLOGY / "ValueSet-JDV-J57-ClassCode-DMP.json",
    "dmp_content_type": TERMINOLOGY / "ValueSet-JDV-J59-ContentTypeCode-DMP.json",
    "dmp_format": TERMINOLOGY / "ValueSet-JDV-J60-FormatCode-DMP.json",
    "dmp_type": TERMINOLOGY / "ValueSet-JDV-J66-TypeCode-DMP.json",
}
#: ASS_X16: the class of each DMP document type (J66 → J57).
CLASS_MAP = TERMINOLOGY / "ConceptMap-ASS-X16-CorrespondanceType-Classe-DMP.json"


@dataclass(frozen=True)
class Code:
    """A coded value: its code, its code system's OID and its display name."""

    code: str
    system: str  # the code system's OID, as XDS and CDA write it
    display: str


class UnknownCode(ValueError):
    """A code that is not in its value set."""


@functools.cache
def value_set(name: str) -> dict[str, Code]:
    """The codes of a value set by code. Within each of these sets a code appears once, whatever
    its system, so a code alone names its concept."""
    path = FILES[name]
    concepts = _svs_concepts(path) if path.suffix == ".xml" else _fhir_concepts(path)
    codes: dict[str, Code] = {}
    for concept in concepts:
        if codes.setdefault(concept.code, concept) != concept:
            raise ValueError(f"{path.name}: code {concept.code} is in two code systems")
    return codes


def lookup(name: str, code: str) -> Code:
    """The ``code`` of value set ``name`` (a key of :data:`FILES`); :class:`UnknownCode` if it
    is not there."""
    found = value_set(name).get(code)
    if found is None:
        raise UnknownCode(
            f"{code!r} is not in the {name.replace('_', ' ')} value set ({FILES[name].stem})"
        )
    return found


@functools.cache
def _class_map() -> dict[str, str]:
    document = json.loads(CLASS_MAP.read_bytes())
    return {
        element["code"]: target["code"]
        for group in document["group"]
        for element in group["element"]
        for target in element["target"]
        if target.get("equivalence", "equivalent") == "equivalent"
    }


def class_of(type_code: str) -> Code:
    """The XDS classCode (J57) of a DMP document type (J66), per ASS_X16."""
    lookup("dmp_type", type_code)
    class_code = _class_map().get(type_code)
    if class_code is None:
        raise UnknownCode(f"ASS_X16 gives no class for document type {type_code!r}")
    return lookup("dmp_class", class_code)


def _svs_concepts(path: Path) -> list[Code]:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    root = etree.parse(str(path), parser).getroot()
    return [
        Code(c.get("code"), c.get("codeSystem"), c.get("displayName"))
        for c in root.iter(f"{{{SVS}}}Concept")
    ]


def _fhir_concepts(path: Path) -> list[Code]:
    document = json.loads(path.read_bytes())
    systems = _system_oids()
    return [
        Code(concept["code"], systems[include["system"]], concept["display"])
        for include in document["compose"]["include"]
        for concept in include["concept"]
    ]


@functools.cache
def _system_oids() -> dict[str, str]:
    return tomllib.loads((TERMINOLOGY / "systems.toml").read_text(encoding="utf-8"))["oid"]
