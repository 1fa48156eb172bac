"""Mutation check: break, one at a time, behaviours the test suite must protect, and see a test
fail for each. Each mutation edits a scratch copy of the project (the working tree is never
touched) and runs the tests named with it there; the scratch copy is imported through a small
package shim, so no second install is needed.

    python bench/mutations.py [NAME ...]      # all mutations, or those named

Prints one line per mutation — ``killed`` (a test failed), ``SURVIVED`` (every test passed:
the behaviour is unprotected) or ``ERROR`` (the tests could not run) — and the score. Exits 1
when a mutation survived or errored. A mutation whose text is no longer in its file is an error
too: update the list when the code moves.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DMP_TESTS = "tests/plugins/dmp"


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str
    old: str
    new: str
    tests: tuple[str, ...]


MUTATIONS = [
    # --- issue 9: DMP conformance ---------------------------------------------------------
    Mutation(
        "vsm: the first section holds no sub-section",
        "plugins/dmp/cda.py",
        "        _vsm_section(section, subsection, content)",
        "        pass",
        (f"{DMP_TESTS}/test_cda.py",),
    ),
    Mutation(
        "vsm: 'Traitement au long cours' gets a sub-section and a text",
        "plugins/dmp/cda.py",
        "    for subsection in model.subsections:",
        "    medications = VsmSection('1.3.6.1.4.1.19376.1.5.3.1.3.19', '10160-0', 'Traitements')\n"
        "    for subsection in model.subsections or ((medications,) * (model.code == '18776-5')):",
        (f"{DMP_TESTS}/test_cda.py",),
    ),
    Mutation(
        "class: every type is a 'Compte rendu'",
        "plugins/dmp/valuesets.py",
        '    return lookup("dmp_class", class_code)',
        '    return lookup("dmp_class", "10" if type_code != "E1762" else class_code)',
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "types: the CI-SIS set J07 instead of the DMP's J66",
        "plugins/dmp/valuesets.py",
        '    lookup("dmp_type", type_code)\n    class_code',
        '    lookup("type", type_code)\n    class_code',
        (f"{DMP_TESTS}/test_xds_conformance.py", f"{DMP_TESTS}/test_submission.py"),
    ),
    Mutation(
        "types: the signature's type offered for documents",
        "plugins/dmp/api.py",
        "    if type_code == SIGNATURE_TYPE:",
        "    if type_code == 'never':",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "content type: the document's type repeated (as before)",
        "plugins/dmp/metadata.py",
        "        doc.title,\n        s.content_type,",
        "        doc.title,\n        doc_type,",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "content type: none on ITI-57 updates",
        "plugins/dmp/metadata.py",
        "    b.classification(package, CONTENT_TYPE, content_type)",
        "    if unique_id:\n        b.classification(package, CONTENT_TYPE, content_type)",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "content type: the configured code ignored",
        "plugins/dmp/metadata.py",
        '    if configured:\n        return lookup("dmp_content_type", configured)',
        '    if False:\n        return lookup("dmp_content_type", configured)',
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "simulator: class not checked against the type",
        "plugins/dmp/simulator.py",
        "        if class_of(type_code).code != class_code:",
        "        if False:",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "simulator: content type not checked",
        "plugins/dmp/simulator.py",
        "    if len(content_types) != 1:",
        "    if not content_types:\n        return package\n    if len(content_types) != 1:",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "display names: not the value sets' own",
        "plugins/dmp/valuesets.py",
        'Code(concept["code"], systems[include["system"]], concept["display"])',
        'Code(concept["code"], systems[include["system"]], concept["display"].title())',
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "serviceStopTime: always sent",
        "plugins/dmp/metadata.py",
        '    if doc.service_stop:\n        b.slot(entry, "serviceStopTime", doc.service_stop)',
        '    b.slot(entry, "serviceStopTime", doc.service_stop or dtm(doc.created))',
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "service times: offsets not moved to UTC",
        "plugins/dmp/metadata.py",
        '            (1 if offset[0] == "+" else -1) * dt.timedelta(hours=hours, minutes=minutes)',
        "            0 * dt.timedelta(hours=hours, minutes=minutes)",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "signature: no purpose",
        "plugins/dmp/xades.py",
        '    etree.SubElement(commitment, f"{{{XADES}}}AllSignedDataObjects")',
        '    etree.SubElement(commitment, f"{{{XADES}}}AllSignedDataObjects")\n'
        "    data_properties.remove(commitment)",
        (f"{DMP_TESTS}/test_submission.py",),
    ),
    Mutation(
        "signature: purpose read from unsigned parts too",
        "plugins/dmp/xades.py",
        "        for target in signed\n",
        "        for target in [signature]\n",
        (f"{DMP_TESTS}/test_submission.py",),
    ),
    Mutation(
        "simulator: signature purpose not checked",
        "plugins/dmp/simulator.py",
        "            if SOURCE_SIGNATURE not in verified.purposes:",
        "            if False:",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "vihf: no subject-id",
        "core/security/vihf.py",
        "        Attribute(SUBJECT_ID, (practitioner.display_name,)),\n",
        "",
        ("tests/test_vihf.py",),
    ),
    Mutation(
        "simulator: subject-id not required without a card",
        "plugins/dmp/simulator.py",
        '        if verified.attributes.get("Authentification_mode") != ["DIRECTE"]:',
        "        if False:",
        ("tests/test_vihf.py",),
    ),
    Mutation(
        "ins traits: birth place optional",
        "core/shapes.py",
        '    "required": [*TRAITS_SCHEMA["required"], "birth_place"],',
        '    "required": TRAITS_SCHEMA["required"],',
        (f"{DMP_TESTS}/test_dmp.py",),
    ),
    Mutation(
        "ins traits: an EHR's CDA not checked",
        "plugins/dmp/api.py",
        "        for problem in ins_trait_problems(person)",
        "        for problem in []",
        (f"{DMP_TESTS}/test_dmp.py",),
    ),
    Mutation(
        "ehr cda: a VSM known by the LOINC code (as before)",
        "plugins/dmp/api.py",
        "    elif root.find(f\"{q}templateId[@root='{VSM_TEMPLATE}']\") is not None:",
        '    elif type_code == "60591-5":',
        (f"{DMP_TESTS}/test_dmp.py",),
    ),
    Mutation(
        "terminology: a newer published set called current",
        "plugins/dmp/terminology_update.py",
        '        if given > bundled:\n            return "older"',
        '        if given > bundled:\n            return "current"',
        (f"{DMP_TESTS}/test_terminology.py",),
    ),
    Mutation(
        "simulator: an ITI-41 submission set not checked",
        "plugins/dmp/simulator.py",
        "        check_submission_set(submit)\n",
        "",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "ehr cda: its type not checked",
        "plugins/dmp/api.py",
        "    _check_type(type_code, field, errors)\n    body =",
        "    body =",
        (f"{DMP_TESTS}/test_dmp.py",),
    ),
    Mutation(
        "ehr cda: the birth first names not required",
        "plugins/dmp/cda.py",
        '"hl7:name/hl7:given[not(@qualifier)]"',
        "\"hl7:name/hl7:given[@qualifier='BR']\"",
        (f"{DMP_TESTS}/test_dmp.py",),
    ),
    Mutation(
        "ehr cda: a birth place that is no COG code accepted",
        "plugins/dmp/cda.py",
        "    if place and not _COG.fullmatch(place):",
        "    if False:",
        (f"{DMP_TESTS}/test_dmp.py",),
    ),
    Mutation(
        "ehr cda: a service that ends before it starts accepted",
        "plugins/dmp/metadata.py",
        "    if start and stop and stop < start[: len(stop)]:",
        "    if False:",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "service times: a naive time taken as UTC",
        "plugins/dmp/metadata.py",
        "    zone = None  # without an offset, a time is this machine's local time",
        "    zone = dt.UTC  # without an offset, a time is this machine's local time",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    Mutation(
        "content type: not the one fixed at queue time",
        "plugins/dmp/plugin.py",
        '        p.get("content_type")\n        or content_type_of(',
        "        content_type_of(",
        (f"{DMP_TESTS}/test_xds_conformance.py",),
    ),
    # --- found on the way: a dispatcher woken as it is cancelled must still stop ------------
    Mutation(
        "delivery: the dispatcher sleeps with wait_for (swallows a cancellation on 3.11)",
        "core/delivery.py",
        "            async with asyncio.timeout(wait):\n                await self.wake.wait()",
        "            await asyncio.wait_for(self.wake.wait(), wait)",
        (
            "tests/test_outbox.py::test_the_dispatchers_stop_when_a_delivery_ends_as_the_daemon_stops",
        ),
    ),
    Mutation(
        "tests: a missing specification file skips in CI",
        "tests/conftest.py",
        '        if os.environ.get("CI"):\n            pytest.fail(message)',
        "        if False:\n            pytest.fail(message)",
        ("tests/test_support.py",),
    ),
]


def scratch_copy(target: Path) -> Path:
    """The project copied to ``target``, and a shim folder that imports it as ``aiguillage``
    (``core/`` with ``plugins/`` as ``aiguillage.plugins``, as the install maps them)."""
    shutil.copytree(
        ROOT,
        target / "project",
        ignore=shutil.ignore_patterns(".venv", "__pycache__", "*.egg-info", ".git", ".ruff_cache"),
    )
    shim = target / "shim" / "aiguillage"
    shim.mkdir(parents=True)
    for entry in (target / "project" / "core").iterdir():
        (shim / entry.name).symlink_to(entry)
    (shim / "plugins").symlink_to(target / "project" / "plugins")
    # The tests find the public specification files beside the project, as in the real tree.
    beside = ROOT.parent / "shared"
    if beside.exists():
        (target / "shared").symlink_to(beside)
    return target / "project"


def run(mutation: Mutation, project: Path, shim: Path) -> tuple[str, float]:
    path = project / mutation.file
    original = path.read_text(encoding="utf-8")
    if original.count(mutation.old) != 1:
        return "ERROR (its text is not in the file once: update the mutation)", 0.0
    path.write_text(original.replace(mutation.old, mutation.new), encoding="utf-8")
    started = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *mutation.tests],
            cwd=project,
            env={**os.environ, "PYTHONPATH": str(shim)},
            capture_output=True,
            text=True,
            timeout=900,
        )
    finally:
        path.write_text(original, encoding="utf-8")
    elapsed = time.monotonic() - started
    if result.returncode == 1:
        return "killed", elapsed
    if result.returncode == 0:
        return "SURVIVED", elapsed
    return f"ERROR (pytest exit {result.returncode}: {result.stdout[-300:]})", elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="run only the mutations with these names")
    args = parser.parse_args()
    chosen = [m for m in MUTATIONS if not args.names or m.name in args.names]
    unknown = set(args.names) - {m.name for m in MUTATIONS}
    if unknown:
        parser.error(f"no mutation named {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory(prefix="mutations-") as folder:
        project = scratch_copy(Path(folder))
        shim = Path(folder) / "shim"
        killed = 0
        for n, mutation in enumerate(chosen, 1):
            verdict, seconds = run(mutation, project, shim)
            killed += verdict == "killed"
            print(f"[{n}/{len(chosen)}] {verdict:8} {mutation.name} ({seconds:.1f} s)", flush=True)
    print(f"score: {killed}/{len(chosen)} mutations killed")
    return 0 if killed == len(chosen) else 1


if __name__ == "__main__":
    raise SystemExit(main())
