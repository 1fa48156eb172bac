"""Loading plugins and calling one plugin's hooks.

Built-in plugins come through the ``aiguillage.plugins`` entry-point group exactly like third-party
ones. ``AIGUILLAGE_EXTRA_PLUGINS`` (comma-separated module paths) loads plugins that are not
installed as distributions, which is how a plugin is developed or tested.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
from collections.abc import Iterable
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any

import pluggy

from aiguillage import hookspecs
from aiguillage.hookspecs import CONTRACT_VERSION, PluginInfo

ENTRY_POINT_GROUP = "aiguillage.plugins"
EXTRA_PLUGINS_ENV = "AIGUILLAGE_EXTRA_PLUGINS"
#: Config tables and URL prefixes the core keeps for itself.
RESERVED_NAMES = frozenset({"daemon", "core", "outbox", "journal", "health", "plugins", "events"})


class PluginError(Exception):
    """A plugin could not be loaded or breaks the contract."""


class Plugins:
    """The loaded plugins: their info, and a way to call one plugin's hooks."""

    def __init__(self, pm: pluggy.PluginManager) -> None:
        self.pm = pm
        self.infos: dict[str, PluginInfo] = {}
        for plugin_name, plugin in pm.list_name_plugin():
            impl = getattr(plugin, "plugin_info", None)
            if impl is None:
                raise PluginError(f"plugin {plugin_name!r} does not implement plugin_info")
            info = impl()
            _check_info(plugin_name, info)
            self.infos[info.name] = info

    def names(self) -> list[str]:
        return list(self.infos)

    async def call(self, name: str, hook: str, **kwargs: Any) -> Any:
        """Call ``hook`` on plugin ``name`` only (``None`` if it does not implement it)."""
        impl = getattr(self.pm.get_plugin(name), hook, None)
        if impl is None:
            return None
        result = impl(**_accepted_kwargs(impl, kwargs))
        if inspect.isawaitable(result):
            result = await result
        return result

    def call_sync(self, name: str, hook: str, **kwargs: Any) -> Any:
        impl = getattr(self.pm.get_plugin(name), hook, None)
        if impl is None:
            return None
        return impl(**_accepted_kwargs(impl, kwargs))


@functools.cache
def _parameters(impl: Any) -> frozenset[str]:
    return frozenset(inspect.signature(impl).parameters)


def _accepted_kwargs(impl: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    # A hook implementation takes only the arguments it names, as pluggy allows.
    accepted = _parameters(impl)
    return {k: v for k, v in kwargs.items() if k in accepted}


def load_plugins(extra: Iterable[ModuleType | str] = ()) -> Plugins:
    """Load every plugin of the entry-point group, plus ``extra`` modules and the env variable's."""
    pm = pluggy.PluginManager("aiguillage")
    pm.add_hookspecs(hookspecs)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            module = ep.load()
        except Exception as exc:  # a broken third-party plugin must not look like our bug
            raise PluginError(f"plugin {ep.name!r} ({ep.value}) failed to import: {exc}") from exc
        _register(pm, ep.name, module)
    env_extra = [m.strip() for m in os.environ.get(EXTRA_PLUGINS_ENV, "").split(",") if m.strip()]
    for item in [*extra, *env_extra]:
        module = importlib.import_module(item) if isinstance(item, str) else item
        info = module.plugin_info()
        _register(pm, info.name, module)
    # A misspelt hook name or argument fails here, loudly, not at the first call.
    pm.check_pending()
    return Plugins(pm)


def _register(pm: pluggy.PluginManager, name: str, module: Any) -> None:
    if pm.has_plugin(name):
        raise PluginError(f"two plugins are named {name!r}")
    pm.register(module, name=name)


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
