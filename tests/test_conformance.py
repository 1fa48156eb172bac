"""Certification runs: ``aiguillage conformance run --suite insi --suite dmp`` against the
simulators passes, and each scenario's evidence holds what an assessor asks for (the frames as on
the wire, MTOM included, the API exchanges, the journal rows, the ANS schematron report of each
CDA, a SHA-256 manifest, a zip); a wrong expectation fails; the same seed gives the same
frames; response files are injected through the simulators and through the proxy."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import re
import shutil
import sys
import zipfile
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from click.testing import CliRunner
from lxml import etree

from aiguillage.conformance.ans import BUNDLED, closure
from aiguillage.conformance.command import conformance_group
from aiguillage.conformance.proxy import InjectingProxy
from aiguillage.conformance.scenarios import BUILT_IN, load_all
from aiguillage.conformance.schematron import EVERY_CDA, ROOTS, Schematrons, applicable

from conftest import run_cli

# One worker runs them all: the campaign fixture is run once, and its schematrons compiled once.
pytestmark = pytest.mark.xdist_group("conformance")

INSI = {"TEST_1.10", "TEST_2.04 cas2", "TEST_2.05", "TEST_2.08 cas1", "TEST_2.08 cas2"}
INSI |= {"TEST_3.05 cas3", "REP_CR01", "RETRY_PRENOMS"}
DMP = {"TD0.2", "TD2.1", "TD3.1", "TD3.2", "TD3.3c", "TD3.3d"}
#: A value set the minimal structuring's rules read with doc().
VOC_471 = "voc-1.2.250.1.213.1.1.5.471-DYNAMIC.xml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(conformance_group, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def pki_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("conformance") / "pki"


@pytest.fixture(scope="module")
def schematron_cache(tmp_path_factory) -> Path:
    """One cache for the module: the campaign and the direct checks share the compiled
    stylesheets (compiled once per process)."""
    return tmp_path_factory.mktemp("schematron-cache")


@pytest.fixture(scope="module")
def campaign(tmp_path_factory, pki_dir, schematron_cache) -> tuple[int, str, Path]:
    """Both suites, run once for the module, with the ANS schematrons Aiguillage ships."""
    out = tmp_path_factory.mktemp("evidence")
    cache = schematron_cache
    code, output = run(
        "run", "--suite", "insi", "--suite", "dmp", "--out", str(out), "--pki", str(pki_dir),
        "--cache", str(cache),
    )  # fmt: skip
    return code, output, out


def test_every_official_test_id_has_a_scenario():
    ids = {s.id for s in load_all()}
    assert INSI | DMP <= ids
    assert {s.suite for s in load_all()} == {"insi", "dmp"}


def test_the_list_command_names_each_scenario():
    code, output = run("list", "--suite", "insi")
    assert code == 0
    listed = {line.split("\t")[0] for line in output.splitlines()}
    assert listed == {s.id for s in load_all() if s.suite == "insi"} and INSI <= listed


def test_both_suites_pass_against_the_simulators(campaign):
    code, output, out = campaign
    assert code == 0, output
    assert f"{len(load_all())}/{len(load_all())} passed" in output
    junit = etree.parse(str(out / "junit.xml")).getroot()
    assert junit.get("failures") == "0"
    assert {c.get("name") for c in junit.iter("testcase")} == {s.id for s in load_all()}
    assert "réussi" in (out / "report.html").read_text(encoding="utf-8")


def test_each_bundle_holds_the_frames_journal_and_api_exchanges(campaign):
    _, _, out = campaign
    for scenario in load_all():
        folder = out / scenario.folder_name
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        assert summary["id"] == scenario.id and summary["passed"] is True
        requests = sorted((folder / "frames").glob("*-request.http"))
        assert requests, scenario.id
        for request in requests:
            answer = request.with_name(request.name.replace("-request", "-response"))
            assert answer.read_bytes().startswith(b"HTTP/1.1 ")
            head, _, body = request.read_bytes().partition(b"\r\n\r\n")
            assert head.startswith(b"POST /")
            length = re.search(rb"Content-Length: (\d+)", head)
            assert length and int(length.group(1)) == len(body)  # the body as sent, whole
        rows = json.loads((folder / "journal.json").read_text(encoding="utf-8"))
        assert any(r["event"].startswith(("ins.", "dmp.")) for r in rows)
        assert list((folder / "api").glob("*.json"))


def test_the_submission_frame_is_the_mtom_message_with_the_cda_checked(campaign):
    _, _, out = campaign
    request = next((out / "TD2.1" / "frames").glob("*-dmp-request.http")).read_bytes()
    assert b"Content-Type: multipart/related" in request
    assert b"ProvideAndRegisterDocumentSetRequest" in request and b"<ClinicalDocument" in request
    reports = json.loads((out / "TD2.1" / "cda" / "1.schematron.json").read_text())
    names = {r["schematron"] for r in reports}
    assert "profils/structurationMinimale/ASIP-STRUCT-MIN-StrucMin.sch" in names
    assert "CI-SIS_VSM_2023.01.sch" in names
    assert all(r["passed"] and r["rules_fired"] > 0 for r in reports), reports
    summary = json.loads((out / "TD2.1" / "summary.json").read_text())
    assert summary["schematrons"] == "ANS (Saxon-HE), bundled copy"


def test_every_root_runs_on_the_dmp_plugins_documents_with_the_bundled_files(
    schematron_cache, tmp_path
):
    """Each schematron the checks may run, on a VSM and a level 1 (PDF) document as the DMP
    plugin makes them: no Saxon error (a missing include or value set would be one), and each
    that applies fires rules and finds nothing wrong."""
    from aiguillage.config import load_settings
    from aiguillage.ihe.cda import DocumentInfo, Patient, level1
    from aiguillage.plugin_manager import load_plugins
    from aiguillage.plugins.dmp.vsm import vsm

    practitioner = load_settings(None, load_plugins().infos).practitioner
    ruth = Patient(
        "277076322082910", "1.2.250.1.213.1.4.8", "NESSI", ["RUTH", "ISABELLE"], "F",
        "1977-07-14", "63220",
    )  # fmt: skip
    item = {"label": "Diabète de type 2", "since": "2015-03-01", "code": "E11"}
    content = {"problems": [item], "allergies": [{"label": "Pénicilline"}]}
    (tmp_path / "vsm.xml").write_bytes(
        vsm(content, DocumentInfo("Volet de synthèse médicale", "SYNTH"), ruth, practitioner)
    )
    pdf = base64.b64encode(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n")
    (tmp_path / "level1.xml").write_bytes(
        level1(pdf, DocumentInfo("Ordonnance", "57833-6"), ruth, practitioner)
    )
    checker = Schematrons(None, schematron_cache)
    assert checker.tree.parent == schematron_cache
    for name, applies in (("vsm.xml", ROOTS), ("level1.xml", EVERY_CDA)):
        assert applicable((tmp_path / name).read_bytes()) == applies
        for root in ROOTS:
            report = checker._run(root, tmp_path / name)
            assert report.error is None, (name, report)
            if root in applies:
                assert report.passed, (name, report)


def test_the_bundled_ans_files_are_exactly_those_the_checks_read():
    needed = closure(BUNDLED, ROOTS)
    assert not needed.missing and not needed.unlisted
    shipped = {p.relative_to(BUNDLED).as_posix() for p in BUNDLED.rglob("*") if p.is_file()}
    assert shipped - {"README.md"} == needed.files
    # The includes, a value set read through doc() and one named by a <let> are among them.
    assert "schematrons/include/specificationsVolets/VSM_2023.01/Entete/Entete_VSM_2023.sch" in (
        needed.files
    )
    assert f"schematrons/profils/structurationMinimale/include/{VOC_471}" in needed.files
    assert "jeuxDeValeurs/JDV_HL7_allergyintolerance_clinical_CISIS.xml" in needed.files


def test_a_missing_ans_file_is_named_and_refused(tmp_path):
    ans = tmp_path / "ans"
    shutil.copytree(BUNDLED, ans)
    (ans / "schematrons/profils/structurationMinimale/include" / VOC_471).unlink()
    (ans / "jeuxDeValeurs/JDV_HL7_allergyintolerance_clinical_CISIS.xml").unlink()
    missing = closure(ans, ROOTS).missing
    assert missing == {
        f"schematrons/profils/structurationMinimale/include/{VOC_471}",
        "jeuxDeValeurs/JDV_HL7_allergyintolerance_clinical_CISIS.xml",
    }
    code, output = run(
        "run", "TD2.1", "--schematrons", str(ans), "--cache", str(tmp_path / "cache"),
        "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert code == 2 and VOC_471 in output and "missing" in output


def test_the_manifest_and_the_zip_hold_every_file(campaign):
    _, _, out = campaign
    folder = out / "TEST_3.05_cas3"
    listed = {}
    for line in (folder / "MANIFEST.sha256").read_text().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert set(listed) == files - {"MANIFEST.sha256"}
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    with zipfile.ZipFile(out / "TEST_3.05_cas3.zip") as zf:
        assert {n.split("/", 1)[1] for n in zf.namelist()} == files


def test_a_wrong_expectation_fails_the_run(tmp_path, pki_dir):
    folder = tmp_path / "scenarios" / "insi"
    folder.mkdir(parents=True)
    shutil.copytree(BUILT_IN / "insi" / "responses", folder / "responses")
    text = (BUILT_IN / "insi" / "TEST_2.05.toml").read_text(encoding="utf-8")
    wrong = text.replace('"ins.kind" = "NIA"', '"ins.kind" = "NIR"')
    assert wrong != text
    (folder / "TEST_2.05.toml").write_text(wrong, encoding="utf-8")
    out = tmp_path / "out"
    code, output = run(
        "run", "TEST_2.05", "--scenarios", str(tmp_path / "scenarios"), "--out", str(out),
        "--pki", str(pki_dir),
    )  # fmt: skip
    assert code == 1, output
    assert "field ins.kind: 'NIA', expected 'NIR'" in output
    junit = (out / "junit.xml").read_text(encoding="utf-8")
    assert 'failures="1"' in junit and "<failure" in junit
    assert json.loads((out / "TEST_2.05" / "summary.json").read_text())["passed"] is False


def frames(out: Path, scenario: str) -> dict[str, bytes]:
    """A bundle's frames, the Host header's port (a free port each run) blanked."""
    return {
        p.name: re.sub(rb"Host: 127\.0\.0\.1:\d+", b"Host: 127.0.0.1:PORT", p.read_bytes())
        for p in sorted((out / scenario / "frames").iterdir())
    }


def test_the_same_seed_gives_the_same_frames(tmp_path, pki_dir):
    runs = {}
    for name, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        out = tmp_path / name
        code, output = run(
            "run", "TEST_2.04 cas2", "TD3.1", "--seed", seed, "--out", str(out),
            "--pki", str(pki_dir), "--no-schematrons",
        )  # fmt: skip
        assert code == 0 and "note: cda/1.xml: not checked by the ANS schematrons" in output
        runs[name] = {s: frames(out, s) for s in ("TEST_2.04_cas2", "TD3.1")}
    assert runs["a"] == runs["b"]
    assert len(runs["a"]["TD3.1"]) == 4  # submission, then the search
    assert runs["a"]["TD3.1"] != runs["c"]["TD3.1"]
    assert runs["a"]["TEST_2.04_cas2"] != runs["c"]["TEST_2.04_cas2"]


async def test_the_proxy_forwards_unless_an_answer_is_injected():
    seen = []

    async def platform(request: web.Request) -> web.Response:
        seen.append(await request.read())
        return web.Response(body=b"<real/>", content_type="application/soap+xml")

    app = web.Application()
    app.router.add_post("/lps", platform)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    upstream = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/lps"
    captured = []
    proxy = InjectingProxy(upstream, None, captured.append)
    endpoint = await proxy.start()
    try:
        async with aiohttp.ClientSession() as http:
            admin = endpoint.replace("/lps", "/_admin/inject")
            async with http.post(admin, params={"times": "2"}, data=b"<injected/>") as reply:
                assert reply.status == 200 and (await reply.json())["injected"] == 2
            async with http.post(admin, params={"times": "0"}, data=b"<x/>") as reply:
                assert reply.status == 400 and "times" in (await reply.json())["error"]
            answers = []
            for n in range(3):
                async with http.post(endpoint, data=f"<call n='{n}'/>".encode()) as reply:
                    answers.append((reply.status, await reply.read()))
            async with http.post(endpoint.replace("/lps", "/other"), data=b"<x/>") as reply:
                elsewhere = reply.status
            forwarded = proxy.forwarded
    finally:
        await proxy.stop()
        await runner.cleanup()
    assert answers == [(200, b"<injected/>"), (200, b"<injected/>"), (200, b"<real/>")]
    assert seen == [b"<call n='2'/>"]  # the injected calls never reached the platform
    # A path outside the endpoint's never reaches the platform (only call 2 went there).
    assert elsewhere == 404 and forwarded == 1
    assert [f.request_body for f in captured] == [f"<call n='{n}'/>".encode() for n in range(3)]
    assert [f.response_body for f in captured][2] == b"<real/>"
    for frame in captured:  # a status line and a length, as the simulators' frames have
        assert frame.response_head.startswith(b"HTTP/1.1 200 OK\r\n")
        length = len(frame.response_body)
        assert f"Content-Length: {length}\r\n".encode() in frame.response_head


async def test_a_run_against_a_platform_goes_through_the_injecting_proxy(tmp_path, pki):
    """A test platform (here an INSi simulator of its own, outside the daemon) configured as
    the endpoint: the run puts the proxy in front, injects there, and captures the frames."""
    from aiguillage.conformance import runner, scenarios
    from aiguillage.plugins.insi.simulator import InsiSimulator

    platform = InsiSimulator(
        server_p12=pki.p12("server"),
        password=pki.password,
        trust=pki.ca_bundle,
        idams=["NumAutorisation"],
    )
    url = await platform.start()
    config = tmp_path / "aiguillage.toml"
    for name in ("structure-auth", "practitioner-signature"):
        assert pki.p12(name).exists()
    config.write_text(
        f"""[insi]
endpoint = "{url}"
server_ca = "{pki.ca_bundle}"
auth_certificate = "{pki.p12("structure-auth")}"
auth_certificate_password = {{ file = "{pki.password_file}" }}
signature_certificate = "{pki.p12("practitioner-signature")}"
signature_certificate_password = {{ file = "{pki.password_file}" }}
""",
        encoding="utf-8",
    )
    chosen = scenarios.select(scenarios.load_all(), ["TEST_2.05", "RETRY_PRENOMS"], [])
    options = runner.Options(work=tmp_path / "work", clock="real", pki=pki.directory, config=config)
    try:
        results = await runner.run_all(chosen, options)
    finally:
        await platform.stop()
    for result in results:
        assert result.passed, result.failures
        assert result.frames and all(f.plugin == "insi" for f in result.frames)
    # TEST_2.05's answer came from the proxy: the platform saw no call; RETRY_PRENOMS's second
    # call went through to it.
    assert platform.calls == 1


def test_a_schematron_that_fired_no_rule_is_no_pass():
    from aiguillage.conformance.schematron import Report

    assert Report("CI-SIS_VSM_2023.01.sch", 12).passed
    assert not Report("CI-SIS_VSM_2023.01.sch", 0).passed  # it checked nothing
    assert not Report("CI-SIS_VSM_2023.01.sch", 12, ["/ClinicalDocument: title"]).passed


@pytest.mark.parametrize(
    ("query", "field"),
    [({"times": "0"}, "times"), ({"times": "x"}, "times"), ({"status": "99"}, "status")],
)
def test_a_bad_injection_names_its_parameter(query, field):
    from aiguillage.simulators import injection_from_query

    with pytest.raises(ValueError, match=f"^{field}:"):
        injection_from_query(query, b"<x/>")
    with pytest.raises(ValueError, match=r"^body:"):
        injection_from_query({}, b"")


@pytest.mark.parametrize("test_id", ["..", ".", " "])
def test_an_id_that_cannot_name_a_folder_is_refused(tmp_path, test_id):
    """The evidence folder named by the id is replaced by a run: '..' would be the parent of
    the output folder."""
    folder = tmp_path / "dmp"
    folder.mkdir()
    text = (BUILT_IN / "dmp" / "TD0.2.toml").read_text(encoding="utf-8")
    (folder / "TD0.2.toml").write_text(text.replace('id = "TD0.2"', f'id = "{test_id}"'))
    code, output = run("list", "--scenarios", str(tmp_path))
    assert code == 2 and "TD0.2.toml: id: needs a letter or a digit" in output


def test_two_ids_writing_the_same_folder_are_refused(tmp_path):
    folder = tmp_path / "dmp"
    folder.mkdir()
    text = (BUILT_IN / "dmp" / "TD0.2.toml").read_text(encoding="utf-8")
    (folder / "a.toml").write_text(text.replace('id = "TD0.2"', 'id = "TD0.2 x"'))
    (folder / "b.toml").write_text(text.replace('id = "TD0.2"', 'id = "TD0.2/x"'))
    code, output = run("list", "--scenarios", str(tmp_path))
    assert code == 2 and "b.toml: id 'TD0.2/x' is" in output


def test_a_scenario_file_with_a_mistake_is_refused_naming_the_key(tmp_path):
    folder = tmp_path / "insi"
    folder.mkdir()
    text = (BUILT_IN / "dmp" / "TD0.2.toml").read_text(encoding="utf-8")
    (folder / "TD0.2.toml").write_text(text.replace("status = 200", "stauts = 200"))
    code, output = run("list", "--scenarios", str(tmp_path))
    assert code == 2
    assert "TD0.2.toml: steps[1].expect: unknown stauts" in output


def test_the_command_is_on_the_aiguillage_cli():
    result = run_cli("conformance", "list", "--suite", "dmp")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("TD0.2\tdmp\t")
    assert run_cli("conformance", "run", "TD9.9").returncode == 2


async def test_the_proxy_command_stands_in_front_of_a_platform(tmp_path, aiohttp_server):
    async def platform(request: web.Request) -> web.Response:
        return web.Response(body=b"<real/>", content_type="application/soap+xml")

    app = web.Application()
    app.router.add_post("/lps", platform)
    server = await aiohttp_server(app)
    config = tmp_path / "aiguillage.toml"
    config.write_text(f'[insi]\nendpoint = "http://127.0.0.1:{server.port}/lps"\n')
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "aiguillage", "conformance", "proxy", "insi",
        "--config", str(config), "--data-dir", str(tmp_path / "d"),
        "--frames", str(tmp_path / "frames"),
        stdout=asyncio.subprocess.PIPE, env=os.environ.copy(),
    )  # fmt: skip
    try:
        line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
        url = re.search(r'endpoint = "([^"]+)"', line).group(1)
        assert url.endswith("/lps") and f":{server.port}/" not in url
        async with aiohttp.ClientSession() as http:
            inject = url.replace("/lps", "/_admin/inject")
            async with http.post(inject, data=b"<injected/>") as reply:
                assert reply.status == 200
            bodies = []
            for _ in range(2):
                async with http.post(url, data=b"<call/>") as reply:
                    bodies.append(await reply.read())
    finally:
        process.terminate()
        await process.wait()
    assert bodies == [b"<injected/>", b"<real/>"]
    written = sorted(p.name for p in (tmp_path / "frames").iterdir())
    assert written == [f"000{n}-{side}.http" for n in (1, 2) for side in ("request", "response")]


def test_a_daemons_data_dir_is_refused_as_the_runs_folder(tmp_path):
    """Scenario folders are made and deleted in ``--data-dir``: a daemon's own is refused."""
    (tmp_path / "journal.db").write_bytes(b"")
    result = CliRunner().invoke(
        conformance_group, ["run", "TEST_1.10", "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 2 and "holds a daemon's data" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["journal.db"]
