"""Clients generated from the live OpenAPI document run an EHR's flow against the simulators
(issue 17), and the example clients committed under ``examples/`` are what the document
generates today.

A daemon started for the session serves ``/v1/openapi.json``. From it, openapi-python-client
(the ``test`` extra) and openapi-typescript (pinned in ``examples/typescript/package-lock.json``,
installed with ``npm ci`` once) generate clients; the committed ones must be identical, and the
flows (``examples/python/flow.py``, ``examples/typescript/flow.ts`` type-checked by
``tsc --strict``) run on the fresh ones: INS search by traits and by carte Vitale, DMP
authorisation, a PDF sent twice with one Idempotency-Key, the outbox item followed until sent,
the listings, the PDF read back, a 422 read through the generated Problem type.

The flows may use nothing but generated types: a gap in the document has to be fixed there,
not worked around in a flow (``test_the_flows_use_only_generated_types``)."""

from __future__ import annotations

import ast
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import BUILT_IN_PLUGINS, ROOT, give_test_pki, needs_node

# One worker runs these: they share the npm tools and, for the clients, one daemon.
pytestmark = pytest.mark.xdist_group("generated-clients")

EXAMPLES = ROOT / "examples"
STARTED = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
#: What each flow prints, in order, as it goes: every step of the vendor flow is there.
STEPS = (
    "ok searchIns by traits: found",
    "ok searchIns by carte Vitale: found",
    "ok setDmpAuthorization: add",
    "ok sendDmpDocument: outbox item",
    "ok getOutboxItem",
    "ok listOutboxItems for the patient",
    "ok listDmpDocuments",
    "ok getDmpDocument render=pdf",
    "ok searchIns with a wrong NIR key: 422",
    "flow complete",
)


def _load(name: str, path: Path) -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


regenerate = _load("regenerate", EXAMPLES / "regenerate.py")


@pytest.fixture(scope="session")
def daemon(tmp_path_factory, pki):
    """``aiguillage serve`` as an EHR meets it, with the INSi and DMP simulators."""
    home = tmp_path_factory.mktemp("daemon")
    data_dir = home / "data"
    give_test_pki(data_dir, pki)
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIGUILLAGE_")}
    env["AIGUILLAGE_PLUGINS"] = ",".join(BUILT_IN_PLUGINS)
    # The log goes to a file: a pipe nobody reads would fill and stop the daemon mid-run.
    with (home / "daemon.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "aiguillage", "serve", "--port", "0", "--data-dir", data_dir],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        match = STARTED.search(process.stdout.readline())
        assert match, (home / "daemon.log").read_text()
        token = (data_dir / "token").read_text().strip()
        yield f"http://127.0.0.1:{match.group(1)}", token
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def live_document(daemon, tmp_path_factory) -> Path:
    base, token = daemon
    document = regenerate.document_from_url(base, token)
    return regenerate.write_document(document, tmp_path_factory.mktemp("document") / "openapi.json")


@pytest.fixture(scope="session")
def python_client(live_document, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("python") / "aiguillage-client"
    regenerate.generate_python(live_document, out)
    return out


@pytest.fixture(scope="session")
def typescript_project(live_document, tmp_path_factory) -> Path:
    """The example's TypeScript project with the schema generated from the live document."""
    needs_node()
    project = tmp_path_factory.mktemp("typescript")
    regenerate.generate_typescript(live_document, project / regenerate.TYPESCRIPT_SCHEMA.name)
    for name in ("flow.ts", "tsconfig.json", "package.json"):
        shutil.copy(regenerate.TYPESCRIPT_DIR / name, project / name)
    (project / "node_modules").symlink_to(regenerate.TYPESCRIPT_DIR / "node_modules")
    return project


def _differences(committed: dict[str, bytes], generated: dict[str, bytes]) -> list[str]:
    lines = []
    for name in sorted(set(committed) | set(generated)):
        old, new = committed.get(name), generated.get(name)
        if old == new:
            continue
        if old is None or new is None:
            lines.append(f"{name}: {'only generated' if old is None else 'only committed'}")
            continue
        diff = difflib.unified_diff(
            old.decode().splitlines(), new.decode().splitlines(), "committed", "generated", n=0
        )
        lines.append(f"{name}:\n" + "\n".join(list(diff)[2:12]))
    return lines


def test_the_committed_python_client_is_what_the_document_generates(python_client):
    differences = _differences(
        regenerate.generated_files(regenerate.PYTHON_CLIENT),
        regenerate.generated_files(python_client),
    )
    print(f"{len(regenerate.generated_files(python_client))} generated Python files compared")
    assert not differences, (
        f"examples/python/aiguillage-client is stale: run `{regenerate.COMMAND}`\n"
        + "\n".join(differences[:20])
    )


def test_the_committed_typescript_schema_is_what_the_document_generates(typescript_project):
    name = regenerate.TYPESCRIPT_SCHEMA.name
    differences = _differences(
        {name: regenerate.TYPESCRIPT_SCHEMA.read_bytes()},
        {name: (typescript_project / name).read_bytes()},
    )
    assert not differences, (
        f"examples/typescript/{name} is stale: run `{regenerate.COMMAND}`\n"
        + "\n".join(differences)
    )


def _flow_steps(output: str) -> list[str]:
    missing = [step for step in STEPS if step not in output]
    order = [output.index(step) for step in STEPS if step in output]
    assert order == sorted(order), f"the flow's steps are out of order:\n{output}"
    return missing


def test_the_python_flow_runs_against_the_simulators(daemon, python_client):
    base, token = daemon
    env = dict(os.environ, AIGUILLAGE_URL=base, AIGUILLAGE_TOKEN=token)
    env["PYTHONPATH"] = str(python_client)
    result = subprocess.run(
        [sys.executable, EXAMPLES / "python" / "flow.py"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not _flow_steps(result.stdout), result.stdout


def test_the_typescript_flow_type_checks_strictly_and_runs(daemon, typescript_project):
    base, token = daemon
    config = json.loads((typescript_project / "tsconfig.json").read_text())
    assert config["compilerOptions"]["strict"] is True
    checked = subprocess.run(
        [regenerate.npm_bin("tsc"), "-p", typescript_project, "--strict"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    env = dict(os.environ, AIGUILLAGE_URL=base, AIGUILLAGE_TOKEN=token)
    result = subprocess.run(
        ["node", typescript_project / "dist" / "flow.js"],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not _flow_steps(result.stdout), result.stdout


#: What the Python flow may import: the generated client and a few standard modules, none of
#: which reads JSON or sends HTTP by itself.
PYTHON_IMPORTS = {"__future__", "base64", "os", "sys", "time", "uuid"}
#: Names that would mean typing by hand or going around the client.
PYTHON_FORBIDDEN = {"cast", "Any", "json", "httpx", "from_dict", "to_dict", "additional_properties"}


def python_workarounds(source: str) -> list[str]:
    found = []
    if "type: ignore" in source:
        found.append("a `type: ignore`")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom | ast.Import):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            modules += [] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            for module in modules:
                if module.split(".")[0] not in PYTHON_IMPORTS | {"aiguillage_client"}:
                    found.append(f"import {module}")
        elif isinstance(node, ast.Name | ast.Attribute | ast.alias):
            name = getattr(node, "id", None) or getattr(node, "attr", None) or node.name
            if name in PYTHON_FORBIDDEN:
                found.append(name)
        elif isinstance(node, ast.keyword) and node.arg == "headers":
            found.append("headers=")
        elif isinstance(node, ast.Dict):
            found.append(f"a dict literal at line {node.lineno}")
    return found


#: In the TypeScript flow: a cast (`as`, `<T>x`, `x!`), `any`, raw JSON, a lint escape, or
#: calls around the generated paths.
TYPESCRIPT_FORBIDDEN = {
    "a cast": re.compile(r"\bas\s+(?!const\b)[A-Za-z{(\[]|<[A-Z]\w*>\s*[\w(]"),
    "a non-null assertion": re.compile(r"[\w)\]]!\s*[.;,)\]]"),
    "any": re.compile(r"\bany\b"),
    "JSON parsing": re.compile(r"JSON\.parse|\.json\(\)"),
    "a ts- directive": re.compile(r"@ts-"),
    "fetch by hand": re.compile(r"(?<![\w.])fetch\("),
    "a header by hand": re.compile(r"headers\.(get|set)|\"Authorization\"\s*\]"),
}


def typescript_workarounds(source: str) -> list[str]:
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", source, flags=re.DOTALL)
    found = [name for name, pattern in TYPESCRIPT_FORBIDDEN.items() if pattern.search(code)]
    if len(re.findall(r"\bheaders\s*:", code)) > 1:
        found.append("headers set beside the client's Authorization")
    return found


def test_the_flows_use_only_generated_types():
    python = (EXAMPLES / "python" / "flow.py").read_text(encoding="utf-8")
    typescript = (EXAMPLES / "typescript" / "flow.ts").read_text(encoding="utf-8")
    assert not python_workarounds(python), python_workarounds(python)
    assert not typescript_workarounds(typescript), typescript_workarounds(typescript)
    # the Idempotency-Key goes as the generated parameter
    assert "idempotency_key=key" in python
    assert re.search(r'header:\s*\{\s*"Idempotency-Key":', typescript)
    # the checks catch what they are for
    caught = python_workarounds("import json\nfrom typing import cast\nx = {'a': 1}")
    assert {"import json", "import typing", "cast", "a dict literal at line 3"} <= set(caught)
    for bad in ("x as Problem", "<Problem>x", "data!.id", "let x: any", "JSON.parse(s)"):
        assert typescript_workarounds(bad), bad


def test_every_file_answer_is_read_as_bytes_by_the_python_client(live_document):
    """openapi-python-client builds a text/* answer from ``response.text`` and skips media types
    it does not know: each binary answer's media type must be mapped to bytes in its config."""
    config = yaml.safe_load((EXAMPLES / "python" / "generator.yaml").read_text())
    as_bytes = set(config["content_type_overrides"]) | {"application/octet-stream"}
    document = json.loads(live_document.read_text())
    binary = {
        media
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        for response in operation.get("responses", {}).values()
        for media, content in response.get("content", {}).items()
        if content.get("schema", {}).get("format") == "binary"
    }
    assert binary, "no file answer found: the check would see nothing"
    assert binary <= as_bytes, (
        f"add to examples/python/generator.yaml content_type_overrides: {binary - as_bytes}"
    )
