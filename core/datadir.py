"""The data directory: private to its user, and used by one daemon at a time."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class DataDirBusy(Exception):
    """Another daemon holds this data directory."""


def lock(data_dir: Path) -> int:
    """Take the data directory's lock for this process's lifetime; returns the file descriptor.

    One daemon per data directory is what makes crash recovery simple: at start-up, any send
    left ``sending`` belongs to a process that is gone.
    """
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(data_dir / "daemon.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise DataDirBusy(f"another aiguillage daemon is using {data_dir}") from None
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode())
    return fd


def unlock(fd: int) -> None:
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
