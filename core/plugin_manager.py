"""Loading plugins and calling one plugin's hooks through pluggy.

Built-in plugins come through the ``aiguillage.plugins`` entry-point group exactly like third-party
ones. ``AIGUILLAGE_PLUGINS`` (comma-separated names) limits which of the group's plugins load, so
that a plugin installed on the machine cannot change a run that must be repeatable (the test
suite sets it). ``AIGUILLAGE_EXTRA_PLUGINS`` (comma-separated module paths) loads plugins that are
not installed as distributions, which is how a plugin is developed or tested.

The core's own operations come through the same hook as a plugin's: the modules of
``DEFAULT_PLUGINS`` are registered with pluggy first, as datasette registers its default plugins.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import os
from collections.abc import Iterable
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any

import pluggy

from aiguillage import hookspecs
from aiguillage.hookspecs import CONTRACT_VERSION, PluginInfo

log = logging.getLogger("aiguillage")

ENTRY_POINT_GROUP = "aiguillage.plugins"
EXTRA_PLUGINS_ENV = "AIGUILLAGE_EXTRA_PLUGINS"
ONLY_PLUGINS_ENV = "AIGUILLAGE_PLUGINS"
#: The core's own operations, registered as plugins of the core (they have no config table).
DEFAULT_PLUGINS = (
    "aiguillage.routes",
    "aiguillage.outbox_api",
    "aiguillage.journal_api",
    "aiguillage.console.login",
)
#: Config tables and URL prefixes the core keeps for itself.
RESERVED_NAMES = frozenset(
    {"daemon", "core", "outbox", "journal", "health", "plugins", "events", "console", "admin"}
)


class PluginError(Exception):
    """A plugin could not be loaded or breaks the contract."""


class Plugins:
    """The loaded plugins: their info, and a way to call one plugin's hooks."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm
        self.infos: dict[str, PluginInfo] = {}
        self._callers: dict[tuple[str, str], Any] = {}
        described = {impl.plugin_name for impl in pm.hook.plugin_info.get_hookimpls()}
        for plugin_name, _ in pm.list_name_plugin():
            if plugin_name in DEFAULT_PLUGINS:
                continue
            if plugin_name not in described:
                raise PluginError(f"plugin {plugin_name!r} does not implement plugin_info")
            (info,) = self._caller(plugin_name, "plugin_info")()
            _check_info(plugin_name, info)
            self.infos[info.name] = info

    def names(self) -> list[str]:
        return list(self.infos)

    def _caller(self, name: str, hook: str) -> Any:
        """``hook`` restricted to plugin ``name``: pluggy's own calling, so ``firstresult``,
        ``specname``, ``tryfirst`` and wrappers of that plugin behave as pluggy documents."""
        key = (name, hook)
        if key not in self._callers:
            others = [p for n, p in self.pm.list_name_plugin() if n != name]
            self._callers[key] = self.pm.subset_hook_caller(hook, remove_plugins=others)
        return self._callers[key]

    def call_sync(self, name: str, hook: str, **kwargs: Any) -> Any:
        """Call ``hook`` on plugin ``name`` only; its result (``None`` if it does not implement
        it). Every argument of the hook must be given."""
        caller = self._caller(name, hook)
        result = caller(**kwargs)
        if caller.spec is not None and caller.spec.opts.get("firstresult"):
            return result
        return result[0] if result else None

    async def call(self, name: str, hook: str, **kwargs: Any) -> Any:
        """Like :meth:`call_sync`, awaiting what an ``async def`` implementation returns."""
        result = self.call_sync(name, hook, **kwargs)
        if inspect.isawaitable(result):
            result = await result
        return result


def load_plugins(
    extra: Iterable[ModuleType | str] = (), only: Iterable[str] | None = None
) -> Plugins:
    """Load the plugins of the entry-point group — those named in ``only`` (default: the
    ``AIGUILLAGE_PLUGINS`` variable; unset: all) — plus ``extra`` modules and the
    ``AIGUILLAGE_EXTRA_PLUGINS`` variable's."""
    pm = pluggy.PluginManager("aiguillage")
    pm.add_hookspecs(hookspecs)
    for default in DEFAULT_PLUGINS:
        pm.register(importlib.import_module(default), name=default)
    if only is None and os.environ.get(ONLY_PLUGINS_ENV) is not None:
        only = _names(os.environ[ONLY_PLUGINS_ENV])
    wanted = None if only is None else set(only)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if wanted is not None and ep.name not in wanted:
            continue  # not even imported: a broken one must not stop the run
        try:
            module = ep.load()
        except Exception as exc:  # a broken third-party plugin must not look like our bug
            raise PluginError(f"plugin {ep.name!r} ({ep.value}) failed to import: {exc}") from exc
        _register(pm, ep.name, module)
    for item in [*extra, *_names(os.environ.get(EXTRA_PLUGINS_ENV, ""))]:
        module = importlib.import_module(item) if isinstance(item, str) else item
        _register(pm, None, module)
    if wanted is not None:
        found = {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
        for name in sorted(wanted - found):
            log.warning("%s names %r, which no installed plugin is", ONLY_PLUGINS_ENV, name)
    # A misspelt hook name fails here, loudly, not at the first call.
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(str(exc)) from None
    return Plugins(pm)


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _register(pm: pluggy.PluginManager, name: str | None, module: Any) -> None:
    """Register ``module`` as ``name`` (an entry point's), or as the name its ``plugin_info``
    gives (an extra module)."""
    describe = getattr(module, "plugin_info", None)
    info = describe() if callable(describe) else None
    name = name or info.name
    if pm.has_plugin(name):
        raise PluginError(f"two plugins are named {name!r}")
    # The contract first: a plugin written for another one fails on its hooks' arguments
    # below, and its author must read why, not pluggy's complaint.
    if info is not None:
        _check_info(name, info)
    try:
        pm.register(module, name=name)
    except pluggy.PluginValidationError as exc:
        raise PluginError(f"plugin {name!r}: {exc}") from None


def _check_info(plugin_name: str, info: Any) -> None:
    if not isinstance(info, PluginInfo):
        raise PluginError(f"plugin {plugin_name!r}: plugin_info must return a PluginInfo")
    if info.name != plugin_name:
        raise PluginError(f"plugin registered as {plugin_name!r} calls itself {info.name!r}")
    if info.name in RESERVED_NAMES or any(p in RESERVED_NAMES for p in info.prefixes):
        raise PluginError(f"plugin {info.name!r} uses a name reserved by the core")
    if info.contract.split(".")[0] != CONTRACT_VERSION.split(".")[0]:
        raise PluginError(
            f"plugin {info.name!r} was written for contract {info.contract}, "
            f"this daemon speaks {CONTRACT_VERSION}"
        )
