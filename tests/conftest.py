from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from aiguillage.app import create_app
from aiguillage.clients import ClientStore
from aiguillage.config import Settings, load_settings
from aiguillage.plugin_manager import Plugins, load_plugins

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).parent))

import echo_plugin  # noqa: E402


@pytest.fixture(autouse=True)
def _no_ambient_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIGUILLAGE_CONFIG", raising=False)
    monkeypatch.delenv("AIGUILLAGE_EXTRA_PLUGINS", raising=False)


@pytest.fixture
def plugins() -> Plugins:
    return load_plugins(extra=[echo_plugin])


@pytest.fixture
def settings(tmp_path: Path, plugins: Plugins) -> Settings:
    settings = load_settings(None, plugins.infos)
    settings.daemon.data_dir = tmp_path / "data"
    return settings


@pytest.fixture
def store(settings: Settings):
    store = ClientStore(settings.daemon.data_dir)
    yield store
    store.close()


@pytest.fixture
def token(store: ClientStore) -> str:
    return store.add("ehr", ["*"])[1]


@pytest.fixture
async def client(aiohttp_client, settings: Settings, plugins: Plugins, token: str):
    """A test client on a real socket, authenticated as an app with every scope."""
    app = create_app(settings, plugins, validate_responses=True)
    client = await aiohttp_client(app)
    client.session.headers["Authorization"] = f"Bearer {token}"
    return client


def run_cli(*args: str, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "aiguillage", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        **kwargs,
    )
