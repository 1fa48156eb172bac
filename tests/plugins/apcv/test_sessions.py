"""The session store on its own: what it keeps, when a session is expired or gone, and that
the patient data of ended sessions does not pile up."""

from __future__ import annotations

import datetime as dt
import stat

import pytest

from aiguillage.plugin import Practitioner, Problem, Store
from aiguillage.plugins.apcv.backend import Context
from aiguillage.plugins.apcv.schemas import MICHELANGELO, RUTH
from aiguillage.plugins.apcv.sessions import ID_PREFIX, MIGRATIONS, RETENTION, SessionStore

NOW = 1_790_000_000.0  # 2026-09-21
OTHER = Practitioner(
    national_id="10101010101",
    family_name="AUTRE",
    given_name="PAULINE",
    billing_id="101010101",
    specialty_code="SM54",
)


def context(ends: float, name: str = "ctx-1") -> Context:
    return Context(name, f"token-{name}", dt.datetime.fromtimestamp(ends, dt.UTC))


@pytest.fixture
def store(tmp_path):
    store = SessionStore(tmp_path / "sessions.db")
    yield store
    store.close()


async def test_a_session_keeps_its_context_and_beneficiaries(store, tmp_path):
    added = await store.add("qr", context(NOW + 300), [RUTH, MICHELANGELO], now=NOW)
    assert added.id.startswith(ID_PREFIX) and len(added.id) > 20
    found = store.held(added.id, now=NOW + 10)
    assert found == added
    assert found.context.token == "token-ctx-1"
    assert found.context.expires_at == dt.datetime.fromtimestamp(NOW + 300, dt.UTC)
    assert found.beneficiary(1) == MICHELANGELO and found.beneficiary(2) is None
    assert found.beneficiary(-1) is None
    assert found.patient_ins == RUTH["ins"]["matricule"]
    assert found.patient_name == "NESSI RUTH"
    # The context's token and the patients' data: the file is the daemon user's alone.
    assert stat.S_IMODE((tmp_path / "sessions.db").stat().st_mode) == 0o600


async def test_ids_are_not_guessable(store):
    ids = {(await store.add("qr", context(NOW + 300), [RUTH], now=NOW)).id for _ in range(20)}
    assert len(ids) == 20


async def test_an_expired_session_is_410_a_released_or_unknown_one_404(store):
    session = await store.add("nfc", context(NOW + 300), [RUTH], now=NOW)
    with pytest.raises(Problem) as caught:
        store.held(session.id, now=NOW + 300)
    assert (caught.value.status, caught.value.slug) == (410, "apcv-session-expired")
    assert await store.release(session.id, now=NOW + 1)
    assert not await store.release(session.id, now=NOW + 2)  # once
    with pytest.raises(Problem) as caught:
        store.held(session.id, now=NOW + 1)
    assert (caught.value.status, caught.value.slug) == (404, "apcv-session-not-found")
    with pytest.raises(Problem) as caught:
        store.held("apcv_nothing", now=NOW)
    assert caught.value.status == 404


async def test_the_service_ending_a_context_expires_the_session_now(store):
    session = await store.add("qr", context(NOW + 300), [RUTH], now=NOW)
    await store.end(session.id, NOW + 20)
    store.held(session.id, now=NOW + 19)
    with pytest.raises(Problem) as caught:
        store.held(session.id, now=NOW + 20)
    assert caught.value.status == 410


async def test_a_read_refreshes_the_context_and_beneficiaries(store):
    session = await store.add("qr", context(NOW + 300), [RUTH], now=NOW)
    renewed = context(NOW + 900, "ctx-2")
    await store.refresh(session, renewed, [RUTH, MICHELANGELO], now=NOW + 10)
    found = store.held(session.id, now=NOW + 600)
    assert found.context == renewed
    assert found.beneficiaries == [RUTH, MICHELANGELO]


async def test_ended_sessions_are_deleted_after_the_retention(store):
    old = await store.add("qr", context(NOW + 300), [RUTH], now=NOW)
    released = await store.add("qr", context(NOW + 3000), [RUTH], now=NOW)
    await store.release(released.id, now=NOW + 10)
    live = await store.add("qr", context(NOW + RETENTION + 3000), [RUTH], now=NOW)
    later = context(NOW + RETENTION + 3000)
    # Just before the retention ends, both are still known (410 / 404 for the right reason).
    await store.add("qr", later, [RUTH], now=NOW + 10 + RETENTION - 1)
    assert store.find(old.id) is not None and store.find(released.id) is not None
    # The released one ended at its release, not at its context's end.
    await store.add("qr", later, [RUTH], now=NOW + 11 + RETENTION)
    assert store.find(released.id) is None and store.find(old.id) is not None
    await store.add("qr", later, [RUTH], now=NOW + 301 + RETENTION)
    assert store.find(old.id) is None
    assert store.find(live.id) is not None


async def test_a_session_keeps_the_practitioner_who_opened_it(store, tmp_path):
    session = await store.add("qr", context(NOW + 300), [RUTH], now=NOW, practitioner=OTHER)
    assert session.practitioner == OTHER
    store.close()
    # Across a restart: the context is theirs at the service.
    again = SessionStore(tmp_path / "sessions.db")
    try:
        assert again.find(session.id).practitioner == OTHER
        renewed = await again.refresh(
            again.find(session.id), context(NOW + 900, "ctx-2"), [RUTH], now=NOW + 10
        )
        assert renewed.practitioner == OTHER == again.find(session.id).practitioner
    finally:
        again.close()


async def test_rows_of_the_first_schema_stay_readable(tmp_path):
    path = tmp_path / "old.db"
    old = Store(path, "apcv.sessions", MIGRATIONS[:1])

    def insert(conn):
        conn.execute(
            "INSERT INTO sessions VALUES ('apcv_old', 'qr', 'ctx', 'tok', ?, ?, ?, NULL)",
            [NOW + 300, '[{"nir": "277076322082910"}]', NOW],
        )

    await old.write(insert)
    old.close()
    store = SessionStore(path)
    try:
        found = store.held("apcv_old", now=NOW + 1)
        # No practitioner known: the operations act as the config's.
        assert found.practitioner is None and found.context.token == "tok"
        assert found.beneficiaries == [{"nir": "277076322082910"}]
    finally:
        store.close()


@pytest.mark.parametrize("touch", ["purge", "release", "end", "refresh"])
async def test_ended_sessions_are_deleted_whenever_the_store_is_written(store, touch):
    old = await store.add("qr", context(NOW + 300), [RUTH], now=NOW)
    other = await store.add("qr", context(NOW + RETENTION + 3000), [RUTH], now=NOW)
    later = NOW + 301 + RETENTION
    if touch == "purge":  # at startup
        await store.purge(now=later)
    elif touch == "release":
        await store.release(other.id, now=later)
    elif touch == "end":
        await store.end(other.id, later)
    else:
        await store.refresh(other, context(NOW + RETENTION + 4000), [RUTH], now=later)
    assert store.find(old.id) is None
    assert store.find(other.id) is not None
