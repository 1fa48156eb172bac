"""Every CDA the DMP plugin can produce, checked by the ANS schematrons (the external tool beside
the project, which runs them all with Saxon): a level 1 document of each type the API offers,
the VSM with every part filled, without each part in turn and empty, and an EHR's own CDA
(passed through unchanged: ``test_dmp.test_the_ehrs_own_cda`` checks the bytes). Each
schematron runs once over all of them; a document passes only with ``ok (N rules fired)``,
N > 0, on every schematron that applies to it, and fails on none."""

from __future__ import annotations

import base64
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from aiguillage.config import load_settings
from aiguillage.ihe.cda import DocumentInfo, level1, new_oid
from aiguillage.plugin_manager import load_plugins
from aiguillage.plugins.dmp.documents import queued_cda, queued_payload, vsm_details
from aiguillage.plugins.dmp.metadata import content_type_of
from aiguillage.plugins.dmp.vsm import VSM_KEYS, vsm

from . import xds_rules
from .conftest import RUTH, STRUC_MIN, ans_level1_example, ans_schematron

SCHEMATRONS = {
    "minimal structuring": STRUC_MIN,
    "ANS models": "profils/CI-SIS_Modeles_ANS.sch",
    "IHE": "profils/IHE.sch",
    "content models": "profils/CI-SIS_ModelesDeContenusCDA.sch",
    "VSM 2023.01": "CI-SIS_VSM_2023.01.sch",
}
PROFILES = ("minimal structuring", "ANS models", "IHE", "content models")
# A level 1 body has no section: the ANS and IHE section models have no rule for it ("n/a").
APPLICABLE = {
    "level1": ("minimal structuring", "content models"),
    "vsm": tuple(SCHEMATRONS),
}
PDF = base64.b64encode(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
ITEM = {"label": "Diabète de type 2", "since": "2015-03-01", "code": "E11"}
FULL_VSM = {key: [ITEM, {**ITEM, "label": "Hypertension artérielle"}] for key in VSM_KEYS} | {
    "treatments": [{"label": "Metformine 1000 mg", "dosage": "1 cp matin et soir"}]
}
LINE = re.compile(r"^(ok|FAIL|n/a) (\S+?)(?::| \((\d+) rules fired\))", re.M)


def offered_types() -> list[str]:
    """Every type of JDV_J66 but the signature's, as the specifications list them."""
    return [code for code in xds_rules.fhir_value_set(xds_rules.J66) if code != "E1762"]


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[Path, str]:
    """Each CDA to check, written to a file, and its kind (level1 or vsm)."""
    folder = tmp_path_factory.mktemp("cda")
    practitioner = load_settings(None, load_plugins().infos).practitioner
    made: dict[Path, str] = {}

    def write(name: str, content: bytes, kind: str) -> None:
        path = folder / f"{name}.xml"
        path.write_bytes(content)
        made[path] = kind

    for type_code in offered_types():
        info = DocumentInfo(f"Document {type_code}", type_code)
        write(f"level1-{type_code}", level1(PDF, info, RUTH, practitioner), "level1")
    info = DocumentInfo("Volet de synthèse médicale", "SYNTH")
    write("vsm-full", vsm(FULL_VSM, info, RUTH, practitioner), "vsm")
    for key in VSM_KEYS:
        without = {k: v for k, v in FULL_VSM.items() if k != key}
        write(f"vsm-without-{key}", vsm(without, info, RUTH, practitioner), "vsm")
    write("vsm-empty", vsm({}, info, RUTH, practitioner), "vsm")
    write("ehr-level1", ans_level1_example(), "level1")
    # As a send through the API builds them: from the queued payload (its ids, time,
    # confidentiality), for a man with a used name born where nobody knows, by a practitioner
    # the request names.
    patient = {
        "ins": {"matricule": "181036322045676"},
        "traits": {
            "birth_name": "HERMAN",
            "first_names": ["MATHIAS", "JEAN"],
            "used_name": "HERMAN-DUPONT",
            "sex": "M",
            "birth_date": "1981-03-06",
            "birth_place": "99999",
        },
    }
    other = practitioner.override(
        {"national_id": "810002909371", "family_name": "GIRARD", "given_name": "ANNE"}
    )
    for kind, details in (
        ("level1", {"title": "Ordonnance", "type_code": "57833-6", "format": "pdf"}),
        ("vsm", vsm_details("Synthèse du Dr Girard")),
    ):
        details = {**details, "unique_id": new_oid()}
        content_type = content_type_of("", other)
        payload = queued_payload(
            patient, details, other, content_type, dt.datetime.now(dt.UTC), "R"
        )
        if kind == "level1":
            content = queued_cda(payload, other, pdf_base64=PDF)
        else:
            content = queued_cda(payload, other, vsm_content=FULL_VSM)
        write(f"api-{kind}", content, kind)
    return made


@dataclass
class Run:
    verdicts: dict[str, tuple[str, int]]  # file name → (ok | FAIL | n/a, rules fired)
    output: str


@pytest.fixture(scope="module")
def results(documents) -> dict[str, Run]:
    """Each schematron run once over the documents it may apply to."""
    found = {}
    for label, schematron in SCHEMATRONS.items():
        files = [p for p, kind in documents.items() if label in PROFILES or kind == "vsm"]
        run = ans_schematron(schematron, *files)
        assert run.returncode in (0, 1), run.stdout + run.stderr  # 2: the tool could not run
        verdicts = {
            Path(name).name: (verdict, int(fired or 0))
            for verdict, name, fired in LINE.findall(run.stdout)
        }
        assert len(verdicts) == len(files), run.stdout + run.stderr
        found[label] = Run(verdicts, run.stdout)
    return found


def test_the_documents_cover_every_offered_type_and_vsm_variant(documents):
    kinds = list(documents.values())
    assert kinds.count("level1") == len(offered_types()) + 2 == 103
    assert kinds.count("vsm") == len(VSM_KEYS) + 3 == 9


@pytest.mark.parametrize("label", list(SCHEMATRONS))
def test_no_document_fails(results, label):
    failed = [name for name, (verdict, _) in results[label].verdicts.items() if verdict == "FAIL"]
    assert not failed, results[label].output


@pytest.mark.parametrize("kind", list(APPLICABLE))
def test_every_applicable_schematron_fired_rules_on_every_document(documents, results, kind):
    for path in (p for p, k in documents.items() if k == kind):
        for label in APPLICABLE[kind]:
            verdict, fired = results[label].verdicts[path.name]
            assert (verdict, fired > 0) == ("ok", True), f"{label}: {path.name}: {verdict} {fired}"


def test_the_vsm_sections_are_checked_by_their_own_models(results):
    # The section models fire once the sections carry their templateIds: the ANS models check
    # the three VSM sections and the two sub-sections of the first.
    assert results["ANS models"].verdicts["vsm-full.xml"][1] >= 4
    assert results["minimal structuring"].verdicts["vsm-full.xml"][1] >= 70
