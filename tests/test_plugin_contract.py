"""The plugin contract: loading, loud failures, and the docs that cannot rot."""

from __future__ import annotations

import inspect
import re
import types

import pluggy
import pytest

from aiguillage import hookspecs
from aiguillage.app import collect_operations
from aiguillage.config import load_settings
from aiguillage.hookspecs import Operation, PluginInfo, hookimpl
from aiguillage.plugin_manager import PluginError, load_plugins

from conftest import ROOT, run_cli

HOOKS = sorted(
    name
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(fn, "aiguillage_spec")
)


def make_plugin(name: str = "extra", **hooks) -> types.ModuleType:
    module = types.ModuleType(f"plugin_{name}")
    contract = hooks.pop("contract", hookspecs.CONTRACT_VERSION)
    prefixes = hooks.pop("prefixes", ())

    @hookimpl
    def plugin_info():
        return PluginInfo(
            name=name, version="0", title=name, contract=contract, api_prefixes=prefixes
        )

    module.plugin_info = plugin_info
    for hook_name, fn in hooks.items():
        setattr(module, hook_name, hookimpl(fn))
    return module


def test_every_hook_is_documented():
    docs = (ROOT / "docs" / "plugins.md").read_text()
    assert HOOKS, "no hookspec found"
    for name in HOOKS:
        assert re.search(rf"^### `{name}\(", docs, re.M), f"{name} is not documented"
        assert getattr(hookspecs, name).__doc__, f"{name} has no docstring"


def test_documented_hooks_exist():
    docs = (ROOT / "docs" / "plugins.md").read_text()
    for name in re.findall(r"^### `(\w+)\(", docs, re.M):
        assert name in HOOKS, f"docs describe a hook that does not exist: {name}"


def test_built_in_plugins_come_through_the_entry_point_group():
    from importlib.metadata import entry_points

    names = {ep.name for ep in entry_points(group="aiguillage.plugins")}
    assert {"insi", "dmp", "mssante", "apcv", "jfse"} <= names
    assert set(load_plugins().infos) >= names


def test_misspelt_hook_fails_at_load():
    module = make_plugin()

    @hookimpl
    def helth(config):
        return None

    module.helth = helth
    with pytest.raises(pluggy.PluginValidationError, match="helth"):
        load_plugins(extra=[module])


def test_unknown_hook_argument_fails_at_load():
    with pytest.raises(pluggy.PluginValidationError, match="settings"):
        load_plugins(extra=[make_plugin(health=lambda settings: None)])


def test_other_contract_major_refused():
    with pytest.raises(PluginError, match=r"written for contract 2\.0"):
        load_plugins(extra=[make_plugin(contract="2.0")])


def test_duplicate_and_reserved_names_refused():
    with pytest.raises(PluginError, match="two plugins are named 'insi'"):
        load_plugins(extra=[make_plugin("insi")])
    with pytest.raises(PluginError, match="reserved"):
        load_plugins(extra=[make_plugin("outbox")])


def test_operation_outside_the_plugins_prefix_refused():
    def register_operations(register):
        register(Operation("GET", "/v1/health2", "x", handler=None))

    plugins = load_plugins(extra=[make_plugin("extra", register_operations=register_operations)])
    with pytest.raises(PluginError, match="not under /v1/extra/"):
        collect_operations(load_settings(None, plugins.infos), plugins)


def test_extra_plugins_from_the_environment():
    result = run_cli(
        "plugins",
        env={"AIGUILLAGE_EXTRA_PLUGINS": "echo_plugin", "PYTHONPATH": str(ROOT / "tests")},
    )
    assert result.returncode == 0, result.stderr
    assert "echo\t1.0\tenabled" in result.stdout


def test_broken_extra_plugin_is_one_line(tmp_path):
    (tmp_path / "broken_plugin.py").write_text(
        "from aiguillage.hookspecs import hookimpl, PluginInfo\n"
        "@hookimpl\ndef plugin_info():\n    return PluginInfo('broken', '0', 'b', contract='9.0')\n"
    )
    result = run_cli(
        "plugins", env={"AIGUILLAGE_EXTRA_PLUGINS": "broken_plugin", "PYTHONPATH": str(tmp_path)}
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "aiguillage: plugin 'broken' was written for contract 9.0, this daemon speaks "
        f"{hookspecs.CONTRACT_VERSION}"
    )
