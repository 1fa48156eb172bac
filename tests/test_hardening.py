"""Smaller hardening items (issue 11): exports a spreadsheet cannot run, outbox listings that
show their attachments, a Server header that names no versions."""

from __future__ import annotations

import base64
import csv
import io

import pytest

FORMULAS = ['=HYPERLINK("http://evil.example","clic")', "+1+1", "-2+3", "@SUM(A1)", "\tx"]


@pytest.fixture
async def formulas(client):
    for summary in FORMULAS:
        response = await client.post(
            "/v1/journal", json={"event": "ins.identity_qualified", "summary": summary}
        )
        assert response.status == 201, await response.text()
    return client


async def test_csv_export_neutralises_formulas(formulas):
    text = (await (await formulas.get("/v1/journal/export?format=csv")).read()).decode("utf-8-sig")
    summaries = [row["summary"] for row in csv.DictReader(io.StringIO(text))]
    for summary in FORMULAS:
        assert "'" + summary in summaries, summary
        assert summary not in summaries


async def test_xlsx_export_neutralises_formulas(formulas):
    from openpyxl import load_workbook

    data = await (await formulas.get("/v1/journal/export?format=xlsx")).read()
    sheet = load_workbook(io.BytesIO(data)).active
    column = [c.value for c in sheet[1]].index("summary") + 1
    cells = {sheet.cell(row, column).value: sheet.cell(row, column) for row in range(2, 8)}
    for summary in FORMULAS:
        cell = cells[summary]  # the text as written, and a text cell, not a formula
        assert cell.data_type == "s", (summary, cell.data_type)


async def test_outbox_listing_shows_attachments(relay):
    pdf = base64.b64encode(b"%PDF-1.4 letter").decode()
    sent = await relay.post("/v1/relay/messages", json={"text": "hi", "pdf": pdf})
    assert sent.status == 202
    listed = (await (await relay.get("/v1/outbox")).json())["items"]
    detail = await (await relay.get(f"/v1/outbox/{listed[0]['id']}")).json()
    assert listed[0]["attachments"] == detail["attachments"]
    assert listed[0]["attachments"][0]["filename"] == "letter.pdf"


async def test_server_header_names_no_versions(client):
    for path in ("/v1/health", "/v1/nowhere"):
        response = await client.get(path)
        assert response.headers["Server"] == "aiguillage"
