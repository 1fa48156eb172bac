from __future__ import annotations

import pytest

from aiguillage.app import create_app

from conftest import FAST_POLICY


@pytest.fixture
async def mss(aiohttp_client, settings, plugins, token):
    """A daemon whose MSSanté plugin talks to its simulator (SMTP and IMAP on free loopback
    ports), with an outbox that retries fast; ``mss.config`` is the plugin's config once
    started (its ``endpoint_url`` and ``state["imap_endpoint"]`` name the simulator)."""
    settings.outbox.policies["mssante"] = FAST_POLICY
    client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
    client.session.headers["Authorization"] = f"Bearer {token}"
    client.config = settings.plugins["mssante"]
    return client
