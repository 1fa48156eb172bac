"""A daemon whose jFSE plugin talks to its simulator over real sockets, and what the tests send
it: beneficiaries as a carte Vitale gives them, and a stand-in for the plugin that holds ApCV
sessions (the jFSE plugin reaches such sessions only through the core's hooks, so any plugin
answering them will do; the ApCV plugin's own tests cover the real one)."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import datetime as dt
import json
import time
from typing import Any

import aiohttp
import pytest

from aiguillage.app import create_app
from aiguillage.plugin import (
    FieldError,
    PluginInfo,
    Problem,
    client_context,
    hookimpl,
    validation_problem,
)
from aiguillage.plugin_manager import load_plugins

from conftest import FAST_POLICY

#: NESSI RUTH (a published INSi test identity), insured with the CPAM 631.
RUTH: dict[str, Any] = {
    "nir": "277076322082910",
    "nir_od": "277076322082910",
    "birth_name": "NESSI",
    "first_name": "RUTH",
    "birth_date": "1977-07-14",
    "rank": 1,
    "regime": "01",
    "caisse": "631",
    "centre": "0000",
    "rights": [{"start": "2020-01-01", "end": None, "label": "AMO"}],
    "exonerations": [],
    "ins": {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"},
}
#: PAT-TROIS (another INSi test identity), insured elsewhere: another destination.
PAT_TROIS: dict[str, Any] = {
    **RUTH,
    "nir": "279035121518989",
    "nir_od": "279035121518989",
    "birth_name": "PAT-TROIS",
    "first_name": "DOMINIQUE",
    "birth_date": "1979-03-30",
    "caisse": "751",
    "ins": {"matricule": "279035121518989", "oid": "1.2.250.1.213.1.4.8"},
}
#: A child of RUTH's, under 18: no participation forfaitaire.
CHILD: dict[str, Any] = {
    **RUTH,
    "nir": "215076322082941",
    "first_name": "LEA",
    "birth_date": "2015-07-14",
    "rank": 1,
    "ins": None,
}
#: The date of care of the examples: the sample fee schedule's 2026 tariffs apply.
DAY = "2026-03-02"


def invoice(beneficiary: dict[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
    """A consultation (G) with the médecin traitant, from a carte Vitale read."""
    body: dict[str, Any] = {
        "beneficiary": {"vitale": beneficiary or RUTH},
        "date": DAY,
        "care_pathway": "medecin_traitant",
        "insurance_nature": "maladie",
        "acts": [{"code": "G"}],
    }
    return {**body, **changes}


class ApcvSessions:
    """Plays the plugin that holds ApCV sessions: ``sessions[id]`` is a list of
    beneficiaries, or ``"expired"``; what it was asked to sign is kept in ``signed``."""

    def __init__(self) -> None:
        self.sessions: dict[str, Any] = {}
        self.signed: list[dict[str, Any]] = []
        #: Seconds the beneficiary takes to sign in the app.
        self.delay = 0.0

    @hookimpl
    def plugin_info(self) -> PluginInfo:
        return PluginInfo(name="sessions", version="1.0", title="ApCV sessions (tests)")

    def _held(self, session: str, index: int) -> dict[str, Any] | None:
        found = self.sessions.get(session)
        if found is None:
            return None
        if found == "expired":
            raise Problem(410, "apcv-session-expired", "The ApCV session expired")
        if index >= len(found):
            raise validation_problem(
                [FieldError("beneficiary", f"the session has {len(found)} beneficiaries")]
            )
        return found[index]

    @hookimpl
    async def resolve_beneficiary(self, session: str, index: int) -> dict[str, Any] | None:
        return self._held(session, index)

    @hookimpl
    async def sign_care_sheet(
        self, session: str, index: int, digest: str, summary: dict[str, str]
    ) -> dict[str, Any] | None:
        if self._held(session, index) is None:
            return None
        self.signed.append({"session": session, "digest": digest, "summary": summary})
        await asyncio.sleep(self.delay)
        return {
            "value": base64.b64encode(f"signed {digest}".encode()).decode(),
            "signed_at": dt.datetime.now(dt.UTC).isoformat(),
            "reference": f"sig-{len(self.signed)}",
            "context": f"ctx-{session}",
        }


@pytest.fixture
def apcv() -> ApcvSessions:
    return ApcvSessions()


@pytest.fixture
def plugins(apcv: ApcvSessions):
    return load_plugins(extra=[apcv])


@pytest.fixture
async def fse(aiohttp_client, settings, plugins, token):
    """The daemon with its jFSE plugin on the simulator (the other services off), an outbox
    that retries fast, a short wait for ARLs and a returns poller that looks often.
    ``fse.config`` is the plugin's config once started."""
    for name in ("insi", "dmp", "mssante", "apcv"):
        settings.plugins[name].enabled = False
    # Many attempts: a test may hold the engine down a while without the lot going dead.
    settings.outbox.policies["jfse"] = dataclasses.replace(FAST_POLICY, max_attempts=50)
    settings.plugins["jfse"].options.update(arl_wait=1.5, returns_interval=0.2)
    client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
    client.session.headers["Authorization"] = f"Bearer {token}"
    client.config = settings.plugins["jfse"]
    await client.get("/v1/health")  # started: the simulator runs
    return client


async def sim(fse, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """A control route of the running simulator (``/_sim/faults``, ``/_sim/state``…)."""
    from aiguillage.plugin import plugin_test_pki

    trust = plugin_test_pki(fse.config.data_dir).ca_bundle
    connector = aiohttp.TCPConnector(ssl=client_context(None, trust))
    async with aiohttp.ClientSession(connector=connector) as session:
        url = fse.config.endpoint_url + path
        request = session.get(url) if body is None else session.post(url, json=body)
        async with request as response:
            assert response.status == 200, await response.text()
            return await response.json()


async def created(fse, body: dict[str, Any]) -> dict[str, Any]:
    response = await fse.post("/v1/fse/invoices", json=body)
    assert response.status == 201, await response.text()
    return await response.json()


async def secured(fse, body: dict[str, Any] | None = None) -> dict[str, Any]:
    draft = await created(fse, body or invoice())
    response = await fse.post(f"/v1/fse/invoices/{draft['id']}/secure")
    assert response.status == 200, await response.text()
    return await response.json()


async def problem(response, status: int, slug: str) -> dict[str, Any]:
    assert response.status == status, await response.text()
    found = await response.json(content_type="application/problem+json")
    assert found["type"] == f"urn:aiguillage:problem:{slug}", found
    return found


async def until(check, what: str, wait: float = 15.0) -> Any:
    """Poll ``check()`` (sync or async) until it returns something truthy."""
    deadline = time.monotonic() + wait
    while True:
        found = check()
        if asyncio.iscoroutine(found):
            found = await found
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


async def get(fse, path: str) -> dict[str, Any]:
    response = await fse.get(path)
    assert response.status == 200, await response.text()
    return await response.json()


async def journal(fse, event: str, **params: str) -> list[dict[str, Any]]:
    """Journal rows of ``event`` (a prefix matches), oldest first."""
    rows = (await get(fse, f"/v1/journal?event={event}&limit=500"))["rows"]
    wanted = [r for r in rows if all(r.get(k) == v for k, v in params.items())]
    return list(reversed(wanted))


async def events(fse, count_of: dict[str, int], wait: float = 15.0) -> list[dict[str, Any]]:
    """The events since the daemon started, read off ``GET /v1/events``: at least ``count_of``
    of each type, then whatever else comes until the stream is quiet a moment."""
    response = await fse.get("/v1/events", headers={"Last-Event-ID": "0"})
    found: list[dict[str, Any]] = []
    current: dict[str, str] = {}
    seen = dict.fromkeys(count_of, 0)
    try:
        while True:
            enough = all(seen[k] >= n for k, n in count_of.items())
            try:
                line = await asyncio.wait_for(response.content.readline(), 0.5 if enough else wait)
            except TimeoutError:
                if enough:
                    return found
                raise
            text = line.decode().rstrip("\n")
            if not text:
                if "event" in current:
                    found.append({"type": current["event"], **json.loads(current["data"])})
                    if current["event"] in seen:
                        seen[current["event"]] += 1
                current = {}
            elif not text.startswith(":") and ":" in text:
                key, _, value = text.partition(": ")
                current[key] = value
    finally:
        response.close()
