"""Hook implementations of the mssante plugin."""

from __future__ import annotations

from aiguillage.plugin import (
    ConfigKey,
    Health,
    PluginConfig,
    PluginInfo,
    __version__,
    certificate_keys,
    hookimpl,
    probe_endpoint,
)


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="mssante",
        version=__version__,
        title="MSSanté: the secure health mail",
        api_prefixes=("mssante",),
        config=(
            ConfigKey("timeout", "float", 10.0, "seconds before a call to the service gives up"),
            *certificate_keys("auth_certificate", "client certificate for SMTP and IMAP"),
        ),
    )


@hookimpl
async def health(config: PluginConfig) -> Health:
    return await probe_endpoint(config.endpoint_url, wait=min(config.options["timeout"], 3.0))
