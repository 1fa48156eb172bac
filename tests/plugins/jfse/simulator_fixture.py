"""The jFSE simulator for the protocol tests: started on a free loopback port with the session's
test PKI, stopped after the test; the client (``JsonBackend``) pointed at it; raw HTTPS calls
for what the client would never send; and invoices to bill, built from INSi test identities."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from aiguillage.plugin import TestPki, client_context
from aiguillage.plugins.jfse.backend import Act, Biller, Draft, Insured
from aiguillage.plugins.jfse.client import JsonBackend
from aiguillage.plugins.jfse.simulator import EDITOR_KEY, Faults, JfseSimulator

DAY = "2026-03-02"
#: NESSI RUTH, born 1977 (a published INSi test identity), insured with the CPAM 631.
RUTH = Insured(
    nir="277076322082910",
    nir_od="277076322082910",
    birth_name="NESSI",
    first_name="RUTH",
    birth_date="1977-07-14",
    rank=1,
    regime="01",
    caisse="631",
    centre="0000",
)
#: PAT-TROIS DOMINIQUE (another test identity), insured with another caisse.
DOMINIQUE = dataclasses.replace(
    RUTH,
    nir="279035121518989",
    nir_od="279035121518989",
    birth_name="PAT-TROIS",
    first_name="DOMINIQUE",
    birth_date="1979-03-30",
    caisse="751",
)
DOCTOR = Biller(billing_id="991130972", national_id="810100000001", name="Dr MAX LIBRE")


def draft(number: str = "INV-1", **changes: Any) -> Draft:
    """A consultation (G) by the médecin traitant, insurance maladie, no third-party payment."""
    base = Draft(
        number=number,
        biller=DOCTOR,
        insured=RUTH,
        date=DAY,
        care_pathway="medecin_traitant",
        insurance_nature="maladie",
        exoneration=None,
        third_party_amo=False,
        third_party_amc=False,
        acts=(Act("G"),),
    )
    return dataclasses.replace(base, **changes)


@dataclass
class Running:
    """A running simulator and the means to talk to it."""

    pki: TestPki
    simulator: JfseSimulator
    url: str
    backends: list[JsonBackend] = field(default_factory=list)

    @property
    def tls(self) -> Any:
        return client_context(None, self.pki.ca_bundle)

    def backend(self, url: str | None = None, **changes: Any) -> JsonBackend:
        """A client of the simulator (closed with it); ``changes`` override its arguments."""
        if "session" not in changes:
            changes["session"] = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=self.tls))
        options: dict[str, Any] = {
            "endpoint": url or self.url,
            "id_jfse": 7,
            "editor_name": "Aiguillage tests",
            "editor_key": EDITOR_KEY,
            "etablissement": "Cabinet de test",
            "timeout": 5.0,
            "retries": 2,
            **changes,
        }
        backend = JsonBackend(**options)
        self.backends.append(backend)
        return backend

    async def request(self, verb: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        """A raw HTTPS call to the simulator: ``(status, JSON answer)``."""
        async with aiohttp.ClientSession() as session:
            async with session.request(verb, self.url + path, ssl=self.tls, **kwargs) as reply:
                return reply.status, await reply.json(content_type=None)

    async def faults(self, **body: Any) -> dict[str, Any]:
        status, answer = await self.request("POST", "/_sim/faults", json=body)
        assert status == 200, answer
        return answer

    async def advance(self, seconds: float) -> dict[str, Any]:
        """Move the simulator's clock (ARLs and notices fall due without waiting)."""
        offset = self.simulator.clock_offset + seconds
        status, answer = await self.request("POST", "/_sim/clock", json={"offset": offset})
        assert status == 200, answer
        return answer

    async def state(self) -> dict[str, Any]:
        status, answer = await self.request("GET", "/_sim/state")
        assert status == 200, answer
        return answer

    async def token(self, id_jfse: int = 7) -> str:
        status, answer = await self.request(
            "GET",
            "/jfse-proxy/get-token",
            params={"idJfse": str(id_jfse), "editorKey": EDITOR_KEY, "editorName": "tests"},
        )
        assert status == 200, answer
        return answer["token"]

    async def init(
        self, envelope: Any, token: str | None = None, **kwargs: Any
    ) -> tuple[int, dict[str, Any]]:
        """POST an envelope as given to ``/jfse-proxy/init``."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return await self.request(
            "POST", "/jfse-proxy/init", json=envelope, headers=headers, **kwargs
        )


def envelope(method: str, parameters: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A well-formed envelope, written here from the protocol notes (not by the client)."""
    body = {
        "integrator": {
            "name": "tests",
            "key": EDITOR_KEY,
            "etablissement": "Cabinet de test",
            "os": "Linux",
        },
        "method": {
            "name": method,
            "service": True,
            "parameters": parameters,
            "returnType": "",
            "asynchronous": False,
        },
        "cardReader": {},
        "returnMode": {},
        "idJfse": 7,
    }
    return {**body, **changes}


@contextlib.asynccontextmanager
async def simulator_running(pki: TestPki, **options: Any) -> AsyncIterator[Running]:
    """A simulator on a free loopback port; ``options`` are more constructor arguments
    (``seed``, ``ack_delay``…). Faults start cleared."""
    options.setdefault("faults", Faults())
    options.setdefault("seed", 13)
    simulator = JfseSimulator(pki=pki, **options)
    url = await simulator.start()
    running = Running(pki, simulator, url)
    try:
        yield running
    finally:
        for backend in running.backends:
            await backend.aclose()
        await simulator.stop()
