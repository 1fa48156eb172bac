"""``JsonBackend`` against the simulator over real sockets: the token and its one refresh, the
engine's calls each backend method is made of, errors mapped to ``JfseError`` codes with the
draft's fields, retries of what is transient, and exchanges that never show a secret."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import datetime as dt
import hashlib
import socket
from collections.abc import AsyncIterator
from decimal import Decimal

import aiohttp
import pytest
from aiohttp import web

from aiguillage.plugins.jfse.backend import Act, ApcvProof, Exchange, JfseError, LotToSend
from aiguillage.plugins.jfse.client import JsonBackend
from aiguillage.plugins.jfse.simulator import EDITOR_KEY

from .simulator_fixture import DOMINIQUE, Running, draft, simulator_running


@pytest.fixture
async def sim(pki) -> AsyncIterator[Running]:
    async with simulator_running(pki) as running:
        yield running


def methods(exchanges: list[Exchange]) -> list[str]:
    return [e.method for e in exchanges]


def proof(signed_at: dt.datetime | None = None) -> ApcvProof:
    return ApcvProof(
        context_id="ctx-1",
        digest=hashlib.sha256(b"care sheet").hexdigest(),
        signature=base64.b64encode(b"signature").decode(),
        signed_at=(signed_at or dt.datetime.now(dt.UTC)).isoformat(),
    )


# --- pricing ------------------------------------------------------------------------------------


async def test_price_is_the_engines_calls_in_order_and_answers_the_split(sim):
    backend = sim.backend()
    exchanges: list[Exchange] = []
    priced = await backend.price(
        draft(third_party_amo=True, acts=(Act("G"), Act("DEQP003"))), exchanges
    )
    assert methods(exchanges) == [
        "get-token",
        "FDS-initialiserFacture",
        "FDS-setNatureAssurance",
        "FDS-setParcoursSoins",
        "FDS-setCotation",
        "FDS-setCotation",
        "FDS-controlerFacture",
        "FDS-getDonneesFacture",
    ]
    assert [(line.code, line.amount) for line in priced.lines] == [
        ("G", Decimal("30.00")),
        ("DEQP003", Decimal("14.52")),
    ]
    # 44.52 × 70 % = 31.16, less 2.00 → 29.16; the patient pays the rest: 15.36
    assert (priced.total, priced.amo_rate, priced.participation) == (
        Decimal("44.52"),
        70,
        Decimal("2.00"),
    )
    assert (priced.amo_due, priced.amc_due, priced.patient_due) == (
        Decimal("29.16"),
        Decimal("0.00"),
        Decimal("15.36"),
    )
    assert all(e.response is not None and e.seconds >= 0 for e in exchanges)


async def test_exchanges_never_show_the_editor_key_or_the_token(sim):
    exchanges: list[Exchange] = []
    await sim.backend().price(draft(), exchanges)
    token = next(iter(sim.simulator.tokens))
    for exchange in exchanges:
        for data in (exchange.request, exchange.response or b""):
            assert EDITOR_KEY.encode() not in data, exchange.method
            assert token.encode() not in data, exchange.method


async def test_the_token_is_fetched_once_and_reused(sim):
    backend = sim.backend()
    first: list[Exchange] = []
    second: list[Exchange] = []
    await backend.price(draft("INV-1"), first)
    await backend.price(draft("INV-2"), second)
    assert methods(first).count("get-token") == 1
    assert "get-token" not in methods(second)


async def test_pricing_again_starts_the_invoice_over(sim):
    backend = sim.backend()
    await backend.price(draft(acts=(Act("G"), Act("DEQP003"))), [])
    priced = await backend.price(draft(acts=(Act("G", 2),)), [])
    assert [(line.code, line.quantity) for line in priced.lines] == [("G", 2)]
    assert priced.total == Decimal("60.00")


async def test_the_engines_messages_come_with_the_price(sim):
    priced = await sim.backend().price(draft(exoneration="ald"), [])
    assert [m.severity for m in priced.messages] == ["warning"]
    assert "'ald'" in priced.messages[0].text


# --- refusals ------------------------------------------------------------------------------------


async def test_an_unknown_act_is_refused_naming_the_acts_field(sim):
    with pytest.raises(JfseError) as caught:
        await sim.backend().price(draft(acts=(Act("G"), Act("ZZZ9999"))), [])
    error = caught.value
    assert error.code == "invalid"
    assert "ZZZ9999" in error.detail
    assert error.errors[0]["code"] == "ACTE_INCONNU"
    assert error.errors[0]["source"] == "acts[1].code"


async def test_an_act_not_yet_billable_at_the_date_is_refused(sim):
    with pytest.raises(JfseError) as caught:
        await sim.backend().price(draft(date="2025-12-31", acts=(Act("GL1"),)), [])
    assert caught.value.code == "invalid"
    assert "GL1" in caught.value.detail and "2025-12-31" in caught.value.detail
    assert caught.value.errors[0]["source"] == "acts[0].code"


async def test_an_unknown_modifier_names_its_place(sim):
    with pytest.raises(JfseError) as caught:
        await sim.backend().price(draft(acts=(Act("VG", 1, ("MD", "XX")),)), [])
    assert caught.value.errors[0]["source"] == "acts[0].modifiers[1]"


async def test_an_invoice_without_acts_is_refused(sim):
    with pytest.raises(JfseError) as caught:
        await sim.backend().price(draft(acts=()), [])
    assert caught.value.code == "invalid"
    assert "at least one act is required" in caught.value.detail
    assert caught.value.errors[0]["source"] == "acts"


async def test_an_unknown_pathway_names_the_drafts_field(sim):
    with pytest.raises(JfseError) as caught:
        await sim.backend().price(draft(care_pathway="nowhere"), [])
    assert caught.value.errors[0]["source"] == "care_pathway"


async def test_a_missing_billing_number_names_the_practitioners_field(sim):
    biller = dataclasses.replace(draft().biller, billing_id="")
    with pytest.raises(JfseError) as caught:
        await sim.backend().price(draft(biller=biller), [])
    assert caught.value.code == "invalid"
    assert caught.value.errors[0]["source"] == "practitioner.billing_id"


async def test_a_question_the_connector_cannot_answer_is_a_refusal(sim):
    await sim.faults(question=1)
    with pytest.raises(JfseError) as caught:
        await sim.backend().price(draft(), [])
    assert caught.value.code == "invalid"
    assert caught.value.errors[0]["code"] == "QUESTION"
    assert "informé" in caught.value.detail


# --- securing -----------------------------------------------------------------------------------


async def test_securing_twice_answers_the_same_fse(sim):
    backend = sim.backend()
    await backend.price(draft(third_party_amo=True), [])
    first = await backend.secure(draft(third_party_amo=True), "vitale", None, [])
    again = await backend.secure(draft(third_party_amo=True), "vitale", None, [])
    assert first.fse_number == again.fse_number
    assert (first.mode, first.destination) == ("vitale", "01-631-0000")
    assert first.priced.patient_due == Decimal("11.00")
    other = await backend.secure(draft("INV-2"), "degraded", None, [])
    assert other.fse_number != first.fse_number
    assert other.mode == "degraded"
    assert (await sim.state())["invoices"] == {"validated": 2}


async def test_securing_with_apcv_needs_the_signature(sim):
    backend = sim.backend()
    with pytest.raises(JfseError) as caught:
        await backend.secure(draft(), "apcv", None, [])
    assert caught.value.code == "invalid"
    assert caught.value.errors[0]["code"] == "PREUVE_APCV_INVALIDE"
    secured = await backend.secure(draft(), "apcv", proof(), [])
    assert secured.mode == "apcv"


async def test_a_stale_apcv_signature_is_an_expired_context(sim):
    old = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=11)
    with pytest.raises(JfseError) as caught:
        await sim.backend().secure(draft(), "apcv", proof(old), [])
    assert caught.value.code == "apcv-expired"


async def test_an_expired_apcv_context_can_be_injected(sim):
    await sim.faults(apcv_expired=1)
    backend = sim.backend()
    with pytest.raises(JfseError) as caught:
        await backend.secure(draft(), "apcv", proof(), [])
    assert caught.value.code == "apcv-expired"
    assert (await backend.secure(draft(), "apcv", proof(), [])).mode == "apcv"


async def test_an_engine_that_forgot_the_invoice_gets_it_priced_again(sim, pki):
    await sim.backend().price(draft(), [])
    async with simulator_running(pki) as fresh:  # another engine: it never saw INV-1
        exchanges: list[Exchange] = []
        secured = await fresh.backend().secure(draft(), "vitale", None, exchanges)
    assert secured.priced.total == Decimal("30.00")
    calls = methods(exchanges)
    assert calls[1] == "FDS-validerFacture" and calls[-1] == "FDS-validerFacture"
    assert "FDS-initialiserFacture" in calls


async def test_cancel_a_secured_fse_then_not_once_transmitted(sim):
    backend = sim.backend()
    one = await backend.secure(draft("INV-1"), "vitale", None, [])
    two = await backend.secure(draft("INV-2"), "vitale", None, [])
    await backend.cancel(one.fse_number, [])
    await backend.cancel(one.fse_number, [])  # again: still cancelled, not an error
    await backend.transmit(LotToSend("LOT-1", two.destination, (two.fse_number,)), [])
    with pytest.raises(JfseError) as caught:
        await backend.cancel(two.fse_number, [])
    assert caught.value.code == "state"
    with pytest.raises(JfseError) as caught:
        await backend.cancel("999999999", [])
    assert caught.value.code == "not-found"
    with pytest.raises(JfseError) as caught:
        await backend.secure(draft("INV-1"), "vitale", None, [])
    assert caught.value.code == "state"


async def test_a_validated_invoice_cannot_be_priced_again(sim):
    backend = sim.backend()
    await backend.secure(draft(), "vitale", None, [])
    with pytest.raises(JfseError) as caught:
        await backend.price(draft(), [])
    assert caught.value.code == "state"


# --- the token ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", [{"expire_tokens": True}, {"forbid": 1}])
async def test_a_refused_token_is_refreshed_once(sim, fault):
    backend = sim.backend()
    await backend.price(draft(), [])
    await sim.faults(**fault)
    exchanges: list[Exchange] = []
    await backend.price(draft("INV-2"), exchanges)
    refresh = ["FDS-initialiserFacture", "get-token", "FDS-initialiserFacture"]
    assert methods(exchanges)[:3] == refresh
    assert methods(exchanges).count("get-token") == 1


async def test_a_token_refused_again_after_the_refresh_is_an_auth_error(sim):
    backend = sim.backend()
    await sim.faults(forbid=3)
    exchanges: list[Exchange] = []
    with pytest.raises(JfseError) as caught:
        await backend.price(draft(), exchanges)
    assert caught.value.code == "auth"
    assert not caught.value.transient
    # one refresh, not a loop: get-token, init (403), get-token, init (403), and no retry
    assert methods(exchanges) == [
        "get-token",
        "FDS-initialiserFacture",
        "get-token",
        "FDS-initialiserFacture",
    ]
    assert (await sim.state())["faults"]["forbid"] == 1


async def test_an_expired_token_is_replaced(sim):
    backend = sim.backend()
    await backend.price(draft(), [])
    await sim.advance(601)  # the token lived 600 s
    exchanges: list[Exchange] = []
    await backend.price(draft(), exchanges)
    assert methods(exchanges)[:3] == [
        "FDS-initialiserFacture",
        "get-token",
        "FDS-initialiserFacture",
    ]


async def test_a_wrong_editor_key_is_an_auth_error(sim):
    with pytest.raises(JfseError) as caught:
        await sim.backend(editor_key="not-the-key").price(draft(), [])
    assert caught.value.code == "auth"
    assert "unknown editor key" in caught.value.detail


# --- what is transient --------------------------------------------------------------------------


async def test_a_passing_failure_is_retried(sim):
    backend = sim.backend(retries=2)
    secured = await backend.secure(draft(), "vitale", None, [])
    await sim.faults(unavailable=2)
    exchanges: list[Exchange] = []
    await backend.cancel(secured.fse_number, exchanges)
    assert methods(exchanges) == ["FDS-annulerFacture"] * 3
    assert [b'"SERVICE_INDISPONIBLE"' in (e.response or b"") for e in exchanges] == [
        True,
        True,
        False,
    ]


async def test_retries_run_out(sim):
    await sim.faults(unavailable=3)
    exchanges: list[Exchange] = []
    with pytest.raises(JfseError) as caught:
        await sim.backend(retries=1).price(draft(), exchanges)
    assert caught.value.code == "unavailable" and caught.value.transient
    assert "unavailable" in caught.value.detail
    assert methods(exchanges) == ["get-token", "get-token"]


async def test_an_outage_is_unavailable(sim):
    await sim.faults(outage=True)
    with pytest.raises(JfseError) as caught:
        await sim.backend(retries=0).price(draft(), [])
    assert caught.value.code == "unavailable"
    assert caught.value.errors[0]["code"] == "SERVICE_INDISPONIBLE"


async def test_a_slow_engine_times_out(sim):
    backend = sim.backend(timeout=0.2, retries=0)
    await sim.faults(latency=0.5)
    exchanges: list[Exchange] = []
    with pytest.raises(JfseError) as caught:
        await backend.price(draft(), exchanges)
    assert caught.value.code == "timeout" and caught.value.transient
    assert exchanges[-1].response is None


async def test_no_engine_at_the_endpoint(sim):
    with pytest.raises(JfseError) as caught:
        await sim.backend(url=sim.url + "/elsewhere", retries=0).price(draft(), [])
    assert caught.value.code == "unavailable"
    assert "404" in caught.value.detail


async def test_nothing_listening(sim):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # free once closed
    with pytest.raises(JfseError) as caught:
        await sim.backend(url=f"https://127.0.0.1:{port}", retries=0).price(draft(), [])
    assert caught.value.code == "unavailable"


@pytest.mark.parametrize(
    ("body", "content_type", "calls"),
    [
        # a proxy's error page instead of the engine
        (b"<html><body>Bad gateway</body></html>", "text/html", 1),
        # the envelope without its response
        (b'{"method": "FDS-initialiserFacture", "messages": [], "errors": []}', None, 1),
        # a response, but not the invoice's data (no lines, the total a number): every call
        # before FDS-getDonneesFacture passes, that one cannot be read
        (b'{"response": {"total": 30}, "messages": [], "errors": []}', None, 6),
    ],
)
async def test_an_answer_that_cannot_be_read_is_malformed_and_not_retried(
    aiohttp_server, body, content_type, calls
):
    """Asking again would read the same: a permanent error, not an outage."""
    seen: list[str] = []

    async def token(request: web.Request) -> web.Response:
        return web.json_response({"token": "t"})

    async def init(request: web.Request) -> web.Response:
        seen.append((await request.json())["method"]["name"])
        return web.Response(body=body, content_type=content_type or "application/json")

    app = web.Application()
    app.router.add_get("/jfse-proxy/get-token", token)
    app.router.add_post("/jfse-proxy/init", init)
    server = await aiohttp_server(app)
    backend = JsonBackend(
        endpoint=str(server.make_url("")),
        session=aiohttp.ClientSession(),
        id_jfse=7,
        editor_name="tests",
        editor_key=EDITOR_KEY,
        etablissement="Cabinet de test",
        timeout=5.0,
        retries=2,
    )
    try:
        with pytest.raises(JfseError) as caught:
            await backend.price(draft(), [])
    finally:
        await backend.aclose()
    assert caught.value.code == "malformed" and not caught.value.transient
    assert len(seen) == calls  # the last one not tried again


async def test_concurrent_calls_share_one_refresh(sim):
    backend = sim.backend()
    await backend.price(draft(), [])
    await sim.faults(expire_tokens=True)
    logs: list[list[Exchange]] = [[] for _ in range(4)]
    await asyncio.gather(*(backend.price(draft(f"INV-{n}"), log) for n, log in enumerate(logs)))
    assert sum(methods(log).count("get-token") for log in logs) == 1


# --- lots and returns ---------------------------------------------------------------------------


async def test_a_lot_is_acknowledged_and_its_notices_follow(sim):
    backend = sim.backend()
    secured = await backend.secure(
        draft(third_party_amo=True, third_party_amc=True), "vitale", None, []
    )
    lot = LotToSend("LOT-1", secured.destination, (secured.fse_number,))
    status = await backend.transmit(lot, [])
    assert status.state == "transmitted"
    assert (await backend.lot_status("LOT-1", [])).state == "transmitted"
    await sim.advance(1)  # past the ARL (0.05–0.3 s) and the notices (0.1–0.5 s after it)
    exchanges: list[Exchange] = []
    status = await backend.lot_status("LOT-1", exchanges)
    assert status.state == "accepted" and status.acknowledged_at is not None
    assert methods(exchanges) == ["NOE-getListeARLPositifs"]
    notices = await backend.returns(0, [])
    assert [(r.kind, r.part, r.amount) for r in notices] == [
        ("payment", "amo", Decimal("19.00")),
        ("payment", "amc", Decimal("9.00")),
    ]
    assert notices[0].payer == "CPAM 631" and notices[0].fse_number == secured.fse_number
    assert [r.sequence for r in notices] == [1, 2]
    assert await backend.returns(2, []) == []
    assert await backend.returns(1, []) == notices[1:]


async def test_a_rejected_payment_comes_as_a_rejection(sim):
    backend = sim.backend()
    secured = await backend.secure(draft(third_party_amo=True), "vitale", None, [])
    await sim.faults(reject_payment=1)
    await backend.transmit(LotToSend("LOT-1", secured.destination, (secured.fse_number,)), [])
    await sim.advance(1)
    (notice,) = await backend.returns(0, [])
    assert (notice.kind, notice.part, notice.code) == ("rejection", "amo", "SIM-101")
    assert "rejet simulé" in notice.label


async def test_a_malformed_lot_gets_an_arl_negative(sim):
    backend = sim.backend()
    secured = await backend.secure(draft(), "vitale", None, [])
    lot = LotToSend("LOT-1", secured.destination, (secured.fse_number, "000000999"))
    await backend.transmit(lot, [])
    await sim.advance(1)
    exchanges: list[Exchange] = []
    status = await backend.lot_status("LOT-1", exchanges)
    assert status.state == "rejected"
    assert status.rejected == ("000000999",)
    assert "000000999 is unknown" in status.reason
    assert methods(exchanges) == ["NOE-getListeARLPositifs", "NOE-getListeARLNegatifs"]
    assert await backend.returns(0, []) == []


async def test_an_unknown_lot_is_not_found(sim):
    with pytest.raises(JfseError) as caught:
        await sim.backend().lot_status("LOT-404", [])
    assert caught.value.code == "not-found"


async def test_transmitting_a_lot_again_is_not_a_second_lot(sim):
    backend = sim.backend()
    secured = await backend.secure(draft(), "vitale", None, [])
    lot = LotToSend("LOT-1", secured.destination, (secured.fse_number,))
    first = await backend.transmit(lot, [])
    again = await backend.transmit(lot, [])
    assert (first.state, again.state) == ("transmitted", "transmitted")
    await sim.advance(1)
    assert (await backend.transmit(lot, [])).state == "accepted"
    assert (await sim.state())["lots"] == {"accepted": 1}
    other = dataclasses.replace(lot, fse_numbers=(secured.fse_number, "000000002"))
    with pytest.raises(JfseError) as caught:
        await backend.transmit(other, [])
    assert caught.value.code == "invalid"


async def test_a_lot_rejected_by_injection_is_accepted_when_sent_again(sim):
    backend = sim.backend()
    secured = await backend.secure(draft(), "vitale", None, [])
    lot = LotToSend("LOT-1", secured.destination, (secured.fse_number,))
    await sim.faults(arl_negative=1)
    await backend.transmit(lot, [])
    await sim.advance(1)
    assert (await backend.lot_status("LOT-1", [])).state == "rejected"
    assert (await backend.transmit(lot, [])).state == "transmitted"
    assert (await backend.lot_status("LOT-1", [])).state == "transmitted"  # the old ARL− is gone
    await sim.advance(1)
    assert (await backend.lot_status("LOT-1", [])).state == "accepted"
    assert len(await backend.returns(0, [])) == 1


async def test_a_lot_for_another_insurer_is_refused(sim):
    backend = sim.backend()
    secured = await backend.secure(draft(insured=DOMINIQUE), "vitale", None, [])
    await backend.transmit(LotToSend("LOT-1", "01-631-0000", (secured.fse_number,)), [])
    await sim.advance(1)
    status = await backend.lot_status("LOT-1", [])
    assert status.state == "rejected"
    assert "01-751-0000" in status.reason


async def test_notices_given_between_the_two_list_calls_are_not_skipped(pki):
    """``returns`` asks for payments, then for rejections: a payment given between the two
    must come in the next call, though a later rejection came in this one."""
    async with simulator_running(pki, ack_delay=(1, 1), return_delay=(10, 10)) as sim:
        books = sim.simulator.books
        armed = False

        async def between(session, context, params) -> None:
            nonlocal armed
            if armed and params.url.path == "/jfse-proxy/init":
                armed = False  # after the payments' list, before the rejections'
                sim.simulator.clock_offset += 2
                books.settle()  # the first FSE's payment
                sim.simulator.faults.reject_payment = 1
                sim.simulator.clock_offset += 5  # the second's rejection, given next call

        trace = aiohttp.TraceConfig()
        trace.on_request_end.append(between)
        session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(ssl=sim.tls), trace_configs=[trace]
        )
        backend = sim.backend(session=session)
        one = await backend.secure(draft("INV-1", third_party_amo=True), "vitale", None, [])
        two = await backend.secure(draft("INV-2", third_party_amo=True), "vitale", None, [])
        await backend.transmit(LotToSend("LOT-1", one.destination, (one.fse_number,)), [])
        await sim.advance(5)
        await backend.transmit(LotToSend("LOT-2", two.destination, (two.fse_number,)), [])
        await sim.advance(5)  # both ARL+; notices due 11 s and 16 s after the first lot
        armed = True
        first = await backend.returns(0, [])
        assert len(books.notices) == 2
        after = max((r.sequence for r in first), default=0)
        seen = first + await backend.returns(after, [])
        assert [(r.fse_number, r.kind) for r in seen] == [
            (one.fse_number, "payment"),
            (two.fse_number, "rejection"),
        ]
