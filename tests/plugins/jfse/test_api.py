"""Care sheets through the HTTP API against the simulated billing engine, over real sockets:
priced from a carte Vitale read, typed-in data or an ApCV session; secured in the mode each
allows; listed, deleted, cancelled; journaled."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json

import pytest
from jsonschema import Draft202012Validator

from aiguillage.plugins.jfse import plugin
from aiguillage.plugins.jfse.api import NO_ACT, OPERATIONS, engine_problem
from aiguillage.plugins.jfse.backend import JfseError
from aiguillage.shapes import FORMATS

from .conftest import (
    CHILD,
    DAY,
    PAT_TROIS,
    RUTH,
    created,
    get,
    invoice,
    journal,
    problem,
    secured,
    sim,
)

AMOUNTS = ("total", "amo_rate", "participation", "amo_due", "amc_due", "patient_due")


async def test_a_consultation_priced_from_card_data(fse):
    draft = await created(fse, invoice())
    assert draft["id"].startswith("fse_") and draft["number"].isdigit()
    assert (draft["state"], draft["source"], draft["date"]) == ("draft", "vitale", DAY)
    assert draft["lines"] == [
        {"code": "G", "quantity": 1, "modifiers": [], "unit_price": "30.00", "amount": "30.00"}
    ]
    # An adult, médecin traitant, maladie, no third-party payment: 70 % of 30.00, less the
    # 2.00 participation; the patient pays all at the desk.
    assert [draft[k] for k in AMOUNTS] == ["30.00", 70, "2.00", "19.00", "0.00", "30.00"]
    assert draft["securing"] is None and draft["degraded"] is False
    assert draft["practitioner"] == {
        "national_id": "899900063480",
        "billing_id": "991130972",
        "name": "MAX LIBRE",
    }
    assert await get(fse, f"/v1/fse/invoices/{draft['id']}") == draft
    [pending, done] = await journal(fse, "fse.invoice.create")
    assert (pending["outcome"], done["outcome"]) == ("pending", "ok")
    assert done["patient_ins"] == RUTH["nir"] and done["patient_name"] == "NESSI RUTH"
    assert draft["id"] in done["summary"] and "FDS-setCotation" in done["response"]


@pytest.mark.parametrize(
    ("beneficiary", "changes", "expected"),
    [
        # third-party payment of the AMO part: the patient pays the rest
        (
            RUTH,
            {"third_party_payment": {"amo": True}},
            ["30.00", 70, "2.00", "19.00", "0.00", "11.00"],
        ),
        # both parts: the AMC pays the ticket modérateur (30 − 21), the patient the 2.00
        (
            RUTH,
            {"third_party_payment": {"amo": True, "amc": True}},
            ["30.00", 70, "2.00", "19.00", "9.00", "2.00"],
        ),
        # an ALD: 100 %, less the participation
        (RUTH, {"exoneration": "ald"}, ["30.00", 100, "2.00", "28.00", "0.00", "30.00"]),
        (
            RUTH,
            {"exoneration": "ald", "third_party_payment": {"amo": True}},
            ["30.00", 100, "2.00", "28.00", "0.00", "2.00"],
        ),
        # maternity: 100 %, no participation
        (RUTH, {"insurance_nature": "maternite"}, ["30.00", 100, "0.00", "30.00", "0.00", "30.00"]),
        # a child: no participation
        (CHILD, {}, ["30.00", 70, "0.00", "21.00", "0.00", "30.00"]),
        # outside the parcours de soins: 30 % (9.00), less 2.00
        (RUTH, {"care_pathway": "hors_parcours"}, ["30.00", 30, "2.00", "7.00", "0.00", "30.00"]),
        # a home visit with its majoration, twice an ECG: (30 + 10) + 2 × 14.52
        (
            RUTH,
            {
                "acts": [
                    {"code": "VG", "modifiers": ["MD"]},
                    {"code": "DEQP003", "quantity": 2},
                ]
            },
            ["69.04", 70, "2.00", "46.33", "0.00", "69.04"],
        ),
    ],
)
async def test_amounts_are_the_engines(fse, beneficiary, changes, expected):
    draft = await created(fse, invoice(beneficiary, **changes))
    assert [draft[k] for k in AMOUNTS] == expected


async def test_the_date_of_care_is_today_unless_said(fse):
    body = {k: v for k, v in invoice().items() if k != "date"}
    assert (await created(fse, body))["date"] == dt.date.today().isoformat()


async def test_a_care_sheet_needs_an_act(fse):
    for body in (invoice(acts=[]), {k: v for k, v in invoice().items() if k != "acts"}):
        found = await problem(await fse.post("/v1/fse/invoices", json=body), 422, "validation")
        assert found["errors"] == [{"field": "/acts", "message": NO_ACT}]
    assert (await get(fse, "/v1/fse/invoices"))["items"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (invoice(date=(dt.date.today() + dt.timedelta(days=1)).isoformat()), "/date"),
        (invoice(acts=[{"code": "g"}]), "/acts/0/code"),
        (invoice(care_pathway="partout"), "/care_pathway"),
        (invoice(beneficiary={**RUTH, "nir": "277076322082911"}), "/beneficiary/vitale/nir"),
        (invoice(practitioner={"billing_id": ""}), "/practitioner/billing_id"),
    ],
)
async def test_bad_care_sheets_name_the_field(fse, body, field):
    found = await problem(await fse.post("/v1/fse/invoices", json=body), 422, "validation")
    assert field in [e["field"] for e in found["errors"]], found


async def test_an_act_the_engine_does_not_know_is_its_refusal(fse):
    response = await fse.post("/v1/fse/invoices", json=invoice(acts=[{"code": "ZZZ9"}]))
    found = await problem(response, 422, "fse-refused")
    assert found["service"] == "jfse"
    assert found["errors"][0]["field"].startswith("/acts/0")


async def test_securing_with_the_card_and_in_degraded_mode(fse):
    card = await secured(fse)
    assert card["state"] == "secured" and card["degraded"] is False
    securing = card["securing"]
    assert securing["mode"] == "vitale" and securing["fse_number"].isdigit()
    assert securing["destination"] == "01-631-0000"
    assert [card[k] for k in AMOUNTS] == ["30.00", 70, "2.00", "19.00", "0.00", "30.00"]

    typed = await secured(fse, {**invoice(), "beneficiary": {"manual": PAT_TROIS}})
    assert typed["source"] == "manual" and typed["degraded"] is True
    assert typed["securing"]["mode"] == "degraded"
    assert typed["securing"]["destination"] == "01-751-0000"

    again = await fse.post(f"/v1/fse/invoices/{card['id']}/secure")
    await problem(again, 409, "fse-invoice-state")
    rows = await journal(fse, "fse.invoice.secure", outcome="ok")
    assert [r["patient_ins"] for r in rows] == [RUTH["nir"], PAT_TROIS["nir"]]


async def test_an_apcv_sessions_beneficiary_signs_the_care_sheet(fse, apcv):
    apcv.sessions["s1"] = [RUTH, CHILD]
    body = invoice() | {"beneficiary": {"apcv_session": "s1", "index": 1}}
    draft = await created(fse, body)
    assert draft["source"] == "apcv" and draft["beneficiary"] == CHILD
    assert draft["participation"] == "0.00"  # the child's: under 18
    response = await fse.post(f"/v1/fse/invoices/{draft['id']}/secure")
    assert response.status == 200, await response.text()
    done = await response.json()
    assert done["securing"]["mode"] == "apcv" and not done["degraded"]
    [signed] = apcv.signed
    assert signed["session"] == "s1"
    assert signed["summary"]["beneficiary"] == "NESSI LEA"
    assert signed["summary"]["total"] == "30.00 €"
    # The digest is the care sheet as priced, under its number: what the engine validated.
    stored = {
        "number": draft["number"],
        "draft": {
            "beneficiary": CHILD,
            "date": DAY,
            "care_pathway": "medecin_traitant",
            "insurance_nature": "maladie",
            "exoneration": None,
            "third_party_payment": {"amo": False, "amc": False},
            "acts": [{"code": "G", "quantity": 1, "modifiers": []}],
        },
        "priced": {k: draft[k] for k in ("lines", *AMOUNTS, "messages")},
    }
    canonical = json.dumps(stored, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert signed["digest"] == hashlib.sha256(canonical.encode()).hexdigest()
    # The engine gets the ApCV context the signature was made in, not the signature's
    # reference.
    [row] = await journal(fse, "fse.invoice.secure", outcome="ok")
    exchanges = json.loads(row["response"])
    [validate] = [e for e in exchanges if e["method"] == "FDS-validerFacture"]
    proof = json.loads(validate["request"])["method"]["parameters"]["apcv"]
    assert proof["idContexte"] == "ctx-s1"
    assert proof["empreinte"] == signed["digest"]


async def test_a_draft_secured_twice_at_once_is_signed_once(fse, apcv):
    """Two clicks on "secure": the second request finds the draft claimed (409) before its
    beneficiary is asked to sign a second time."""
    apcv.sessions["s1"] = [RUTH]
    apcv.delay = 0.2
    draft = await created(fse, invoice() | {"beneficiary": {"apcv_session": "s1"}})
    path = f"/v1/fse/invoices/{draft['id']}/secure"
    # Both requests read the draft before either claims it: only the claim can tell them apart.
    store = fse.config.state["store"]
    claim = store.transition

    async def late_claim(*args, **kwargs):
        await asyncio.sleep(0.1)
        return await claim(*args, **kwargs)

    store.transition = late_claim
    first, second = await asyncio.gather(fse.post(path), fse.post(path))
    store.transition = claim
    assert sorted([first.status, second.status]) == [200, 409]
    late = second if second.status == 409 else first
    found = await problem(late, 409, "fse-invoice-state")
    assert "securing" in found["detail"]
    assert len(apcv.signed) == 1
    assert (await get(fse, f"/v1/fse/invoices/{draft['id']}"))["state"] == "secured"
    assert len(await journal(fse, "fse.invoice.secure", outcome="ok")) == 1


async def test_a_draft_whose_securing_failed_is_a_draft_again(fse, apcv):
    apcv.sessions["s1"] = [RUTH]
    draft = await created(fse, invoice() | {"beneficiary": {"apcv_session": "s1"}})
    path = f"/v1/fse/invoices/{draft['id']}/secure"
    await sim(fse, "/_sim/faults", {"outage": True})
    await problem(await fse.post(path), 503, "jfse-unavailable")
    assert (await get(fse, f"/v1/fse/invoices/{draft['id']}"))["state"] == "draft"
    await sim(fse, "/_sim/faults", {"outage": False})
    assert (await (await fse.post(path)).json())["state"] == "secured"


async def test_apcv_sessions_that_cannot_be_used(fse, apcv):
    apcv.sessions |= {"old": "expired", "one": [RUTH]}

    def body(session: str, index: int = 0) -> dict:
        return invoice() | {"beneficiary": {"apcv_session": session, "index": index}}

    unknown = await fse.post("/v1/fse/invoices", json=body("nobody"))
    found = await problem(unknown, 422, "validation")
    assert found["errors"][0]["field"] == "/beneficiary/apcv_session"
    await problem(await fse.post("/v1/fse/invoices", json=body("old")), 410, "apcv-session-expired")
    beyond = await problem(
        await fse.post("/v1/fse/invoices", json=body("one", 3)), 422, "validation"
    )
    assert beyond["errors"][0]["field"] == "beneficiary"

    # Expired between pricing and securing: at the session, or at the engine.
    draft = await created(fse, body("one"))
    apcv.sessions["one"] = "expired"
    response = await fse.post(f"/v1/fse/invoices/{draft['id']}/secure")
    await problem(response, 410, "apcv-session-expired")
    apcv.sessions["one"] = [RUTH]
    await sim(fse, "/_sim/faults", {"apcv_expired": 1})
    response = await fse.post(f"/v1/fse/invoices/{draft['id']}/secure")
    found = await problem(response, 410, "fse-apcv-expired")
    assert found["service"] == "jfse"
    assert (await get(fse, f"/v1/fse/invoices/{draft['id']}"))["state"] == "draft"
    [failed] = await journal(fse, "fse.invoice.secure", outcome="apcv-expired")
    assert failed["patient_ins"] == RUTH["nir"]


async def test_listing_by_state_and_date_a_page_at_a_time(fse):
    days = ["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09"]
    made = [await created(fse, invoice(date=day)) for day in days]
    await fse.post(f"/v1/fse/invoices/{made[1]['id']}/secure")

    seen, cursor = [], None
    while True:
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = await get(fse, f"/v1/fse/invoices?{query}")
        assert len(page["items"]) <= 2
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [i["id"] for i in reversed(made)]  # newest first, each once

    secured_page = await get(fse, "/v1/fse/invoices?state=secured")
    assert [i["id"] for i in secured_page["items"]] == [made[1]["id"]]
    window = await get(fse, "/v1/fse/invoices?from=2026-01-06&to=2026-01-08")
    assert [i["date"] for i in window["items"]] == ["2026-01-08", "2026-01-07", "2026-01-06"]
    drafts = await get(fse, "/v1/fse/invoices?state=draft&from=2026-01-07")
    assert [i["date"] for i in drafts["items"]] == ["2026-01-09", "2026-01-08", "2026-01-07"]

    for query, field in (("cursor=1.fse_nothing", "cursor"), ("from=2026-02-30", "from")):
        found = await problem(await fse.get(f"/v1/fse/invoices?{query}"), 422, "validation")
        assert found["errors"][0]["field"] == field


async def test_a_draft_is_deleted_anything_else_is_not(fse):
    draft = await created(fse, invoice())
    done = await secured(fse)
    response = await fse.delete(f"/v1/fse/invoices/{draft['id']}")
    assert response.status == 204
    await problem(await fse.get(f"/v1/fse/invoices/{draft['id']}"), 404, "fse-invoice-unknown")
    await problem(await fse.delete(f"/v1/fse/invoices/{draft['id']}"), 404, "fse-invoice-unknown")
    await problem(await fse.delete(f"/v1/fse/invoices/{done['id']}"), 409, "fse-invoice-state")
    [row] = await journal(fse, "fse.invoice.delete")
    assert row["patient_ins"] == RUTH["nir"] and draft["id"] in row["summary"]


async def test_a_secured_care_sheet_is_cancelled_once(fse):
    draft = await created(fse, invoice())
    await problem(
        await fse.post(f"/v1/fse/invoices/{draft['id']}/cancel"), 409, "fse-invoice-state"
    )
    done = await secured(fse)
    # The engine down: not cancelled, still secured.
    await sim(fse, "/_sim/faults", {"outage": True})
    down = await fse.post(f"/v1/fse/invoices/{done['id']}/cancel")
    await problem(down, 503, "jfse-unavailable")
    assert (await get(fse, f"/v1/fse/invoices/{done['id']}"))["state"] == "secured"
    await sim(fse, "/_sim/faults", {"outage": False})
    response = await fse.post(f"/v1/fse/invoices/{done['id']}/cancel")
    assert response.status == 200, await response.text()
    assert (await response.json())["state"] == "cancelled"
    state = await sim(fse, "/_sim/state")
    assert state["invoices"].get("cancelled") == 1  # the engine cancelled it too
    again = await fse.post(f"/v1/fse/invoices/{done['id']}/cancel")
    await problem(again, 409, "fse-invoice-state")
    [row] = await journal(fse, "fse.invoice.cancel", outcome="ok")
    assert row["patient_ins"] == RUTH["nir"]


async def test_an_engine_that_is_down_is_a_503_and_nothing_is_kept(fse):
    await sim(fse, "/_sim/faults", {"outage": True})
    response = await fse.post("/v1/fse/invoices", json=invoice())
    found = await problem(response, 503, "jfse-unavailable")
    assert found["service"] == "jfse"
    assert (await get(fse, "/v1/fse/invoices"))["items"] == []
    await sim(fse, "/_sim/faults", {"outage": False})
    assert (await created(fse, invoice()))["state"] == "draft"


def test_an_engine_answer_that_cannot_be_read_is_a_502_not_retried():
    found = engine_problem(JfseError("malformed", "FDS-getDonneesFacture: total is missing"))
    assert (found.status, found.slug) == (502, "jfse-error")
    assert plugin.classify_error(JfseError("malformed", "x"), None) == "permanent"
    assert plugin.classify_error(JfseError("unavailable", "x"), None) == "transient"


def test_every_example_holds_against_its_schema():
    for op in OPERATIONS:
        for schema, examples in (
            (op.request_schema, op.request_examples),
            (op.response_schema, op.response_examples),
        ):
            assert not examples or schema is not None, op.operation_id
            for name, example in examples.items():
                validator = Draft202012Validator(schema, format_checker=FORMATS)
                errors = list(validator.iter_errors(example))
                assert not errors, f"{op.operation_id} {name}: {errors[0].message}"


async def test_without_its_editor_key_the_plugin_says_why(aiohttp_client, settings, plugins, token):
    from aiguillage.app import create_app

    for name in ("insi", "dmp", "mssante", "apcv"):
        settings.plugins[name].enabled = False
    settings.plugins["jfse"].endpoint = "https://127.0.0.1:9"  # no simulator, no key
    client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
    client.session.headers["Authorization"] = f"Bearer {token}"
    found = await problem(
        await client.post("/v1/fse/invoices", json=invoice()), 503, "plugin-unavailable"
    )
    assert "editor_key" in found["detail"]
    assert (await get(client, "/v1/fse/invoices"))["items"] == []
