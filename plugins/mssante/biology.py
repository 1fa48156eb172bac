"""The flags of a biology report (CI-SIS CR-BIO) that the inbox shows on arrival: whether a
document holds biology results, whether any of them is abnormal, whether any is critical, so
that the EHR can say "critical result, act now" without opening the report."""

from __future__ import annotations

from typing import Any

from lxml import etree

from aiguillage.plugin import parse_xml

HL7 = "urn:hl7-org:v3"
LOINC = "2.16.840.1.113883.6.1"
#: LOINC 11502-2 "CR d'examens biologiques": the code of a CR-BIO (CI-SIS volet BIO-CR-BIO).
BIOLOGY_REPORT = "11502-2"
#: A document that declares either template is a biology report even under another code: the
#: CI-SIS CR-BIO model and the IHE PaLM (XD-LAB) laboratory report it builds on.
BIOLOGY_TEMPLATES = frozenset({"1.2.250.1.213.1.1.1.55", "1.3.6.1.4.1.19376.1.3.3"})
#: HL7 v3 ObservationInterpretation, the code system of every interpretationCode of a CR-BIO.
INTERPRETATION_SYSTEM = "2.16.840.1.113883.5.83"

# The CR-BIO binds observation/interpretationCode to JDV_HL7_ObservationInterpretation_CISIS
# (2.16.840.1.113883.1.11.78; schematron CI-SIS_BIO-CR-BIO_2024.01, pattern
# JDV_HL7_ObservationInterpretation-CISIS). Abnormal: the codes HL7 files under
# _ObservationInterpretationNormality other than N (A, AA, H, HH, HU, L, LL, LU) and the
# threshold codes under _ObservationInterpretationExceptions that place a result outside its
# limits (EX, HX, LX). Not abnormal by themselves: "<" and ">" (below the detection limit,
# above the measuring range: a troponin "< 3 ng/L" is a normal result), susceptibility
# (S, I, R…), change against a previous result (B, D, U, W), presence (POS, DET…).
ABNORMAL = frozenset({"A", "AA", "H", "HH", "HU", "L", "LL", "LU", "EX", "HX", "LX"})
# Critical: the three codes the value set labels "alerte" (AA "Très anormal, alerte", HH
# "Très anormalement haut, alerte", LL "Très anormalement bas, alerte"). The CR-BIO defines no
# other marker of a critical result (no entry, section or code for "résultat critique").
CRITICAL = frozenset({"AA", "HH", "LL"})

_Q = f"{{{HL7}}}"


def _is_biology_report(root: etree._Element) -> bool:
    code = root.find(f"{_Q}code")
    if code is not None and code.get("code") == BIOLOGY_REPORT:
        if code.get("codeSystem") in (None, LOINC):
            return True
    return any(t.get("root") in BIOLOGY_TEMPLATES for t in root.iterfind(f"{_Q}templateId"))


def _is_previous_result(observation: etree._Element) -> bool:
    """A result of an earlier date that a CR-BIO quotes beside the current one (an
    ``entryRelationship typeCode="REFR"``): its interpretation is history, not news."""
    return any(
        ancestor.tag == f"{_Q}entryRelationship" and ancestor.get("typeCode") == "REFR"
        for ancestor in observation.iterancestors()
    )


def _finding(observation: etree._Element, interpretation: str) -> dict[str, Any]:
    code = observation.find(f"{_Q}code")
    value = observation.find(f"{_Q}value")
    return {
        "code": code.get("code") if code is not None else None,
        "display": code.get("displayName") if code is not None else None,
        "interpretation": interpretation,
        "value": value.get("value") if value is not None else None,
        "unit": value.get("unit") if value is not None else None,
    }


def flags(cda: bytes) -> dict[str, Any]:
    """``contains_biology`` (the document is a CR-BIO), ``abnormal`` (one of its results has
    an abnormal interpretation), ``critical`` (one has a critical one) and ``findings`` (those
    results: code, display, interpretation, value, unit). A document that is no biology report
    has every flag false. :class:`aiguillage.plugin.XmlError` when ``cda`` is no acceptable
    XML."""
    root = parse_xml(cda)
    result: dict[str, Any] = {
        "contains_biology": False,
        "abnormal": False,
        "critical": False,
        "findings": [],
    }
    if root.tag != f"{_Q}ClinicalDocument" or not _is_biology_report(root):
        return result
    result["contains_biology"] = True
    # Only the results' own interpretations count: referenceRange/observationRange carries an
    # interpretationCode too (N: "this is the normal range"), which says nothing of the result.
    for interpretation in root.iterfind(f".//{_Q}observation/{_Q}interpretationCode"):
        code = interpretation.get("code")
        if code not in ABNORMAL or interpretation.get("codeSystem") not in (
            None,
            INTERPRETATION_SYSTEM,
        ):
            continue
        observation = interpretation.getparent()
        if _is_previous_result(observation):
            continue
        result["abnormal"] = True
        result["critical"] = result["critical"] or code in CRITICAL
        result["findings"].append(_finding(observation, code))
    return result
