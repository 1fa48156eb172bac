"""IHE_XDM.ZIP packages: built with the IHE layout and schema-valid metadata, the same bytes for
the same message, and read back safely: a package that tries to escape its folder, blow up,
hide a file or lie about a document is refused with the reason."""

from __future__ import annotations

import hashlib
import io
import re
import stat
import warnings
import zipfile

import pytest
from lxml import etree

from aiguillage.plugins.mssante import xdm
from aiguillage.plugins.mssante.xdm import UnreadablePackage, read_xdm

from .samples import (
    DATE,
    PAT_TROIS,
    RECIPIENT,
    RUTH,
    SENDER,
    cr_bio_document,
    level1_document,
    members,
    package,
    rezip,
)
from conftest import beside

RIM = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"
SUBSET = "IHE_XDM/SUBSET01/"
METADATA = SUBSET + "METADATA.XML"


@pytest.fixture(scope="module")
def lcm_schema() -> etree.XMLSchema:
    path = beside("specs/dmp/wsdl/schema/ebRS/lcm.xsd")
    return etree.XMLSchema(etree.parse(str(path), etree.XMLParser(no_network=True)))


@pytest.fixture(scope="module")
def two_documents() -> bytes:
    return package([level1_document("Lettre de liaison"), level1_document("Ordonnance", "57833-6")])


def test_the_layout_is_the_ihe_xdm_one(two_documents):
    files = members(two_documents)
    assert list(files) == [
        "README.TXT",
        "INDEX.HTM",
        "IHE_XDM/",
        SUBSET,
        METADATA,
        SUBSET + "DOC00001.XML",
        SUBSET + "DOC00002.XML",
    ]
    for name in files:
        for part in name.rstrip("/").split("/"):
            assert xdm.is_83(part) or part == "IHE_XDM", f"{part} is no upper-case 8.3 name"


def test_readme_says_who_made_it_and_with_what(two_documents):
    text = members(two_documents)["README.TXT"].decode()
    assert SENDER in text and "ANNE MEDECIN" in text and "Cabinet du Parc" in text
    assert xdm.SOFTWARE in text and "ITI-32" in text
    assert "DOC00002.XML   Ordonnance" in text


def test_index_links_every_document(two_documents):
    files = members(two_documents)
    page = files["INDEX.HTM"].decode()
    parser = etree.XMLParser(load_dtd=False, no_network=True, resolve_entities=False)
    root = etree.fromstring(files["INDEX.HTM"], parser)  # XHTML: well-formed XML
    assert root.tag == "{http://www.w3.org/1999/xhtml}html"
    links = re.findall(r'href="([^"]+)"', page)
    assert links == [SUBSET + "DOC00001.XML", SUBSET + "DOC00002.XML", "README.TXT"]
    assert all(link in files for link in links)
    assert "Lettre de liaison" in page and "Ordonnance" in page


def test_metadata_is_valid_ebrs_and_describes_each_file(two_documents, lcm_schema):
    files = members(two_documents)
    root = etree.fromstring(files[METADATA])
    assert lcm_schema.validate(root), lcm_schema.error_log
    entries = root.findall(f".//{{{RIM}}}ExtrinsicObject")
    assert len(entries) == 2
    for n, entry in enumerate(entries, 1):
        slots = {
            s.get("name"): [v.text for v in s.iter(f"{{{RIM}}}Value")]
            for s in entry.findall(f"{{{RIM}}}Slot")
        }
        content = files[SUBSET + f"DOC0000{n}.XML"]
        assert slots["URI"] == [f"DOC0000{n}.XML"]
        assert slots["hash"] == [hashlib.sha1(content).hexdigest()]
        assert slots["size"] == [str(len(content))]
        assert "PID-5|NESSI^RUTH ISABELLE^^^^^L" in slots["sourcePatientInfo"]
    recipients = root.find(f".//{{{RIM}}}Slot[@name='intendedRecipient']")
    assert RECIPIENT in etree.tostring(recipients).decode()


def test_the_same_package_is_the_same_bytes_with_times_from_its_date(two_documents):
    documents = [level1_document("Lettre de liaison"), level1_document("Ordonnance", "57833-6")]
    assert package(documents) == two_documents
    later = package(documents, date=DATE.replace(minute=31))
    assert later != two_documents
    with zipfile.ZipFile(io.BytesIO(two_documents)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2024, 2, 20, 10, 30, 14)}


def test_xml_is_deflated_and_compressed_content_stored():
    data = xdm.zip_members(
        [("A.XML", b"<a>" + b"x" * 5000 + b"</a>", False), ("B.PDF", b"%PDF-1.4 ...", True)], DATE
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        kinds = {i.filename: i.compress_type for i in archive.infolist()}
    assert kinds == {"A.XML": zipfile.ZIP_DEFLATED, "B.PDF": zipfile.ZIP_STORED}
    with zipfile.ZipFile(io.BytesIO(package([level1_document()]))) as archive:
        assert archive.getinfo(METADATA).compress_type == zipfile.ZIP_DEFLATED
        assert archive.getinfo(SUBSET + "DOC00001.XML").compress_type == zipfile.ZIP_DEFLATED


def test_a_package_reads_back_with_patient_documents_and_hashes(two_documents):
    read = read_xdm(two_documents)
    assert read.patient["ins"] == {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"}
    assert read.patient["traits"] == {
        "birth_name": "NESSI",
        "first_names": ["RUTH", "ISABELLE"],
        "birth_date": "1977-07-14",
        "sex": "F",
        "birth_place": "63220",
    }
    assert read.title == "Envoi de documents" and read.subset == "SUBSET01"
    assert [(d.name, d.title, d.type_code, d.media_type) for d in read.documents] == [
        (SUBSET + "DOC00001.XML", "Lettre de liaison", "11488-4", "text/xml"),
        (SUBSET + "DOC00002.XML", "Ordonnance", "57833-6", "text/xml"),
    ]
    files = members(two_documents)
    for document in read.documents:
        assert document.content == files[document.name]
        assert document.hash == hashlib.sha1(document.content).hexdigest()
        assert document.size == len(document.content)
        assert document.flags["contains_biology"] is False
        assert document.format_code == "urn:ihe:iti:xds-sd:pdf:2008"


def test_cr_bio_examples_inside_a_package_get_their_flags():
    names = ["tsh", "electrophorese", "microbiologie"]
    data = package([cr_bio_document(name) for name in names], patient=PAT_TROIS)
    read = read_xdm(data)
    flags = [
        (d.flags["contains_biology"], d.flags["abnormal"], d.flags["critical"])
        for d in read.documents
    ]
    assert flags == [(True, True, False), (True, True, False), (True, False, False)]
    assert read.patient["ins"]["matricule"] == "279035121518989"


def test_a_critical_result_inside_a_package_is_flagged():
    document = cr_bio_document("tsh")
    document.content = document.content.replace(b'code="L"', b'code="HH"', 1)
    read = read_xdm(package([document], patient=PAT_TROIS))
    assert read.documents[0].flags["critical"] is True


def test_traits_missing_from_the_metadata_come_from_the_cda(two_documents):
    files = members(two_documents)
    root = etree.fromstring(files[METADATA])
    for slot in root.findall(f".//{{{RIM}}}Slot[@name='sourcePatientInfo']"):
        slot.getparent().remove(slot)
    files[METADATA] = etree.tostring(root)
    read = read_xdm(rezip(files))
    assert read.patient["ins"] == {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"}
    assert read.patient["traits"]["birth_name"] == "NESSI"
    assert read.patient["traits"]["first_names"] == ["RUTH", "ISABELLE"]
    assert read.patient["traits"]["birth_date"] == "1977-07-14"


# --- refused packages --------------------------------------------------------------------------


def refused(data: bytes, reason: str, **limits) -> None:
    with pytest.raises(UnreadablePackage, match=reason) as caught:
        read_xdm(data, **limits)
    assert caught.value.reason == str(caught.value)


def with_member(base: bytes, name, content: bytes = b"x") -> bytes:
    files = members(base)
    infos = {}
    if isinstance(name, zipfile.ZipInfo):
        infos[name.filename] = name
        name = name.filename
    files[name] = content
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of duplicate names: they are the point
        return rezip(files, infos=infos)


def test_a_zip_bomb_is_refused_before_it_is_inflated(two_documents):
    bomb = with_member(two_documents, "IHE_XDM/SUBSET01/DOC00003.XML", bytes(64 * 1024 * 1024))
    refused(bomb, "zip bomb")
    refused(two_documents, "more than 10000 bytes", max_total=10_000)


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("IHE_XDM/SUBSET01/../../../etc/cron.d/x", "leaves its folder"),
        ("../README.TXT", "leaves its folder"),
        ("/etc/passwd", "absolute path"),
        ("C:/Windows/x.dll", "absolute path"),
        ("IHE_XDM\\SUBSET01\\DOC00009.XML", "backslash"),
        ("IHE_XDM//SUBSET01/X.XML", "leaves its folder"),
        ("IHE_XDM/SUBSET01/BAD\nNAME.XML", "control characters"),
    ],
)
def test_a_member_name_that_leaves_the_package_is_refused(two_documents, name, reason):
    refused(with_member(two_documents, name), reason)


def test_a_link_is_refused(two_documents):
    link = zipfile.ZipInfo("IHE_XDM/SUBSET01/LINK.XML")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    refused(with_member(two_documents, link, b"/etc/passwd"), "link")


def test_an_encrypted_member_is_refused(two_documents):
    # zipfile writes no encrypted member: set the flag in the central directory's record.
    name = b"README.TXT"  # a member the reader never opens: refused all the same
    data = bytearray(two_documents)
    record = data.index(b"PK\x01\x02")
    while data[record + 46 : record + 46 + len(name)] != name:
        record = data.index(b"PK\x01\x02", record + 4)
    data[record + 8] |= 0x1  # general purpose bit 0: encrypted
    refused(bytes(data), "encrypted")


def test_duplicate_names_are_refused(two_documents):
    refused(with_member(two_documents, "ihe_xdm/subset01/doc00001.xml"), "appears twice")


def test_missing_metadata_is_refused(two_documents):
    files = members(two_documents)
    del files[METADATA]
    refused(rezip(files), r"no IHE_XDM/<subset>/METADATA.XML")


def test_a_document_that_is_not_what_its_entry_says_is_refused(two_documents):
    files = members(two_documents)
    document = files[SUBSET + "DOC00002.XML"]
    files[SUBSET + "DOC00002.XML"] = document.replace(b"Ordonnance", b"Ordonnanze")
    refused(rezip(files), "SHA-1")
    files[SUBSET + "DOC00002.XML"] = document + b" "
    refused(rezip(files), r"[0-9]+ bytes, its entry says [0-9]+")


def test_a_file_no_entry_declares_is_refused(two_documents):
    refused(with_member(two_documents, SUBSET + "EXTRA.XML", b"<x/>"), "no document entry declares")


def test_an_entry_whose_file_is_missing_is_refused(two_documents):
    files = members(two_documents)
    del files[SUBSET + "DOC00002.XML"]
    refused(rezip(files), "DOC00002.XML is missing")


@pytest.mark.parametrize(
    ("uri", "reason"), [("../README.TXT", "leaves its folder"), ("/etc/passwd", "not a file")]
)
def test_an_entry_uri_out_of_the_package_is_refused(two_documents, uri, reason):
    files = members(two_documents)
    files[METADATA] = files[METADATA].replace(b">DOC00002.XML<", f">{uri}<".encode())
    refused(rezip(files), reason)


def test_metadata_with_a_doctype_is_refused(two_documents):
    files = members(two_documents)
    files[METADATA] = files[METADATA].replace(
        b"?>", b'?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', 1
    )
    refused(rezip(files), "DOCTYPE")


def test_two_patients_in_one_package_are_refused():
    first = package([level1_document()])
    files = members(first)
    second = members(package([level1_document()], patient=PAT_TROIS))
    # The second subset holds another patient's document.
    files["IHE_XDM/SUBSET02/METADATA.XML"] = second[METADATA]
    files["IHE_XDM/SUBSET02/DOC00001.XML"] = second[SUBSET + "DOC00001.XML"]
    refused(rezip(files), "another patient")
    assert RUTH.ins != PAT_TROIS.ins


def test_too_many_members_and_garbage_are_refused(two_documents):
    refused(two_documents, "more than the 3 accepted", max_entries=3)
    refused(b"PK\x03\x04 not really", "not a zip archive")
    refused(b"", "not a zip archive")
