"""The example plugin of docs/examples/courier — written from the public plugin API alone —
loaded through an entry point exactly like an installed third-party plugin, and the setting
that keeps installed plugins out of a run."""

from __future__ import annotations

import asyncio
import shutil
import time

import pytest

from aiguillage.app import create_app
from aiguillage.clients import ClientStore
from aiguillage.config import load_settings
from aiguillage.plugin_manager import PluginError, load_plugins

from conftest import BUILT_IN_PLUGINS, ROOT

EXAMPLE = ROOT / "docs" / "examples" / "courier"


def install(site, name: str, module: str) -> None:
    """What ``pip install`` leaves for the entry point: a dist-info naming it."""
    dist = site / f"{name}-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(f"[aiguillage.plugins]\ncourier = {module}\n")


@pytest.fixture
def installed(tmp_path, monkeypatch):
    site = tmp_path / "site"
    install(site, "aiguillage_courier_example", "courier_plugin.plugin")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.syspath_prepend(str(EXAMPLE))


def test_the_example_loads_through_its_entry_point(installed):
    plugins = load_plugins(only=[*BUILT_IN_PLUGINS, "courier"])
    assert plugins.infos["courier"].outbox_kinds == ("courier.letter",)
    assert "courier" not in load_plugins().infos, "the tests' setting leaves it out"


def test_an_installed_plugin_that_breaks_is_left_out_by_the_setting(tmp_path, monkeypatch):
    site = tmp_path / "site"
    install(site, "broken_courier", "no_such_module.plugin")
    monkeypatch.syspath_prepend(str(site))
    assert set(load_plugins().infos) == set(BUILT_IN_PLUGINS)
    monkeypatch.delenv("AIGUILLAGE_PLUGINS")
    with pytest.raises(PluginError, match=r"'courier' .* failed to import"):
        load_plugins()


async def test_the_example_serves_and_delivers(
    installed, tmp_path, pki, aiohttp_client, monkeypatch
):
    from courier_plugin.simulator import CourierSimulator

    started: list[CourierSimulator] = []
    start = CourierSimulator.start

    async def recorded(self, host):
        started.append(self)
        return await start(self, host)

    monkeypatch.setattr(CourierSimulator, "start", recorded)
    plugins = load_plugins(only=["courier"])
    settings = load_settings(None, plugins.infos)
    settings.daemon.data_dir = tmp_path / "data"
    shutil.copytree(pki.directory, settings.daemon.data_dir / "plugins" / "courier" / "test-pki")
    store = ClientStore(settings.daemon.data_dir)
    token = store.add("ehr", ["*"])[1]
    store.close()
    client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
    client.session.headers["Authorization"] = f"Bearer {token}"

    hours = await client.get("/v1/courier/hours")
    assert hours.status == 200 and (await hours.json())["open"] is True
    journal = await (await client.get("/v1/journal", params={"event": "courier"})).json()
    (row,) = journal["rows"]
    assert row["request_id"] == hours.headers["X-Request-Id"]
    assert "Mon-Fri" in row["response"]

    response = await client.post("/v1/courier/letters", json={"to": "Dr B", "text": "Bonjour"})
    assert response.status == 202
    accepted = await response.json()
    deadline = time.monotonic() + 15
    while (item := await (await client.get(accepted["location"])).json())["state"] != "sent":
        assert time.monotonic() < deadline, item
        await asyncio.sleep(0.05)
    assert item["result"]["already_present"] is False and item["result"]["receipt"]
    (simulator,) = started
    assert simulator.puts == {accepted["external_id"]: 1}
    assert simulator.letters[accepted["external_id"]] == {"to": "Dr B", "text": "Bonjour"}
    bad = await client.post("/v1/courier/letters", json={"to": "Dr B"})
    assert bad.status == 422

    simulator.faults.error_rate = 1.0  # every answer a bare 503
    down = await client.get("/v1/courier/hours")
    assert down.status == 503
    assert (await down.json(content_type="application/problem+json"))["service"] == "courier"
    journal = await (await client.get("/v1/journal", params={"event": "courier"})).json()
    assert journal["rows"][0]["outcome"] == "http-503"
