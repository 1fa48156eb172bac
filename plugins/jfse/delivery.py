"""Delivering a lot (outbox kind ``jfse.lot``): transmit it, then wait for its ARL (accusé de
réception logique) up to ``arl_wait`` seconds.

- ARL+: the lot and its care sheets are ``accepted``; the item is sent.
- ARL−: the lot and its care sheets are ``rejected`` with the ARL's reason; the item fails
  (a permanent error: a human must fix the cause, then retry the item or form a new lot).
- No ARL yet: a transient error; the outbox tries again later. The lot's number was fixed
  when it was formed and the engine transmits a number once (again only after an ARL−), so
  a retry asks where the lot stands rather than sending it twice.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from aiguillage.plugin import Daemon, Delivered, DeliveryError, Entry, Item, PluginConfig

from .backend import Exchange, JfseBackend, JfseError, LotStatus, LotToSend
from .store import FseStore, Invoice, Lot, now_us

SCOPE = "jfse"
#: First wait between two looks at the lot's status, doubled up to ``MAX_POLL``.
FIRST_POLL = 0.05
MAX_POLL = 1.0


async def deliver_lot(item: Item, config: PluginConfig) -> Delivered:
    store: FseStore = config.state["store"]
    daemon: Daemon = config.state["daemon"]
    backend: JfseBackend = config.service
    lot_id = (item.payload or {}).get("lot")
    lot = store.lot(lot_id) if lot_id else None
    if lot is None:
        # Undone at start-up after a crash left it without its item: nothing to send.
        raise DeliveryError("fse-lot-unknown", f"lot {lot_id} no longer exists", transient=False)
    if lot.item_id is None:
        # Queued, but the request that queued it has not noted its item yet (it may never,
        # if the daemon stops first): noted here, before anything is sent, so a lot past
        # ``queued`` always knows its item and a restart never undoes a lot sent.
        lot = await store.note_item(lot.id, item.id) or lot
    invoices = store.lot_invoices(lot)
    if len(invoices) != len(lot.invoices):
        raise DeliveryError(
            "fse-lot-superseded",
            f"care sheets of lot {lot.number} went in a newer lot: this one is not sent again",
            transient=False,
        )
    journal = _Journal(daemon, item)
    exchanges: list[Exchange] = []
    to_send = LotToSend(lot.number, lot.destination, tuple(lot.fse_numbers))
    await journal.write(
        "fse.lot.transmit",
        f"transmit lot {lot.id} ({lot.number}) to {lot.destination}: "
        f"{len(lot.fse_numbers)} care sheet(s)",
        "pending",
        request={"number": lot.number, "fse_numbers": lot.fse_numbers},
    )
    try:
        status = await backend.transmit(to_send, exchanges)
    except JfseError as exc:
        await journal.write(
            "fse.lot.transmit",
            f"lot {lot.number} not transmitted: {exc.detail}",
            exc.code,
            response=exchanges_json(exchanges),
        )
        raise _delivery_error(exc) from None
    await journal.write(
        "fse.lot.transmit",
        f"lot {lot.number} transmitted: {status.state}",
        response=exchanges_json(exchanges),
    )
    if lot.state in ("queued", "rejected"):
        lot, changed = await store.lot_transmitted(lot.id)
        _announce(daemon, lot, changed)
    exchanges.clear()
    try:
        status = await _wait_for_ack(backend, status, config.options["arl_wait"], exchanges)
    except JfseError as exc:
        raise _delivery_error(exc) from None
    if status.state == "transmitted":
        raise DeliveryError(
            "arl-pending",
            f"no ARL for lot {lot.number} within {config.options['arl_wait']:g} s",
            transient=True,
        )
    at = (
        now_us()
        if status.acknowledged_at is None
        else int(status.acknowledged_at.timestamp() * 1e6)
    )
    accepted = status.state == "accepted"
    lot, changed = await store.lot_acknowledged(
        lot.id, accepted, at, status.reason, status.rejected
    )
    _announce(daemon, lot, changed)
    await journal.write(
        "fse.lot.ack",
        f"ARL {'positive' if accepted else 'negative'} for lot {lot.number}"
        + ("" if accepted else f": {status.reason}"),
        "ok" if accepted else "rejected",
        response=exchanges_json(exchanges),
    )
    if not accepted:
        for invoice in changed:
            await journal.write(
                "fse.invoice.rejected",
                f"care sheet {invoice.id} (FSE {invoice.fse_number}) rejected with lot "
                f"{lot.number}: {status.reason}",
                "rejected",
                invoice=invoice,
            )
        raise DeliveryError(
            "arl-negative",
            f"ARL negative for lot {lot.number}: {status.reason or 'no reason given'}",
            transient=False,
        )
    wake = config.state.get("follow_wake")
    if wake is not None:
        wake.set()  # payments may follow soon: the returns poller looks now
    return Delivered({"lot": lot.id, "number": lot.number, "arl": "positive"})


async def _wait_for_ack(
    backend: JfseBackend, status: LotStatus, wait: float, exchanges: list[Exchange]
) -> LotStatus:
    deadline = time.monotonic() + wait
    pause = FIRST_POLL
    while status.state == "transmitted":
        left = deadline - time.monotonic()
        if left <= 0:
            break
        await asyncio.sleep(min(pause, left))
        pause = min(pause * 2, MAX_POLL)
        status = await backend.lot_status(status.number, exchanges)
    return status


def _delivery_error(exc: JfseError) -> DeliveryError:
    return DeliveryError(f"jfse-{exc.code}", exc.detail, transient=exc.transient)


def _announce(daemon: Daemon, lot: Lot, invoices: list[Invoice]) -> None:
    daemon.publish("fse.lot", lot.event(), scope=SCOPE)
    for invoice in invoices:
        daemon.publish("fse.invoice", invoice.event(), scope=SCOPE)


def exchanges_json(exchanges: list[Exchange]) -> list[dict[str, Any]]:
    """What went to the engine and came back, for the journal."""
    return [
        {
            "method": e.method,
            "request": e.request.decode(errors="replace"),
            "response": e.response.decode(errors="replace") if e.response is not None else None,
            "ms": round(e.seconds * 1000, 1),
        }
        for e in exchanges
    ]


class _Journal:
    """Journal rows of one delivery, tagged with the request that queued the lot."""

    def __init__(self, daemon: Daemon, item: Item) -> None:
        self.daemon = daemon
        self.item = item

    async def write(
        self,
        event: str,
        summary: str,
        outcome: str = "ok",
        *,
        request: Any = None,
        response: Any = None,
        invoice: Invoice | None = None,
    ) -> None:
        who = self.item.practitioner or {}
        await self.daemon.journal(
            Entry(
                event=event,
                summary=summary,
                outcome=outcome,
                request_id=self.item.request_id,
                client=self.item.client,
                practitioner_id=who.get("id"),
                practitioner_name=who.get("name"),
                patient_ins=invoice.patient_ins if invoice else None,
                patient_name=invoice.patient_name if invoice else None,
                request=request,
                response=response,
            ),
            # A pending row must be on disk before the engine is called.
            durable=outcome == "pending",
        )
