"""A checker of XDS.b metadata, written for the tests from the specifications and not from the
plugin: the IHE metadata rules (ITI TF-3 §4.2.3, §4.3.1: which slots, classifications and
external identifiers each object type carries, and how associations tie them) and the DMP's
value sets and type → class correspondence, read straight from the ANS files the plugin
bundles (FHIR ValueSets J57/J59/J60/J66, ConceptMap ASS_X16; SVS J02/J04/J08).

``check(request)`` answers a :class:`Report`: how many rules were evaluated, and which failed.
A report that evaluated nothing is itself a failure (:meth:`Report.assert_clean`)."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lxml import etree

#: Where the value set files the plugins share are bundled (``aiguillage.ihe``).
VALUE_SETS = Path(__file__).resolve().parents[3] / "core" / "ihe"
RIM = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"
LCM = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"
SVS = "urn:ihe:iti:svs:2008"

# ITI TF-3 Table 4.2.5-1 (classification schemes and identification schemes).
DOCUMENT_ENTRY = "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1"
SUBMISSION_SET_NODE = "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd"
ENTRY_SCHEMES = {
    "classCode": "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a",
    "confidentialityCode": "urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f",
    "eventCodeList": "urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4",
    "formatCode": "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d",
    "healthcareFacilityTypeCode": "urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1",
    "practiceSettingCode": "urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead",
    "typeCode": "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983",
    "author": "urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d",
}
SET_SCHEMES = {
    "contentTypeCode": "urn:uuid:aa543740-bdda-424e-8c96-df4873be8500",
    "author": "urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d",
}
ENTRY_IDS = {
    "XDSDocumentEntry.patientId": "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427",
    "XDSDocumentEntry.uniqueId": "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab",
}
SET_IDS = {
    "XDSSubmissionSet.patientId": "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446",
    "XDSSubmissionSet.sourceId": "urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832",
    "XDSSubmissionSet.uniqueId": "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8",
}
# Cardinality of each coded attribute of a DocumentEntry: (min, max); None: unbounded. The
# DMP requires an author where IHE says R2.
ENTRY_CARDINALITY = {
    "classCode": (1, 1),
    "confidentialityCode": (1, None),
    "eventCodeList": (0, None),
    "formatCode": (1, 1),
    "healthcareFacilityTypeCode": (1, 1),
    "practiceSettingCode": (1, 1),
    "typeCode": (1, 1),
    "author": (1, None),
}
# Slots a DocumentEntry must carry (IHE R, and the DMP's "requis": service start, hash, size).
ENTRY_SLOTS = (
    "creationTime",
    "languageCode",
    "sourcePatientId",
    "serviceStartTime",
    "hash",
    "size",
)
TIME_SLOTS = ("creationTime", "serviceStartTime", "serviceStopTime")
DTM = re.compile(r"\d{4}(\d{2}){0,5}")
ASSOCIATION = "urn:oasis:names:tc:ebxml-regrep:AssociationType:"
HAS_MEMBER = ASSOCIATION + "HasMember"
SIGNS = "urn:ihe:iti:2007:AssociationType:signs"
RPLC = "urn:ihe:iti:2007:AssociationType:RPLC"
UPDATE_STATUS = "urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus"
# Confidentiality codes the DMP adds to J08 for masking (TRE_A07, 1.2.250.1.213.1.1.4.13).
MASKING = {"MASQUE_PS", "INVISIBLE_PATIENT", "INVISIBLE_REPRESENTANTS_LEGAUX"}


@dataclass
class Report:
    checked: int = 0
    violations: list[str] = field(default_factory=list)

    def rule(self, holds: bool, message: str) -> bool:
        self.checked += 1
        if not holds:
            self.violations.append(message)
        return holds

    def assert_clean(self, at_least: int = 1) -> None:
        assert not self.violations, "\n".join(self.violations)
        assert self.checked >= at_least, f"only {self.checked} rules evaluated"


# --- the value sets, read from the bundled ANS files ------------------------------------------


@cache
def fhir_value_set(file: str) -> dict[str, tuple[str, str]]:
    """code → (system OID, display) of a bundled FHIR ValueSet."""
    systems = tomllib.loads((VALUE_SETS / "terminology" / "systems.toml").read_text())["oid"]
    document = json.loads((VALUE_SETS / "terminology" / file).read_text(encoding="utf-8"))
    return {
        concept["code"]: (systems[include["system"]], concept["display"])
        for include in document["compose"]["include"]
        for concept in include["concept"]
    }


@cache
def svs_value_set(file: str) -> dict[str, tuple[str, str]]:
    root = etree.parse(str(VALUE_SETS / "jdv" / file), etree.XMLParser(no_network=True)).getroot()
    return {
        c.get("code"): (c.get("codeSystem"), c.get("displayName"))
        for c in root.iter(f"{{{SVS}}}Concept")
    }


@cache
def type_to_class() -> dict[str, str]:
    """ASS_X16: DMP document type → class."""
    document = json.loads(
        (
            VALUE_SETS / "terminology" / "ConceptMap-ASS-X16-CorrespondanceType-Classe-DMP.json"
        ).read_text(encoding="utf-8")
    )
    return {
        element["code"]: element["target"][0]["code"]
        for group in document["group"]
        for element in group["element"]
    }


J57 = "ValueSet-JDV-J57-ClassCode-DMP.json"
J59 = "ValueSet-JDV-J59-ContentTypeCode-DMP.json"
J60 = "ValueSet-JDV-J60-FormatCode-DMP.json"
J66 = "ValueSet-JDV-J66-TypeCode-DMP.json"


# --- the checks ---------------------------------------------------------------------------------


def check(request: etree._Element) -> Report:
    """Check an ITI-41 body (``ProvideAndRegisterDocumentSetRequest``) or an ITI-41/ITI-57
    ``SubmitObjectsRequest``."""
    report = Report()
    submit = request if request.tag == f"{{{LCM}}}SubmitObjectsRequest" else None
    if submit is None:
        submit = request.find(f"{{{LCM}}}SubmitObjectsRequest")
    if not report.rule(submit is not None, "no SubmitObjectsRequest"):
        return report
    objects = submit.find(f"{{{RIM}}}RegistryObjectList")
    packages = objects.findall(f"{{{RIM}}}RegistryPackage")
    report.rule(len(packages) == 1, f"{len(packages)} submission sets, not 1")
    set_patient = _submission_set(report, packages[0], objects) if packages else None
    entries = objects.findall(f"{{{RIM}}}ExtrinsicObject")
    for entry in entries:
        _document_entry(report, entry, set_patient)
    _associations(report, objects, packages[0].get("id") if packages else "", entries)
    return report


def _submission_set(report: Report, package, objects) -> str | None:
    set_id = package.get("id")
    report.rule(bool(set_id), "the submission set has no id")
    nodes = [
        c
        for c in objects.iter(f"{{{RIM}}}Classification")
        if c.get("classificationNode") == SUBMISSION_SET_NODE
    ]
    report.rule(
        len(nodes) == 1 and nodes[0].get("classifiedObject") == set_id,
        "the RegistryPackage is not classified as the submission set (exactly once)",
    )
    slots = _slots(package)
    report.rule(
        len(slots.get("submissionTime", [])) == 1
        and bool(DTM.fullmatch(slots["submissionTime"][0])),
        f"submissionTime missing or not a DTM: {slots.get('submissionTime')}",
    )
    content = _coded(report, package, SET_SCHEMES["contentTypeCode"], "contentTypeCode", 1, 1)
    for code in content:
        _in(report, code, fhir_value_set(J59), "SubmissionSet.contentTypeCode (JDV_J59)")
    authors = _classifications(package, SET_SCHEMES["author"])
    report.rule(len(authors) >= 1, "the submission set has no author")
    for author in authors:
        _author(report, author, "SubmissionSet")
    identifiers = _identifiers(report, package, SET_IDS)
    report.rule(bool(_name(package)), "the submission set has no Name (title)")
    return identifiers.get("XDSSubmissionSet.patientId")


def _document_entry(report: Report, entry, set_patient: str | None) -> None:
    entry_id = entry.get("id")
    where = f"DocumentEntry {entry_id}"
    report.rule(entry.get("objectType") == DOCUMENT_ENTRY, f"{where}: not a stable entry")
    report.rule(bool(entry.get("mimeType")), f"{where}: no mimeType")
    if entry.get("lid"):  # a metadata update (ITI-57) carries the whole entry again
        report.rule(entry.get("lid").startswith("urn:uuid:"), f"{where}: lid is not a UUID")
    slots = _slots(entry)
    for name in ENTRY_SLOTS:
        report.rule(len(slots.get(name, [])) == 1, f"{where}: slot {name} missing or repeated")
    for name in TIME_SLOTS:
        for value in slots.get(name, []):
            report.rule(bool(DTM.fullmatch(value)), f"{where}: {name} {value} is not a DTM")
    start, stop = slots.get("serviceStartTime", [""])[0], slots.get("serviceStopTime", [None])[0]
    if stop is not None:
        report.rule(stop >= start[: len(stop)], f"{where}: serviceStopTime before start")
    report.rule(
        bool(re.fullmatch(r"[0-9a-f]{40}", slots.get("hash", [""])[0])),
        f"{where}: hash is not a SHA-1 in hex",
    )
    report.rule(slots.get("size", [""])[0].isdigit(), f"{where}: size is not a number")
    codes = {
        name: _coded(report, entry, ENTRY_SCHEMES[name], f"{where}: {name}", *limits)
        for name, limits in ENTRY_CARDINALITY.items()
        if name != "author"
    }
    for author in _classifications(entry, ENTRY_SCHEMES["author"]):
        _author(report, author, where)
    report.rule(len(_classifications(entry, ENTRY_SCHEMES["author"])) >= 1, f"{where}: no author")
    for code in codes["typeCode"]:
        _in(report, code, fhir_value_set(J66), f"{where}: typeCode (JDV_J66)")
    for code in codes["classCode"]:
        _in(report, code, fhir_value_set(J57), f"{where}: classCode (JDV_J57)")
    for type_, class_ in zip(codes["typeCode"], codes["classCode"], strict=False):
        expected = type_to_class().get(type_[0])
        report.rule(
            class_[0] == expected,
            f"{where}: classCode {class_[0]} for type {type_[0]}, ASS_X16 says {expected}",
        )
    for code in codes["formatCode"]:
        _in(report, code, fhir_value_set(J60), f"{where}: formatCode (JDV_J60)")
    for code in codes["healthcareFacilityTypeCode"]:
        _in(
            report,
            code,
            svs_value_set("JDV_J02_XdsHealthcareFacilityTypeCode_CISIS.xml"),
            f"{where}: healthcareFacilityTypeCode (J02)",
        )
    for code in codes["practiceSettingCode"]:
        _in(
            report,
            code,
            svs_value_set("JDV_J04_XdsPracticeSettingCode_CISIS.xml"),
            f"{where}: practiceSettingCode (J04)",
        )
    for code, system, _ in codes["confidentialityCode"]:
        known = svs_value_set("JDV_J08_XdsConfidentialityCode_CISIS.xml").get(code)
        report.rule(
            (known is not None and known[0] == system) or code in MASKING,
            f"{where}: confidentialityCode {code} ({system}) in neither J08 nor the masking codes",
        )
    identifiers = _identifiers(report, entry, ENTRY_IDS)
    patient = identifiers.get("XDSDocumentEntry.patientId")
    if set_patient is not None:
        report.rule(patient == set_patient, f"{where}: patientId differs from the set's")
    report.rule(
        slots.get("sourcePatientId") == [patient], f"{where}: sourcePatientId is not the patient"
    )
    unique_id = identifiers.get("XDSDocumentEntry.uniqueId") or ""
    report.rule(0 < len(unique_id) <= 64, f"{where}: uniqueId longer than 64 characters")


def _associations(report: Report, objects, set_id: str, entries: list) -> None:
    associations = objects.findall(f"{{{RIM}}}Association")
    for association in associations:
        kind = association.get("associationType")
        where = f"association {association.get('id')} ({kind})"
        report.rule(bool(association.get("id")), f"{where}: no id")
        slots = _slots(association)
        if kind == HAS_MEMBER and association.get("sourceObject") == set_id:
            report.rule(
                slots.get("SubmissionSetStatus") == ["Original"],
                f"{where}: SubmissionSetStatus is not Original",
            )
        elif kind == SIGNS:
            report.rule(
                association.get("targetObject") == set_id, f"{where}: does not sign the set"
            )
        elif kind == RPLC:
            report.rule(
                association.get("targetObject", "").startswith("urn:uuid:"),
                f"{where}: the replaced document is not an entryUUID",
            )
        elif kind == UPDATE_STATUS:
            report.rule(association.get("sourceObject") == set_id, f"{where}: not from the set")
            for name in ("OriginalStatus", "NewStatus"):
                report.rule(len(slots.get(name, [])) == 1, f"{where}: slot {name} missing")
        else:
            report.rule(False, f"{where}: an association the DMP does not take")
    members = {
        a.get("targetObject")
        for a in associations
        if a.get("associationType") == HAS_MEMBER and a.get("sourceObject") == set_id
    }
    for entry in entries:
        report.rule(
            entry.get("id") in members, f"DocumentEntry {entry.get('id')} is not in the set"
        )
        if entry.get("lid"):
            previous = [
                a
                for a in associations
                if a.get("associationType") == HAS_MEMBER
                and a.get("targetObject") == entry.get("id")
            ]
            report.rule(
                any(_slots(a).get("PreviousVersion") for a in previous),
                f"DocumentEntry {entry.get('id')}: an update without PreviousVersion",
            )


# --- pieces -------------------------------------------------------------------------------------


def _slots(element) -> dict[str, list[str]]:
    return {
        s.get("name"): [v.text or "" for v in s.iter(f"{{{RIM}}}Value")]
        for s in element.iterfind(f"{{{RIM}}}Slot")
    }


def _name(element) -> str:
    string = element.find(f"{{{RIM}}}Name/{{{RIM}}}LocalizedString")
    return string.get("value", "") if string is not None else ""


def _classifications(element, scheme: str) -> list:
    return [
        c
        for c in element.iterfind(f"{{{RIM}}}Classification")
        if c.get("classificationScheme") == scheme
    ]


def _coded(
    report: Report, element, scheme: str, label: str, least: int, most: int | None
) -> list[tuple[str, str, str]]:
    """(code, system, display) of each classification of ``scheme``, after the rules every
    coded classification follows."""
    found = _classifications(element, scheme)
    report.rule(
        least <= len(found) and (most is None or len(found) <= most),
        f"{label}: {len(found)} values, expected {least}..{most or 'n'}",
    )
    codes = []
    for c in found:
        systems = _slots(c).get("codingScheme", [])
        report.rule(len(systems) == 1, f"{label}: codingScheme missing or repeated")
        report.rule(bool(c.get("nodeRepresentation")), f"{label}: no nodeRepresentation")
        report.rule(c.get("classifiedObject") == element.get("id"), f"{label}: wrong object")
        report.rule(bool(_name(c)), f"{label}: no display name")
        codes.append((c.get("nodeRepresentation"), systems[0] if systems else "", _name(c)))
    return codes


def _in(report: Report, code: tuple[str, str, str], value_set: dict, label: str) -> None:
    value, system, display = code
    known = value_set.get(value)
    if report.rule(known is not None, f"{label}: {value} is not in the value set"):
        report.rule(known[0] == system, f"{label}: {value} has system {system}, not {known[0]}")
        report.rule(known[1] == display, f"{label}: {value} is named {display!r}, not {known[1]!r}")


def _author(report: Report, author, where: str) -> None:
    report.rule(author.get("nodeRepresentation") == "", f"{where}: author has a node value")
    slots = _slots(author)
    report.rule(
        bool(slots.get("authorPerson") or slots.get("authorInstitution")),
        f"{where}: author names neither a person nor an institution",
    )


def _identifiers(report: Report, element, schemes: dict[str, str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, scheme in schemes.items():
        matching = [
            i
            for i in element.iterfind(f"{{{RIM}}}ExternalIdentifier")
            if i.get("identificationScheme") == scheme
        ]
        if report.rule(len(matching) == 1, f"{element.get('id')}: {name} missing or repeated"):
            identifier = matching[0]
            report.rule(_name(identifier) == name, f"{element.get('id')}: {name} misnamed")
            report.rule(
                identifier.get("registryObject") == element.get("id"),
                f"{element.get('id')}: {name} points at another object",
            )
            found[name] = identifier.get("value", "")
    return found
