"""What the jFSE plugin needs from the billing engine, as one small interface.

In production, care sheets (FSE) are built, secured and transmitted by a certified SESAM-Vitale
component — jFSE is one — whose calls are not public. The plugin talks to a ``JfseBackend``;
this project ships one implementation, ``JsonBackend`` (``client.py``), which speaks the
JSON-over-HTTPS envelope known from public integration material (token, ``method`` with its
``name`` and ``parameters``, ``messages``/``errors`` in the answer) to the simulator
(``simulator.py``). A vendor holding the component's SDK writes another implementation of this
interface — each method's docstring names the engine calls it stands for — and nothing else in
the plugin changes.

Nothing here is certified: the simulator's fee schedule and rules are sample data, and its
acknowledgements are not the Assurance Maladie's.

Amounts are ``Decimal`` euros with two decimals; dates ``YYYY-MM-DD``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol

#: The parcours de soins situations the engine knows.
CARE_PATHWAYS = (
    "medecin_traitant",  # the patient's declared médecin traitant
    "oriente",  # sent by the médecin traitant
    "nouveau_medecin_traitant",  # a new médecin traitant (declaration under way)
    "urgence",  # emergency
    "acces_direct",  # specialties reached directly (gynaecology, ophthalmology…)
    "hors_residence",  # away from the usual residence
    "hors_parcours",  # outside the parcours de soins: lower AMO rate
)
#: Natures of insurance.
INSURANCE_NATURES = ("maladie", "maternite", "at_mp")
#: Exonerations of the ticket modérateur an invoice may claim.
EXONERATIONS = ("ald", "css", "ame", "invalidite", "other")

SecuringMode = Literal["apcv", "vitale", "degraded"]


@dataclass(frozen=True)
class Act:
    """One act to bill: an NGAP letter key (``G``, ``VG``…) or a CCAM code, with modifiers
    (``MD``, ``F``…) that add to its price."""

    code: str
    quantity: int = 1
    modifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Biller:
    """The practitioner who bills."""

    #: Numéro de facturation (AM number, 8 digits and key, 9 characters).
    billing_id: str
    #: RPPS / national id (for the journal and the signature summary).
    national_id: str
    name: str
    #: Code spécialité AMO (``01``: general practice).
    specialty: str = "01"


@dataclass(frozen=True)
class Insured:
    """The beneficiary as the engine takes them (the fields of the API's ``Beneficiary``)."""

    nir: str
    nir_od: str
    birth_name: str
    first_name: str
    birth_date: str  # may be lunar
    rank: int
    regime: str
    caisse: str
    centre: str
    #: Exoneration codes the beneficiary holds (``ald``, ``css``…), from their card or session.
    exonerations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Draft:
    """An invoice as the plugin holds it before the engine prices or secures it. ``number`` is
    the plugin's invoice number, fixed when the invoice is created: the engine keys on it, so
    pricing or securing it again is not a second invoice."""

    number: str
    biller: Biller
    insured: Insured
    date: str
    care_pathway: str
    insurance_nature: str
    #: The exoneration this invoice claims (``None``: none).
    exoneration: str | None
    third_party_amo: bool
    third_party_amc: bool
    acts: tuple[Act, ...]


@dataclass(frozen=True)
class Line:
    """One priced act."""

    code: str
    quantity: int
    modifiers: tuple[str, ...]
    #: Price of one act, modifiers included.
    unit_price: Decimal
    #: ``unit_price × quantity``.
    amount: Decimal


@dataclass(frozen=True)
class Message:
    """Something the engine says about an invoice (``messages[]``)."""

    severity: Literal["info", "warning", "error"]
    text: str


@dataclass(frozen=True)
class Priced:
    """What ``price`` answers: each line and the split of the total."""

    lines: tuple[Line, ...]
    total: Decimal
    #: AMO reimbursement rate applied, in percent (70, 100, 30…).
    amo_rate: int
    #: The participation forfaitaire withheld from the AMO part (0 when it does not apply).
    participation: Decimal
    amo_due: Decimal
    amc_due: Decimal
    #: What the patient pays at the desk, after third-party payment.
    patient_due: Decimal
    messages: tuple[Message, ...] = ()


@dataclass(frozen=True)
class ApcvProof:
    """The beneficiary's ApCV signature of the care sheet (``signerVitale``)."""

    context_id: str
    digest: str  # the SHA-256 (hex) that was signed
    signature: str  # base64
    signed_at: str  # ISO time


@dataclass(frozen=True)
class Secured:
    """What ``secure`` answers (``FDS-validerFacture``)."""

    #: The FSE number the engine assigned.
    fse_number: str
    mode: SecuringMode
    secured_at: dt.datetime
    #: The insurer the care sheet must go to (organisme destinataire: régime, caisse, centre),
    #: e.g. ``01-601-0000``; lots are grouped by it.
    destination: str
    priced: Priced


@dataclass(frozen=True)
class LotToSend:
    """A lot of secured care sheets for one destination. ``number`` is fixed by the plugin
    when the lot is formed: transmitting the same lot again is not a second lot."""

    number: str
    destination: str
    fse_numbers: tuple[str, ...]


@dataclass(frozen=True)
class LotStatus:
    """Where a transmitted lot stands (``NOE-getListeARLPositifs`` / ``…Negatifs``)."""

    number: str
    state: Literal["transmitted", "accepted", "rejected"]
    #: When the ARL (accusé de réception logique) came, if it did.
    acknowledged_at: dt.datetime | None = None
    #: Why an ARL− rejected the lot.
    reason: str = ""
    #: FSE numbers an ARL− names as the cause.
    rejected: tuple[str, ...] = ()


@dataclass(frozen=True)
class Return:
    """A payment or rejection notice for one care sheet (``NOE-getListeVirements``,
    ``NOE-getListeFacturesTP``)."""

    #: Position in the engine's stream of returns, strictly increasing: pass the last one seen
    #: to ``returns`` to get what came after.
    sequence: int
    fse_number: str
    kind: Literal["payment", "rejection"]
    #: Which part: ``amo`` or ``amc``.
    part: Literal["amo", "amc"]
    at: dt.datetime
    amount: Decimal = Decimal("0.00")
    #: The payer (payments) — e.g. ``CPAM 601``.
    payer: str = ""
    #: Rejection code and label (rejections).
    code: str = ""
    label: str = ""


@dataclass
class Exchange:
    """One call to the engine, whatever its outcome, for the journal."""

    method: str
    request: bytes
    response: bytes | None
    seconds: float


class JfseError(Exception):
    """The engine refused or failed. ``code`` is stable, one of:

    - ``invalid``: the engine refused the invoice or lot (``errors`` hold its reasons)
    - ``not-found``: no such invoice or lot at the engine
    - ``state``: the invoice cannot do that in its state (cancel a transmitted one…)
    - ``apcv-expired``: the ApCV context or signature is no longer valid
    - ``auth``: the engine refused the integrator's credentials (after one token refresh)
    - ``malformed``: the engine answered something that cannot be read (not retried)
    - ``unavailable``: the engine could not be reached or is down (transient)
    - ``timeout``: no answer in time (transient)
    """

    def __init__(self, code: str, detail: str, *, errors: tuple[dict[str, str], ...] = ()) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        #: The engine's ``errors[]``: ``{"code", "source", "description"}`` each.
        self.errors = errors

    @property
    def transient(self) -> bool:
        return self.code in ("unavailable", "timeout")


class JfseBackend(Protocol):
    """The billing engine as the plugin uses it. Every method raises ``JfseError`` and appends
    what went on the wire to ``exchanges``."""

    async def price(self, draft: Draft, exchanges: list[Exchange]) -> Priced:
        """Price the invoice: ``FDS-initialiserFacture``, ``FDS-setNatureAssurance``,
        ``FDS-setParcoursSoins``, ``FDS-setCotation`` per act, ``FDS-controlerFacture``,
        ``FDS-getDonneesFacture``. An invoice without acts is refused (``invalid``)."""
        ...

    async def secure(
        self,
        draft: Draft,
        mode: SecuringMode,
        apcv: ApcvProof | None,
        exchanges: list[Exchange],
    ) -> Secured:
        """Secure (validate) the care sheet: ``FDS-validerFacture``, with the ApCV signature
        (``mode="apcv"``), the carte Vitale read (``"vitale"``), or neither (``"degraded"``:
        a paper sheet follows). Securing the same ``draft.number`` again answers the same
        FSE."""
        ...

    async def cancel(self, fse_number: str, exchanges: list[Exchange]) -> None:
        """Cancel a secured care sheet not yet transmitted: ``FDS-annulerFacture``."""
        ...

    async def transmit(self, lot: LotToSend, exchanges: list[Exchange]) -> LotStatus:
        """Transmit a lot (télétransmission). Transmitting a lot number again is not a second
        lot: it answers the lot's status, and sends it anew only if it was rejected."""
        ...

    async def lot_status(self, number: str, exchanges: list[Exchange]) -> LotStatus:
        """The lot's acknowledgement so far: ``NOE-getListeARLPositifs`` and
        ``NOE-getListeARLNegatifs`` for this lot."""
        ...

    async def returns(self, after: int, exchanges: list[Exchange]) -> list[Return]:
        """Payment and rejection notices that came after sequence ``after`` (0: all), oldest
        first: ``NOE-getListeVirements``, ``NOE-getListeFacturesTP``."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...
