"""The evidence of a run: per scenario a folder named by the test id holding the frames each
service received and answered (rebuilt from the parsed exchange at the simulator or the
injecting proxy: bodies byte for byte, headers as the peer sent or set them), the API
exchanges, the journal rows, a schematron report per CDA sent and a summary, hashed
(``MANIFEST.sha256``) and zipped; at the top a JUnit XML file and an HTML report for CI
systems, and ``run.json``.

Folder of a scenario::

    summary.json            test id, verdict, failures, seed, clock, timings
    api/NN.json             step NN's API request and answer (status, headers, body)
    frames/NN-MM-PLUGIN-request.http, …-response.http
                            exchange MM of step NN: request line and headers as received,
                            then the body's bytes (MTOM parts included); the answer likewise
    journal.json            the journal rows the scenario wrote, whole (chain hashes included)
    cda/K.xml, cda/K.schematron.json
                            each CDA sent, and each applicable ANS schematron's report
    MANIFEST.sha256         the SHA-256 of every file above (``sha256sum -c`` reads it)
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from lxml import etree

from aiguillage import mtom

from .runner import ScenarioResult
from .schematron import HL7, Schematrons

MANIFEST = "MANIFEST.sha256"
#: Zip entries carry this date: the same files give the same archive.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def write_bundle(
    result: ScenarioResult, out: Path, checker: Schematrons | None, meta: dict[str, Any]
) -> Path:
    """Write one scenario's folder and its zip; returns the folder. The CDA checks' failures
    are added to the result."""
    folder = out / result.scenario.folder_name
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "api").mkdir(parents=True)
    (folder / "frames").mkdir()
    for step in result.steps:
        if step.exchange is not None:
            _json(folder / "api" / f"{step.number:02d}.json", step.exchange)
    counts: dict[int, int] = {}
    for captured in result.frames:
        counts[captured.step] = counts.get(captured.step, 0) + 1
        stem = f"{captured.step:02d}-{counts[captured.step]:02d}-{captured.plugin}"
        frame = captured.frame
        (folder / "frames" / f"{stem}-request.http").write_bytes(
            frame.request_head + frame.request_body
        )
        (folder / "frames" / f"{stem}-response.http").write_bytes(
            frame.response_head + frame.response_body
        )
    _json(folder / "journal.json", result.journal)
    cdas = documents_sent(result)
    reports: dict[str, list[dict[str, Any]]] = {}
    if cdas:
        (folder / "cda").mkdir()
    for n, cda in enumerate(cdas, 1):
        path = folder / "cda" / f"{n}.xml"
        path.write_bytes(cda)
        if checker is None:
            result.notes.append(f"cda/{n}.xml: not checked by the ANS schematrons (not asked)")
            continue
        checks = checker.check(path)
        reports[path.name] = [c.as_dict() for c in checks]
        _json(folder / "cda" / f"{n}.schematron.json", reports[path.name])
        for check in checks:
            if check.error:
                result.extra_failures.append(f"cda/{n}.xml: {check.schematron}: {check.error}")
            elif check.fired == 0:
                result.extra_failures.append(
                    f"cda/{n}.xml: {check.schematron}: no rule fired (nothing was checked)"
                )
            for failed in check.failed:
                result.extra_failures.append(f"cda/{n}.xml: {check.schematron}: {failed}")
    if result.scenario.cda and not cdas:
        result.extra_failures.append("the scenario sends a CDA, and none went on the wire")
    _json(folder / "summary.json", summary(result, reports, meta))
    write_manifest(folder)
    archive(folder, out / f"{folder.name}.zip")
    return folder


def summary(
    result: ScenarioResult, reports: dict[str, list[dict[str, Any]]], meta: dict[str, Any]
) -> dict[str, Any]:
    scenario = result.scenario
    return {
        "id": scenario.id,
        "suite": scenario.suite,
        "title": scenario.title,
        "reference": scenario.reference,
        "scenario_file": scenario.path.name,
        "passed": result.passed,
        "failures": result.failures,
        "notes": result.notes,
        "steps": [
            {
                "number": s.number,
                "kind": s.kind,
                "label": s.label,
                "passed": s.passed,
                "failures": s.failures,
            }
            for s in result.steps
        ],
        "frames": len(result.frames),
        "journal_rows": len(result.journal),
        "schematron_reports": reports,
        "clock": result.clock,
        **meta,
    }


def documents_sent(result: ScenarioResult) -> list[bytes]:
    """The CDA documents the frames carried to a service (MTOM parts of requests whose root is
    a ``ClinicalDocument``), each once."""
    found: dict[str, bytes] = {}
    for captured in result.frames:
        head = captured.frame.request_head.decode("latin-1")
        content_type = next(
            (
                line.split(":", 1)[1].strip()
                for line in head.split("\r\n")
                if line.lower().startswith("content-type:")
            ),
            "",
        )
        if not content_type.lower().startswith("multipart/related"):
            continue
        try:
            _, parts = mtom.parse(content_type, captured.frame.request_body)
        except mtom.MtomError:
            continue
        for part in parts.values():
            if _is_cda(part.data):
                found.setdefault(hashlib.sha256(part.data).hexdigest(), part.data)
    return list(found.values())


def _is_cda(data: bytes) -> bool:
    try:
        root = etree.fromstring(data, etree.XMLParser(no_network=True, resolve_entities=False))
    except etree.XMLSyntaxError:
        return False
    return root.tag == f"{{{HL7}}}ClinicalDocument"


def write_manifest(folder: Path) -> None:
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(folder).as_posix()}\n")
    (folder / MANIFEST).write_text("".join(lines), encoding="utf-8")


def archive(folder: Path, target: Path) -> None:
    """Zip ``folder`` (entries under its name, sorted, dated 1980-01-01)."""
    tmp = target.with_suffix(".zip.part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, path.read_bytes())
    tmp.replace(target)


def write_junit(results: list[ScenarioResult], target: Path) -> None:
    """One test suite per scenario suite, one test case per scenario, named by its test id."""
    suites: dict[str, list[ScenarioResult]] = {}
    for result in results:
        suites.setdefault(result.scenario.suite, []).append(result)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    failed_total = sum(not r.passed for r in results)
    total_time = sum(r.seconds for r in results)
    lines.append(
        f'<testsuites name="aiguillage conformance" tests="{len(results)}" '
        f'failures="{failed_total}" time="{total_time:.3f}">'
    )
    for suite, members in suites.items():
        failures = sum(not r.passed for r in members)
        lines.append(
            f'  <testsuite name={quoteattr(suite)} tests="{len(members)}" '
            f'failures="{failures}" time="{sum(r.seconds for r in members):.3f}">'
        )
        for r in members:
            attrs = (
                f"classname={quoteattr('conformance.' + suite)} name={quoteattr(r.scenario.id)} "
                f'time="{r.seconds:.3f}"'
            )
            if r.passed:
                lines.append(f"    <testcase {attrs}/>")
                continue
            message = quoteattr(r.failures[0][:200])
            detail = html.escape("\n".join(r.failures), quote=False)
            lines.append(f"    <testcase {attrs}>")
            lines.append(f"      <failure message={message}>{detail}</failure>")
            lines.append("    </testcase>")
        lines.append("  </testsuite>")
    lines.append("</testsuites>")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_html(results: list[ScenarioResult], target: Path, meta: dict[str, Any]) -> None:
    """A page for a person: each scenario's verdict, its failures and links to its evidence."""
    passed = sum(r.passed for r in results)
    rows = []
    for r in results:
        name = r.scenario.folder_name
        verdict = "réussi" if r.passed else "échec"
        failures = "".join(f"<li>{html.escape(f)}</li>" for f in r.failures)
        rows.append(
            f'<tr class="{"ok" if r.passed else "ko"}"><td>{html.escape(r.scenario.id)}</td>'
            f"<td>{html.escape(r.scenario.suite)}</td><td>{html.escape(r.scenario.title)}</td>"
            f"<td>{verdict}</td><td>{len(r.frames)}</td><td>{r.seconds:.2f} s</td>"
            f'<td><a href="{html.escape(name)}/summary.json">dossier</a> · '
            f'<a href="{html.escape(name)}.zip">zip</a></td>'
            f"<td><ul>{failures}</ul></td></tr>"
        )
    settings = html.escape(", ".join(f"{k} : {v}" for k, v in meta.items()))
    page = f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Aiguillage — campagne de conformité</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #999;padding:.3em .6em;vertical-align:top}}
tr.ok td:nth-child(4){{color:#060}}tr.ko td:nth-child(4){{color:#a00;font-weight:bold}}</style>
</head><body><h1>Campagne de conformité</h1>
<p>{passed} scénario(s) réussi(s) sur {len(results)}. {settings}</p>
<table><thead><tr><th>Test</th><th>Suite</th><th>Intitulé</th><th>Résultat</th><th>Trames</th>
<th>Durée</th><th>Preuves</th><th>Écarts</th></tr></thead><tbody>
{"".join(rows)}
</tbody></table></body></html>
"""
    target.write_text(page, encoding="utf-8")


def _json(path: Path, value: Any) -> None:
    path.write_text(
        json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str) + "\n",
        encoding="utf-8",
    )
