"""A plugin's own commands on the ``aiguillage`` command line: the ``register_commands`` hook."""

from __future__ import annotations

import sys
import textwrap
import types
from importlib.metadata import EntryPoint
from pathlib import Path

import click
import pytest

from aiguillage import cli, plugin_manager
from aiguillage.hookspecs import PluginInfo, hookimpl
from aiguillage.plugin_manager import PluginError, load_plugins

from conftest import run_cli

COURIER = '''
import click
from aiguillage.plugin import ConfigKey, PluginConfig, PluginInfo, hookimpl

@hookimpl
def plugin_info():
    return PluginInfo("courier", "0", "Courier", config=(
        ConfigKey("greeting", "str", "hello", "what the command says"),
    ))

@hookimpl
def register_commands(cli, with_config):
    @cli.group()
    def courier():
        """The courier's rounds."""

    @courier.command("greet")
    @click.argument("name")
    @click.option("--twice", is_flag=True)
    @with_config
    def greet(name, twice, config: PluginConfig):
        """Greet NAME."""
        (config.data_dir / "greeted").write_text(name)
        for _ in range(2 if twice else 1):
            click.echo(f"{config.options['greeting']} {name} in {config.data_dir}")
'''

BROKEN = '''
import click
from aiguillage.plugin import PluginInfo, hookimpl

@hookimpl
def plugin_info():
    return PluginInfo("broken", "0", "Broken")

@hookimpl
def register_commands(cli):
    @cli.command()
    def half():
        """Registered before the failure: must not appear."""
    raise RuntimeError("no rounds today")
'''

GREEDY = '''
import click
from aiguillage.plugin import PluginInfo, hookimpl

@hookimpl
def plugin_info():
    return PluginInfo("greedy", "0", "Greedy")

@hookimpl
def register_commands(cli):
    @cli.command()
    def serve():
        """Not the daemon."""
        click.echo("greedy serve")

    @cli.command()
    def greedy():
        """Its own."""
        click.echo("greedy's own")
'''


@pytest.fixture
def plugin_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "plugins"
    folder.mkdir()
    for name, text in (("courier", COURIER), ("broken", BROKEN), ("greedy", GREEDY)):
        (folder / f"{name}_plugin.py").write_text(textwrap.dedent(text))
    (tmp_path / "aiguillage.toml").write_text("")
    return folder


def aiguillage(plugin_dir: Path, *args: str, plugins: str = "courier_plugin"):
    """``aiguillage ARGS`` with the test's plugins and config only: nothing installed on the
    machine (the built-in plugins included) changes what the test sees."""
    env = {"AIGUILLAGE_PLUGINS": "", "AIGUILLAGE_EXTRA_PLUGINS": plugins}
    env["AIGUILLAGE_CONFIG"] = str(plugin_dir.parent / "aiguillage.toml")
    return run_cli(*args, env={**env, "PYTHONPATH": str(plugin_dir)})


def test_a_plugins_command_runs_with_its_config_and_data_dir(plugin_dir, tmp_path):
    config, data_dir = tmp_path / "own.toml", tmp_path / "data"
    config.write_text('[courier]\ngreeting = "bonjour"\n')
    result = aiguillage(
        plugin_dir,
        "courier",
        "greet",
        "Ruth",
        "--twice",
        "--config",
        str(config),
        "--data-dir",
        str(data_dir),
    )
    assert result.returncode == 0, result.stderr
    folder = data_dir / "plugins" / "courier"
    assert result.stdout.splitlines() == [f"bonjour Ruth in {folder}"] * 2
    assert (folder / "greeted").read_text() == "Ruth"
    assert result.stderr == ""


def test_plugin_commands_are_listed_and_described(plugin_dir):
    listing = aiguillage(plugin_dir, "--help")
    assert listing.returncode == 0, listing.stderr
    assert "courier" in listing.stdout and "The courier's rounds." in listing.stdout
    help_ = aiguillage(plugin_dir, "courier", "greet", "--help")
    assert help_.returncode == 0, help_.stderr
    assert "--config" in help_.stdout and "--data-dir" in help_.stdout
    assert "--twice" in help_.stdout


def test_a_failing_plugin_does_not_break_the_other_commands(plugin_dir, tmp_path):
    plugins = "courier_plugin,broken_plugin,greedy_plugin"
    data_dir = str(tmp_path / "data")
    result = aiguillage(
        plugin_dir, "courier", "greet", "X", "--data-dir", data_dir, plugins=plugins
    )
    assert result.returncode == 0, result.stderr
    assert "hello X" in result.stdout
    lines = result.stderr.splitlines()
    assert lines == [
        "aiguillage: plugin 'broken': commands not registered: no rounds today",
        "aiguillage: plugin 'greedy': command 'serve' already exists; left out",
    ]
    # Nothing of the failing plugin, the greedy one's own command, the core's serve untouched.
    assert aiguillage(plugin_dir, "half", plugins=plugins).returncode == 2
    own = aiguillage(plugin_dir, "greedy", plugins=plugins)
    assert (own.returncode, own.stdout) == (0, "greedy's own\n")
    serve = aiguillage(plugin_dir, "serve", "--help", plugins=plugins)
    assert serve.returncode == 0 and "Run the daemon." in serve.stdout
    assert "greedy" not in serve.stderr  # a core command does not even load the plugins'


def test_a_core_command_never_loads_plugin_commands(plugin_dir, tmp_path):
    result = aiguillage(
        plugin_dir, "config", "check", "--data-dir", str(tmp_path), plugins="broken_plugin"
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def make_plugin(name: str, **hooks) -> types.ModuleType:
    module = types.ModuleType(f"{name}_plugin")

    @hookimpl
    def plugin_info():
        return PluginInfo(name=name, version="0", title=name)

    module.plugin_info = plugin_info
    for hook_name, fn in hooks.items():
        setattr(module, hook_name, hookimpl(fn))
    return module


def test_an_unknown_argument_of_register_commands_is_refused_at_load():
    with pytest.raises(PluginError, match="settings"):
        load_plugins(
            extra=[make_plugin("extra", register_commands=lambda cli, settings: None)], only=[]
        )


def test_an_async_register_commands_is_refused(monkeypatch, capsys):
    async def register_commands(cli):
        cli.command("never")(lambda: None)

    module = make_plugin("extra", register_commands=register_commands)
    monkeypatch.setattr(cli, "load_plugins", lambda: load_plugins(extra=[module], only=[]))
    assert cli.plugin_commands(set()) == {}
    assert capsys.readouterr().err == (
        "aiguillage: plugin 'extra': commands not registered: register_commands must not be async\n"
    )


def test_plugin_commands_come_from_the_plugins_aiguillage_plugins_names(monkeypatch):
    """An installed plugin left out of ``AIGUILLAGE_PLUGINS`` adds no command (it is not even
    imported); named, it does."""

    def register_commands(cli):
        @cli.command()
        def rounds():
            """The courier's rounds."""

    module = make_plugin("courier", register_commands=register_commands)
    monkeypatch.setitem(sys.modules, "courier_installed", module)
    installed = EntryPoint("courier", "courier_installed", plugin_manager.ENTRY_POINT_GROUP)
    monkeypatch.setattr(plugin_manager, "entry_points", lambda group: [installed])
    monkeypatch.setenv("AIGUILLAGE_PLUGINS", "insi")
    assert cli.plugin_commands(set()) == {}
    monkeypatch.setenv("AIGUILLAGE_PLUGINS", "insi,courier")
    found = cli.plugin_commands(set())
    assert list(found) == ["rounds"] and isinstance(found["rounds"], click.Command)
