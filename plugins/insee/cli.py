"""``aiguillage insee import FILE…``: a newer INSEE Code officiel géographique in place of the
table in use (the ``register_commands`` hook)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from aiguillage.plugin import CogFileError, PluginConfig, hookimpl, import_places


@hookimpl
def register_commands(cli: click.Group, with_config: Callable[..., Any]) -> None:
    @cli.group("insee")
    def insee_group() -> None:
        """Birth places: INSEE's Code officiel géographique."""

    @insee_group.command("import")
    @click.argument(
        "files",
        nargs=-1,
        required=True,
        type=click.Path(dir_okay=False, exists=True, path_type=Path),
    )
    @with_config
    def import_command(files: tuple[Path, ...], config: PluginConfig) -> None:
        """Import INSEE's COG FILES — the communes since 1943 (v_commune_depuis_1943.csv,
        v_commune_outremer_depuis_1943.csv) and/or the countries and territories
        (v_pays_et_territoire_depuis_1943.csv, or v_pays_territoire_YYYY.csv) — in place of the
        table in use; a kind not given is kept. The table in use stays as it was if a file is
        not INSEE's format. The daemon reads the new table on its next search."""
        assert config.data_dir is not None
        try:
            report = import_places(list(files), config.data_dir, click.echo)
        except CogFileError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"imported: {report.line()}")
