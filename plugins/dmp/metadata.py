"""XDS.b metadata (ebRIM 3.0 ``SubmitObjectsRequest``) for a DMP submission: the submission
set, the document entry and the detached signature entry that ``signs`` the set, with the
codes of the DMP's value sets (typeCode J66, classCode J57 by ASS_X16, formatCode J60,
contentTypeCode J59) and their displays. Valid against the ebRS 3.0 ``lcm.xsd``."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field

from lxml import etree

from aiguillage.plugin import Practitioner, mtom

from . import xades
from .cda import HL7, Patient, new_oid
from .valuesets import Code, UnknownCode, class_of, lookup, value_set

RIM = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"
LCM = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"
XDS = "urn:ihe:iti:xds-b:2007"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# IHE XDS.b identifiers of the metadata's parts (ITI TF-3 §4.2.5).
STABLE_ENTRY = "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1"
SUBMISSION_SET = "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd"
AUTHOR = {
    "doc": "urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d",
    "set": "urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d",
}
CLASS_CODE = "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a"
TYPE_CODE = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983"
CONFIDENTIALITY = "urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f"
FORMAT_CODE = "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d"
FACILITY_TYPE = "urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1"
PRACTICE_SETTING = "urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead"
EVENT_CODE = "urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4"
CONTENT_TYPE = "urn:uuid:aa543740-bdda-424e-8c96-df4873be8500"
DOC_PATIENT_ID = "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427"
DOC_UNIQUE_ID = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab"
SET_PATIENT_ID = "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446"
SET_SOURCE_ID = "urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832"
SET_UNIQUE_ID = "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8"
HAS_MEMBER = "urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember"
SIGNS = "urn:ihe:iti:2007:AssociationType:signs"
REPLACES = "urn:ihe:iti:2007:AssociationType:RPLC"
PERSON_ROOT, STRUCTURE_ROOT = "1.2.250.1.71.4.2.1", "1.2.250.1.71.4.2.2"

#: The formatCode (J60) of each kind of document the plugin builds.
FORMATS = {
    "pdf": "urn:ihe:iti:xds-sd:pdf:2008",  # a PDF in a CDA level 1 (IHE XDS-SD)
    "vsm": "urn:asip:ci-sis:vsm:2012",  # the VSM (CI-SIS)
}
#: The detached XAdES signature's type (ASTM E1762 "Full Document", J66) and format (J60).
SIGNATURE_TYPE = "E1762"
SIGNATURE_FORMAT = "http://www.w3.org/2000/09/xmldsig#"
#: Its purpose, as an event code: IHE DSG's "Source Signature" (ASTM E1762), no value set.
SIGNATURE_EVENT = Code(xades.PURPOSE_SOURCE, "1.2.840.10065.1.12", "Source")


@dataclass
class DocumentEntry:
    content: bytes
    unique_id: str
    title: str
    type_code: str
    format: str  # "pdf" (level 1) or "vsm"
    created: dt.datetime
    confidentiality: list[str] = field(default_factory=lambda: ["N"])
    practice_setting: str = "AMBULATOIRE"
    mime_type: str = "text/xml"
    #: The CDA's serviceEvent times as XDS DTMs (:func:`dtm_of_ts`): the start defaults to
    #: the creation time; the stop is sent only when the CDA has one.
    service_start: str | None = None
    service_stop: str | None = None


@dataclass
class Submission:
    patient: Patient
    practitioner: Practitioner
    document: DocumentEntry
    signature: bytes
    signature_unique_id: str
    source_id: str  # the LPS's OID
    content_type: Code  # SubmissionSet.contentTypeCode, from J59
    unique_id: str = field(default_factory=new_oid)
    replaces: str | None = None  # entryUUID of the document this one replaces
    submitted: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))


def dtm(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S")


# An HL7 TS (the CDA XSD's pattern, its digits in pairs): a date, or a day with a time of day,
# a fraction of a second (after the seconds only) and an offset from UTC.
_TS = re.compile(
    r"(?P<date>[0-9]{8})(?P<time>[0-9]{2}(?:[0-9]{2}){0,2})(?P<fraction>\.[0-9]+)?"
    r"(?P<offset>[+-][0-9]{4})?"
    r"|(?P<day>[0-9]{4}(?:[0-9]{2}){0,2})"
)


def dtm_of_ts(ts: str) -> str:
    """An XDS DTM (UTC, ``YYYY[MM[DD[hh[mm[ss]]]]]``) from an HL7 TS as a CDA writes it, with
    its precision. A time of day is moved to UTC from its offset, or, without one, from this
    machine's time zone (the EHR's, which runs beside the daemon). :class:`ValueError` if
    ``ts`` is not a TS, or not a moment that exists."""
    match = _TS.fullmatch(ts)
    if match is None or (match["fraction"] and len(match["time"]) < 6):
        raise ValueError(f"{ts!r} is not an HL7 date and time (YYYYMMDD[hhmm[ss]][+hhmm])")
    digits = match["day"] or match["date"] + match["time"]
    values = [int(digits[i : i + 4 if i == 0 else i + 2]) for i in (0, *range(4, len(digits), 2))]
    zone = None  # without an offset, a time is this machine's local time
    if match["offset"]:
        offset = match["offset"]
        hours, minutes = int(offset[1:3]), int(offset[3:])
        if hours > 23 or minutes > 59:
            raise ValueError(f"{ts!r} has no valid offset from UTC")
        zone = dt.timezone(
            (1 if offset[0] == "+" else -1) * dt.timedelta(hours=hours, minutes=minutes)
        )
    try:
        moment = dt.datetime(*values, *[1, 1][len(values) - 1 :], tzinfo=zone)
        if not match["time"]:  # a date: no time of day to move
            return digits
        utc = moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise ValueError(f"{ts!r} is not a moment that exists") from None
    # strftime would not pad a year before 1000.
    return (f"{utc.year:04d}" + utc.strftime("%m%d%H%M%S"))[: len(digits)]


def service_times(document: etree._Element) -> dict[str, str]:
    """``service_start`` and ``service_stop`` (XDS DTMs) of a CDA, from its first service
    event's ``effectiveTime``: ``low`` and ``high``, or its ``value`` for a moment; nothing for
    what the CDA does not say. :class:`ValueError` naming the element that is wrong."""
    q = f"{{{HL7}}}"
    effective = document.find(f"{q}documentationOf/{q}serviceEvent/{q}effectiveTime")
    if effective is None:
        return {}
    path = "documentationOf/serviceEvent/effectiveTime"
    times = {}
    for key, where, element in (
        ("service_start", path, effective if effective.get("value") else None),
        ("service_start", f"{path}/low", effective.find(f"{q}low")),
        ("service_stop", f"{path}/high", effective.find(f"{q}high")),
    ):
        if element is not None and element.get("value") and key not in times:
            try:
                times[key] = dtm_of_ts(element.get("value"))
            except ValueError as exc:
                raise ValueError(f"{where}: {exc}") from None
    start, stop = times.get("service_start"), times.get("service_stop")
    if start and stop and stop < start[: len(stop)]:
        raise ValueError(f"{path}: the service ends ({stop}) before it starts ({start})")
    return times


def content_type_of(configured: str, practitioner: Practitioner) -> Code:
    """The SubmissionSet contentTypeCode (JDV_J59): the practice's configured code, or else
    ``practitioner``'s activity sector (TRE_R02, SA07 for a cabinet individuel), which J59
    lists for every setting but hospitals. :class:`UnknownCode` when neither is in J59."""
    if configured:
        return lookup("dmp_content_type", configured)
    sector = practitioner.activity_sector
    if sector not in value_set("dmp_content_type"):
        raise UnknownCode(
            f"the activity sector {sector} is not a DMP content type (JDV_J59): "
            f"set [dmp] content_type_code (a hospital: its TRE_R209 activity type, e.g. 03)"
        )
    return lookup("dmp_content_type", sector)


def cx(patient: Patient) -> str:
    return f"{patient.ins}^^^&{patient.ins_oid}&ISO^NH"


def xcn(p: Practitioner) -> str:
    return f"{p.national_id}^{p.family_name}^{p.given_name}^^^^^^&{PERSON_ROOT}&ISO^D^^^IDNPS"


def xon(p: Practitioner) -> str:
    return f"{p.structure_name}^^^^^&{STRUCTURE_ROOT}&ISO^IDNST^^^{p.structure_id}"


# An XDS DTM as the registry gives it: UTC, its precision from the year to the second.
_DTM = re.compile(
    r"([0-9]{4})(?:([0-9]{2})(?:([0-9]{2})(?:([0-9]{2})(?:([0-9]{2})(?:([0-9]{2}))?)?)?)?)?"
)


def rfc3339_of_dtm(value: str) -> str | None:
    """An XDS DTM (``20261202003959``) as the API serves every time: RFC 3339 with its offset,
    ``2026-12-02T00:39:59+00:00``. XDS metadata writes DTMs in UTC; the parts a coarser DTM
    leaves out are the start of the period it names (``20261202`` is that day's midnight).
    ``None`` for a value that is no DTM or no moment that exists."""
    match = _DTM.fullmatch(value or "")
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) if g else None for g in match.groups())
    try:
        moment = dt.datetime(
            year, month or 1, day or 1, hour or 0, minute or 0, second or 0, tzinfo=dt.UTC
        )
    except ValueError:
        return None
    # isoformat would not pad a year before 1000; a registry holds none, but the shape stays.
    return f"{moment.year:04d}" + moment.isoformat()[4:]


def _components(value: str) -> list[str]:
    return value.split("^")


def _part(parts: list[str], n: int) -> str | None:
    return (parts[n] if n < len(parts) else "") or None


def _authority(parts: list[str], n: int) -> str | None:
    """The OID of an HD (``&1.2.250.1.71.4.2.1&ISO``): its universal id, the second
    sub-component."""
    hd = (_part(parts, n) or "").split("&")
    return (hd[1] if len(hd) > 1 else "") or None


def person_of_xcn(value: str) -> dict[str, str | None]:
    """The parts of an XCN (``authorPerson``, ``legalAuthenticator``): ``id``, the type of id
    (``IDNPS``: the national practitioner id), the OID of its assigning authority, ``family``,
    ``given`` (the further given names after it)."""
    parts = _components(value)
    given = " ".join(p for p in (_part(parts, 2), _part(parts, 3)) if p)
    return {
        "id": _part(parts, 0),
        "id_type": _part(parts, 12),
        "oid": _authority(parts, 8),
        "family": _part(parts, 1),
        "given": given or None,
    }


def institution_of_xon(value: str) -> dict[str, str | None]:
    """The parts of an XON (``authorInstitution``): ``name``, ``id`` (the 10th component, or
    the 3rd as older XON have it), its type (``IDNST``: the national structure id), the OID
    of its assigning authority."""
    parts = _components(value)
    return {
        "name": _part(parts, 0),
        "id": _part(parts, 9) or _part(parts, 2),
        "id_type": _part(parts, 6),
        "oid": _authority(parts, 5),
    }


def code_of_cwe(value: str) -> dict[str, str | None]:
    """The parts of a coded value (``authorSpecialty``, ``authorRole``: ``code^display^system``,
    the system an OID or an HD)."""
    parts = _components(value)
    system = _part(parts, 2)
    return {
        "code": _part(parts, 0),
        "display": _part(parts, 1),
        "system": _authority(parts, 2) if system and "&" in system else system,
    }


class _Builder:
    def __init__(self) -> None:
        self.counter = 0

    def next_id(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def el(self, parent: etree._Element, tag: str, **attrs: str) -> etree._Element:
        return etree.SubElement(parent, f"{{{RIM}}}{tag}", attrs)

    def slot(self, parent: etree._Element, name: str, *values: str) -> None:
        holder = self.el(self.el(parent, "Slot", name=name), "ValueList")
        for value in values:
            self.el(holder, "Value").text = value

    def text(self, parent: etree._Element, tag: str, value: str) -> None:
        string = self.el(self.el(parent, tag), "LocalizedString", charset="UTF8", value=value)
        string.set(f"{{{XML_NS}}}lang", "FR")

    def classified(self, parent: etree._Element, scheme: str, node: str) -> etree._Element:
        return self.el(
            parent,
            "Classification",
            classificationScheme=scheme,
            classifiedObject=parent.get("id"),
            id=self.next_id("cl"),
            nodeRepresentation=node,
        )

    def classification(self, parent: etree._Element, scheme: str, code: Code) -> None:
        element = self.classified(parent, scheme, code.code)
        self.slot(element, "codingScheme", code.system)
        self.text(element, "Name", code.display)

    def author(self, parent: etree._Element, scheme: str, p: Practitioner) -> None:
        element = self.classified(parent, scheme, "")
        self.slot(element, "authorPerson", xcn(p))
        specialty = lookup("author_specialty", f"G15_{p.profession_code}/{p.specialty_code}")
        self.slot(
            element, "authorSpecialty", f"{specialty.code}^{specialty.display}^{specialty.system}"
        )
        self.slot(element, "authorInstitution", xon(p))

    def identifier(self, parent: etree._Element, scheme: str, value: str, name: str) -> None:
        element = self.el(
            parent,
            "ExternalIdentifier",
            id=self.next_id("ei"),
            identificationScheme=scheme,
            registryObject=parent.get("id"),
            value=value,
        )
        self.text(element, "Name", name)

    def association(
        self,
        parent: etree._Element,
        kind: str,
        source: str,
        target: str,
        status: str | None = "Original",
    ) -> None:
        element = self.el(
            parent,
            "Association",
            associationType=kind,
            id=self.next_id("as"),
            sourceObject=source,
            targetObject=target,
        )
        if status:
            self.slot(element, "SubmissionSetStatus", status)


def _submission_set(
    b: _Builder,
    objects: etree._Element,
    patient: Patient,
    practitioner: Practitioner,
    source_id: str,
    title: str,
    content_type: Code,
    *,
    submitted: dt.datetime | None = None,
    unique_id: str | None = None,
) -> None:
    """The ``SubmissionSet01`` package every submission opens with, a document's (ITI-41) or
    an update's (ITI-57): an update is submitted now, under a new uniqueId."""
    package = b.el(objects, "RegistryPackage", id="SubmissionSet01")
    b.slot(package, "submissionTime", dtm(submitted or dt.datetime.now(dt.UTC)))
    b.text(package, "Name", title)
    b.author(package, AUTHOR["set"], practitioner)
    b.classification(package, CONTENT_TYPE, content_type)
    b.el(
        package,
        "Classification",
        classificationNode=SUBMISSION_SET,
        classifiedObject="SubmissionSet01",
        id=b.next_id("cl"),
    )
    b.identifier(package, SET_PATIENT_ID, cx(patient), "XDSSubmissionSet.patientId")
    b.identifier(package, SET_SOURCE_ID, source_id, "XDSSubmissionSet.sourceId")
    b.identifier(package, SET_UNIQUE_ID, unique_id or new_oid(), "XDSSubmissionSet.uniqueId")


def submit_objects_request(s: Submission) -> etree._Element:
    """The ``lcm:SubmitObjectsRequest`` of one document with its signature."""
    b = _Builder()
    p, doc = s.practitioner, s.document
    request = etree.Element(f"{{{LCM}}}SubmitObjectsRequest", nsmap={"lcm": LCM, "rim": RIM})
    objects = b.el(request, "RegistryObjectList")
    doc_type = lookup("dmp_type", doc.type_code)
    facility = lookup("facility_type", p.activity_sector)
    setting = lookup("practice_setting", doc.practice_setting)

    _submission_set(
        b,
        objects,
        s.patient,
        p,
        s.source_id,
        doc.title,
        s.content_type,
        submitted=s.submitted,
        unique_id=s.unique_id,
    )

    entry = b.el(
        objects, "ExtrinsicObject", id="Document01", mimeType=doc.mime_type, objectType=STABLE_ENTRY
    )
    b.slot(entry, "creationTime", dtm(doc.created))
    b.slot(entry, "hash", hashlib.sha1(doc.content).hexdigest())  # XDS says SHA-1
    b.slot(entry, "languageCode", "fr-FR")
    b.slot(entry, "legalAuthenticator", xcn(p))
    b.slot(entry, "serviceStartTime", doc.service_start or dtm(doc.created))
    if doc.service_stop:
        b.slot(entry, "serviceStopTime", doc.service_stop)
    b.slot(entry, "size", str(len(doc.content)))
    b.slot(entry, "sourcePatientId", cx(s.patient))
    b.slot(
        entry,
        "sourcePatientInfo",
        f"PID-5|{s.patient.birth_name}^{' '.join(s.patient.first_names)}^^^^^L",
        f"PID-7|{s.patient.birth_date.replace('-', '')}",
        f"PID-8|{s.patient.sex}",
    )
    b.text(entry, "Name", doc.title)
    b.author(entry, AUTHOR["doc"], p)
    b.classification(entry, CLASS_CODE, class_of(doc.type_code))
    for code in doc.confidentiality:
        b.classification(entry, CONFIDENTIALITY, lookup("confidentiality", code))
    b.classification(entry, FORMAT_CODE, lookup("dmp_format", FORMATS[doc.format]))
    b.classification(entry, FACILITY_TYPE, facility)
    b.classification(entry, PRACTICE_SETTING, setting)
    b.classification(entry, TYPE_CODE, doc_type)
    b.identifier(entry, DOC_PATIENT_ID, cx(s.patient), "XDSDocumentEntry.patientId")
    b.identifier(entry, DOC_UNIQUE_ID, doc.unique_id, "XDSDocumentEntry.uniqueId")

    signature = b.el(
        objects, "ExtrinsicObject", id="Signature01", mimeType="text/xml", objectType=STABLE_ENTRY
    )
    b.slot(signature, "creationTime", dtm(s.submitted))
    b.slot(signature, "hash", hashlib.sha1(s.signature).hexdigest())
    b.slot(signature, "languageCode", "art")
    b.slot(signature, "legalAuthenticator", xcn(p))
    b.slot(signature, "serviceStartTime", dtm(s.submitted))
    b.slot(signature, "serviceStopTime", dtm(s.submitted))
    b.slot(signature, "size", str(len(s.signature)))
    b.slot(signature, "sourcePatientId", cx(s.patient))
    b.text(signature, "Name", "Source")
    b.author(signature, AUTHOR["doc"], p)
    b.classification(signature, CLASS_CODE, class_of(SIGNATURE_TYPE))
    b.classification(signature, CONFIDENTIALITY, lookup("confidentiality", "N"))
    for code, display in (
        ("MASQUE_PS", "Masqué aux professionnels de santé"),
        ("INVISIBLE_PATIENT", "Non visible par le patient"),
    ):
        b.classification(signature, CONFIDENTIALITY, Code(code, "1.2.250.1.213.1.1.4.13", display))
    b.classification(signature, EVENT_CODE, SIGNATURE_EVENT)
    b.classification(signature, FORMAT_CODE, lookup("dmp_format", SIGNATURE_FORMAT))
    b.classification(signature, FACILITY_TYPE, facility)
    b.classification(signature, PRACTICE_SETTING, setting)
    b.classification(signature, TYPE_CODE, lookup("dmp_type", SIGNATURE_TYPE))
    b.identifier(signature, DOC_PATIENT_ID, cx(s.patient), "XDSDocumentEntry.patientId")
    b.identifier(signature, DOC_UNIQUE_ID, s.signature_unique_id, "XDSDocumentEntry.uniqueId")

    b.association(objects, HAS_MEMBER, "SubmissionSet01", "Document01")
    b.association(objects, HAS_MEMBER, "SubmissionSet01", "Signature01")
    b.association(objects, SIGNS, "Signature01", "SubmissionSet01")
    if s.replaces:
        b.association(objects, REPLACES, "Document01", s.replaces, status=None)
    return request


def provide_and_register(s: Submission, content_ids: tuple[str, str]) -> etree._Element:
    """The ITI-41 body: the metadata, then the two documents as ``xop:Include`` references to
    the MTOM parts ``content_ids`` (document, signature)."""

    body = etree.Element(
        f"{{{XDS}}}ProvideAndRegisterDocumentSetRequest", nsmap={"xds": XDS, "lcm": LCM, "rim": RIM}
    )
    body.append(submit_objects_request(s))
    for object_id, cid in zip(("Document01", "Signature01"), content_ids, strict=True):
        document = etree.SubElement(body, f"{{{XDS}}}Document", id=object_id)
        document.append(mtom.include(cid))
    return body


# --- updates of registered documents (ITI-57) -------------------------------------------------

UPDATE_STATUS = "urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus"
STATUS_URNS = {
    "Approved": "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved",
    "Deprecated": "urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated",
    "Archived": "urn:asip:ci-sis:2010:StatusType:Archived",
    "Deleted": "urn:asip:ci-sis:2010:StatusType:Deleted",
}
MASKING_SYSTEM = "1.2.250.1.213.1.1.4.13"
MASKING_CODES = {
    "MASQUE_PS": "Masqué aux professionnels de santé",
    "INVISIBLE_PATIENT": "Non visible par le patient",
}


def status_update(
    patient: Patient,
    practitioner: Practitioner,
    source_id: str,
    content_type: Code,
    entry_uuid: str,
    original: str,
    new: str,
) -> etree._Element:
    """Move a document from one availability status to another (archive, delete)."""
    b, request, objects = _update_request(
        patient, practitioner, source_id, content_type, f"Statut : {new}"
    )
    association = b.el(
        objects,
        "Association",
        associationType=UPDATE_STATUS,
        id=b.next_id("as"),
        sourceObject="SubmissionSet01",
        targetObject=entry_uuid,
    )
    b.slot(association, "OriginalStatus", STATUS_URNS[original])
    b.slot(association, "NewStatus", STATUS_URNS[new])
    return request


def _update_request(
    patient: Patient, practitioner: Practitioner, source_id: str, content_type: Code, comment: str
) -> tuple[_Builder, etree._Element, etree._Element]:
    """An ITI-57 request with its submission set: the builder, the request and the object
    list to add the update to."""
    b = _Builder()
    request = etree.Element(f"{{{LCM}}}SubmitObjectsRequest", nsmap={"lcm": LCM, "rim": RIM})
    objects = b.el(request, "RegistryObjectList")
    _submission_set(b, objects, patient, practitioner, source_id, comment, content_type)
    return b, request, objects


def masking_update(
    patient: Patient,
    practitioner: Practitioner,
    source_id: str,
    content_type: Code,
    entry: etree._Element,
    add: set[str],
    remove: set[str],
) -> etree._Element:
    """A new version of a document entry's metadata with masking codes added or removed."""
    b, request, objects = _update_request(
        patient, practitioner, source_id, content_type, "Masquage"
    )
    version = etree.fromstring(etree.tostring(entry))
    entry_uuid = version.get("id")
    version.set("lid", entry_uuid)
    version.set("id", "Document01")
    version.attrib.pop("status", None)
    for element in version.iter():
        for attr in ("classifiedObject", "registryObject"):
            if element.get(attr):
                element.set(attr, "Document01")
    for c in list(version.iterfind(f"{{{RIM}}}Classification")):
        if (
            c.get("classificationScheme") == CONFIDENTIALITY
            and c.get("nodeRepresentation") in remove
        ):
            version.remove(c)
    present = {
        c.get("nodeRepresentation")
        for c in version.iterfind(f"{{{RIM}}}Classification")
        if c.get("classificationScheme") == CONFIDENTIALITY
    }
    for code in sorted(add - present):
        b.classification(version, CONFIDENTIALITY, Code(code, MASKING_SYSTEM, MASKING_CODES[code]))
    # Classifications must come before external identifiers in ebRIM.
    for identifier in list(version.iterfind(f"{{{RIM}}}ExternalIdentifier")):
        version.remove(identifier)
        version.append(identifier)
    objects.append(version)
    association = b.el(
        objects,
        "Association",
        associationType=HAS_MEMBER,
        id=b.next_id("as"),
        sourceObject="SubmissionSet01",
        targetObject="Document01",
    )
    b.slot(association, "SubmissionSetStatus", "Original")
    b.slot(
        association,
        "PreviousVersion",
        (
            version.find(f"{{{RIM}}}VersionInfo").get("versionName")
            if version.find(f"{{{RIM}}}VersionInfo") is not None
            else "1"
        ),
    )
    return request
