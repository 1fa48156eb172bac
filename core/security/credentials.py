"""Certificates and keys from PKCS#12 (or PEM) files, loaded once and kept in memory.

Key material is never written to disk: the TLS context gets the key through an anonymous
in-memory file (``memfd``), which the ``ssl`` module can open by path but nothing else can see.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from cryptography.hazmat.primitives.serialization import pkcs12

from aiguillage.certificates import EXPIRY_WARNING_DAYS, CertificateError
from aiguillage.hookspecs import Health, PluginConfig
from aiguillage.security.testpki import plugin_test_pki


@dataclass(frozen=True)
class Credential:
    """A private key with its certificate and the chain up to (not including) the root."""

    key: RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()
    source: str = ""

    @property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()

    def days_left(self, now: dt.datetime | None = None) -> int:
        now = now or dt.datetime.now(dt.UTC)
        return (self.certificate.not_valid_after_utc - now).days

    def pem_chain(self) -> bytes:
        return b"".join(
            c.public_bytes(serialization.Encoding.PEM) for c in (self.certificate, *self.chain)
        )

    def pem_key(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def load_credential(path: str | Path, password: str | None) -> Credential:
    """The key, certificate and chain of a PKCS#12 file (``.p12``/``.pfx``)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CertificateError(f"{path}: {exc.strerror}") from None
    try:
        key, cert, chain = _decoded(data, password)
    except ValueError:
        raise CertificateError(f"{path}: not a PKCS#12 file, or wrong password") from None
    if key is None or cert is None:
        raise CertificateError(f"{path}: the PKCS#12 file must hold a key and its certificate")
    if not isinstance(key, RSAPrivateKey):
        raise CertificateError(f"{path}: only RSA keys are used by the national services")
    return Credential(key, cert, tuple(chain), str(path))


@functools.lru_cache(maxsize=16)
def _decoded(data: bytes, password: str | None) -> tuple[Any, Any, tuple[x509.Certificate, ...]]:
    # Decoding a PKCS#12 file is slow on purpose (its key derivation): a daemon whose plugins
    # and simulators load the same files decodes each once. Keyed by the file's bytes, so a
    # renewed certificate is read anew.
    key, cert, chain = pkcs12.load_key_and_certificates(
        data, password.encode() if password else None
    )
    return key, cert, tuple(chain)


def load_ca_bundle(path: str | Path) -> list[x509.Certificate]:
    try:
        return x509.load_pem_x509_certificates(Path(path).read_bytes())
    except (OSError, ValueError) as exc:
        raise CertificateError(f"{path}: not a PEM certificate bundle ({exc})") from None


def client_context(credential: Credential | None, trust: Path | None) -> ssl.SSLContext:
    """A TLS client context presenting ``credential`` and trusting ``trust`` (a PEM bundle;
    ``None``: the system's trust store)."""
    context = ssl.create_default_context(cafile=str(trust) if trust else None)
    if credential is not None:
        load_into(context, credential)
    return context


def server_context(credential: Credential, client_trust: Path | None) -> ssl.SSLContext:
    """A TLS server context; with ``client_trust``, clients must present a certificate it
    trusts."""
    context = ssl.create_default_context(
        ssl.Purpose.CLIENT_AUTH, cafile=str(client_trust) if client_trust else None
    )
    if client_trust:
        context.verify_mode = ssl.CERT_REQUIRED
    load_into(context, credential)
    return context


def load_into(context: ssl.SSLContext, credential: Credential) -> None:
    # ssl only loads keys from a path: give it one that lives in memory only.
    fd = os.memfd_create("aiguillage-credential", os.MFD_CLOEXEC)
    try:
        os.write(fd, credential.pem_chain() + credential.pem_key())
        context.load_cert_chain(f"/proc/self/fd/{fd}")
    finally:
        os.close(fd)


def note_expiry(health: Health, credentials: dict[str, Credential | None]) -> Health:
    """Add each credential's days to expiry to ``health``; under 30 days an up plugin is
    degraded (it works today, but someone must renew a certificate soon)."""
    for name, credential in credentials.items():
        if credential is None:
            continue
        days = credential.days_left()
        health.extra[f"{name}_days_left"] = days
        if days < EXPIRY_WARNING_DAYS:
            if health.status == "up":
                health.status = "degraded"
            health.detail += f"; {name} expires in {days} days"
    return health


def configured_credential(config: PluginConfig, key: str, test_file: str) -> Credential | None:
    """The credential a plugin's ``key`` names; while the plugin talks to its simulator with
    none configured, the matching one of its test PKI (``test_file`` without ``.p12``)."""
    path = config.options.get(key)
    if path:
        secret = config.options.get(f"{key}_password")
        return load_credential(path, secret.reveal() if secret else None)
    if config.endpoint == "simulator":
        pki = plugin_test_pki(config.data_dir)
        return load_credential(pki.p12(test_file), pki.password)
    return None


def configured_trust(config: PluginConfig) -> Path | None:
    """What a plugin trusts for its server: ``server_ca``, its test PKI with its simulator,
    else the system's trust store (``None``)."""
    if config.options.get("server_ca"):
        return Path(config.options["server_ca"])
    if config.endpoint == "simulator":
        return plugin_test_pki(config.data_dir).ca_bundle
    return None
