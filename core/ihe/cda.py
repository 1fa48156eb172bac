"""CDA R2 documents with the French header (the patient's INS in ``patientRole/id``, author,
custodian, legal authenticator, encounter), as the ANS "structuration minimale" asks: the
header every CDA the daemon builds opens with (:func:`header`), the level 1 document that wraps
a PDF (:func:`level1`, IHE XDS-SD), both valid against the CDA XSD (:func:`cda_schema`) and the
ANS schematrons; and the checks of the patient a CDA written elsewhere is about."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from aiguillage.determinism import new_uuid
from aiguillage.security.practitioner import Practitioner
from aiguillage.shapes import INS_DEFAULT_OID, INS_OIDS, fold_name

from .valuesets import Code, lookup

HL7 = "urn:hl7-org:v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
LOINC = "2.16.840.1.113883.6.1"
RPPS_ROOT = "1.2.250.1.71.4.2.1"  # national ids of health professionals
STRUCTURE_ROOT = "1.2.250.1.71.4.2.2"  # structure ids
#: The birth place (INSEE COG code) of a person whose birth place is unknown, per the INS rules.
UNKNOWN_BIRTH_PLACE = "99999"
SEX_DISPLAY = {"M": "Masculin", "F": "Féminin", "U": "Inconnu"}


def new_oid() -> str:
    """A globally unique OID for a document or a set of documents (UUID-based, ``2.25.…``),
    64 characters at most as XDS requires."""
    return f"2.25.{new_uuid().int}"


@dataclass
class Patient:
    """The patient a document is about: the INS (matricule and OID) and the INS traits, names
    in upper case (as :func:`patient_of` gives them)."""

    ins: str
    ins_oid: str
    birth_name: str
    first_names: list[str]
    sex: str
    birth_date: str  # YYYY-MM-DD
    birth_place: str  # INSEE (COG) code, 99999 when unknown
    used_name: str | None = None


@dataclass
class DocumentInfo:
    """What the header says of the document itself: title, type (J07), ids, version,
    confidentiality (J08), practice setting (J04) and creation time."""

    title: str
    type_code: str  # LOINC, from the J07 value set
    unique_id: str = field(default_factory=new_oid)
    set_id: str = field(default_factory=new_oid)
    version: int = 1
    confidentiality: str = "N"
    practice_setting: str = "AMBULATOIRE"  # J04
    created: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


def ts(moment: dt.datetime) -> str:
    """An HL7 TS with its offset, e.g. 20210401134745+0000."""
    return moment.strftime("%Y%m%d%H%M%S%z") or moment.strftime("%Y%m%d%H%M%S")


def element(
    parent: etree._Element, tag: str, text: str | None = None, **attrs: str | None
) -> etree._Element:
    """A child in the HL7 namespace, with its text; attributes given ``None`` are left out."""
    child = etree.SubElement(
        parent, f"{{{HL7}}}{tag}", {k: v for k, v in attrs.items() if v is not None}
    )
    if text is not None:
        child.text = text
    return child


def _person_name(parent: etree._Element, practitioner: Practitioner) -> None:
    name = element(parent, "name")
    element(name, "given", practitioner.given_name or None)
    element(name, "family", practitioner.family_name or practitioner.national_id)


def _organization(parent: etree._Element, tag: str, practitioner: Practitioner) -> etree._Element:
    organization = element(parent, tag)
    element(organization, "id", root=STRUCTURE_ROOT, extension=practitioner.structure_id)
    element(organization, "name", practitioner.structure_name or practitioner.structure_id)
    return organization


def _coded(parent: etree._Element, tag: str, value: Code, **attrs: str | None) -> etree._Element:
    return element(
        parent, tag, code=value.code, displayName=value.display, codeSystem=value.system, **attrs
    )


def header(
    info: DocumentInfo,
    patient: Patient,
    practitioner: Practitioner,
    templates: tuple[str, ...],
    event: Code,
) -> etree._Element:
    """A ClinicalDocument with the French header, its body still to add: ``templates`` are
    the templateIds of its content model (after the French header's), ``event`` the code of
    its ``documentationOf/serviceEvent``."""
    doc_type = lookup("type", info.type_code)
    confidentiality = lookup("confidentiality", info.confidentiality)
    specialty = lookup(
        "author_specialty", f"G15_{practitioner.profession_code}/{practitioner.specialty_code}"
    )
    setting = lookup("practice_setting", info.practice_setting)
    facility = lookup("facility_type", practitioner.activity_sector)
    now = ts(info.created)

    root = etree.Element(f"{{{HL7}}}ClinicalDocument", nsmap={None: HL7, "xsi": XSI})
    element(root, "realmCode", code="FR")
    element(root, "typeId", root="2.16.840.1.113883.1.3", extension="POCD_HD000040")
    for template in ("2.16.840.1.113883.2.8.2.1", "1.2.250.1.213.1.1.1.1", *templates):
        element(root, "templateId", root=template)
    element(root, "id", root=info.unique_id)
    _coded(root, "code", doc_type, codeSystemName="LOINC" if doc_type.system == LOINC else None)
    element(root, "title", info.title)
    element(root, "effectiveTime", value=now)
    _coded(root, "confidentialityCode", confidentiality)
    element(root, "languageCode", code="fr-FR")
    element(root, "setId", root=info.set_id)
    element(root, "versionNumber", value=str(info.version))

    role = element(element(root, "recordTarget"), "patientRole")
    element(role, "id", root=patient.ins_oid, extension=patient.ins)
    person = element(role, "patient", classCode="PSN")
    name = element(person, "name")
    element(name, "family", patient.birth_name, qualifier="BR")
    element(name, "given", " ".join(patient.first_names))
    element(name, "given", patient.first_names[0], qualifier="BR")
    if patient.used_name:
        element(name, "family", patient.used_name, qualifier="CL")
    element(
        person,
        "administrativeGenderCode",
        code=patient.sex,
        displayName=SEX_DISPLAY[patient.sex],
        codeSystem="2.16.840.1.113883.5.1",
    )
    element(person, "birthTime", value=patient.birth_date.replace("-", ""))
    place = element(element(element(person, "birthplace"), "place"), "addr")
    element(place, "county", patient.birth_place)

    author = element(element(root, "author"), "time", value=now).getparent()
    assigned = element(author, "assignedAuthor")
    element(assigned, "id", root=RPPS_ROOT, extension=practitioner.national_id)
    _coded(assigned, "code", specialty)
    _person_name(element(assigned, "assignedPerson"), practitioner)
    _organization(assigned, "representedOrganization", practitioner)

    custodian = element(element(root, "custodian"), "assignedCustodian")
    _organization(custodian, "representedCustodianOrganization", practitioner)

    authenticator = element(root, "legalAuthenticator")
    element(authenticator, "time", value=now)
    element(authenticator, "signatureCode", code="S")
    entity = element(authenticator, "assignedEntity")
    element(entity, "id", root=RPPS_ROOT, extension=practitioner.national_id)
    _person_name(element(entity, "assignedPerson"), practitioner)

    service = element(element(root, "documentationOf"), "serviceEvent")
    _coded(service, "code", event, codeSystemName="LOINC")
    element(element(service, "effectiveTime"), "low", value=now)
    performer = element(service, "performer", typeCode="PRF")
    performed_by = element(performer, "assignedEntity")
    element(performed_by, "id", root=RPPS_ROOT, extension=practitioner.national_id)
    _person_name(element(performed_by, "assignedPerson"), practitioner)
    represented = _organization(performed_by, "representedOrganization", practitioner)
    _coded(represented, "standardIndustryClassCode", setting, codeSystemName="practiceSettingCode")

    encounter = element(element(root, "componentOf"), "encompassingEncounter")
    element(element(encounter, "effectiveTime"), "low", value=now)
    facility_el = element(element(encounter, "location"), "healthCareFacility")
    element(facility_el, "id", root=STRUCTURE_ROOT, extension=practitioner.structure_id)
    _coded(facility_el, "code", facility)

    return root


def level1(
    pdf_base64: bytes, info: DocumentInfo, patient: Patient, practitioner: Practitioner
) -> bytes:
    """A CDA R2 level 1 document wrapping a PDF given in base64 (IHE XDS-SD), as the EHR sent
    it: the document body is that text, so the PDF is neither decoded nor encoded again (give
    ``base64.b64encode(pdf)`` for a PDF's bytes). :class:`NotBase64` if ``pdf_base64`` is not
    strict base64 (RFC 4648, no line breaks); :class:`UnknownCode` for a code of ``info`` or
    ``practitioner`` that is not in its value set."""
    if not is_base64(pdf_base64):
        raise NotBase64("not valid base64")
    doc_type = lookup("type", info.type_code)
    root = header(info, patient, practitioner, ("1.3.6.1.4.1.19376.1.2.20",), doc_type)
    body = element(element(root, "component"), "nonXMLBody")
    element(body, "text", _BODY_MARK, mediaType="application/pdf", representation="B64")
    # Spliced in as bytes: base64 needs no XML escaping (checked above), and lxml would
    # otherwise copy and scan the whole PDF twice; most of a level 1 CDA is its body. The body
    # is the document's last text, so the last mark is its own, whatever the header holds.
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    head, _, tail = xml.rpartition(_BODY_MARK.encode())
    return b"".join((head, pdf_base64, tail))


class NotBase64(ValueError):
    """What should be base64 is not."""


_BODY_MARK = "PDF-BASE64-GOES-HERE"
_BASE64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def is_base64(text: bytes) -> bool:
    """Strict base64: the alphabet only, a length that is a multiple of 4, and ``=`` only as
    one or two closing characters. One pass in C (``translate``); decoding costs five."""
    rest = text.translate(None, _BASE64_ALPHABET)
    return len(text) % 4 == 0 and rest in (b"", b"=", b"==") and text.endswith(rest)


#: What the ANS minimal structuring asks of a patient identified by an INS (rule
#: SMDS_CDAClinicalDocument): each INS trait, by where it is written.
INS_TRAITS = {
    "birth name (family qualifier BR)": "hl7:name/hl7:family[@qualifier='BR']",
    "first birth first name (given qualifier BR)": "hl7:name/hl7:given[@qualifier='BR']",
    "birth first names (given without qualifier)": "hl7:name/hl7:given[not(@qualifier)]",
    "birth date (birthTime)": "hl7:birthTime/@value",
    "birth place (birthplace/place/addr/county)": "hl7:birthplace/hl7:place/hl7:addr/hl7:county",
    "sex (administrativeGenderCode)": "hl7:administrativeGenderCode/@code",
}
_COG = re.compile("(?:[0-9]{2}|2A|2B)[0-9]{3}")


def ins_trait_problems(person: etree._Element | None) -> list[str]:
    """What is wrong with the INS traits of a CDA's ``recordTarget/patientRole/patient``: each
    one missing or empty, and a birth place that is no INSEE (COG) code."""
    if person is None:
        return [f"lacks the INS trait {trait}" for trait in INS_TRAITS]

    def value(path: str) -> str:
        return person.xpath(f"normalize-space({path})", namespaces={"hl7": HL7})

    problems = [
        f"lacks the INS trait {trait}" for trait, path in INS_TRAITS.items() if not value(path)
    ]
    place = value(INS_TRAITS["birth place (birthplace/place/addr/county)"])
    if place and not _COG.fullmatch(place):
        problems.append(f"birth place {place!r} is no INSEE (COG) code (99999: unknown)")
    return problems


# A birthTime: a date (ASCII digits: [0-9], since \d would take any script's), maybe a time
# and an offset.
_BIRTH_TIME = re.compile(r"([0-9]{8})(?:[0-9]{2}){0,3}(?:[+-][0-9]{4})?")


def record_target_problems(role: etree._Element | None, patient: Patient) -> list[str]:
    """How a CDA's ``recordTarget/patientRole`` differs from ``patient``, the patient of the
    request: its ids under an INS OID must be exactly the patient's INS (one id, this value
    under this OID; other ids, an IPP say, may stand beside it), and each INS trait it writes
    must be the patient's once both are folded (:func:`fold_name`). A missing trait is
    :func:`ins_trait_problems`' to report."""
    if role is None:
        return ["recordTarget/patientRole is missing"]
    wanted = (patient.ins_oid, patient.ins)
    ins_ids = [
        (i.get("root"), i.get("extension") or "")
        for i in role.iterfind(f"{{{HL7}}}id")
        if i.get("root") in INS_OIDS
    ]
    problems = []
    if wanted not in ins_ids:
        roots = [
            i.get("root")
            for i in role.iterfind(f"{{{HL7}}}id")
            if i.get("extension") == patient.ins
        ]
        under = f" (the CDA gives it under {', '.join(roots)})" if roots else ""
        problems.append(
            f"recordTarget/patientRole/id is not the INS {patient.ins} "
            f"under {patient.ins_oid}{under}"
        )
    elif len(ins_ids) > 1:
        problems.append(
            f"recordTarget/patientRole/id holds {len(ins_ids)} INS: a document is about one "
            f"patient, identified by the INS {patient.ins} alone"
        )
    person = role.find(f"{{{HL7}}}patient")
    if person is None:
        return problems
    where = "recordTarget/patientRole/patient"

    def value(path: str) -> str:
        return person.xpath(f"normalize-space({path})", namespaces={"hl7": HL7})

    birth_name = value("hl7:name/hl7:family[@qualifier='BR']") or value("hl7:name/hl7:family")
    first_names = " ".join(
        g.text or ""
        for g in person.xpath("hl7:name/hl7:given[not(@qualifier)]", namespaces={"hl7": HL7})
    )
    wanted_names = fold_name(" ".join(patient.first_names))
    place = value("hl7:birthplace/hl7:place/hl7:addr/hl7:county").upper()
    for trait, written, expected in (
        ("birth name (family qualifier BR)", fold_name(birth_name), fold_name(patient.birth_name)),
        ("birth first names (given)", fold_name(first_names), wanted_names),
        (
            "first birth first name (given qualifier BR)",
            fold_name(value("hl7:name/hl7:given[@qualifier='BR']")),
            wanted_names.partition(" ")[0],
        ),
        (
            "sex (administrativeGenderCode)",
            value("hl7:administrativeGenderCode/@code"),
            patient.sex,
        ),
        (
            "birth place (birthplace/place/addr/county)",
            # One that is no COG code at all is ins_trait_problems' to report, once.
            place if _COG.fullmatch(place) else "",
            patient.birth_place.upper(),
        ),
    ):
        if written and written != expected:
            problems.append(f"{where} {trait} is {written!r}, the patient's is {expected!r}")
    birth_time = value("hl7:birthTime/@value")
    match = _BIRTH_TIME.fullmatch(birth_time)
    expected_date = patient.birth_date.replace("-", "")
    if birth_time and (match is None or match[1] != expected_date):
        problems.append(
            f"{where} birth date (birthTime) is {birth_time!r}, the patient's is {expected_date!r}"
        )
    return problems


def patient_of(data: dict) -> Patient:
    """The patient of a request's ``patient`` object (its INS and its traits, the shape of
    ``PATIENT_SCHEMA``)."""
    ins = data["ins"]
    traits = data["traits"]
    return Patient(
        ins["matricule"],
        ins.get("oid", INS_DEFAULT_OID),
        traits["birth_name"].upper(),
        [n.upper() for n in traits["first_names"]],
        traits["sex"],
        traits["birth_date"],
        # Required since the CDA must carry every INS trait; items an earlier daemon queued
        # without it get the code the INS rules give an unknown birth place.
        traits.get("birth_place", UNKNOWN_BIRTH_PLACE),
    )


@functools.cache
def cda_schema() -> etree.XMLSchema:
    """The CDA R2 schema with the French extensions (ANS TestContenuCDA 3.0, bundled)."""
    path = Path(__file__).parent / "cda_xsd" / "CDA_extended.xsd"
    return etree.XMLSchema(etree.parse(str(path), etree.XMLParser(no_network=True)))
