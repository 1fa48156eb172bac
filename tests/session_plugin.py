"""A plugin for the tests that holds carte Vitale sessions, as the ApCV plugin does: it answers
the ``resolve_beneficiary`` and ``sign_care_sheet`` hooks for the sessions below, so that the
plugins asking for a session are tested without the ApCV service."""

from __future__ import annotations

from aiguillage.hookspecs import Call, PluginConfig, PluginInfo, hookimpl
from aiguillage.problems import FieldError, Problem, validation_problem

NESSI_RUTH = {
    "nir": "277076322082910",
    "nir_od": "277076322082910",
    "birth_name": "NESSI",
    "first_name": "RUTH",
    "birth_date": "1977-07-14",
    "rank": 1,
    "regime": "01",
    "caisse": "631",
    "centre": "0000",
    "rights": [{"start": "2026-01-01", "end": None}],
    "exonerations": [],
    "ins": None,
}
#: Session id → its beneficiaries; ``"gone"`` is an expired session.
SESSIONS = {"family-1": [NESSI_RUTH], "gone": [NESSI_RUTH]}
#: What the tests can look at: each hook call, in order.
CALLS: list[tuple[str, str, int]] = []


@hookimpl
def plugin_info() -> PluginInfo:
    return PluginInfo(name="sessions", version="1.0", title="Carte Vitale sessions (tests)")


@hookimpl
def resolve_beneficiary(call: Call, session: str, index: int, config: PluginConfig) -> dict | None:
    CALLS.append(("resolve", session, index))
    if session not in SESSIONS:
        return None
    if session == "gone":
        raise Problem(410, "apcv-session-expired", "The ApCV session has expired", session)
    beneficiaries = SESSIONS[session]
    if index >= len(beneficiaries):
        raise validation_problem(
            [FieldError("beneficiary", f"the session has {len(beneficiaries)}")]
        )
    return beneficiaries[index]


@hookimpl
async def sign_care_sheet(
    call: Call, session: str, index: int, digest: str, summary: dict, config: PluginConfig
) -> dict | None:
    CALLS.append(("sign", session, index))
    if session not in SESSIONS:
        return None
    return {
        "value": "c2lnbmVk",
        "signed_at": "2026-12-03T08:00:00Z",
        "reference": digest[:8],
        "context": f"ctx-{session}",
    }
