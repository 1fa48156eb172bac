"""``aiguillage directory import FILE`` and ``aiguillage directory search Q``: the MSSanté
directory on the command line (the ``register_commands`` hook)."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from aiguillage.plugin import PluginConfig, hookimpl

from . import directory


@hookimpl
def register_commands(cli: click.Group, with_config: Callable[..., Any]) -> None:
    @cli.group("directory")
    def directory_group() -> None:
        """The public MSSanté directory, searchable offline."""

    @directory_group.command("import")
    @click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
    @with_config
    def import_command(file: Path, config: PluginConfig) -> None:
        """Import FILE, the directory extraction (Extraction_Correspondance_MSSante, the .zip or
        the .txt from annuaire.sante.fr), in place of the directory imported before — which
        stays as it was if this import fails."""
        assert config.data_dir is not None
        with _progress_bar() as progress:
            try:
                report = directory.import_extraction(file, config.data_dir, progress)
            except directory.DirectoryError as exc:
                raise click.ClickException(str(exc)) from None
        for bad in report.first_bad:
            click.echo(f"line {bad.line}: {bad.reason}", err=True)
        if report.bad > len(report.first_bad):
            click.echo(f"… and {report.bad - len(report.first_bad)} more bad rows", err=True)
        click.echo(report.line())

    @directory_group.command("search")
    @click.argument("q", required=False)
    @click.option("--rpps", help="the practitioner's RPPS (Identifiant PP), exactly")
    @click.option("--postcode", help="the structure's postcode, exactly")
    @click.option("--profession", help="a profession code (10) or label (Médecin), exactly")
    @click.option(
        "--limit", type=click.IntRange(1, directory.MAX_LIMIT), default=20, show_default=True
    )
    @with_config
    def search_command(
        q: str | None,
        rpps: str | None,
        postcode: str | None,
        profession: str | None,
        limit: int,
        config: PluginConfig,
    ) -> None:
        """Mailboxes whose names, city or profession start with each word of Q, one a line:
        address, type, name, profession, postcode and city."""
        assert config.data_dir is not None
        criteria = {"rpps": rpps, "postcode": postcode, "profession": profession}
        try:
            found = directory.search(
                config.data_dir / directory.DB_NAME, q, **criteria, limit=limit
            )
        except (directory.DirectoryError, ValueError) as exc:
            raise click.ClickException(str(exc)) from None
        for entry in found:
            click.echo("\t".join(_columns(entry)))


def _columns(entry: dict[str, Any]) -> list[str]:
    names = entry["names"]
    name = " ".join(filter(None, (names["family"], names["given"])))
    if not name and entry["structure"]:
        name = " — ".join(filter(None, (entry["structure"]["name"], entry["structure"]["service"])))
    profession = (entry["profession"] or {}).get("label") or ""
    place = [entry["postcode"] or "", entry["city"] or ""]
    return [entry["address"], entry["type"] or "", name, profession, *place]


@contextlib.contextmanager
def _progress_bar() -> Iterator[directory.Progress | None]:
    """A progress bar over the bytes read, on a terminal only: a script's output stays the one
    final line."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=1, label="importing", file=sys.stderr) as bar:
        shown = 0

        def progress(done: int, total: int) -> None:
            nonlocal shown
            bar.length = max(total, 1)
            bar.update(done - shown)
            shown = done

        yield progress
