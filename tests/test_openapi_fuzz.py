"""Generated requests over the whole published API never get a 5xx (issue 11), and every answer
is one the document declares: status, media type, body schema and headers (issue 17).

schemathesis draws requests from ``/v1/openapi.json`` — valid ones and ones that break the
schema on purpose — and sends them to a daemon started for the test, against its simulators.
A 500 means input reached code that could not take it; a 502 that a national service's
refusal of that input was not mapped to the 4xx it means (docs/api.md, "Upstream refusals").
The simulators are up, the MSSanté directory imported and the disk has room, so no 503, 504
or 507 is expected either."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.core.failures import FailureGroup

from conftest import ROOT

STARTED = re.compile(r"listening on http://127\.0\.0\.1:(\d+)")
#: Draws per operation and generation mode: enough to reach every field, small enough for CI.
#: ``FUZZ_EXAMPLES=200`` digs deeper by hand.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
#: What each answer is held to besides "no 5xx": a status, media type, body and headers that the
#: document declares for the operation, as a generated client would expect them.
CONFORMANCE = [
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


@pytest.fixture
def daemon(tmp_path):
    data_dir = tmp_path / "data"
    # A small MSSanté directory, so that generated searches reach its full-text index.
    from plugins.mssante.directory_rows import write_txt

    extraction = write_txt(tmp_path / "extraction.txt", 300)
    imported = subprocess.run(
        [
            sys.executable,
            "-m",
            "aiguillage",
            "directory",
            "import",
            str(extraction),
            "--data-dir",
            str(data_dir),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert imported.returncode == 0, imported.stderr
    # The log goes to a file: a pipe nobody reads would fill and stop the daemon mid-run.
    with (tmp_path / "daemon.log").open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiguillage",
                "serve",
                "--port",
                "0",
                "--data-dir",
                str(data_dir),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
        match = STARTED.search(process.stdout.readline())
        assert match, (tmp_path / "daemon.log").read_text()
        token = (data_dir / "token").read_text().strip()
        yield f"http://127.0.0.1:{match.group(1)}", {"Authorization": f"Bearer {token}"}
        process.terminate()
        process.wait(timeout=30)


def _undeclared_problem(case, response) -> str | None:
    """A problem whose type the document does not list for that status (``x-problem-types``):
    a generated client could not tell what it is."""
    if response.status_code < 400:
        return None
    declared = case.operation.definition.raw["responses"].get(str(response.status_code), {})
    kind = response.json().get("type")
    if kind in declared.get("x-problem-types", ()):
        return None
    return f"{response.status_code} {kind} is not declared for this status"


def test_no_generated_request_gets_a_5xx(daemon):
    base, auth = daemon
    schema = schemathesis.openapi.from_url(f"{base}/v1/openapi.json", headers=auth)
    operations = [result.ok() for result in schema.get_all_operations()]
    statuses: Counter[int] = Counter()
    crashes: list[str] = []
    conformance: list[str] = []
    exercised: set[str] = set()
    for operation in operations:
        if operation.path == "/v1/events":  # a stream that never ends; its input: test_bad_input
            continue
        for mode in schemathesis.GenerationMode:

            @given(operation.as_strategy(mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def send(case):
                response = case.call(base_url=base, headers=auth, timeout=30)
                statuses[response.status_code] += 1
                exercised.add(f"{case.method} {case.path}")
                if response.status_code >= 500:
                    crashes.append(f"{case.method} {case.formatted_path}: {response.text[:300]}")
                undeclared = _undeclared_problem(case, response)
                if undeclared:
                    conformance.append(f"{case.method} {case.formatted_path}: {undeclared}")
                try:
                    case.validate_response(response, checks=CONFORMANCE)
                except (AssertionError, FailureGroup) as exc:
                    where = f"{case.method} {case.formatted_path} → {response.status_code}"
                    failures = exc.exceptions if isinstance(exc, FailureGroup) else [exc]
                    conformance.extend(f"{where}: {str(f)[:400]}" for f in failures)

            send()
    print(f"{sum(statuses.values())} requests over {len(exercised)} operations: {dict(statuses)}")
    assert len(exercised) == len(operations) - 1, "an operation was never called"
    assert sum(statuses.values()) > 20 * len(exercised)
    assert not crashes, "\n".join(crashes[:10])
    assert not conformance, "\n".join(conformance[:10])
