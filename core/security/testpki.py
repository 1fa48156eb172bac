"""A private test PKI shaped like the IGC-Santé test chain, so tests and demos never need a
real card or certificate: a root, two intermediates (organisations, persons), a structure
authentication certificate with CN ``INSI-AUTO``, a practitioner's signature certificate and a
server certificate for the simulators."""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

#: The practitioner of the test PKI: a test RPPS-style national id, as in the ANS examples.
TEST_PRACTITIONER_ID = "899900063480"
TEST_STRUCTURE_ID = "499900063480001"


@dataclass(frozen=True)
class TestPki:
    directory: Path
    password: str

    @property
    def ca_bundle(self) -> Path:
        """Root and intermediates: what a peer trusts."""
        return self.directory / "ca-bundle.pem"

    def p12(self, name: str) -> Path:
        return self.directory / f"{name}.p12"

    @property
    def password_file(self) -> Path:
        return self.directory / "password.txt"


def _name(*parts: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in parts])


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _cert(
    subject: x509.Name,
    key: rsa.RSAPrivateKey,
    issuer: x509.Name,
    issuer_key: rsa.RSAPrivateKey,
    days: int,
    ca: bool,
    extra: list[tuple[x509.ExtensionType, bool]] = (),
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    for extension, critical in extra:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(issuer_key, hashes.SHA256())


def _usage(signature: bool, encipherment: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signature,
        content_commitment=signature and not encipherment,
        key_encipherment=encipherment,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def make_test_pki(directory: Path, password: str | None = None) -> TestPki:
    """Write the test PKI into ``directory`` (created, mode 700); returns where things are."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    password = password or secrets.token_urlsafe(16)
    org = [
        (NameOID.COUNTRY_NAME, "FR"),
        (NameOID.ORGANIZATION_NAME, "AIGUILLAGE TEST"),
        (NameOID.ORGANIZATIONAL_UNIT_NAME, "IGC-SANTE TEST"),
    ]
    root_key = _key()
    root_name = _name(*org, (NameOID.COMMON_NAME, "TEST AC RACINE IGC-SANTE ELEMENTAIRE"))
    root = _cert(root_name, root_key, root_name, root_key, 3650, ca=True)
    intermediates = {}
    for kind in ("ORGANISATIONS", "PERSONNES"):
        key = _key()
        name = _name(*org, (NameOID.COMMON_NAME, f"TEST AC IGC-SANTE ELEMENTAIRE {kind}"))
        intermediates[kind] = (key, name, _cert(name, key, root_name, root_key, 3650, ca=True))

    def leaf(
        file: str,
        kind: str,
        subject: x509.Name,
        usage: x509.KeyUsage,
        eku: list[x509.ObjectIdentifier],
        san: list[x509.GeneralName] = (),
    ) -> None:
        issuer_key, issuer_name, issuer_cert = intermediates[kind]
        key = _key()
        extra = [(usage, True), (x509.ExtendedKeyUsage(eku), False)]
        if san:
            extra.append((x509.SubjectAlternativeName(san), False))
        cert = _cert(subject, key, issuer_name, issuer_key, 1095, ca=False, extra=extra)
        data = pkcs12.serialize_key_and_certificates(
            file.encode(),
            key,
            cert,
            [issuer_cert],
            serialization.BestAvailableEncryption(password.encode()),
        )
        _write(directory / f"{file}.p12", data)

    structure = [
        (NameOID.COUNTRY_NAME, "FR"),
        (NameOID.ORGANIZATION_NAME, "CABINET TEST"),
        (NameOID.ORGANIZATIONAL_UNIT_NAME, TEST_STRUCTURE_ID),
    ]
    leaf(
        "insi-auto",
        "ORGANISATIONS",
        _name(*structure, (NameOID.COMMON_NAME, "INSI-AUTO")),
        _usage(True, True),
        [ExtendedKeyUsageOID.CLIENT_AUTH],
    )
    leaf(
        "structure-auth",
        "ORGANISATIONS",
        _name(*structure, (NameOID.COMMON_NAME, "CABINET TEST AUTHENTIFICATION")),
        _usage(True, True),
        [ExtendedKeyUsageOID.CLIENT_AUTH],
    )
    leaf(
        "practitioner-signature",
        "PERSONNES",
        _name(
            (NameOID.COUNTRY_NAME, "FR"),
            (NameOID.TITLE, "Médecin"),
            (NameOID.SURNAME, "LIBRE"),
            (NameOID.GIVEN_NAME, "MAX"),
            (NameOID.COMMON_NAME, TEST_PRACTITIONER_ID),
        ),
        _usage(True, False),
        [ExtendedKeyUsageOID.EMAIL_PROTECTION],
    )
    leaf(
        "server",
        "ORGANISATIONS",
        _name(*org, (NameOID.COMMON_NAME, "localhost")),
        _usage(True, True),
        [ExtendedKeyUsageOID.SERVER_AUTH],
        [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))],
    )
    pem = serialization.Encoding.PEM
    _write(
        directory / "ca-bundle.pem",
        root.public_bytes(pem)
        + b"".join(cert.public_bytes(pem) for _, _, cert in intermediates.values()),
    )
    _write(directory / "password.txt", password.encode())
    return TestPki(directory, password)


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    path.chmod(0o600)


def plugin_test_pki(plugin_data_dir: Path) -> TestPki:
    """A plugin's own test PKI, made once in its data dir: the simulators' server and client
    trust, and the client's credentials while it talks to its simulator unconfigured."""
    directory = plugin_data_dir / "test-pki"
    password_file = directory / "password.txt"
    if password_file.exists():
        return TestPki(directory, password_file.read_text())
    return make_test_pki(directory)
