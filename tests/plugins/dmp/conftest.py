from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from lxml import etree

from aiguillage.app import create_app
from aiguillage.ihe.cda import Patient

from conftest import ROOT, beside

STRUC_MIN = "profils/structurationMinimale/ASIP-STRUCT-MIN-StrucMin.sch"
#: NESSI RUTH, an INSi test identity with a DMP in the simulator, as the CDA builders take her.
RUTH = Patient(
    "277076322082910",
    "1.2.250.1.213.1.4.8",
    "NESSI",
    ["RUTH", "ISABELLE"],
    "F",
    "1977-07-14",
    "63220",
)


@pytest.fixture(scope="session")
def cda_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    # The copy the core bundles for the plugins, unchanged from ANS TestContenuCDA
    # (plugins/dmp/README.md), read as a file rather than through the code that uses it.
    xsd = ROOT / "core" / "ihe" / "cda_xsd" / "CDA_extended.xsd"
    return etree.XMLSchema(etree.parse(str(xsd), parser))


def ans_schematron(schematron: str, *files: Path) -> subprocess.CompletedProcess:
    """Run the ANS schematrons on CDA files (the external check the DMP issue names)."""
    validator = beside("tools/ans-cda-validate")
    return subprocess.run(
        [str(validator), schematron, *map(str, files)], capture_output=True, text=True, timeout=600
    )


def ans_level1_example() -> bytes:
    """The ANS example of a level 1 CDA (TestContenuCDA), made about NESSI RUTH, a patient
    of the DMP simulator: an EHR's own CDA as an EHR would send it."""
    from aiguillage.ihe.cda import HL7

    path = beside("specs/cda/examples/DOC_NON_STRUCTURE_CDA-R2-N1.xml")
    document = etree.parse(str(path), etree.XMLParser(no_network=True)).getroot()
    role = "hl7:recordTarget/hl7:patientRole"
    person = f"{role}/hl7:patient"
    for path, attribute, value in (
        (f"{role}/hl7:id[@root='1.2.250.1.213.1.4.10']", "root", "1.2.250.1.213.1.4.8"),
        (f"{role}/hl7:id[@root='1.2.250.1.213.1.4.8']", "extension", "277076322082910"),
        (f"{person}/hl7:name/hl7:family[@qualifier='BR']", None, "NESSI"),
        (f"{person}/hl7:name/hl7:given[@qualifier='BR']", None, "RUTH"),
        (f"{person}/hl7:name/hl7:given[not(@qualifier)]", None, "RUTH ISABELLE"),
        (f"{person}/hl7:name/hl7:family[@qualifier='CL']", None, "NESSI"),
        (f"{person}/hl7:name/hl7:given[@qualifier='CL']", None, "RUTH"),
        (f"{person}/hl7:birthTime", "value", "19770714"),
        (f"{person}/hl7:birthplace/hl7:place/hl7:addr/hl7:county", None, "63220"),
        (f"{person}/hl7:birthplace/hl7:place/hl7:addr/hl7:city", None, "CLERMONT-FERRAND"),
    ):
        (element,) = document.xpath(path, namespaces={"hl7": HL7})
        if attribute:
            element.set(attribute, value)
        else:
            element.text = value
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8")


@pytest.fixture
async def dmp(aiohttp_client, settings, plugins, token):
    """A daemon with the DMP plugin against its simulator, called with the test app's token."""
    client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
    client.session.headers["Authorization"] = f"Bearer {token}"
    return client
