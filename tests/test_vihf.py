"""The VIHF: built from a practitioner and a patient, signed, valid against the SAML schema,
verified by our verifier and by xmlsec1."""

from __future__ import annotations

import pytest
from lxml import etree

from aiguillage.config import load_settings
from aiguillage.security.credentials import load_credential
from aiguillage.security.saml import InvalidAssertion, Signer, Verifier
from aiguillage.security.vihf import Software, build_vihf, patient_id

from conftest import ROOT, xmlsec1_verify

SAML_XSD = ROOT / "plugins" / "insi" / "wsdl" / "xsd" / "SAML" / "saml-schema-assertion-2.0.xsd"
# The HL7v3 datatypes as the DMP plugin bundles them, unchanged from the DMP kit.
HL7_DATATYPES = ROOT / "plugins/dmp/wsdl/schema/HL7V3/NE2009/coreschemas/datatypes-base.xsd"
SOFTWARE = Software("01.01.01.01", "Aiguillage", "0.1.0", "NumAutorisation")


@pytest.fixture
def vihf(pki, plugins):
    practitioner = load_settings(None, plugins.infos).practitioner
    signer = Signer(load_credential(pki.p12("practitioner-signature"), pki.password))
    return build_vihf(
        signer, practitioner, SOFTWARE, ins="277076322082910", ins_oid="1.2.250.1.213.1.4.8"
    )


def test_carries_the_dmp_attributes(vihf, pki):
    verified = Verifier(str(pki.ca_bundle)).verify(vihf)
    attributes = verified.attributes
    assert verified.name_id == "899900063480"
    assert attributes["urn:oasis:names:tc:xacml:2.0:resource:resource-id"] == [
        "277076322082910^^^&1.2.250.1.213.1.4.8&ISO^NH"
    ]
    assert attributes["urn:oasis:names:tc:xacml:2.0:subject:role"] == ["10", "SM26"]
    assert attributes["VIHF_Version"] == ["3.0"]
    assert attributes["Ressource_URN"] == ["urn:dmp"]
    assert attributes["Secteur_Activite"] == ["SA07^1.2.250.1.71.4.2.4"]
    assert attributes["urn:oasis:names:tc:xspa:1.0:subject:purposeofuse"] == ["normal"]
    assert attributes["LPS_ID_HOMOLOGATION_DMP"] == ["NumAutorisation"]
    assert "CN=899900063480" in verified.issuer


def test_valid_against_the_saml_schema(vihf, tmp_path):
    # The roles are HL7 CE values (xsi:type="CE"): the schema needs the HL7 datatypes too.
    hl7 = tmp_path / "hl7.xsd"
    hl7.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:hl7-org:v3"'
        ' xmlns="urn:hl7-org:v3" elementFormDefault="qualified">'
        f'<xs:include schemaLocation="{HL7_DATATYPES.as_uri()}"/></xs:schema>'
    )
    wrapper = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:wrapper">'
        f'<xs:import namespace="urn:oasis:names:tc:SAML:2.0:assertion" '
        f'schemaLocation="{SAML_XSD.as_uri()}"/>'
        f'<xs:import namespace="urn:hl7-org:v3" schemaLocation="{hl7.as_uri()}"/></xs:schema>'
    )
    parser = etree.XMLParser(no_network=True)
    schema = etree.XMLSchema(etree.fromstring(wrapper, parser))
    assert schema.validate(vihf), schema.error_log


def test_a_changed_vihf_is_refused(vihf, pki):
    tampered = etree.fromstring(
        etree.tostring(vihf).replace(b"277076322082910", b"275126322074974")
    )
    with pytest.raises(InvalidAssertion, match="signature"):
        Verifier(str(pki.ca_bundle)).verify(tampered)


def test_verifies_with_xmlsec1(vihf, pki, tmp_path):
    path = tmp_path / "vihf.xml"
    path.write_bytes(etree.tostring(vihf))
    result = xmlsec1_verify(path, pki.ca_bundle)
    assert result.returncode == 0, result.stderr


def test_patient_id_and_purpose():
    assert patient_id("1", "2.3") == "1^^^&2.3&ISO^NH"
    with pytest.raises(ValueError, match="purpose"):
        build_vihf(None, None, SOFTWARE, ins="1", ins_oid="2", purpose="curiosity")


@pytest.mark.parametrize("mode", ["DIRECTE", "INDIRECTE", "INDIRECTE_RENFORCEE"])
def test_names_the_user_in_every_mode(pki, plugins, mode):
    """subject-id: the user's name, which the DMP needs where no card says who acts."""
    practitioner = load_settings(None, plugins.infos).practitioner.override(
        {"authentication_mode": mode}
    )
    signer = Signer(load_credential(pki.p12("practitioner-signature"), pki.password))
    vihf = build_vihf(
        signer, practitioner, SOFTWARE, ins="277076322082910", ins_oid="1.2.250.1.213.1.4.8"
    )
    attributes = Verifier(str(pki.ca_bundle)).verify(vihf).attributes
    assert attributes["urn:oasis:names:tc:xspa:1.0:subject:subject-id"] == ["MAX LIBRE"]
    assert attributes["Authentification_mode"] == [mode]


@pytest.mark.parametrize(("mode", "accepted"), [("DIRECTE", True), ("INDIRECTE", False)])
def test_the_dmp_simulator_wants_the_user_named_without_a_card(
    pki, plugins, tmp_path, mode, accepted
):
    import datetime as dt

    from aiguillage.plugins.dmp.simulator import DmpSimulator, Refusal
    from aiguillage.security.saml import build_assertion
    from aiguillage.security.vihf import SUBJECT_ID, vihf_attributes

    practitioner = load_settings(None, plugins.infos).practitioner.override(
        {"authentication_mode": mode}
    )
    signer = Signer(load_credential(pki.p12("practitioner-signature"), pki.password))
    attributes = [
        a
        for a in vihf_attributes(
            practitioner, SOFTWARE, ins="277076322082910", ins_oid="1.2.250.1.213.1.4.8"
        )
        if a.name != SUBJECT_ID
    ]
    assertion = signer.sign(
        build_assertion(
            issuer=signer.issuer,
            name_id=practitioner.national_id,
            attributes=attributes,
            now=dt.datetime.now(dt.UTC),
            validity=dt.timedelta(minutes=5),
        )
    )
    wsse = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
    envelope = etree.Element("{http://www.w3.org/2003/05/soap-envelope}Envelope")
    header = etree.SubElement(envelope, "{http://www.w3.org/2003/05/soap-envelope}Header")
    etree.SubElement(header, f"{{{wsse}}}Security").append(assertion)
    simulator = DmpSimulator(
        server_p12=pki.p12("server"),
        password=pki.password,
        trust=pki.ca_bundle,
        database=tmp_path / "sim.db",
    )
    try:
        if accepted:
            assert simulator.check_vihf(envelope)[1] == practitioner.national_id
        else:
            with pytest.raises(Refusal, match=f"attributs VIHF manquants : {SUBJECT_ID}"):
                simulator.check_vihf(envelope)
    finally:
        simulator.db.close()
