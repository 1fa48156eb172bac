"""The plugin contract: loading, loud failures, and the docs that cannot rot."""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
import types

import pytest

from aiguillage import hookspecs
from aiguillage.app import collect_operations
from aiguillage.config import load_settings
from aiguillage.hookspecs import Health, Operation, PluginInfo, hookimpl
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
    with pytest.raises(PluginError, match="helth"):
        load_plugins(extra=[module])


def test_unknown_hook_argument_fails_at_load():
    with pytest.raises(PluginError, match="settings"):
        load_plugins(extra=[make_plugin(health=lambda settings: None)])


def test_other_contract_major_refused():
    with pytest.raises(PluginError, match=r"written for contract 3\.0"):
        load_plugins(extra=[make_plugin(contract="3.0")])


def test_a_plugin_of_the_previous_contract_is_told_so():
    """Its hooks take arguments this contract dropped (``startup(app, config)``): the error
    names the contract, not the argument."""
    old = make_plugin(contract="1.0", startup=lambda app, config: None)
    with pytest.raises(PluginError, match=r"written for contract 1\.0, this daemon speaks 2\."):
        load_plugins(extra=[old])


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


# --- the public plugin API ------------------------------------------------------------------


def _imports(path):
    """Every ``(module, names, level)`` a Python file imports."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, (), 0
        elif isinstance(node, ast.ImportFrom):
            yield node.module or "", tuple(a.name for a in node.names), node.level


def test_plugins_import_nothing_of_the_core_but_the_public_module():
    """Built-in plugins and the example import ``aiguillage.plugin`` only (their own package
    relatively); never another plugin."""
    folders = [p for p in (ROOT / "plugins").iterdir() if p.is_dir() and p.name != "__pycache__"]
    folders.append(ROOT / "docs" / "examples" / "courier")
    checked = 0
    for folder in folders:
        own = f"aiguillage.plugins.{folder.name}"
        for path in folder.rglob("*.py"):
            checked += 1
            for module, names, level in _imports(path):
                where = f"{path.relative_to(ROOT)} imports {module or '.'} {names}"
                if level:
                    depth = len(path.relative_to(folder).parts)  # 1: a module of the folder
                    assert level <= depth, f"{where}: reaches out of its plugin"
                    continue
                if module == "aiguillage" or module.startswith("aiguillage."):
                    assert module == "aiguillage.plugin" or module.startswith(own), where
    assert checked > 20, f"only {checked} files checked"


def test_every_export_of_the_public_module_is_documented():
    import aiguillage.plugin as public

    docs = (ROOT / "docs" / "plugins.md").read_text()
    assert len(public.__all__) > 40
    for name in public.__all__:
        assert hasattr(public, name), f"aiguillage.plugin has no {name}"
        assert re.search(rf"`{re.escape(name)}[`(.\[ ]", docs), f"{name} is not in docs/plugins.md"


def test_the_delivery_path_does_not_import_the_http_module():
    code = (
        "import sys, aiguillage.plugins.dmp.delivery; "
        "print('aiguillage.plugins.dmp.api' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


# --- hooks are pluggy's ---------------------------------------------------------------------


def test_one_plugins_hook_is_called_with_pluggys_specname_and_wrappers(tmp_path):
    """Hooks go through pluggy: an implementation named by ``specname`` is found, a wrapper
    of the plugin wraps it, and another plugin's implementation is not called."""
    module = make_plugin("first")

    @hookimpl(specname="health")
    def report(config):
        return Health("degraded", "first's own")

    @hookimpl(specname="classify_error")
    def classify(error, config):
        return None

    @hookimpl(wrapper=True, specname="classify_error")
    def classify_wrapper(error, config):
        verdict = yield
        return verdict or "transient"

    module.report, module.classify, module.classify_wrapper = report, classify, classify_wrapper
    other = make_plugin("second", health=lambda config: Health("up", "second's"))
    plugins = load_plugins(extra=[module, other], only=[])
    health = plugins.call_sync("first", "health", config=None)
    assert (health.status, health.detail) == ("degraded", "first's own")
    assert plugins.call_sync("second", "health", config=None).detail == "second's"
    verdict = plugins.call_sync("first", "classify_error", error=ValueError(), config=None)
    assert verdict == "transient"
    assert plugins.call_sync("second", "deliver", item=None, config=None) is None


def test_the_cores_operations_come_through_the_same_hook():
    plugins = load_plugins(only=[])
    registered: list[Operation] = []
    plugins.call_sync(
        "aiguillage.outbox_api", "register_operations", register=registered.append, config=None
    )
    assert "/v1/outbox/{id}" in {op.path for op in registered}
    paths = {op.path for op in collect_operations(load_settings(None, plugins.infos), plugins)}
    assert {"/v1/health", "/v1/outbox", "/v1/journal"} <= paths
