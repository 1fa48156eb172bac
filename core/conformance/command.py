"""``aiguillage conformance``: list the certification scenarios, run them, write the evidence."""

from __future__ import annotations

import asyncio
import os
import shutil
import ssl
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import click

from aiguillage import __version__, datadir
from aiguillage.config import ConfigError, config_path
from aiguillage.plugin_manager import PluginError, load_plugins
from aiguillage.simulators import Frame

from . import evidence, runner
from .proxy import InjectingProxy
from .scenarios import ScenarioError, load_all, select
from .schematron import Schematrons, SchematronUnavailable

SCHEMATRONS_ENV = "AIGUILLAGE_ANS_SCHEMATRONS"


def _cache_default() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "aiguillage" / "conformance"


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"aiguillage: {message}", err=True)
    sys.exit(code)


@click.group("conformance")
def conformance_group() -> None:
    """Certification runs (CNDA INSi and DMP): scenarios keyed by official test ids, played
    against the simulators or a test platform, with an evidence bundle per scenario."""


_scenarios_option = click.option(
    "--scenarios",
    "scenario_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="folder of scenario files (default: the ones shipped with Aiguillage)",
)


@conformance_group.command("list")
@_scenarios_option
@click.option("--suite", "suites", multiple=True, help="only this suite (insi, dmp)")
def list_command(scenario_dir: Path | None, suites: tuple[str, ...]) -> None:
    """The scenarios, one a line: test id, suite, title."""
    try:
        scenarios = select(load_all(scenario_dir), [], list(suites))
    except ScenarioError as exc:
        _fail(str(exc))
    for scenario in scenarios:
        click.echo(f"{scenario.id}\t{scenario.suite}\t{scenario.title}")


@conformance_group.command("run")
@click.argument("ids", nargs=-1)
@click.option("--suite", "suites", multiple=True, help="every scenario of this suite (repeat)")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("conformance-evidence"),
    show_default=True,
    help="where the evidence goes (replaced scenario by scenario)",
)
@click.option("--seed", default="0", show_default=True, help="seed of the generated ids")
@click.option(
    "--clock",
    default=None,
    help="frozen (default with simulators), real (default with a real endpoint), or an "
    "ISO 8601 instant",
)
@click.option(
    "--pki",
    type=click.Path(file_okay=False, path_type=Path),
    help="test PKI folder, made there the first time and reused (same keys: same frames)",
)
@click.option(
    "--schematrons",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    envvar=SCHEMATRONS_ENV,
    help="an ANS folder holding schematrons/ and jeuxDeValeurs/ to use instead of the copy "
    f"shipped with Aiguillage, e.g. a newer ANS package (or ${SCHEMATRONS_ENV})",
)
@click.option(
    "--no-schematrons", is_flag=True, help="run without the CDA checks (the reports say so)"
)
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="where the schematrons are copied and compiled once (default: "
    "~/.cache/aiguillage/conformance)",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True),
    help="config file: endpoints (simulator or a test platform's URL), certificates, IDAM",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="where each scenario's fresh data dir is made (default: a temporary folder)",
)
@click.option("--keep", is_flag=True, help="keep the scenarios' data dirs")
@_scenarios_option
def run_command(
    ids: tuple[str, ...],
    suites: tuple[str, ...],
    out: Path,
    seed: str,
    clock: str | None,
    pki: Path | None,
    schematrons: Path | None,
    no_schematrons: bool,
    cache: Path | None,
    config_file: str | None,
    data_dir: Path | None,
    keep: bool,
    scenario_dir: Path | None,
) -> None:
    """Run scenarios (by test id, e.g. 'TEST_2.04 cas2', or --suite insi --suite dmp), each
    against a fresh daemon; exit 0 when all pass, 1 otherwise."""
    try:
        chosen = select(load_all(scenario_dir), list(ids), list(suites))
    except ScenarioError as exc:
        _fail(str(exc))
    if not chosen:
        _fail("no scenario to run")
    try:
        plugins = load_plugins()
        config = config_path(config_file) if config_file else None
        clock = clock or ("frozen" if _all_simulated(config, plugins) else "real")
    except (ConfigError, PluginError) as exc:
        _fail(str(exc))
    if clock not in ("frozen", "real"):
        try:
            runner.parse_instant(clock)
        except ValueError:
            _fail(f"--clock: {clock!r} is not frozen, real or an ISO 8601 instant")
    checker = None
    if any(s.cda for s in chosen) and not no_schematrons:
        try:
            checker = Schematrons(schematrons, cache or _cache_default())
        except SchematronUnavailable as exc:
            _fail(str(exc))
    if data_dir is not None and any((data_dir / db).exists() for db in datadir.STORES):
        # Scenario folders are made and deleted in it: never in a daemon's own data dir.
        _fail(f"--data-dir {data_dir}: holds a daemon's data; give an empty or new folder")
    work = data_dir or Path(tempfile.mkdtemp(prefix="aiguillage-conformance-"))
    options = runner.Options(
        work=work,
        seed=seed,
        clock=clock,
        pki=pki,
        config=config,
        keep=keep,
    )
    try:
        results = asyncio.run(runner.run_all(chosen, options, plugins))
    except (ConfigError, ValueError, OSError) as exc:
        _fail(str(exc))
    finally:
        if data_dir is None and not keep:
            shutil.rmtree(work, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    meta = {
        "aiguillage": __version__,
        "seed": seed,
        "clock_mode": options.clock,
        "schematrons": _schematrons_label(checker, schematrons),
    }
    for result in results:
        evidence.write_bundle(result, out, checker, meta)
        verdict = "ok  " if result.passed else "FAIL"
        click.echo(f"{verdict} {result.scenario.id} ({result.seconds:.2f} s)")
        for failure in result.failures:
            click.echo(f"       {failure}")
        for note in result.notes:
            click.echo(f"       note: {note}")
    evidence.write_junit(results, out / "junit.xml")
    evidence.write_html(results, out / "report.html", meta)
    passed = sum(r.passed for r in results)
    click.echo(f"{passed}/{len(results)} passed; evidence in {out}")
    sys.exit(0 if passed == len(results) else 1)


@conformance_group.command("proxy")
@click.argument("plugin")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True),
    help="config file naming the plugin's real endpoint and certificates",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="data directory (overrides [daemon] data_dir)",
)
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="0: any free port")
@click.option(
    "--frames",
    type=click.Path(file_okay=False, path_type=Path),
    help="write each exchange there (NNNN-request.http, NNNN-response.http)",
)
def proxy_command(
    plugin: str, config_file: str | None, data_dir: Path | None, port: int, frames: Path | None
) -> None:
    """Stand the injecting proxy in front of PLUGIN's real endpoint (a test platform), for a
    harness driving a daemon of its own: point the plugin's endpoint at the printed URL, inject
    with POST /_admin/inject on it. Runs until interrupted."""
    from aiguillage.config import load_settings

    try:
        settings = load_settings(config_path(config_file), load_plugins().infos)
    except (ConfigError, PluginError) as exc:
        _fail(str(exc))
    config = settings.plugins.get(plugin)
    if config is None:
        _fail(f"no plugin {plugin!r}")
    if config.endpoint == "simulator":
        _fail(f"[{plugin}] endpoint is the simulator: inject with its own /_admin/inject")
    if data_dir:
        settings.daemon.data_dir = data_dir
    config.data_dir = settings.daemon.data_dir / "plugins" / plugin
    try:
        context = runner.upstream_context(config)
    except (OSError, ValueError) as exc:
        _fail(f"[{plugin}] certificates: {exc}")
    asyncio.run(_serve_proxy(plugin, config.endpoint, context, port, frames))


async def _serve_proxy(
    plugin: str, endpoint: str, context: ssl.SSLContext | None, port: int, frames: Path | None
) -> None:
    proxy = InjectingProxy(endpoint, context, _frame_writer(frames) if frames else None)
    url = await proxy.start(port=port)
    click.echo(f'{plugin}: injecting proxy; set endpoint = "{url}" (forwards to {endpoint})')
    sys.stdout.flush()
    try:
        await asyncio.Event().wait()
    finally:
        await proxy.stop()


def _frame_writer(folder: Path) -> Callable[[Frame], None]:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0

    def write(frame: Frame) -> None:
        nonlocal count
        count += 1
        (folder / f"{count:04d}-request.http").write_bytes(frame.request_head + frame.request_body)
        (folder / f"{count:04d}-response.http").write_bytes(
            frame.response_head + frame.response_body
        )

    return write


def _schematrons_label(checker: Schematrons | None, source: Path | None) -> str:
    if checker is None:
        return "not run"
    return f"ANS (Saxon-HE), {source or 'bundled copy'}"


def _all_simulated(config: Path | None, plugins: object) -> bool:
    """Whether every plugin the config enables talks to its simulator (a frozen clock then
    suits both sides; a real platform checks assertion times against its own clock)."""
    if config is None:
        return True
    from aiguillage.config import load_settings

    settings = load_settings(config, plugins.infos)  # type: ignore[attr-defined]
    return all(p.endpoint == "simulator" for p in settings.enabled_plugins())
