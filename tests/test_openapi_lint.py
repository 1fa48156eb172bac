"""The OpenAPI document is a product EHR vendors generate clients from (issue 17): it passes
openapi-spec-validator and the Redocly CLI lint with the repository's ruleset (``redocly.yaml``)
with zero errors, every operation shows an example, every array says what it holds, and no
shape the document names is copied inline somewhere else.

The Redocly CLI comes pinned from ``examples/typescript/package-lock.json`` (``npm ci`` once,
then reused while the lock file is unchanged: see ``examples/regenerate.py``)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from aiguillage import __version__
from aiguillage.app import collect_operations
from aiguillage.config import config_path, load_settings
from aiguillage.openapi import build_openapi
from aiguillage.plugin_manager import load_plugins

from conftest import ROOT, needs_node

# One worker runs these: they share the npm tools and, for the clients, one daemon.
pytestmark = pytest.mark.xdist_group("generated-clients")

RULESET = ROOT / "redocly.yaml"
#: The rules issue 17 asks for; the test fails if one is switched off or weakened in the ruleset.
REQUIRED_RULES = (
    "operation-operationId",
    "operation-description",
    "operation-4xx-response",
    "no-unused-components",
    "rule/json-body-has-examples",
)
#: Keys that say nothing about the shape: two schemas differing only there are one shape.
WORDS = {"description", "title", "examples", "example", "$comment", "default"}
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def _load(name: str, path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


regenerate = _load("regenerate", ROOT / "examples" / "regenerate.py")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    """What ``GET /v1/openapi.json`` serves for the built-in plugins (the port left a variable)."""
    plugins = load_plugins()
    settings = load_settings(config_path(None), plugins.infos)
    return build_openapi(collect_operations(settings, plugins), __version__)


def operations(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def test_the_document_passes_openapi_spec_validator(document):
    validate(document)
    print(f"openapi-spec-validator: {sum(1 for _ in operations(document))} operations valid")


def test_redocly_lint_finds_no_error(document, tmp_path):
    ruleset = yaml.safe_load(RULESET.read_text(encoding="utf-8"))
    rules = ruleset["rules"]
    for rule in REQUIRED_RULES:
        severity = rules.get(rule)
        severity = severity.get("severity") if isinstance(severity, dict) else severity
        assert severity == "error", f"redocly.yaml: {rule} must be an error, not {severity}"
    needs_node()
    regenerate.npm_ci()
    path = regenerate.write_document(document, tmp_path / "openapi.json")
    result = subprocess.run(
        [regenerate.npm_bin("redocly"), "lint", "--config", RULESET, "--format=json", path],
        cwd=ROOT,
        env=regenerate._tool_env(),
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stdout)
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    print(
        f"Redocly CLI {report['version']}: {len(rules)} rules from redocly.yaml over "
        f"{', '.join(ruleset.get('extends', []))} "
        f"({', '.join(REQUIRED_RULES)}, …): {report['totals']}"
    )
    listed = "\n".join(
        f"{p['ruleId']}: {p['location'][0]['pointer']}: {p['message']}" for p in errors
    )
    assert not errors, f"{len(errors)} lint errors:\n{listed}"
    assert result.returncode == 0, result.stderr


def _has_example(media: dict[str, Any]) -> bool:
    return bool(media.get("examples") or "example" in media)


def test_every_operation_shows_an_example(document):
    """A JSON body, sent or answered, has a named example; an operation without one (a file,
    a stream) has an example of what it answers or of one of its parameters at least."""
    missing = []
    for name, operation in operations(document):
        bodies = [operation.get("requestBody", {}).get("content", {})] + [
            response.get("content", {})
            for status, response in operation["responses"].items()
            if status.startswith("2")
        ]
        json_bodies = [c["application/json"] for c in bodies if "application/json" in c]
        if json_bodies:
            missing += [name for media in json_bodies if not _has_example(media)][:1]
            continue
        params = [p for p in operation.get("parameters", []) if "$ref" not in p]
        shown = [_has_example(p) or "examples" in p["schema"] for p in params]
        shown += [_has_example(media) for content in bodies for media in content.values()]
        if not any(shown):
            missing.append(f"{name} (no example of its answer or of a parameter)")
    print(f"examples checked on {sum(1 for _ in operations(document))} operations")
    assert not missing, f"operations without an example: {missing}"


def _schemas(node: Any, where: str) -> Iterator[tuple[str, Any]]:
    """Every schema under ``node`` (itself included), with a JSON pointer to it."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            if key in ("examples", "example", "default", "const", "enum"):
                continue
            if key in ("properties", "patternProperties", "$defs"):
                for name, sub in value.items():
                    yield from _schemas(sub, f"{where}/{key}/{name}")
            elif isinstance(value, dict):
                yield from _schemas(value, f"{where}/{key}")
            elif isinstance(value, list):
                for i, sub in enumerate(value):
                    yield from _schemas(sub, f"{where}/{key}/{i}")


def _media_schemas(document: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every schema the paths use inline: bodies, answers, parameters, headers."""
    for name, operation in operations(document):
        for i, param in enumerate(operation.get("parameters", [])):
            if "schema" in param:
                yield from _schemas(param["schema"], f"{name} parameters/{i}")
        body = operation.get("requestBody", {}).get("content", {})
        for media, content in body.items():
            if "schema" in content:
                yield from _schemas(content["schema"], f"{name} requestBody/{media}")
        for status, response in operation["responses"].items():
            for media, content in response.get("content", {}).items():
                if "schema" in content:
                    yield from _schemas(content["schema"], f"{name} {status}/{media}")


def _shape(schema: Any, components: dict[str, Any], seen: frozenset[str] = frozenset()) -> Any:
    """``schema`` with its references replaced by what they name and its words dropped."""
    if isinstance(schema, dict):
        ref = schema.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            if name in seen:  # a recursive shape: its name stands for it
                return f"<{name}>"
            return _shape(components[name], components, seen | {name})
        shape = {k: _shape(v, components, seen) for k, v in schema.items() if k not in WORDS}
        # a nullable copy is still a copy: it should be a $ref beside {"type": "null"}
        if isinstance(shape.get("type"), list) and "null" in shape["type"]:
            kept = [t for t in shape["type"] if t != "null"]
            shape["type"] = kept[0] if len(kept) == 1 else kept
        return shape
    if isinstance(schema, list):
        return [_shape(v, components, seen) for v in schema]
    return schema


def _key(shape: Any) -> str:
    return json.dumps(shape, sort_keys=True)


def test_no_named_shape_is_copied_inline(document):
    components = document.get("components", {}).get("schemas", {})
    named = {}
    for name, schema in components.items():
        shape = _shape(schema, components, frozenset({name}))
        # a bare {"type": "string"} is not a shape anyone would name; anything more is
        if isinstance(shape, dict) and set(shape) - {"type"}:
            named[_key(shape)] = name
    inline = _inline_schemas(document)
    copies = []
    for where, schema in inline:
        if "$ref" in schema:
            continue
        twin = named.get(_key(_shape(schema, components)))
        if twin:
            copies.append(f"{where} is a copy of #/components/schemas/{twin}: use a $ref")
    print(f"{len(inline)} inline schemas compared with {len(named)} named ones")
    assert not copies, "\n".join(copies)


def _inline_schemas(document: dict[str, Any]) -> list[tuple[str, Any]]:
    """The paths' schemas and those nested in the named ones, each with where it is."""
    inline = list(_media_schemas(document))
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        inline += [
            (where, sub)
            for where, sub in _schemas(schema, f"#/components/schemas/{name}")
            if sub is not schema
        ]
    return inline


def test_every_shape_used_twice_is_named(document):
    """An enum or an object written out twice becomes two types in a generated client (TraitsSex
    and InsTraitsSex…) that the EHR cannot pass one for the other: give it a title."""
    components = document.get("components", {}).get("schemas", {})
    places: dict[str, list[str]] = {}
    for where, schema in _inline_schemas(document):
        if "$ref" in schema:
            continue
        shape = _shape(schema, components)
        if len(shape.get("enum", ())) > 1 or shape.get("properties") or "oneOf" in shape:
            places.setdefault(_key(shape), []).append(where)
    repeated = [f"{shape} at {', '.join(at)}" for shape, at in places.items() if len(at) > 1]
    print(f"{sum(map(len, places.values()))} inline enums and objects, {len(places)} shapes")
    assert not repeated, "shapes written out more than once:\n" + "\n".join(repeated)


def test_every_array_says_what_it_holds(document):
    """Generators skip (openapi-python-client) or type as unknown an array without ``items``."""
    everywhere = list(_media_schemas(document)) + [
        item
        for name, schema in document.get("components", {}).get("schemas", {}).items()
        for item in _schemas(schema, f"#/components/schemas/{name}")
    ]
    bare = [
        where
        for where, schema in everywhere
        if "array" in (t if isinstance(t := schema.get("type"), list) else [t])
        and "items" not in schema
        and "prefixItems" not in schema
    ]
    print(f"{len(everywhere)} schemas checked for items")
    assert not bare, f"arrays without items: {bare}"
