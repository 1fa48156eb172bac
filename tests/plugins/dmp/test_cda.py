"""CDA level 1 documents: valid against the CDA XSD and the ANS minimal-structuring
schematron, with the patient's INS and the codes of the French value sets."""

from __future__ import annotations

import base64

import pytest
from lxml import etree

from aiguillage.config import load_settings
from aiguillage.ihe.cda import HL7, DocumentInfo, is_base64, level1, new_oid
from aiguillage.ihe.valuesets import UnknownCode, lookup

from .conftest import RUTH

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
B64 = base64.b64encode(PDF)


@pytest.fixture
def practitioner(plugins):
    return load_settings(None, plugins.infos).practitioner


def q(path: str) -> str:
    return "/".join(f"{{{HL7}}}{part}" for part in path.split("/"))


def test_level1_carries_the_pdf_and_the_ins(practitioner, cda_schema):
    info = DocumentInfo("Compte rendu de consultation", "11488-4")
    document = etree.fromstring(level1(B64, info, RUTH, practitioner))
    assert cda_schema.validate(document), cda_schema.error_log
    assert document.find(q("id")).get("root") == info.unique_id
    ins = document.find(q("recordTarget/patientRole/id"))
    assert (ins.get("root"), ins.get("extension")) == ("1.2.250.1.213.1.4.8", "277076322082910")
    text = document.find(q("component/nonXMLBody/text"))
    assert text.get("mediaType") == "application/pdf"
    assert base64.b64decode(text.text) == PDF
    code = document.find(q("code"))
    assert (code.get("code"), code.get("displayName")) == (
        "11488-4",
        "CR ou fiche de consultation ou de visite",
    )
    author = document.find(q("author/assignedAuthor/id"))
    assert author.get("extension") == practitioner.national_id


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        (b"", True),
        (b"QUJD", True),
        (b"QUI=", True),
        (b"QQ==", True),
        (b"QQ=", False),  # length
        (b"Q===", False),  # three pad characters
        (b"QQ==QUJD", False),  # padding inside
        (b"QU=D", False),
        (b"QUJD\n", False),  # no line breaks
        (b"QU<D", False),  # what would break out of the XML text
        (b"QU\x00D", False),
    ],
)
def test_strict_base64(text, valid):
    assert is_base64(text) is valid


def test_level1_puts_the_pdf_in_the_body_whatever_the_header_says(practitioner):
    from aiguillage.ihe.cda import _BODY_MARK

    info = DocumentInfo(_BODY_MARK, "11488-4")  # a title an EHR could send
    document = etree.fromstring(level1(B64, info, RUTH, practitioner))
    assert document.findtext(q("title")) == _BODY_MARK
    assert document.findtext(q("component/nonXMLBody/text")) == B64.decode()


def test_level1_refuses_what_is_not_base64(practitioner):
    info = DocumentInfo("x", "11488-4")
    with pytest.raises(ValueError, match="not valid base64"):
        level1(B64[:8] + b"</text><injected/>" + B64[26:], info, RUTH, practitioner)


def test_codes_outside_the_value_sets_are_refused(practitioner):
    with pytest.raises(UnknownCode, match="'99999-9' is not in the type value set"):
        level1(B64, DocumentInfo("x", "99999-9"), RUTH, practitioner)
    with pytest.raises(UnknownCode, match="confidentiality"):
        level1(B64, DocumentInfo("x", "11488-4", confidentiality="Z"), RUTH, practitioner)


def test_value_sets_are_read_from_the_ans_files():
    assert lookup("type", "60591-5").display == "Synthèse médicale"
    assert lookup("facility_type", "SA07").system == "1.2.250.1.71.4.2.4"
    assert lookup("practice_setting", "AMBULATOIRE").display == "Ambulatoire"


def test_document_ids_are_unique_oids_xds_accepts():
    ids = {new_oid() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) <= 64 and i.startswith("2.25.") for i in ids)


def _sections(parent: etree._Element) -> list[etree._Element]:
    return parent.findall(f"{{{HL7}}}component/{{{HL7}}}section")


def _outline(section: etree._Element) -> tuple:
    return (
        section.find(f"{{{HL7}}}templateId").get("root"),
        section.find(f"{{{HL7}}}code").get("code"),
        section.find(f"{{{HL7}}}text") is not None,
        [_outline(sub) for sub in _sections(section)],
    )


@pytest.mark.parametrize("content", [{}, {"problems": [{"label": "HTA"}]}])
def test_vsm_sections_follow_the_ans_section_models(practitioner, content):
    """VSM 2023.01 and the ANS section models (CI-SIS_Modeles_ANS): the first section holds
    the sub-sections 1.2.250.1.213.1.1.2.30 and …2.31; every section that holds no
    sub-section has a text, and "Traitement au long cours" a text and no sub-section."""
    from aiguillage.plugins.dmp.vsm import vsm

    document = etree.fromstring(vsm(content, DocumentInfo("VSM", "SYNTH"), RUTH, practitioner))
    body = document.find(f"{{{HL7}}}component/{{{HL7}}}structuredBody")
    assert [_outline(s) for s in _sections(body)] == [
        (
            "1.2.250.1.213.1.1.2.29",
            "46612-8",
            False,
            [
                ("1.2.250.1.213.1.1.2.30", "34117-2", True, []),
                ("1.2.250.1.213.1.1.2.31", "57207-3", True, []),
            ],
        ),
        ("1.3.6.1.4.1.19376.1.5.3.1.3.27", "30954-2", True, []),
        ("1.2.250.1.213.1.1.2.32", "18776-5", True, []),
    ]
    header = document.find(f"{{{HL7}}}code")
    assert (header.get("code"), header.get("codeSystem")) == ("SYNTH", "1.2.250.1.213.1.1.4.12")


def test_vsm_tables_hold_each_kind_of_item(practitioner):
    from aiguillage.plugins.dmp.vsm import vsm

    content = {
        "problems": [{"label": "HTA", "since": "2015-03-01", "code": "I10"}],
        "treatments": [{"label": "Ramipril 5 mg", "dosage": "1 cp le matin"}],
    }
    document = etree.fromstring(vsm(content, DocumentInfo("VSM", "SYNTH"), RUTH, practitioner))
    tables = {
        t.findtext(f"{{{HL7}}}caption"): [
            [td.text for td in row.iter(f"{{{HL7}}}td")] for row in t.iter(f"{{{HL7}}}tr")
        ][1:]
        for t in document.iter(f"{{{HL7}}}table")
    }
    assert tables == {
        "Pathologies en cours": [["01/03/2015", "HTA", "I10"]],
        "Traitements": [[None, "Ramipril 5 mg", "1 cp le matin"]],
    }
    empty = [p.findtext(f"{{{HL7}}}caption") for p in document.iter(f"{{{HL7}}}paragraph")]
    assert empty == [
        "Antécédents médicaux",
        "Allergies et hypersensibilités",
        "Facteurs de risque",
        "Résultats pertinents",
    ]
