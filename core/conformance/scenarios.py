"""Certification scenarios: TOML files, one per official test id, each a list of steps (API
calls, injected answers, waits for the outbox) with what each must give.

Where they are: the folder ``scenarios`` of this package (in a source checkout, a link to the
repository's ``conformance/``; an installed package carries a copy), or a folder given with
``--scenarios``. A file names the response files it injects relative to itself.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: The scenarios shipped with Aiguillage.
BUILT_IN = Path(__file__).parent / "scenarios"

STEP_KINDS = ("call", "inject", "wait")
CALL = re.compile(r"^(GET|POST|PUT|DELETE|PATCH) (/v1/\S*)$")
EXPECT_KEYS = {"status", "fields", "absent", "journal", "frames", "headers", "state"}


class ScenarioError(ValueError):
    """A scenario file that cannot be run: the message names the file and the key."""


@dataclass
class Scenario:
    id: str
    suite: str
    title: str
    reference: str
    path: Path
    steps: list[dict[str, Any]]
    plugins: list[str]
    latency_ms: float = 0.0
    cda: bool = False  # the scenario produces CDA documents: each gets a schematron report
    tags: list[str] = field(default_factory=list)

    @property
    def folder_name(self) -> str:
        """The evidence folder's name: the test id, spaces as underscores."""
        return re.sub(r"[^\w.-]+", "_", self.id)


def load(path: Path) -> Scenario:
    """One scenario file, checked."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ScenarioError(f"{path}: {exc}") from None

    def need(key: str, kind: type, where: dict[str, Any] = data, label: str = "") -> Any:
        value = where.get(key)
        if not isinstance(value, kind):
            raise ScenarioError(f"{path}: {label}{key}: missing or not a {kind.__name__}")
        return value

    steps = need("steps", list)
    if not steps:
        raise ScenarioError(f"{path}: steps: at least one step")
    for n, step in enumerate(steps, 1):
        label = f"steps[{n}]."
        kinds = [k for k in STEP_KINDS if k in step]
        if len(kinds) != 1:
            raise ScenarioError(f"{path}: steps[{n}]: exactly one of {', '.join(STEP_KINDS)}")
        if "call" in step and not CALL.match(need("call", str, step, label)):
            raise ScenarioError(f"{path}: {label}call: 'METHOD /v1/...' expected")
        if "inject" in step:
            need("inject", str, step, label)
            response = path.parent / need("file", str, step, label)
            if not response.is_file():
                raise ScenarioError(f"{path}: {label}file: {response} not found")
            step["file_bytes"] = response.read_bytes()
        if "wait" in step and step["wait"] != "outbox":
            raise ScenarioError(f"{path}: {label}wait: only 'outbox' is known")
        unknown = set(step.get("expect", {})) - EXPECT_KEYS
        if unknown:
            raise ScenarioError(f"{path}: {label}expect: unknown {', '.join(sorted(unknown))}")
    # The id names the evidence folder, which a run replaces: "..", "." or "" would name the
    # output folder or its parent.
    if not re.search(r"[A-Za-z0-9]", need("id", str)):
        raise ScenarioError(f"{path}: id: needs a letter or a digit")
    return Scenario(
        id=need("id", str),
        suite=need("suite", str),
        title=need("title", str),
        reference=need("reference", str),
        path=path,
        steps=steps,
        plugins=need("plugins", list),
        latency_ms=float(data.get("latency_ms", 0.0)),
        cda=bool(data.get("cda", False)),
        tags=list(data.get("tags", [])),
    )


def load_all(folder: Path | None = None) -> list[Scenario]:
    """Every scenario under ``folder`` (default: the built-in ones), by suite then id."""
    folder = folder or BUILT_IN
    if not folder.is_dir():
        raise ScenarioError(f"{folder}: no scenario folder there")
    found = [load(p) for p in sorted(folder.glob("*/*.toml"))]
    ids: dict[str, Path] = {}
    for scenario in found:
        # Ids equal up to spaces, underscores and case select the same scenario and would
        # write the same evidence folder.
        key = _key(scenario.folder_name)
        if key in ids:
            raise ScenarioError(f"{scenario.path}: id {scenario.id!r} is {ids[key]}'s too")
        ids[key] = scenario.path
    return sorted(found, key=lambda s: (s.suite, _natural(s.id)))


def select(scenarios: list[Scenario], ids: list[str], suites: list[str]) -> list[Scenario]:
    """The scenarios named (by id, spaces or underscores alike) or in the suites named; all
    when neither is given. An unknown id or suite is a ``ScenarioError``."""
    if not ids and not suites:
        return scenarios
    by_id = {_key(s.id): s for s in scenarios}
    known_suites = {s.suite for s in scenarios}
    for suite in suites:
        if suite not in known_suites:
            raise ScenarioError(f"no suite {suite!r} (known: {', '.join(sorted(known_suites))})")
    chosen = [s for s in scenarios if s.suite in suites]
    for wanted in ids:
        scenario = by_id.get(_key(wanted))
        if scenario is None:
            raise ScenarioError(f"no scenario {wanted!r} (see 'aiguillage conformance list')")
        if scenario not in chosen:
            chosen.append(scenario)
    return chosen


def _key(test_id: str) -> str:
    return re.sub(r"[\s_]+", " ", test_id).strip().lower()


def _natural(text: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]
