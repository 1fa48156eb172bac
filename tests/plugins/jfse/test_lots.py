"""Lots through the HTTP API and the outbox, against the simulated engine: one lot per insurer,
transmitted, acknowledged (ARL+ or ARL−), then followed to the payment; a rejected lot resent
through the outbox; every change on the event stream and in the journal."""

from __future__ import annotations

import asyncio

import pytest

from aiguillage.plugins.jfse.store import Conflict, FseStore, Invoice, NewInvoice, NewLot

from .conftest import PAT_TROIS, RUTH, get, invoice, journal, problem, secured, sim, until
from .conftest import events as read_events


async def lots(fse, body: dict | None = None, **headers: str) -> list[dict]:
    response = await fse.post("/v1/fse/lots", json=body or {}, headers=headers)
    assert response.status == 202, await response.text()
    answer = (await response.json())["lots"]
    assert response.headers["Location"] == f"/v1/fse/lots/{answer[0]['id']}"
    return answer


async def item(fse, item_id: int, state: str) -> dict:
    async def check():
        found = await get(fse, f"/v1/outbox/{item_id}")
        if found["state"] in ("failed", "dead") and state not in ("failed", "dead"):
            raise AssertionError(f"item {item_id} {found['state']}: {found['last_error']}")
        return found if found["state"] == state else None

    return await until(check, f"outbox item {item_id} {state}")


async def invoice_state(fse, invoice_id: str, state: str) -> dict:
    async def check():
        found = await get(fse, f"/v1/fse/invoices/{invoice_id}")
        return found if found["state"] == state else None

    return await until(check, f"care sheet {invoice_id} {state}")


async def test_lots_per_insurer_are_acknowledged_then_paid(fse):
    ruth = [await secured(fse, invoice(third_party_payment={"amo": True})) for _ in range(2)]
    other = await secured(fse, invoice(PAT_TROIS))
    formed = await lots(fse)
    assert [lot["destination"] for lot in formed] == ["01-631-0000", "01-751-0000"]
    assert formed[0]["invoices"] == [i["id"] for i in ruth]
    assert formed[0]["fse_numbers"] == [i["securing"]["fse_number"] for i in ruth]
    assert formed[1]["invoices"] == [other["id"]]
    assert {lot["state"] for lot in formed} == {"queued"}

    for lot in formed:
        sent = await item(fse, lot["item"], "sent")
        assert sent["kind"] == "jfse.lot" and sent["external_id"] == lot["number"]
        assert sent["result"]["arl"] == "positive"
        found = await get(fse, f"/v1/fse/lots/{lot['id']}")
        assert found["state"] == "accepted" and found["acknowledged_at"]
        assert found["item_state"] == "sent" and found["last_error"] is None

    # The poller reads the payments: the AMO part of each, paid to the practitioner.
    paid = await invoice_state(fse, ruth[0]["id"], "paid")
    [payment] = paid["returns"]
    assert (payment["kind"], payment["part"], payment["amount"]) == ("payment", "amo", "19.00")
    assert payment["payer"] == "CPAM 631"
    assert paid["lot"] == formed[0]["id"]
    await invoice_state(fse, other["id"], "paid")
    await invoice_state(fse, ruth[1]["id"], "paid")

    # Each care sheet: created, secured, in a lot, sent, paid (accepted, mostly, between).
    seen = await read_events(fse, {"fse.lot": 6, "fse.invoice": 18})
    lot_states = [(e["id"], e["state"]) for e in seen if e["type"] == "fse.lot"]
    for lot in formed:
        assert [s for i, s in lot_states if i == lot["id"]] == ["queued", "transmitted", "accepted"]
    ruths = [e["state"] for e in seen if e["type"] == "fse.invoice" and e["id"] == ruth[0]["id"]]
    # Created, claimed for securing, secured, put in a lot, transmitted, then ARL+ and paid
    # (the payment may be read before the delivery sees the ARL: paid is kept then).
    assert ruths[:5] == ["draft", "securing", "secured", "secured", "sent"]
    assert ruths[5:] in (["accepted", "paid"], ["paid"])

    assert len(await journal(fse, "fse.lot.create")) == 2
    transmits = await journal(fse, "fse.lot.transmit")
    assert sorted(r["outcome"] for r in transmits) == ["ok", "ok", "pending", "pending"]
    assert {r["outcome"] for r in await journal(fse, "fse.lot.ack")} == {"ok"}
    [row] = await journal(fse, "fse.invoice.paid", patient_ins=PAT_TROIS["nir"])
    assert row["patient_name"] == "PAT-TROIS DOMINIQUE" and "AMO paid" in row["summary"]


async def test_a_negative_arl_fails_the_item_until_it_is_resent(fse):
    done = await secured(fse)
    await sim(fse, "/_sim/faults", {"arl_negative": 1})
    [lot] = await lots(fse)
    failed = await item(fse, lot["item"], "failed")
    assert failed["attempts"] == 1
    assert failed["last_error"]["code"] == "arl-negative"
    assert "injected ARL" in failed["last_error"]["message"]
    rejected = await get(fse, f"/v1/fse/lots/{lot['id']}")
    assert rejected["state"] == "rejected" and "injected ARL" in rejected["reason"]
    assert rejected["item_state"] == "failed"
    assert rejected["last_error"] == failed["last_error"]
    sheet = await get(fse, f"/v1/fse/invoices/{done['id']}")
    assert sheet["state"] == "rejected" and "injected ARL" in sheet["reason"]
    [row] = await journal(fse, "fse.invoice.rejected")
    assert row["patient_ins"] == RUTH["nir"] and row["outcome"] == "rejected"
    assert [r["outcome"] for r in await journal(fse, "fse.lot.ack")] == ["rejected"]

    # The cause fixed, the same lot (same number) goes again.
    response = await fse.post(f"/v1/outbox/{lot['item']}/retry")
    assert response.status == 200, await response.text()
    sent = await item(fse, lot["item"], "sent")
    assert sent["result"]["number"] == lot["number"]
    accepted = await get(fse, f"/v1/fse/lots/{lot['id']}")
    assert accepted["state"] == "accepted" and accepted["reason"] is None
    sheet = await until(
        lambda: _state_in(fse, done["id"], ("accepted", "paid")), "the care sheet accepted"
    )
    assert sheet["reason"] is None
    assert [r["outcome"] for r in await journal(fse, "fse.lot.ack")] == ["rejected", "ok"]


async def _state_in(fse, invoice_id: str, states: tuple[str, ...]) -> dict | None:
    found = await get(fse, f"/v1/fse/invoices/{invoice_id}")
    return found if found["state"] in states else None


async def test_care_sheets_of_a_rejected_lot_go_in_a_new_lot(fse):
    done = await secured(fse)
    await sim(fse, "/_sim/faults", {"arl_negative": 1})
    [first] = await lots(fse)
    await item(fse, first["item"], "failed")
    await problem(await fse.post("/v1/fse/lots", json={}), 409, "fse-nothing-to-send")
    [second] = await lots(fse, {"invoices": [done["id"]]})
    assert second["number"] != first["number"]
    await item(fse, second["item"], "sent")
    assert (await get(fse, f"/v1/fse/lots/{second['id']}"))["state"] == "accepted"
    # The old lot is not sent again: its care sheet went in the new one.
    response = await fse.post(f"/v1/outbox/{first['item']}/retry")
    assert response.status == 200
    again = await until(lambda: _superseded(fse, first["item"]), "the old item failed again")
    assert again["state"] == "failed"
    assert (await get(fse, f"/v1/fse/lots/{first['id']}"))["state"] == "rejected"
    state = await sim(fse, "/_sim/state")
    assert state["lots"] == {"accepted": 1, "rejected": 1}


async def _superseded(fse, item_id: int) -> dict | None:
    found = await get(fse, f"/v1/outbox/{item_id}")
    error = found["last_error"] or {}
    return found if error.get("code") == "fse-lot-superseded" else None


async def test_what_cannot_go_in_a_lot(fse):
    await problem(await fse.post("/v1/fse/lots", json={}), 409, "fse-nothing-to-send")
    draft_response = await fse.post("/v1/fse/invoices", json=invoice())
    draft = await draft_response.json()
    response = await fse.post("/v1/fse/lots", json={"invoices": [draft["id"]]})
    found = await problem(response, 409, "fse-invoice-state")
    assert draft["id"] in found["detail"]
    response = await fse.post("/v1/fse/lots", json={"invoices": ["fse_00000000000000ff"]})
    found = await problem(response, 422, "validation")
    assert found["errors"][0]["field"] == "/invoices/0"

    done = await secured(fse)
    # The engine down: the lot waits in the outbox, its care sheet secured and in it.
    await sim(fse, "/_sim/faults", {"outage": True})
    [lot] = await lots(fse, {"invoices": [done["id"]]})
    assert (await get(fse, f"/v1/fse/invoices/{done['id']}"))["state"] == "secured"
    # In a lot, a care sheet is the insurer's: not cancelled, not in a second lot.
    await problem(await fse.post(f"/v1/fse/invoices/{done['id']}/cancel"), 409, "fse-invoice-state")
    assert await journal(fse, "fse.invoice.cancel") == []  # refused before the engine is asked
    response = await fse.post("/v1/fse/lots", json={"invoices": [done["id"]]})
    await problem(response, 409, "fse-invoice-state")
    await sim(fse, "/_sim/faults", {"outage": False})
    await item(fse, lot["item"], "sent")
    await problem(await fse.get("/v1/fse/lots/lot_00000000000000ff"), 404, "fse-lot-unknown")


async def test_the_same_request_again_forms_no_second_lot(fse):
    await secured(fse)
    first = await lots(fse, **{"Idempotency-Key": "lots-2026-03-02"})
    response = await fse.post(
        "/v1/fse/lots", json={}, headers={"Idempotency-Key": "lots-2026-03-02"}
    )
    assert response.status == 202
    assert response.headers["Idempotent-Replayed"] == "true"
    again = (await response.json())["lots"]
    assert [lot["id"] for lot in again] == [lot["id"] for lot in first]
    assert [lot["item"] for lot in again] == [lot["item"] for lot in first]
    listed = await get(fse, "/v1/fse/lots")
    assert [lot["id"] for lot in listed["items"]] == [first[0]["id"]]
    assert len(await journal(fse, "fse.lot.create")) == 1


async def test_no_arl_in_time_is_tried_again_later(fse):
    fse.config.options["arl_wait"] = 0.0
    await secured(fse)
    [lot] = await lots(fse)
    sent = await item(fse, lot["item"], "sent")
    assert sent["attempts"] > 1
    detail = await get(fse, f"/v1/outbox/{lot['item']}")
    errors = [h["error"] for h in detail["history"] if h.get("error")]
    assert errors and errors[0]["code"] == "arl-pending" and errors[0]["transient"]
    transmitted = await sim(fse, "/_sim/state")
    assert transmitted["lots"] == {"accepted": 1}  # transmitted once, not once per attempt


async def test_lots_are_listed_newest_first(fse):
    await secured(fse)
    [older] = await lots(fse)
    await secured(fse, invoice(PAT_TROIS))
    [newer] = await lots(fse)
    page = await get(fse, "/v1/fse/lots?limit=1")
    assert [lot["id"] for lot in page["items"]] == [newer["id"]]
    rest = await get(fse, f"/v1/fse/lots?limit=1&cursor={page['next_cursor']}")
    assert [lot["id"] for lot in rest["items"]] == [older["id"]]
    await item(fse, older["item"], "sent")
    await item(fse, newer["item"], "sent")
    accepted = await get(fse, "/v1/fse/lots?state=accepted")
    assert len(accepted["items"]) == 2
    assert (await get(fse, "/v1/fse/lots?state=queued"))["items"] == []


@pytest.mark.parametrize("key", [None, "lots-2026-03-02"])
async def test_two_lot_requests_at_once_form_the_lots_once(fse, monkeypatch, key):
    """Two clicks on "send" (or a client retrying at once with the same Idempotency-Key): one
    set of lots, each care sheet in exactly one of them, every lot sent."""
    sheets = [await secured(fse), await secured(fse, invoice(PAT_TROIS))]
    form = FseStore.form_lots

    async def slow_form(self, new, request_key):
        await asyncio.sleep(0.1)  # both requests have chosen their care sheets by now
        return await form(self, new, request_key)

    monkeypatch.setattr(FseStore, "form_lots", slow_form)
    headers = {"Idempotency-Key": key} if key else {}
    first, second = await asyncio.gather(
        *(fse.post("/v1/fse/lots", json={}, headers=headers) for _ in range(2))
    )
    assert first.status == 202, await first.text()
    formed = (await first.json())["lots"]
    if key is None:
        await problem(second, 409, "fse-nothing-to-send")
    else:
        assert second.status == 202, await second.text()
        assert second.headers["Idempotent-Replayed"] == "true"
        again = (await second.json())["lots"]
        assert [(lot["id"], lot["item"]) for lot in again] == [
            (lot["id"], lot["item"]) for lot in formed
        ]
    listed = (await get(fse, "/v1/fse/lots"))["items"]
    assert sorted(lot["id"] for lot in listed) == sorted(lot["id"] for lot in formed)
    assert sorted(i for lot in formed for i in lot["invoices"]) == sorted(s["id"] for s in sheets)
    for lot in formed:
        await item(fse, lot["item"], "sent")
    for sheet in sheets:
        found = await until(
            lambda sheet=sheet: _state_in(fse, sheet["id"], ("accepted", "paid")),
            "the care sheet accepted",
        )
        assert found["lot"] in {lot["id"] for lot in formed}
    assert (await sim(fse, "/_sim/state"))["lots"] == {"accepted": 2}
    assert len(await journal(fse, "fse.lot.create")) == 2


async def test_a_delivery_notes_the_item_of_its_lot(fse):
    """A crash may stop the request between queueing the lot and noting its item: the
    delivery notes it before it sends, so the lot is never undone once sent."""
    await secured(fse)
    await sim(fse, "/_sim/faults", {"outage": True})
    [lot] = await lots(fse)
    store: FseStore = fse.config.state["store"]
    await store.store.write(
        lambda conn: conn.execute("UPDATE lots SET item_id = NULL WHERE id = ?", [lot["id"]])
    )
    assert store.lot(lot["id"]).item_id is None
    noted = await until(lambda: store.lot(lot["id"]).item_id, "the item noted by the delivery")
    assert noted == lot["item"]
    await sim(fse, "/_sim/faults", {"outage": False})
    await item(fse, lot["item"], "sent")
    assert (await get(fse, f"/v1/fse/lots/{lot['id']}"))["state"] == "accepted"


async def _draft_in_store(store: FseStore) -> Invoice:
    return await store.create_invoice(
        NewInvoice(
            number=await store.next_number(),
            date="2026-03-02",
            source="vitale",
            apcv_session=None,
            apcv_index=None,
            patient_ins=RUTH["nir"],
            patient_name="NESSI RUTH",
            draft={},
            priced={},
            practitioner={"national_id": "899900063480"},
            client=None,
            request_id=None,
        )
    )


async def _secured_in_store(store: FseStore, fse_number: str = "1") -> Invoice:
    made = await _draft_in_store(store)
    done = await store.transition(
        made.id, ["draft"], "secured", fse_number=fse_number, destination="d"
    )
    assert done is not None
    return done


async def test_a_care_sheet_in_a_lot_goes_in_no_second_one(tmp_path):
    """Checked in the lot's transaction, whatever the request saw before: a second lot taking
    a care sheet would leave the first one never sent."""
    store = FseStore(tmp_path / "fse.db")
    try:
        made = await _secured_in_store(store)
        [first] = await store.form_lots([NewLot("d", (made.id,), ("1",))], None)
        with pytest.raises(Conflict) as caught:
            await store.form_lots([NewLot("d", (made.id,), ("1",))], None)
        assert caught.value.ids == (made.id,)
        assert store.invoice(made.id).lot_id == first.id
        assert [lot.id for lot in store.list_lots()[0]] == [first.id]
        # Rejected by the insurer, it may go in a new lot.
        await store.set_items({first.id: 7})
        await store.lot_transmitted(first.id)
        await store.lot_acknowledged(first.id, False, 0, "refused", ("1",))
        [second] = await store.form_lots([NewLot("d", (made.id,), ("1",))], None)
        assert store.invoice(made.id).lot_id == second.id
    finally:
        store.close()


async def test_a_lot_left_without_its_outbox_item_is_undone_at_start(tmp_path):
    """A crash between forming a lot and queueing it: the next start frees its care sheets."""
    store = FseStore(tmp_path / "fse.db")
    try:
        made = await _secured_in_store(store)
        [orphan] = await store.form_lots([NewLot("d", (made.id,), ("1",))], None)
        assert store.waiting_for_a_lot() == []
        assert await store.recover() == 1
        assert store.lot(orphan.id) is None
        [free] = store.waiting_for_a_lot()
        assert free.id == made.id and free.lot_id is None
        # A lot that reached the outbox stays.
        [kept] = await store.form_lots([NewLot("d", (made.id,), ("1",))], None)
        await store.set_items({kept.id: 7})
        assert await store.recover() == 0
        assert store.lot(kept.id).item_id == 7
    finally:
        store.close()


async def test_a_lot_past_queued_is_never_undone_at_start(tmp_path):
    """Transmitted before its item was noted (a database of an older version): its care
    sheets were sent, so the lot stays, and they with it."""
    store = FseStore(tmp_path / "fse.db")
    try:
        made = await _secured_in_store(store)
        [lot] = await store.form_lots([NewLot("d", (made.id,), ("1",))], None)
        await store.lot_transmitted(lot.id)
        assert await store.recover() == 0
        assert store.lot(lot.id).state == "transmitted"
        sent = store.invoice(made.id)
        assert (sent.state, sent.lot_id) == ("sent", lot.id)
    finally:
        store.close()


async def test_a_care_sheet_left_securing_is_a_draft_again_at_start(tmp_path):
    """A crash while the beneficiary signed or the engine validated: securing it again is
    safe (the engine keys on its number), so it is a draft again."""
    store = FseStore(tmp_path / "fse.db")
    try:
        made = await _secured_in_store(store)
        draft = await _draft_in_store(store)
        await store.transition(draft.id, ["draft"], "securing")
        await store.recover()
        assert store.invoice(draft.id).state == "draft"
        assert store.invoice(made.id).state == "secured"
    finally:
        store.close()
