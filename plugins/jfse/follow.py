"""Following care sheets after their lot's ARL: a poller reads the engine's payment and
rejection notices (``returns``) every ``returns_interval`` seconds — sooner when a lot was just
acknowledged — and applies each to its care sheet: a payment makes it ``paid`` (amount per
part kept), a rejection ``payment_rejected`` with its code and label.

Each notice is applied in one transaction with the position it leaves the stream at and the
journal row it owes, so a crash neither applies a notice twice nor skips one, nor loses its
row: the journal gets the rows owed next time round (at the next start, at worst), and a row is
dropped from those owed only once the journal has it on disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

from aiguillage.plugin import Daemon, Entry, PluginConfig, Practitioner

from .backend import Exchange, JfseBackend, JfseError, Return
from .delivery import SCOPE, exchanges_json
from .store import FseStore, Invoice

log = logging.getLogger("aiguillage.plugins.jfse")


@dataclass
class FollowStatus:
    """How the last look at the returns went (health reports it)."""

    last_error: str | None = None
    applied: int = 0


def notice_json(notice: Return) -> dict[str, object]:
    return {
        "fse_number": notice.fse_number,
        "kind": notice.kind,
        "part": notice.part,
        "at": notice.at.isoformat(timespec="milliseconds"),
        "amount": f"{notice.amount:.2f}",
        "payer": notice.payer,
        "code": notice.code,
        "label": notice.label,
    }


async def look_once(
    daemon: Daemon, store: FseStore, backend: JfseBackend, status: FollowStatus
) -> int:
    """Read the returns after the last one applied and apply them; how many changed a care
    sheet. The journal rows owed (for these, or for returns applied before a crash) are
    written first, whether the engine answers or not."""
    await _journal_owed(daemon, store)
    exchanges: list[Exchange] = []
    notices = await backend.returns(store.returns_after(), exchanges)
    recorded = exchanges_json(exchanges)
    applied = 0
    for notice in sorted(notices, key=lambda n: n.sequence):
        invoice = await store.apply_return(notice.sequence, notice_json(notice), recorded)
        if invoice is None:
            continue
        applied += 1
        daemon.publish("fse.invoice", invoice.event(), scope=SCOPE)
    status.applied += applied
    await _journal_owed(daemon, store)
    return applied


async def _journal_owed(daemon: Daemon, store: FseStore) -> None:
    for owed in store.journal_owed():
        invoice = store.invoice(owed.invoice_id)
        if invoice is not None:
            await daemon.journal(_entry(invoice, owed.notice, owed.exchanges), durable=True)
        await store.journaled(owed.sequence)


def _entry(invoice: Invoice, notice: dict[str, Any], exchanges: list[Any]) -> Entry:
    paid = notice["kind"] == "payment"
    part = str(notice["part"]).upper()
    summary = (
        f"care sheet {invoice.id} (FSE {invoice.fse_number}): {part} paid "
        f"{notice['amount']} by {notice['payer'] or 'the insurer'}"
        if paid
        else f"care sheet {invoice.id} (FSE {invoice.fse_number}): {part} payment rejected, "
        f"{notice['code']} {notice['label']}"
    )
    who = Practitioner(**invoice.practitioner)
    return Entry(
        event="fse.invoice.paid" if paid else "fse.invoice.rejected",
        summary=summary,
        outcome="ok" if paid else "payment_rejected",
        request_id=invoice.request_id,
        client=invoice.client,
        **who.journal_fields(),
        patient_ins=invoice.patient_ins,
        patient_name=invoice.patient_name,
        request=None,
        response={"notice": notice, "exchanges": exchanges},
    )


async def run(
    daemon: Daemon,
    store: FseStore,
    backend: JfseBackend,
    interval: float,
    wake: asyncio.Event,
    status: FollowStatus,
) -> None:
    while True:
        wake.clear()
        try:
            await look_once(daemon, store, backend, status)
            status.last_error = None
        except JfseError as exc:
            # The engine is down or refused: the notices wait there, read next time.
            if status.last_error != exc.detail:
                log.warning("jfse returns not read: %s", exc.detail)
            status.last_error = exc.detail
        except Exception as exc:  # a bug must not stop the following for good
            log.exception("jfse returns poller")
            status.last_error = f"{type(exc).__name__}: {exc}"
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(interval):
                await wake.wait()


def start_following(daemon: Daemon, config: PluginConfig) -> asyncio.Task[None]:
    wake = asyncio.Event()
    status = FollowStatus()
    config.state["follow_wake"] = wake
    config.state["follow_status"] = status
    return asyncio.create_task(
        run(
            daemon,
            config.state["store"],
            config.service,
            config.options["returns_interval"],
            wake,
            status,
        ),
        name="jfse-returns",
    )


async def stop_following(task: asyncio.Task[None] | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
