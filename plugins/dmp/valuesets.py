"""The French value sets (JDV) the DMP metadata and CDA headers draw their codes from, read from
the ANS files bundled in ``jdv/`` (unchanged)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

JDV = Path(__file__).parent / "jdv"
SVS = "urn:ihe:iti:svs:2008"
FILES = {
    "author_specialty": "JDV_J01_XdsAuthorSpecialty_CISIS.xml",
    "facility_type": "JDV_J02_XdsHealthcareFacilityTypeCode_CISIS.xml",
    "practice_setting": "JDV_J04_XdsPracticeSettingCode_CISIS.xml",
    "type": "JDV_J07_XdsTypeCode_CISIS.xml",
    "confidentiality": "JDV_J08_XdsConfidentialityCode_CISIS.xml",
}


@dataclass(frozen=True)
class Code:
    code: str
    system: str
    display: str


class UnknownCode(ValueError):
    """A code that is not in its value set."""


@functools.cache
def value_set(name: str) -> dict[str, Code]:
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    root = etree.parse(str(JDV / FILES[name]), parser).getroot()
    return {
        c.get("code"): Code(c.get("code"), c.get("codeSystem"), c.get("displayName"))
        for c in root.iter(f"{{{SVS}}}Concept")
    }


def lookup(name: str, code: str) -> Code:
    found = value_set(name).get(code)
    if found is None:
        raise UnknownCode(
            f"{code!r} is not in the {name.replace('_', ' ')} value set "
            f"({FILES[name].removesuffix('.xml')})"
        )
    return found
