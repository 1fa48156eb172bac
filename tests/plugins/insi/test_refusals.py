"""INSi's refusals are the EHR's to handle, not gateway errors: each row of the refusal table
happens for real — a search through the daemon, answered by the simulator — and comes back
with the table's status and type, the INSi codes, and a journal row saying so."""

from __future__ import annotations

import pytest

from aiguillage.app import create_app
from aiguillage.appkeys import JOURNAL
from aiguillage.journal import JournalFilter, select
from aiguillage.plugins.insi.client import InsiFault
from aiguillage.plugins.insi.refusals import REFUSALS, problem

from ..dmp.test_refusals import documented_refusals
from .conftest import admin
from .test_faults import use_certificate
from .test_search import traits

PROBLEM = "application/problem+json"
ZOE = traits("ADRUN", ["ZOE"], "F", "1975-12-31")


async def unknown_person(settings, start, pki):
    """What the qualification platform answers for someone it does not know (the CNDA's
    insi_101), queued on the simulator."""
    client = await start()
    fault = {"subcode": "siram_100", "code": "insi_101", "message": "Identité inconnue"}
    await admin(client, pki, "faults", json={"queue": [fault]})
    return client


async def unknown_idam(settings, start, pki):
    settings.plugins["insi"].options["idam"] = "UNKNOWN-SOFTWARE"
    return await start()


async def machine_mode_without_insi_auto(settings, start, pki):
    settings.plugins["insi"].options["mode"] = "machine"
    use_certificate(settings, pki.directory, "auth_certificate", "structure-auth", pki.password)
    return await start()


#: How each row of the table happens, and the status the EHR must get. A new row needs a
#: scenario here (see below).
SCENARIOS = {
    "insi_101": (unknown_person, 404),
    "desir_550": (unknown_idam, 502),
    "desir_560": (machine_mode_without_insi_auto, 502),
}


def test_every_row_of_the_table_has_a_scenario():
    assert sorted(SCENARIOS) == sorted(REFUSALS)


def test_the_api_docs_show_the_table():
    assert documented_refusals("insi") == {
        code: (status, slug) for code, (status, slug, _) in REFUSALS.items()
    }


@pytest.mark.parametrize("code", sorted(SCENARIOS))
async def test_refusal(code, aiohttp_client, settings, plugins, token, pki):
    async def start():
        client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
        client.session.headers["Authorization"] = f"Bearer {token}"
        return client

    scenario, expected_status = SCENARIOS[code]
    client = await scenario(settings, start, pki)
    response = await client.post("/v1/ins/search", json=ZOE)
    assert response.status == expected_status, await response.text()
    _, slug, title = REFUSALS[code]
    answer = await response.json(content_type=PROBLEM)
    assert answer["type"] == f"urn:aiguillage:problem:{slug}"
    assert (answer["status"], answer["title"]) == (expected_status, title)
    assert (answer["service"], answer["service_code"]) == ("insi", code)
    assert answer["service_subcode"] == "siram_100" and answer["detail"]
    (row,) = select(client.app[JOURNAL].reader, JournalFilter(event="ins.search", limit=None))
    assert row["outcome"] == code  # one call: a refusal is never retried


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        # Down for now, whatever the code: retried, then 503.
        (InsiFault("siram_40", "insi_101", "fatale", "indisponible"), 503),
        (InsiFault("siram_40", "desir_1020", "fatale", "indisponible"), 503),
        # What the daemon built, refused (the simulator's own codes), or a code no one listed.
        (InsiFault("siram_10", "desir_510", "erreur", "assertion invalide"), 502),
        (InsiFault("siram_10", "desir_520", "erreur", "requête non conforme"), 502),
        (InsiFault("siram_999", "", "erreur", "?"), 502),
    ],
)
def test_what_the_table_does_not_list(fault, expected):
    answer = problem(fault)
    assert answer.status == expected
    assert answer.service_code == (fault.code or fault.subcode)
