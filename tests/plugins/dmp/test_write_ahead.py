"""No upstream action left unjournaled: a call that changes something at a national service is
journaled ``pending`` before it is made. When that row cannot be written (a full disk), the
call is not made; when the row that follows it cannot be, the pending row still says the
action may have happened. Shown with the DMP's authorisation (TD0.3) and status changes
(ITI-57), against the simulator."""

from __future__ import annotations

import asyncio
import sqlite3
import time

import pytest

from aiguillage import journal
from aiguillage.appkeys import JOURNAL
from aiguillage.journal import JournalFilter, select
from aiguillage.plugins.dmp.simulator import DmpSimulator

from .test_dmp import body

TCHITCHI = "/v1/dmp/patients/236066322083656"  # an open DMP she has not authorised us on
RUTH = "277076322082910"


@pytest.fixture
def received(monkeypatch) -> list[str]:
    """The state-changing requests the DMP simulator receives (TD0.3, ITI-57)."""
    seen: list[str] = []
    set_authorization, update = DmpSimulator.set_authorization, DmpSimulator.update

    def spy_authorization(self, body, vihf):
        seen.append("authorization")
        return set_authorization(self, body, vihf)

    def spy_update(self, body, vihf):
        seen.append("update")
        return update(self, body, vihf)

    monkeypatch.setattr(DmpSimulator, "set_authorization", spy_authorization)
    monkeypatch.setattr(DmpSimulator, "update", spy_update)
    return seen


class FullDisk:
    """Makes the journal's appends fail as SQLite does on a full disk, for the rows ``fails``
    picks, until ``cleared``."""

    def __init__(self, monkeypatch, fails) -> None:
        self.fails = fails
        self.full = True
        append = journal.append

        def full_append(conn, entry, now, cap):
            if self.full and fails(entry):
                error = sqlite3.OperationalError("database or disk is full")
                error.sqlite_errorcode, error.sqlite_errorname = 13, "SQLITE_FULL"  # as SQLite's
                raise error
            return append(conn, entry, now, cap)

        monkeypatch.setattr(journal, "append", full_append)

    def clear(self) -> None:
        self.full = False


def rows(client, event: str) -> list[tuple[str, str]]:
    found = select(
        client.app[JOURNAL].reader, JournalFilter(event=event, limit=None, ascending=True)
    )
    return [(r["outcome"], r["request_id"]) for r in found]


async def authorization(client) -> str:
    return (await (await client.get(TCHITCHI)).json())["authorization"]


def is_pending(entry) -> bool:
    return entry.outcome == "pending"


def follows_the_action(entry) -> bool:
    return entry.event.startswith("dmp.") and entry.outcome != "pending"


async def test_no_pending_row_no_authorization_change(dmp, received, monkeypatch):
    disk = FullDisk(monkeypatch, is_pending)
    response = await dmp.put(f"{TCHITCHI}/authorization", json={"action": "add"})
    assert response.status == 507, await response.text()
    assert received == []  # the DMP never heard of it
    disk.clear()
    assert await authorization(dmp) == "none"
    assert rows(dmp, "dmp.authorization") == []


async def test_the_pending_row_outlives_a_failure_after_the_call(dmp, received, monkeypatch):
    disk = FullDisk(monkeypatch, follows_the_action)
    response = await dmp.put(f"{TCHITCHI}/authorization", json={"action": "add"})
    assert response.status == 507, await response.text()
    assert received == ["authorization"]
    disk.clear()
    assert await authorization(dmp) == "valid"  # it happened…
    request_id = response.headers["X-Request-Id"]
    assert rows(dmp, "dmp.authorization") == [("pending", request_id)]  # …and it is traced


async def test_an_authorization_change_is_journaled_before_and_after(dmp, received):
    response = await dmp.put(f"{TCHITCHI}/authorization", json={"action": "add"})
    assert response.status == 200
    request_id = response.headers["X-Request-Id"]
    assert rows(dmp, "dmp.authorization") == [("pending", request_id), ("ok", request_id)]
    row = select(dmp.app[JOURNAL].reader, JournalFilter(event="dmp.authorization", limit=1))
    assert next(row)["summary"] == "authorization add: Autorisation ajoutée"


async def sent_document(client) -> str:
    """A PDF sent to Ruth's DMP through the outbox, once delivered: its uniqueId."""
    accepted = await (await client.post("/v1/dmp/documents", json=body())).json()
    deadline = time.monotonic() + 15
    while (await (await client.get(accepted["location"])).json())["state"] != "sent":
        assert time.monotonic() < deadline
        await asyncio.sleep(0.05)
    return accepted["external_id"]


async def archive(client, unique_id: str):
    return await client.post(
        f"/v1/dmp/documents/{unique_id}/status",
        json={"action": "archive", "patient": {"matricule": RUTH}},
    )


async def test_no_pending_row_no_status_change(dmp, received, monkeypatch):
    unique_id = await sent_document(dmp)
    disk = FullDisk(monkeypatch, is_pending)
    response = await archive(dmp, unique_id)
    assert response.status == 507, await response.text()
    assert received == []
    disk.clear()
    listed = await (await dmp.get(f"/v1/dmp/patients/{RUTH}/documents")).json()
    assert [d["unique_id"] for d in listed["documents"]] == [unique_id]  # still approved
    assert rows(dmp, "dmp.document.archive") == []


async def test_a_status_change_is_traced_when_its_outcome_cannot_be(dmp, received, monkeypatch):
    unique_id = await sent_document(dmp)
    disk = FullDisk(monkeypatch, follows_the_action)
    response = await archive(dmp, unique_id)
    assert response.status == 507, await response.text()
    assert received == ["update"]
    disk.clear()
    listed = await (await dmp.get(f"/v1/dmp/patients/{RUTH}/documents?status=archived")).json()
    assert [d["unique_id"] for d in listed["documents"]] == [unique_id]
    assert rows(dmp, "dmp.document.archive") == [("pending", response.headers["X-Request-Id"])]
