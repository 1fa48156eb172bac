"""Hook implementations of the apcv plugin."""

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
        name="apcv",
        version=__version__,
        title="ApCV: the app version of the carte Vitale",
        api_prefixes=("apcv",),
        config=(
            ConfigKey("timeout", "float", 10.0, "seconds before a call to the service gives up"),
        ),
    )


@hookimpl
async def health(config: PluginConfig) -> Health:
    return await probe_endpoint(config.endpoint_url, wait=min(config.options["timeout"], 3.0))
