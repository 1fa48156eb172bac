"""The simulator as any software meets it, with envelopes written here rather than by the
plugin's client: what it refuses, its books (invoices keyed by the software's number, lots and
their ARL, notices after an ARL+), its seeded delays and its control routes."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from typing import Any

import pytest

from aiguillage.plugin import Faults as CommonFaults
from aiguillage.plugins.jfse.simulator import EDITOR_KEY

from .simulator_fixture import Running, envelope, simulator_running

BENEFICIARY = {
    "nir": "277076322082910",
    "nirOuvrantDroit": "277076322082910",
    "nomNaissance": "NESSI",
    "prenom": "RUTH",
    "dateNaissance": "1977-07-14",
    "rang": 1,
    "regime": "01",
    "caisse": "631",
    "centre": "0000",
    "exonerations": [],
}
PS = {
    "numeroFacturation": "991130972",
    "identifiantNational": "810100000001",
    "nom": "Dr MAX LIBRE",
    "specialite": "01",
}


@pytest.fixture
async def sim(pki) -> AsyncIterator[Running]:
    async with simulator_running(pki) as running:
        yield running


class Engine:
    """Raw calls with one token, each answer checked for its shape."""

    def __init__(self, sim: Running, token: str) -> None:
        self.sim = sim
        self.token = token

    async def __call__(self, method: str, **parameters: Any) -> dict[str, Any]:
        status, answer = await self.sim.init(envelope(method, parameters), self.token)
        assert set(answer) == {"method", "response", "messages", "questions", "errors"}
        assert status == 200, answer
        return answer

    async def ok(self, method: str, **parameters: Any) -> dict[str, Any]:
        answer = await self(method, **parameters)
        assert answer["errors"] == [], answer
        return answer["response"]

    async def error(self, method: str, **parameters: Any) -> dict[str, str]:
        answer = await self(method, **parameters)
        assert answer["response"] is None
        (error,) = answer["errors"]
        return error

    async def invoice(self, number: str, *acts: str, amc: bool = False, caisse: str = "631"):
        await self.ok(
            "FDS-initialiserFacture",
            numeroFacture=number,
            dateFacture="2026-03-02",
            ps=PS,
            beneficiaire={**BENEFICIARY, "caisse": caisse},
            tiersPayant={"amo": True, "amc": amc},
        )
        for n, code in enumerate(acts or ("G",), 1):
            await self.ok(
                "FDS-setCotation",
                numeroFacture=number,
                ligne=n,
                code=code,
                quantite=1,
                modificateurs=[],
            )

    async def fse(self, number: str, **options: Any) -> str:
        await self.invoice(number, **options)
        answer = await self.ok(
            "FDS-validerFacture", numeroFacture=number, modeSecurisation="vitale", apcv=None
        )
        return answer["numeroFse"]

    async def send(self, lot: str, *fses: str, destination: str = "01-631-0000") -> dict:
        return await self.ok(
            "NOE-envoyerLot", numeroLot=lot, destinataire=destination, fses=list(fses)
        )

    async def negative(self, lot: str) -> dict[str, Any]:
        (arl,) = (await self.ok("NOE-getListeARLNegatifs", numeroLot=lot))["arl"]
        return arl


@pytest.fixture
async def engine(sim) -> Engine:
    return Engine(sim, await sim.token())


# --- the token and the envelope -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"idJfse": "7", "editorKey": "wrong", "editorName": "x"}, 401),
        ({"idJfse": "7", "editorName": "x"}, 401),
        ({"idJfse": "seven", "editorKey": EDITOR_KEY, "editorName": "x"}, 400),
        ({"idJfse": "7", "editorKey": EDITOR_KEY}, 400),
    ],
)
async def test_get_token_checks_the_editor(sim, params, status):
    got, answer = await sim.request("GET", "/jfse-proxy/get-token", params=params)
    assert got == status
    assert answer["errors"][0]["code"] in ("AUTHENTIFICATION", "PARAMETRE_INVALIDE")
    assert "token" not in answer


async def test_init_without_a_valid_token_is_403(sim):
    body = envelope("FDS-getDonneesFacture", {"numeroFacture": "X"})
    for token in (None, "made-up"):
        status, answer = await sim.init(body, token)
        assert status == 403
        assert answer["errors"][0]["code"] == "JETON_INVALIDE"


async def test_a_token_expires(sim):
    token = await sim.token()
    body = envelope("FDS-getDonneesFacture", {"numeroFacture": "X"})
    assert (await sim.init(body, token))[0] == 200
    await sim.advance(599)
    assert (await sim.init(body, token))[0] == 200
    await sim.advance(2)
    assert (await sim.init(body, token))[0] == 403


def method(name: str = "FDS-getDonneesFacture", **changes: Any) -> dict[str, Any]:
    base = {
        "name": name,
        "service": True,
        "parameters": {},
        "returnType": "",
        "asynchronous": False,
    }
    return {"method": {**base, **changes}}


WRONG_KEY = {"integrator": {"name": "t", "key": "wrong", "etablissement": "", "os": "L"}}


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        (WRONG_KEY, 401, "AUTHENTIFICATION"),
        ({"idJfse": 8}, 401, "AUTHENTIFICATION"),
        ({"integrator": {"name": "t"}}, 400, "ENVELOPPE_INVALIDE"),
        ({"cardReader": None}, 400, "ENVELOPPE_INVALIDE"),
        (method("FDS-inventerFacture"), 200, "METHODE_INCONNUE"),
        (method(asynchronous=True), 200, "PARAMETRE_INVALIDE"),
        (method(returnType="XML"), 200, "PARAMETRE_INVALIDE"),
        (method(parameters=[]), 400, "ENVELOPPE_INVALIDE"),
    ],
)
async def test_a_malformed_envelope_is_refused(sim, change, status, code):
    token = await sim.token()
    body = {**envelope("FDS-getDonneesFacture", {"numeroFacture": "X"}), **change}
    got, answer = await sim.init(body, token)
    assert got == status
    assert answer["errors"][0]["code"] == code


async def test_init_takes_json_only(sim):
    token = await sim.token()
    status, answer = await sim.request(
        "POST", "/jfse-proxy/init", data=b"{}", headers={"Authorization": f"Bearer {token}"}
    )
    assert status == 415
    status, answer = await sim.request(
        "POST",
        "/jfse-proxy/init",
        data=b"{not json",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    assert status == 400 and answer["errors"][0]["code"] == "ENVELOPPE_INVALIDE"


# --- invoices -----------------------------------------------------------------------------------


async def test_an_invoice_is_priced_with_amounts_as_strings(engine):
    await engine.invoice("INV-1", "G", "DEQP003", amc=True)
    data = await engine.ok("FDS-getDonneesFacture", numeroFacture="INV-1")
    assert (data["total"], data["tauxAmo"], data["partAmo"], data["partAmc"]) == (
        "44.52",
        70,
        "29.16",
        "13.36",
    )
    assert data["partPatient"] == "2.00"
    assert [line["montant"] for line in data["lignes"]] == ["30.00", "14.52"]
    assert (data["etat"], data["numeroFse"]) == ("pending", None)


async def test_a_line_set_again_replaces_it(engine):
    await engine.invoice("INV-1")
    for _ in range(2):
        await engine.ok(
            "FDS-setCotation",
            numeroFacture="INV-1",
            ligne=1,
            code="APC",
            quantite=1,
            modificateurs=[],
        )
    data = await engine.ok("FDS-getDonneesFacture", numeroFacture="INV-1")
    assert [line["code"] for line in data["lignes"]] == ["APC"]


@pytest.mark.parametrize(
    ("change", "source"),
    [
        ({"dateFacture": "2026-02-30"}, "dateFacture"),
        ({"beneficiaire": {**BENEFICIARY, "nir": "12"}}, "beneficiaire.nir"),
        ({"beneficiaire": {**BENEFICIARY, "rang": 0}}, "beneficiaire.rang"),
        ({"beneficiaire": {**BENEFICIARY, "caisse": "63"}}, "beneficiaire.caisse"),
        ({"ps": {**PS, "numeroFacturation": ""}}, "ps.numeroFacturation"),
        ({"tiersPayant": {"amo": "yes", "amc": False}}, "tiersPayant.amo"),
    ],
)
async def test_initialiser_checks_what_it_is_given(engine, change, source):
    parameters = {
        "numeroFacture": "INV-1",
        "dateFacture": "2026-03-02",
        "ps": PS,
        "beneficiaire": BENEFICIARY,
        "tiersPayant": {"amo": False, "amc": False},
        **change,
    }
    error = await engine.error("FDS-initialiserFacture", **parameters)
    assert (error["code"], error["source"]) == ("PARAMETRE_INVALIDE", source)


async def test_an_unknown_invoice_is_named(engine):
    error = await engine.error("FDS-getDonneesFacture", numeroFacture="NOPE")
    assert error["code"] == "FACTURE_INCONNUE" and "NOPE" in error["description"]


async def test_validation_is_keyed_on_the_softwares_number(engine, sim):
    first = await engine.fse("INV-1")
    again = await engine.ok(
        "FDS-validerFacture", numeroFacture="INV-1", modeSecurisation="degrade", apcv=None
    )
    assert again["numeroFse"] == first
    assert again["modeSecurisation"] == "vitale"  # the first validation stands
    error = await engine.error(
        "FDS-setCotation", numeroFacture="INV-1", ligne=2, code="G", quantite=1, modificateurs=[]
    )
    assert error["code"] == "ETAT_FACTURE"
    assert (await sim.state())["invoices"] == {"validated": 1}


PROOF = {
    "idContexte": "c",
    "empreinte": "a" * 64,
    "signature": "c2ln",
    "dateSignature": "2026-03-02T10:00:00+00:00",
}


@pytest.mark.parametrize(
    ("apcv", "source"),
    [
        ({**PROOF, "empreinte": "ab"}, "apcv.empreinte"),
        ({**PROOF, "signature": "not base64!"}, "apcv.signature"),
        ({**PROOF, "dateSignature": "2026-03-02T10:00:00"}, "apcv.dateSignature"),
        ({**PROOF, "idContexte": ""}, "apcv.idContexte"),
        ({**PROOF, "idContexte": "  "}, "apcv.idContexte"),
    ],
)
async def test_an_apcv_proof_is_checked(engine, apcv, source):
    await engine.invoice("INV-1")
    error = await engine.error(
        "FDS-validerFacture", numeroFacture="INV-1", modeSecurisation="apcv", apcv=apcv
    )
    assert (error["code"], error["source"]) == ("PREUVE_APCV_INVALIDE", source)


async def test_a_signature_from_the_future_is_refused(engine):
    await engine.invoice("INV-1")
    later = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)).isoformat()
    apcv = {**PROOF, "dateSignature": later}
    error = await engine.error(
        "FDS-validerFacture", numeroFacture="INV-1", modeSecurisation="apcv", apcv=apcv
    )
    assert error["code"] == "PREUVE_APCV_INVALIDE"


async def test_an_unknown_securing_mode_is_refused(engine):
    await engine.invoice("INV-1")
    error = await engine.error(
        "FDS-validerFacture", numeroFacture="INV-1", modeSecurisation="paper", apcv=None
    )
    assert error["source"] == "modeSecurisation"


# --- lots ---------------------------------------------------------------------------------------


async def test_arl_positive_then_a_notice_per_part(engine, sim):
    one = await engine.fse("INV-1", amc=True)
    two = await engine.fse("INV-2")
    lot = await engine.send("LOT-1", one, two)
    assert (lot["etat"], lot["dateARL"]) == ("transmitted", None)
    assert (await sim.state())["invoices"] == {"sent": 2}
    await sim.advance(1)
    (arl,) = (await engine.ok("NOE-getListeARLPositifs", numeroLot="LOT-1"))["arl"]
    assert arl["numeroLot"] == "LOT-1"
    payments = await engine.ok("NOE-getListeVirements", apres=0)
    assert sorted((p["numeroFse"], p["part"], p["montant"]) for p in payments["virements"]) == [
        (one, "amc", "9.00"),
        (one, "amo", "19.00"),
        (two, "amo", "19.00"),
    ]
    assert payments["dernierSequence"] == 3
    tp = await engine.ok("NOE-getListeFacturesTP", apres=2)
    assert [f["etat"] for f in tp["factures"]] == ["PAID"]
    assert (await sim.state())["invoices"] == {"paid": 2}


async def test_no_arl_before_its_delay(pki):
    async with simulator_running(pki, ack_delay=(10, 20)) as sim:
        engine = Engine(sim, await sim.token())
        await engine.send("LOT-1", await engine.fse("INV-1"))
        await sim.advance(9)
        assert (await engine.ok("NOE-getListeARLPositifs", numeroLot="LOT-1"))["arl"] == []
        await sim.advance(12)
        assert len((await engine.ok("NOE-getListeARLPositifs", numeroLot="LOT-1"))["arl"]) == 1


async def test_notices_come_after_the_arl_by_their_delay(pki):
    async with simulator_running(pki, ack_delay=(1, 1), return_delay=(10, 10)) as sim:
        engine = Engine(sim, await sim.token())
        await engine.send("LOT-1", await engine.fse("INV-1"))
        await sim.advance(5)
        assert (await sim.state())["invoices"] == {"accepted": 1}
        assert (await engine.ok("NOE-getListeVirements", apres=0))["virements"] == []
        await sim.advance(7)
        assert len((await engine.ok("NOE-getListeVirements", apres=0))["virements"]) == 1


async def test_the_same_seed_gives_the_same_delays(pki):
    delays = []
    for seed in (5, 5, 6):
        async with simulator_running(pki, seed=seed) as sim:
            engine = Engine(sim, await sim.token())
            await engine.send("LOT-1", await engine.fse("INV-1"))
            await sim.advance(2)
            lot = sim.simulator.books.lots["LOT-1"]
            (notice,) = sim.simulator.books.notices
            delays.append((lot.ack_at - lot.transmitted_at, notice.at - lot.ack_at))
    assert delays[0] == delays[1] != delays[2]
    ack, notice = delays[0]
    assert dt.timedelta(seconds=0.05) <= ack <= dt.timedelta(seconds=0.3)
    assert dt.timedelta(seconds=0.1) <= notice <= dt.timedelta(seconds=0.5)


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("unknown", "is unknown"),
        ("cancelled", "was cancelled"),
        ("already sent", "was already sent in lot LOT-0"),
        ("twice", "is named twice"),
        ("elsewhere", "is for 01-751-0000"),
    ],
)
async def test_a_malformed_lot_gets_an_arl_negative_naming_the_fse(engine, sim, case, reason):
    good = await engine.fse("INV-1")
    if case == "unknown":
        bad = "000000999"
    elif case == "cancelled":
        bad = await engine.fse("INV-2")
        await engine.ok("FDS-annulerFacture", numeroFse=bad)
    elif case == "already sent":
        bad = await engine.fse("INV-2")
        await engine.send("LOT-0", bad)
    elif case == "twice":
        bad = good
    else:
        bad = await engine.fse("INV-2", caisse="751")
    await engine.send("LOT-1", good, bad)
    await sim.advance(1)
    arl = await engine.negative("LOT-1")
    assert arl["fsesRejetees"] == [bad]
    assert f"FSE {bad} {reason}" in arl["motif"]
    assert (await engine.ok("NOE-getListeARLPositifs", numeroLot="LOT-1"))["arl"] == []
    # the sound FSE is back with the software, free to go in another lot
    await engine.send("LOT-2", good)
    await sim.advance(1)
    assert len((await engine.ok("NOE-getListeARLPositifs", numeroLot="LOT-2"))["arl"]) == 1


async def test_an_injected_arl_negative_then_sent_anew(engine, sim):
    fse = await engine.fse("INV-1")
    await sim.faults(arl_negative=1)
    await engine.send("LOT-1", fse)
    await sim.advance(1)
    assert "injected" in (await engine.negative("LOT-1"))["motif"]
    assert (await engine.send("LOT-1", fse))["etat"] == "transmitted"
    await sim.advance(1)
    assert (await engine.ok("NOE-getListeARLNegatifs", numeroLot="LOT-1"))["arl"] == []
    assert (await sim.state())["lots"] == {"accepted": 1}


async def test_an_empty_lot_is_refused(engine):
    error = await engine.error(
        "NOE-envoyerLot", numeroLot="LOT-1", destinataire="01-631-0000", fses=[]
    )
    assert error["code"] == "LOT_VIDE"


async def test_a_sent_fse_cannot_be_cancelled(engine):
    fse = await engine.fse("INV-1")
    await engine.send("LOT-1", fse)
    error = await engine.error("FDS-annulerFacture", numeroFse=fse)
    assert error["code"] == "ETAT_FACTURE"


# --- control routes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body", [{"arl_negative": -1}, {"forbid": "two"}, {"reject_payment": True}, [1]]
)
async def test_bad_faults_are_refused(sim, body):
    status, answer = await sim.request("POST", "/_sim/faults", json=body)
    assert status == 400 and answer["error"]


async def test_faults_and_state_are_reported(sim):
    state = await sim.faults(latency=0.01, arl_negative=2, reject_payment=1)
    assert state["faults"]["latency_ms"] == 10
    assert (state["faults"]["arl_negative"], state["faults"]["reject_payment"]) == (2, 1)
    status, _ = await sim.request("POST", "/_sim/clock", json={"offset": "soon"})
    assert status == 400


async def test_an_outage_answers_503_everywhere(sim):
    await sim.faults(outage=True)
    status, answer = await sim.request(
        "GET",
        "/jfse-proxy/get-token",
        params={"idJfse": "7", "editorKey": EDITOR_KEY, "editorName": "t"},
    )
    assert status == 503 and answer["errors"][0]["code"] == "SERVICE_INDISPONIBLE"
    await sim.faults(outage=False)
    assert await sim.token()


async def test_the_common_faults_of_the_config_are_taken(pki):
    """The plugin builds its simulator's faults from its config keys (the common ``Faults``):
    they apply, and jFSE's own can still be injected."""
    async with simulator_running(pki, faults=CommonFaults(outage=True)) as sim:
        state = await sim.faults(arl_negative=1)
        assert (state["faults"]["outage"], state["faults"]["arl_negative"]) == (True, 1)
        status, _ = await sim.request("GET", "/jfse-proxy/get-token")
        assert status == 503
