"""The ApCV simulator for the tests: started on a free loopback port with the session's test PKI
and stopped after the test; a ``SoapBackend`` talking to it with the structure's TLS certificate
and the test practitioner's signing certificate; and the control routes, called as a harness
would. Test modules import the fixtures by their function names (``apcv_simulator_fixture``…);
the fixtures themselves are named ``apcv_sim`` and ``apcv_backend``."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from aiguillage.plugins.apcv.client import SoapBackend, Software
from aiguillage.plugins.apcv.simulator import ApcvSimulator
from aiguillage.security.credentials import client_context, load_credential
from aiguillage.security.practitioner import Practitioner
from aiguillage.security.saml import Signer
from aiguillage.security.testpki import TEST_PRACTITIONER_ID, TestPki

PRACTITIONER = Practitioner(
    national_id=TEST_PRACTITIONER_ID,
    family_name="LIBRE",
    given_name="MAX",
    specialty_code="SM26",
    billing_id="991130972",
)
SOFTWARE = Software("NumAutorisation", "4", "Aiguillage", "test", "instance-1")


@dataclass
class Running:
    """A running simulator: the object, its SOAP endpoint and the PKI to talk to it."""

    simulator: ApcvSimulator
    url: str
    pki: TestPki

    @property
    def base(self) -> str:
        return self.url.rsplit("/", 1)[0]

    async def control(self, route: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """``POST /_sim/<route>`` (``GET`` for ``state``); the JSON answer (asserts a 200)."""
        async with aiohttp.ClientSession() as session:
            method = "GET" if route == "state" else "POST"
            async with session.request(
                method, f"{self.base}/_sim/{route}", json=body, ssl=tls(self.pki)
            ) as reply:
                assert reply.status == 200, await reply.text()
                return await reply.json()

    async def qr(self, identity: str = "NESSI") -> str:
        return (await self.control("qr", {"identity": identity}))["qr"]


def tls(pki: TestPki, name: str = "structure-auth") -> ssl.SSLContext:
    return client_context(load_credential(pki.p12(name), pki.password), pki.ca_bundle)


def signer(pki: TestPki) -> Signer:
    return Signer(load_credential(pki.p12("practitioner-signature"), pki.password))


def make_backend(running: Running, *, signer: Signer | None, **options: Any) -> SoapBackend:
    """A backend on its own HTTP session (closed by ``aclose``)."""
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=tls(running.pki)))
    settings = {"timeout": 5.0, "retries": 2, "first_retry_delay": 0.01, **options}
    return SoapBackend(
        endpoint=running.url, session=session, software=SOFTWARE, signer=signer, **settings
    )


async def start_simulator(data_dir: Path, pki: TestPki, **options: Any) -> Running:
    simulator = ApcvSimulator(data_dir=data_dir, pki=pki, **options)
    return Running(simulator, await simulator.start(), pki)


@pytest.fixture(name="apcv_sim")
async def apcv_simulator_fixture(tmp_path: Path, pki: TestPki) -> AsyncIterator[Running]:
    running = await start_simulator(tmp_path / "apcv", pki)
    yield running
    await running.simulator.stop()


@pytest.fixture(name="apcv_backend")
async def apcv_backend_fixture(apcv_sim: Running) -> AsyncIterator[SoapBackend]:
    backend = make_backend(apcv_sim, signer=signer(apcv_sim.pki))
    yield backend
    await backend.aclose()
