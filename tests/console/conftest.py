"""The console's end-to-end tests: a daemon on a real socket with every built-in plugin against
its simulator, and Debian's chromium driven by Playwright (no browser download). Without
chromium the tests are skipped, except with ``CI`` set (``.ci/run`` installs it), where they
fail."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from aiguillage.app import create_app
from aiguillage.clients import ClientStore
from aiguillage.config import OutboxPolicy, Settings, load_settings
from aiguillage.plugin_manager import load_plugins
from aiguillage.security.credentials import client_context, load_credential

from conftest import ROOT, give_test_pki

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Screenshots of each page, per test (git-ignored).
ARTIFACTS = Path(__file__).parent / "artifacts"
#: The screenshots the README shows, rewritten by a run with ``AIGUILLAGE_DOC_SCREENSHOTS=1``
#: only: a plain run must leave the committed files as they are.
DOC_SCREENSHOTS = ROOT / "docs" / "screenshots"
UPDATE_DOC_SCREENSHOTS = os.environ.get("AIGUILLAGE_DOC_SCREENSHOTS") == "1"
#: Quick retries for the DMP: a send the simulator refuses is given up (``dead``) in a second.
DMP_POLICY = OutboxPolicy(
    initial_delay=0.05,
    factor=2.0,
    max_delay=0.2,
    max_attempts=2,
    concurrency=2,
    attempt_timeout=10.0,
    breaker_threshold=10,
    breaker_cooldown=0.3,
)


def needs_chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    message = f"{CHROMIUM} is missing (Debian package chromium; .ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@dataclass
class Daemon:
    server: object
    settings: Settings
    admin_token: str
    pki: object

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    @property
    def data_dir(self) -> Path:
        return self.settings.daemon.data_dir

    @property
    def app(self):
        return self.server.app

    def add_app(self, name: str, scopes: list[str], origins: list[str] = ()) -> str:
        store = ClientStore(self.data_dir)
        try:
            return store.add(name, scopes, list(origins))[1]
        finally:
            store.close()

    async def call(self, method: str, path: str, token: str | None = None, **kwargs):
        """(status, JSON or text) of one API call over the socket, as the admin unless said."""
        headers = kwargs.pop("headers", {})
        headers.setdefault("Authorization", f"Bearer {token or self.admin_token}")
        async with aiohttp.ClientSession() as session:
            async with session.request(
                method, self.origin + path, headers=headers, **kwargs
            ) as response:
                if "json" in response.content_type:
                    return response.status, await response.json(content_type=None)
                return response.status, await response.text()

    async def dmp_faults(self, **faults) -> None:
        """Set the DMP simulator's faults (its control route takes the structure's
        certificate, like its SOAP endpoint)."""
        config = self.settings.plugins["dmp"]
        credential = load_credential(self.pki.p12("structure-auth"), self.pki.password)
        context = client_context(credential, self.pki.ca_bundle)
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context)) as session:
            url = config.endpoint_url + "/_admin/faults"
            async with session.post(url, json=faults) as response:
                assert response.status == 200, await response.text()


@pytest.fixture
async def daemon(aiohttp_server, tmp_path: Path, pki) -> Daemon:
    plugins = load_plugins()
    # A config file of its own: switching a service on or off writes it.
    config = tmp_path / "aiguillage.toml"
    config.write_text('[daemon]\nlog_level = "warning"\n', encoding="utf-8")
    settings = load_settings(config, plugins.infos)
    settings.daemon.data_dir = tmp_path / "data"
    give_test_pki(settings.daemon.data_dir, pki)
    settings.outbox.policies["dmp"] = DMP_POLICY
    store = ClientStore(settings.daemon.data_dir)
    admin = store.add("practice-admin", ["admin"])[1]
    store.close()
    server = await aiohttp_server(create_app(settings, plugins, validate_responses=True))
    return Daemon(server, settings, admin, pki)


@pytest.fixture
async def browser(tmp_path: Path) -> AsyncIterator[object]:
    """A chromium with a fresh profile, in French, on Paris time."""
    executable = needs_chromium()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(executable),
            args=CHROMIUM_ARGS,
            headless=True,
            locale="fr-FR",
            timezone_id="Europe/Paris",
            viewport={"width": 1280, "height": 860},
            accept_downloads=True,
        )
        context.set_default_timeout(10_000)
        try:
            yield context
        finally:
            await context.close()


async def screenshot(page, request: pytest.FixtureRequest, name: str, doc: str | None = None):
    """Write the page to the artifacts folder (and to ``docs/screenshots/<doc>.png``)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{request.node.name}-{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    if doc and UPDATE_DOC_SCREENSHOTS:
        DOC_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOC_SCREENSHOTS / f"{doc}.png")
    return path


async def log_in(page, daemon: Daemon, token: str | None = None) -> None:
    """Open the console and paste the admin token."""
    await page.goto(daemon.origin + "/console/")
    await page.get_by_label("Jeton d'administration").fill(token or daemon.admin_token)
    await page.get_by_role("button", name="Se connecter").click()
    await page.locator('[data-page="services"][data-loaded]').wait_for()
