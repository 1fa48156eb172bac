"""SAML 2.0 assertions: built from a practitioner context, signed with signxml (enveloped,
exc-c14n, rsa-sha256, certificate in KeyInfo), and verified — the INSi PS assertion and the DMP
VIHF are both such assertions, with different attributes."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml import InvalidInput, InvalidSignature, XMLSigner, XMLVerifier, methods

from aiguillage.determinism import new_uuid, utc_now
from aiguillage.security.credentials import Credential

SAML_NS = "urn:oasis:names:tc:SAML:2.0:assertion"
DS_NS = "http://www.w3.org/2000/09/xmldsig#"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XS_NS = "http://www.w3.org/2001/XMLSchema"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
X509_SUBJECT = "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName"
#: Clock skew tolerated between the signer and the verifier.
SKEW = dt.timedelta(minutes=5)


def _q(name: str) -> str:
    return f"{{{SAML_NS}}}{name}"


@dataclass(frozen=True)
class Attribute:
    """A SAML attribute: string values, or XML elements (e.g. an HL7 ``Role`` of type CE)."""

    name: str
    values: tuple[str | etree._Element, ...]


@dataclass(frozen=True)
class Verified:
    """What a valid assertion says."""

    id: str
    issuer: str
    name_id: str
    attributes: dict[str, list[str]]
    not_on_or_after: dt.datetime
    certificate: x509.Certificate
    xml: etree._Element = field(repr=False)


class InvalidAssertion(Exception):
    """Signature, chain, structure or validity window is wrong; the message says which."""


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def build_assertion(
    *,
    issuer: str,
    name_id: str,
    attributes: Sequence[Attribute],
    now: dt.datetime,
    validity: dt.timedelta,
    name_qualifier: str | None = None,
    authn_context: str | None = None,
) -> etree._Element:
    """An unsigned assertion, its elements in the order the SAML 2.0 schema requires."""
    assertion = etree.Element(_q("Assertion"), nsmap={"saml2": SAML_NS, "xsi": XSI_NS, "xs": XS_NS})
    assertion.set("ID", f"_{new_uuid()}")
    assertion.set("IssueInstant", _iso(now))
    assertion.set("Version", "2.0")
    issuer_el = etree.SubElement(assertion, _q("Issuer"), Format=X509_SUBJECT)
    issuer_el.text = issuer
    subject = etree.SubElement(assertion, _q("Subject"))
    name = etree.SubElement(subject, _q("NameID"))
    if name_qualifier:
        name.set("NameQualifier", name_qualifier)
    name.text = name_id
    etree.SubElement(
        assertion, _q("Conditions"), NotBefore=_iso(now - SKEW), NotOnOrAfter=_iso(now + validity)
    )
    if authn_context:
        statement = etree.SubElement(assertion, _q("AuthnStatement"), AuthnInstant=_iso(now))
        context = etree.SubElement(statement, _q("AuthnContext"))
        etree.SubElement(context, _q("AuthnContextClassRef")).text = authn_context
    if attributes:
        statement = etree.SubElement(assertion, _q("AttributeStatement"))
        for attribute in attributes:
            element = etree.SubElement(statement, _q("Attribute"), Name=attribute.name)
            for value in attribute.values:
                holder = etree.SubElement(element, _q("AttributeValue"))
                if isinstance(value, str):
                    holder.set(f"{{{XSI_NS}}}type", "xs:string")
                    holder.text = value
                else:
                    holder.append(value)
    return assertion


class Signer:
    """Signs assertions with one credential; the key stays loaded (a signature then costs about
    half a millisecond instead of the tens a key reload would)."""

    def __init__(self, credential: Credential) -> None:
        self.credential = credential
        self._signer = XMLSigner(
            method=methods.enveloped,
            signature_algorithm="rsa-sha256",
            digest_algorithm="sha256",
            c14n_algorithm=EXC_C14N,
        )
        self._certs = [
            c.public_bytes(serialization.Encoding.PEM).decode()
            for c in (credential.certificate, *credential.chain)
        ]

    @property
    def issuer(self) -> str:
        return self.credential.subject

    def sign(self, assertion: etree._Element) -> etree._Element:
        signed = self._signer.sign(
            assertion,
            key=self.credential.key,
            cert=self._certs,
            reference_uri="#" + assertion.get("ID"),
            id_attribute="ID",
        )
        # signxml appends the signature; the SAML schema wants it right after Issuer. The
        # enveloped transform removes it before digesting, so moving it keeps it valid.
        signature = signed.find(f"{{{DS_NS}}}Signature")
        signed.remove(signature)
        signed.find(_q("Issuer")).addnext(signature)
        return signed


class Verifier:
    """Verifies assertions against trust anchors (a PEM bundle of roots and intermediates).
    Verified assertions are remembered by digest, so a client reusing its assertion within its
    validity costs one check, not one per call."""

    def __init__(self, ca_bundle: str, cache_size: int = 1024) -> None:
        self.ca_bundle = ca_bundle
        self._cache: dict[str, Verified] = {}
        self._cache_size = cache_size

    def verify(self, assertion: etree._Element, now: dt.datetime | None = None) -> Verified:
        now = now or utc_now()
        data = etree.tostring(assertion)
        digest = hashlib.sha256(data).hexdigest()
        verified = self._cache.get(digest)
        if verified is None:
            verified = self._verify_signature(data)
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            self._cache[digest] = verified
        conditions = assertion.find(_q("Conditions"))
        not_before = _parse(conditions.get("NotBefore")) if conditions is not None else None
        if not_before and now + SKEW < not_before:
            raise InvalidAssertion(f"assertion not valid before {not_before:%Y-%m-%dT%H:%M:%SZ}")
        if now - SKEW >= verified.not_on_or_after:
            raise InvalidAssertion(
                f"assertion expired at {verified.not_on_or_after:%Y-%m-%dT%H:%M:%SZ}"
            )
        return verified

    def _verify_signature(self, data: bytes) -> Verified:
        try:
            result = XMLVerifier().verify(
                data, ca_pem_file=self.ca_bundle, id_attribute="ID", expect_references=1
            )
        except (InvalidSignature, InvalidInput) as exc:
            raise InvalidAssertion(f"signature not valid: {exc}") from None
        except Exception as exc:  # signxml reports chain errors with OpenSSL's own types
            raise InvalidAssertion(f"signature not verifiable: {exc}") from None
        signed = result.signed_xml
        if signed.tag != _q("Assertion"):
            raise InvalidAssertion("the signature does not cover the assertion")
        conditions = signed.find(_q("Conditions"))
        if conditions is None or not conditions.get("NotOnOrAfter"):
            raise InvalidAssertion("Conditions/@NotOnOrAfter is missing")
        issuer = signed.findtext(_q("Issuer")) or ""
        name_id = signed.findtext(f"{_q('Subject')}/{_q('NameID')}")
        if not name_id:
            raise InvalidAssertion("Subject/NameID is missing")
        attributes: dict[str, list[str]] = {}
        for attribute in signed.iter(_q("Attribute")):
            values = []
            for value in attribute.iter(_q("AttributeValue")):
                child = next(iter(value), None)
                values.append(value.text or "" if child is None else child.get("code", ""))
            attributes[attribute.get("Name")] = values
        # The first KeyInfo certificate is the signer's: signxml checked it chains to the
        # trust anchors and that its key made the signature.
        der = result.signature_xml.findtext(f".//{{{DS_NS}}}X509Certificate") or ""
        cert = x509.load_der_x509_certificate(base64.b64decode("".join(der.split())))
        return Verified(
            signed.get("ID"),
            issuer,
            name_id,
            attributes,
            _parse(conditions.get("NotOnOrAfter")),
            cert,
            signed,
        )


def _parse(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
