from __future__ import annotations

import ssl

import aiohttp
import pytest

from aiguillage.app import create_app
from aiguillage.appkeys import SETTINGS
from aiguillage.security.credentials import client_context, load_credential


@pytest.fixture
def insi_settings(settings, request):
    """Settings whose insi plugin uses the session's test PKI; ``@pytest.mark.insi(**options)``
    changes its options for one test."""
    marker = request.node.get_closest_marker("insi")
    if marker:
        settings.plugins["insi"].options.update(marker.kwargs)
    return settings


@pytest.fixture
async def insi(aiohttp_client, insi_settings, plugins, token):
    app = create_app(insi_settings, plugins, validate_responses=True)
    client = await aiohttp_client(app)
    client.session.headers["Authorization"] = f"Bearer {token}"
    return client


def simulator_url(client) -> str:
    return client.app[SETTINGS].plugins["insi"].endpoint_url


def tls(pki, name: str = "structure-auth") -> ssl.SSLContext:
    return client_context(load_credential(pki.p12(name), pki.password), pki.ca_bundle)


async def admin(client, pki, path: str, **kwargs) -> dict:
    """Call the simulator's admin API, as a harness would."""
    base = simulator_url(client).removesuffix("/lps")
    async with aiohttp.ClientSession() as session:
        method = "GET" if path == "state" else "POST"
        async with session.request(method, f"{base}/_admin/{path}", ssl=tls(pki), **kwargs) as r:
            assert r.status == 200, await r.text()
            return await r.json()
