"""What a buggy or hostile client sends never reaches a 500: each case below is a 4xx problem
naming what is wrong (issue 11, "No 500 from what a client sends")."""

from __future__ import annotations

import pytest

PROBLEM = "application/problem+json"
HUGE = "9" * 30  # beyond any 64-bit integer


async def problem(response) -> dict:
    assert 400 <= response.status < 500, (response.status, await response.text())
    return await response.json(content_type=PROBLEM)


@pytest.mark.parametrize(
    "url",
    [
        f"/v1/outbox/{HUGE}",
        f"/v1/outbox/{HUGE}/attachments/0",
        f"/v1/outbox/1/attachments/{HUGE}",
        f"/v1/outbox?cursor={HUGE}",
        f"/v1/outbox?limit={HUGE}",
        f"/v1/journal?cursor={HUGE}",
    ],
)
async def test_integers_beyond_64_bits(client, url):
    await problem(await client.get(url))


@pytest.mark.parametrize(
    "url, field",
    [
        ("/v1/outbox/\u0661\u0662", "id"),  # Arabic-Indic "12"
        ("/v1/outbox?limit=\u0661\u0660", "limit"),
        ("/v1/outbox?limit=\uff11\uff10", "limit"),  # fullwidth "10"
        ("/v1/outbox?limit=1_0", "limit"),
        ("/v1/outbox?limit=%2010", "limit"),
        ("/v1/journal?cursor=\u0967", "cursor"),  # Devanagari "1"
    ],
)
async def test_numbers_are_ascii_digits(client, url, field):
    """int() reads any script's digits, spaces and underscores: an EHR's "١٢" is not 12."""
    body = await problem(await client.get(url))
    assert body["status"] in (404, 422)
    if body["status"] == 422:
        assert [e["field"] for e in body["errors"]] == [field]


@pytest.mark.parametrize("depth", [500, 100_000])
async def test_json_nested_too_deep(client, depth):
    body = "[" * depth + "]" * depth
    response = await client.post(
        "/v1/echo/items", data=body, headers={"Content-Type": "application/json"}
    )
    assert (await problem(response))["errors"][0]["field"] == "body"


@pytest.mark.parametrize(
    "when", ["0001-01-01T00:00+01:00", "9999-12-31T23:59-01:00", "0001-01-01", "9999-12-31"]
)
async def test_times_at_the_edges_of_the_calendar(client, when):
    for url in ("/v1/outbox", "/v1/journal"):
        response = await client.get(url, params={"from": when, "to": when})
        assert response.status in (200, 422), (url, when, await response.text())


@pytest.mark.parametrize("last_id", ["9" * 5000, "١٢٣", "12x"])
async def test_last_event_id_not_a_small_ascii_number(client, last_id):
    response = await client.get("/v1/events", headers={"Last-Event-ID": last_id})
    assert (await problem(response))["errors"][0]["field"] == "Last-Event-ID"


async def test_a_lone_surrogate_in_a_string(client):
    response = await client.post(
        "/v1/journal",
        data=b'{"event": "ins.identity_qualified", "summary": "bad \\ud800 text"}',
        headers={"Content-Type": "application/json"},
    )
    assert (await problem(response))["errors"][0]["field"] == "/summary"


async def test_a_document_that_is_a_pdf_and_a_vsm(client):
    from plugins.dmp.test_dmp import body

    sent = body()
    sent["document"] = {"pdf": "JVBERi0=", "vsm": {}, "title": "\x01"}
    errors = (await problem(await client.post("/v1/dmp/documents", json=sent)))["errors"]
    # the kind the body is closest to (a VSM: one stray field) names the field it does not take
    assert [(e["field"], e["message"]) for e in errors] == [
        ("/document/pdf", "is not an accepted field")
    ]


# the last two: a lunar date (day and month unknown) in the future, a year before 1850
@pytest.mark.parametrize(
    "birth_date", ["١٩٣٦-٠٦-١٥", "1936-13-45", "1936-06-32", "2090-00-00", "1849-06-01"]
)
async def test_dates_are_ascii_and_can_exist(client, birth_date):
    from plugins.dmp.test_dmp import body

    sent = body()
    sent["patient"]["traits"]["birth_date"] = birth_date
    errors = (await problem(await client.post("/v1/dmp/documents", json=sent)))["errors"]
    assert errors[0]["field"] == "/patient/traits/birth_date"
    search = {"traits": {**sent["patient"]["traits"], "birth_date": birth_date}}
    search["traits"].pop("birth_place")
    errors = (await problem(await client.post("/v1/ins/search", json=search)))["errors"]
    assert errors[0]["field"] == "/traits/birth_date"


@pytest.mark.parametrize(
    ("pointer", "field"),
    [
        (("ins", "matricule"), "/patient/ins/matricule"),
        (("traits", "birth_date"), "/patient/traits/birth_date"),
        (("traits", "birth_place"), "/patient/traits/birth_place"),
    ],
)
async def test_a_trailing_newline_is_not_the_end_of_a_pattern(client, pointer, field):
    """A schema's "$" ends the text (ECMA-262); Python's also matches before a final newline,
    and "277076322082910\\n" went to the DMP as it was."""
    from plugins.dmp.test_dmp import body

    sent = body()
    sent["patient"][pointer[0]][pointer[1]] += "\n"
    errors = (await problem(await client.post("/v1/dmp/documents", json=sent)))["errors"]
    assert [e["field"] for e in errors] == [field]
    assert (await (await client.get("/v1/outbox")).json())["items"] == []


@pytest.mark.parametrize(
    "header", [b"Origin: http://\xff\xfe.example", b"Host: \xff\xfe", b"X-Request-Id: \xc3\x28"]
)
async def test_headers_that_are_not_utf8(client, token, header):
    import asyncio

    reader, writer = await asyncio.open_connection("127.0.0.1", client.server.port)
    host = (
        b"" if header.startswith(b"Host:") else f"Host: 127.0.0.1:{client.server.port}\r\n".encode()
    )
    writer.write(
        b"GET /v1/health HTTP/1.1\r\n" + host + header + b"\r\n"
        b"Authorization: Bearer " + token.encode() + b"\r\nConnection: close\r\n\r\n"
    )
    status = (await reader.readline()).split()[1]
    writer.close()
    assert status.startswith(b"4"), status
    if header.startswith(b"Origin"):  # refused, and journaled like any refusal
        deadline = asyncio.get_running_loop().time() + 5
        while True:
            rows = await (await client.get("/v1/journal?event=security")).json()
            if any("\\xff\\xfe" in r["summary"] for r in rows["rows"]):
                break
            assert asyncio.get_running_loop().time() < deadline, rows
            await asyncio.sleep(0.02)


async def test_a_refused_value_is_quoted_not_echoed(client):
    """A problem names the refused value; a megabyte of it would come back as a megabyte."""
    response = await client.post(
        "/v1/journal", json={"event": "ins.identity_merged", "summary": "s" * 400_000}
    )
    body = await problem(response)
    assert body["errors"][0]["field"] == "/summary"
    assert len(await response.read()) < 3000
    assert "more characters" in body["errors"][0]["message"]


async def test_a_practitioner_field_xml_cannot_carry_is_a_422(client):
    """Every practitioner field goes into a signed XML token: a control character was a 500
    once the token was built (found by the schemathesis test)."""
    answer = await client.put(
        "/v1/dmp/patients/279035121518989/authorization",
        json={"action": "add", "practitioner": {"profession_code": "1\x010"}},
    )
    errors = (await problem(answer))["errors"]
    assert [e["field"] for e in errors] == ["/practitioner/profession_code"]
