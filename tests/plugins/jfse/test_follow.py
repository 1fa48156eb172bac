"""The returns poller against a store on disk, an engine that hands out notices and a daemon
whose journal may fail: each notice applied once, each journal row written once it is, even
when the daemon stops between the two."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aiguillage.plugin import Entry
from aiguillage.plugins.jfse.backend import Exchange, Return
from aiguillage.plugins.jfse.follow import FollowStatus, look_once
from aiguillage.plugins.jfse.store import FseStore, NewInvoice

AT = dt.datetime(2026, 3, 5, 6, 0, tzinfo=dt.UTC)


class Engine:
    """Hands out ``notices`` after the position asked, as ``NOE-getListeVirements`` does."""

    def __init__(self, notices: list[Return]) -> None:
        self.notices = notices

    async def returns(self, after: int, exchanges: list[Exchange]) -> list[Return]:
        exchanges.append(Exchange("NOE-getListeVirements", b"{}", b"{}", 0.01))
        return [n for n in self.notices if n.sequence > after]


class Daemon:
    """Keeps the journal rows; the next ``fail`` writes fail (a disk full, the daemon
    stopping)."""

    def __init__(self) -> None:
        self.rows: list[Entry] = []
        self.events: list[dict[str, Any]] = []
        self.fail = 0

    def publish(self, event_type: str, data: dict[str, Any], scope: str | None = None) -> None:
        self.events.append(data)

    async def journal(self, entry: Entry, durable: bool = False) -> None:
        if self.fail:
            self.fail -= 1
            raise OSError("the journal cannot be written")
        assert durable  # dropped from those owed only once on disk
        self.rows.append(entry)


@pytest.fixture
async def store(tmp_path: Path):
    found = FseStore(tmp_path / "fse.db")
    yield found
    found.close()  # closing twice is harmless


async def sent(store: FseStore, fse_number: str) -> str:
    made = await store.create_invoice(
        NewInvoice(
            number=await store.next_number(),
            date="2026-03-02",
            source="vitale",
            apcv_session=None,
            apcv_index=None,
            patient_ins="277076322082910",
            patient_name="NESSI RUTH",
            draft={},
            priced={},
            practitioner={"national_id": "899900063480"},
            client="ehr",
            request_id="r-1",
        )
    )
    await store.transition(made.id, ["draft"], "sent", fse_number=fse_number)
    return made.id


def payment(sequence: int, fse_number: str) -> Return:
    return Return(sequence, fse_number, "payment", "amo", AT, Decimal("19.00"), "CPAM 631")


async def test_a_notice_is_applied_once_and_journaled_once(store):
    invoice_id = await sent(store, "000000001")
    daemon, engine = Daemon(), Engine([payment(1, "000000001")])
    assert await look_once(daemon, store, engine, FollowStatus()) == 1
    assert await look_once(daemon, store, engine, FollowStatus()) == 0
    [row] = daemon.rows
    assert (row.event, row.outcome, row.patient_ins) == (
        "fse.invoice.paid",
        "ok",
        "277076322082910",
    )
    assert "AMO paid 19.00 by CPAM 631" in row.summary and invoice_id in row.summary
    assert row.response["notice"]["amount"] == "19.00"
    assert row.response["exchanges"][0]["method"] == "NOE-getListeVirements"
    assert store.invoice(invoice_id).state == "paid"
    assert store.journal_owed() == []


async def test_a_stop_between_the_notice_and_its_journal_row_loses_no_row(store, tmp_path):
    invoice_id = await sent(store, "000000001")
    other_id = await sent(store, "000000002")
    daemon = Daemon()
    engine = Engine([payment(1, "000000001")])
    daemon.fail = 1
    with pytest.raises(OSError):
        await look_once(daemon, store, engine, FollowStatus())
    # Applied, the position moved past it, its row owed.
    assert store.invoice(invoice_id).state == "paid"
    assert store.returns_after() == 1
    assert [o.sequence for o in store.journal_owed()] == [1]

    # After a restart, the next look writes it, and applies what came since, once each.
    store.close()
    engine.notices.append(payment(2, "000000002"))
    again = FseStore(tmp_path / "fse.db")
    try:
        assert await look_once(daemon, again, engine, FollowStatus()) == 1
        assert len(again.invoice(invoice_id).returns) == 1  # applied once
        assert again.journal_owed() == []
    finally:
        again.close()
    assert [r.event for r in daemon.rows] == ["fse.invoice.paid", "fse.invoice.paid"]
    assert invoice_id in daemon.rows[0].summary and other_id in daemon.rows[1].summary
