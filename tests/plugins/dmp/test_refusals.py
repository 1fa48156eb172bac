"""The DMP's refusals are the EHR's to handle, not gateway errors: each row of the refusal table
happens for real — a request through the daemon, answered by the simulator — and comes back
with the table's status and type, the DMP's code, and a journal row saying so."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from aiguillage.app import create_app
from aiguillage.appkeys import JOURNAL
from aiguillage.config import Secret
from aiguillage.journal import JournalFilter, select
from aiguillage.plugins.dmp import simulator as dmp_simulator
from aiguillage.plugins.dmp.client import DmpError
from aiguillage.plugins.dmp.refusals import REFUSALS, problem
from aiguillage.plugins.dmp.simulator import DmpSimulator
from aiguillage.security.testpki import make_test_pki

from .test_dmp import PROBLEM, send, sent, status
from conftest import ROOT

NO_DMP = "275126322074974"  # ADRUN ZOE: no DMP
NOT_AUTHORISED = "236066322083656"  # TCHITCHI CATARINA: open, no authorisation
CLOSED = "110086322083060"  # NESSI MICHELANGELO: DMP closed


@dataclass
class Daemon:
    """What a scenario gets: the settings to change before it starts the daemon, and the rest
    it may need."""

    aiohttp_client: object
    settings: object
    plugins: object
    token: str
    pki: object
    tmp_path: Path
    monkeypatch: pytest.MonkeyPatch

    async def start(self):
        client = await self.aiohttp_client(
            create_app(self.settings, self.plugins, validate_responses=True)
        )
        client.session.headers["Authorization"] = f"Bearer {self.token}"
        return client


async def no_dmp(d: Daemon):
    client = await d.start()
    return client, "dmp.documents.search", await client.get(f"/v1/dmp/patients/{NO_DMP}/documents")


async def not_authorised(d: Daemon):
    client = await d.start()
    url = f"/v1/dmp/patients/{NOT_AUTHORISED}/documents"
    return client, "dmp.documents.search", await client.get(url)


async def closed(d: Daemon):
    client = await d.start()
    return client, "dmp.documents.search", await client.get(f"/v1/dmp/patients/{CLOSED}/documents")


async def archived_twice(d: Daemon):
    """Archiving an archived document: the registry has no Archived → Archived transition."""
    client = await d.start()
    accepted = await send(client)
    await sent(client, accepted["id"])
    assert (await status(client, accepted["external_id"], "archive")).status == 200
    return client, "dmp.document.archive", await status(client, accepted["external_id"], "archive")


async def content_type_dropped(d: Daemon):
    """The DMP's JDV_J59 no longer lists the practice's content type (the national value set
    moved on, ours did not): the simulator refuses the status change's submission set."""
    client = await d.start()
    accepted = await send(client)
    await sent(client, accepted["id"])
    known = dmp_simulator.value_set
    d.monkeypatch.setattr(
        dmp_simulator,
        "value_set",
        lambda name: {} if name == "dmp_content_type" else known(name),
    )
    return client, "dmp.document.archive", await status(client, accepted["external_id"], "archive")


async def gone_from_the_repository(d: Daemon):
    """The registry lists the document, the repository no longer holds it."""
    client = await d.start()
    accepted = await send(client)
    await sent(client, accepted["id"])
    retrieve = DmpSimulator.retrieve

    def lost(self, body, vihf):
        with self.db:
            self.db.execute("DELETE FROM documents WHERE unique_id = ?", [accepted["external_id"]])
        return retrieve(self, body, vihf)

    d.monkeypatch.setattr(DmpSimulator, "retrieve", lost)
    url = f"/v1/dmp/documents/{accepted['external_id']}?patient=277076322082910"
    return client, "dmp.document.read", await client.get(url)


async def vihf_outside_the_chain(d: Daemon):
    """The VIHF signed by a certificate the DMP does not trust."""
    other = make_test_pki(d.tmp_path / "other-pki")
    options = d.settings.plugins["dmp"].options
    options["signature_certificate"] = str(other.p12("practitioner-signature"))
    options["signature_certificate_password"] = Secret(other.password, "test")
    client = await d.start()
    return client, "dmp.patient.status", await client.get("/v1/dmp/patients/277076322082910")


async def vihf_signed_for_authentication(d: Daemon):
    """The VIHF signed with the authentication certificate instead of the signature one."""
    options = d.settings.plugins["dmp"].options
    options["signature_certificate"] = str(d.pki.p12("structure-auth"))
    options["signature_certificate_password"] = Secret(d.pki.password, "test")
    client = await d.start()
    return client, "dmp.patient.status", await client.get("/v1/dmp/patients/277076322082910")


#: How each row of the table happens, and the status the EHR must get. A new row needs a
#: scenario here (see below).
SCENARIOS = {
    "XDSUnknownPatientId": (no_dmp, 404),
    "XDSDocumentUniqueIdError": (gone_from_the_repository, 404),
    "DMPAccessDenied": (not_authorised, 403),
    "DMPClosed": (closed, 409),
    "XDSMetadataUpdateError": (archived_twice, 409),
    "XDSRegistryMetadataError": (content_type_dropped, 422),
    "DMPInvalidVIHF": (vihf_outside_the_chain, 502),
    "DMPInvalidCertificate": (vihf_signed_for_authentication, 502),
}


def test_every_row_of_the_table_has_a_scenario():
    assert sorted(SCENARIOS) == sorted(REFUSALS)


def test_the_api_docs_show_the_table():
    assert documented_refusals("dmp") == {
        code: (status, slug) for code, (status, slug, _) in REFUSALS.items()
    }


def documented_refusals(service: str) -> dict[str, tuple[int, str]]:
    """The rows of ``service`` with one code in the "Upstream refusals" table of the API docs."""
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    section = text.split("## Upstream refusals", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 5 and cells[0] == service and re.fullmatch(r"`\w+`", cells[1]):
            rows[cells[1].strip("`")] = (int(cells[2]), cells[3].strip("`"))
    return rows


@pytest.mark.parametrize("code", sorted(SCENARIOS))
async def test_refusal(code, aiohttp_client, settings, plugins, token, pki, tmp_path, monkeypatch):
    d = Daemon(aiohttp_client, settings, plugins, token, pki, tmp_path, monkeypatch)
    scenario, expected_status = SCENARIOS[code]
    client, event, response = await scenario(d)
    assert response.status == expected_status, await response.text()
    _, slug, title = REFUSALS[code]
    answer = await response.json(content_type=PROBLEM)
    assert answer["type"] == f"urn:aiguillage:problem:{slug}"
    assert (answer["status"], answer["title"]) == (expected_status, title)
    assert (answer["service"], answer["service_code"]) == ("dmp", code)
    assert answer["detail"]  # the DMP's own words
    rows = select(client.app[JOURNAL].reader, JournalFilter(event=event, limit=1))
    assert [r["outcome"] for r in rows] == [code]


async def test_authorization_refused_journals_the_request_and_the_refusal(dmp):
    """A change refused by the DMP: the pending row written before the call, then the
    refusal; the answer a 404 (no DMP), not a gateway error."""
    response = await dmp.put(f"/v1/dmp/patients/{NO_DMP}/authorization", json={"action": "add"})
    assert response.status == 404
    answer = await response.json(content_type=PROBLEM)
    assert answer["service_code"] == "XDSUnknownPatientId"
    rows = select(
        dmp.app[JOURNAL].reader,
        JournalFilter(event="dmp.authorization", limit=None, ascending=True),
    )
    assert [(r["outcome"], r["summary"]) for r in rows] == [
        ("pending", "authorization add requested"),
        ("XDSUnknownPatientId", "ce patient n'a pas de DMP"),
    ]


async def test_an_outage_is_unavailable_not_a_refusal(aiohttp_client, settings, plugins, token):
    settings.plugins["dmp"].options["simulator_outage"] = True
    client = await aiohttp_client(create_app(settings, plugins))
    response = await client.get(
        "/v1/dmp/patients/277076322082910", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status == 503
    answer = await response.json(content_type=PROBLEM)
    assert (answer["type"], answer["service_code"]) == (
        "urn:aiguillage:problem:dmp-error",
        "DMPServiceUnavailable",
    )


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (DmpError("XDSSomeFutureCode", "?"), 502),  # unknown: the gateway cannot tell
        (DmpError("BadResponse", "unreadable answer", True), 503),
        (DmpError("Timeout", "no answer within 10 s", True), 504),
        (DmpError("DMPServiceUnavailable", "indisponible"), 503),
    ],
)
def test_what_the_table_does_not_list(error, expected):
    assert problem(error).status == expected
    assert (problem(error).service, problem(error).service_code) == ("dmp", error.code)
