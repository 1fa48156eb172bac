from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from aiguillage.app import create_app
from aiguillage.appkeys import DAEMON, SETTINGS
from aiguillage.hookspecs import Call
from aiguillage.journal import JournalFilter
from aiguillage.security.testpki import plugin_test_pki

from .simulator_fixture import tls


class Apcv:
    """A daemon whose apcv plugin runs its simulator, seen as an EHR (``http``, a test client
    with every scope) and as a harness driving the simulator's control routes."""

    def __init__(self, http) -> None:
        self.http = http
        self.app = http.server.app
        self.config = self.app[SETTINGS].plugins["apcv"]
        self.daemon = self.app[DAEMON]

    @property
    def simulator_base(self) -> str:
        return self.config.endpoint_url.rsplit("/", 1)[0]

    async def control(self, route: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        pki = plugin_test_pki(self.config.data_dir)
        async with aiohttp.ClientSession() as session:
            method = "GET" if route == "state" else "POST"
            async with session.request(
                method, f"{self.simulator_base}/_sim/{route}", json=body, ssl=tls(pki)
            ) as reply:
                assert reply.status == 200, await reply.text()
                return await reply.json()

    async def qr(self, identity: str = "NESSI-RUTH") -> str:
        """A QR payload the simulator issues for ``identity``, as the app would show it."""
        return (await self.control("qr", {"identity": identity}))["qr"]

    async def open(self, identity: str = "NESSI-RUTH") -> dict[str, Any]:
        response = await self.http.post("/v1/apcv/sessions", json={"qr": await self.qr(identity)})
        assert response.status == 201, await response.text()
        return await response.json()

    def call(self, body: dict[str, Any] | None = None, request_id: str = "test-call") -> Call:
        """A ``Call`` as another plugin's operation would pass to the daemon's hooks."""
        return Call(
            request=None,
            body=body or {},
            params={},
            client=None,
            request_id=request_id,
            config=None,
            daemon=self.daemon,
        )

    def journal(self, event: str = "apcv.session") -> list[dict[str, Any]]:
        """The journal rows of ``event`` (and its sub-events), oldest first."""
        return self.daemon.journal_rows(JournalFilter(event=event, limit=1000, ascending=True))


@pytest.fixture
def start_apcv(aiohttp_client, settings, plugins, token) -> Callable[..., Awaitable[Apcv]]:
    """``await start_apcv(**options)``: the daemon with the apcv plugin's ``options`` changed."""

    async def start(**options: Any) -> Apcv:
        settings.plugins["apcv"].options.update(options)
        # INSi stays: an INS search takes a session's beneficiary. The others only slow it.
        for other in ("dmp", "mssante", "jfse"):
            settings.plugins[other].enabled = False
        http = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
        http.session.headers["Authorization"] = f"Bearer {token}"
        return Apcv(http)

    return start


@pytest.fixture
async def apcv(start_apcv) -> Apcv:
    # No retry of a transient failure: the tests that make one want to see it at once.
    return await start_apcv(retries=0)
