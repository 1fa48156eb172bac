"""Aiguillage: one localhost API in front of the French national e-health services."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("aiguillage")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
