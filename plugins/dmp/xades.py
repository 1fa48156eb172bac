"""The detached XAdES signature that travels with every DMP submission: an XML-DSig signature
over an IHE manifest listing each signed document by its uniqueId and digest, with XAdES 1.1.1
signed properties (signing time, signing certificate), as the DMP kit describes it.

The signature covers the manifest and the signed properties by reference (``#Id``); the manifest
covers the documents by digest. Verification checks all three, and the certificate chain."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from lxml import etree

from aiguillage.plugin import Credential, XmlError, new_uuid, utc_now
from aiguillage.plugin import parse_xml as parse

DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.1.1#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
MANIFEST_TYPE = "http://www.w3.org/2000/09/xmldsig#Manifest"
SIGNED_PROPERTIES_TYPE = "http://uri.etsi.org/01903/v1.1.1#SignedProperties"
PURPOSE_SOURCE = "1.2.840.10065.1.12.1.14"  # ASTM E1762 "Source Signature"


class InvalidXades(Exception):
    """The signature, a digest, or the certificate chain is wrong; the message says which."""


@dataclass(frozen=True)
class VerifiedXades:
    signed_ids: list[str]  # uniqueIds the manifest covers
    certificate: x509.Certificate
    signing_time: str
    purposes: list[str]  # OIDs of the signed CommitmentTypeIndications


def _ds(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{DS}}}{tag}", attrs)
    element.text = text
    return element


def _digest(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def _c14n(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n", exclusive=True, with_comments=False)


def sign(
    documents: dict[str, bytes], credential: Credential, now: dt.datetime | None = None
) -> bytes:
    """A detached signature of ``documents`` (uniqueId → bytes) by ``credential``."""
    now = now or utc_now()
    signature_id = f"sig-{new_uuid()}"
    signature = etree.Element(f"{{{DS}}}Signature", nsmap={"ds": DS, "xad": XADES}, Id=signature_id)
    signed_info = _ds(signature, "SignedInfo")
    _ds(signed_info, "CanonicalizationMethod", Algorithm=EXC_C14N)
    _ds(signed_info, "SignatureMethod", Algorithm=RSA_SHA256)
    references = {}
    for target, kind in (
        ("IHEManifest", MANIFEST_TYPE),
        ("SignedProperties", SIGNED_PROPERTIES_TYPE),
    ):
        reference = _ds(signed_info, "Reference", Type=kind, URI=f"#{target}")
        _ds(_ds(reference, "Transforms"), "Transform", Algorithm=EXC_C14N)
        _ds(reference, "DigestMethod", Algorithm=SHA256)
        references[target] = _ds(reference, "DigestValue")
    signature_value = _ds(signature, "SignatureValue")
    x509_data = _ds(_ds(signature, "KeyInfo"), "X509Data")
    for cert in (credential.certificate, *credential.chain):
        _ds(
            x509_data,
            "X509Certificate",
            base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode(),
        )

    manifest = _ds(_ds(signature, "Object"), "Manifest", Id="IHEManifest")
    for unique_id, content in documents.items():
        reference = _ds(manifest, "Reference", URI=f"urn:oid:{unique_id}")
        _ds(reference, "DigestMethod", Algorithm=SHA256)
        _ds(reference, "DigestValue", _digest(content))
    qualifying = etree.SubElement(
        _ds(signature, "Object"), f"{{{XADES}}}QualifyingProperties", Target=f"#{signature_id}"
    )
    signed_properties = etree.SubElement(
        qualifying, f"{{{XADES}}}SignedProperties", Id="SignedProperties"
    )
    signature_properties = etree.SubElement(
        signed_properties, f"{{{XADES}}}SignedSignatureProperties"
    )
    etree.SubElement(signature_properties, f"{{{XADES}}}SigningTime").text = now.astimezone(
        dt.UTC
    ).isoformat(timespec="seconds")
    certs = etree.SubElement(signature_properties, f"{{{XADES}}}SigningCertificate")
    for cert in (credential.certificate, *credential.chain):
        entry = etree.SubElement(certs, f"{{{XADES}}}Cert")
        # XAdES 1.1.1 puts the certificate digest in its own namespace, unlike 1.3.2.
        digest = etree.SubElement(entry, f"{{{XADES}}}CertDigest")
        etree.SubElement(digest, f"{{{XADES}}}DigestMethod", Algorithm=SHA256)
        etree.SubElement(digest, f"{{{XADES}}}DigestValue").text = _digest(
            cert.public_bytes(serialization.Encoding.DER)
        )
        serial = etree.SubElement(entry, f"{{{XADES}}}IssuerSerial")
        _ds(serial, "X509IssuerName", cert.issuer.rfc4514_string())
        _ds(serial, "X509SerialNumber", str(cert.serial_number))
    policy = etree.SubElement(signature_properties, f"{{{XADES}}}SignaturePolicyIdentifier")
    etree.SubElement(policy, f"{{{XADES}}}SignaturePolicyImplied")
    # The purpose of the signature, as IHE DSG (ITI TF-3 §5.5.2) carries it: a
    # CommitmentTypeIndication among the signed properties, so that it is signed too.
    data_properties = etree.SubElement(signed_properties, f"{{{XADES}}}SignedDataObjectProperties")
    commitment = etree.SubElement(data_properties, f"{{{XADES}}}CommitmentTypeIndication")
    commitment_id = etree.SubElement(commitment, f"{{{XADES}}}CommitmentTypeId")
    identifier = etree.SubElement(commitment_id, f"{{{XADES}}}Identifier", Qualifier="OIDAsURN")
    identifier.text = f"urn:oid:{PURPOSE_SOURCE}"
    etree.SubElement(commitment_id, f"{{{XADES}}}Description").text = "Source Signature"
    etree.SubElement(commitment, f"{{{XADES}}}AllSignedDataObjects")

    # Digests are taken once the tree is complete: canonical forms depend on the ancestors.
    references["IHEManifest"].text = _digest(_c14n(manifest))
    references["SignedProperties"].text = _digest(_c14n(signed_properties))
    signature_value.text = base64.b64encode(
        credential.key.sign(_c14n(signed_info), padding.PKCS1v15(), hashes.SHA256())
    ).decode()
    return etree.tostring(signature, xml_declaration=True, encoding="UTF-8")


def verify(
    data: bytes, documents: dict[str, bytes], trust: list[x509.Certificate]
) -> VerifiedXades:
    """Check the signature value, the two references, the manifest's digests against
    ``documents`` (uniqueId → bytes), and that the signer chains to ``trust``."""
    try:
        signature = parse(data)
    except XmlError as exc:
        raise InvalidXades(f"not XML: {exc}") from None
    if signature.tag != f"{{{DS}}}Signature":
        raise InvalidXades("the document is not an XML signature")
    by_id = {e.get("Id"): e for e in signature.iter() if e.get("Id")}
    signed_info = signature.find(f"{{{DS}}}SignedInfo")
    if signed_info is None:
        raise InvalidXades("SignedInfo is missing")
    signed = []  # what SignedInfo covers
    for reference in signed_info.iterfind(f"{{{DS}}}Reference"):
        target = by_id.get(reference.get("URI", "").removeprefix("#"))
        if target is None:
            raise InvalidXades(f"reference {reference.get('URI')} points at nothing")
        if reference.findtext(f"{{{DS}}}DigestValue") != _digest(_c14n(target)):
            raise InvalidXades(f"{reference.get('URI')} was changed after signing")
        signed.append(target)
    manifest = by_id.get("IHEManifest")
    if manifest is None:
        raise InvalidXades("the IHE manifest is missing")
    signed_ids = []
    for reference in manifest.iterfind(f"{{{DS}}}Reference"):
        unique_id = reference.get("URI", "").removeprefix("urn:oid:")
        if unique_id not in documents:
            raise InvalidXades(f"the manifest signs {unique_id}, which was not submitted")
        if reference.findtext(f"{{{DS}}}DigestValue") != _digest(documents[unique_id]):
            raise InvalidXades(f"document {unique_id} does not match its signed digest")
        signed_ids.append(unique_id)
    certs = [
        x509.load_der_x509_certificate(base64.b64decode("".join((c.text or "").split())))
        for c in signature.iter(f"{{{DS}}}X509Certificate")
    ]
    if not certs:
        raise InvalidXades("KeyInfo holds no certificate")
    value = base64.b64decode(signature.findtext(f"{{{DS}}}SignatureValue") or "")
    try:
        certs[0].public_key().verify(value, _c14n(signed_info), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise InvalidXades("the signature value does not match SignedInfo") from None
    _check_chain(certs, trust)
    purposes = [
        (identifier.text or "").removeprefix("urn:oid:")
        for target in signed
        if target.tag == f"{{{XADES}}}SignedProperties"
        for identifier in target.iterfind(
            f".//{{{XADES}}}CommitmentTypeIndication/{{{XADES}}}CommitmentTypeId"
            f"/{{{XADES}}}Identifier"
        )
    ]
    return VerifiedXades(
        signed_ids, certs[0], signature.findtext(f".//{{{XADES}}}SigningTime") or "", purposes
    )


def _check_chain(certs: list[x509.Certificate], trust: list[x509.Certificate]) -> None:
    anchors = {c.subject: c for c in trust}
    current = certs[0]
    pool = {c.subject: c for c in certs[1:]} | anchors
    for _ in range(8):
        issuer = pool.get(current.issuer)
        if issuer is None:
            raise InvalidXades(f"no trusted issuer for {current.subject.rfc4514_string()}")
        try:
            current.verify_directly_issued_by(issuer)
        except (ValueError, TypeError, InvalidSignature):
            raise InvalidXades(
                f"{current.subject.rfc4514_string()} is not signed by its issuer"
            ) from None
        if issuer.subject in anchors and issuer.subject == issuer.issuer:
            return
        current = issuer
    raise InvalidXades("certificate chain too long or looping")
