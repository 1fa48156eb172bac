"""The simulated engine's amounts, against cases computed by hand from the rules in
``engine.py`` (tariffs of ``tariffs.toml``): what the AMO, the AMC and the patient pay."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest

from aiguillage.plugins.jfse.engine import (
    TARIFFS,
    Case,
    Cotation,
    Engine,
    EngineError,
    FeeSchedule,
    Rate,
    age_on,
    money,
)

ENGINE = Engine()
DAY = dt.date(2026, 3, 2)
ADULT = "1977-07-14"


def split(
    *acts: Cotation,
    day: dt.date = DAY,
    birth: str = ADULT,
    pathway: str = "medecin_traitant",
    nature: str = "maladie",
    exoneration: str | None = None,
    amo: bool = False,
    amc: bool = False,
    held: tuple[str, ...] = (),
    engine: Engine = ENGINE,
):
    lines = tuple(engine.price_line(a, day) for a in acts or (Cotation("G"),))
    return engine.split(
        Case(day, birth, pathway, nature, exoneration, amo, amc, lines, held_exonerations=held)
    )


G = Cotation("G")
TP_AMO = {"amo": True}
TP_BOTH = {"amo": True, "amc": True}
# case: (arguments, "total  AMO-rate  participation  AMO-due  AMC-due  patient-due")
CASES = {
    "adult G, médecin traitant, no third party": ({}, "30.00 70 2.00 19.00 0.00 30.00"),
    "same, AMO by third party": (TP_AMO, "30.00 70 2.00 19.00 0.00 11.00"),
    "same, AMO and AMC by third party": (TP_BOTH, "30.00 70 2.00 19.00 9.00 2.00"),
    "ALD": ({"exoneration": "ald", "held": ("ald",)}, "30.00 100 2.00 28.00 0.00 30.00"),
    "ALD, AMO by third party": ({"exoneration": "ald", **TP_AMO}, "30.00 100 2.00 28.00 0.00 2.00"),
    "ALD, both by third party: no ticket modérateur": (
        {"exoneration": "ald", **TP_BOTH},
        "30.00 100 2.00 28.00 0.00 2.00",
    ),
    "maternity: no participation": ({"nature": "maternite"}, "30.00 100 0.00 30.00 0.00 30.00"),
    "maternity, AMO by third party: nothing to pay": (
        {"nature": "maternite", **TP_AMO},
        "30.00 100 0.00 30.00 0.00 0.00",
    ),
    "AT/MP: full rate, participation kept": (
        {"nature": "at_mp", **TP_AMO},
        "30.00 100 2.00 28.00 0.00 2.00",
    ),
    "hors parcours: 30 %": ({"pathway": "hors_parcours"}, "30.00 30 2.00 7.00 0.00 30.00"),
    "hors parcours, both by third party": (
        {"pathway": "hors_parcours", **TP_BOTH},
        "30.00 30 2.00 7.00 21.00 2.00",
    ),
    "urgence is in the parcours": ({"pathway": "urgence"}, "30.00 70 2.00 19.00 0.00 30.00"),
    "minor: no participation": ({"birth": "2010-06-01", **TP_AMO}, "30.00 70 0.00 21.00 0.00 9.00"),
    "18 today: participation": ({"birth": "2008-03-02"}, "30.00 70 2.00 19.00 0.00 30.00"),
    "18 tomorrow: none": ({"birth": "2008-03-03"}, "30.00 70 0.00 21.00 0.00 30.00"),
    "lunar birth date of a minor": ({"birth": "2010-00-00"}, "30.00 70 0.00 21.00 0.00 30.00"),
    "lunar date counts by its year (2008-02-30: 18 in 2026)": (
        {"birth": "2008-02-30"},
        "30.00 70 2.00 19.00 0.00 30.00",
    ),
    "CSS: full rate, no participation": (
        {"exoneration": "css", **TP_AMO},
        "30.00 100 0.00 30.00 0.00 0.00",
    ),
    "AME: full rate, no participation": (
        {"exoneration": "ame", **TP_AMO},
        "30.00 100 0.00 30.00 0.00 0.00",
    ),
    "invalidity: full rate, participation kept": (
        {"exoneration": "invalidite"},
        "30.00 100 2.00 28.00 0.00 30.00",
    ),
    "'other' exoneration: usual rate": ({"exoneration": "other"}, "30.00 70 2.00 19.00 0.00 30.00"),
}


@pytest.mark.parametrize(("arguments", "expected"), CASES.values(), ids=CASES.keys())
def test_a_consultation_is_split_as_computed_by_hand(arguments, expected):
    total, rate, participation, amo, amc, patient = expected.split()
    result = split(G, **arguments)
    assert (
        result.total,
        result.amo_rate,
        result.participation,
        result.amo_due,
        result.amc_due,
        result.patient_due,
    ) == (
        Decimal(total),
        int(rate),
        Decimal(participation),
        Decimal(amo),
        Decimal(amc),
        Decimal(patient),
    )
    assert result.amo_gross + result.ticket_moderateur == result.total


def test_a_home_visit_adds_its_modifier():
    visit = ENGINE.price_line(Cotation("VG", 1, ("MD",)), DAY)
    assert (visit.unit_price, visit.amount) == (Decimal("40.00"), Decimal("40.00"))
    result = split(Cotation("VG", 1, ("MD",)), amo=True, amc=True)
    # 40 × 70 % = 28.00, less 2.00 → 26.00; ticket modérateur 12.00; patient 2.00
    assert (result.amo_due, result.amc_due, result.patient_due) == (
        Decimal("26.00"),
        Decimal("12.00"),
        Decimal("2.00"),
    )


def test_quantity_multiplies_the_line_and_the_participation_is_per_invoice():
    line = ENGINE.price_line(Cotation("G", 2), DAY)
    assert (line.unit_price, line.amount) == (Decimal("30.00"), Decimal("60.00"))
    result = split(Cotation("G", 2), amo=True)
    # 60 × 70 % = 42.00, less one participation → 40.00; patient 20.00
    assert (result.total, result.participation, result.amo_due, result.patient_due) == (
        Decimal("60.00"),
        Decimal("2.00"),
        Decimal("40.00"),
        Decimal("20.00"),
    )


def test_a_ccam_act_with_a_consultation():
    result = split(G, Cotation("DEQP003"), amo=True, amc=True)
    # 44.52 × 70 % = 31.164 → 31.16; less 2.00 → 29.16; ticket modérateur 13.36
    assert (result.total, result.amo_gross, result.amo_due, result.amc_due) == (
        Decimal("44.52"),
        Decimal("31.16"),
        Decimal("29.16"),
        Decimal("13.36"),
    )
    assert result.patient_due == Decimal("2.00")


def test_hors_parcours_ccam_rounds_half_up():
    result = split(Cotation("JLQE002"), pathway="hors_parcours")
    # 49.82 × 30 % = 14.946 → 14.95
    assert (result.amo_gross, result.ticket_moderateur) == (Decimal("14.95"), Decimal("34.87"))


def schedule(*rates: tuple[str, str, str]) -> Engine:
    """An engine over a fee schedule of ``(code, kind, amount)`` in force in 2026."""
    return Engine(
        FeeSchedule(
            Rate(code, kind, code, Decimal(amount), dt.date(2026, 1, 1), dt.date(2026, 12, 31), "t")
            for code, kind, amount in rates
        )
    )


def test_a_half_cent_is_rounded_up_not_to_even():
    engine = schedule(("X", "act", "10.15"), ("PF", "participation", "2.00"))
    result = split(Cotation("X"), pathway="hors_parcours", engine=engine)
    # 10.15 × 30 % = 3.045: 3.05 half up (3.04 to even, or rounding down)
    assert result.amo_gross == Decimal("3.05")
    assert result.amo_due == Decimal("1.05")
    assert money(Decimal("0.125")) == Decimal("0.13")


def test_the_participation_never_exceeds_the_amo_part():
    engine = schedule(("X", "act", "2.00"), ("PF", "participation", "2.00"))
    result = split(Cotation("X"), engine=engine, amo=True)
    # 2.00 × 70 % = 1.40: the participation takes all of it, not 2.00
    assert (result.participation, result.amo_due, result.patient_due) == (
        Decimal("1.40"),
        Decimal("0.00"),
        Decimal("2.00"),
    )


@pytest.mark.parametrize(
    ("day", "price", "participation"),
    [
        (dt.date(2023, 10, 31), "25.00", "1.00"),
        (dt.date(2023, 11, 1), "26.50", "1.00"),
        (dt.date(2024, 5, 15), "26.50", "2.00"),
        (dt.date(2024, 12, 21), "26.50", "2.00"),
        (dt.date(2024, 12, 22), "30.00", "2.00"),
    ],
)
def test_tariffs_are_dated(day, price, participation):
    assert ENGINE.price_line(G, day).unit_price == Decimal(price)
    assert ENGINE.schedule.participation(day) == Decimal(participation)


def test_no_participation_before_the_first_one():
    assert ENGINE.schedule.participation(dt.date(2004, 12, 31)) == Decimal("0.00")


@pytest.mark.parametrize(
    ("act", "day", "code", "named", "field"),
    [
        (Cotation("ZZZ"), DAY, "ACTE_INCONNU", "'ZZZ'", "cotation.code"),
        (
            Cotation("GL1"),
            dt.date(2025, 12, 31),
            "ACTE_NON_VALIDE_A_DATE",
            "'GL1'",
            "cotation.code",
        ),
        (Cotation("VG"), dt.date(2024, 12, 21), "ACTE_NON_VALIDE_A_DATE", "'VG'", "cotation.code"),
        (Cotation("MD"), DAY, "ACTE_INCONNU", "'MD'", "cotation.code"),
        (Cotation("VG", 1, ("XX",)), DAY, "ACTE_INCONNU", "'XX'", "cotation.modificateurs[0]"),
        (Cotation("VG", 1, ("G",)), DAY, "ACTE_INCONNU", "'G'", "cotation.modificateurs[0]"),
        (
            Cotation("VG", 1, ("MD", "MD")),
            DAY,
            "MODIFICATEUR_INVALIDE",
            "'VG'",
            "cotation.modificateurs",
        ),
        (Cotation("G", 0), DAY, "QUANTITE_INVALIDE", "'G'", "cotation.quantite"),
        (Cotation("G", 100), DAY, "QUANTITE_INVALIDE", "'G'", "cotation.quantite"),
    ],
)
def test_an_act_the_engine_cannot_price_is_refused_by_name(act, day, code, named, field):
    with pytest.raises(EngineError) as caught:
        ENGINE.price_line(act, day)
    assert caught.value.code == code
    assert named in caught.value.detail
    assert caught.value.field == field


def test_gl_is_billed_from_2026():
    assert ENGINE.price_line(Cotation("GL2"), dt.date(2026, 1, 1)).amount == Decimal("60.00")


def test_an_invoice_without_acts_is_refused():
    with pytest.raises(EngineError, match="at least one act is required") as caught:
        ENGINE.split(Case(DAY, ADULT, "medecin_traitant", "maladie", None, False, False, ()))
    assert caught.value.code == "FACTURE_SANS_ACTE"


@pytest.mark.parametrize(
    ("pathway", "nature", "exoneration", "field"),
    [
        ("nowhere", "maladie", None, "parcours"),
        ("medecin_traitant", "accident", None, "natureAssurance"),
        ("medecin_traitant", "maladie", "maternite", "exoneration"),
    ],
)
def test_unknown_codes_are_refused(pathway, nature, exoneration, field):
    with pytest.raises(EngineError) as caught:
        split(G, pathway=pathway, nature=nature, exoneration=exoneration)
    assert caught.value.field == field


def test_a_claimed_exoneration_the_beneficiary_lacks_is_warned_about():
    assert split(G, exoneration="ald", held=("ald",)).messages == ()
    (severity, text), *_ = split(G, exoneration="ald").messages
    assert severity == "warning" and "'ald'" in text


@pytest.mark.parametrize(
    ("birth", "age"),
    [("2008-03-02", 18), ("2008-03-03", 17), ("2008-00-00", 18), ("2008-13-45", 18)],
)
def test_age_on_the_day_of_care(birth, age):
    assert age_on(birth, DAY) == age


@pytest.mark.parametrize("birth", ["2026-03-03", "2027-00-00", "14/07/1977", ""])
def test_an_impossible_birth_date_is_refused(birth):
    with pytest.raises(EngineError) as caught:
        age_on(birth, DAY)
    assert caught.value.field == "beneficiaire.dateNaissance"


# --- the fee schedule file ----------------------------------------------------------------------


def test_every_shipped_rate_is_dated_and_sourced():
    entries = tomllib.loads(TARIFFS.read_text(encoding="utf-8"))["rate"]
    for entry in entries:
        assert isinstance(entry["valid_from"], dt.date), entry["code"]
        assert isinstance(entry["valid_to"], dt.date), entry["code"]
        assert entry["source"].strip(), entry["code"]
    codes = {e["code"] for e in entries}
    assert {"G", "GS", "VG", "MD", "APC", "GL1", "GL2", "GL3", "PF"} <= codes
    assert FeeSchedule.load().knows("DEQP003")


RATE = """
[[rate]]
code = "G"
kind = "act"
label = "G"
amount = "30.00"
valid_from = 2024-12-22
valid_to = 9999-12-31
source = "test"
"""


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (RATE.replace("valid_to = 9999-12-31\n", ""), "missing valid_to"),
        (RATE.replace('"30.00"', "30.0"), "amount"),
        (RATE.replace('"30.00"', '"30.001"'), "2 decimals"),
        (RATE.replace("9999-12-31", "2024-01-01"), "before valid_from"),
        (RATE.replace('"act"', '"fee"'), "kind"),
        (RATE + RATE.replace("2024-12-22", "2025-01-01"), "overlap"),
        ("", "no [[rate]]"),
    ],
)
def test_a_malformed_schedule_is_refused(tmp_path: Path, text: str, error: str):
    path = tmp_path / "tariffs.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=error.replace("[", r"\[")):
        FeeSchedule.load(path)
