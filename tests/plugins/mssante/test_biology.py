"""The flags of a biology report, on the three ANS CR-BIO examples and on copies of them with
one result changed: the inbox must tell "critical result, act now" from "abnormal" from
"normal", and never raise a flag for an old result or a reference range."""

from __future__ import annotations

import pytest
from lxml import etree

from aiguillage.plugin import XmlError
from aiguillage.plugins.mssante.biology import flags

from .samples import example

HL7 = "urn:hl7-org:v3"
NS = {"hl7": HL7}
TSH = "3024-7"  # the TSH result of the TSH example, interpreted L (low)


def edit(name: str, xpath: str, **attributes: str) -> bytes:
    """A copy of an example with the attributes of the elements ``xpath`` selects changed."""
    root = etree.fromstring(example(name))
    selected = root.xpath(xpath, namespaces=NS)
    assert selected, f"{xpath} selects nothing in {name}"
    for element in selected:
        for key, value in attributes.items():
            element.set(key, value)
    return etree.tostring(root)


def result(code: str) -> str:
    """The interpretation of the current result coded ``code``."""
    return f"//hl7:observation[hl7:code/@code='{code}']/hl7:interpretationCode"


def test_tsh_example_is_a_low_result_not_a_critical_one():
    found = flags(example("tsh"))
    assert found["contains_biology"] is True
    assert found["abnormal"] is True
    assert found["critical"] is False
    assert [(f["code"], f["interpretation"]) for f in found["findings"]] == [(TSH, "L")]


def test_electrophoresis_example_has_high_results():
    found = flags(example("electrophorese"))
    assert (found["contains_biology"], found["abnormal"], found["critical"]) == (True, True, False)
    assert {f["interpretation"] for f in found["findings"]} == {"H"}
    assert len(found["findings"]) == 6


def test_microbiology_susceptibilities_are_not_abnormal_results():
    """S, I and R say how a germ answers an antibiotic, not that a value is out of range."""
    found = flags(example("microbiologie"))
    assert (found["contains_biology"], found["abnormal"], found["critical"]) == (True, False, False)


@pytest.mark.parametrize("code", ["HH", "LL", "AA"])
def test_a_result_changed_to_an_alert_code_is_critical(code):
    found = flags(edit("tsh", result(TSH), code=code))
    assert found["critical"] is True and found["abnormal"] is True
    assert [(f["code"], f["interpretation"]) for f in found["findings"]] == [(TSH, code)]


def test_a_result_changed_to_normal_leaves_the_report_normal():
    found = flags(edit("tsh", result(TSH), code="N"))
    assert found["contains_biology"] is True
    assert (found["abnormal"], found["critical"], found["findings"]) == (False, False, [])


@pytest.mark.parametrize("code", ["<", ">", "POS", "R", "U"])
def test_codes_that_say_nothing_of_the_range_are_not_abnormal(code):
    assert flags(edit("tsh", result(TSH), code=code))["abnormal"] is False


def test_a_previous_result_quoted_in_the_report_raises_no_flag():
    """The electrophoresis report quotes earlier results (entryRelationship REFR); one of them
    marked HH is history, not a result to act on now."""
    root = etree.fromstring(example("electrophorese"))
    previous = root.xpath(
        "//hl7:entryRelationship[@typeCode='REFR']/hl7:observation", namespaces=NS
    )
    assert previous
    marker = etree.SubElement(previous[0], f"{{{HL7}}}interpretationCode")
    marker.set("code", "HH")
    marker.set("codeSystem", "2.16.840.1.113883.5.83")
    assert flags(etree.tostring(root))["critical"] is False


def test_the_interpretation_of_a_reference_range_is_not_the_results():
    ranges = "//hl7:observationRange/hl7:interpretationCode"
    assert flags(edit("tsh", ranges + "[1]", code="HH"))["critical"] is False


def test_an_interpretation_from_another_code_system_is_ignored():
    found = flags(edit("tsh", result(TSH), code="HH", codeSystem="1.2.3.4"))
    assert (found["abnormal"], found["critical"]) == (False, False)


def test_a_report_known_by_its_template_alone_is_still_biology():
    found = flags(edit("tsh", "/hl7:ClinicalDocument/hl7:code", code="11490-0"))
    assert found["contains_biology"] is True and found["abnormal"] is True


def test_a_document_that_is_no_biology_report_raises_no_flag():
    """An HH in a document that is not a CR-BIO (code and templates changed) is not read."""
    root = etree.fromstring(edit("tsh", result(TSH), code="HH"))
    root.find(f"{{{HL7}}}code").set("code", "11490-0")
    for template in root.findall(f"{{{HL7}}}templateId"):
        if template.get("root") in ("1.2.250.1.213.1.1.1.55", "1.3.6.1.4.1.19376.1.3.3"):
            root.remove(template)
    found = flags(etree.tostring(root))
    assert found == {
        "contains_biology": False,
        "abnormal": False,
        "critical": False,
        "findings": [],
    }


def test_other_ans_examples_are_no_biology_reports():
    for name in ("VSM_1.4_2022.01.xml", "IPS-FR_2024.01.xml"):
        assert flags(example(name))["contains_biology"] is False, name


def test_unsafe_or_broken_xml_is_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><ClinicalDocument>&b;</ClinicalDocument>'
    )
    for data in (bomb, b"<ClinicalDocument>", b""):
        with pytest.raises(XmlError):
            flags(data)
