"""The console's login code and its place in the guard, over a real socket without a browser:
a code serves once and not late, a foreign origin drives nothing, the files carry their policy."""

from __future__ import annotations

import re
import time

import pytest
from click.testing import CliRunner

from aiguillage.app import create_app
from aiguillage.cli import main
from aiguillage.console import CONTENT_SECURITY_POLICY, codes

PROBLEM = "urn:aiguillage:problem:"


@pytest.fixture
async def console(aiohttp_client, settings, plugins, store):
    """The daemon, unauthenticated, with an admin app and an EHR app allowed from a web page."""
    client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
    client.admin = store.add("practice-admin", ["admin"])[1]
    client.ehr = store.add("web-ehr", ["*"], ["http://ehr.example"])[1]
    client.own = f"http://127.0.0.1:{client.server.port}"
    return client


def bearer(token: str, origin: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if origin:
        headers["Origin"] = origin
    return headers


async def login(console, code: str, **headers: str):
    response = await console.post("/v1/console/login", json={"code": code}, headers=headers)
    return response.status, await response.json(content_type=None)


async def test_a_login_code_serves_once(console, settings):
    code = codes.issue(settings.daemon.data_dir)
    assert code not in (settings.daemon.data_dir / codes.DB).read_bytes().decode("latin-1")
    status, session = await login(console, code)
    assert status == 200 and session["scopes"] == ["admin"]
    assert session["app"].startswith("console-")
    answer = await console.put(
        "/v1/plugins/jfse", json={"enabled": True}, headers=bearer(session["token"])
    )
    assert answer.status != 403  # an admin token: the admin-only operation is not refused
    status, problem = await login(console, code)
    assert (status, problem["type"]) == (401, PROBLEM + "invalid-login-code")


async def test_a_late_or_unknown_code_is_refused(console, settings):
    late = codes.issue(settings.daemon.data_dir, now=time.time() - codes.CODE_TTL_SECONDS - 1)
    status, problem = await login(console, late)
    assert (status, problem["type"]) == (401, PROBLEM + "invalid-login-code")
    status, problem = await login(console, "A" * 32)
    assert (status, problem["type"]) == (401, PROBLEM + "invalid-login-code")
    status, problem = await login(console, "short")
    assert (status, problem["errors"][0]["field"]) == (422, "/code")


async def test_a_code_is_traded_from_the_console_only(console, settings):
    code = codes.issue(settings.daemon.data_dir)
    for origin in ("http://evil.example", "http://ehr.example"):
        status, problem = await login(console, code, Origin=origin)
        assert (status, problem["type"]) == (403, PROBLEM + "origin-not-allowed")
    status, _ = await login(console, code, Origin=console.own)
    assert status == 200


async def test_a_foreign_origin_drives_nothing(console):
    for origin in ("http://evil.example", "http://localhost:1", "null"):
        response = await console.get("/v1/plugins", headers=bearer(console.admin, origin))
        assert response.status == 403
        assert (await response.json(content_type=None))["type"] == PROBLEM + "origin-not-allowed"
    # The console's own origin, with the admin's token: yes, as same-origin (no CORS needed).
    for own in (console.own, f"http://localhost:{console.server.port}"):
        response = await console.get("/v1/plugins", headers=bearer(console.admin, own))
        assert response.status == 200
        assert "Access-Control-Allow-Origin" not in response.headers
    # ... with an EHR's token: no, not even one with every service scope; nor from a same-origin
    # GET, which a browser sends without an Origin.
    response = await console.get("/v1/plugins", headers=bearer(console.ehr, console.own))
    assert response.status == 403
    same_origin = {**bearer(console.ehr), "Sec-Fetch-Site": "same-origin"}
    assert (await console.get("/v1/plugins", headers=same_origin)).status == 403
    assert (await console.get("/v1/plugins", headers=bearer(console.ehr))).status == 200
    # The EHR from its own page: as before.
    response = await console.get("/v1/plugins", headers=bearer(console.ehr, "http://ehr.example"))
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == "http://ehr.example"


async def test_the_console_files_need_no_token_and_carry_a_strict_policy(console):
    for path in ("/console/", "/console/app.js", "/console/style.css"):
        response = await console.get(path)
        assert response.status == 200, path
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Cache-Control"] == "no-cache"
        again = await console.get(path, headers={"If-None-Match": response.headers["ETag"]})
        assert again.status == 304
    policy = dict(p.strip().split(" ", 1) for p in CONTENT_SECURITY_POLICY.split(";"))
    assert policy["default-src"] == policy["script-src"] == policy["connect-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    html = await (await console.get("/console/")).text()
    assert "<script>" not in html and " style=" not in html and "http" not in html
    assert (await console.get("/console/nothing.js")).status == 404
    assert (await console.get("/console/..%2Fclients.db")).status in (401, 404)
    assert (await console.get("/v1/plugins")).status == 401


def test_the_console_command_prints_a_working_one_time_address(tmp_path):
    data = tmp_path / "data"
    done = CliRunner().invoke(main, ["console", "--data-dir", str(data), "--port", "7481"])
    assert done.exit_code == 0, done.output
    url = done.stdout.strip()
    match = re.fullmatch(r"http://127\.0\.0\.1:7481/console/#code=([A-Za-z0-9_-]{32})", url)
    assert match, url
    assert "5 minutes" in done.stderr and "once" in done.stderr
    assert (data / codes.DB).stat().st_mode & 0o077 == 0
    assert codes.redeem(data, match[1]) and not codes.redeem(data, match[1])
