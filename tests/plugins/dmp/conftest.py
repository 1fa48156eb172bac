from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from lxml import etree

from conftest import ROOT, beside

STRUC_MIN = "profils/structurationMinimale/ASIP-STRUCT-MIN-StrucMin.sch"


@pytest.fixture(scope="session")
def cda_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    # The copy the plugin bundles, unchanged from ANS TestContenuCDA (plugins/dmp/README.md).
    xsd = ROOT / "plugins" / "dmp" / "cda_xsd" / "CDA_extended.xsd"
    return etree.XMLSchema(etree.parse(str(xsd), parser))


def ans_schematron(schematron: str, *files: Path) -> subprocess.CompletedProcess:
    """Run the ANS schematrons on CDA files (the external check the DMP issue names)."""
    validator = beside("tools/ans-cda-validate")
    return subprocess.run(
        [str(validator), schematron, *map(str, files)], capture_output=True, text=True, timeout=600
    )
