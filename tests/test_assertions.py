"""The practitioner's signed PS assertion the INSi and ApCV clients send: what it says, and
that one serves a practitioner's calls only while it has time left."""

from __future__ import annotations

import pytest

from aiguillage.security.assertions import PractitionerAssertions
from aiguillage.security.credentials import load_credential
from aiguillage.security.practitioner import Practitioner
from aiguillage.security.saml import Signer, Verifier

SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
DOCTOR = Practitioner(national_id="899900063480", billing_id="991130972")


@pytest.fixture
def signer(pki) -> Signer:
    return Signer(load_credential(pki.p12("practitioner-signature"), pki.password))


def test_names_the_practitioner_and_their_billing_number(signer, pki):
    assertion = PractitionerAssertions(signer).get(DOCTOR)
    Verifier(pki.ca_bundle).verify(assertion)
    name_id = assertion.find(f"{{{SAML}}}Subject/{{{SAML}}}NameID")
    assert (name_id.text, name_id.get("NameQualifier")) == ("899900063480", "CPS")
    billing = assertion.find(f".//{{{SAML}}}Attribute[@Name='identifiantFacturation']")
    assert billing.findtext(f"{{{SAML}}}AttributeValue") == "991130972"
    unbilled = PractitionerAssertions(signer).get(Practitioner(national_id="10101010101"))
    assert unbilled.find(f".//{{{SAML}}}Attribute[@Name='identifiantFacturation']") is None


def test_one_per_practitioner_while_it_has_time_left(signer):
    assertions = PractitionerAssertions(signer, validity=300)
    first = assertions.get(DOCTOR)
    assert assertions.get(DOCTOR) is first
    assert assertions.get(DOCTOR.override({"national_id": "10101010101"})) is not first


def test_renewed_when_less_than_a_minute_is_left(signer):
    assertions = PractitionerAssertions(signer, validity=50)
    assert assertions.get(DOCTOR) is not assertions.get(DOCTOR)
