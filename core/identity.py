"""Whether a patient's identity may reference and share health data under the INS: only a
qualified one may (RNIV, volet 1: "seul le statut Identité qualifiée permet de référencer les
données de santé avec le matricule INS"). The DMP and MSSanté plugins apply this check to the
``identity_status`` of a request's patient; the rules that give the status are the INSi
plugin's (``POST /v1/ins/status``).

An absent status is the EHR not saying: existing integrations keep working unless the plugin's
``require_identity_status`` asks for it. A plugin's ``allow_unqualified_identity`` turns the
check off for a service that allows otherwise (off by default)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from aiguillage.hookspecs import ConfigKey
from aiguillage.problems import FieldError, Problem

if TYPE_CHECKING:
    from aiguillage.hookspecs import Call

QUALIFIED = "QUAL"
#: The RNIV's names of the statuses, as practice staff read them.
STATUS_LABELS = {
    "PROV": "Identité provisoire",
    "RECUP": "Identité récupérée",
    "VALI": "Identité validée",
    "QUAL": "Identité qualifiée",
}
#: The journal event of a refusal: identity-vigilance evidence, like the INSi calls.
REFUSED_EVENT = "identity.refused"
PROBLEM_SLUG = "identity-not-qualified"


def identity_config_keys() -> tuple[ConfigKey, ConfigKey]:
    """The two config keys of a plugin that checks identities (its ``PluginInfo.config``)."""
    return (
        ConfigKey(
            "allow_unqualified_identity",
            "bool",
            False,
            "accept a patient whose identity_status is not QUAL (only for a service that "
            "allows it; the RNIV reserves the INS to qualified identities)",
        ),
        ConfigKey(
            "require_identity_status",
            "bool",
            False,
            "refuse a patient given without identity_status (false: an absent status is the "
            "EHR not saying, and is let through)",
        ),
    )


def identity_refusal(
    options: Mapping[str, Any], status: str | None, field: str
) -> FieldError | None:
    """Why a patient of ``status`` (``None``: not given) may not be sent under the INS with a
    plugin's ``options`` (its config table), as an error on ``field``; ``None`` when it may."""
    if options.get("allow_unqualified_identity", False):
        return None
    if status is None:
        if options.get("require_identity_status", False):
            return FieldError(
                field,
                "required: the identity's RNIV status (only QUAL, a qualified identity, may be "
                "sent under the INS; this daemon's config requires the status)",
            )
        return None
    if status != QUALIFIED:
        return FieldError(
            field,
            f"{status} ({STATUS_LABELS.get(status, status)}) is not QUAL: only a qualified "
            "identity (INS from INSi and traits checked against a high-trust identity "
            "document) may reference and share health data under the INS (RNIV)",
        )
    return None


def identity_problem(errors: list[FieldError]) -> Problem:
    """The 422 of a patient whose identity may not be sent, naming each field."""
    return Problem(
        422,
        PROBLEM_SLUG,
        "The patient's identity is not qualified",
        "; ".join(f"{e.field}: {e.message}" for e in errors),
        errors=errors,
    )


async def journal_identity_refusal(
    call: Call, error: FieldError, patient_ins: str | None, action: str
) -> None:
    """Journal that ``action`` (a DMP send…) was refused for the identity's status."""
    await call.journal(
        REFUSED_EVENT,
        f"{action} refused: {error.field}: {error.message}",
        "refused",
        patient_ins=patient_ins,
    )


async def require_qualified(
    call: Call, status: str | None, patient_ins: str | None, field: str, action: str
) -> None:
    """Raise the 422 (journaled) when the operation's plugin may not send this patient."""
    assert call.config is not None
    error = identity_refusal(call.config.options, status, field)
    if error is not None:
        await journal_identity_refusal(call, error, patient_ins, action)
        raise identity_problem([error])
