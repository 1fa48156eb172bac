"""The MSSanté plugin in a running daemon, over real sockets: the EHR sends through the API,
the outbox submits to the simulator's SMTP server, the poller fetches the practice's mail from
its IMAP server, the API shows it; laboratories (mail clients of their own, as another
software would be) send reports and answer receipts."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import ssl
import time
from typing import Any

import pytest

from aiguillage.plugins.mssante import message as mail
from aiguillage.plugins.mssante.simulator import SIMULATOR_PASSWORD
from aiguillage.plugins.mssante.smtp import submit
from aiguillage.security.credentials import client_context, load_credential

from .samples import PAT_TROIS, PDF, PRACTITIONER, example

PRACTICE = "cabinet.test@medecin.mssante.fr"
COLLEAGUE = "marie.martin@medecin.mssante.fr"  # answers receipts
LAB = "labo.test@labo.mssante.fr"  # answers receipts
FAILING_LAB = "labo.erreur@labo.mssante.fr"  # answers them in error
RUTH_JSON = {
    "ins": {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"},
    "traits": {
        "birth_name": "NESSI",
        "first_names": ["RUTH", "ISABELLE"],
        "sex": "F",
        "birth_date": "1977-07-14",
        "birth_place": "63220",
    },
}
PDF_B64 = base64.b64encode(PDF).decode()


def letter(**changes: Any) -> dict[str, Any]:
    body = {
        "to": [COLLEAGUE],
        "patient": RUTH_JSON,
        "subject_label": "Compte rendu de consultation",
        "body": {"text": "Chère consœur, voici le compte rendu."},
        "documents": [{"pdf": PDF_B64, "title": "Compte rendu", "type_code": "11488-4"}],
    }
    return {**body, **changes}


async def until(check, what: str, wait: float = 15.0) -> Any:
    """Poll ``check()`` (sync or async) until it returns something truthy."""
    deadline = time.monotonic() + wait
    while True:
        found = check()
        if asyncio.iscoroutine(found):
            found = await found
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def item_state(mss, item_id: int, state: str = "sent") -> dict:
    async def check():
        item = await (await mss.get(f"/v1/outbox/{item_id}")).json()
        if item["state"] in ("failed", "dead") and state not in ("failed", "dead"):
            raise AssertionError(f"item {item_id} {item['state']}: {item.get('last_error')}")
        return item if item["state"] == state else None

    return await until(check, f"outbox item {item_id} {state}")


async def inbox(mss, **params: str) -> list[dict]:
    response = await mss.get("/v1/mssante/inbox", params=params)
    assert response.status == 200, await response.text()
    return (await response.json())["items"]


def tls(settings) -> ssl.SSLContext:
    pki_dir = settings.daemon.data_dir / "plugins" / "mssante" / "test-pki"
    from aiguillage.security.testpki import plugin_test_pki

    pki = plugin_test_pki(pki_dir.parent)
    return client_context(load_credential(pki.p12("structure-auth"), pki.password), pki.ca_bundle)


async def lab_sends(mss, settings, raw: bytes, sender: str = LAB) -> None:
    """Another operator's user mailing the practice: over SMTP, as any mail client does."""
    await submit(
        mss.config.endpoint_url,
        sender=sender,
        recipients=[PRACTICE],
        message=raw,
        ssl_context=tls(settings),
        login=sender,
        password=SIMULATOR_PASSWORD,
        timeout=10,
    )


def report(cda: bytes, *, receipt: bool = False, message_id: str = "<cr-bio-1@labo>") -> bytes:
    """A laboratory's CR-BIO for PAT-TROIS, built as the practice's own messages are."""
    return mail.build_message(
        mail.Outgoing(
            message_id=message_id,
            sender=LAB,
            to=[PRACTICE],
            cc=[],
            patient=PAT_TROIS,
            subject_label="Compte rendu de biologie",
            body_text="Résultats ci-joints.",
            body_html=None,
            documents=[mail.OutgoingDocument("CR de biologie", "11502-2", "text/xml", cda)],
            request_receipt=receipt,
            date=dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC),
        ),
        PRACTITIONER,
    )


def critical(cda: bytes) -> bytes:
    """The TSH example with its low result turned critically low."""
    text = cda.decode()
    assert 'code="L"' in text
    return text.replace('code="L"', 'code="LL"', 1).encode()


async def events_of(mss, kind: str, count: int = 1) -> list[dict]:
    """The first ``count`` events of type ``kind`` since the daemon started."""
    response = await mss.get("/v1/events", headers={"Last-Event-ID": "0"})
    found, current = [], {}
    try:
        while len(found) < count:
            line = (await asyncio.wait_for(response.content.readline(), 15)).decode().rstrip("\n")
            if not line:
                if current.get("event") == kind:
                    found.append(json.loads(current["data"]))
                current = {}
            elif not line.startswith(":") and ":" in line:
                key, _, value = line.partition(": ")
                current[key] = value
    finally:
        response.close()
    return found


# --- sending ------------------------------------------------------------------------------------


async def test_a_letter_reaches_a_colleague_and_their_receipt_comes_back(mss):
    response = await mss.post(
        "/v1/mssante/messages", json=letter(cc=[PRACTICE], request_receipt=True)
    )
    assert response.status == 202, await response.text()
    queued = await response.json()
    item = await item_state(mss, queued["id"])
    assert item["result"]["sent_folder"] == "copied"

    # The practice was in copy: the poller fetched the message from its own inbox.
    [received] = await until(lambda: inbox(mss), "the copy in the practice's inbox")
    assert received["subject"] == ("XDM/1.0/DDM+Compte rendu de consultation NESSI RUTH 14/07/1977")
    assert received["patient"]["ins"] == RUTH_JSON["ins"]
    assert received["patient"]["traits"]["birth_date"] == "1977-07-14"
    assert received["documents"] == 1 and received["receipt_requested"]
    detail = await (await mss.get(f"/v1/mssante/inbox/{received['id']}")).json()
    assert detail["body"]["text"].startswith("Chère consœur")
    [document] = detail["documents"]
    assert (document["name"], document["type_code"]) == ("DOC00001.XML", "11488-4")
    cda = await (await mss.get(f"/v1/mssante/inbox/{received['id']}/documents/0")).read()
    assert b"277076322082910" in cda and b"ClinicalDocument" in cda
    [pdf] = [a for a in detail["attachments"] if a["media_type"] == "application/pdf"]
    assert "IHE_XDM.ZIP" in [a["filename"] for a in detail["attachments"]]
    got = await mss.get(f"/v1/mssante/inbox/{received['id']}/documents/{pdf['n']}")
    assert got.content_type == "application/pdf" and await got.read() == PDF

    # The colleague's software answered the receipt (so did the practice's? no: it did not
    # acknowledge yet), so the receipt waits for the practice's own.
    sent = await until(lambda: _sent_with_receipts(mss, queued["id"], 1), "the colleague's receipt")
    assert sent["receipt"]["state"] == "requested"  # one of two recipients answered
    assert sent["receipt"]["receipts"][0]["from"] == COLLEAGUE
    assert sent["state"] == "sent" and sent["patient"] == "277076322082910"


async def _sent_with_receipts(mss, item_id: int, count: int) -> dict | None:
    sent = await (await mss.get(f"/v1/mssante/messages/{item_id}")).json()
    return sent if len(sent["receipt"]["receipts"]) >= count else None


async def test_a_receipt_in_error_names_the_code(mss):
    response = await mss.post(
        "/v1/mssante/messages", json=letter(to=[FAILING_LAB], request_receipt=True)
    )
    item_id = (await response.json())["id"]
    sent = await until(lambda: _sent_with_receipts(mss, item_id, 1), "the lab's receipt")
    assert sent["receipt"]["state"] == "error"
    assert (sent["receipt"]["code"], sent["receipt"]["label"]) == (
        "902",
        "Identifiant de patient inconnu",
    )
    [event] = await events_of(mss, "mssante.receipt")
    assert event["receipt"] == "error" and event["code"] == "902"


async def test_an_unknown_recipient_fails_the_item_at_once(mss):
    response = await mss.post(
        "/v1/mssante/messages", json=letter(to=["personne@medecin.mssante.fr"])
    )
    item = await item_state(mss, (await response.json())["id"], "failed")
    assert item["attempts"] == 1
    assert item["last_error"]["code"] == "smtp-550"


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"to": ["222222222222222@patient.mssante.fr"]}, "/to/0", "one patient per message"),
        ({"to": ["quelquun@gmail.com"]}, "/to/0", "mssante"),
        (
            {"documents": [{"pdf": "%%%", "title": "T", "type_code": "11488-4"}]},
            "/documents/0/pdf",
            "base64",
        ),
        (
            {
                "documents": [
                    {
                        "pdf": base64.b64encode(b"no pdf").decode(),
                        "title": "T",
                        "type_code": "11488-4",
                    }
                ]
            },
            "/documents/0/pdf",
            "not a PDF",
        ),
        ({"subject_label": "a\r\nBcc: x@y.fr"}, "/subject_label", ""),
    ],
)
async def test_bad_messages_are_refused_naming_the_field(mss, change, field, says):
    response = await mss.post("/v1/mssante/messages", json=letter(**change))
    assert response.status == 422, await response.text()
    problem = await response.json(content_type="application/problem+json")
    fields = {e["field"]: e["message"] for e in problem["errors"]}
    assert field in fields, fields
    assert says in fields[field]


async def test_a_cda_about_another_patient_is_refused(mss):
    cda = base64.b64encode(example("tsh")).decode()  # about PAT-TROIS, not RUTH
    response = await mss.post("/v1/mssante/messages", json=letter(documents=[{"cda": cda}]))
    assert response.status == 422
    problem = await response.json(content_type="application/problem+json")
    [error] = problem["errors"]
    assert error["field"] == "/documents/0/cda"
    assert "277076322082910" in error["message"] or "INS" in error["message"]


# --- receiving ----------------------------------------------------------------------------------


async def test_a_critical_biology_result_is_flagged_and_announced(mss, settings):
    await mss.get("/v1/health")  # the daemon runs
    await lab_sends(mss, settings, report(critical(example("tsh"))))
    [message] = await until(lambda: inbox(mss, critical="true"), "the critical report")
    assert message["critical"] and message["abnormal"] and message["contains_biology"]
    assert message["patient"]["traits"]["birth_name"] == "PAT-TROIS"
    assert message["patient"]["ins"]["matricule"] == "279035121518989"
    [event] = await events_of(mss, "mssante.critical")
    assert event["id"] == message["id"] and event["patient"] == "279035121518989"
    assert await inbox(mss, critical="false") == []


async def test_an_abnormal_but_not_critical_report(mss, settings):
    await mss.get("/v1/health")
    await lab_sends(mss, settings, report(example("tsh")))
    [message] = await until(lambda: inbox(mss), "the report")
    assert message["abnormal"] and not message["critical"]


async def test_an_unreadable_package_keeps_the_message(mss, settings):
    await mss.get("/v1/health")
    raw = report(example("tsh"))
    # The package's zip turned into one holding a path out of its folder.
    import email
    import io
    import zipfile
    from email import policy

    parsed = email.message_from_bytes(raw, policy=policy.default)
    for part in parsed.walk():
        if part.get_filename() == "IHE_XDM.ZIP":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as z:
                z.writestr("../../etc/evil", b"x")
                z.writestr("IHE_XDM/SUBSET01/METADATA.XML", b"<x/>")
            part.set_content(
                buffer.getvalue(), maintype="application", subtype="zip", filename="IHE_XDM.ZIP"
            )
    await lab_sends(mss, settings, parsed.as_bytes(policy=policy.SMTP))
    [message] = await until(lambda: inbox(mss), "the message")
    assert message["package_error"] and ".." in message["package_error"]
    assert message["documents"] == 0


async def test_acknowledging_a_report_sends_the_lab_an_mdn(mss, settings):
    await mss.get("/v1/health")
    await lab_sends(mss, settings, report(example("tsh"), receipt=True, message_id="<r2@labo>"))
    [message] = await until(lambda: inbox(mss), "the report")
    path = f"/v1/mssante/inbox/{message['id']}/ack"
    response = await mss.post(path, json={"error": {"code": "902", "label": "Inconnu"}})
    assert response.status == 202, await response.text()
    await item_state(mss, (await response.json())["id"])
    again = await mss.post(path, json={})
    assert again.status == 409
    detail = await (await mss.get(f"/v1/mssante/inbox/{message['id']}")).json()
    assert detail["acknowledged"] == "error"

    def lab_inbox() -> list[bytes]:
        import imaplib

        endpoint = mss.config.state["imap_endpoint"]
        client = imaplib.IMAP4("127.0.0.1", int(endpoint.rsplit(":", 1)[1]), timeout=10)
        client.starttls(ssl_context=tls(settings))
        client.login(LAB, SIMULATOR_PASSWORD)
        client.select("INBOX")
        _, data = client.uid("SEARCH", "ALL")
        found = []
        for uid in data[0].split():
            _, parts = client.uid("FETCH", uid, "(BODY.PEEK[])")
            found.append(parts[0][1])
        client.logout()
        return found

    [mdn] = await until(lambda: asyncio.to_thread(lab_inbox), "the MDN in the lab's inbox")
    assert b"multipart/report" in mdn and b"processed/Error: 902^Inconnu" in mdn
    assert b"Original-Message-ID: <r2@labo>" in mdn


async def test_read_and_unknown_ids(mss, settings):
    await mss.get("/v1/health")
    await lab_sends(mss, settings, report(example("tsh")))
    [message] = await until(lambda: inbox(mss, unread="true"), "the report")
    response = await mss.post(f"/v1/mssante/inbox/{message['id']}/read")
    assert await response.json() == {"id": message["id"], "unread": False}
    assert await inbox(mss, unread="true") == []
    for path, slug in (
        ("/v1/mssante/inbox/999", "mssante-inbox-unknown"),
        (f"/v1/mssante/inbox/{message['id']}/documents/99", "mssante-document-unknown"),
        ("/v1/mssante/messages/999", "mssante-message-unknown"),
    ):
        response = await mss.get(path)
        assert response.status == 404
        problem = await response.json(content_type="application/problem+json")
        assert problem["type"].endswith(slug)
    no_receipt = await mss.post(f"/v1/mssante/inbox/{message['id']}/ack", json={})
    assert no_receipt.status == 409


async def test_the_directory_must_be_imported_first(mss):
    response = await mss.get("/v1/mssante/directory", params={"q": "dupont"})
    assert response.status == 503
    problem = await response.json(content_type="application/problem+json")
    assert problem["type"].endswith("mssante-directory-missing")


async def test_the_directory_searched_through_the_api(mss, settings, tmp_path):
    from aiguillage.plugins.mssante.directory import import_extraction

    from .directory_rows import rows, write_txt

    await mss.get("/v1/health")
    source = write_txt(tmp_path / "extraction.txt", 500)
    import_extraction(source, settings.daemon.data_dir / "plugins" / "mssante")
    wanted = next(r for r in rows(500) if r[0] == "PER" and r[9])  # a person, with a name
    family = wanted[9]
    response = await mss.get("/v1/mssante/directory", params={"q": family[:3], "limit": "200"})
    assert response.status == 200, await response.text()
    found = await response.json()
    assert found["count"] == len(found["items"]) > 0
    assert wanted[1] in [e["address"] for e in found["items"]]
    by_rpps = await mss.get("/v1/mssante/directory", params={"rpps": wanted[3]})
    [entry] = (await by_rpps.json())["items"]
    assert (entry["address"], entry["names"]["family"]) == (wanted[1], family)
    bad = await mss.get("/v1/mssante/directory", params={"limit": "0"})
    assert bad.status == 422


async def test_health_says_when_the_inbox_cannot_be_read(aiohttp_client, settings, plugins, token):
    from aiguillage.app import create_app
    from aiguillage.config import Secret

    settings.plugins["mssante"].options["password"] = Secret("not the password", "test")
    settings.daemon.health_interval = 0.2
    client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
    client.session.headers["Authorization"] = f"Bearer {token}"

    async def degraded():
        body = await (await client.get("/v1/health")).json()
        mssante = body["plugins"]["mssante"]
        return mssante if mssante["status"] != "up" else None

    found = await until(degraded, "the health to say the inbox is not read", wait=20)
    assert found["status"] == "degraded"
    assert "inbox not read" in found["detail"] and "AUTHENTICATIONFAILED" in found["detail"]


def test_simulate_names_both_servers(tmp_path):
    """``aiguillage simulate mssante``: the SMTP server's URL and the IMAP one's, both live."""
    import imaplib
    import smtplib
    import subprocess
    import sys
    from urllib.parse import urlsplit

    from conftest import ROOT

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiguillage",
            "simulate",
            "mssante",
            "--data-dir",
            str(tmp_path / "data"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        smtp_line, imap_line = process.stdout.readline(), process.stdout.readline()
        smtp = urlsplit(smtp_line.rsplit(" ", 1)[1].strip())
        imap = urlsplit(imap_line.rsplit(" ", 1)[1].strip())
        assert (smtp.scheme, imap.scheme) == ("smtp", "imap"), (smtp_line, imap_line)
        with smtplib.SMTP(smtp.hostname, smtp.port, timeout=10) as client:
            assert client.ehlo()[0] == 250 and client.has_extn("starttls")
        client = imaplib.IMAP4(imap.hostname, imap.port, timeout=10)
        assert "STARTTLS" in client.capabilities
        client.shutdown()
    finally:
        process.terminate()
        process.wait(timeout=30)
