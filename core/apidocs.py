"""The operations' reference in Markdown, written into each plugin's README and docs/api.md from
the same ``Operation`` descriptions the OpenAPI document is built from, so that the two cannot
drift: ``aiguillage docs`` rewrites the blocks, ``aiguillage docs --check`` fails on a stale one.

A block sits between two marker lines that the generator keeps; everything outside them is
written by hand."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiguillage.hookspecs import Operation
from aiguillage.openapi import UNAUTHENTICATED, operation_id
from aiguillage.send_wait import created_schema, is_send, send_params

BEGIN = (
    "<!-- BEGIN operations: generated from the Operation descriptions by `aiguillage docs`; "
    "edit those -->"
)
END = "<!-- END operations -->"


@dataclass
class Page:
    """One Markdown file holding a generated block, and whether it is up to date."""

    path: Path
    text: str
    updated: str

    @property
    def stale(self) -> bool:
        return self.text != self.updated


class MissingBlock(ValueError):
    """A file that should hold the operations' block has no (or a broken) pair of markers."""


def pages(root: Path, operations: list[Operation]) -> list[Page]:
    """Each file the operations are documented in under ``root`` (a checkout of the project):
    the core's in ``docs/api.md``, each plugin's in ``plugins/<name>/README.md``. A plugin
    installed from elsewhere has no folder there and is left out."""
    by_file: dict[Path, list[Operation]] = {}
    for op in operations:
        if op.plugin != "core" and not (root / "plugins" / op.plugin).is_dir():
            continue
        where = "docs/api.md" if op.plugin == "core" else f"plugins/{op.plugin}/README.md"
        by_file.setdefault(root / where, []).append(op)
    found = []
    for path, ops in by_file.items():
        text = path.read_text(encoding="utf-8")
        found.append(Page(path, text, replace_block(text, render(ops), path)))
    return found


def replace_block(text: str, block: str, path: Path) -> str:
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise MissingBlock(f"{path}: needs one pair of lines {BEGIN!r} … {END!r}")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n\n{block}\n{END}{tail}"


def render(operations: list[Operation]) -> str:
    return "\n".join(_operation(op) for op in operations)


def _operation(op: Operation) -> str:
    lines = [f"### `{op.method} {op.path}` — {op.summary}", ""]
    facts = [f"`{operation_id(op)}`"]
    if (op.method, op.path) in UNAUTHENTICATED:
        facts.append("no token")
    else:
        facts.append(f"scope `{op.scope}`" if op.scope else "any app")
    facts.append(f"answers {op.response_status} {_answer(op)}")
    if is_send(op):
        facts.append(f"or 201 {_shape(created_schema(op))} with `wait`")
    lines += [" · ".join(facts), ""]
    if op.description:
        lines += [op.description.strip(), ""]
    if op.request_schema is not None:
        types = ", ".join(f"`{t}`" for t in op.content_types)
        lines += [f"Body: {_shape(op.request_schema)} ({types}).", ""]
    params = send_params(op)
    if params:
        lines += ["| parameter | in | required | description |", "| --- | --- | --- | --- |"]
        for p in params:
            required = "yes" if p.required or p.location == "path" else "no"
            lines.append(f"| `{p.name}` | {p.location} | {required} | {_cell(p.description)} |")
        lines.append("")
    headers = [f"`{h}`" for h in op.request_headers]
    if headers:
        lines += [f"Request headers: {', '.join(headers)}.", ""]
    if op.response_headers:
        lines += [f"Answer headers: {', '.join(f'`{h}`' for h in op.response_headers)}.", ""]
    if op.errors:
        lines += ["| status | problem types |", "| --- | --- |"]
        for status, slugs in sorted(op.errors.items()):
            lines.append(f"| {status} | {', '.join(f'`{s}`' for s in slugs)} |")
        lines.append("")
    # Folded: a README shows what an operation is at a glance, its examples on a click.
    for kind, examples in (("request", op.request_examples), ("answer", op.response_examples)):
        for name, example in examples.items():
            lines += [f"<details><summary>Example {kind}: {name}</summary>", ""]
            lines += ["```json", _json(example), "```", "", "</details>", ""]
    return "\n".join(lines)


def _answer(op: Operation) -> str:
    if op.response_status == 204:
        return "with no body"
    if op.response_schema is not None:
        return _shape(op.response_schema)
    return " or ".join(f"`{t}`" for t in op.media_types)


def _shape(schema: dict[str, Any]) -> str:
    title = schema.get("title")
    if title:
        return f"`{title}`"
    branches = schema.get("oneOf") or schema.get("anyOf")
    if branches:
        return " or ".join(_shape(b) for b in branches)
    return f"a JSON {schema.get('type', 'value')}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
