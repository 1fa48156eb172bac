"""Hook implementations of the insi plugin."""

from __future__ import annotations

from aiguillage import __version__
from aiguillage.certificates import certificate_keys
from aiguillage.health import probe_endpoint
from aiguillage.hookspecs import ConfigKey, Health, PluginConfig, PluginInfo, hookimpl


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="insi",
        version=__version__,
        title="INSi: the national health identity (INS) teleservice",
        api_prefixes=("ins",),
        config=(
            ConfigKey("timeout", "float", 10.0, "seconds before a call to the service gives up"),
            *certificate_keys("auth_certificate", "structure authentication certificate"),
            *certificate_keys("signature_certificate", "signature certificate of the PS assertion"),
        ),
    )


@hookimpl
async def health(config: PluginConfig) -> Health:
    return await probe_endpoint(config.endpoint_url, wait=min(config.options["timeout"], 3.0))
