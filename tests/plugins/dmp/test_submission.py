"""A DMP submission's metadata and its detached XAdES signature: schema-valid, coded from the
French value sets, and verifiable."""

from __future__ import annotations

import base64
import copy
import datetime as dt

import pytest
from lxml import etree

from aiguillage.config import load_settings
from aiguillage.ihe.cda import DocumentInfo, level1, new_oid
from aiguillage.ihe.valuesets import UnknownCode, lookup
from aiguillage.plugins.dmp import xades
from aiguillage.plugins.dmp.metadata import (
    RIM,
    DocumentEntry,
    Submission,
    provide_and_register,
    submit_objects_request,
)
from aiguillage.security.credentials import load_ca_bundle, load_credential
from aiguillage.security.testpki import make_test_pki

from .conftest import RUTH
from conftest import ROOT

SCHEMAS = ROOT / "plugins" / "dmp" / "wsdl" / "schema"
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def practitioner(plugins):
    return load_settings(None, plugins.infos).practitioner


@pytest.fixture
def signer(pki):
    return load_credential(pki.p12("practitioner-signature"), pki.password)


def submission(practitioner, signer, type_code="11488-4", replaces=None) -> Submission:
    info = DocumentInfo("Consultation", type_code)
    cda = level1(base64.b64encode(PDF), info, RUTH, practitioner)
    signature_id = new_oid()
    return Submission(
        patient=RUTH,
        practitioner=practitioner,
        document=DocumentEntry(
            cda, info.unique_id, info.title, type_code, "pdf", dt.datetime.now(dt.UTC)
        ),
        signature=xades.sign({info.unique_id: cda}, signer),
        signature_unique_id=signature_id,
        source_id="1.2.250.1.999.1",
        content_type=lookup("dmp_content_type", "SA07"),
        replaces=replaces,
    )


def slot(root, object_id, name):
    obj = root.find(f".//*[@id='{object_id}']")
    return [v.text for v in obj.find(f"{{{RIM}}}Slot[@name='{name}']").iter(f"{{{RIM}}}Value")]


def classification(root, object_id, scheme):
    return [
        c.get("nodeRepresentation")
        for c in root.iter(f"{{{RIM}}}Classification")
        if c.get("classifiedObject") == object_id and c.get("classificationScheme") == scheme
    ]


def test_metadata_is_valid_against_lcm_xsd(practitioner, signer):
    schema = etree.XMLSchema(
        etree.parse(str(SCHEMAS / "ebRS" / "lcm.xsd"), etree.XMLParser(no_network=True))
    )
    request = submit_objects_request(submission(practitioner, signer, replaces="urn:uuid:x"))
    assert schema.validate(request), schema.error_log


def test_metadata_content(practitioner, signer):
    s = submission(practitioner, signer)
    root = submit_objects_request(s)
    assert slot(root, "Document01", "sourcePatientId") == [
        "277076322082910^^^&1.2.250.1.213.1.4.8&ISO^NH"
    ]
    assert slot(root, "Document01", "size") == [str(len(s.document.content))]
    assert len(slot(root, "Document01", "hash")[0]) == 40
    assert slot(root, "Document01", "sourcePatientInfo") == [
        "PID-5|NESSI^RUTH ISABELLE^^^^^L",
        "PID-7|19770714",
        "PID-8|F",
    ]
    assert classification(root, "Document01", "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983") == [
        "11488-4"
    ]
    assert classification(root, "Document01", "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a") == [
        "10"
    ]
    assert classification(root, "Document01", "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d") == [
        "urn:ihe:iti:xds-sd:pdf:2008"
    ]
    kinds = [a.get("associationType").rsplit(":", 1)[1] for a in root.iter(f"{{{RIM}}}Association")]
    assert kinds == ["HasMember", "HasMember", "signs"]
    unique_ids = {e.get("value") for e in root.iter(f"{{{RIM}}}ExternalIdentifier")}
    assert {s.document.unique_id, s.signature_unique_id, s.unique_id} <= unique_ids


def test_replacement_adds_rplc(practitioner, signer):
    root = submit_objects_request(submission(practitioner, signer, replaces="urn:uuid:old"))
    rplc = [
        a for a in root.iter(f"{{{RIM}}}Association") if a.get("associationType").endswith(":RPLC")
    ]
    assert [(a.get("sourceObject"), a.get("targetObject")) for a in rplc] == [
        ("Document01", "urn:uuid:old")
    ]


def test_a_type_the_dmp_does_not_take_is_refused(practitioner, signer):
    # 56446-8 is a CI-SIS type (JDV_J07) but not a DMP one (JDV_J66).
    with pytest.raises(UnknownCode, match="'56446-8' is not in the dmp type value set"):
        submit_objects_request(submission(practitioner, signer, type_code="56446-8"))


def test_itI41_body_points_at_the_mtom_parts(practitioner, signer):
    body = provide_and_register(submission(practitioner, signer), ("doc@a", "sig@a"))
    hrefs = [i.get("href") for i in body.iter("{http://www.w3.org/2004/08/xop/include}Include")]
    assert hrefs == ["cid:doc@a", "cid:sig@a"]


# --- XAdES ---------------------------------------------------------------------------------------


def test_xades_round_trip_and_schema(signer, pki, tmp_path):
    documents = {"1.2.3": b"<cda/>", "1.2.4": b"%PDF"}
    signature = xades.sign(documents, signer)
    verified = xades.verify(signature, documents, load_ca_bundle(pki.ca_bundle))
    assert verified.signed_ids == ["1.2.3", "1.2.4"]
    # The purpose, signed, as IHE DSG carries it: ASTM E1762 "Source Signature".
    assert verified.purposes == ["1.2.840.10065.1.12.1.14"]
    commitment = etree.fromstring(signature).find(
        ".//{http://uri.etsi.org/01903/v1.1.1#}SignedProperties"
        "/{http://uri.etsi.org/01903/v1.1.1#}SignedDataObjectProperties"
        "/{http://uri.etsi.org/01903/v1.1.1#}CommitmentTypeIndication"
    )
    assert commitment is not None
    # Nothing outside a namespace: the purpose is no bare SignatureProperty any more.
    assert all(e.tag.startswith("{") for e in etree.fromstring(signature).iter())
    assert "CN=899900063480" in verified.certificate.subject.rfc4514_string()
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:w">'
        '<xs:import namespace="http://www.w3.org/2000/09/xmldsig#" '
        f'schemaLocation="{(SCHEMAS / "xmldsig-core-schema.xsd").as_uri()}"/>'
        '<xs:import namespace="http://uri.etsi.org/01903/v1.1.1#" '
        f'schemaLocation="{(SCHEMAS / "XAdES.xsd").as_uri()}"/></xs:schema>'
    )
    schema = etree.XMLSchema(etree.fromstring(wrapper, etree.XMLParser(no_network=True)))
    assert schema.validate(etree.fromstring(signature)), schema.error_log


def test_xades_detects_a_changed_document(signer, pki):
    signature = xades.sign({"1.2.3": b"<cda/>"}, signer)
    with pytest.raises(xades.InvalidXades, match="does not match its signed digest"):
        xades.verify(signature, {"1.2.3": b"<cda>changed</cda>"}, load_ca_bundle(pki.ca_bundle))


def test_xades_detects_changed_signed_properties(signer, pki):
    signature = xades.sign({"1.2.3": b"<cda/>"}, signer, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    tampered = signature.replace(b"2026-01-01", b"2025-01-01")
    with pytest.raises(xades.InvalidXades, match="#SignedProperties was changed"):
        xades.verify(tampered, {"1.2.3": b"<cda/>"}, load_ca_bundle(pki.ca_bundle))


def test_xades_refuses_an_untrusted_signer(signer, tmp_path):
    other = make_test_pki(tmp_path / "other")
    signature = xades.sign({"1.2.3": b"<cda/>"}, signer)
    with pytest.raises(xades.InvalidXades, match=r"not signed by its issuer|no trusted issuer"):
        xades.verify(signature, {"1.2.3": b"<cda/>"}, load_ca_bundle(other.ca_bundle))


def test_xades_purpose_must_be_signed(signer, pki, monkeypatch):
    """Only a purpose among the signed properties counts: one added beside them, which no
    reference covers, is ignored."""
    monkeypatch.setattr(xades, "PURPOSE_SOURCE", "1.2.840.10065.1.12.1.1")
    signature = etree.fromstring(xades.sign({"1.2.3": b"<cda/>"}, signer))
    xad = "{http://uri.etsi.org/01903/v1.1.1#}"
    unsigned = copy.deepcopy(signature.find(f".//{xad}CommitmentTypeIndication"))
    unsigned.find(f"{xad}CommitmentTypeId/{xad}Identifier").text = "urn:oid:1.2.840.10065.1.12.1.14"
    etree.SubElement(signature, "{http://www.w3.org/2000/09/xmldsig#}Object").append(unsigned)
    verified = xades.verify(
        etree.tostring(signature), {"1.2.3": b"<cda/>"}, load_ca_bundle(pki.ca_bundle)
    )
    assert verified.purposes == ["1.2.840.10065.1.12.1.1"]
