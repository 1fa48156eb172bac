"""The shared IHE builders (``aiguillage.ihe``): the XDM ``METADATA.XML`` of a package on mail
or media (ITI TF-3 §4.2.3: ``hash``, ``size``, ``URI`` and ``sourcePatientInfo`` on each
document entry), valid against the ebRS 3.0 schema, and read back by the shared reader."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib

import pytest
from lxml import etree

from aiguillage.plugin import Practitioner, ihe

from conftest import beside

RIM = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"
PATIENT = {
    "ins": {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"},
    "traits": {
        "birth_name": "Nessi",
        "first_names": ["Ruth", "Isabelle"],
        "sex": "F",
        "birth_date": "1977-07-14",
        "birth_place": "63220",
    },
}
PRACTITIONER = Practitioner(
    "10000001234",
    family_name="MEDECIN",
    given_name="ANNE",
    structure_id="1000000123",
    structure_name="Cabinet du Dr Médecin",
)
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
CREATED = dt.datetime(2026, 3, 2, 9, 30, 15, tzinfo=dt.UTC)


@functools.cache
def lcm_schema() -> etree.XMLSchema:
    path = beside("specs/dmp/wsdl/schema/ebRS/lcm.xsd")
    return etree.XMLSchema(etree.parse(str(path), etree.XMLParser(no_network=True)))


def entries() -> list[ihe.DocumentEntry]:
    """A letter (a PDF in a level 1 CDA) and a biology report (any CDA bytes will do here)."""
    patient = ihe.patient_of(PATIENT)
    info = ihe.DocumentInfo("Lettre de liaison", "11488-4", created=CREATED)
    letter = ihe.level1(base64.b64encode(PDF), info, patient, PRACTITIONER)
    report = b"<ClinicalDocument xmlns='urn:hl7-org:v3'/>" * 3
    return [
        ihe.xdm_entry(
            letter,
            uri="DOC0001.XML",
            title=info.title,
            type_code=info.type_code,
            format_code="urn:ihe:iti:xds-sd:pdf:2008",
            practitioner=PRACTITIONER,
            created=CREATED,
            unique_id=info.unique_id,
        ),
        ihe.xdm_entry(
            report,
            uri="DOC0002.XML",
            title="Compte rendu de biologie",
            type_code="11502-2",
            format_code="urn:ihe:lab:xd-lab:2008",
            practitioner=PRACTITIONER,
            created=CREATED,
        ),
    ]


def metadata(docs: list[ihe.DocumentEntry] | None = None, **changes) -> bytes:
    arguments = {
        "source_id": "1.2.250.1.999.1",
        "content_type": ihe.lookup("dmp_content_type", "SA07"),
        "title": "Lettre de liaison",
        "submitted": CREATED,
        "unique_id": "2.25.1234",
        "recipients": ["dr.destinataire@medecin.mssante.fr"],
        **changes,
    }
    return ihe.xdm_metadata(
        entries() if docs is None else docs, ihe.patient_of(PATIENT), PRACTITIONER, **arguments
    )


def slots(entry: etree._Element, name: str) -> list[str]:
    return [v.text for v in entry.iterfind(f"{{{RIM}}}Slot[@name='{name}']/{{{RIM}}}ValueList/*")]


def test_the_metadata_is_valid_against_the_ebrs_schema():
    root = etree.fromstring(metadata())
    assert root.tag == "{urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0}SubmitObjectsRequest"
    assert lcm_schema().validate(root), lcm_schema().error_log


def test_each_entry_carries_the_hash_size_and_uri_of_its_file():
    docs = entries()
    root = etree.fromstring(metadata(docs))
    written = root.findall(f".//{{{RIM}}}ExtrinsicObject")
    assert len(written) == 2
    for entry, doc in zip(written, docs, strict=True):
        assert slots(entry, "hash") == [hashlib.sha1(doc.content).hexdigest()]
        assert slots(entry, "size") == [str(len(doc.content))]
        assert slots(entry, "URI") == [doc.uri]
    assert [slots(e, "URI")[0] for e in written] == ["DOC0001.XML", "DOC0002.XML"]


def test_each_entry_gives_the_patient_with_the_ins():
    root = etree.fromstring(metadata())
    for entry in root.iter(f"{{{RIM}}}ExtrinsicObject"):
        assert slots(entry, "sourcePatientInfo") == [
            "PID-3|277076322082910^^^&1.2.250.1.213.1.4.8&ISO^NH",
            "PID-5|NESSI^RUTH ISABELLE^^^^^L",
            "PID-7|19770714",
            "PID-8|F",
        ]
        assert slots(entry, "sourcePatientId") == ["277076322082910^^^&1.2.250.1.213.1.4.8&ISO^NH"]


def test_the_submission_set_holds_every_entry_once():
    root = etree.fromstring(metadata())
    members = [
        a.get("targetObject")
        for a in root.iter(f"{{{RIM}}}Association")
        if a.get("associationType") == ihe.xds.HAS_MEMBER
        and a.get("sourceObject") == "SubmissionSet01"
    ]
    ids = [e.get("id") for e in root.iter(f"{{{RIM}}}ExtrinsicObject")]
    assert members == ids == ["Document01", "Document02"]
    package = root.find(f".//{{{RIM}}}RegistryPackage[@id='SubmissionSet01']")
    recipient = "dr.destinataire@medecin.mssante.fr"
    assert slots(package, "intendedRecipient") == [f"||^^Internet^{recipient}"]
    assert slots(package, "submissionTime") == ["20260302093015"]
    patient_ids = [
        i.get("value")
        for i in package.iterfind(f"{{{RIM}}}ExternalIdentifier")
        if i.get("identificationScheme") == ihe.xds.SET_PATIENT_ID
    ]
    assert patient_ids == ["277076322082910^^^&1.2.250.1.213.1.4.8&ISO^NH"]


def test_the_entries_read_back_as_written():
    docs = entries()
    read = ihe.read_entries(etree.fromstring(metadata(docs)))
    assert [(e.title, e.type_code, e.class_code, e.format_code) for e in read] == [
        ("Lettre de liaison", "11488-4", "10", "urn:ihe:iti:xds-sd:pdf:2008"),
        ("Compte rendu de biologie", "11502-2", "10", "urn:ihe:lab:xd-lab:2008"),
    ]
    for entry, doc in zip(read, docs, strict=True):
        assert entry.mime_type == "text/xml"
        assert (entry.uri, entry.hash, entry.size) == (
            doc.uri,
            hashlib.sha1(doc.content).hexdigest(),
            len(doc.content),
        )
        assert entry.unique_id == doc.unique_id
        assert entry.creation_time == "20260302093015"
        assert ihe.hl7v2.rfc3339_of_dtm(entry.creation_time) == "2026-03-02T09:30:15+00:00"
        assert entry.source_patient_id == "277076322082910^^^&1.2.250.1.213.1.4.8&ISO^NH"
        assert entry.patient() == {
            "traits": {
                "birth_name": "NESSI",
                "first_names": ["RUTH", "ISABELLE"],
                "birth_date": "1977-07-14",
                "sex": "F",
            },
            "ins": {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"},
        }
    # One ExtrinsicObject alone reads the same.
    element = read[1].element
    assert ihe.read_entries(element)[0].uri == "DOC0002.XML"


@pytest.mark.parametrize(
    ("uris", "message"),
    [
        ((), "at least one document"),
        (("DOC0001.XML", None), "document entry 2 has no URI"),
        (("DOC0001.XML", "doc0001.xml"), "document entry 2: URI doc0001.xml is another entry's"),
    ],
)
def test_entries_without_a_file_of_their_own_are_refused(uris, message):
    docs = entries()[: len(uris)]
    for doc, uri in zip(docs, uris, strict=True):
        doc.uri = uri
    with pytest.raises(ihe.MetadataError, match=message):
        metadata(docs)


def test_a_type_without_a_class_needs_one():
    """J07 holds types the DMP's type → class map (ASS_X16) does not: their class is given."""
    common = {
        "uri": "DOC0001.XML",
        "title": "Pièce d'identité",
        "format_code": "urn:ihe:iti:xds-sd:pdf:2008",
        "practitioner": PRACTITIONER,
        "created": CREATED,
    }
    with pytest.raises(ihe.UnknownCode, match=r"no class .* 'PIECE-IDENTITE'"):
        ihe.xdm_entry(b"x", type_code="PIECE-IDENTITE", **common)
    entry = ihe.xdm_entry(b"x", type_code="PIECE-IDENTITE", class_code="95", **common)
    assert (entry.type_code.code, entry.class_code.display) == (
        "PIECE-IDENTITE",
        "Document de gestion",
    )
    with pytest.raises(ihe.UnknownCode, match="'nope' is not in the dmp format"):
        ihe.xdm_entry(b"x", type_code="11488-4", **{**common, "format_code": "nope"})


def _entry_with(**slot_values: list[str]) -> etree._Element:
    root = etree.fromstring(metadata(entries()[:1]))
    entry = root.find(f".//{{{RIM}}}ExtrinsicObject")
    for name, values in slot_values.items():
        holder = entry.find(f"{{{RIM}}}Slot[@name='{name}']/{{{RIM}}}ValueList")
        for value in list(holder):
            holder.remove(value)
        for value in values:
            etree.SubElement(holder, f"{{{RIM}}}Value").text = value
    return entry


def test_the_reader_takes_the_ins_only_under_an_ins_oid():
    other = "PID-3|123456^^^&1.2.250.1.71.4.2.7&ISO^PI"
    ins = "PID-3|277076322082910^^^&1.2.250.1.213.1.4.8&ISO^NH"
    entry = _entry_with(sourcePatientInfo=[f"{other}~{ins[6:]}", "PID-8|F"])
    assert ihe.read_entries(entry)[0].patient() == {
        "traits": {"sex": "F"},
        "ins": {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"},
    }
    local = _entry_with(sourcePatientInfo=[other], sourcePatientId=["123456^^^&1.2.3&ISO^PI"])
    assert ihe.read_entries(local)[0].patient()["ins"] is None
    # No PID-3: the INS of sourcePatientId, when it is one.
    bare = _entry_with(sourcePatientInfo=["PID-5|NESSI^RUTH^^^^^L"])
    assert ihe.read_entries(bare)[0].patient() == {
        "traits": {"birth_name": "NESSI", "first_names": ["RUTH"]},
        "ins": {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"},
    }


@pytest.mark.parametrize(
    ("slot", "values", "message"),
    [
        ("sourcePatientInfo", ["PID-7|19770231"], "PID-7 '19770231' is not a date"),
        ("sourcePatientInfo", ["PID-8|X"], "PID-8 'X' is not an HL7 sex"),
        ("sourcePatientInfo", ["NESSI^RUTH"], "'NESSI\\^RUTH' is not PID-n\\|value"),
    ],
)
def test_an_unreadable_patient_is_named(slot, values, message):
    [entry] = ihe.read_entries(_entry_with(**{slot: values}))
    with pytest.raises(ihe.MetadataError, match=f"Document01: .*{message}"):
        entry.patient()


def test_a_size_that_is_no_number_is_named():
    with pytest.raises(ihe.MetadataError, match="Document01: size '12kB' is not a number"):
        ihe.read_entries(_entry_with(size=["12kB"]))


def test_a_long_uri_in_parts_is_joined():
    """ITI TF-3: a URI longer than a slot value is split into values ``n|part``."""
    entry = _entry_with(URI=["2|/DOC0001.XML", "1|IHE_XDM/SUBSET01"])
    assert ihe.read_entries(entry)[0].uri == "IHE_XDM/SUBSET01/DOC0001.XML"
