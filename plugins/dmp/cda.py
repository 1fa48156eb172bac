"""CDA R2 documents for the DMP. Level 1: a PDF wrapped in a CDA with the French header (the
patient's INS in ``patientRole/id``, author, custodian, legal authenticator, encounter), as
the ANS "structuration minimale" asks; it passes the CDA XSD and the ANS schematrons."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field

from lxml import etree

from aiguillage.plugin import INS_DEFAULT_OID, INS_OIDS, Practitioner, fold_name

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
    return f"2.25.{uuid.uuid4().int}"


@dataclass
class Patient:
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


def _el(
    parent: etree._Element, tag: str, text: str | None = None, **attrs: str | None
) -> etree._Element:
    element = etree.SubElement(
        parent, f"{{{HL7}}}{tag}", {k: v for k, v in attrs.items() if v is not None}
    )
    if text is not None:
        element.text = text
    return element


def _person_name(parent: etree._Element, practitioner: Practitioner) -> None:
    name = _el(parent, "name")
    _el(name, "given", practitioner.given_name or None)
    _el(name, "family", practitioner.family_name or practitioner.national_id)


def _organization(parent: etree._Element, tag: str, practitioner: Practitioner) -> etree._Element:
    organization = _el(parent, tag)
    _el(organization, "id", root=STRUCTURE_ROOT, extension=practitioner.structure_id)
    _el(organization, "name", practitioner.structure_name or practitioner.structure_id)
    return organization


def _coded(parent: etree._Element, tag: str, value: Code, **attrs: str | None) -> etree._Element:
    return _el(
        parent, tag, code=value.code, displayName=value.display, codeSystem=value.system, **attrs
    )


def _document(
    info: DocumentInfo,
    patient: Patient,
    practitioner: Practitioner,
    templates: tuple[str, ...],
    event: Code,
) -> etree._Element:
    """A ClinicalDocument with the French header, its body still to add."""
    doc_type = lookup("type", info.type_code)
    confidentiality = lookup("confidentiality", info.confidentiality)
    specialty = lookup(
        "author_specialty", f"G15_{practitioner.profession_code}/{practitioner.specialty_code}"
    )
    setting = lookup("practice_setting", info.practice_setting)
    facility = lookup("facility_type", practitioner.activity_sector)
    now = ts(info.created)

    root = etree.Element(f"{{{HL7}}}ClinicalDocument", nsmap={None: HL7, "xsi": XSI})
    _el(root, "realmCode", code="FR")
    _el(root, "typeId", root="2.16.840.1.113883.1.3", extension="POCD_HD000040")
    for template in ("2.16.840.1.113883.2.8.2.1", "1.2.250.1.213.1.1.1.1", *templates):
        _el(root, "templateId", root=template)
    _el(root, "id", root=info.unique_id)
    _coded(root, "code", doc_type, codeSystemName="LOINC" if doc_type.system == LOINC else None)
    _el(root, "title", info.title)
    _el(root, "effectiveTime", value=now)
    _coded(root, "confidentialityCode", confidentiality)
    _el(root, "languageCode", code="fr-FR")
    _el(root, "setId", root=info.set_id)
    _el(root, "versionNumber", value=str(info.version))

    role = _el(_el(root, "recordTarget"), "patientRole")
    _el(role, "id", root=patient.ins_oid, extension=patient.ins)
    person = _el(role, "patient", classCode="PSN")
    name = _el(person, "name")
    _el(name, "family", patient.birth_name, qualifier="BR")
    _el(name, "given", " ".join(patient.first_names))
    _el(name, "given", patient.first_names[0], qualifier="BR")
    if patient.used_name:
        _el(name, "family", patient.used_name, qualifier="CL")
    _el(
        person,
        "administrativeGenderCode",
        code=patient.sex,
        displayName=SEX_DISPLAY[patient.sex],
        codeSystem="2.16.840.1.113883.5.1",
    )
    _el(person, "birthTime", value=patient.birth_date.replace("-", ""))
    place = _el(_el(_el(person, "birthplace"), "place"), "addr")
    _el(place, "county", patient.birth_place)

    author = _el(_el(root, "author"), "time", value=now).getparent()
    assigned = _el(author, "assignedAuthor")
    _el(assigned, "id", root=RPPS_ROOT, extension=practitioner.national_id)
    _coded(assigned, "code", specialty)
    _person_name(_el(assigned, "assignedPerson"), practitioner)
    _organization(assigned, "representedOrganization", practitioner)

    custodian = _el(_el(root, "custodian"), "assignedCustodian")
    _organization(custodian, "representedCustodianOrganization", practitioner)

    authenticator = _el(root, "legalAuthenticator")
    _el(authenticator, "time", value=now)
    _el(authenticator, "signatureCode", code="S")
    entity = _el(authenticator, "assignedEntity")
    _el(entity, "id", root=RPPS_ROOT, extension=practitioner.national_id)
    _person_name(_el(entity, "assignedPerson"), practitioner)

    service = _el(_el(root, "documentationOf"), "serviceEvent")
    _coded(service, "code", event, codeSystemName="LOINC")
    _el(_el(service, "effectiveTime"), "low", value=now)
    performer = _el(service, "performer", typeCode="PRF")
    performed_by = _el(performer, "assignedEntity")
    _el(performed_by, "id", root=RPPS_ROOT, extension=practitioner.national_id)
    _person_name(_el(performed_by, "assignedPerson"), practitioner)
    represented = _organization(performed_by, "representedOrganization", practitioner)
    _coded(represented, "standardIndustryClassCode", setting, codeSystemName="practiceSettingCode")

    encounter = _el(_el(root, "componentOf"), "encompassingEncounter")
    _el(_el(encounter, "effectiveTime"), "low", value=now)
    facility_el = _el(_el(encounter, "location"), "healthCareFacility")
    _el(facility_el, "id", root=STRUCTURE_ROOT, extension=practitioner.structure_id)
    _coded(facility_el, "code", facility)

    return root


def level1(
    pdf_base64: bytes, info: DocumentInfo, patient: Patient, practitioner: Practitioner
) -> bytes:
    """A CDA R2 level 1 document wrapping a PDF given in base64 (IHE XDS-SD), as the EHR sent
    it: the document body is that text, so the PDF is neither decoded nor encoded again.
    :class:`NotBase64` if ``pdf_base64`` is not strict base64 (RFC 4648, no line breaks)."""
    if not is_base64(pdf_base64):
        raise NotBase64("not valid base64")
    doc_type = lookup("type", info.type_code)
    root = _document(info, patient, practitioner, ("1.3.6.1.4.1.19376.1.2.20",), doc_type)
    body = _el(_el(root, "component"), "nonXMLBody")
    _el(body, "text", _BODY_MARK, mediaType="application/pdf", representation="B64")
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
    """The patient of a request's ``patient`` object (its INS and its traits)."""
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


@dataclass(frozen=True)
class VsmPart:
    """One kind of item of the VSM's JSON (``key``), written as a captioned table in the text
    of its section; the third column holds the item's ``code`` or, for treatments, its
    ``dosage``."""

    key: str
    caption: str
    columns: tuple[str, str, str]
    third: str = "code"


@dataclass(frozen=True)
class VsmSection:
    """A section of the VSM: its templateId, LOINC code and title, and either the parts its
    text is made of or its sub-sections."""

    template: str
    code: str
    title: str
    parts: tuple[VsmPart, ...] = ()
    subsections: tuple[VsmSection, ...] = ()


#: The VSM 2023.01 body, as its schematron (CI-SIS_VSM_2023.01.sch) and the ANS section models
#: (CI-SIS_Modeles_ANS.sch) require it: three sections, the first holding the two sub-sections
#: "pathologies, antécédents, allergies" (1.2.250.1.213.1.1.2.30) and "facteurs de risque"
#: (…2.31). Their IHE sub-sections (active problems, medications…) would each need coded
#: entries, which the JSON does not carry: the models allow the unstructured form instead, one
#: section text with no sub-section, and that is what is written.
VSM_BODY = (
    VsmSection(
        "1.2.250.1.213.1.1.2.29",
        "46612-8",
        "Pathologies, antécédents, allergies et facteurs de risque",
        subsections=(
            VsmSection(
                "1.2.250.1.213.1.1.2.30",
                "34117-2",
                "Pathologies en cours, antécédents et allergies",
                parts=(
                    VsmPart("problems", "Pathologies en cours", ("Depuis", "Pathologie", "Code")),
                    VsmPart("history", "Antécédents médicaux", ("Date", "Antécédent", "Code")),
                    VsmPart(
                        "allergies",
                        "Allergies et hypersensibilités",
                        ("Depuis", "Allergie", "Code"),
                    ),
                ),
            ),
            VsmSection(
                "1.2.250.1.213.1.1.2.31",
                "57207-3",
                "Facteurs de risque",
                parts=(
                    VsmPart(
                        "risk_factors",
                        "Facteurs de risque",
                        ("Depuis", "Facteur de risque", "Code"),
                    ),
                ),
            ),
        ),
    ),
    VsmSection(
        "1.3.6.1.4.1.19376.1.5.3.1.3.27",
        "30954-2",
        "Résultats",
        parts=(VsmPart("results", "Résultats pertinents", ("Date", "Résultat", "Code")),),
    ),
    VsmSection(
        "1.2.250.1.213.1.1.2.32",
        "18776-5",
        "Traitement au long cours",
        parts=(
            VsmPart("treatments", "Traitements", ("Depuis", "Traitement", "Posologie"), "dosage"),
        ),
    ),
)
VSM_KEYS = tuple(
    part.key
    for section in VSM_BODY
    for leaf in (section.subsections or (section,))
    for part in leaf.parts
)
VSM_EVENT = Code("34117-2", LOINC, "Historique et clinique")
#: The templateId that says a document is a VSM ("Conformité au VSM").
VSM_TEMPLATE = "1.2.250.1.213.1.1.1.13"


def vsm(content: dict, info: DocumentInfo, patient: Patient, practitioner: Practitioner) -> bytes:
    """The VSM (volet de synthèse médicale) in the CI-SIS VSM 2023.01 model: its header and a
    structured body (:data:`VSM_BODY`) whose section texts hold a table per kind of item
    (``content`` keys: :data:`VSM_KEYS`; each item has ``label``, and optionally ``since``,
    ``code`` or ``dosage``). A kind with no item says so."""
    root = _document(info, patient, practitioner, (VSM_TEMPLATE,), VSM_EVENT)
    structured = _el(_el(root, "component"), "structuredBody")
    for section in VSM_BODY:
        _vsm_section(structured, section, content, info.unique_id)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _vsm_section(parent: etree._Element, model: VsmSection, content: dict, document: str) -> None:
    section = _el(_el(parent, "component"), "section")
    _el(section, "templateId", root=model.template)
    # Derived from the document's id, not drawn: a VSM built again from the same payload (an
    # item an earlier daemon queued as JSON, at each try) is the same bytes, so the registry's
    # hash shows it is the document already sent.
    _el(
        section,
        "id",
        root=str(uuid.uuid5(uuid.NAMESPACE_OID, f"{document}/{model.template}")).upper(),
    )
    _el(
        section,
        "code",
        code=model.code,
        codeSystem=LOINC,
        codeSystemName="LOINC",
        displayName=model.title,
    )
    _el(section, "title", model.title)
    if model.parts:
        text = _el(section, "text")
        for part in model.parts:
            _narrative(text, part, content.get(part.key) or [])
    for subsection in model.subsections:
        _vsm_section(section, subsection, content, document)


def _narrative(text: etree._Element, part: VsmPart, items: list[dict]) -> None:
    if not items:
        paragraph = _el(text, "paragraph")
        _el(paragraph, "caption", part.caption)
        paragraph[-1].tail = "Aucune information"
        return
    table = _el(text, "table", border="1")
    _el(table, "caption", part.caption)
    header = _el(_el(table, "thead"), "tr")
    for column in part.columns:
        _el(header, "th", column)
    rows = _el(table, "tbody")
    for item in items:
        row = _el(rows, "tr")
        _el(row, "td", _french_date(item.get("since")))
        _el(row, "td", item["label"])
        _el(row, "td", item.get(part.third) or "")


def _french_date(iso: str | None) -> str:
    if not iso:
        return ""
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"
