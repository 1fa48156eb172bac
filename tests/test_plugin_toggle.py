"""The practice admin switches a service off and on from the console, without a restart: the
config file is edited in place (comments kept, atomic, a backup beside it), the change is
journaled, and the running daemon stops or starts the plugin: its API, simulator, deliveries
and health."""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator

from aiguillage import plugin_runtime
from aiguillage.app import create_app
from aiguillage.appkeys import JOURNAL, PLUGINS, SETTINGS
from aiguillage.clients import ClientStore
from aiguillage.config import load_settings
from aiguillage.hookspecs import PluginConfig, PluginInfo, hookimpl
from aiguillage.plugin_manager import load_plugins
from aiguillage.shapes import FORMATS

import echo_plugin
import relay_plugin
from conftest import BUILT_IN_PLUGINS, give_test_pki, run_cli

PATIENT = "277076322082910"


class Fragile:
    """A plugin whose start fails on demand, as one whose certificate store is locked would."""

    broken = False

    @hookimpl
    def plugin_info(self) -> PluginInfo:
        return PluginInfo(name="fragile", version="1.0", title="Fragile (tests)")

    @hookimpl
    async def startup(self, config: PluginConfig) -> None:
        if Fragile.broken:
            raise OSError("the certificate store is locked")


def write_config(folder: Path, receiver_port: int, names: list[str]) -> Path:
    off = "\n".join(
        f"[{name}]\nenabled = false\n"
        for name in names
        if name not in ("insi", "echo", "relay", "fragile")
    )
    text = f"""# The practice's settings: comments like this one must survive a switch.

[daemon]
data_dir = "data"   # next to this file

[insi]
# Identity lookups (INSi).
enabled = true    # the console switches this
endpoint = "simulator"

[relay]
endpoint = "http://127.0.0.1:{receiver_port}"

[fragile]
enabled = false

[outbox.relay]
initial_delay = 0.05
max_delay = 0.2
max_attempts = 100
attempt_timeout = 20.0
breaker_threshold = 1000

{off}"""
    path = folder / "aiguillage.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o640)
    return path


@pytest.fixture
async def daemon(aiohttp_client, tmp_path, receiver, pki):
    """A daemon started from a config file, and clients for an admin app, a `*` app and an
    app holding the insi scope only."""
    Fragile.broken = False
    plugins = load_plugins(extra=[echo_plugin, relay_plugin, Fragile()])
    path = write_config(tmp_path, receiver.server.port, list(plugins.infos))
    settings = load_settings(path, plugins.infos)
    give_test_pki(settings.daemon.data_dir, pki)
    store = ClientStore(settings.daemon.data_dir)
    tokens = {
        "admin": store.add("console", ["admin"])[1],
        "all": store.add("ehr", ["*"])[1],
        "insi": store.add("ins-only", ["insi"])[1],
    }
    store.close()
    client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
    client.session.headers["Authorization"] = f"Bearer {tokens['admin']}"
    client.tokens = tokens
    client.config_path = path
    return client


async def switch(client, name: str, enabled: bool, token: str | None = None, expect: int = 200):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.put(f"/v1/plugins/{name}", json={"enabled": enabled}, headers=headers)
    body = await response.json(content_type=None)
    assert response.status == expect, body
    return body


async def entry(client, name: str) -> dict:
    listed = (await (await client.get("/v1/plugins")).json())["plugins"]
    return next(p for p in listed if p["name"] == name)


def port_open(url: str) -> bool:
    parts = urlsplit(url)
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((parts.hostname, parts.port)) == 0


async def journal_rows(client, event: str) -> list[dict]:
    return (await (await client.get(f"/v1/journal?event={event}")).json())["rows"]


async def test_switch_insi_off_and_on(daemon):
    path = daemon.config_path
    before = path.read_text()
    running = await entry(daemon, "insi")
    assert running["enabled"] is True and running["health"] is not None
    simulator = running["endpoint_url"]
    assert port_open(simulator)
    assert (await daemon.get(f"/v1/ins/history?ins={PATIENT}")).status == 200

    off = await switch(daemon, "insi", False)
    assert off["enabled"] is False and off["health"] is None and off["endpoint_url"] is None
    # Its API says it is off, and its simulator no longer listens.
    response = await daemon.get(f"/v1/ins/history?ins={PATIENT}")
    problem = await response.json(content_type="application/problem+json")
    assert response.status == 404 and problem["type"].endswith(":plugin-disabled")
    assert "restart" not in problem["detail"]
    unknown = await daemon.get("/v1/ins/nothing-here")
    assert (await unknown.json(content_type=None))["type"].endswith(":plugin-disabled")
    assert not port_open(simulator)
    spec = await (await daemon.get("/v1/openapi.json")).json()
    assert not [p for p in spec["paths"] if p.startswith("/v1/ins/")]
    health = await (await daemon.get("/v1/health")).json()
    assert "insi" not in health["plugins"]

    # The file: only the value changed, comments and layout kept; the old one is the backup.
    after = path.read_text()
    assert after == before.replace(
        "enabled = true    # the console switches this",
        "enabled = false    # the console switches this",
    )
    assert path.with_name("aiguillage.toml.bak").read_text() == before
    assert oct(path.stat().st_mode & 0o777) == oct(0o640)
    assert sorted(p.name for p in path.parent.iterdir() if p.is_file()) == [
        "aiguillage.toml",
        "aiguillage.toml.bak",
    ]

    on = await switch(daemon, "insi", True)
    assert on["enabled"] is True and on["health"]["status"] in ("up", "degraded")
    assert port_open(on["endpoint_url"])
    assert (await daemon.get(f"/v1/ins/history?ins={PATIENT}")).status == 200
    spec = await (await daemon.get("/v1/openapi.json")).json()
    assert "/v1/ins/search" in spec["paths"]
    assert path.read_text() == before

    rows = await journal_rows(daemon, "config.changed")
    assert len(rows) == 2
    switched_on, switched_off = (json.loads(r["request"]) for r in rows)
    assert switched_off["plugin"] == "insi" and switched_off["enabled_before"] is True
    assert switched_off["enabled_after"] is False and switched_off["file"] == str(path)
    assert switched_off["after_sha256"] == switched_on["before_sha256"]
    assert switched_on["after_sha256"] == switched_off["before_sha256"]
    assert all(r["client"] == "console" for r in rows)


async def test_switching_is_published_on_the_event_stream(daemon):
    stream = await daemon.get("/v1/events")
    await stream.content.readline()
    await switch(daemon, "echo", False)
    seen = None
    async with asyncio.timeout(5):
        while seen is None:
            line = (await stream.content.readline()).decode()
            if line.startswith("data:") and '"plugin.switched"' in line:
                seen = json.loads(line[5:])
    stream.close()
    assert seen["plugin"] == "echo" and seen["enabled"] is False and seen["previous"] is True
    assert seen["client"] == "console"
    # What the stream carried holds against the document's own description of the event.
    document = await (await daemon.get("/v1/openapi.json")).json()
    schemas = document["components"]["schemas"]
    (branch,) = (
        schemas[ref["$ref"].rsplit("/")[-1]]
        for ref in schemas["Event"]["oneOf"]
        if schemas[ref["$ref"].rsplit("/")[-1]]["properties"]["type"].get("const")
        == "plugin.switched"
    )
    root = {"allOf": [branch], "components": document["components"]}
    assert not list(Draft202012Validator(root, format_checker=FORMATS).iter_errors(seen))


async def test_echo_api_is_gated_and_comes_back(daemon):
    item = {"name": "a", "count": 1}
    assert (await daemon.post("/v1/echo/items", json=item)).status == 201
    # A wrong method on one of its paths is still a 405 while it runs.
    assert (await daemon.delete("/v1/echo/items")).status == 405
    await switch(daemon, "echo", False)
    for response in (
        await daemon.post("/v1/echo/items", json=item),
        await daemon.get("/v1/echo/items/abc"),
        await daemon.delete("/v1/echo/items"),
    ):
        body = await response.json(content_type="application/problem+json")
        assert response.status == 404 and body["type"].endswith(":plugin-disabled")
    # The table was absent from the file: it is appended.
    assert daemon.config_path.read_text().endswith("\n[echo]\nenabled = false\n")
    await switch(daemon, "echo", True)
    assert (await daemon.post("/v1/echo/items", json=item)).status == 201


async def test_deliveries_pause_while_off_and_resume(daemon, receiver):
    receiver.fail_with = 503
    accepted = await (await daemon.post("/v1/relay/messages", json={"text": "bonjour"})).json()
    await wait_for(lambda: receiver.posts, "a first attempt")
    entry_on = await entry(daemon, "relay")
    assert entry_on["breaker"]["state"] == "closed"

    off = await switch(daemon, "relay", False)
    assert off["breaker"] is None
    receiver.fail_with = None
    tried = sum(receiver.posts.values())
    await asyncio.sleep(1.0)  # several retry periods of the relay's policy
    assert sum(receiver.posts.values()) == tried, "a switched-off plugin delivered"
    item = await (await daemon.get(f"/v1/outbox/{accepted['id']}")).json()
    assert item["state"] == "queued"
    sending = await daemon.post("/v1/relay/messages", json={"text": "later"})
    assert sending.status == 404

    await switch(daemon, "relay", True)
    await wait_for(lambda: receiver.stored, "the delivery once switched on")
    assert [m["text"] for m in receiver.stored.values()] == ["bonjour"]


async def test_a_delivery_cut_off_by_the_switch_is_queued_again(daemon, receiver, monkeypatch):
    monkeypatch.setattr(plugin_runtime, "DELIVERY_GRACE", 0.2)
    receiver.latency = 30.0
    accepted = await (await daemon.post("/v1/relay/messages", json={"text": "slow"})).json()
    await wait_for(lambda: receiver.posts, "the delivery under way")
    started = time.monotonic()
    await switch(daemon, "relay", False)
    assert time.monotonic() - started < 10
    item = await (await daemon.get(f"/v1/outbox/{accepted['id']}")).json()
    assert item["state"] == "queued" and item["last_error"]["code"] == "interrupted"
    receiver.latency = 0.0
    await switch(daemon, "relay", True)
    await wait_for(lambda: receiver.stored, "the delivery once switched on")
    assert [m["text"] for m in receiver.stored.values()] == ["slow"]


async def wait_for(condition, what: str, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} within {within:g} s")
        await asyncio.sleep(0.02)


async def test_only_an_admin_app_may_switch(daemon):
    for token in (daemon.tokens["all"], daemon.tokens["insi"]):
        body = await switch(daemon, "insi", False, token=token, expect=403)
        assert body["type"].endswith(":insufficient-scope")
    assert (await entry(daemon, "insi"))["enabled"] is True
    # The admin holds every scope: a plugin's operations too.
    assert (await daemon.post("/v1/echo/items", json={"name": "a", "count": 1})).status == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"enabled": "yes"}, "/enabled"),
        ({}, "/enabled"),
        ({"enabled": True, "endpoint": "x"}, "/endpoint"),
    ],
)
async def test_a_bad_body_names_the_field(daemon, body, field):
    response = await daemon.put("/v1/plugins/insi", json=body)
    problem = await response.json(content_type="application/problem+json")
    assert response.status == 422 and problem["errors"][0]["field"] == field


async def test_an_unknown_plugin_is_404(daemon):
    body = await switch(daemon, "nothing", False, expect=404)
    assert body["type"].endswith(":not-found") and "insi" in body["detail"]


async def test_asking_for_the_current_state_changes_nothing(daemon):
    before = daemon.config_path.read_bytes()
    await switch(daemon, "insi", True)
    assert daemon.config_path.read_bytes() == before
    assert not daemon.config_path.with_name("aiguillage.toml.bak").exists()
    assert await journal_rows(daemon, "config.changed") == []


async def test_concurrent_switches_are_made_one_at_a_time(daemon):
    wanted = [False, True, False, True, False]
    await asyncio.gather(*(switch(daemon, "insi", w) for w in wanted))
    final = await entry(daemon, "insi")
    rows = await journal_rows(daemon, "config.changed")
    changes = [json.loads(r["request"]) for r in reversed(rows)]
    # Each change starts from where the previous one left the plugin.
    for previous, following in itertools.pairwise(changes):
        assert following["enabled_before"] == previous["enabled_after"]
        assert following["before_sha256"] == previous["after_sha256"]
    assert final["enabled"] is changes[-1]["enabled_after"]
    in_file = load_settings(daemon.config_path, daemon.app[PLUGINS].infos)
    assert in_file.plugins["insi"].enabled is final["enabled"]


async def test_a_plugin_that_cannot_start_stays_off(daemon):
    before = daemon.config_path.read_bytes()
    Fragile.broken = True
    body = await switch(daemon, "fragile", True, expect=503)
    assert body["type"].endswith(":plugin-start-failed")
    assert "certificate store is locked" in body["detail"]
    assert daemon.config_path.read_bytes() == before
    assert (await entry(daemon, "fragile"))["enabled"] is False
    Fragile.broken = False
    assert (await switch(daemon, "fragile", True))["enabled"] is True


async def test_an_invalid_config_file_is_not_written(daemon):
    path = daemon.config_path
    broken = path.read_text().replace("max_attempts = 100", "max_attempts = 0")
    path.write_text(broken)
    body = await switch(daemon, "insi", False, expect=409)
    assert body["type"].endswith(":config-invalid") and "max_attempts" in body["detail"]
    assert path.read_text() == broken
    assert (await entry(daemon, "insi"))["enabled"] is True


async def test_a_table_written_with_dotted_keys_is_left_to_the_admin(daemon):
    path = daemon.config_path
    text = path.read_text().replace("[fragile]\nenabled = false\n", "")
    path.write_text("fragile.enabled = false\n" + text)
    body = await switch(daemon, "fragile", True, expect=409)
    assert body["type"].endswith(":config-not-editable")
    assert path.read_text().startswith("fragile.enabled = false\n")


async def test_without_a_config_file_an_admin_is_told_how_to_give_one(
    aiohttp_client, settings, plugins, store
):
    token = store.add("console", ["admin"])[1]
    for name, config in settings.plugins.items():
        config.enabled = name == "echo"
    client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
    response = await client.put(
        "/v1/plugins/echo",
        json={"enabled": False},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = await response.json(content_type="application/problem+json")
    assert response.status == 409 and body["type"].endswith(":no-config-file")
    assert "--config" in body["detail"]
    listed = await client.get("/v1/plugins", headers={"Authorization": f"Bearer {token}"})
    assert {p["name"]: p for p in (await listed.json())["plugins"]}["echo"]["enabled"] is True


async def test_plugins_show_certificate_and_last_outcomes(daemon):
    from aiguillage.journal import Entry

    journal = daemon.app[JOURNAL]
    await journal.record(Entry(event="ins.search", outcome="cr01", summary="nobody found"))
    await journal.record(Entry(event="ins.verify", outcome="timeout", summary="no answer"))
    await journal.record(Entry(event="ins.search", outcome="pending", summary="about to ask"))
    await journal.record(Entry(event="relay.message.sent", outcome="ok", summary="sent"))
    insi = await entry(daemon, "insi")
    assert insi["last_success"]["event"] == "ins.search"
    assert insi["last_success"]["outcome"] == "cr01"
    assert insi["last_failure"]["summary"] == "no answer"
    assert (await entry(daemon, "relay"))["last_success"]["summary"] == "sent"
    assert (await entry(daemon, "echo"))["last_failure"] is None
    # A journal summary may name a patient: only an app that may read the journal sees it.
    listed = await daemon.get(
        "/v1/plugins", headers={"Authorization": f"Bearer {daemon.tokens['insi']}"}
    )
    seen = {p["name"]: p for p in (await listed.json())["plugins"]}["insi"]
    assert seen["last_failure"]["summary"] is None
    assert seen["last_failure"]["event"] == "ins.verify"
    # With its simulator, INSi uses the test PKI's certificates.
    assert insi["certificate"]["days_left"] > 30
    assert "CN=" in insi["certificate"]["subject"]


def test_apps_add_accepts_the_admin_scope(tmp_path):
    result = run_cli("apps", "add", "console", "--scope", "admin", "--data-dir", str(tmp_path))
    assert result.returncode == 0, result.stderr
    listed = run_cli("apps", "list", "--data-dir", str(tmp_path))
    assert "scopes=admin" in listed.stdout


def test_star_does_not_grant_admin():
    from aiguillage.clients import ClientApp

    everything = ClientApp("ehr", ("*",), (), 0.0)
    admin = ClientApp("console", ("admin",), (), 0.0)
    assert everything.has_scope("insi") and not everything.has_scope("admin")
    assert admin.has_scope("admin") and admin.has_scope("insi") and admin.has_scope("journal")


@pytest.mark.parametrize("name", BUILT_IN_PLUGINS)
async def test_each_built_in_plugin_starts_again_after_a_stop(aiohttp_client, tmp_path, pki, name):
    """``startup`` and ``shutdown`` may now run more than once in a process: started again,
    a plugin must be as it was the first time (health, simulator, API)."""
    plugins = load_plugins()
    path = tmp_path / "aiguillage.toml"
    path.write_text(
        f'[daemon]\ndata_dir = "data"\n\n[{name}]\nenabled = true\n\n'
        + "".join(f"[{other}]\nenabled = false\n\n" for other in plugins.infos if other != name)
    )
    settings = load_settings(path, plugins.infos)
    give_test_pki(settings.daemon.data_dir, pki)
    store = ClientStore(settings.daemon.data_dir)
    token = store.add("console", ["admin"])[1]
    store.close()
    client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
    client.session.headers["Authorization"] = f"Bearer {token}"
    first = await entry(client, name)
    await switch(client, name, False)
    if first["endpoint_url"]:
        assert not port_open(first["endpoint_url"]), "its simulator still listens"
    again = await switch(client, name, True)
    assert again["health"]["status"] == first["health"]["status"], again["health"]
    if first["endpoint_url"]:
        assert port_open(again["endpoint_url"])
    spec = await (await client.get("/v1/openapi.json")).json()
    prefixes = tuple(f"/v1/{p}" for p in first["api_prefixes"])
    assert [p for p in spec["paths"] if p.startswith(prefixes)]


async def test_a_restart_after_a_switch_is_no_config_change(daemon, aiohttp_client):
    """The switch journaled the file's new hash: the next start finds the file as the journal
    last knew it, and journals no second change."""
    await switch(daemon, "echo", False)
    settings, plugins = daemon.app[SETTINGS], daemon.app[PLUGINS]
    await daemon.close()
    again = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
    again.session.headers["Authorization"] = daemon.session.headers["Authorization"]
    rows = await journal_rows(again, "config.changed")
    assert len(rows) == 1 and json.loads(rows[0]["request"])["plugin"] == "echo"
    assert (await entry(again, "echo"))["enabled"] is False


async def test_last_outcomes_are_walked_back_once_then_kept(tmp_path):
    """A journal from before this feature is walked back at the first start; the next start
    reads the saved state and only the rows added since."""
    from aiguillage.journal import Entry, Journal
    from aiguillage.outcomes import FILE, Outcomes

    infos = load_plugins().infos
    journal = Journal(tmp_path, 262_144)
    try:
        await journal.record(Entry(event="ins.search", outcome="timeout", summary="old failure"))
        for n in range(30):
            await journal.record(Entry(event="dmp.document.sent", summary=f"sent {n}"))
        first = Outcomes(tmp_path, infos)
        first.open(journal.reader)
        assert first.walk_from is not None and not (tmp_path / FILE).exists()
        await first.walk_back(journal.reader)
        assert first.of("insi")["last_failure"]["summary"] == "old failure"
        assert first.of("dmp")["last_success"]["summary"] == "sent 29"
        assert first.of("insi")["last_success"] is None
        assert (tmp_path / FILE).exists()

        await journal.record(Entry(event="ins.verify", outcome="cr00", summary="verified"))
        again = Outcomes(tmp_path, infos)
        again.open(journal.reader)
        assert again.walk_from is None  # nothing to walk: the saved state and one new row
        assert again.of("insi")["last_success"]["summary"] == "verified"
        assert again.of("insi")["last_failure"]["summary"] == "old failure"
    finally:
        journal.close()
