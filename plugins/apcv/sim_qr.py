"""The QR payloads the ApCV simulator issues, and their checks.

The real payload format is not public and the plugin keeps it opaque end to end; only the
simulator reads it. The simulator's form is compact enough for a QR code::

    APCV1.<base64url(JSON {v, sub, iat, exp, nonce})>.<base64url(Ed25519 signature)>

signed over ``APCV1.<claims>`` with a key kept in the plugin's data dir (made on first use, mode
600), so that ``aiguillage simulate apcv --qr NESSI`` and a running simulator share it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PREFIX = "APCV1"
VERSION = 1
KEY_FILE = "simulator-qr-key.pem"


class QrRefused(Exception):
    """The payload does not hold; ``reason`` is ``invalid``, ``tampered`` or ``expired``."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True)
class Claims:
    sub: str  # the holder's key in beneficiaries.toml
    iat: int
    exp: int
    nonce: str


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    # Strict alphabet: a payload with other characters was altered, not just re-padded.
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


class QrKey:
    """The simulator's signing key, loaded from (or first written to) ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / KEY_FILE
        self._key: Ed25519PrivateKey | None = None

    @property
    def key(self) -> Ed25519PrivateKey:
        if self._key is None:
            self._key = self._load_or_create()
        return self._key

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.key.public_key()

    def _load_or_create(self) -> Ed25519PrivateKey:
        if not self.path.exists():
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            pem = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            # Written whole under a private name, then linked into place: a CLI and a simulator
            # starting together never read a half-written key, and the first one wins.
            temporary = self.path.with_name(f".{KEY_FILE}.{secrets.token_hex(6)}")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as file:
                file.write(pem)
            with contextlib.suppress(FileExistsError):
                os.link(temporary, self.path)
            temporary.unlink()
        key = serialization.load_pem_private_key(self.path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{self.path.name} does not hold an Ed25519 key")
        return key

    def sign(self, data: bytes) -> bytes:
        return self.key.sign(data)

    def issue(self, subject: str, now: float, validity: float) -> str:
        claims = {
            "v": VERSION,
            "sub": subject,
            "iat": int(now),
            "exp": int(now + validity),
            "nonce": secrets.token_urlsafe(12),
        }
        signed = f"{PREFIX}.{_b64(json.dumps(claims, separators=(',', ':')).encode())}"
        return f"{signed}.{_b64(self.sign(signed.encode()))}"

    def verify(self, payload: str, now: float) -> Claims:
        """The payload's claims; ``QrRefused`` when it is not ours, altered or expired (replays
        are the caller's: it alone knows which nonces were used)."""
        if not payload.startswith(PREFIX + "."):
            raise QrRefused("invalid", "not an ApCV payload")
        parts = payload.split(".")
        if len(parts) != 3:
            raise QrRefused("tampered", "the payload has not three parts")
        try:
            body, signature = _unb64(parts[1]), _unb64(parts[2])
        except (binascii.Error, ValueError):
            raise QrRefused("tampered", "the payload is not base64url") from None
        if _b64(signature) != parts[2]:
            # A changed last character may leave the decoded bytes alone: only the canonical
            # text of the signature is accepted, so any change to the payload shows.
            raise QrRefused("tampered", "the signature is not in canonical base64url")
        try:
            self.public_key.verify(signature, f"{parts[0]}.{parts[1]}".encode())
        except InvalidSignature:
            raise QrRefused("tampered", "the signature does not match") from None
        try:
            claims = json.loads(body)
            result = Claims(
                str(claims["sub"]), int(claims["iat"]), int(claims["exp"]), str(claims["nonce"])
            )
            if claims["v"] != VERSION:
                raise ValueError("version")
        except (ValueError, KeyError, TypeError):
            # Signed by us yet unreadable: a key reused by another format; treat as altered.
            raise QrRefused("tampered", "the claims are unreadable") from None
        if now >= result.exp:
            raise QrRefused("expired", f"expired {int(now - result.exp)} s ago")
        return result


class Nonces:
    """The nonces of payloads already used, kept until their payload expires (after that the
    payload is refused as expired anyway)."""

    def __init__(self) -> None:
        self._used: dict[str, int] = {}

    def use(self, claims: Claims, now: float) -> bool:
        """Remember ``claims``' nonce; False when it was already used."""
        if len(self._used) > 10_000:
            self._used = {n: exp for n, exp in self._used.items() if exp > now}
        if claims.nonce in self._used:
            return False
        self._used[claims.nonce] = claims.exp
        return True
