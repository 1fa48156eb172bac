"""The ApCV plugin in a running daemon, over real sockets: the front desk scans the code the
patient's carte Vitale app shows, the EHR opens a session, reads it, hands its beneficiaries to
an INS search or a care sheet, and releases it; the simulator refuses what the service refuses."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import json
import time
from typing import Any

import pytest

from aiguillage.journal import JournalFilter
from aiguillage.plugin import Problem
from aiguillage.plugin_runtime import plugin_data_dir
from aiguillage.plugins.apcv.backend import Context
from aiguillage.plugins.apcv.schemas import RUTH
from aiguillage.plugins.apcv.sessions import RETENTION, SessionStore
from aiguillage.plugins.apcv.sim_qr import QrKey
from aiguillage.plugins.apcv.simulator import signed_data

PROBLEM = "urn:aiguillage:problem:"
RUTH_INS = "277076322082910"
MICHELANGELO_NIR = "110086322083060"
#: Another practitioner than the config's (whose national id is 899900063480).
OTHER = {
    "national_id": "10101010101",
    "family_name": "AUTRE",
    "given_name": "PAULINE",
    "billing_id": "101010101",
}
DIGEST = hashlib.sha256(b"a care sheet").hexdigest()
SUMMARY = {"Praticien": "MAX LIBRE", "Bénéficiaire": "NESSI RUTH", "Total": "30.00"}


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


async def problem(response, status: int, slug: str) -> dict[str, Any]:
    assert response.status == status, await response.text()
    assert response.content_type == "application/problem+json"
    body = await response.json()
    assert body["type"] == PROBLEM + slug, body
    return body


def fields(body: dict[str, Any]) -> list[str]:
    return [e["field"] for e in body.get("errors", [])]


# --- the whole story ------------------------------------------------------------------------------


async def test_a_scanned_code_opens_a_session_read_again_then_released(apcv):
    qr = await apcv.qr("NESSI-RUTH")
    before = time.time()
    response = await apcv.http.post("/v1/apcv/sessions", json={"qr": qr})
    assert response.status == 201, await response.text()
    session = await response.json()
    assert session["source"] == "qr"
    ruth, son = session["beneficiaries"]
    assert (ruth["birth_name"], ruth["first_name"], ruth["nir"]) == ("NESSI", "RUTH", RUTH_INS)
    assert ruth["ins"] == {"matricule": RUTH_INS, "oid": "1.2.250.1.213.1.4.8"}
    # The son holds rights through his mother: her NIR is his ouvrant droit's.
    assert (son["first_name"], son["nir"], son["nir_od"]) == (
        "MICHELANGELO",
        MICHELANGELO_NIR,
        RUTH_INS,
    )
    assert (ruth["regime"], ruth["caisse"], ruth["centre"], ruth["rank"]) == (
        "01",
        "631",
        "6311",
        1,
    )
    assert ruth["rights"] == [{"start": "2024-01-01", "end": None, "label": "maladie"}]
    # The context's end of validity, as the service set it (300 s by default).
    ends = dt.datetime.fromisoformat(session["expires_at"]).timestamp()
    assert before + 290 < ends < time.time() + 310

    read = await apcv.http.get(f"/v1/apcv/sessions/{session['id']}")
    assert read.status == 200, await read.text()
    assert await read.json() == session

    released = await apcv.http.delete(f"/v1/apcv/sessions/{session['id']}")
    assert released.status == 204, await released.text()
    await problem(
        await apcv.http.get(f"/v1/apcv/sessions/{session['id']}"), 404, "apcv-session-not-found"
    )
    await problem(
        await apcv.http.delete(f"/v1/apcv/sessions/{session['id']}"),
        404,
        "apcv-session-not-found",
    )
    # The context is gone at the service too.
    assert (await apcv.control("state"))["contexts"] == 0


async def test_every_step_is_journaled_with_the_patient(apcv):
    session = await apcv.open("NESSI-RUTH")
    await apcv.http.get(f"/v1/apcv/sessions/{session['id']}")
    await apcv.http.delete(f"/v1/apcv/sessions/{session['id']}")
    rows = apcv.journal()
    assert [(r["event"], r["outcome"]) for r in rows] == [("apcv.session", "pending")] + [
        ("apcv.session", "ok")
    ] * 3 + [("apcv.session", "pending"), ("apcv.session", "ok")]
    opened, session_row, read, release_pending, released = rows[1:]
    # What went on the wire: both calls of the opening, the read, the destruction.
    assert "authentifierUtilisateurProximite" in opened["response"]
    assert "restituerContexteApCV" in opened["response"]
    assert "restituerContexteApCV" in read["response"]
    assert "detruireContexteApCV" in released["response"]
    # The session's rows name the first beneficiary; the opening could not know her yet.
    assert rows[0]["patient_ins"] is None
    for row in (session_row, read, release_pending, released):
        assert row["patient_ins"] == RUTH_INS, row
        assert row["patient_name"] == "NESSI RUTH"
        assert session["id"] in row["summary"]
    assert all(r["practitioner_id"] == "899900063480" for r in rows)


# --- codes the service refuses ------------------------------------------------------------------


async def test_an_expired_code_is_refused_as_expired(apcv):
    qr = await apcv.qr()
    await apcv.control("clock", {"offset": 181})  # the code lives 180 s
    response = await apcv.http.post("/v1/apcv/sessions", json={"qr": qr})
    body = await problem(response, 422, "apcv-qr-expired")
    assert fields(body) == ["/qr"]
    assert (body["service"], body["service_code"]) == ("apcv", "QR_EXPIRE")
    assert [r["outcome"] for r in apcv.journal()] == ["pending", "qr-expired"]


async def test_an_altered_code_is_refused_as_tampered(apcv):
    prefix, claims, signature = (await apcv.qr()).split(".")
    middle = len(claims) // 2
    altered = claims[:middle] + ("A" if claims[middle] != "A" else "B") + claims[middle + 1 :]
    response = await apcv.http.post(
        "/v1/apcv/sessions", json={"qr": f"{prefix}.{altered}.{signature}"}
    )
    body = await problem(response, 422, "apcv-qr-tampered")
    assert fields(body) == ["/qr"] and body["service_code"] == "QR_ALTERE"


async def test_a_code_used_once_is_refused_as_replayed(apcv):
    qr = await apcv.qr()
    first = await apcv.http.post("/v1/apcv/sessions", json={"qr": qr})
    assert first.status == 201
    again = await apcv.http.post("/v1/apcv/sessions", json={"qr": qr})
    body = await problem(again, 422, "apcv-qr-replayed")
    assert fields(body) == ["/qr"] and body["service_code"] == "QR_REJOUE"


async def test_text_that_is_no_apcv_code_is_refused_as_invalid(apcv):
    response = await apcv.http.post("/v1/apcv/sessions", json={"qr": "https://example.org/menu"})
    body = await problem(response, 422, "apcv-qr-invalid")
    assert fields(body) == ["/qr"]


async def test_a_refused_nfc_payload_names_the_nfc_field(apcv):
    response = await apcv.http.post("/v1/apcv/sessions", json={"nfc": "APCV1.garbage"})
    body = await problem(response, 422, "apcv-qr-tampered")
    assert fields(body) == ["/nfc"]


async def test_an_nfc_payload_opens_a_session_too(apcv):
    response = await apcv.http.post("/v1/apcv/sessions", json={"nfc": await apcv.qr("CORSE")})
    assert response.status == 201, await response.text()
    session = await response.json()
    assert session["source"] == "nfc"
    read = await (await apcv.http.get(f"/v1/apcv/sessions/{session['id']}")).json()
    assert read["source"] == "nfc"


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({}, ["/qr"]),
        ({"qr": "APCV1.a.b", "nfc": "APCV1.a.b"}, ["/nfc", "/qr"]),
        ({"qr": ""}, ["/qr"]),
        ({"qr": "APCV1.a.b\n"}, ["/qr"]),  # a scanner's newline
        ({"nfc": "APCV1\x00"}, ["/nfc"]),
        ({"qr": "A" * 4097}, ["/qr"]),
        ({"qr": 12}, ["/qr"]),
        ({"qr": "APCV1.a.b", "other": 1}, ["/other"]),
        # ApCV knows a practitioner by billing number and AMO specialty: without them, no call.
        ({"qr": "APCV1.a.b", "practitioner": {"billing_id": ""}}, ["/practitioner/billing_id"]),
        (
            {"qr": "APCV1.a.b", "practitioner": {"specialty_code": "SM54"}},
            ["/practitioner/specialty_code"],
        ),
    ],
)
async def test_the_body_is_checked_before_the_service_is_called(apcv, body, named):
    calls = (await apcv.control("state"))["calls"]
    body = await problem(await apcv.http.post("/v1/apcv/sessions", json=body), 422, "validation")
    assert sorted(fields(body)) == named
    assert (await apcv.control("state"))["calls"] == calls
    assert apcv.journal() == []


# --- sessions that ended ------------------------------------------------------------------------


async def test_a_session_whose_context_ended_at_the_service_is_410(apcv):
    session = await apcv.open()
    await apcv.control("clock", {"offset": 301})  # contexts live 300 s
    body = await problem(
        await apcv.http.get(f"/v1/apcv/sessions/{session['id']}"), 410, "apcv-session-expired"
    )
    assert body["service_code"] == "CONTEXTE_EXPIRE"
    await apcv.control("clock", {"offset": 0})
    # Ended for good: the daemon does not ask again.
    calls = (await apcv.control("state"))["calls"]
    await problem(
        await apcv.http.get(f"/v1/apcv/sessions/{session['id']}"), 410, "apcv-session-expired"
    )
    assert (await apcv.control("state"))["calls"] == calls
    with pytest.raises(Problem) as caught:
        await apcv.daemon.resolve_beneficiary(apcv.call(), session["id"], 0)
    assert (caught.value.status, caught.value.slug) == (410, "apcv-session-expired")
    # An ended session can still be released.
    assert (await apcv.http.delete(f"/v1/apcv/sessions/{session['id']}")).status == 204


async def test_a_session_past_its_end_is_410_without_asking_the_service(start_apcv):
    apcv = await start_apcv(simulator_context_validity=1.0)
    session = await apcv.open()
    ends = dt.datetime.fromisoformat(session["expires_at"]).timestamp()
    # Until the context's own end of validity, a second away (no guess: the time it said).
    await asyncio.sleep(max(0.0, ends - time.time()) + 0.01)
    calls = (await apcv.control("state"))["calls"]
    await problem(
        await apcv.http.get(f"/v1/apcv/sessions/{session['id']}"), 410, "apcv-session-expired"
    )
    with pytest.raises(Problem) as caught:
        await apcv.daemon.resolve_beneficiary(apcv.call(), session["id"], 0)
    assert caught.value.status == 410
    with pytest.raises(Problem) as caught:
        await apcv.daemon.sign_care_sheet(apcv.call(), session["id"], 0, "ab" * 32, {"a": "b"})
    assert caught.value.status == 410
    assert (await apcv.control("state"))["calls"] == calls


# --- what a session holds -----------------------------------------------------------------------


async def test_each_beneficiary_as_the_card_gives_them(apcv):
    # An ALD exoneration, no INS in the context.
    (catarina,) = (await apcv.open("TCHITCHI-CATARINA"))["beneficiaries"]
    assert catarina["exonerations"] == [
        {
            "code": "ald",
            "label": "affection de longue durée",
            "start": "2022-05-01",
            "end": "2032-04-30",
        }
    ]
    assert catarina["ins"] is None and catarina["lunar_birth_date"] is False
    # A lunar birth date: kept as the card holds it, flagged.
    (toussaint,) = (await apcv.open("ADRTROIS-TOUSSAINT"))["beneficiaries"]
    assert (toussaint["birth_date"], toussaint["lunar_birth_date"]) == ("1960-00-00", True)
    assert toussaint["nir"] == "160012B02077713"  # Corsica's 2B
    # A used name and a maternity exoneration.
    (dominique,) = (await apcv.open("ADRTROIS-DOMINIQUE"))["beneficiaries"]
    assert dominique["used_name"] == "MARTIN"
    assert [x["code"] for x in dominique["exonerations"]] == ["maternite"]
    # Rights that ended.
    (anthony,) = (await apcv.open("CORSE-ANTHONY"))["beneficiaries"]
    assert anthony["rights"] == [{"start": "2020-01-01", "end": "2025-12-31", "label": "maladie"}]


# --- other plugins using a session ----------------------------------------------------------------


async def test_an_ins_search_takes_a_beneficiary_of_the_session(apcv):
    session = await apcv.open("NESSI-RUTH")
    search = {"apcv_session": session["id"], "beneficiary": 1}
    response = await apcv.http.post("/v1/ins/search", json=search)
    assert response.status == 200, await response.text()
    found = await response.json()
    assert found["result"] == "found"
    assert found["ins"]["matricule"] == MICHELANGELO_NIR
    assert found["traits"]["first_name"] == "MICHELANGELO"
    # The session's plugin says which request read which beneficiary.
    (given,) = [r for r in apcv.journal() if "read for request" in r["summary"]]
    assert given["patient_ins"] == MICHELANGELO_NIR
    assert given["request_id"] == response.headers["X-Request-Id"]

    body = await problem(
        await apcv.http.post("/v1/ins/search", json={**search, "beneficiary": 2}),
        422,
        "validation",
    )
    assert fields(body) == ["beneficiary"]
    assert "2 beneficiaries" in body["errors"][0]["message"]
    await apcv.http.delete(f"/v1/apcv/sessions/{session['id']}")
    body = await problem(await apcv.http.post("/v1/ins/search", json=search), 422, "validation")
    assert fields(body) == ["apcv_session"]


async def test_a_beneficiary_signs_a_care_sheet_through_the_daemon(apcv):
    session = await apcv.open("NESSI-RUTH")
    call = apcv.call(request_id="fse-42")
    assert (
        await apcv.daemon.resolve_beneficiary(call, session["id"], 1)
        == (session["beneficiaries"][1])
    )
    digest = hashlib.sha256(b"a care sheet").hexdigest()
    summary = {"Praticien": "MAX LIBRE", "Bénéficiaire": "NESSI RUTH", "Total": "30.00"}
    signed = await apcv.daemon.sign_care_sheet(call, session["id"], 0, digest, summary)
    assert signed["reference"].startswith("APCVSIG-")
    assert abs(dt.datetime.fromisoformat(signed["signed_at"]).timestamp() - time.time()) < 60
    # The signature is the service's over this very sheet, in the session's context: checked
    # with the simulator's key.
    context = apcv.config.state["sessions"].find(session["id"]).context
    assert signed["context"] == context.id
    QrKey(apcv.config.data_dir).public_key.verify(
        base64.b64decode(signed["value"]),
        signed_data(context.id, digest, list(summary.items()), signed["reference"]),
    )
    rows = apcv.journal("apcv.session.sign")
    assert [r["outcome"] for r in rows] == ["pending", "ok"]
    assert all(r["patient_ins"] == RUTH_INS and r["request_id"] == "fse-42" for r in rows)
    assert "signerVitale" in rows[1]["response"]

    with pytest.raises(Problem) as caught:
        await apcv.daemon.sign_care_sheet(call, session["id"], 2, digest, summary)
    assert (caught.value.status, [e.field for e in caught.value.errors]) == (422, ["beneficiary"])
    with pytest.raises(Problem) as caught:
        await apcv.daemon.sign_care_sheet(call, "apcv_unknown", 0, digest, summary)
    assert [e.field for e in caught.value.errors] == ["apcv_session"]
    # The context ended at the service between the reading and the signing.
    await apcv.control("clock", {"offset": 301})
    with pytest.raises(Problem) as caught:
        await apcv.daemon.sign_care_sheet(call, session["id"], 0, digest, summary)
    assert (caught.value.status, caught.value.slug) == (410, "apcv-session-expired")
    await apcv.control("clock", {"offset": 0})
    await problem(
        await apcv.http.get(f"/v1/apcv/sessions/{session['id']}"), 410, "apcv-session-expired"
    )


async def test_a_session_stays_bound_to_the_practitioner_who_opened_it(apcv):
    # Opened for another practitioner than the config's: the context is theirs at the service,
    # so reading it (no body), releasing it (no body) and signing in it (another plugin's call)
    # act as them, whoever asks.
    qr = await apcv.qr()
    opened = await apcv.http.post("/v1/apcv/sessions", json={"qr": qr, "practitioner": OTHER})
    assert opened.status == 201, await opened.text()
    session = await opened.json()
    url = f"/v1/apcv/sessions/{session['id']}"
    read = await apcv.http.get(url)
    assert read.status == 200, await read.text()
    signed = await apcv.daemon.sign_care_sheet(apcv.call(), session["id"], 0, DIGEST, SUMMARY)
    assert signed["context"] == apcv.config.state["sessions"].find(session["id"]).context.id
    released = await apcv.http.delete(url)
    assert released.status == 204, await released.text()
    assert (await apcv.control("state"))["contexts"] == 0
    rows = apcv.journal()  # apcv.session and apcv.session.sign
    assert len(rows) == 8 and {r["outcome"] for r in rows} == {"pending", "ok"}
    assert {r["practitioner_id"] for r in rows} == {OTHER["national_id"]}


async def test_a_session_stored_before_the_binding_acts_as_the_configured_practitioner(apcv):
    session = await apcv.open()
    store = apcv.config.state["sessions"]

    def forget(conn):  # a row as an earlier version wrote it: no practitioner
        conn.execute("UPDATE sessions SET practitioner = NULL")

    await store.store.write(forget)
    assert store.find(session["id"]).practitioner is None
    read = await apcv.http.get(f"/v1/apcv/sessions/{session['id']}")
    assert read.status == 200, await read.text()
    assert (await apcv.daemon.sign_care_sheet(apcv.call(), session["id"], 0, DIGEST, SUMMARY))[
        "reference"
    ]
    assert (await apcv.http.delete(f"/v1/apcv/sessions/{session['id']}")).status == 204


async def test_the_journal_keeps_neither_the_context_token_nor_the_scanned_code(apcv):
    qr = await apcv.qr()
    opened = await apcv.http.post("/v1/apcv/sessions", json={"qr": qr})
    assert opened.status == 201
    session = await opened.json()
    token = apcv.config.state["sessions"].find(session["id"]).context.token
    assert (await apcv.http.get(f"/v1/apcv/sessions/{session['id']}")).status == 200
    await apcv.daemon.sign_care_sheet(apcv.call(), session["id"], 0, DIGEST, SUMMARY)
    assert (await apcv.http.delete(f"/v1/apcv/sessions/{session['id']}")).status == 204
    rows = apcv.daemon.journal_rows(JournalFilter(limit=1000, ascending=True))
    wired = [r for r in rows if r["response"]]
    # Open (both calls), read, sign, destroy: each exchange kept...
    assert len(wired) == 4
    text = json.dumps(rows, ensure_ascii=False)
    for operation in ("Proximite", "restituer", "signerVitale", "detruire"):
        assert operation in text
    # ... without the secrets: no part of the code, nor the token, in any row (requests,
    # answers, summaries).
    assert token not in text
    assert qr not in text and all(part not in text for part in qr.split(".")[1:])
    # A harness correlates by hash: the masked value is the SHA-256 prefix of the secret.
    opening = next(r["response"] for r in wired if "Proximite" in r["response"])
    assert f"<apcv:Donnees>***sha256:{short_hash(qr)}</apcv:Donnees>" in opening
    assert f"***sha256:{short_hash(token)}</apcv:TokenApCV>" in opening
    assert all(short_hash(token) in r["response"] for r in wired[1:3])  # read, sign


async def test_sessions_that_ended_long_ago_are_deleted_when_the_daemon_starts(
    settings, start_apcv
):
    now = time.time()
    ended = dt.datetime.fromtimestamp(now - RETENTION - 10, dt.UTC)
    store = SessionStore(plugin_data_dir(settings, "apcv") / "sessions.db")
    old = await store.add("qr", Context("ctx-old", "tok", ended), [RUTH], now=now - RETENTION - 400)
    store.close()
    apcv = await start_apcv(retries=0)
    assert apcv.config.state["sessions"].find(old.id) is None


# --- the service failing ------------------------------------------------------------------------


async def test_a_service_down_is_503_and_a_session_is_kept_until_released(apcv):
    session = await apcv.open()
    url = f"/v1/apcv/sessions/{session['id']}"
    await apcv.control("faults", {"outage": True})
    body = await problem(
        await apcv.http.post("/v1/apcv/sessions", json={"qr": await apcv.qr()}),
        503,
        "apcv-unavailable",
    )
    assert (body["service"], body["service_code"]) == ("apcv", "SERVICE_INDISPONIBLE")
    await problem(await apcv.http.get(url), 503, "apcv-unavailable")
    await problem(await apcv.http.delete(url), 503, "apcv-unavailable")
    await apcv.control("faults", {"outage": False})
    assert (await apcv.http.get(url)).status == 200  # not released: the release failed
    assert (await apcv.http.delete(url)).status == 204


async def test_an_answer_that_cannot_be_read_is_502_and_not_retried(start_apcv):
    apcv = await start_apcv(retries=2)
    calls = (await apcv.control("state"))["calls"]
    await apcv.control("faults", {"garble": 1})
    body = await problem(
        await apcv.http.post("/v1/apcv/sessions", json={"qr": await apcv.qr()}),
        502,
        "apcv-refused",
    )
    assert "could not be read" in body["detail"]
    assert (body["service"], body["service_code"]) == ("apcv", "malformed")
    # The same question would get the same answer: asked once.
    assert (await apcv.control("state"))["calls"] == calls + 1
    assert [r["outcome"] for r in apcv.journal()] == ["pending", "malformed"]


async def test_a_refusal_of_what_the_daemon_sent_is_502(apcv):
    await apcv.control("faults", {"queue": ["ASSERTION_INVALIDE"]})
    body = await problem(
        await apcv.http.post("/v1/apcv/sessions", json={"qr": await apcv.qr()}),
        502,
        "apcv-refused",
    )
    assert body["service_code"] == "ASSERTION_INVALIDE"


async def test_without_its_certificate_the_plugin_is_unavailable_but_the_daemon_runs(
    start_apcv, tmp_path
):
    apcv = await start_apcv(signature_certificate=str(tmp_path / "missing.p12"))
    body = await problem(
        await apcv.http.post("/v1/apcv/sessions", json={"qr": "APCV1.a.b"}),
        503,
        "plugin-unavailable",
    )
    assert "signature_certificate" in body["detail"] or "missing.p12" in body["detail"]
    health = await (await apcv.http.get("/v1/health")).json()
    assert health["plugins"]["apcv"]["status"] == "down"
