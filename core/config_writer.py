"""Switching a plugin on or off in the config file, as an admin would with an editor.

Only the ``enabled`` value of the plugin's table changes: the admin's comments, order and
spacing stay as written. The edited text is parsed again and must differ from the old one by
that value alone (else nothing is written), then it must pass the start-up validation. The new
file replaces the old one atomically (a temporary file in the same folder, synced, renamed over
it, the folder synced), and the previous content is kept beside it as ``<name>.bak``.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from aiguillage.config import ConfigError, Settings, load_settings
from aiguillage.files import sync_folder, synced_temp
from aiguillage.hookspecs import PluginInfo

BACKUP_SUFFIX = ".bak"

#: A table header naming one table: ``[insi]``, ``[ "insi" ]``, with an optional comment.
_HEADER = re.compile(
    r"""[ \t]*\[[ \t]*(?P<name>[A-Za-z0-9_-]+|"[^"\\\n]*"|'[^'\n]*')[ \t]*\][ \t]*(?:\#.*)?"""
)
#: Any table header, ``[x]``, ``[x.y]`` or ``[[x]]``: where the previous table ends.
_ANY_HEADER = re.compile(r"[ \t]*\[")
_ENABLED = re.compile(
    r"""(?P<lead>[ \t]*(?:enabled|"enabled"|'enabled')[ \t]*=[ \t]*)(?P<value>true|false)"""
    r"""(?P<rest>[ \t]*(?:\#.*)?)"""
)


class ConfigWriteError(Exception):
    """The change cannot be written. ``kind``: ``invalid`` (the result fails the start-up
    validation), ``not-editable`` (the file is written in a form this cannot safely change,
    or it changed while being edited)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def with_enabled(text: str, plugin: str, enabled: bool) -> str:
    """``text`` with ``enabled`` of table ``[plugin]`` set: the value replaced where the key
    is written, the key added under the table's header where it is not, the table appended
    where there is none. Nothing else of the text changes."""
    value = "true" if enabled else "false"
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if "\r\n" in text else "\n"
    headers = [i for i, line in enumerate(lines) if _names_table(line, plugin)]
    if len(headers) > 1:
        raise ConfigWriteError("not-editable", f"the [{plugin}] table is written twice")
    if not headers:
        ending = "" if not text or text.endswith("\n") else newline
        blank = newline if text.strip() else ""
        return f"{text}{ending}{blank}[{plugin}]{newline}enabled = {value}{newline}"
    start = headers[0]
    end = next((j for j in range(start + 1, len(lines)) if _ANY_HEADER.match(lines[j])), len(lines))
    for j in range(start + 1, end):
        body, ending = _split(lines[j])
        match = _ENABLED.fullmatch(body)
        if match:
            lines[j] = f"{match['lead']}{value}{match['rest']}{ending}"
            return "".join(lines)
    header, ending = _split(lines[start])
    lines[start] = header + (ending or newline)
    lines.insert(start + 1, f"enabled = {value}{ending or newline}")
    return "".join(lines)


def _split(line: str) -> tuple[str, str]:
    body = line.rstrip("\r\n")
    return body, line[len(body) :]


def _names_table(line: str, plugin: str) -> bool:
    match = _HEADER.fullmatch(_split(line)[0])
    if match is None:
        return False
    name = match["name"]
    return (name[1:-1] if name[0] in "\"'" else name) == plugin


def check_only_enabled_changed(before: str, after: str, plugin: str, enabled: bool) -> None:
    """Parse both texts: ``after`` must be ``before`` with ``[plugin] enabled`` set and
    nothing else changed (a multi-line string that looked like a table, a table written with
    dotted keys… would make the text edit change something else: refused)."""
    refusal = (
        f"the [{plugin}] table is written in a form the daemon does not rewrite (dotted keys, "
        f"an inline table, a multi-line value); set enabled = {str(enabled).lower()} in it by "
        "hand"
    )
    try:
        old, new = tomllib.loads(before), tomllib.loads(after)
    except tomllib.TOMLDecodeError:
        raise ConfigWriteError("not-editable", refusal) from None
    expected = copy.deepcopy(old)
    table = expected.setdefault(plugin, {})
    if not isinstance(table, dict):
        raise ConfigWriteError("not-editable", refusal)
    table["enabled"] = enabled
    if new != expected:
        raise ConfigWriteError("not-editable", refusal)


@dataclass
class Edit:
    """A change ready to be committed: the new text is in ``temp``, synced and validated."""

    #: The file as configured (what messages name) and the file itself (symlinks followed).
    path: Path
    real: Path
    before: bytes
    after: bytes
    temp: Path
    #: The settings the new file gives, validated as at start-up.
    settings: Settings

    @property
    def before_sha256(self) -> str:
        return sha256(self.before)

    @property
    def after_sha256(self) -> str:
        return sha256(self.after)

    @property
    def backup(self) -> Path:
        return self.real.with_name(self.real.name + BACKUP_SUFFIX)


def enabled_in(path: Path, plugin: str) -> tuple[bool, bytes]:
    """Whether the file enables ``plugin`` (a table without ``enabled`` does), and its bytes."""
    data = path.read_bytes()
    try:
        table = tomllib.loads(data.decode("utf-8")).get(plugin, {})
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigWriteError("invalid", f"{path}: not valid TOML: {exc}") from None
    value = table.get("enabled", True) if isinstance(table, dict) else True
    return value is True, data


def prepare(path: Path, plugin: str, enabled: bool, infos: dict[str, PluginInfo]) -> Edit:
    """Edit, check and validate the change, writing the new text to a synced temporary file
    beside the config file; nothing else is touched. Blocking: run it in a thread."""
    real = path.resolve()
    before = real.read_bytes()
    try:
        text = before.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigWriteError("invalid", f"{path}: not UTF-8 text: {exc}") from None
    after_text = with_enabled(text, plugin, enabled)
    check_only_enabled_changed(text, after_text, plugin, enabled)
    after = after_text.encode("utf-8")
    temp = synced_temp(real, after)
    try:
        settings = load_settings(temp, infos)
    except ConfigError as exc:
        temp.unlink(missing_ok=True)
        raise ConfigWriteError("invalid", str(exc).replace(str(temp), str(path))) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return Edit(path, real, before, after, temp, settings)


def commit(edit: Edit) -> None:
    """Keep the previous file as the backup and put the new one in its place, each step
    atomic and synced. Refused if the file changed since ``prepare`` read it (an admin's
    editor saving meanwhile must not be overwritten). Blocking: run it in a thread."""
    try:
        if edit.real.read_bytes() != edit.before:
            raise ConfigWriteError(
                "not-editable",
                f"{edit.path} changed while the daemon was editing it; nothing was written, "
                "try again",
            )
        os.replace(synced_temp(edit.real, edit.before), edit.backup)
        os.replace(edit.temp, edit.real)
    except BaseException:
        discard(edit)
        raise
    sync_folder(edit.real.parent)


def discard(edit: Edit) -> None:
    edit.temp.unlink(missing_ok=True)
