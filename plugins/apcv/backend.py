"""What the ApCV plugin needs from the ApCV service, as one small interface.

The real ApCV back end is reached through certified SESAM-Vitale components whose wire format is
not public. The plugin talks to an ``ApcvBackend``; this project ships one implementation,
``SoapBackend`` (``client.py``), which speaks the SOAP 1.2 shape known from public integration
material to the simulator (``simulator.py``). A vendor holding the component's SDK writes another
implementation of this interface — a thin translation of each method to the component's call
named in its docstring — and nothing else in the plugin changes.

Nothing here is certified; the simulator is not the Assurance Maladie's service.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from aiguillage.plugin import Practitioner


@dataclass(frozen=True)
class Context:
    """An ApCV context (``ContexteApCV``): what the service opened for one scan."""

    #: ``Identifiant``.
    id: str
    #: ``TokenApCV``: opaque, sent back with every later call on this context.
    token: str
    #: ``DateFinValidite``, timezone-aware.
    expires_at: dt.datetime


@dataclass(frozen=True)
class RightsPeriod:
    """A period of AMO rights (droits de l'assurance maladie obligatoire)."""

    start: str  # YYYY-MM-DD
    end: str | None  # YYYY-MM-DD; None: open-ended
    #: e.g. "maladie"; free text as the service gives it.
    label: str = ""


@dataclass(frozen=True)
class Exoneration:
    """An exoneration of the ticket modérateur (ALD, maternité, …)."""

    #: ``ald``, ``maternite``, ``at_mp``, ``css`` (complémentaire santé solidaire), ``ame``,
    #: ``invalidite``, ``other``.
    code: str
    label: str = ""
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True)
class Beneficiary:
    """One beneficiary of the context, as a carte Vitale read would give them."""

    nir: str  # 15 characters: 13 and the key
    nir_od: str  # the ouvrant droit's NIR (equal to ``nir`` when the beneficiary is insured)
    birth_name: str
    first_name: str
    #: YYYY-MM-DD as the card holds it; may be a lunar date (day or month ``00``, day 31 of a
    #: short month…), which is not a calendar date.
    birth_date: str
    rank: int  # rang de naissance, 1–9
    regime: str  # 2 digits, e.g. "01" (régime général)
    caisse: str  # 3 digits
    centre: str  # 4 digits
    rights: tuple[RightsPeriod, ...] = ()
    exonerations: tuple[Exoneration, ...] = ()
    #: The INS (matricule INS, 15 characters) and its OID, when the context carries it.
    ins: str | None = None
    ins_oid: str | None = None
    #: The beneficiary's usual name (nom d'usage), when different.
    used_name: str | None = None


@dataclass(frozen=True)
class Opened:
    """What ``open`` answers: the context and its beneficiaries."""

    context: Context
    beneficiaries: tuple[Beneficiary, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Signature:
    """What ``sign`` answers: the ApCV signature of a care sheet."""

    #: Base64 of the signature the service computed.
    value: str
    #: When the service signed, timezone-aware.
    signed_at: dt.datetime
    #: The service's identifier for the signing (for the journal and the billing engine).
    reference: str = ""


class ApcvError(Exception):
    """The service refused or failed. ``code`` is stable, one of:

    - ``qr-expired``: the scanned payload is past its validity
    - ``qr-tampered``: the payload's signature or structure does not hold
    - ``qr-replayed``: the payload was already used to open a context
    - ``qr-invalid``: the payload is not an ApCV payload at all
    - ``context-expired``: the context is past ``DateFinValidite``
    - ``context-unknown``: no such context (destroyed, or never opened)
    - ``refused``: any other refusal of the service (``detail`` says which)
    - ``malformed``: the service answered something that cannot be read (not retried: the
      same question gets the same answer)
    - ``unavailable``: the service could not be reached or is down (transient)
    - ``timeout``: no answer in time (transient)
    """

    def __init__(self, code: str, detail: str, *, service_code: str | None = None) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        #: The service's own fault code, when it gave one.
        self.service_code = service_code

    @property
    def transient(self) -> bool:
        return self.code in ("unavailable", "timeout")


@dataclass
class Exchange:
    """One call to the service, whatever its outcome, for the journal."""

    operation: str
    request: bytes
    response: bytes | None
    seconds: float


class ApcvBackend(Protocol):
    """The ApCV service as the plugin uses it. Every method raises ``ApcvError``; every call
    appends what went on the wire to ``exchanges`` (the journal keeps it)."""

    async def open(
        self, payload: str, practitioner: Practitioner, exchanges: list[Exchange]
    ) -> Opened:
        """Open a context from a scanned QR code or NFC payload (opaque, passed unchanged) and
        read its beneficiaries: ``authentifierUtilisateurProximite`` then
        ``restituerContexteApCV``."""
        ...

    async def read(
        self, context: Context, practitioner: Practitioner, exchanges: list[Exchange]
    ) -> Opened:
        """Read the context and its beneficiaries again: ``restituerContexteApCV``."""
        ...

    async def close(
        self, context: Context, practitioner: Practitioner, exchanges: list[Exchange]
    ) -> None:
        """Destroy the context: ``detruireContexteApCV``. An unknown or expired context is not
        an error here (it is gone either way)."""
        ...

    async def sign(
        self,
        context: Context,
        digest: str,
        summary: dict[str, str],
        practitioner: Practitioner,
        exchanges: list[Exchange],
    ) -> Signature:
        """Have the beneficiary's ApCV sign a care sheet: ``signerVitale`` with the context, the
        invoice's SHA-256 ``digest`` (hex) and a readable ``summary`` (practitioner,
        beneficiary, amounts, as labelled strings)."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
