"""A carte Vitale search with a beneficiary of a session another plugin holds (an ApCV session):
the INSi plugin asks the daemon, which asks the plugins' ``resolve_beneficiary`` hook."""

from __future__ import annotations

import pytest
import session_plugin

from aiguillage.appkeys import JOURNAL
from aiguillage.journal import JournalFilter, select
from aiguillage.plugin_manager import load_plugins
from aiguillage.xml import parse

import echo_plugin

RECVIT = "http://www.cnamts.fr/INSiRecVit"


@pytest.fixture
def plugins():
    return load_plugins(extra=[echo_plugin, session_plugin])


@pytest.fixture
def insi(client):
    session_plugin.CALLS.clear()
    return client


async def test_a_session_beneficiary_is_searched_by_their_card_data(insi):
    response = await insi.post("/v1/ins/search", json={"apcv_session": "family-1"})
    assert response.status == 200, await response.text()
    answer = await response.json()
    assert answer["result"] == "found"
    assert answer["ins"]["matricule"] == "277076322082910"
    assert answer["calls"][0]["operation"] == "rechercherInsAvecCarteVitale"
    assert session_plugin.CALLS == [("resolve", "family-1", 0)]
    rows = list(select(insi.app[JOURNAL].reader, JournalFilter(event="ins.search", limit=None)))
    sent = parse(rows[-1]["request"].encode())
    # What went to INSi is the session's card data: the beneficiary's NIR and birth date.
    assert sent.findtext(f".//{{{RECVIT}}}NumIdentifiant") == "2770763220829"
    assert sent.findtext(f".//{{{RECVIT}}}DateNaissance") == "1977-07-14"


async def test_an_unknown_session_is_a_422_naming_the_field(insi):
    response = await insi.post("/v1/ins/search", json={"apcv_session": "nobody"})
    assert response.status == 422
    problem = await response.json(content_type=None)
    assert problem["errors"][0]["field"] == "apcv_session"
    assert "nobody" in problem["errors"][0]["message"]


async def test_the_holder_s_refusals_reach_the_caller(insi):
    response = await insi.post("/v1/ins/search", json={"apcv_session": "gone"})
    assert response.status == 410
    assert (await response.json(content_type=None))["type"].endswith("apcv-session-expired")
    response = await insi.post(
        "/v1/ins/search", json={"apcv_session": "family-1", "beneficiary": 3}
    )
    assert response.status == 422
    assert (await response.json(content_type=None))["errors"][0]["field"] == "beneficiary"
