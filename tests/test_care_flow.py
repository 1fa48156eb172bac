"""The front desk, end to end through the HTTP API against the simulators: the patient's ApCV
QR code opens a session, the INS is found from the session's card data, the visit is billed as
a care sheet the beneficiary's ApCV signs, the sheet goes out in a lot, the insurer acknowledges
the lot (ARL+) and pays. The ApCV, INSi and jFSE plugins only meet through the core."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Any

import aiohttp
import pytest

from aiguillage.app import create_app
from aiguillage.appkeys import SETTINGS
from aiguillage.plugin import client_context, load_credential, plugin_test_pki


@pytest.fixture
async def desk(aiohttp_client, settings, plugins, token):
    settings.plugins["dmp"].enabled = False
    settings.plugins["mssante"].enabled = False
    settings.plugins["jfse"].options.update(arl_wait=2.0, returns_interval=0.2)
    client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
    client.session.headers["Authorization"] = f"Bearer {token}"
    await client.get("/v1/health")
    return client


async def qr_code(desk, identity: str) -> str:
    """What the patient's phone shows: a payload the ApCV simulator issues."""
    config = desk.app[SETTINGS].plugins["apcv"]
    pki = plugin_test_pki(config.data_dir)
    tls = client_context(load_credential(pki.p12("structure-auth"), pki.password), pki.ca_bundle)
    base = config.endpoint_url.rsplit("/", 1)[0]
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base}/_sim/qr", json={"identity": identity}, ssl=tls) as r:
            assert r.status == 200, await r.text()
            return (await r.json())["qr"]


async def call(desk, method: str, path: str, status: int, body: Any = None) -> dict[str, Any]:
    response = await desk.request(method, path, json=body)
    assert response.status == status, f"{method} {path}: {await response.text()}"
    return await response.json()


async def until(desk, path: str, field: str, wanted: str, wait: float = 20.0) -> dict[str, Any]:
    deadline = time.monotonic() + wait
    while True:
        found = await call(desk, "GET", path, 200)
        if found[field] == wanted:
            return found
        assert time.monotonic() < deadline, f"{path}: {field} is {found[field]!r}, not {wanted!r}"
        await asyncio.sleep(0.1)


async def test_qr_code_to_payment(desk):
    session = await call(
        desk, "POST", "/v1/apcv/sessions", 201, {"qr": await qr_code(desk, "NESSI-RUTH")}
    )
    ruth = session["beneficiaries"][0]
    assert (ruth["birth_name"], ruth["first_name"]) == ("NESSI", "RUTH")

    # The INS, from the session's card data: INSi's carte Vitale search.
    found = await call(desk, "POST", "/v1/ins/search", 200, {"apcv_session": session["id"]})
    assert found["result"] == "found"
    assert found["ins"]["matricule"] == "277076322082910"
    assert found["calls"][0]["operation"] == "rechercherInsAvecCarteVitale"

    # The visit: a G, AMO paid by third party. 30.00, 70 %, 2.00 withheld: the AMO owes 19.00
    # and the patient pays the other 11.00.
    today = dt.date.today().isoformat()
    draft = await call(
        desk,
        "POST",
        "/v1/fse/invoices",
        201,
        {
            "beneficiary": {"apcv_session": session["id"], "index": 0},
            "date": today,
            "care_pathway": "medecin_traitant",
            "insurance_nature": "maladie",
            "third_party_payment": {"amo": True, "amc": False},
            "acts": [{"code": "G"}],
        },
    )
    amounts = [draft[k] for k in ("total", "amo_due", "amc_due", "patient_due")]
    assert amounts == ["30.00", "19.00", "0.00", "11.00"]
    assert draft["beneficiary"]["nir"] == ruth["nir"]

    # Secured with the beneficiary's ApCV signature.
    secured = await call(desk, "POST", f"/v1/fse/invoices/{draft['id']}/secure", 200)
    assert secured["state"] == "secured"
    assert secured["securing"]["mode"] == "apcv"
    assert secured["degraded"] is False

    lots = (await call(desk, "POST", "/v1/fse/lots", 202, {}))["lots"]
    assert len(lots) == 1 and lots[0]["invoices"] == [draft["id"]]
    lot = await until(desk, f"/v1/fse/lots/{lots[0]['id']}", "state", "accepted")
    assert lot["acknowledged_at"]
    paid = await until(desk, f"/v1/fse/invoices/{draft['id']}", "state", "paid")
    assert [(r["kind"], r["part"], r["amount"]) for r in paid["returns"]] == [
        ("payment", "amo", "19.00")
    ]

    # One journal tells the whole visit, every row under the NIR of the patient.
    rows = (await call(desk, "GET", "/v1/journal?limit=500", 200))["rows"]
    events = {r["event"] for r in rows}
    for event in ("apcv.session", "ins.search", "fse.invoice.create", "fse.invoice.secure"):
        assert event in events, event
    assert {"fse.lot.create", "fse.lot.transmit", "fse.lot.ack", "fse.invoice.paid"} <= events

    # The session released, the card data is gone: a second search cannot use it.
    await desk.delete(f"/v1/apcv/sessions/{session['id']}")
    response = await desk.post("/v1/ins/search", json={"apcv_session": session["id"]})
    assert response.status in (404, 410, 422), await response.text()
