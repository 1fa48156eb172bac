"""The simulated jFSE engine's books: invoices keyed by the software's invoice number, their
FSE once validated, lots and their ARL, and the payment or rejection notices that follow an
ARL+. Time only moves when someone asks (see :class:`Books`); the simulator (``simulator.py``)
serves them over the JSON envelope.

Rules the simulator applies (the real engine's are not public):

- validating an invoice again answers the same FSE; a validated invoice cannot be changed;
  ApCV securing needs the beneficiary's signature, at most :data:`APCV_SIGNATURE_VALIDITY`
  seconds old, with its context id and the digest signed (its form only: see
  ``_check_proof``);
- only a validated FSE not in a lot can be cancelled (cancelling it again is no error);
- a lot is keyed by its number: transmitting it again answers its status, and sends it anew
  only after an ARL−; its ARL comes a random (seeded) delay later, negative when the lot is
  malformed (an FSE unknown, cancelled, already in another lot, for another insurer, or named
  twice) or when injected; the sound FSEs of a rejected lot go back to the software;
- after an ARL+, each FSE gets, another random delay later, a notice for its AMO part and one
  for its AMC part when the AMC pays by third party: a payment, or a rejection when injected.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from random import Random
from typing import Any

from aiguillage.plugin import Faults as SimulatorFaults

from .engine import Case, Engine, EngineError, PricedLine, Split

#: How old an ApCV signature may be when the care sheet is validated with it.
APCV_SIGNATURE_VALIDITY = 600.0
#: How far ahead of the engine's clock a signature time may be (clocks differ a little).
CLOCK_SKEW = 60.0
#: The rejection a ``reject_payment`` fault produces (the real codes are not public).
PAYMENT_REJECTION = ("SIM-101", "Droits AMO non ouverts à la date des soins (rejet simulé)")
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


class SimError(Exception):
    """An ``errors[]`` entry the engine answers; ``status`` is the HTTP status it goes with."""

    def __init__(self, code: str, description: str, source: str = "", status: int = 200) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.source = source
        self.status = status

    def entry(self) -> dict[str, str]:
        return {"code": self.code, "source": self.source, "description": self.description}


def from_engine(exc: EngineError) -> SimError:
    return SimError(exc.code, exc.detail, exc.field)


@dataclass
class Faults(SimulatorFaults):
    """The common fault injection (an outage answers 503 ``SERVICE_INDISPONIBLE``), plus
    jFSE's own, each a count of the next occurrences it spoils."""

    #: The next calls answer 403 whatever their token (an engine refusing the integrator).
    forbid: int = 0
    #: The next calls answer 503 ``SERVICE_INDISPONIBLE`` (a passing failure).
    unavailable: int = 0
    #: The next lots transmitted get an ARL−.
    arl_negative: int = 0
    #: The next payment notices are rejections.
    reject_payment: int = 0
    #: The next ApCV-secured validations find the ApCV context expired.
    apcv_expired: int = 0
    #: The next engine calls answer a question instead of a result.
    question: int = 0

    COUNTS = ("forbid", "unavailable", "arl_negative", "reject_payment", "apcv_expired", "question")

    def update(self, body: dict) -> None:
        if "latency" in body:
            body = {**body, "latency_ms": float(body["latency"]) * 1000}
        super().update(body)
        for key in self.COUNTS:
            if key in body:
                value = body[key]
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise ValueError(f"{key} must be a count (an integer ≥ 0)")
                setattr(self, key, value)

    def state(self) -> dict[str, Any]:
        return {**super().state(), **{key: getattr(self, key) for key in self.COUNTS}}

    def take(self, key: str) -> bool:
        """Spend one of the ``key`` fault: whether there was one."""
        if getattr(self, key) > 0:
            setattr(self, key, getattr(self, key) - 1)
            return True
        return False


@dataclass
class Invoice:
    number: str
    date: dt.date
    biller: dict[str, str]
    insured: dict[str, Any]
    third_party_amo: bool
    third_party_amc: bool
    nature: str = "maladie"
    exoneration: str | None = None
    pathway: str = "medecin_traitant"
    lines: dict[int, PricedLine] = field(default_factory=dict)
    #: pending → validated → sent → accepted → paid | payment_rejected; cancelled.
    state: str = "pending"
    split: Split | None = None
    fse: str | None = None
    mode: str | None = None
    secured_at: dt.datetime | None = None
    lot: str | None = None

    @property
    def destination(self) -> str:
        i = self.insured
        return f"{i['regime']}-{i['caisse']}-{i['centre']}"

    def case(self) -> Case:
        return Case(
            date=self.date,
            birth_date=self.insured["birth_date"],
            care_pathway=self.pathway,
            insurance_nature=self.nature,
            exoneration=self.exoneration,
            third_party_amo=self.third_party_amo,
            third_party_amc=self.third_party_amc,
            lines=tuple(self.lines[n] for n in sorted(self.lines)),
            held_exonerations=tuple(self.insured["exonerations"]),
        )


@dataclass
class Lot:
    number: str
    destination: str
    fses: tuple[str, ...]
    #: transmitted → accepted | rejected (a rejected lot may be transmitted anew).
    state: str
    transmitted_at: dt.datetime
    ack_at: dt.datetime
    #: Why the ARL will be (or was) negative; empty: positive.
    reason: str = ""
    rejected: tuple[str, ...] = ()
    #: Seconds after the ARL at which each FSE's notices come (drawn at transmission).
    return_delays: tuple[float, ...] = ()


@dataclass
class Notice:
    """A payment or rejection notice for one part of one care sheet."""

    sequence: int
    fse: str
    part: str
    kind: str  # payment | rejection
    at: dt.datetime
    amount: Decimal
    payer: str
    code: str = ""
    label: str = ""


@dataclass(order=True)
class _Due:
    at: dt.datetime
    order: int
    fse: str = field(compare=False)
    part: str = field(compare=False)


class Books:
    """The engine's invoices, lots and notices. Time only moves when someone asks: every call
    first settles what fell due (ARLs, then notices, in the order they fell due), so the
    outcome depends on the seed and the calls, not on a background task."""

    def __init__(
        self,
        engine: Engine,
        faults: Faults,
        random: Random,
        ack_delay: tuple[float, float],
        return_delay: tuple[float, float],
        clock: Callable[[], dt.datetime],
    ) -> None:
        self.engine = engine
        self.faults = faults
        self.random = random
        self.ack_delay = ack_delay
        self.return_delay = return_delay
        self.clock = clock
        self.invoices: dict[str, Invoice] = {}
        self.by_fse: dict[str, Invoice] = {}
        self.lots: dict[str, Lot] = {}
        self.notices: list[Notice] = []
        self._due: list[_Due] = []
        self._fse_counter = 0
        self._due_counter = 0

    # --- invoices ----------------------------------------------------------------------------

    def invoice(self, number: str) -> Invoice:
        invoice = self.invoices.get(number)
        if invoice is None:
            raise SimError(
                "FACTURE_INCONNUE", f"invoice {number!r} is unknown to the engine", "numeroFacture"
            )
        return invoice

    def pending(self, number: str) -> Invoice:
        invoice = self.invoice(number)
        if invoice.state != "pending":
            raise SimError(
                "ETAT_FACTURE",
                f"invoice {number!r} is {invoice.state}: it can no longer be changed",
                "numeroFacture",
            )
        return invoice

    def open(self, invoice: Invoice) -> None:
        """Start (or start over) an invoice; a validated one cannot be started over."""
        known = self.invoices.get(invoice.number)
        if known is not None and known.state != "pending":
            raise SimError(
                "ETAT_FACTURE",
                f"invoice {invoice.number!r} is {known.state}: it cannot be started over",
                "numeroFacture",
            )
        self.invoices[invoice.number] = invoice

    def validate(self, number: str, mode: str, proof: dict[str, str] | None) -> Invoice:
        invoice = self.invoice(number)
        if invoice.state == "cancelled":
            raise SimError("ETAT_FACTURE", f"invoice {number!r} was cancelled", "numeroFacture")
        if invoice.state != "pending":
            return invoice  # validated already: the same FSE, not a second one
        try:
            split = self.engine.split(invoice.case())
        except EngineError as exc:
            raise from_engine(exc) from None
        if mode == "apcv":
            self._check_proof(proof)
        self._fse_counter += 1
        invoice.fse = f"{self._fse_counter:09d}"
        invoice.split = split
        invoice.mode = mode
        invoice.secured_at = self.clock()
        invoice.state = "validated"
        self.by_fse[invoice.fse] = invoice
        return invoice

    def _check_proof(self, proof: dict[str, str] | None) -> None:
        if not proof:
            raise SimError(
                "PREUVE_APCV_INVALIDE", "ApCV securing needs the beneficiary's signature", "apcv"
            )
        for key in ("idContexte", "empreinte", "signature", "dateSignature"):
            if not isinstance(proof.get(key), str) or not proof[key].strip():
                raise SimError("PREUVE_APCV_INVALIDE", f"{key} is missing", f"apcv.{key}")
        # The digest is the software's SHA-256 of its care sheet as it shows it (its own JSON,
        # with what the engine never sees: the card's rights periods, its own messages), so
        # the engine cannot compute it again: only its form is checked. Nor can the signature
        # be verified here: the ApCV service's keys are not the engine's.
        if not _DIGEST.match(proof["empreinte"]):
            raise SimError(
                "PREUVE_APCV_INVALIDE",
                "empreinte must be a SHA-256 in lower-case hex",
                "apcv.empreinte",
            )
        try:
            base64.b64decode(proof["signature"], validate=True)
        except (binascii.Error, ValueError):
            raise SimError(
                "PREUVE_APCV_INVALIDE", "signature is not base64", "apcv.signature"
            ) from None
        try:
            signed = dt.datetime.fromisoformat(proof["dateSignature"])
        except ValueError:
            signed = None
        if signed is None or signed.tzinfo is None:
            raise SimError(
                "PREUVE_APCV_INVALIDE",
                "dateSignature must be an ISO time with its offset",
                "apcv.dateSignature",
            )
        age = (self.clock() - signed).total_seconds()
        if age < -CLOCK_SKEW:
            raise SimError(
                "PREUVE_APCV_INVALIDE", "dateSignature is in the future", "apcv.dateSignature"
            )
        if self.faults.take("apcv_expired") or age > APCV_SIGNATURE_VALIDITY:
            raise SimError(
                "CONTEXTE_APCV_EXPIRE",
                "the ApCV context or its signature is no longer valid: read the app again",
                "apcv.idContexte",
            )

    def cancel(self, fse: str) -> Invoice:
        invoice = self.by_fse.get(fse)
        if invoice is None:
            raise SimError("FSE_INCONNUE", f"FSE {fse!r} is unknown to the engine", "numeroFse")
        if invoice.state not in ("validated", "cancelled"):
            raise SimError(
                "ETAT_FACTURE",
                f"FSE {fse} is {invoice.state}: only a validated FSE not yet in a lot can be "
                "cancelled",
                "numeroFse",
            )
        invoice.state = "cancelled"
        return invoice

    # --- lots ---------------------------------------------------------------------------------

    def transmit(self, number: str, destination: str, fses: tuple[str, ...]) -> Lot:
        if not fses:
            raise SimError("LOT_VIDE", "a lot holds at least one FSE", "fses")
        known = self.lots.get(number)
        if known is not None:
            if (known.destination, known.fses) != (destination, fses):
                raise SimError(
                    "LOT_DIFFERENT",
                    f"lot {number} was transmitted with other content",
                    "numeroLot",
                )
            if known.state != "rejected":
                return known  # not a second lot
        now = self.clock()
        lot = Lot(
            number=number,
            destination=destination,
            fses=fses,
            state="transmitted",
            transmitted_at=now,
            ack_at=now + dt.timedelta(seconds=self.random.uniform(*self.ack_delay)),
            return_delays=tuple(self.random.uniform(*self.return_delay) for _ in fses),
        )
        problems: list[str] = []
        rejected: list[str] = []
        for n, fse in enumerate(fses):
            problem = self._problem(fse, destination, fses[:n])
            if problem:
                problems.append(problem)
                rejected.append(fse)
        if self.faults.take("arl_negative") and not problems:
            problems.append("lot refused by the insurer (injected ARL−)")
        lot.reason = "; ".join(problems)
        lot.rejected = tuple(rejected)
        for fse in fses:
            if fse not in rejected:
                invoice = self.by_fse[fse]
                invoice.state, invoice.lot = "sent", number
        self.lots[number] = lot
        return lot

    def _problem(self, fse: str, destination: str, before: tuple[str, ...]) -> str:
        """Why ``fse`` makes the lot malformed; empty when it does not."""
        invoice = self.by_fse.get(fse)
        if invoice is None:
            return f"FSE {fse} is unknown"
        if fse in before:
            return f"FSE {fse} is named twice"
        if invoice.state == "cancelled":
            return f"FSE {fse} was cancelled"
        if invoice.state != "validated":
            return f"FSE {fse} was already sent in lot {invoice.lot}"
        if invoice.destination != destination:
            return f"FSE {fse} is for {invoice.destination}, not {destination}"
        return ""

    def lot(self, number: str) -> Lot:
        lot = self.lots.get(number)
        if lot is None:
            raise SimError("LOT_INCONNU", f"lot {number!r} is unknown to the engine", "numeroLot")
        return lot

    # --- time ---------------------------------------------------------------------------------

    def settle(self) -> None:
        """Give the ARLs and notices that fell due by now."""
        now = self.clock()
        for lot in sorted(self.lots.values(), key=lambda lot: lot.ack_at):
            if lot.state == "transmitted" and lot.ack_at <= now:
                self._acknowledge(lot)
        self._due.sort()
        while self._due and self._due[0].at <= now:
            self._give(self._due.pop(0))

    def _acknowledge(self, lot: Lot) -> None:
        taken = [self.by_fse[f] for f in lot.fses if f not in lot.rejected]
        if lot.reason:
            lot.state = "rejected"
            for invoice in taken:  # back to the software, to go in another lot
                invoice.state, invoice.lot = "validated", None
            return
        lot.state = "accepted"
        for invoice, delay in zip(taken, lot.return_delays, strict=False):
            invoice.state = "accepted"
            at = lot.ack_at + dt.timedelta(seconds=delay)
            parts = ["amo"]
            if invoice.third_party_amc and invoice.split and invoice.split.amc_due > 0:
                parts.append("amc")
            for part in parts:
                self._due_counter += 1
                self._due.append(_Due(at, self._due_counter, invoice.fse or "", part))

    def _give(self, due: _Due) -> None:
        invoice = self.by_fse[due.fse]
        split = invoice.split
        assert split is not None  # a sent invoice was validated
        amount = split.amo_due if due.part == "amo" else split.amc_due
        if due.part == "amc":
            payer = "AMC"
        elif invoice.insured["regime"] == "01":  # régime général: the CPAM of the caisse
            payer = f"CPAM {invoice.insured['caisse']}"
        else:
            payer = f"Caisse {invoice.destination}"
        notice = Notice(len(self.notices) + 1, due.fse, due.part, "payment", due.at, amount, payer)
        if self.faults.take("reject_payment"):
            notice.kind = "rejection"
            notice.code, notice.label = PAYMENT_REJECTION
        self.notices.append(notice)
        if notice.kind == "rejection":
            invoice.state = "payment_rejected"
        elif invoice.state != "payment_rejected":
            invoice.state = "paid"

    def state(self) -> dict[str, Any]:
        def count(states: list[str]) -> dict[str, int]:
            return {s: states.count(s) for s in sorted(set(states))}

        return {
            "invoices": count([i.state for i in self.invoices.values()]),
            "lots": count([lot.state for lot in self.lots.values()]),
            "notices": len(self.notices),
        }
