"""The test suite's own helpers: they must not turn a check into a skip."""

from __future__ import annotations

import pytest


def test_missing_specification_files_fail_in_ci(monkeypatch):
    """Beside the project, the public specification files make checks run; in CI, where they
    are always there, their absence must fail a test rather than skip it."""
    from conftest import beside

    def outcome() -> type[BaseException] | None:
        # Caught by hand: a skip raised here would skip this test instead of failing it.
        try:
            beside("specs/no-such-file")
        except BaseException as exc:  # pytest's outcomes are BaseExceptions
            return type(exc)
        return None

    monkeypatch.setenv("CI", "true")
    assert outcome() is pytest.fail.Exception
    monkeypatch.delenv("CI")
    assert outcome() is pytest.skip.Exception
