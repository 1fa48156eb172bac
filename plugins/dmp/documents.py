"""What a document is queued as: its payload and the CDA that will be sent, built when the EHR
asks (a PDF wrapped in a level 1 CDA, the VSM), or the EHR's own CDA once checked. No HTTP here:
the delivery builds what items an earlier daemon queued with the same functions."""

from __future__ import annotations

import binascii
import datetime as dt
import re
from typing import Any

from aiguillage.plugin import (
    FieldError,
    Practitioner,
    XmlError,
    ihe,
    parse_xml,
)

from .metadata import SIGNATURE_TYPE
from .schemas import UNIQUE_ID
from .vsm import VSM_TEMPLATE, vsm

KIND = "dmp.document"
MAX_PDF_BYTES = 20 * 1024 * 1024


def pdf_base64(text: str, field: str, errors: list[FieldError]) -> bytes:
    """The PDF's base64 as bytes, after the checks that need not read all of it: its size and
    its header. The alphabet is checked as the CDA is built, in the one pass over the text."""
    encoded = text.encode("ascii", errors="replace")
    size = len(encoded) // 4 * 3 - encoded[-2:].count(b"=")
    if size > MAX_PDF_BYTES:
        errors.append(FieldError(field, f"larger than {MAX_PDF_BYTES} bytes"))
    try:
        header = binascii.a2b_base64(encoded[:8], strict_mode=True)
    except binascii.Error:
        errors.append(FieldError(field, "not valid base64"))
    else:
        if not header.startswith(b"%PDF"):
            errors.append(FieldError(field, "is not a PDF (no %PDF header)"))
    return encoded


def vsm_details(title: str | None) -> dict[str, str]:
    return {
        "title": title or "Volet de synthèse médicale",
        "type_code": "SYNTH",
        "format": "vsm",
        "unique_id": ihe.new_oid(),
    }


def check_type(type_code: str, field: str, errors: list[FieldError]) -> None:
    """A document type the DMP takes (JDV_J66) and that ASS_X16 gives a class; not the type
    J66 has for the signature that goes with each submission."""
    if type_code == SIGNATURE_TYPE:
        errors.append(FieldError(field, f"{type_code} is the type of a signature, not a document"))
        return
    try:
        ihe.valuesets.class_of(type_code)
    except ihe.UnknownCode as exc:
        errors.append(FieldError(field, str(exc)))


def queued_payload(
    patient: dict,
    details: dict,
    practitioner: Practitioner,
    content_type: ihe.Code,
    created: dt.datetime,
    confidentiality: str = "N",
    replaces: str | None = None,
) -> dict[str, Any]:
    """What a ``dmp.document`` outbox item carries to be delivered, identically on each try."""
    return {
        "patient": patient,
        "document": details,
        "confidentiality": confidentiality,
        "replaces": replaces,
        "practitioner": vars(practitioner),
        "content_type": content_type.code,
        # Fixed now, so a re-delivery after a crash sends the same identifiers.
        "ids": {
            "document": details["unique_id"],
            "set": ihe.new_oid(),
            "signature": ihe.new_oid(),
            "submission": ihe.new_oid(),
        },
        "created": created.isoformat(),
    }


#: Every document waits in the outbox as the CDA that will be sent (built when it is queued,
#: so each try sends the same bytes and the outbox shows what left).
CDA_ATTACHMENT = ("text/xml", "document.xml")


def queued_cda(
    payload: dict[str, Any],
    practitioner: Practitioner,
    *,
    pdf_base64: bytes | None = None,
    vsm_content: dict[str, Any] | None = None,
) -> bytes:
    """The CDA a document waits in the outbox as, built from its payload (ids, time, patient):
    a level 1 around ``pdf_base64`` (``ihe.NotBase64`` if it is not), or the VSM."""
    document = payload["document"]
    info = ihe.DocumentInfo(
        document["title"],
        document["type_code"],
        unique_id=payload["ids"]["document"],
        set_id=payload["ids"]["set"],
        confidentiality=payload["confidentiality"],
        created=dt.datetime.fromisoformat(payload["created"]),
    )
    patient = ihe.patient_of(payload["patient"])
    if pdf_base64 is not None:
        return ihe.level1(pdf_base64, info, patient, practitioner)
    if vsm_content is None:
        raise TypeError("queued_cda needs pdf_base64 or vsm_content")
    return vsm(vsm_content, info, patient, practitioner)


def cda_details(
    content: bytes, patient: dict[str, Any], errors: list[FieldError]
) -> dict[str, str]:
    """What the metadata needs from an EHR's CDA, after checking it against the CDA XSD and
    that it is about ``patient``, the request's patient object (its INS and traits): one INS,
    this one, and the same INS traits (:func:`record_target_problems`)."""
    field = "/document/cda"
    try:
        root = parse_xml(content)
    except XmlError as exc:
        errors.append(FieldError(field, str(exc)))
        return {}
    schema = ihe.cda_schema()
    if not schema.validate(root):
        error = schema.error_log.last_error
        errors.append(
            FieldError(
                field, f"not valid against the CDA schema, line {error.line}: {error.message}"
            )
        )
        return {}
    q = f"{{{ihe.HL7}}}"
    document_id = root.find(f"{q}id")
    unique_id = document_id.get("root", "") + (
        f"^{document_id.get('extension')}" if document_id.get("extension") else ""
    )
    if not re.fullmatch(UNIQUE_ID["pattern"], unique_id) or len(unique_id) > 64:
        errors.append(
            FieldError(
                field,
                "ClinicalDocument/id must give a uniqueId of at most 64 characters: an OID root, "
                "and an extension of letters, digits, '.', '_' or '-'",
            )
        )
    role = root.find(f"{q}recordTarget/{q}patientRole")
    errors += [
        FieldError(field, problem)
        for problem in ihe.cda.record_target_problems(role, ihe.patient_of(patient))
    ]
    person = root.find(f"{q}recordTarget/{q}patientRole/{q}patient")
    errors += [
        FieldError(field, f"recordTarget/patientRole/patient {problem}")
        for problem in ihe.cda.ins_trait_problems(person)
    ]
    type_code = root.find(f"{q}code").get("code", "")
    check_type(type_code, field, errors)
    body = root.find(f"{q}component/{q}nonXMLBody/{q}text")
    if body is not None and body.get("mediaType") == "application/pdf":
        format_ = "pdf"
    elif root.find(f"{q}templateId[@root='{VSM_TEMPLATE}']") is not None:
        format_ = "vsm"
    else:
        errors.append(FieldError(field, "only level 1 (PDF) documents and the VSM are accepted"))
        format_ = ""
    try:
        times = ihe.xds.service_times(root)
    except ValueError as exc:
        errors.append(FieldError(field, str(exc)))
        times = {}
    return {
        "title": root.findtext(f"{q}title") or "",
        "type_code": type_code,
        "format": format_,
        "unique_id": unique_id,
        **times,
    }
