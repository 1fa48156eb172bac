"""MSSanté messages as MIME (RFC 5322, 2045-2049, 2231): the message the plugin sends, built
the way the ANS "Référentiel socle MSSanté #2 — clients de messageries" asks (one patient per
message, an ``IHE_XDM.ZIP`` beside the PDF rendering, the subject ``XDM/1.0/DDM+<libellé>
<NOM> <prénom> <date de naissance>``, the ``X-MSS-*`` headers of ECO.2.4), and a received
message taken apart: headers, body, attachments, the package's patient and documents with
their biology flags, the receipt it asks for, the notification it is."""

from __future__ import annotations

import base64
import datetime as dt
import email
import email.parser
import email.utils
import hashlib
import re
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage, Message, MIMEPart
from typing import Any

from lxml import etree

from aiguillage.plugin import INS_OIDS, Practitioner, XmlError, fold_name, ihe, parse_xml

from . import xdm
from .mdn import Mdn, MdnError, is_mdn, parse_mdn

#: The subject of a message carrying health documents starts so (ECO.2.1.3).
SUBJECT_PREFIX = "XDM/1.0/DDM+"
XDM_ATTACHMENT = "IHE_XDM.ZIP"
#: Patients' mailboxes (Mon Espace Santé): ``<matricule INS>@patient.mssante.fr``.
PATIENT_DOMAIN = "patient.mssante.fr"
#: The submission set's sourceId when the caller gives none: the software's OID.
DEFAULT_SOURCE_ID = "1.2.250.1.999.1"
#: What a CDA's templateIds say of its XDS formatCode (J60), for a CDA the caller gave without
#: one: the CR-BIO (CI-SIS, IHE PaLM), the VSM, the IPS-FR.
FORMAT_OF_TEMPLATE = {
    "1.2.250.1.213.1.1.1.55": "urn:ihe:lab:xd-lab:2008",
    "1.3.6.1.4.1.19376.1.3.3": "urn:ihe:lab:xd-lab:2008",
    "1.2.250.1.213.1.1.1.13": "urn:asip:ci-sis:vsm:2012",
    "1.2.250.1.213.1.1.1.51": "urn:ihe:pcc:ips:2020",
}
#: The formatCode of a level 1 CDA (IHE XDS-SD) by the media type of its body.
LEVEL1_FORMATS = {
    "application/pdf": "urn:ihe:iti:xds-sd:pdf:2008",
    "text/plain": "urn:ihe:iti:xds-sd:text:2008",
    "image/jpeg": "urn:ihe:iti-fr:xds-sd:jpeg:2010",
    "image/tiff": "urn:ihe:iti-fr:xds-sd:tiff:2010",
    "text/rtf": "urn:ihe:iti-fr:xds-sd:rtf:2010",
}
#: The CI-SIS section holding a PDF copy of a structured document (FR-Document-PDF-copie).
PDF_COPY_SECTION = "1.2.250.1.213.1.1.2.243"
CDA_TYPES = ("text/xml", "application/xml")
#: Messages with more ``multipart/`` parts than this are read for their header only.
MAX_MULTIPARTS = 64

_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_MESSAGE_ID = re.compile(r"<[!-;=?-~]+@[!-;=?-~]+>")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LIGATURES = str.maketrans({"Œ": "OE", "œ": "oe", "Æ": "AE", "æ": "ae", "ß": "ss", "’": "'"})
_Q = f"{{{ihe.HL7}}}"


class MessageError(ValueError):
    """What a message is built from is not acceptable; the message names the field."""


@dataclass
class OutgoingDocument:
    """One document of a message: a PDF, or a CDA (``text/xml``)."""

    title: str
    type_code: str  # LOINC, from J07
    media_type: str  # "application/pdf" or "text/xml" (a CDA)
    content: bytes
    #: The XDS formatCode (J60) of a CDA; found from its templates when left out.
    format_code: str | None = None
    #: The PDF rendering of a CDA, attached beside the package (ECO.2.1.5); by default the
    #: PDF the CDA carries, if any.
    rendering: bytes | None = None


@dataclass
class Outgoing:
    message_id: str  # "<…@…>", fixed at enqueue time
    sender: str
    to: list[str]
    cc: list[str]
    patient: ihe.Patient  # one patient per message
    subject_label: str
    body_text: str | None
    body_html: str | None
    documents: list[OutgoingDocument]
    request_receipt: bool
    date: dt.datetime  # aware, fixed at enqueue time too (the same bytes on a retry)
    #: ``X-MSS-NIL``: the product reference the software got when declared to the ANS
    #: (ECO.2.4.3); the header is left out while none is configured.
    software_reference: str | None = None
    #: ``X-MSS-MES: FIN`` on a message to a patient's mailbox: the patient cannot answer it
    #: (ECO.2.2.8).
    block_patient_reply: bool = False
    source_id: str = DEFAULT_SOURCE_ID  # the submission set's sourceId (the software's OID)
    content_type_code: str | None = None  # J59; the practitioner's activity sector by default


@dataclass
class Attachment:
    filename: str
    media_type: str
    content: bytes


@dataclass
class Received:
    message_id: str | None
    sender: str | None
    to: list[str]
    cc: list[str]
    subject: str
    date: dt.datetime | None
    headers: list[tuple[str, str]]
    body_text: str | None
    body_html: str | None
    attachments: list[Attachment]
    package: xdm.Package | None
    package_error: str | None  # "unreadable package: <reason>"
    receipt_to: str | None  # Disposition-Notification-To
    report: Mdn | None  # set when this message is an MDN
    #: ``X-MSS-CODECDA``: the codes of the package's CDA documents, as the sender announced.
    cda_codes: list[str] = field(default_factory=list)


# --- building -----------------------------------------------------------------------------


def _oid(seed: str, what: str) -> str:
    """An OID (``2.25.<UUID>``) derived from the message: the same message, the same ids."""
    return f"2.25.{uuid.uuid5(uuid.NAMESPACE_OID, f'{seed}/{what}').int}"


def _address(value: Any, field_name: str) -> str:
    if not isinstance(value, str) or not _ADDRESS.fullmatch(value):
        raise MessageError(f"{field_name}: {value!r} is not a mail address (local@domain)")
    return value


def _line(value: Any, field_name: str, limit: int = 200) -> str:
    if not isinstance(value, str) or _CONTROL.search(value) or len(value) > limit:
        raise MessageError(f"{field_name}: must be text of {limit} characters at most, one line")
    return value


def ascii_text(text: str) -> str:
    """``text`` without diacritics (``Résultats`` → ``Resultats``), ligatures spelt out, case
    kept; what has no ASCII form is dropped."""
    text = text.translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    return decomposed.encode("ascii", "ignore").decode()


def xdm_subject(label: str, patient: ihe.Patient) -> str:
    """``XDM/1.0/DDM+<libellé> <NOM> <prénom> <date de naissance>`` (ECO.2.1.3): the birth
    name and the first first name as the INS writes them, the birth date ``JJ/MM/AAAA`` as in
    the ANS guide's examples (``… CORSE FIGATELLIX 12/10/1988``). All in ASCII: an accent
    would put the whole first word, prefix included, in an RFC 2047 encoded-word, and servers
    and clients that sort mail on the raw ``XDM/1.0/DDM`` prefix would miss it."""
    year, month, day = patient.birth_date.split("-")
    first = fold_name(patient.first_names[0]) if patient.first_names else ""
    parts = [ascii_text(label), fold_name(patient.birth_name), first, f"{day}/{month}/{year}"]
    return SUBJECT_PREFIX + " ".join(p for p in parts if p)


def _filename_part(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", ascii_text(text)).strip("_")


def pdf_filename(date: dt.datetime, title: str, patient: ihe.Patient) -> str:
    """``<date de l'acte>_<type document>_<NOM>_<prénom>.pdf`` (ECO.2.1.6; the record number
    it ends with is the sender's own and left out): ``20240220_Compte_rendu_NESSI_RUTH.pdf``."""
    first = patient.first_names[0] if patient.first_names else ""
    parts = [date.strftime("%Y%m%d"), _filename_part(title)]
    parts += [_filename_part(fold_name(patient.birth_name)), _filename_part(fold_name(first))]
    return "_".join(p for p in parts if p) + ".pdf"


def ins_qualified(patient: ihe.Patient) -> bool:
    """What ``X-MSS-INS`` says (ECO.2.4.2): an INS under an INS OID, and the traits it was
    qualified with (birth name, first first name, birth date, sex)."""
    return bool(
        patient.ins
        and patient.ins_oid in INS_OIDS
        and patient.birth_name
        and patient.first_names
        and patient.birth_date
        and patient.sex in ("M", "F")
    )


def pdf_rendering(cda: etree._Element) -> bytes | None:
    """The PDF a CDA carries: the body of a level 1 document, or the CI-SIS PDF copy section
    of a structured one (a CR-BIO has one); ``None`` when it has none."""
    copy = f".//hl7:section[hl7:templateId/@root='{PDF_COPY_SECTION}']"
    texts = cda.xpath(
        f"hl7:component/hl7:nonXMLBody/hl7:text | {copy}//hl7:observationMedia/hl7:value",
        namespaces={"hl7": ihe.HL7},
    )
    for text in texts:
        if text.get("mediaType") == "application/pdf" and text.get("representation") == "B64":
            try:
                pdf = base64.b64decode("".join((text.text or "").split()), validate=True)
            except ValueError:
                continue
            if pdf.startswith(b"%PDF-"):
                return pdf
    return None


def _format_code(cda: etree._Element, given: str | None, where: str) -> str:
    if given:
        return given
    body = cda.find(f"{_Q}component/{_Q}nonXMLBody/{_Q}text")
    if body is not None and body.get("mediaType") in LEVEL1_FORMATS:
        return LEVEL1_FORMATS[body.get("mediaType")]
    for template in cda.iterfind(f"{_Q}templateId"):
        if template.get("root") in FORMAT_OF_TEMPLATE:
            return FORMAT_OF_TEMPLATE[template.get("root")]
    raise MessageError(f"{where}.format_code: give the XDS format code (J60) of this CDA")


def _created(cda: etree._Element, default: dt.datetime) -> dt.datetime:
    effective = cda.find(f"{_Q}effectiveTime")
    try:
        moment = ihe.hl7v2.rfc3339_of_dtm(ihe.hl7v2.dtm_of_ts(effective.get("value", "")))
    except (AttributeError, ValueError):
        return default
    return dt.datetime.fromisoformat(moment) if moment else default


@dataclass
class _Prepared:
    xdm: list[xdm.XdmDocument]
    renderings: list[tuple[str, bytes]]  # (filename, PDF)
    codes: list[str]  # the CDA documents' codes, for X-MSS-CODECDA


def _prepare(o: Outgoing, practitioner: Practitioner) -> _Prepared:
    prepared = _Prepared([], [], [])
    for n, doc in enumerate(o.documents):
        where = f"documents[{n}]"
        _line(doc.title, f"{where}.title")
        if not doc.title:
            raise MessageError(f"{where}.title: a document needs a title")
        unique_id = _oid(o.message_id, f"document/{n}")
        if doc.rendering is not None and (
            doc.media_type not in CDA_TYPES or not doc.rendering.startswith(b"%PDF-")
        ):
            raise MessageError(f"{where}.rendering: a PDF (%PDF-), for a CDA only")
        if doc.media_type == "application/pdf":
            if not doc.content.startswith(b"%PDF-"):
                raise MessageError(f"{where}.content: not a PDF (no %PDF- header)")
            info = ihe.DocumentInfo(
                doc.title,
                doc.type_code,
                unique_id=unique_id,
                set_id=_oid(o.message_id, f"document/{n}/set"),
                created=o.date,
            )
            try:
                cda = ihe.level1(base64.b64encode(doc.content), info, o.patient, practitioner)
            except ihe.UnknownCode as exc:
                raise MessageError(f"{where}: {exc}") from None
            prepared.xdm.append(
                xdm.XdmDocument(
                    cda,
                    doc.title,
                    doc.type_code,
                    LEVEL1_FORMATS["application/pdf"],
                    unique_id,
                    o.date,
                )
            )
            prepared.codes.append(doc.type_code)
            prepared.renderings.append((pdf_filename(o.date, doc.title, o.patient), doc.content))
        elif doc.media_type in CDA_TYPES:
            try:
                root = parse_xml(doc.content, limit=xdm.MAX_TOTAL_BYTES)
            except XmlError as exc:
                raise MessageError(f"{where}.content: {exc}") from None
            if root.tag != f"{_Q}ClinicalDocument":
                raise MessageError(f"{where}.content: not a CDA (no hl7:ClinicalDocument)")
            code = root.find(f"{_Q}code")
            code_value = code.get("code") if code is not None else None
            if not code_value:
                raise MessageError(f"{where}.content: the CDA has no code (its document type)")
            if code_value != doc.type_code:
                raise MessageError(
                    f"{where}.type_code: {doc.type_code} is not the CDA's code {code_value}"
                )
            problems = ihe.cda.record_target_problems(
                root.find(f"{_Q}recordTarget/{_Q}patientRole"), o.patient
            )
            if problems:
                # One patient per message (ECO.2.1.1): the CDA must be about this one.
                raise MessageError(f"{where}.content: " + "; ".join(problems))
            cda_id = root.find(f"{_Q}id")
            if cda_id is not None and cda_id.get("root"):
                extension = cda_id.get("extension")
                unique_id = cda_id.get("root") + (f"^{extension}" if extension else "")
            try:
                times = ihe.xds.service_times(root)
            except ValueError as exc:
                raise MessageError(f"{where}.content: {exc}") from None
            prepared.xdm.append(
                xdm.XdmDocument(
                    doc.content,
                    doc.title,
                    doc.type_code,
                    _format_code(root, doc.format_code, where),
                    unique_id,
                    _created(root, o.date),
                    service_start=times.get("service_start"),
                    service_stop=times.get("service_stop"),
                )
            )
            prepared.codes.append(code_value)
            pdf = doc.rendering if doc.rendering is not None else pdf_rendering(root)
            if pdf is not None:
                prepared.renderings.append((pdf_filename(o.date, doc.title, o.patient), pdf))
        else:
            raise MessageError(
                f"{where}.media_type: {doc.media_type!r} is neither application/pdf nor text/xml"
            )
    names: dict[str, int] = {}
    for i, (name, pdf) in enumerate(prepared.renderings):
        names[name] = names.get(name, 0) + 1
        if names[name] > 1:
            prepared.renderings[i] = (f"{name[:-4]}_{names[name]}.pdf", pdf)
    return prepared


def _check(o: Outgoing) -> None:
    if not isinstance(o.message_id, str) or not _MESSAGE_ID.fullmatch(o.message_id):
        raise MessageError(f"message_id: {o.message_id!r} is not a Message-ID (<left@right>)")
    _address(o.sender, "sender")
    if not o.to:
        raise MessageError("to: a message needs at least one recipient")
    for n, address in enumerate(o.to):
        _address(address, f"to[{n}]")
    for n, address in enumerate(o.cc):
        _address(address, f"cc[{n}]")
    _line(o.subject_label, "subject_label")
    if o.date.tzinfo is None:
        raise MessageError("date: must carry its offset from UTC")
    if o.software_reference is not None:
        _line(o.software_reference, "software_reference", 64)
    if o.documents and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", o.patient.birth_date):
        raise MessageError(f"patient.birth_date: {o.patient.birth_date!r} is not YYYY-MM-DD")


def _text_part(text: str, subtype: str) -> MIMEPart:
    part = MIMEPart(policy=policy.SMTP)
    # Quoted-printable keeps the message 7-bit whatever the server announces.
    part.set_content(text, subtype=subtype, charset="utf-8", cte="quoted-printable")
    return part


def _file_part(content: bytes, media_type: str, filename: str) -> MIMEPart:
    maintype, _, subtype = media_type.partition("/")
    part = MIMEPart(policy=policy.SMTP)
    part.set_content(
        content, maintype=maintype, subtype=subtype, disposition="attachment", filename=filename
    )
    return part


def _multipart(subtype: str, parts: list[MIMEPart], boundary: str) -> MIMEPart:
    holder = MIMEPart(policy=policy.SMTP)
    holder["Content-Type"] = f"multipart/{subtype}"
    holder.set_boundary(boundary)
    holder.set_payload(parts)
    return holder


def build_message(o: Outgoing, practitioner: Practitioner) -> bytes:
    """The message (RFC 5322 bytes, CRLF lines) of ``o``, sent by ``practitioner``: the body
    (text, HTML or both as ``multipart/alternative``), the ``IHE_XDM.ZIP`` of its documents
    (PDFs wrapped in level 1 CDAs) and their PDF renderings, the MSSanté subject and headers.
    The same ``o`` gives the same bytes: ids, times and boundaries derive from its Message-ID
    and date. :class:`MessageError` naming the field that is wrong."""
    _check(o)
    seed = hashlib.sha256(o.message_id.encode()).hexdigest()
    prepared = _prepare(o, practitioner)

    parts: list[MIMEPart] = []
    bodies = [
        _text_part(text, subtype)
        for text, subtype in ((o.body_text, "plain"), (o.body_html, "html"))
        if text
    ]
    if len(bodies) == 2:
        parts.append(_multipart("alternative", bodies, f"=_alt_{seed[:24]}"))
    else:
        parts.extend(bodies)
    if prepared.xdm:
        try:
            content_type = (
                ihe.lookup("dmp_content_type", o.content_type_code) if o.content_type_code else None
            )
            package = xdm.build_xdm(
                prepared.xdm,
                o.patient,
                practitioner,
                sender=o.sender,
                recipients=[*o.to, *o.cc],
                date=o.date,
                submission_id=_oid(o.message_id, "submission-set"),
                source_id=o.source_id,
                title=o.subject_label or prepared.xdm[0].title,
                content_type=content_type,
            )
        except (ihe.UnknownCode, ihe.MetadataError) as exc:
            raise MessageError(f"documents: {exc}") from None
        parts.append(_file_part(package, "application/zip", XDM_ATTACHMENT))
        parts.extend(_file_part(pdf, "application/pdf", name) for name, pdf in prepared.renderings)

    root = EmailMessage(policy=policy.SMTP)
    name = practitioner.display_name if practitioner.family_name else ""
    root["From"] = Address(display_name=name, addr_spec=o.sender) if name else o.sender
    root["To"] = ", ".join(o.to)
    if o.cc:
        root["Cc"] = ", ".join(o.cc)
    root["Date"] = email.utils.format_datetime(o.date)
    root["Message-ID"] = o.message_id
    if prepared.xdm:
        label = o.subject_label or (
            prepared.xdm[0].title if len(prepared.xdm) == 1 else f"{len(prepared.xdm)} documents"
        )
        root["Subject"] = xdm_subject(label, o.patient)
        root["X-MSS-CODECDA"] = ",".join(prepared.codes)  # ECO.2.4.1: one value per CDA
        root["X-MSS-INS"] = "O" if ins_qualified(o.patient) else "N"  # ECO.2.4.2
    else:
        root["Subject"] = o.subject_label
    if o.software_reference:
        root["X-MSS-NIL"] = o.software_reference  # ECO.2.4.3
    to_patient = any(a.lower().endswith("@" + PATIENT_DOMAIN) for a in [*o.to, *o.cc])
    if o.block_patient_reply and to_patient:
        root["X-MSS-MES"] = "FIN"  # ECO.2.2.8
    if o.request_receipt:
        root["Disposition-Notification-To"] = o.sender
    root["MIME-Version"] = "1.0"
    if not parts:
        parts = [_text_part("", "plain")]
    top = parts[0] if len(parts) == 1 else _multipart("mixed", parts, f"=_mix_{seed[24:48]}")
    for key, value in top.items():
        root[key] = value
    root.set_payload(top.get_payload())
    return root.as_bytes(policy=policy.SMTP)


# --- parsing ------------------------------------------------------------------------------


def _leaves(part: Message) -> Iterator[Message]:
    """The parts that hold content, depth first; a returned message (``message/rfc822``) is
    one part, not opened."""
    if part.get_content_maintype() == "multipart" and part.is_multipart():
        for sub in part.get_payload():
            yield from _leaves(sub)
    else:
        yield part


def _decoded(message: Message, name: str) -> list[str]:
    values = []
    for raw in message.get_all(name, []):
        try:
            values.append(str(raw))
        except Exception:  # a header the parser cannot make sense of: keep what was written
            values.append(raw.encode("ascii", "replace").decode() if isinstance(raw, str) else "")
    return values


def _addresses(message: Message, name: str) -> list[str]:
    found: list[str] = []
    for header in message.get_all(name, []):
        try:
            found += [a.addr_spec for a in header.addresses if a.addr_spec]
        except Exception:
            found += [a for _, a in email.utils.getaddresses([str(header)]) if a]
    return found


def _safe_filename(name: str | None, n: int) -> str:
    """A received file name as a name only: no folder, no control character."""
    if not name:
        return f"attachment-{n}"
    name = _CONTROL.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return name if name not in ("", ".", "..") else f"attachment-{n}"


def _text(part: Message) -> str:
    """A text part's content, its lines ended by ``\n`` as Python text has them."""
    try:
        text = part.get_content()
    except Exception:  # an unknown charset, a broken encoding: the text as far as it goes
        text = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    return text.replace("\r\n", "\n")


def parse_message(raw: bytes) -> Received:
    """A received message taken apart. Never raises on a bad message: what cannot be read is
    left out, an ``IHE_XDM.ZIP`` that is refused leaves ``package_error`` (``"unreadable
    package: <reason>"``) and the rest of the message as it is; a message whose structure
    cannot be read at all (nested beyond reason, say) keeps its headers and says so."""
    multiparts = raw.lower().count(b"multipart/")
    if multiparts > MAX_MULTIPARTS:
        # The stdlib parser's time grows with the square of the nesting: 800 nested parts
        # take seconds. Real mail has a handful.
        error = f"unreadable message: {multiparts} multipart parts, more than {MAX_MULTIPARTS}"
    else:
        try:
            return _parse(raw)
        except Exception as exc:
            error = f"unreadable message: {type(exc).__name__}: {exc}"
    try:
        headers_only = email.parser.BytesHeaderParser(policy=policy.default).parsebytes(raw)
        received = _headers(headers_only)
    except Exception:
        received = _headers(EmailMessage(policy=policy.default))
    received.package_error = error
    return received


def _headers(message: Message) -> Received:
    """A received message as far as its header says: ids, addresses, subject, date."""
    headers = []
    for key in dict.fromkeys(k for k, _ in message.raw_items()):
        headers += [(key, value) for value in _decoded(message, key)]
    date = None
    try:
        value = message["Date"]
        moment = value.datetime if value is not None else None
        date = moment if moment is not None and moment.tzinfo is not None else None
    except Exception:
        date = None
    receipt = _addresses(message, "Disposition-Notification-To")
    codes = [
        code.strip()
        for value in _decoded(message, "X-MSS-CODECDA")
        for code in value.split(",")
        if code.strip()
    ]
    ids = _decoded(message, "Message-ID")
    froms = _addresses(message, "From")
    return Received(
        message_id=ids[0].strip() if ids else None,
        sender=froms[0] if froms else None,
        to=_addresses(message, "To"),
        cc=_addresses(message, "Cc"),
        subject=(_decoded(message, "Subject") or [""])[0],
        date=date,
        headers=headers,
        body_text=None,
        body_html=None,
        attachments=[],
        package=None,
        package_error=None,
        receipt_to=receipt[0] if receipt else None,
        report=None,
        cda_codes=codes,
    )


def _parse(raw: bytes) -> Received:
    message = email.message_from_bytes(raw, policy=policy.default)
    received = _headers(message)
    body_text = body_html = None
    attachments: list[Attachment] = []
    for n, part in enumerate(_leaves(message), 1):
        kind = part.get_content_type()
        if kind in ("message/disposition-notification", "message/global-disposition-notification"):
            continue
        try:
            filename = part.get_filename() if kind != "message/rfc822" else None
            attached = part.get_content_disposition() == "attachment" or filename
            if kind == "text/plain" and not attached and body_text is None:
                body_text = _text(part)
            elif kind == "text/html" and not attached and body_html is None:
                body_html = _text(part)
            elif kind == "message/rfc822":
                inner = part.get_payload(0) if part.is_multipart() else None
                content = inner.as_bytes() if inner is not None else b""
                attachments.append(Attachment(f"message-{n}.eml", kind, content))
            else:
                content = part.get_payload(decode=True) or b""
                attachments.append(Attachment(_safe_filename(filename, n), kind, content))
        except Exception:  # a part that cannot be decoded is kept as it was written
            payload = part.get_payload()
            written = (
                payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
            )
            attachments.append(Attachment(f"part-{n}.bin", "application/octet-stream", written))
    received.body_text, received.body_html, received.attachments = body_text, body_html, attachments
    archive = next((a for a in attachments if a.filename.upper() == XDM_ATTACHMENT), None)
    if archive is not None:
        try:
            received.package = xdm.read_xdm(archive.content)
        except xdm.UnreadablePackage as exc:
            received.package_error = f"unreadable package: {exc.reason}"
    if is_mdn(message):
        try:
            received.report = parse_mdn(message)
        except MdnError:
            received.report = None
    return received
