"""The simulated billing engine: prices care-sheet lines from a dated fee schedule
(``tariffs.toml``) and splits the total between the AMO, the AMC and the patient.

Only the simulator uses it: the plugin never computes an amount itself, it asks the engine (the
simulator here, the certified component in production). The rules are the simulator's, written
so a test can hand-compute them — not the Assurance Maladie's full rules:

- a line is ``(tariff(code, date) + Σ tariff(modifier, date)) × quantity``; the total is the
  sum of the lines;
- the AMO rate is 100 % for maternity and AT/MP, and for an invoice claiming the ALD, CSS, AME
  or invalidity exoneration; otherwise 70 % in the parcours de soins, 30 % hors parcours;
- ``amo_gross = round_half_up(total × rate / 100)``, the ticket modérateur is the rest;
- the participation forfaitaire (dated, 2 € now) is withheld from the AMO part, never more than
  that part, except for a beneficiary under 18 on the day of care (a lunar birth date counts by
  its year), maternity, and the CSS or AME exonerations. Its daily and yearly caps are not
  simulated;
- the AMC pays the ticket modérateur when it is paid by third party, and the patient pays the
  rest of what is not paid by third party.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

TARIFFS = Path(__file__).parent / "tariffs.toml"
CENT = Decimal("0.01")
KINDS = ("act", "modifier", "participation")
PARTICIPATION = "PF"
MAX_QUANTITY = 99
_BIRTH_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")

# The engine's own code lists (the simulator checks what it is sent against these, not against
# the plugin's lists: a client sending a wrong code must be refused).
PATHWAYS = (
    "medecin_traitant",
    "oriente",
    "nouveau_medecin_traitant",
    "urgence",
    "acces_direct",
    "hors_residence",
    "hors_parcours",
)
NATURES = ("maladie", "maternite", "at_mp")
EXONERATIONS = ("ald", "css", "ame", "invalidite", "other")
FULL_RATE_NATURES = frozenset({"maternite", "at_mp"})
FULL_RATE_EXONERATIONS = frozenset({"ald", "css", "ame", "invalidite"})
NO_PARTICIPATION_EXONERATIONS = frozenset({"css", "ame"})
ADULT_AGE = 18


def money(value: Decimal) -> Decimal:
    """Euros rounded to the cent, halves up (0.005 → 0.01), as amounts on a care sheet are."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class EngineError(Exception):
    """The engine refuses what it was given. ``code`` is the engine's error code, ``field``
    the input at fault (``cotation.code``, ``natureAssurance``…)."""

    def __init__(self, code: str, detail: str, field: str = "") -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.field = field


# --- the fee schedule ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """One dated tariff of one code."""

    code: str
    kind: str
    label: str
    amount: Decimal
    valid_from: dt.date
    valid_to: dt.date
    source: str

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day <= self.valid_to


class FeeSchedule:
    """The dated rates of every code the engine knows."""

    def __init__(self, rates: Iterable[Rate]) -> None:
        self.rates: dict[str, list[Rate]] = {}
        for rate in rates:
            self.rates.setdefault(rate.code, []).append(rate)
        for code, periods in self.rates.items():
            periods.sort(key=lambda r: r.valid_from)
            for before, after in itertools.pairwise(periods):
                if after.valid_from <= before.valid_to:
                    raise ValueError(f"rates of {code} overlap on {after.valid_from}")
            if len({r.kind for r in periods}) > 1:
                raise ValueError(f"rates of {code} are of several kinds")

    @classmethod
    def load(cls, path: Path = TARIFFS) -> FeeSchedule:
        """Read the schedule; a malformed rate is an error naming it."""
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        entries = data.get("rate")
        if not isinstance(entries, list) or not entries:
            raise ValueError(f"{path.name}: no [[rate]] entries")
        return cls(_rate(entry, f"{path.name}: rate {n}") for n, entry in enumerate(entries, 1))

    def rate(self, code: str, day: dt.date) -> Rate | None:
        """The rate of ``code`` on ``day``; ``None`` when none covers it."""
        return next((r for r in self.rates.get(code, ()) if r.covers(day)), None)

    def knows(self, code: str) -> bool:
        return code in self.rates

    def kind(self, code: str) -> str | None:
        periods = self.rates.get(code)
        return periods[0].kind if periods else None

    def participation(self, day: dt.date) -> Decimal:
        """The participation forfaitaire on ``day`` (0 before the first one)."""
        rate = self.rate(PARTICIPATION, day)
        return rate.amount if rate else Decimal("0.00")


def _rate(entry: object, where: str) -> Rate:
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: must be a table")
    missing = [
        k
        for k in ("code", "kind", "label", "amount", "valid_from", "valid_to", "source")
        if k not in entry
    ]
    if missing:
        raise ValueError(f"{where}: missing {', '.join(missing)}")
    if entry["kind"] not in KINDS:
        raise ValueError(f"{where}: kind must be one of {', '.join(KINDS)}")
    try:
        amount = Decimal(str(entry["amount"]))
    except InvalidOperation:
        raise ValueError(f"{where}: amount {entry['amount']!r} is not a number") from None
    if not isinstance(entry["amount"], str) or amount != money(amount) or amount < 0:
        raise ValueError(f"{where}: amount must be a string of euros with 2 decimals")
    start, end = entry["valid_from"], entry["valid_to"]
    if not (isinstance(start, dt.date) and isinstance(end, dt.date)) or isinstance(
        start, dt.datetime
    ):
        raise ValueError(f"{where}: valid_from and valid_to must be dates (YYYY-MM-DD)")
    if end < start:
        raise ValueError(f"{where}: valid_to is before valid_from")
    return Rate(
        str(entry["code"]), entry["kind"], str(entry["label"]), amount, start, end, entry["source"]
    )


# --- the rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cotation:
    """One act as the engine is given it."""

    code: str
    quantity: int = 1
    modifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class PricedLine:
    code: str
    quantity: int
    modifiers: tuple[str, ...]
    label: str
    unit_price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Case:
    """What the split of an invoice depends on."""

    date: dt.date
    birth_date: str  # YYYY-MM-DD, may be lunar
    care_pathway: str
    insurance_nature: str
    exoneration: str | None
    third_party_amo: bool
    third_party_amc: bool
    lines: tuple[PricedLine, ...]
    #: Exonerations the beneficiary holds (their card or ApCV context says so).
    held_exonerations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Split:
    total: Decimal
    amo_rate: int
    amo_gross: Decimal
    ticket_moderateur: Decimal
    participation: Decimal
    amo_due: Decimal
    amc_due: Decimal
    patient_due: Decimal
    #: ``(severity, text)`` the engine says about the invoice.
    messages: tuple[tuple[str, str], ...] = ()


class Engine:
    def __init__(self, schedule: FeeSchedule | None = None) -> None:
        self.schedule = schedule or FeeSchedule.load()

    def price_line(self, act: Cotation, day: dt.date, where: str = "cotation") -> PricedLine:
        """Price one act on ``day``; an unknown code, or one no rate covers that day, is an
        error naming the act."""
        if not isinstance(act.quantity, int) or not 1 <= act.quantity <= MAX_QUANTITY:
            raise EngineError(
                "QUANTITE_INVALIDE",
                f"act {act.code!r}: quantity must be 1 to {MAX_QUANTITY}",
                f"{where}.quantite",
            )
        rate = self._rate(act.code, day, "act", f"act {act.code!r}", f"{where}.code")
        unit = rate.amount
        if len(set(act.modifiers)) != len(act.modifiers):
            raise EngineError(
                "MODIFICATEUR_INVALIDE",
                f"act {act.code!r}: a modifier is given twice",
                f"{where}.modificateurs",
            )
        for n, modifier in enumerate(act.modifiers):
            unit += self._rate(
                modifier,
                day,
                "modifier",
                f"modifier {modifier!r} of act {act.code!r}",
                f"{where}.modificateurs[{n}]",
            ).amount
        return PricedLine(
            act.code, act.quantity, act.modifiers, rate.label, unit, money(unit * act.quantity)
        )

    def _rate(self, code: str, day: dt.date, kind: str, what: str, field: str) -> Rate:
        if self.schedule.kind(code) != kind:
            raise EngineError("ACTE_INCONNU", f"{what}: unknown code", field)
        rate = self.schedule.rate(code, day)
        if rate is None:
            raise EngineError(
                "ACTE_NON_VALIDE_A_DATE",
                f"{what}: no tariff in force on {day.isoformat()}",
                field,
            )
        return rate

    def split(self, case: Case) -> Split:
        """The invoice's total and who pays what of it."""
        if not case.lines:
            raise EngineError(
                "FACTURE_SANS_ACTE",
                "at least one act is required before validating the care sheet",
                "cotation",
            )
        check_codes(case.care_pathway, case.insurance_nature, case.exoneration)
        messages = []
        if case.exoneration and case.exoneration not in case.held_exonerations:
            messages.append(
                (
                    "warning",
                    f"exoneration {case.exoneration!r} is claimed but not among the "
                    "beneficiary's rights: the insurer may reject the claim",
                )
            )
        if case.exoneration == "other":
            messages.append(
                ("info", "exoneration 'other' does not change the simulated engine's AMO rate")
            )
        total = money(sum((line.amount for line in case.lines), Decimal(0)))
        rate = amo_rate(case.care_pathway, case.insurance_nature, case.exoneration)
        amo_gross = money(total * rate / 100)
        ticket = total - amo_gross
        participation = Decimal("0.00")
        if participation_applies(case):
            participation = min(self.schedule.participation(case.date), amo_gross)
        amo_due = amo_gross - participation
        amc_due = ticket if case.third_party_amc else Decimal("0.00")
        patient_due = total - (amo_due if case.third_party_amo else 0) - amc_due
        return Split(
            total=total,
            amo_rate=rate,
            amo_gross=amo_gross,
            ticket_moderateur=ticket,
            participation=participation,
            amo_due=amo_due,
            amc_due=amc_due,
            patient_due=money(patient_due),
            messages=tuple(messages),
        )


def check_codes(pathway: str, nature: str, exoneration: str | None) -> None:
    """Refuse a care pathway, insurance nature or exoneration the engine does not know."""
    if pathway not in PATHWAYS:
        raise EngineError("PARAMETRE_INVALIDE", f"unknown care pathway {pathway!r}", "parcours")
    if nature not in NATURES:
        raise EngineError(
            "PARAMETRE_INVALIDE", f"unknown insurance nature {nature!r}", "natureAssurance"
        )
    if exoneration is not None and exoneration not in EXONERATIONS:
        raise EngineError(
            "PARAMETRE_INVALIDE", f"unknown exoneration {exoneration!r}", "exoneration"
        )


def amo_rate(pathway: str, nature: str, exoneration: str | None) -> int:
    if nature in FULL_RATE_NATURES or exoneration in FULL_RATE_EXONERATIONS:
        return 100
    return 30 if pathway == "hors_parcours" else 70


def participation_applies(case: Case) -> bool:
    if case.insurance_nature == "maternite":
        return False
    if case.exoneration in NO_PARTICIPATION_EXONERATIONS:
        return False
    return age_on(case.birth_date, case.date) >= ADULT_AGE


def age_on(birth_date: str, day: dt.date) -> int:
    """Age in whole years on ``day``. A lunar birth date (day or month 00, or a day the month
    lacks) is not a calendar date: only its year counts."""
    match = _BIRTH_DATE.match(birth_date)
    if not match:
        raise EngineError(
            "BENEFICIAIRE_INVALIDE",
            f"birth date {birth_date!r} is not YYYY-MM-DD",
            "beneficiaire.dateNaissance",
        )
    try:
        born = dt.date.fromisoformat(birth_date)
    except ValueError:
        born = None
    if int(match[1]) > day.year or (born is not None and born > day):
        raise EngineError(
            "BENEFICIAIRE_INVALIDE",
            f"birth date {birth_date} is after the day of care {day.isoformat()}",
            "beneficiaire.dateNaissance",
        )
    if born is None:
        return day.year - int(match[1])
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
