"""Identity vigilance at the DMP: only a qualified identity is sent or searched under the INS
(the refusals, per plugin config, per item in a VSM batch), and when the patient's VSM was last
sent, from the outbox and the journal, with the clock moved."""

from __future__ import annotations

import calendar
import time

import pytest

from aiguillage import outbox as ob
from aiguillage.app import create_app
from aiguillage.appkeys import OUTBOX
from aiguillage.plugins.dmp import vsm_status

from .test_dmp import VSM, body, sent

PROBLEM = "application/problem+json"
NOT_QUALIFIED = "urn:aiguillage:problem:identity-not-qualified"
RUTH_INS = "277076322082910"
NO_DMP = "275126322074974"


@pytest.fixture
def daemon(aiohttp_client, settings, plugins, token):
    """Start a daemon whose ``[dmp]`` table has these options."""

    async def start(**options):
        settings.plugins["dmp"].options.update(options)
        client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
        client.session.headers["Authorization"] = f"Bearer {token}"
        return client

    return start


def patient(status: str | None = None, ins: str = RUTH_INS) -> dict:
    data = body(ins=ins)["patient"]
    if status is not None:
        data["identity_status"] = status
    return data


async def refusals(client) -> list[dict]:
    response = await client.get("/v1/journal", params={"event": "identity.refused"})
    return (await response.json())["rows"]


async def outbox_size(client) -> int:
    return len((await (await client.get("/v1/outbox")).json())["items"])


@pytest.mark.parametrize("status", ["PROV", "RECUP", "VALI"])
async def test_a_send_of_an_identity_not_qualified_is_refused(daemon, status):
    dmp = await daemon()
    response = await dmp.post("/v1/dmp/documents", json={**body(), "patient": patient(status)})
    assert response.status == 422
    problem = await response.json(content_type=PROBLEM)
    assert problem["type"] == NOT_QUALIFIED
    (error,) = problem["errors"]
    assert error["field"] == "/patient/identity_status"
    assert error["message"].startswith(f"{status} (") and "QUAL" in error["message"]
    (row,) = await refusals(dmp)
    assert (row["patient_ins"], row["outcome"]) == (RUTH_INS, "refused")
    assert await outbox_size(dmp) == 0


async def test_a_qualified_identity_or_none_said_is_sent(daemon):
    dmp = await daemon()
    for given in (patient("QUAL"), patient()):
        response = await dmp.post("/v1/dmp/documents", json={**body(), "patient": given})
        assert response.status == 202, await response.text()
        await sent(dmp, (await response.json())["id"])
    assert await refusals(dmp) == []


async def test_the_config_can_require_the_status(daemon):
    dmp = await daemon(require_identity_status=True)
    response = await dmp.post("/v1/dmp/documents", json=body())
    assert response.status == 422
    (error,) = (await response.json(content_type=PROBLEM))["errors"]
    assert error["field"] == "/patient/identity_status" and error["message"].startswith("required")


async def test_the_config_can_allow_an_identity_not_qualified(daemon):
    dmp = await daemon(allow_unqualified_identity=True)
    response = await dmp.post("/v1/dmp/documents", json={**body(), "patient": patient("VALI")})
    assert response.status == 202, await response.text()


async def test_searches_and_reads_refuse_an_identity_not_qualified(daemon):
    dmp = await daemon()
    listing = f"/v1/dmp/patients/{RUTH_INS}/documents"
    reading = f"/v1/dmp/documents/1.2.3?patient={RUTH_INS}"
    for url in (listing, reading):
        response = await dmp.get(url, params={"identity_status": "RECUP"})
        assert response.status == 422, url
        problem = await response.json(content_type=PROBLEM)
        assert problem["type"] == NOT_QUALIFIED
        assert problem["errors"][0]["field"] == "identity_status"
    assert len(await refusals(dmp)) == 2
    response = await dmp.get(listing, params={"identity_status": "QUAL"})
    assert response.status == 200, await response.text()


async def test_a_vsm_batch_refuses_its_unqualified_items_and_sends_the_others(daemon):
    dmp = await daemon()
    items = [
        {"patient": patient("VALI"), "vsm": VSM},
        {"patient": patient("QUAL"), "vsm": VSM},
        {"patient": patient(), "vsm": VSM},
        {"patient": patient("PROV", ins="181036322045676"), "vsm": VSM},
    ]
    response = await dmp.post("/v1/dmp/vsm/batch", json={"items": items})
    assert response.status == 202, await response.text()
    accepted = await response.json()
    assert accepted["items"] == 2
    assert [(r["index"], r["patient"], r["identity_status"]) for r in accepted["refused"]] == [
        (0, RUTH_INS, "VALI"),
        (3, "181036322045676", "PROV"),
    ]
    assert accepted["refused"][1]["field"] == "/items/3/patient/identity_status"
    summary = await (await dmp.get(accepted["location"])).json()
    assert summary["total"] == 2
    assert {r["patient_ins"] for r in await refusals(dmp)} == {RUTH_INS, "181036322045676"}


async def test_a_vsm_batch_of_only_unqualified_items_is_a_422(daemon):
    dmp = await daemon()
    items = [{"patient": patient("RECUP"), "vsm": VSM}, {"patient": patient("PROV"), "vsm": VSM}]
    response = await dmp.post("/v1/dmp/vsm/batch", json={"items": items})
    assert response.status == 422
    problem = await response.json(content_type=PROBLEM)
    assert problem["type"] == NOT_QUALIFIED
    assert [e["field"] for e in problem["errors"]] == [
        "/items/0/patient/identity_status",
        "/items/1/patient/identity_status",
    ]
    assert await outbox_size(dmp) == 0


async def vsm_of(client, ins: str = RUTH_INS) -> dict:
    response = await client.get(f"/v1/dmp/patients/{ins}/vsm")
    assert response.status == 200, await response.text()
    return await response.json()


async def test_when_the_vsm_was_last_sent(daemon, monkeypatch):
    dmp = await daemon()
    never = await vsm_of(dmp)
    assert (never["status"], never["last_sent"], never["last"]) == ("never", None, None)
    # A PDF is no VSM.
    pdf = await (await dmp.post("/v1/dmp/documents", json=body())).json()
    await sent(dmp, pdf["id"])
    assert (await vsm_of(dmp))["status"] == "never"
    response = await dmp.post(
        "/v1/dmp/documents", json={"patient": patient("QUAL"), "document": {"vsm": VSM}}
    )
    item = await sent(dmp, (await response.json())["id"])
    answer = await vsm_of(dmp)
    assert answer["status"] == "sent_less_than_a_year"
    assert answer["label"] == "VSM envoyé il y a moins d'un an"
    assert answer["last_sent"] == answer["last"]
    assert answer["last_sent"]["outbox_id"] == item["id"]
    assert answer["last_sent"]["state"] == "sent"
    assert answer["last_sent"]["unique_id"] == item["external_id"]
    # One calendar year later, to the second: still less; a second after, more.
    sent_at = (
        dmp.app[OUTBOX]
        .reader.execute("SELECT sent_at FROM items WHERE id = ?", [item["id"]])
        .fetchone()[0]
    )
    monkeypatch.setattr(vsm_status, "clock", lambda: vsm_status.a_year_after(sent_at) - 1)
    assert (await vsm_of(dmp))["status"] == "sent_less_than_a_year"
    monkeypatch.setattr(vsm_status, "clock", lambda: vsm_status.a_year_after(sent_at) + 1)
    later = await vsm_of(dmp)
    assert (later["status"], later["label"]) == (
        "sent_more_than_a_year",
        "VSM envoyé il y a plus d'un an : à mettre à jour",
    )
    # Once the outbox purged the payload, the journal still tells the VSM from the PDF.
    now = time.time()
    assert await dmp.app[OUTBOX].write(ob.purge_payloads, now + 1, now) == 2
    assert (await vsm_of(dmp))["last_sent"]["outbox_id"] == item["id"]


async def test_a_vsm_that_failed_shows_as_last_not_as_sent(daemon):
    dmp = await daemon()
    response = await dmp.post(
        "/v1/dmp/documents", json={"patient": patient(ins=NO_DMP), "document": {"vsm": VSM}}
    )
    item = await sent(dmp, (await response.json())["id"], "failed")
    answer = await vsm_of(dmp, NO_DMP)
    assert (answer["status"], answer["last_sent"]) == ("never", None)
    assert (answer["last"]["outbox_id"], answer["last"]["state"]) == (item["id"], "failed")
    assert (await vsm_of(dmp))["status"] == "never"  # another patient's VSM is not hers


def test_a_year_after_a_29_february_is_the_first_of_march():
    leap = calendar.timegm((2024, 2, 29, 12, 0, 0))
    later = time.gmtime(vsm_status.a_year_after(leap))
    assert (later.tm_year, later.tm_mon, later.tm_mday) == (2025, 3, 1)
