"""Hook implementations of the gs1 plugin: scanned GS1 barcodes read on the spot (no national
service is called, so no simulator and nothing journaled)."""

from __future__ import annotations

from aiguillage.plugin import Health, PluginConfig, PluginInfo, __version__, hookimpl

from .api import OPERATIONS


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(
        name="gs1",
        version=__version__,
        title="GS1 barcodes: the DataMatrix of a medicine or vaccine box",
        api_prefixes=("gs1",),
    )


@hookimpl
def register_operations(register, config: PluginConfig) -> None:
    for operation in OPERATIONS:
        register(operation)


@hookimpl
def health(config: PluginConfig) -> Health:
    # Nothing to reach: the barcode is read in the daemon.
    return Health("up", "reads barcodes in the daemon; no service to reach")
