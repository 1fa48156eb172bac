"""XDS.b metadata (ebRIM 3.0 ``SubmitObjectsRequest``) for a DMP submission: the submission
set and the document entry (shared builders, ``ihe.xds``) and the detached signature entry
that ``signs`` the set, with the codes of the DMP's value sets (typeCode J66, classCode J57 by
ASS_X16, formatCode J60, contentTypeCode J59) and their displays; the ITI-41 wrapper and the
ITI-57 updates (status, masking). Valid against the ebRS 3.0 ``lcm.xsd``."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from lxml import etree

from aiguillage.plugin import Practitioner, ihe, mtom, utc_now

from . import xades

xds, hl7v2 = ihe.xds, ihe.hl7v2
Code, UnknownCode, Patient = ihe.Code, ihe.UnknownCode, ihe.Patient
lookup, new_oid = ihe.lookup, ihe.new_oid
#: The namespaces the rest of the plugin writes requests in.
LCM, RIM, XDS = xds.LCM, xds.RIM, xds.XDS
SIGNS = "urn:ihe:iti:2007:AssociationType:signs"
REPLACES = "urn:ihe:iti:2007:AssociationType:RPLC"

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
    #: The CDA's serviceEvent times as XDS DTMs (``ihe.hl7v2.dtm_of_ts``): the start defaults to
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
    submitted: dt.datetime = field(default_factory=utc_now)


def content_type_of(configured: str, practitioner: Practitioner) -> Code:
    """The SubmissionSet contentTypeCode (JDV_J59): the practice's configured code, or else
    ``practitioner``'s activity sector (TRE_R02, SA07 for a cabinet individuel), which J59
    lists for every setting but hospitals. :class:`UnknownCode` when neither is in J59."""
    if configured:
        return lookup("dmp_content_type", configured)
    sector = practitioner.activity_sector
    if sector not in ihe.valuesets.value_set("dmp_content_type"):
        raise UnknownCode(
            f"the activity sector {sector} is not a DMP content type (JDV_J59): "
            f"set [dmp] content_type_code (a hospital: its TRE_R209 activity type, e.g. 03)"
        )
    return lookup("dmp_content_type", sector)


def submit_objects_request(s: Submission) -> etree._Element:
    """The ``lcm:SubmitObjectsRequest`` of one document with its signature."""
    b, request, objects = xds.submit_objects_request()
    p, doc = s.practitioner, s.document
    doc_type = lookup("dmp_type", doc.type_code)
    facility = lookup("facility_type", p.activity_sector)
    setting = lookup("practice_setting", doc.practice_setting)

    xds.submission_set(
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
    entry = xds.DocumentEntry(
        content=doc.content,
        unique_id=doc.unique_id,
        title=doc.title,
        type_code=doc_type,
        class_code=ihe.valuesets.class_of(doc.type_code),
        format_code=lookup("dmp_format", FORMATS[doc.format]),
        created=doc.created,
        facility_type=facility,
        practice_setting=setting,
        confidentiality=[lookup("confidentiality", code) for code in doc.confidentiality],
        mime_type=doc.mime_type,
        service_start=doc.service_start,
        service_stop=doc.service_stop,
    )
    # The DMP's sourcePatientInfo has no PID-3: the patient id is sourcePatientId's.
    xds.document_entry(b, objects, "Document01", entry, s.patient, p, patient_id_in_info=False)

    signature = b.el(
        objects,
        "ExtrinsicObject",
        id="Signature01",
        mimeType="text/xml",
        objectType=xds.STABLE_ENTRY,
    )
    b.slot(signature, "creationTime", hl7v2.dtm(s.submitted))
    b.slot(signature, "hash", hashlib.sha1(s.signature).hexdigest())
    b.slot(signature, "languageCode", "art")
    b.slot(signature, "legalAuthenticator", hl7v2.xcn(p))
    b.slot(signature, "serviceStartTime", hl7v2.dtm(s.submitted))
    b.slot(signature, "serviceStopTime", hl7v2.dtm(s.submitted))
    b.slot(signature, "size", str(len(s.signature)))
    b.slot(signature, "sourcePatientId", hl7v2.cx(s.patient))
    b.text(signature, "Name", "Source")
    b.author(signature, xds.AUTHOR["doc"], p)
    b.classification(signature, xds.CLASS_CODE, ihe.valuesets.class_of(SIGNATURE_TYPE))
    b.classification(signature, xds.CONFIDENTIALITY, lookup("confidentiality", "N"))
    for code, display in (
        ("MASQUE_PS", "Masqué aux professionnels de santé"),
        ("INVISIBLE_PATIENT", "Non visible par le patient"),
    ):
        b.classification(
            signature, xds.CONFIDENTIALITY, Code(code, "1.2.250.1.213.1.1.4.13", display)
        )
    b.classification(signature, xds.EVENT_CODE, SIGNATURE_EVENT)
    b.classification(signature, xds.FORMAT_CODE, lookup("dmp_format", SIGNATURE_FORMAT))
    b.classification(signature, xds.FACILITY_TYPE, facility)
    b.classification(signature, xds.PRACTICE_SETTING, setting)
    b.classification(signature, xds.TYPE_CODE, lookup("dmp_type", SIGNATURE_TYPE))
    b.identifier(signature, xds.DOC_PATIENT_ID, hl7v2.cx(s.patient), "XDSDocumentEntry.patientId")
    b.identifier(signature, xds.DOC_UNIQUE_ID, s.signature_unique_id, "XDSDocumentEntry.uniqueId")

    b.association(objects, xds.HAS_MEMBER, "SubmissionSet01", "Document01")
    b.association(objects, xds.HAS_MEMBER, "SubmissionSet01", "Signature01")
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
) -> tuple[xds.Builder, etree._Element, etree._Element]:
    """An ITI-57 request with its submission set: the builder, the request and the object
    list to add the update to."""
    b, request, objects = xds.submit_objects_request()
    xds.submission_set(b, objects, patient, practitioner, source_id, comment, content_type)
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
            c.get("classificationScheme") == xds.CONFIDENTIALITY
            and c.get("nodeRepresentation") in remove
        ):
            version.remove(c)
    present = {
        c.get("nodeRepresentation")
        for c in version.iterfind(f"{{{RIM}}}Classification")
        if c.get("classificationScheme") == xds.CONFIDENTIALITY
    }
    for code in sorted(add - present):
        b.classification(
            version, xds.CONFIDENTIALITY, Code(code, MASKING_SYSTEM, MASKING_CODES[code])
        )
    # Classifications must come before external identifiers in ebRIM.
    for identifier in list(version.iterfind(f"{{{RIM}}}ExternalIdentifier")):
        version.remove(identifier)
        version.append(identifier)
    objects.append(version)
    association = b.el(
        objects,
        "Association",
        associationType=xds.HAS_MEMBER,
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
