"""XDS metadata (ebRIM 3.0 ``SubmitObjectsRequest``, IHE ITI TF-3 §4.2 and §4.2.3): the
submission set, document entries and their ``HasMember`` associations, written with the codes
of the French value sets; the XDM ``METADATA.XML`` of a package on media or mail
(:func:`xdm_metadata`); and the reader of document entries back (:func:`read_entries`). What a
registry alone asks (a signature, updates, the ITI-41 wrapper) is its plugin's."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from aiguillage.security.practitioner import Practitioner
from aiguillage.shapes import INS_OIDS

from .cda import HL7, Patient, new_oid
from .hl7v2 import (
    Hl7Error,
    cx,
    dtm,
    dtm_of_ts,
    ins_of_cx,
    source_patient_info,
    traits_of_source_patient_info,
    xcn,
    xon,
)
from .valuesets import Code, UnknownCode, class_of, lookup

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


class MetadataError(ValueError):
    """Metadata that cannot be written or read as it is; the message names the entry and the
    field."""


@dataclass
class DocumentEntry:
    """What an XDS DocumentEntry says of one document, its codes already drawn from their value
    sets (:func:`xdm_entry` draws them from plain codes)."""

    content: bytes
    unique_id: str
    title: str
    type_code: Code
    class_code: Code
    format_code: Code
    created: dt.datetime
    facility_type: Code
    practice_setting: Code
    confidentiality: list[Code]
    mime_type: str = "text/xml"
    #: The CDA's serviceEvent times as XDS DTMs (:func:`service_times`): the start defaults to
    #: the creation time; the stop is written only when given.
    service_start: str | None = None
    service_stop: str | None = None
    #: On media (XDM) only: the file's name in its subset, e.g. ``DOC0001.XML``.
    uri: str | None = None
    events: list[Code] = field(default_factory=list)
    language: str = "fr-FR"


class Builder:
    """Writes ebRIM objects, numbering the ids of classifications, identifiers and
    associations within one request."""

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


def submit_objects_request() -> tuple[Builder, etree._Element, etree._Element]:
    """An empty ``lcm:SubmitObjectsRequest``: its builder, the request and the
    ``RegistryObjectList`` to add objects to."""
    request = etree.Element(f"{{{LCM}}}SubmitObjectsRequest", nsmap={"lcm": LCM, "rim": RIM})
    b = Builder()
    return b, request, b.el(request, "RegistryObjectList")


def submission_set(
    b: Builder,
    objects: etree._Element,
    patient: Patient,
    practitioner: Practitioner,
    source_id: str,
    title: str,
    content_type: Code,
    *,
    submitted: dt.datetime | None = None,
    unique_id: str | None = None,
    recipients: Sequence[str] = (),
) -> None:
    """The ``SubmissionSet01`` package a request opens with: submitted now unless
    ``submitted``, under a new uniqueId unless ``unique_id``; ``recipients`` (e-mail addresses)
    as ``intendedRecipient`` XTNs, as XDM on mail writes them."""
    package = b.el(objects, "RegistryPackage", id="SubmissionSet01")
    if recipients:
        b.slot(package, "intendedRecipient", *(f"||^^Internet^{r}" for r in recipients))
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


def document_entry(
    b: Builder,
    objects: etree._Element,
    entry_id: str,
    doc: DocumentEntry,
    patient: Patient,
    practitioner: Practitioner,
    *,
    patient_id_in_info: bool = True,
) -> etree._Element:
    """The ``ExtrinsicObject`` of a stable document entry, id ``entry_id``: its hash (SHA-1, as
    XDS says) and size, the patient (``sourcePatientInfo`` with PID-3 unless
    ``patient_id_in_info`` is false), the practitioner as author and legal authenticator, its
    codes; the ``URI`` slot when ``doc.uri`` is set (XDM)."""
    entry = b.el(
        objects, "ExtrinsicObject", id=entry_id, mimeType=doc.mime_type, objectType=STABLE_ENTRY
    )
    b.slot(entry, "creationTime", dtm(doc.created))
    b.slot(entry, "hash", hashlib.sha1(doc.content).hexdigest())  # XDS says SHA-1
    b.slot(entry, "languageCode", doc.language)
    b.slot(entry, "legalAuthenticator", xcn(practitioner))
    b.slot(entry, "serviceStartTime", doc.service_start or dtm(doc.created))
    if doc.service_stop:
        b.slot(entry, "serviceStopTime", doc.service_stop)
    b.slot(entry, "size", str(len(doc.content)))
    b.slot(entry, "sourcePatientId", cx(patient))
    b.slot(entry, "sourcePatientInfo", *source_patient_info(patient, with_id=patient_id_in_info))
    if doc.uri is not None:
        b.slot(entry, "URI", doc.uri)
    b.text(entry, "Name", doc.title)
    b.author(entry, AUTHOR["doc"], practitioner)
    b.classification(entry, CLASS_CODE, doc.class_code)
    for code in doc.confidentiality:
        b.classification(entry, CONFIDENTIALITY, code)
    for code in doc.events:
        b.classification(entry, EVENT_CODE, code)
    b.classification(entry, FORMAT_CODE, doc.format_code)
    b.classification(entry, FACILITY_TYPE, doc.facility_type)
    b.classification(entry, PRACTICE_SETTING, doc.practice_setting)
    b.classification(entry, TYPE_CODE, doc.type_code)
    b.identifier(entry, DOC_PATIENT_ID, cx(patient), "XDSDocumentEntry.patientId")
    b.identifier(entry, DOC_UNIQUE_ID, doc.unique_id, "XDSDocumentEntry.uniqueId")
    return entry


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


# --- XDM: the metadata of a package on media or mail (ITI TF-3 §4.2.3, ITI-32) ---------------


def xdm_entry(
    content: bytes,
    *,
    uri: str,
    title: str,
    type_code: str,
    format_code: str,
    practitioner: Practitioner,
    created: dt.datetime,
    unique_id: str | None = None,
    mime_type: str = "text/xml",
    class_code: str | None = None,
    confidentiality: str = "N",
    practice_setting: str = "AMBULATOIRE",
    service_start: str | None = None,
    service_stop: str | None = None,
) -> DocumentEntry:
    """A document entry of an XDM package from plain codes: ``type_code`` from the CI-SIS set
    J07, its class (J57) from the type by ASS_X16 unless ``class_code``, ``format_code`` from
    J60 (``urn:ihe:iti:xds-sd:pdf:2008`` for a level 1 CDA, ``urn:ihe:lab:xd-lab:2008`` for a
    CR-BIO…), confidentiality (J08), practice setting (J04) and facility (J02, the
    practitioner's activity sector). :class:`UnknownCode` naming the code not found."""
    if class_code is not None:
        klass = lookup("dmp_class", class_code)
    else:
        try:
            klass = class_of(type_code)
        except UnknownCode:
            raise UnknownCode(
                f"no class (J57) is known for document type {type_code!r}: give its class code"
            ) from None
    return DocumentEntry(
        content=content,
        unique_id=unique_id or new_oid(),
        title=title,
        type_code=lookup("type", type_code),
        class_code=klass,
        format_code=lookup("dmp_format", format_code),
        created=created,
        facility_type=lookup("facility_type", practitioner.activity_sector),
        practice_setting=lookup("practice_setting", practice_setting),
        confidentiality=[lookup("confidentiality", confidentiality)],
        mime_type=mime_type,
        service_start=service_start,
        service_stop=service_stop,
        uri=uri,
    )


def xdm_metadata(
    entries: Sequence[DocumentEntry],
    patient: Patient,
    practitioner: Practitioner,
    *,
    source_id: str,
    content_type: Code,
    title: str,
    submitted: dt.datetime,
    unique_id: str,
    recipients: Sequence[str] = (),
) -> bytes:
    """The ``METADATA.XML`` of an XDM subset (UTF-8, with its declaration): an
    ``lcm:SubmitObjectsRequest`` holding the submission set (``source_id``: the software's OID;
    ``content_type``: J59; ``recipients``: the mail addresses it goes to), one document entry
    per file of ``entries`` (``Document01``…, each with its ``URI``, ``hash``, ``size`` and the
    patient's ``sourcePatientInfo``) and a ``HasMember`` association for each. Every entry is
    about ``patient``, as XDM wants one patient per submission set. :class:`MetadataError` for
    no entry, an entry without URI or two with the same."""
    if not entries:
        raise MetadataError("an XDM submission set holds at least one document")
    seen: set[str] = set()
    for n, doc in enumerate(entries, 1):
        if not doc.uri:
            raise MetadataError(f"document entry {n} has no URI (its file name in the subset)")
        if doc.uri.upper() in seen:
            raise MetadataError(f"document entry {n}: URI {doc.uri} is another entry's")
        seen.add(doc.uri.upper())
    b, request, objects = submit_objects_request()
    submission_set(
        b,
        objects,
        patient,
        practitioner,
        source_id,
        title,
        content_type,
        submitted=submitted,
        unique_id=unique_id,
        recipients=recipients,
    )
    ids = [f"Document{n:02d}" for n in range(1, len(entries) + 1)]
    for entry_id, doc in zip(ids, entries, strict=True):
        document_entry(b, objects, entry_id, doc, patient, practitioner)
    for entry_id in ids:
        b.association(objects, HAS_MEMBER, "SubmissionSet01", entry_id)
    return etree.tostring(request, xml_declaration=True, encoding="UTF-8")


# --- reading entries back (a registry's answer, an XDM package's METADATA.XML) ----------------


@dataclass
class Entry:
    """A document entry as metadata gives it: the values read, and every slot as written."""

    entry_uuid: str
    unique_id: str
    title: str
    type_code: str
    status: str  # Approved, Deprecated… (the last part of the status URN); "" when none
    creation_time: str  # an XDS DTM, as written
    author: str  # the first author's XCN
    confidentiality: list[str]
    repository_id: str
    mime_type: str
    patient_id: str = ""  # INS^^^&OID&ISO^NH
    class_code: str = ""
    format_code: str = ""
    uri: str = ""
    hash: str = ""
    size: int | None = None
    source_patient_id: str = ""
    #: The slots of the entry's first author (authorPerson, authorInstitution, authorRole,
    #: authorSpecialty…), as written.
    author_slots: dict[str, list[str]] = field(default_factory=dict)
    slots: dict[str, list[str]] = field(default_factory=dict)
    element: etree._Element | None = field(default=None, repr=False)

    def patient(self) -> dict:
        """The patient of ``sourcePatientInfo``: ``{"traits": {birth_name, first_names,
        birth_date YYYY-MM-DD, sex}, "ins": {matricule, oid} | None}`` (the INS from PID-3 under
        an INS OID, else from ``sourcePatientId`` when it is one). :class:`MetadataError`
        naming the field that cannot be read."""
        try:
            identity = traits_of_source_patient_info(self.slots.get("sourcePatientInfo", []))
            if identity["ins"] is None and self.source_patient_id:
                candidate = ins_of_cx(self.source_patient_id)
                identity["ins"] = candidate if candidate["oid"] in INS_OIDS else None
        except Hl7Error as exc:
            raise MetadataError(f"document entry {self.entry_uuid}: {exc}") from None
        return identity


def _slot_values(parent: etree._Element) -> dict[str, list[str]]:
    return {
        slot.get("name"): [v.text or "" for v in slot.iter(f"{{{RIM}}}Value")]
        for slot in parent.iterfind(f"{{{RIM}}}Slot")
    }


def _uri(values: list[str]) -> str:
    """The ``URI`` slot: one value, or, for a long one, values ``n|part`` to join in order."""
    if len(values) <= 1:
        return values[0] if values else ""
    parts = []
    for value in values:
        n, bar, part = value.partition("|")
        if not bar or not n.isdigit():
            return values[0]
        parts.append((int(n), part))
    return "".join(part for _, part in sorted(parts))


def read_entry(element: etree._Element) -> Entry:
    """A document entry of an ``rim:ExtrinsicObject``. :class:`MetadataError` for a ``size``
    that is no number of bytes."""
    slots = _slot_values(element)
    classifications: dict[str, list[str]] = {}
    for c in element.iterfind(f"{{{RIM}}}Classification"):
        classifications.setdefault(c.get("classificationScheme"), []).append(
            c.get("nodeRepresentation") or ""
        )
    identifiers = {
        i.get("identificationScheme"): i.get("value")
        for i in element.iterfind(f"{{{RIM}}}ExternalIdentifier")
    }
    name = element.find(f"{{{RIM}}}Name/{{{RIM}}}LocalizedString")
    author_slots = next(
        (
            _slot_values(c)
            for c in element.iterfind(f"{{{RIM}}}Classification")
            if c.find(f"{{{RIM}}}Slot[@name='authorPerson']") is not None
        ),
        {},
    )

    def first(values: list[str] | None) -> str:
        return (values or [""])[0]

    size_text = first(slots.get("size")).strip()
    if size_text and not (size_text.isascii() and size_text.isdigit()):
        raise MetadataError(
            f"document entry {element.get('id')}: size {size_text!r} is not a number of bytes"
        )
    return Entry(
        entry_uuid=element.get("id"),
        unique_id=identifiers.get(DOC_UNIQUE_ID, ""),
        title=name.get("value") if name is not None else "",
        type_code=first(classifications.get(TYPE_CODE)),
        status=(element.get("status") or "").rsplit(":", 1)[-1],
        creation_time=first(slots.get("creationTime")),
        author=first(author_slots.get("authorPerson")),
        confidentiality=classifications.get(CONFIDENTIALITY, []),
        repository_id=first(slots.get("repositoryUniqueId")),
        mime_type=element.get("mimeType", ""),
        patient_id=identifiers.get(DOC_PATIENT_ID, ""),
        class_code=first(classifications.get(CLASS_CODE)),
        format_code=first(classifications.get(FORMAT_CODE)),
        uri=_uri(slots.get("URI", [])),
        hash=first(slots.get("hash")).lower(),
        size=int(size_text) if size_text else None,
        source_patient_id=first(slots.get("sourcePatientId")),
        author_slots=author_slots,
        slots=slots,
        element=element,
    )


def read_entries(root: etree._Element) -> list[Entry]:
    """The document entries of ``root``: itself when it is an ``rim:ExtrinsicObject``, else every
    one it holds (a ``SubmitObjectsRequest``, a registry's answer), in document order."""
    if root.tag == f"{{{RIM}}}ExtrinsicObject":
        return [read_entry(root)]
    return [read_entry(e) for e in root.iter(f"{{{RIM}}}ExtrinsicObject")]
