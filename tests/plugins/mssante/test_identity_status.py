"""Identity vigilance at MSSanté: a message to the patient's own mailbox (an address made of the
INS) needs a qualified identity; messages between professionals are not checked."""

from __future__ import annotations

import pytest

from aiguillage.app import create_app

from .test_daemon import COLLEAGUE, RUTH_JSON, letter
from conftest import FAST_POLICY

PATIENT_BOX = "277076322082910@patient.mssante.fr"
NOT_QUALIFIED = "urn:aiguillage:problem:identity-not-qualified"


@pytest.fixture
def daemon(aiohttp_client, settings, plugins, token):
    """Start a daemon whose ``[mssante]`` table has these options."""

    async def start(**options):
        settings.outbox.policies["mssante"] = FAST_POLICY
        settings.plugins["mssante"].options.update(options)
        client = await aiohttp_client(create_app(settings, plugins, validate_responses=True))
        client.session.headers["Authorization"] = f"Bearer {token}"
        return client

    return start


def patient(status: str | None) -> dict:
    return RUTH_JSON if status is None else {**RUTH_JSON, "identity_status": status}


@pytest.mark.parametrize(("field", "recipients"), [("to", [PATIENT_BOX]), ("cc", [PATIENT_BOX])])
async def test_a_message_to_the_patient_needs_a_qualified_identity(daemon, field, recipients):
    mss = await daemon()
    changes = {"to": [COLLEAGUE], field: recipients} if field == "cc" else {field: recipients}
    response = await mss.post(
        "/v1/mssante/messages", json=letter(patient=patient("RECUP"), **changes)
    )
    assert response.status == 422
    problem = await response.json(content_type="application/problem+json")
    assert problem["type"] == NOT_QUALIFIED
    assert problem["errors"][0]["field"] == "/patient/identity_status"
    rows = (await (await mss.get("/v1/journal?event=identity.refused")).json())["rows"]
    assert [r["patient_ins"] for r in rows] == ["277076322082910"]
    response = await mss.post(
        "/v1/mssante/messages", json=letter(patient=patient("QUAL"), **changes)
    )
    assert response.status == 202, await response.text()


async def test_a_message_between_professionals_is_not_checked(daemon):
    mss = await daemon(require_identity_status=True)
    response = await mss.post("/v1/mssante/messages", json=letter(patient=patient("PROV")))
    assert response.status == 202, await response.text()


@pytest.mark.parametrize(
    ("options", "status", "expected"),
    [
        ({}, None, 202),
        ({"require_identity_status": True}, None, 422),
        ({"allow_unqualified_identity": True}, "VALI", 202),
        ({"allow_unqualified_identity": True, "require_identity_status": True}, None, 202),
    ],
)
async def test_the_config_decides_for_an_absent_status_and_may_allow_others(
    daemon, options, status, expected
):
    mss = await daemon(**options)
    response = await mss.post(
        "/v1/mssante/messages", json=letter(to=[PATIENT_BOX], patient=patient(status))
    )
    assert response.status == expected, await response.text()
