"""Hook implementations of the insee plugin: birth places from INSEE's Code officiel
géographique, served from a table bundled with the daemon (no national service is called)."""

from __future__ import annotations

import asyncio

from aiguillage.plugin import (
    Health,
    PluginConfig,
    PluginInfo,
    __version__,
    birth_places,
    hookimpl,
)

from .api import OPERATIONS
from .cli import register_commands  # noqa: F401 - a hook implementation


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="insee",
        version=__version__,
        title="INSEE birth places: communes and countries valid at a birth date",
        api_prefixes=("insee",),
    )


@hookimpl
def register_operations(register, config: PluginConfig) -> None:
    for operation in OPERATIONS:
        register(operation)


@hookimpl
async def startup(config: PluginConfig) -> None:
    # Read the table now, off the event loop, so that the first search does not wait for it.
    await asyncio.to_thread(birth_places, config.data_dir)


@hookimpl
def health(config: PluginConfig) -> Health:
    """Up once the table is readable, with how many places it holds."""
    try:
        table = birth_places(config.data_dir)
    except (OSError, ValueError) as exc:
        return Health("down", f"birth-place table unreadable: {exc}")
    return Health("up", f"{len(table)} places")
