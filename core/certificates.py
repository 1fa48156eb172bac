"""Reading the certificates plugins are configured with, to report what they hold and when they
expire. Key material stays in memory; nothing is written to disk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12

from aiguillage.hookspecs import ConfigKey

EXPIRY_WARNING_DAYS = 30


class CertificateError(Exception):
    """The file is missing, unreadable, or the password is wrong."""


@dataclass(frozen=True)
class CertificateInfo:
    subject: str
    issuer: str
    not_after: dt.datetime

    def days_left(self, now: dt.datetime | None = None) -> int:
        now = now or dt.datetime.now(dt.UTC)
        return (self.not_after - now).days


def certificate_keys(name: str, description: str) -> tuple[ConfigKey, ConfigKey]:
    """A certificate config key and the secret key holding its password, declared together."""
    password = f"{name}_password"
    return (
        ConfigKey(
            name, "certificate", "", f"{description} (PKCS#12 or PEM file)", password_key=password
        ),
        ConfigKey(password, "secret", None, f"password of {name}"),
    )


def read_certificate(path: str | Path, password: str | None = None) -> CertificateInfo:
    """The leaf certificate of a PKCS#12 bundle or PEM/DER file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CertificateError(f"{path}: {exc.strerror}") from None
    cert = _leaf(path, data, password)
    return CertificateInfo(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        not_after=cert.not_valid_after_utc,
    )


def _leaf(path: Path, data: bytes, password: str | None) -> x509.Certificate:
    if path.suffix.lower() in (".p12", ".pfx"):
        try:
            bundle = pkcs12.load_pkcs12(data, password.encode() if password else None)
        except ValueError:
            raise CertificateError(f"{path}: not a PKCS#12 file, or wrong password") from None
        if bundle.cert is None:
            raise CertificateError(f"{path}: the PKCS#12 bundle holds no certificate")
        return bundle.cert.certificate
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)[0]
        return x509.load_der_x509_certificate(data)
    except ValueError:
        raise CertificateError(f"{path}: not a PEM or DER certificate") from None
