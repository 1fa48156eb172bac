"""Hook implementations of the dmp plugin."""

from __future__ import annotations

from aiguillage import __version__
from aiguillage.certificates import certificate_keys
from aiguillage.health import probe_endpoint
from aiguillage.hookspecs import ConfigKey, Health, PluginConfig, PluginInfo, hookimpl


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="dmp",
        version=__version__,
        title="DMP / Mon espace santé: the shared medical record (IHE XDS.b)",
        api_prefixes=("dmp",),
        config=(
            ConfigKey("timeout", "float", 10.0, "seconds before a call to the service gives up"),
            *certificate_keys("auth_certificate", "structure authentication certificate"),
            *certificate_keys("signature_certificate", "signature certificate of the VIHF"),
        ),
    )


@hookimpl
async def health(config: PluginConfig) -> Health:
    return await probe_endpoint(config.endpoint_url, wait=min(config.options["timeout"], 3.0))
