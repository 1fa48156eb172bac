"""Runs certification scenarios: for each, a fresh daemon on a free port with its own data
directory, the plugins it needs talking to their simulators (or, with a config file naming real
endpoints, to the real test platform through the injecting proxy), its steps played in order,
and everything an assessor asks for kept: the API exchanges, the frames on the wire, the
journal rows."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web
from cryptography import x509

from aiguillage import determinism, simulators
from aiguillage.app import create_app
from aiguillage.appkeys import JOURNAL
from aiguillage.clients import ClientStore
from aiguillage.config import Settings, load_settings
from aiguillage.journal import JournalFilter, select
from aiguillage.plugin_manager import Plugins, load_plugins
from aiguillage.security.credentials import (
    client_context,
    configured_credential,
    configured_trust,
    load_credential,
)
from aiguillage.security.testpki import TestPki, make_test_pki

from .proxy import InjectingProxy
from .scenarios import Scenario

log = logging.getLogger(__name__)

#: Seconds a wait for the outbox may take before the step fails.
WAIT_LIMIT = 30.0
#: The journal keeps whole exchanges in a run (the default caps each at 256 KiB).
RUN_EXCHANGE_BYTES = 64 * 1024 * 1024
#: Where the frozen clock stands: this long after the test PKI's certificates start to be valid,
#: so that the same PKI gives the same instant, and the same frames, run after run.
CLOCK_AFTER_PKI = dt.timedelta(hours=1)
#: The installation id ContexteLPS carries in a run (otherwise one generated per data dir).
RUN_INSTANCE = "aiguillage-conformance"
#: Seconds a step's expected journal rows may take to appear after its answer.
JOURNAL_GRACE = 2.0
TERMINAL = {"sent", "failed", "dead", "cancelled"}
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass
class Options:
    work: Path  # where data dirs go (deleted after the run unless ``keep``)
    seed: str = "0"
    clock: str = "frozen"  # frozen | real | an ISO 8601 instant
    pki: Path | None = None
    config: Path | None = None
    keep: bool = False


@dataclass
class CapturedFrame:
    step: int
    plugin: str
    frame: simulators.Frame


@dataclass
class StepResult:
    number: int
    kind: str
    label: str
    failures: list[str] = field(default_factory=list)
    exchange: dict[str, Any] | None = None
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class ScenarioResult:
    scenario: Scenario
    steps: list[StepResult] = field(default_factory=list)
    frames: list[CapturedFrame] = field(default_factory=list)
    journal: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    clock: str | None = None
    extra_failures: list[str] = field(default_factory=list)  # the CDA checks add theirs
    notes: list[str] = field(default_factory=list)  # what was not checked, and why

    @property
    def failures(self) -> list[str]:
        found = [f"step {s.number} ({s.label}): {f}" for s in self.steps for f in s.failures]
        return ([self.error] if self.error else []) + found + self.extra_failures

    @property
    def passed(self) -> bool:
        return not self.failures


def run_pki(options: Options) -> TestPki:
    """The test PKI of the run: ``options.pki`` (made there the first time, reused after: the
    same keys sign the same bytes), else a new one in the work folder."""
    directory = options.pki or options.work / "test-pki"
    password_file = directory / "password.txt"
    if password_file.exists():
        return TestPki(directory, password_file.read_text())
    return make_test_pki(directory)


def frozen_instant(options: Options, pki: TestPki) -> dt.datetime | None:
    """The instant the run's clock stands at; ``None`` for the real clock."""
    if options.clock == "real":
        return None
    if options.clock != "frozen":
        return parse_instant(options.clock)
    leaf = x509.load_pem_x509_certificates(pki.ca_bundle.read_bytes())[0]
    return leaf.not_valid_before_utc.replace(microsecond=0) + CLOCK_AFTER_PKI


def parse_instant(text: str) -> dt.datetime:
    """An ISO 8601 instant (UTC when it names no offset); ``ValueError`` when it is none."""
    instant = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)


async def run_all(
    scenarios: list[Scenario], options: Options, plugins: Plugins | None = None
) -> list[ScenarioResult]:
    options.work.mkdir(parents=True, exist_ok=True)
    pki = run_pki(options)
    plugins = plugins or load_plugins()
    results = []
    try:
        for scenario in scenarios:
            results.append(await run_one(scenario, options, pki, plugins))
    finally:
        determinism.seed(None)
        determinism.freeze(None)
        simulators.capture_frames(None)
    return results


async def run_one(
    scenario: Scenario, options: Options, pki: TestPki, plugins: Plugins
) -> ScenarioResult:
    result = ScenarioResult(scenario)
    started = time.perf_counter()
    data_dir = options.work / "data" / scenario.folder_name
    if data_dir.exists():
        shutil.rmtree(data_dir)
    try:
        settings = _settings(scenario, options, pki, plugins, data_dir)
    except (ValueError, OSError) as exc:
        result.error = f"cannot set the daemon up: {exc}"
        return result
    # Seeded per scenario: one scenario's ids do not depend on which ran before it.
    determinism.seed(f"{options.seed}:{scenario.id}")
    instant = frozen_instant(options, pki)
    determinism.freeze(instant)
    result.clock = instant.isoformat() if instant else None
    daemon = Daemon(settings, plugins, result)
    try:
        await daemon.start()
        await _play(scenario, daemon, result)
    except Exception as exc:  # the run goes on with the next scenario; this one failed
        log.warning("%s: the run stopped", scenario.id, exc_info=True)
        result.error = f"{type(exc).__name__}: {exc}"
    finally:
        with_journal = daemon.journal_rows()
        result.journal = with_journal
        await daemon.stop()
        result.seconds = time.perf_counter() - started
        if not options.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    return result


def _settings(
    scenario: Scenario, options: Options, pki: TestPki, plugins: Plugins, data_dir: Path
) -> Settings:
    settings = load_settings(options.config, plugins.infos)
    settings.daemon.data_dir = data_dir
    data_dir.mkdir(mode=0o700, parents=True)
    (data_dir / "plugins").mkdir(mode=0o700)
    settings.daemon.port = 0
    settings.journal.max_exchange_bytes = RUN_EXCHANGE_BYTES
    for name, config in settings.plugins.items():
        config.enabled = name in scenario.plugins
        if not config.enabled:
            continue
        (data_dir / "plugins" / name).mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.copytree(pki.directory, data_dir / "plugins" / name / "test-pki")
        if "software_instance" in config.options and not config.options["software_instance"]:
            config.options["software_instance"] = RUN_INSTANCE
        if config.endpoint == "simulator":
            # A fixed latency: what the simulator answers does not hang on a draw.
            config.options["simulator_latency_ms"] = scenario.latency_ms
            config.options["simulator_error_rate"] = 0.0
            config.options["simulator_outage"] = False
    missing = [p for p in scenario.plugins if p not in settings.plugins]
    if missing:
        raise ValueError(f"plugins not installed: {', '.join(missing)}")
    return settings


class Daemon:
    """The daemon of one scenario, in this process, with a token holding every scope."""

    def __init__(self, settings: Settings, plugins: Plugins, result: ScenarioResult) -> None:
        self.settings = settings
        self.plugins = plugins
        self.result = result
        self.step = 0
        self.proxies: dict[str, InjectingProxy] = {}
        self.ports: dict[int, str] = {}
        self._runner: web.AppRunner | None = None
        self._app: web.Application | None = None
        self.http: aiohttp.ClientSession | None = None
        self.admin: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        store = ClientStore(self.settings.daemon.data_dir)
        try:
            token = store.add("conformance", ["*"])[1]
        finally:
            store.close()
        for config in self.settings.enabled_plugins():
            if config.endpoint != "simulator":
                # A real platform: the injecting proxy stands in front of it.
                proxy = InjectingProxy(
                    config.endpoint, upstream_context(config), self._capture_for(config.name)
                )
                config.endpoint = await proxy.start()
                self.proxies[config.name] = proxy
        simulators.capture_frames(self._capture)
        self._app = create_app(self.settings, self.plugins)
        self._runner = web.AppRunner(self._app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]
        for config in self.settings.enabled_plugins():
            if config.name not in self.proxies and config.endpoint_url:
                self.ports[urlsplit(config.endpoint_url).port] = config.name
        self.http = aiohttp.ClientSession(
            f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"}
        )

    def _capture(self, frame: simulators.Frame) -> None:
        plugin = self.ports.get(frame.port)
        if plugin is not None:
            self.result.frames.append(CapturedFrame(self.step, plugin, frame))

    def _capture_for(self, plugin: str) -> Callable[[simulators.Frame], None]:
        def listener(frame: simulators.Frame) -> None:
            self.result.frames.append(CapturedFrame(self.step, plugin, frame))

        return listener

    def journal_rows(self) -> list[dict[str, Any]]:
        if self._app is None or JOURNAL not in self._app:
            return []
        return list(select(self._app[JOURNAL].reader, JournalFilter(limit=None, ascending=True)))

    def last_seq(self) -> int:
        rows = self.journal_rows()
        return rows[-1]["seq"] if rows else 0

    async def inject(self, plugin: str, body: bytes, query: dict[str, str]) -> None:
        """Have ``plugin``'s endpoint answer ``body``: its proxy, or its simulator's
        ``/_admin/inject`` (over TLS, with a client certificate of the test PKI)."""
        if plugin in self.proxies:
            self.proxies[plugin].inject_from(query, body)
            return
        config = self.settings.plugins[plugin]
        if not config.endpoint_url:
            raise ValueError(f"{plugin}: no endpoint to inject into")
        parts = urlsplit(config.endpoint_url)
        if self.admin is None:
            folder = config.data_dir / "test-pki"
            pki = TestPki(folder, (folder / "password.txt").read_text())
            credential = load_credential(pki.p12("structure-auth"), pki.password)
            context = client_context(credential, pki.ca_bundle)
            self.admin = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=context))
        url = f"{parts.scheme}://{parts.netloc}/_admin/inject"
        async with self.admin.post(url, params=query, data=body) as reply:
            if reply.status != 200:
                raise ValueError(f"{plugin} simulator refused the injection: {await reply.text()}")

    async def stop(self) -> None:
        simulators.capture_frames(None)
        for session in (self.http, self.admin):
            if session is not None:
                await session.close()
        if self._runner is not None:
            await self._runner.cleanup()
        for proxy in self.proxies.values():
            await proxy.stop()


def upstream_context(config: Any) -> Any:
    """The TLS the plugin itself would use towards the real endpoint (its certificates);
    ``None`` for a plain HTTP endpoint."""
    if not config.endpoint.startswith("https://"):
        return None
    credential = configured_credential(config, "auth_certificate", "structure-auth")
    return client_context(credential, configured_trust(config))


# --- the steps ------------------------------------------------------------------------------


async def _play(scenario: Scenario, daemon: Daemon, result: ScenarioResult) -> None:
    saved: dict[str, Any] = {}
    for number, raw in enumerate(scenario.steps, 1):
        daemon.step = number
        step = _substitute(raw, saved)
        before = daemon.last_seq()
        started = time.perf_counter()
        if "inject" in step:
            outcome = StepResult(number, "inject", f"inject {step['inject']} {step['file']}")
            keys = ("times", "status", "content_type", "path")
            query = {k: str(step[k]) for k in keys if k in step}
            try:
                await daemon.inject(step["inject"], step["file_bytes"], query)
            except (ValueError, aiohttp.ClientError) as exc:
                outcome.failures.append(str(exc))
        elif "call" in step:
            outcome = StepResult(number, "call", step["call"])
            rid = re.sub(r"[^A-Za-z0-9._:@-]+", "_", f"{scenario.id}-{number}")
            await _call(step, daemon, outcome, saved, rid)
        else:
            outcome = StepResult(number, "wait", f"wait outbox {step.get('item')}")
            await _wait(step, daemon, outcome)
        outcome.seconds = time.perf_counter() - started
        # A delivery journals its outcome just after the outbox shows it: give it a moment.
        deadline = time.monotonic() + JOURNAL_GRACE
        while True:
            rows = [r for r in daemon.journal_rows() if r["seq"] > before]
            missing = _check_journal(step.get("expect", {}), rows)
            if not missing or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.02)
        outcome.failures += missing
        frames = [f for f in result.frames if f.step == number]
        _check_frames(step.get("expect", {}), frames, outcome)
        result.steps.append(outcome)


async def _call(
    step: dict[str, Any], daemon: Daemon, outcome: StepResult, saved: dict[str, Any], rid: str
) -> None:
    method, path = step["call"].split(" ", 1)
    headers = {"X-Request-Id": rid, **step.get("headers", {})}
    body = step.get("body")
    async with daemon.http.request(method, path, json=body, headers=headers) as reply:
        raw = await reply.read()
        try:
            answer = json.loads(raw) if raw else None
        except ValueError:
            answer = None
        outcome.exchange = {
            "request": {"method": method, "path": path, "headers": headers, "body": body},
            "response": {
                "status": reply.status,
                "headers": {k: v for k, v in reply.headers.items() if k.lower() != "date"},
                "body": answer if answer is not None else raw.decode("utf-8", "replace"),
            },
        }
    expect = step.get("expect", {})
    if "status" in expect and reply.status != expect["status"]:
        outcome.failures.append(f"status {reply.status}, expected {expect['status']}: {answer}")
    for name, wanted in expect.get("headers", {}).items():
        if reply.headers.get(name) != wanted:
            outcome.failures.append(f"header {name}: {reply.headers.get(name)!r}, not {wanted!r}")
    for dotted, wanted in expect.get("fields", {}).items():
        found, value = _dig(answer, dotted)
        if not found:
            outcome.failures.append(f"field {dotted}: absent, expected {wanted!r}")
        elif value != wanted:
            outcome.failures.append(f"field {dotted}: {value!r}, expected {wanted!r}")
    for dotted in expect.get("absent", []):
        found, value = _dig(answer, dotted)
        if found and value is not None:
            outcome.failures.append(f"field {dotted}: {value!r}, expected absent or null")
    for name, dotted in step.get("save", {}).items():
        found, value = _dig(answer, dotted)
        if not found:
            outcome.failures.append(f"save {name}: no field {dotted} in the answer")
        saved[name] = value


async def _wait(step: dict[str, Any], daemon: Daemon, outcome: StepResult) -> None:
    """Until the outbox item is in a final state (``sent``, ``failed``…), then its state is
    checked against ``expect.state``."""
    deadline = time.monotonic() + float(step.get("timeout", WAIT_LIMIT))
    item: dict[str, Any] = {}
    while time.monotonic() < deadline:
        async with daemon.http.get(f"/v1/outbox/{step['item']}") as reply:
            item = await reply.json()
        if item.get("state") in TERMINAL:
            break
        await asyncio.sleep(0.05)
    outcome.exchange = {"request": {"method": "GET", "path": f"/v1/outbox/{step['item']}"}}
    outcome.exchange["response"] = {"status": 200, "body": item}
    wanted = step.get("expect", {}).get("state")
    if item.get("state") not in TERMINAL:
        outcome.failures.append(f"outbox item still {item.get('state')!r} after the wait")
    elif wanted and item.get("state") != wanted:
        outcome.failures.append(
            f"outbox item {item.get('state')!r}, expected {wanted!r}: {item.get('last_error')}"
        )
    for dotted, value in step.get("expect", {}).get("fields", {}).items():
        found, got = _dig(item, dotted)
        if not found or got != value:
            outcome.failures.append(f"item field {dotted}: {got!r}, expected {value!r}")


def _check_journal(expect: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    """Each expected row (its given columns) is among the rows the step wrote."""
    missing = []
    for wanted in expect.get("journal", []):
        if not any(all(row.get(k) == v for k, v in wanted.items()) for row in rows):
            seen = [(r["event"], r["outcome"]) for r in rows]
            missing.append(f"journal: no row {wanted} among {seen}")
    return missing


def _check_frames(expect: dict[str, Any], frames: list[CapturedFrame], outcome: StepResult) -> None:
    """``frames``: per plugin, how many exchanges went on the wire in this step, and strings the
    requests and answers must hold (in any of them)."""
    for wanted in expect.get("frames", []):
        mine = [f.frame for f in frames if f.plugin == wanted["plugin"]]
        if "count" in wanted and len(mine) != wanted["count"]:
            outcome.failures.append(
                f"frames: {len(mine)} {wanted['plugin']} exchanges, expected {wanted['count']}"
            )
        for side, attribute in (("request", "request_body"), ("response", "response_body")):
            for text in wanted.get(f"{side}_contains", []):
                if not any(text.encode() in getattr(f, attribute) for f in mine):
                    outcome.failures.append(f"frames: no {wanted['plugin']} {side} holds {text!r}")


def _dig(value: Any, dotted: str) -> tuple[bool, Any]:
    for part in dotted.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        elif part == "length" and isinstance(value, list):
            value = len(value)
        else:
            return False, None
    return True, value


def _substitute(value: Any, saved: dict[str, Any]) -> Any:
    if isinstance(value, str):
        whole = _VARIABLE.fullmatch(value)
        if whole:
            return saved.get(whole.group(1), value)
        return _VARIABLE.sub(lambda m: str(saved.get(m.group(1), m.group(0))), value)
    if isinstance(value, dict):
        return {k: _substitute(v, saved) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, saved) for v in value]
    return value
