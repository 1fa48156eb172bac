#!/usr/bin/env python3
"""Regenerates the committed example clients from the daemon's OpenAPI document.

    python examples/regenerate.py                  # the document `aiguillage openapi` prints
    python examples/regenerate.py --url http://127.0.0.1:7480 --token-file data/token

It writes ``python/aiguillage-client/`` (openapi-python-client, from the ``test`` extra) and
``typescript/schema.ts`` (openapi-typescript, from ``typescript/package-lock.json``: the
script runs ``npm ci`` there when needed). ``tests/test_generated_clients.py`` regenerates both
from the document a running daemon serves and fails when they differ from what is committed,
so run this after any change to an operation's description."""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

EXAMPLES = Path(__file__).resolve().parent
ROOT = EXAMPLES.parent
PYTHON_DIR = EXAMPLES / "python"
PYTHON_CLIENT = PYTHON_DIR / "aiguillage-client"
TYPESCRIPT_DIR = EXAMPLES / "typescript"
TYPESCRIPT_SCHEMA = TYPESCRIPT_DIR / "schema.ts"
#: What the test tells a developer to run when the committed clients are stale.
COMMAND = "python examples/regenerate.py"
#: Left by tools inside the generated tree; not part of what is generated.
NOT_GENERATED = {".ruff_cache", "__pycache__"}
#: npm ci wipes node_modules; this stamp (the lock file's hash) lets a second run skip it.
NPM_STAMP = ".installed-lock-sha256"


def _tool_env() -> dict[str, str]:
    # The generator's post hooks call `ruff` by name: the one installed beside this Python.
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    # Redocly asks the network for updates and sends usage data unless told not to.
    env["REDOCLY_TELEMETRY"] = "off"
    env["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true"
    return env


def _run(args: list[str | Path], cwd: Path) -> str:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=_tool_env(), capture_output=True, text=True
    )
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed ({result.returncode}):\n{output}")
    return output


def document_from_cli() -> dict[str, Any]:
    """The document of the enabled operations, without starting a daemon."""
    output = _run([sys.executable, "-m", "aiguillage", "openapi"], ROOT)
    return json.loads(output[output.index("{") :])


def document_from_url(base: str, token: str) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{base.rstrip('/')}/v1/openapi.json", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def write_document(document: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def npm_ci(directory: Path = TYPESCRIPT_DIR) -> None:
    """Installs the pinned npm tools once; later runs reuse them while the lock is unchanged."""
    lock = hashlib.sha256((directory / "package-lock.json").read_bytes()).hexdigest()
    stamp = directory / "node_modules" / NPM_STAMP
    # Test processes running side by side (pytest-xdist) must not run npm ci over each other.
    with (directory / ".npm-ci.lock").open("w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        if stamp.exists() and stamp.read_text() == lock:
            return
        _run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], directory)
        stamp.write_text(lock)


def npm_bin(tool: str, directory: Path = TYPESCRIPT_DIR) -> Path:
    return directory / "node_modules" / ".bin" / tool


def generate_python(document: Path, out: Path, strict: bool = True) -> str:
    """openapi-python-client into ``out`` (replaced). ``strict``: a generator warning is an
    error, as it means an operation or a response left out of the client."""
    return _run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            document,
            "--output-path",
            out,
            "--config",
            PYTHON_DIR / "generator.yaml",
            "--meta",
            "setup",
            "--overwrite",
            "--fail-on-warning" if strict else "--no-fail-on-warning",
        ],
        out.parent,
    )


def generate_typescript(document: Path, out: Path) -> str:
    npm_ci()
    # --default-non-nullable false: a property with a default stays optional in what a client
    # sends (openapi-typescript would otherwise make the EHR send every defaulted field).
    return _run(
        [
            npm_bin("openapi-typescript"),
            document,
            "--output",
            out,
            "--default-non-nullable",
            "false",
        ],
        TYPESCRIPT_DIR,
    )


def generated_files(directory: Path) -> dict[str, bytes]:
    """Every generated file under ``directory`` by relative path, tool caches left out."""
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file() and not NOT_GENERATED.intersection(path.relative_to(directory).parts)
    }


def regenerate(document: dict[str, Any], strict: bool = True) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = write_document(document, Path(scratch) / "openapi.json")
        print(generate_python(path, PYTHON_CLIENT, strict))
        generate_typescript(path, TYPESCRIPT_SCHEMA)
    for cache in PYTHON_CLIENT.rglob(".ruff_cache"):
        shutil.rmtree(cache)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running daemon (default: `aiguillage openapi`)")
    parser.add_argument("--token-file", type=Path, help="the token file of that daemon's app")
    parser.add_argument(
        "--allow-warnings",
        action="store_true",
        help="write the Python client despite generator warnings (the test still fails)",
    )
    args = parser.parse_args(argv)
    if args.url:
        if not args.token_file:
            parser.error("--url needs --token-file")
        document = document_from_url(args.url, args.token_file.read_text().strip())
    else:
        document = document_from_cli()
    regenerate(document, strict=not args.allow_warnings)
    print(
        f"regenerated {PYTHON_CLIENT.relative_to(ROOT)} and {TYPESCRIPT_SCHEMA.relative_to(ROOT)}"
    )


if __name__ == "__main__":
    main()
