"""Hook implementations of the jfse plugin."""

from __future__ import annotations

from aiguillage.plugin import (
    ConfigKey,
    Health,
    PluginConfig,
    PluginInfo,
    __version__,
    hookimpl,
    probe_endpoint,
)


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="jfse",
        version=__version__,
        title="jFSE: electronic care sheets (FSE) and billing",
        api_prefixes=("jfse",),
        config=(
            ConfigKey("timeout", "float", 10.0, "seconds before a call to the service gives up"),
        ),
    )


@hookimpl
async def health(config: PluginConfig) -> Health:
    return await probe_endpoint(config.endpoint_url, wait=min(config.options["timeout"], 3.0))
