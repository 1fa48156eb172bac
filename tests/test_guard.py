"""Every rejection of the guard, over a real socket: nothing bad gets through, nothing is a 500."""

from __future__ import annotations

import json

from aiohttp import ClientSession

from aiguillage.clients import ClientStore

PROBLEM = "application/problem+json"


async def problem(response, status: int) -> dict:
    assert response.status == status, await response.text()
    assert response.content_type == PROBLEM
    body = await response.json(content_type=PROBLEM)
    assert body["status"] == status
    assert body["type"].startswith("urn:aiguillage:problem:")
    assert body["request_id"] == response.headers["X-Request-Id"]
    return body


async def test_authenticated_request_passes(client):
    response = await client.get("/v1/health")
    assert response.status == 200
    assert response.headers["X-Request-Id"]


# --- Host ---------------------------------------------------------------------------------------


async def test_rebound_host_is_misdirected(client):
    port = client.server.port
    for host in (
        "attacker.example",
        f"attacker.example:{port}",
        f"127.0.0.1:{port + 1}",
        "127.0.0.1",
        "",
    ):
        body = await problem(await client.get("/v1/health", headers={"Host": host}), 421)
        assert body["type"].endswith("misdirected-request")


async def test_loopback_names_are_accepted(client):
    port = client.server.port
    for host in (f"localhost:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        response = await client.get("/v1/health", headers={"Host": host})
        assert response.status == 200, host


async def test_configured_host_is_accepted(aiohttp_client, settings, plugins, token):
    from aiguillage.app import create_app

    settings.daemon.allowed_hosts = ["ehr-server.cabinet.local:7480"]
    client = await aiohttp_client(create_app(settings, plugins))
    headers = {"Authorization": f"Bearer {token}", "Host": "ehr-server.cabinet.local:7480"}
    assert (await client.get("/v1/health", headers=headers)).status == 200


async def test_host_checked_before_authentication(client):
    # A rebinding page must learn nothing, not even whether a token is needed.
    response = await client.get("/v1/health", headers={"Host": "evil.example", "Authorization": ""})
    await problem(response, 421)


# --- Origin -------------------------------------------------------------------------------------


async def test_foreign_origin_refused(client):
    response = await client.get("/v1/health", headers={"Origin": "https://evil.example"})
    body = await problem(response, 403)
    assert "https://evil.example" in body["detail"]
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_foreign_origin_refused_on_event_stream(client):
    response = await client.get("/v1/events", headers={"Origin": "http://evil.example"})
    await problem(response, 403)


async def test_cross_site_fetch_refused(client):
    response = await client.get("/v1/health", headers={"Sec-Fetch-Site": "cross-site"})
    body = await problem(response, 403)
    assert body["type"].endswith("cross-site")


async def test_allowlisted_origin_gets_cors(client, store: ClientStore):
    _, web_token = store.add("web-ehr", ["*"], ["http://localhost:3000"])
    headers = {
        "Origin": "http://localhost:3000",
        "Authorization": f"Bearer {web_token}",
        "Sec-Fetch-Site": "cross-site",
    }
    response = await client.get("/v1/health", headers=headers)
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"


async def test_preflight_for_allowlisted_origin(client, store: ClientStore):
    store.add("web-ehr", ["*"], ["http://localhost:3000"])
    response = await client.options(
        "/v1/echo/items",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
            "Authorization": "",
        },
    )
    assert response.status == 204
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]
    assert response.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"


async def test_origin_of_another_app_refused(client, store: ClientStore):
    # The origin is allowlisted, but for a different app than the token's.
    store.add("web-ehr", ["*"], ["http://localhost:3000"])
    response = await client.get("/v1/health", headers={"Origin": "http://localhost:3000"})
    await problem(response, 403)


# --- token and scope ----------------------------------------------------------------------------


async def test_missing_token(client):
    response = await client.get("/v1/health", headers={"Authorization": ""})
    await problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


async def test_unknown_token(client):
    response = await client.get("/v1/health", headers={"Authorization": "Bearer agl_nope"})
    body = await problem(response, 401)
    assert body["type"].endswith("invalid-token")


async def test_revoked_token_refused_at_once(client, store: ClientStore):
    assert (await client.get("/v1/health")).status == 200
    assert store.revoke("ehr")
    await problem(await client.get("/v1/health"), 401)


async def test_event_stream_needs_token(client):
    await problem(await client.get("/v1/events", headers={"Authorization": ""}), 401)


async def test_wrong_scope(client, store: ClientStore):
    _, insi_only = store.add("insi-only", ["insi"])
    response = await client.post(
        "/v1/echo/items",
        json={"name": "a", "count": 1},
        headers={"Authorization": f"Bearer {insi_only}"},
    )
    body = await problem(response, 403)
    assert "'echo'" in body["detail"]


# --- body ---------------------------------------------------------------------------------------


async def test_text_plain_post_refused(client):
    response = await client.post(
        "/v1/echo/items", data=b'{"name": "a", "count": 1}', headers={"Content-Type": "text/plain"}
    )
    body = await problem(response, 415)
    assert body["errors"][0]["field"] == "Content-Type"


async def test_form_post_refused(client):
    # What a cross-site HTML form would send.
    response = await client.post("/v1/echo/items", data={"name": "a"})
    await problem(response, 415)


async def test_declared_upload_type_accepted(client):
    response = await client.post(
        "/v1/echo/upload", data=b"%PDF-1.7 tiny", headers={"Content-Type": "application/pdf"}
    )
    assert response.status == 200
    assert (await response.json())["bytes"] == 13


async def test_oversized_body(client):
    response = await client.post(
        "/v1/echo/upload", data=b"x" * 5000, headers={"Content-Type": "application/pdf"}
    )
    await problem(response, 413)


async def test_oversized_chunked_body(client):
    async def chunks():
        for _ in range(10):
            yield b"x" * 1000

    response = await client.post(
        "/v1/echo/upload", data=chunks(), headers={"Content-Type": "application/pdf"}
    )
    await problem(response, 413)


async def test_daemon_wide_cap(client):
    big = json.dumps({"name": "a" * 1_100_000, "count": 1})
    response = await client.post(
        "/v1/echo/items", data=big, headers={"Content-Type": "application/json"}
    )
    await problem(response, 413)


async def test_malformed_json(client):
    response = await client.post(
        "/v1/echo/items", data=b'{"name": "a",', headers={"Content-Type": "application/json"}
    )
    body = await problem(response, 400)
    assert body["errors"][0]["field"] == "body"


async def test_missing_body(client):
    response = await client.post("/v1/echo/items")
    body = await problem(response, 422)
    assert body["errors"][0]["field"] == "body"


async def test_schema_errors_name_each_field(client):
    response = await client.post(
        "/v1/echo/items", json={"count": -1, "when": "2024-13-40", "colour": "red"}
    )
    body = await problem(response, 422)
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"/name", "/count", "/when", "/colour"}


async def test_valid_body_reaches_handler(client):
    response = await client.post("/v1/echo/items", json={"name": "a", "count": 2})
    assert response.status == 201
    assert (await response.json()) == {"received": {"name": "a", "count": 2}, "app": "ehr"}


# --- params, routes, errors ---------------------------------------------------------------------


async def test_path_and_query_params_validated(client):
    assert (await (await client.get("/v1/echo/items/abc?verbose=true")).json()) == {
        "id": "abc",
        "verbose": True,
    }
    body = await problem(await client.get("/v1/echo/items/ABC?verbose=maybe"), 422)
    assert {e["field"] for e in body["errors"]} == {"id", "verbose"}


async def test_unknown_query_parameter(client):
    body = await problem(await client.get("/v1/echo/items/abc?verbos=true"), 422)
    assert body["errors"] == [{"field": "verbos", "message": "unknown query parameter"}]


async def test_unknown_route_and_method(client):
    await problem(await client.get("/v1/nothing-here"), 404)
    response = await client.delete("/v1/health")
    await problem(response, 405)
    assert "GET" in response.headers["Allow"]


async def test_handler_bug_is_a_bare_500(client, caplog):
    response = await client.get("/v1/echo/boom", headers={"X-Request-Id": "trace-me-42"})
    body = await problem(response, 500)
    text = json.dumps(body)
    assert "Traceback" not in text and "secret internals" not in text
    assert body["request_id"] == "trace-me-42"
    assert "trace-me-42" in caplog.text and "RuntimeError" in caplog.text


async def test_response_breaking_its_schema_is_caught_in_tests(client):
    await problem(await client.get("/v1/echo/broken"), 500)


async def test_request_id_echoed_or_generated(client):
    response = await client.get("/v1/health", headers={"X-Request-Id": "ehr-call-1"})
    assert response.headers["X-Request-Id"] == "ehr-call-1"
    generated = (await client.get("/v1/health")).headers["X-Request-Id"]
    assert len(generated) == 32


async def test_bad_request_id(client):
    response = await client.get("/v1/health", headers={"X-Request-Id": "no spaces <here>"})
    body = await problem(response, 400)
    assert body["errors"][0]["field"] == "X-Request-Id"


async def test_disabled_plugin_paths_say_so(aiohttp_client, settings, plugins, token):
    from aiguillage.app import create_app

    settings.plugins["echo"].enabled = False
    client = await aiohttp_client(create_app(settings, plugins))
    response = await client.post(
        "/v1/echo/items",
        json={"name": "a", "count": 1},
        headers={"Authorization": f"Bearer {token}"},
    )
    body = await problem(response, 404)
    assert body["type"].endswith("plugin-disabled")
    assert "[echo]" in body["detail"]


async def test_no_500_for_garbage_requests(client):
    """A few hostile shapes at once; none may produce a 5xx."""
    async with ClientSession(
        headers={"Authorization": client.session.headers["Authorization"]}
    ) as s:
        base = str(client.make_url(""))
        cases = [
            s.post(
                base + "/v1/echo/items",
                data=b"\xff\xfe\x00",
                headers={"Content-Type": "application/json"},
            ),
            s.post(
                base + "/v1/echo/items", data=b"[]", headers={"Content-Type": "application/json"}
            ),
            s.post(
                base + "/v1/echo/items", data=b"null", headers={"Content-Type": "application/json"}
            ),
            s.get(base + "/v1/events", headers={"Last-Event-ID": "abc"}),
            s.get(base + "/v1/echo/items/" + "a" * 5000),
            s.put(
                base + "/v1/echo/items", data=b"{}", headers={"Content-Type": "application/json"}
            ),
        ]
        for case in cases:
            async with case as response:
                assert response.status < 500, (response.url, await response.text())


async def test_logs_name_routes_not_paths(settings, plugins, token, caplog):
    """Paths can hold an INS; the access log writes the route pattern instead."""
    import logging

    from aiohttp import web

    from aiguillage.app import create_app
    from aiguillage.logs import AccessLogger

    runner = web.AppRunner(create_app(settings, plugins), access_log_class=AccessLogger)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    try:
        with caplog.at_level(logging.DEBUG, logger="aiohttp.access"):
            async with ClientSession() as session:
                async with session.get(
                    f"{base}/v1/echo/items/abc277076322082910",
                    headers={"Authorization": f"Bearer {token}"},
                ) as r:
                    assert r.status == 200
                async with session.get(f"{base}/v1/echo/items/277076322082910") as r:
                    assert r.status == 401
    finally:
        await runner.cleanup()
    assert "GET /v1/echo/items/{id} 200" in caplog.text
    assert "GET /v1/echo/items/{id} 401" in caplog.text
    assert "277076322082910" not in caplog.text


# --- refusals cannot fill the disk ---------------------------------------------------------------


async def test_a_flood_of_refused_requests_writes_a_few_small_rows(client):
    """2,000 refused requests, each with a 4 KB path and a 4 KB token: a handful of rows per
    minute and cause, each field capped, and the counts add up to every refusal."""
    import asyncio
    import sqlite3

    from aiguillage import journal as jr
    from aiguillage.appkeys import SETTINGS

    path = "/v1/" + "x" * 4000
    semaphore = asyncio.Semaphore(32)

    async def refuse(i: int) -> None:
        auth = {"Authorization": "Bearer agl_" + "s" * 4000} if i % 2 else {"Authorization": ""}
        async with semaphore:
            response = await client.get(path, headers=auth)
            assert response.status == 401
            await response.read()

    await asyncio.gather(*(refuse(i) for i in range(2000)))
    data_dir = client.app[SETTINGS].daemon.data_dir
    await client.close()  # the minute's counts are journaled at shutdown
    conn = jr.open_database(data_dir / "journal.db")
    found = list(jr.select(conn, jr.JournalFilter(event="security.rejected", limit=None)))
    # One full row and one summary per (source, cause), twice that if a minute ended meanwhile.
    assert len(found) <= 8, [r["summary"] for r in found]
    assert sorted({r["outcome"] for r in found}) == ["invalid-token", "unauthorized"]
    assert sum(json.loads(r["request"])["count"] for r in found) == 2000
    stored = sum(len(r["request"].encode()) + len(r["summary"].encode()) for r in found)
    assert stored < 8 * 1024, stored
    first = next(r for r in found if "path" in json.loads(r["request"]))
    assert json.loads(first["request"])["path"].endswith("…[4004 bytes]")
    conn.close()
    with sqlite3.connect(data_dir / "journal.db") as db:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
    assert pages * 4096 < 256 * 1024
