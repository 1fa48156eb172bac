"""Writing a file of the daemon's so that a crash leaves the old one or the new one whole."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def synced_temp(beside: Path, data: bytes, mode: int | None = None) -> Path:
    """``data`` in a new file of ``beside``'s folder (so that renaming it over ``beside`` is
    atomic), with permissions ``mode`` (default: ``beside``'s own), synced to disk. The caller
    renames it or removes it."""
    if mode is None:
        mode = beside.stat().st_mode & 0o7777
    fd, name = tempfile.mkstemp(prefix=f".{beside.name}.", suffix=".tmp", dir=beside.parent)
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fchmod(f.fileno(), mode)
            os.fsync(f.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def replace_file(target: Path, data: bytes, mode: int = 0o600) -> None:
    """Put ``data`` in ``target`` through a synced temporary file renamed over it."""
    temp = synced_temp(target, data, mode)
    try:
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    sync_folder(target.parent)


def sync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable: they are once its entry list is on disk."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
