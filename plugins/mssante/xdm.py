"""IHE XDM packages on mail (IHE ITI TF-2b §3.32, "Distribute Document Set on Media", as the
CI-SIS and the MSSanté référentiel use it): the ``IHE_XDM.ZIP`` a message carries, built
(:func:`build_xdm`) and read back safely (:func:`read_xdm`).

Layout: ``README.TXT`` (who made the package, with which software) and ``INDEX.HTM`` (links to
the documents) at the root; one folder per submission set under ``IHE_XDM/`` (``SUBSET01``)
holding ``METADATA.XML`` (an ebRIM ``SubmitObjectsRequest``) and the documents, with ISO 9660
style upper-case 8.3 names (``DOC00001.XML``) that every document entry's ``URI`` slot names,
with their SHA-1 ``hash`` and ``size``."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import re
import stat
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aiguillage.plugin import INS_OIDS, Practitioner, XmlError, __version__, ihe, parse_xml

from . import biology

ROOT = "IHE_XDM"
SUBSET = "SUBSET01"
METADATA = "METADATA.XML"
README = "README.TXT"
INDEX = "INDEX.HTM"
SOFTWARE = f"Aiguillage {__version__}"

#: What :func:`read_xdm` accepts at most: the bytes of all members once uncompressed, the number
#: of members, and how many times a member may be larger than its compressed form (a deflated
#: CDA shrinks 5 to 20 times; a zip bomb 1000 times).
MAX_TOTAL_BYTES = 128 * 1024 * 1024
MAX_ENTRIES = 256
MAX_RATIO = 200
#: Below this size a member's ratio is not checked: tiny files compress oddly, and cannot blow up.
RATIO_FLOOR = 1024 * 1024

#: Media types stored as they are: compressing compressed data again costs time and gains
#: nothing. Everything else (XML, text, HTML) is deflated.
COMPRESSED_TYPES = frozenset(
    {"application/pdf", "application/zip", "image/jpeg", "image/png", "image/gif", "video/mp4"}
)

_NAME_PART = re.compile(r"[A-Z0-9_]{1,8}")
_EXTENSION = re.compile(r"[A-Z0-9_]{0,3}")


class UnreadablePackage(ValueError):
    """An ``IHE_XDM.ZIP`` that is refused; ``reason`` says why, for the inbox to show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class XdmDocument:
    """One document to put in a package: a CDA (``text/xml``) and what its entry says."""

    content: bytes
    title: str
    type_code: str  # J07 (LOINC)
    format_code: str  # J60
    unique_id: str
    created: dt.datetime
    media_type: str = "text/xml"
    service_start: str | None = None
    service_stop: str | None = None


@dataclass
class PackageDocument:
    name: str  # its path in the zip, IHE_XDM/SUBSET01/DOC00001.XML
    title: str
    type_code: str
    media_type: str
    content: bytes
    hash: str  # SHA-1, lower-case hex
    size: int
    flags: dict[str, Any]
    unique_id: str = ""
    format_code: str = ""


@dataclass
class Package:
    #: ``{"ins": {"matricule", "oid"} | None, "traits": {...}}``: the traits of the metadata's
    #: ``sourcePatientInfo``, completed from the first CDA's ``recordTarget``.
    patient: dict[str, Any]
    documents: list[PackageDocument]
    subset: str = SUBSET
    #: The submission set's title (``rim:Name``), when it has one.
    title: str = ""


def document_name(n: int) -> str:
    """The file name of the ``n``-th document (1-based), ``DOC00001.XML``: an ISO 9660 level 1
    name, upper-case 8.3, as XDM asks for media."""
    name = f"DOC{n:05d}.XML"
    if n < 1 or n > 99999:
        raise ValueError(f"no 8.3 document name for document {n}")
    return name


def is_83(name: str) -> bool:
    base, dot, extension = name.partition(".")
    return bool(_NAME_PART.fullmatch(base)) and (
        not dot or (bool(_EXTENSION.fullmatch(extension)) and "." not in extension)
    )


def _zip_time(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    # A zip time is a wall-clock time without zone, from 1980: the package's own date as the
    # sender wrote it, so that the same message gives the same bytes.
    moment = max(moment.replace(tzinfo=None), dt.datetime(1980, 1, 1))
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)


def _member(name: str, when: tuple[int, ...], compressed: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=when)
    info.create_system = 3  # Unix, whatever the machine, for the same bytes everywhere
    if name.endswith("/"):
        info.external_attr = (stat.S_IFDIR | 0o755) << 16 | 0x10
        info.compress_type = zipfile.ZIP_STORED
    else:
        info.external_attr = (stat.S_IFREG | 0o644) << 16
        info.compress_type = zipfile.ZIP_STORED if compressed else zipfile.ZIP_DEFLATED
    return info


def readme(
    practitioner: Practitioner, sender: str, date: dt.datetime, titles: Sequence[str]
) -> str:
    """``README.TXT``: who made the package (the practitioner, the structure, the mailbox),
    when, with which software, and what it holds (ITI TF-2b §3.32.4.1.3)."""
    structure = practitioner.structure_name or practitioner.structure_id
    lines = [
        "Paquet IHE XDM (IHE ITI TF-2b, transaction ITI-32), distribué par messagerie MSSanté.",
        "",
        f"Émetteur : {practitioner.display_name}" + (f", {structure}" if structure else ""),
        f"Adresse MSSanté : {sender}",
        f"Date : {date.isoformat()}",
        f"Logiciel : {SOFTWARE}",
        "",
        "Contenu :",
        f"  {INDEX:<31} sommaire du paquet",
        f"  {ROOT}/{SUBSET}/{METADATA:<14} métadonnées XDS (ebRIM 3.0)",
        *(f"  {ROOT}/{SUBSET}/{document_name(n):<14} {title}" for n, title in enumerate(titles, 1)),
        "",
    ]
    return "\r\n".join(lines)


def index(titles: Sequence[str], patient_line: str) -> str:
    """``INDEX.HTM``: an XHTML Basic page (ITI TF-2b §3.32.4.1.3) naming the patient and
    linking to each document and to ``README.TXT``."""
    items = "\r\n".join(
        f'<li><a href="{ROOT}/{SUBSET}/{document_name(n)}">{html.escape(title)}</a></li>'
        for n, title in enumerate(titles, 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\r\n'
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML Basic 1.1//EN" '
        '"http://www.w3.org/TR/xhtml-basic/xhtml-basic11.dtd">\r\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="fr">\r\n'
        "<head><title>Documents IHE XDM</title></head>\r\n<body>\r\n"
        f"<h1>Documents de {html.escape(patient_line)}</h1>\r\n<ul>\r\n{items}\r\n</ul>\r\n"
        f'<p><a href="{README}">À propos de ce paquet ({README})</a></p>\r\n'
        "</body>\r\n</html>\r\n"
    )


def zip_members(members: Sequence[tuple[str, bytes, bool]], date: dt.datetime) -> bytes:
    """A zip of ``(name, content, already compressed)`` in that order, the same bytes for the
    same arguments: fixed times (``date``), attributes and creator, no extra fields. Members
    already compressed are stored, the others deflated."""
    when = _zip_time(date)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content, compressed in members:
            archive.writestr(_member(name, when, compressed), content)
    return out.getvalue()


def build_xdm(
    documents: Sequence[XdmDocument],
    patient: ihe.Patient,
    practitioner: Practitioner,
    *,
    sender: str,
    recipients: Sequence[str],
    date: dt.datetime,
    submission_id: str,
    source_id: str,
    title: str,
    content_type: ihe.Code | None = None,
) -> bytes:
    """The ``IHE_XDM.ZIP`` of ``documents`` about ``patient``: README.TXT, INDEX.HTM and the
    subset ``IHE_XDM/SUBSET01`` (METADATA.XML and ``DOC00001.XML``…). ``submission_id``: the
    submission set's uniqueId; ``source_id``: the software's OID; ``content_type``: J59, by
    default the practitioner's activity sector. Same arguments, same bytes.
    :class:`ihe.MetadataError` or :class:`ihe.UnknownCode` naming what cannot be written."""
    if date.tzinfo is None:
        raise ValueError("date: must carry its offset from UTC")
    entries = [
        ihe.xdm_entry(
            doc.content,
            uri=document_name(n),
            title=doc.title,
            type_code=doc.type_code,
            format_code=doc.format_code,
            practitioner=practitioner,
            created=doc.created,
            unique_id=doc.unique_id,
            mime_type=doc.media_type,
            service_start=doc.service_start,
            service_stop=doc.service_stop,
        )
        for n, doc in enumerate(documents, 1)
    ]
    metadata = ihe.xdm_metadata(
        entries,
        patient,
        practitioner,
        source_id=source_id,
        content_type=content_type or ihe.lookup("dmp_content_type", practitioner.activity_sector),
        title=title,
        submitted=date,
        unique_id=submission_id,
        recipients=list(recipients),
    )
    titles = [doc.title for doc in documents]
    who = f"{patient.birth_name} {' '.join(patient.first_names)}"
    folder = f"{ROOT}/{SUBSET}/"
    members: list[tuple[str, bytes, bool]] = [
        (README, readme(practitioner, sender, date, titles).encode(), False),
        (INDEX, index(titles, who).encode(), False),
        (f"{ROOT}/", b"", True),
        (folder, b"", True),
        (folder + METADATA, metadata, False),
        *(
            (folder + document_name(n), doc.content, doc.media_type in COMPRESSED_TYPES)
            for n, doc in enumerate(documents, 1)
        ),
    ]
    return zip_members(members, date)


# --- reading ------------------------------------------------------------------------------------


def _check_member(info: zipfile.ZipInfo) -> None:
    name = info.filename
    if not name or re.search(r"[\x00-\x1f\x7f]", name):
        raise UnreadablePackage(f"member name {name!r} holds control characters")
    if "\\" in name:
        raise UnreadablePackage(f"member name {name!r} holds a backslash")
    if name.startswith("/") or ":" in name:
        raise UnreadablePackage(f"member name {name!r} is an absolute path")
    parts = name.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise UnreadablePackage(f"member name {name!r} leaves its folder ('..', '.' or '//')")
    kind = stat.S_IFMT(info.external_attr >> 16)
    if info.create_system == 3 and kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise UnreadablePackage(f"member {name!r} is a link or a device, not a file")
    if info.flag_bits & 0x1:
        raise UnreadablePackage(f"member {name!r} is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UnreadablePackage(f"member {name!r} uses compression method {info.compress_type}")


def _members(archive: zipfile.ZipFile, limits: tuple[int, int, int]) -> dict[str, zipfile.ZipInfo]:
    """The files of the archive by upper-case name, every member checked against the limits
    and the naming rules before anything is decompressed."""
    max_total, max_entries, max_ratio = limits
    infos = archive.infolist()
    if len(infos) > max_entries:
        raise UnreadablePackage(f"{len(infos)} members, more than the {max_entries} accepted")
    total = 0
    files: dict[str, zipfile.ZipInfo] = {}
    seen: set[str] = set()
    for info in infos:
        _check_member(info)
        key = info.filename.rstrip("/").upper()
        if key in seen:
            raise UnreadablePackage(f"member {info.filename!r} appears twice")
        seen.add(key)
        total += info.file_size
        if total > max_total:
            raise UnreadablePackage(
                f"members uncompress to more than {max_total} bytes (zip bomb?)"
            )
        ratio = info.file_size // max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > max_ratio:
            raise UnreadablePackage(
                f"member {info.filename!r} uncompresses {ratio} times its size, more than "
                f"{max_ratio} (zip bomb?)"
            )
        if not info.is_dir():
            files[key] = info
    return files


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    try:
        # zipfile stops at the declared size and checks the CRC: a member cannot yield more
        # than the size checked in _members.
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
        raise UnreadablePackage(f"member {info.filename!r} cannot be read: {exc}") from None


def _record_target_traits(cda: bytes) -> dict[str, Any]:
    """The patient of a CDA's ``recordTarget`` (INS, traits, birth place), as far as it goes."""
    try:
        root = parse_xml(cda, limit=MAX_TOTAL_BYTES)
    except XmlError:
        return {}
    q = f"{{{ihe.HL7}}}"
    role = root.find(f"{q}recordTarget/{q}patientRole")
    if role is None:
        return {}
    found: dict[str, Any] = {"traits": {}}
    for i in role.iterfind(f"{q}id"):
        if i.get("root") in INS_OIDS and i.get("extension"):
            found["ins"] = {"matricule": i.get("extension"), "oid": i.get("root")}
            break
    person = role.find(f"{q}patient")
    if person is None:
        return found
    traits = found["traits"]
    family = person.find(f"{q}name/{q}family[@qualifier='BR']")
    if family is not None and (family.text or "").strip():
        traits["birth_name"] = family.text.strip()
    given = person.find(f"{q}name/{q}given")
    if given is not None and given.get("qualifier") is None and (given.text or "").strip():
        traits["first_names"] = given.text.split()
    sex = person.find(f"{q}administrativeGenderCode")
    if sex is not None and sex.get("code"):
        traits["sex"] = sex.get("code")
    birth = person.find(f"{q}birthTime")
    value = birth.get("value", "") if birth is not None else ""
    if re.fullmatch(r"[0-9]{8}.*", value):
        traits["birth_date"] = f"{value[:4]}-{value[4:6]}-{value[6:8]}"
    place = person.find(f"{q}birthplace/{q}place/{q}addr/{q}county")
    if place is not None and (place.text or "").strip():
        traits["birth_place"] = place.text.strip()
    return found


def _same_patient(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("ins") and b.get("ins"):
        return a["ins"] == b["ins"]
    keys = ("birth_name", "birth_date", "sex")
    return all(a["traits"].get(k) == b["traits"].get(k) for k in keys)


def _document_path(folder: str, uri: str) -> str:
    """The upper-case member name a ``URI`` slot names: a file of the subset, or a path from
    the root inside ``IHE_XDM/``; never a way out of the package."""
    if not uri or "\\" in uri or ":" in uri or uri.startswith("/"):
        raise UnreadablePackage(f"document URI {uri!r} is not a file of the package")
    parts = uri.split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise UnreadablePackage(f"document URI {uri!r} leaves its folder")
    path = uri.upper() if uri.upper().startswith(f"{ROOT}/") else f"{folder}{uri.upper()}"
    return path


def _flags(content: bytes, media_type: str) -> dict[str, Any]:
    if media_type not in ("text/xml", "application/xml", "application/hl7-v3+xml"):
        return {"contains_biology": False, "abnormal": False, "critical": False, "findings": []}
    try:
        return biology.flags(content)
    except XmlError as exc:
        return {
            "contains_biology": False,
            "abnormal": False,
            "critical": False,
            "findings": [],
            "error": str(exc),
        }


def read_xdm(
    data: bytes,
    *,
    max_total: int = MAX_TOTAL_BYTES,
    max_entries: int = MAX_ENTRIES,
    max_ratio: int = MAX_RATIO,
) -> Package:
    """The patient and the documents of an ``IHE_XDM.ZIP``, read safely: member names that
    stay inside the package (no absolute path, ``..``, backslash, link or duplicate), sizes and
    ratios bounded before decompressing (zip bombs), ``IHE_XDM/<subset>/METADATA.XML`` required
    and parsed without DTD, entity or network, only the files its entries name read, each
    checked against its entry's SHA-1 and size, no other file in the subset. Every CDA gets
    its biology :func:`biology.flags`. :class:`UnreadablePackage` with the reason otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadablePackage(f"not a zip archive: {exc}") from None
    with archive:
        files = _members(archive, (max_total, max_entries, max_ratio))
        subsets = sorted(
            key.rsplit("/", 1)[0] + "/"
            for key in files
            if key.startswith(f"{ROOT}/") and key.count("/") == 2 and key.endswith(f"/{METADATA}")
        )
        if not subsets:
            raise UnreadablePackage(f"no {ROOT}/<subset>/{METADATA} in the package")
        declared = set()
        documents: list[PackageDocument] = []
        patient: dict[str, Any] | None = None
        title = ""
        for folder in subsets:
            declared.add(folder + METADATA)
            metadata_info = files[folder + METADATA]
            try:
                root = parse_xml(_read(archive, metadata_info), limit=max_total)
            except XmlError as exc:
                raise UnreadablePackage(f"{metadata_info.filename}: {exc}") from None
            try:
                entries = ihe.read_entries(root)
            except ihe.MetadataError as exc:
                raise UnreadablePackage(f"{metadata_info.filename}: {exc}") from None
            if not entries:
                raise UnreadablePackage(f"{metadata_info.filename} declares no document")
            name = root.find(
                f".//{{{ihe.xds.RIM}}}RegistryPackage/{{{ihe.xds.RIM}}}Name/"
                f"{{{ihe.xds.RIM}}}LocalizedString"
            )
            title = title or (name.get("value", "") if name is not None else "")
            for entry in entries:
                where = f"{metadata_info.filename}, entry {entry.entry_uuid}"
                path = _document_path(folder, entry.uri)
                if path in declared:
                    raise UnreadablePackage(f"{where}: {entry.uri} is named twice")
                info = files.get(path)
                if info is None:
                    raise UnreadablePackage(f"{where}: its document {entry.uri} is missing")
                declared.add(path)
                if not entry.hash or entry.size is None:
                    raise UnreadablePackage(f"{where}: no hash or size for {entry.uri}")
                if info.file_size != entry.size:
                    raise UnreadablePackage(
                        f"{info.filename}: {info.file_size} bytes, its entry says {entry.size}"
                    )
                content = _read(archive, info)
                digest = hashlib.sha1(content).hexdigest()
                if digest != entry.hash.lower():
                    raise UnreadablePackage(
                        f"{info.filename}: SHA-1 {digest}, its entry says {entry.hash}"
                    )
                try:
                    identity = entry.patient()
                except ihe.MetadataError as exc:
                    raise UnreadablePackage(str(exc)) from None
                if patient is None:
                    patient = identity
                elif not _same_patient(patient, identity):
                    raise UnreadablePackage(
                        f"{where}: another patient than the package's first document's"
                    )
                media_type = entry.mime_type or "application/octet-stream"
                documents.append(
                    PackageDocument(
                        name=info.filename,
                        title=entry.title,
                        type_code=entry.type_code,
                        media_type=media_type,
                        content=content,
                        hash=digest,
                        size=len(content),
                        flags=_flags(content, media_type),
                        unique_id=entry.unique_id,
                        format_code=entry.format_code,
                    )
                )
        for key, info in files.items():
            if key.startswith(f"{ROOT}/") and key not in declared:
                raise UnreadablePackage(
                    f"{info.filename} is in the package but no document entry declares it"
                )
    patient = patient or {"ins": None, "traits": {}}
    first_cda = next((d for d in documents if d.media_type == "text/xml"), None)
    if first_cda is not None:
        found = _record_target_traits(first_cda.content)
        if not patient.get("ins") and found.get("ins"):
            patient["ins"] = found["ins"]
        for key, value in found.get("traits", {}).items():
            patient["traits"].setdefault(key, value)
    return Package(
        patient=patient, documents=documents, subset=subsets[0].split("/")[1], title=title
    )
