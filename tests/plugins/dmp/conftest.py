from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from conftest import ROOT

SPECS = ROOT.parent / "shared" / "specs"
VALIDATOR = ROOT.parent / "shared" / "tools" / "ans-cda-validate"
STRUC_MIN = "profils/structurationMinimale/ASIP-STRUCT-MIN-StrucMin.sch"


@pytest.fixture(scope="session")
def cda_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.parse(str(SPECS / "cda" / "xsd" / "CDA_extended.xsd"), parser))


def ans_schematron(schematron: str, *files: Path) -> subprocess.CompletedProcess:
    """Run the ANS schematrons on CDA files (the external check the DMP issue names)."""
    if not VALIDATOR.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{VALIDATOR} is missing")
        pytest.skip("the ANS schematron tool is not beside the project")
    return subprocess.run(
        [str(VALIDATOR), schematron, *map(str, files)], capture_output=True, text=True, timeout=600
    )
