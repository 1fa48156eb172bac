"""``POST /v1/ins/status``: an identity's RNIV status from the evidence the EHR has — the
identity document checked, what INSi said (told inline, or read from a journaled INSi call),
the identity's attributes — by the rules of ``rniv.py``. Journaled ``identity.status``."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from aiguillage.plugin import (
    IDENTITY_STATUS_SCHEMA,
    INS_SCHEMA,
    PRACTITIONER_SCHEMA,
    TRAITS_SCHEMA,
    Call,
    FieldError,
    JournalFilter,
    Operation,
    XmlError,
    parse_xml,
    validation_problem,
)

from .client import InsiError, Resultat, parse_resultat
from .identity import compare, insi_traits
from .rniv import ATTRIBUTES, DOCUMENTS, INSI_OUTCOMES, PARENT_DOCUMENTS, Proof, ProofError, assess

SCOPE = "insi"
EVENT = "identity.status"
NIA_OID = "1.2.250.1.213.1.4.9"
#: The journal events whose rows can stand for what INSi said.
INSI_EVENTS = ("ins.search", "ins.verify")

_TRUST = {
    "title": "DocumentTrust",
    "type": "string",
    "enum": ["high", "low"],
    "description": "What a document is worth: `high` or `low`. Default: what the RNIV gives "
    "its type; `low` says it could not be relied on (expired, damaged); `high` is refused for "
    "a document the RNIV does not list, but for `other`.",
}
_DOCUMENT = {
    "title": "IdentityDocumentType",
    "type": "string",
    "enum": list(DOCUMENTS),
    "description": "`passport`, `national_id_card`, `residence_permit` (permanent): high "
    "trust; `birth_certificate` (extrait d'acte de naissance) and `family_record_book` "
    "(livret de famille): for a minor only, with a parent's high-trust document; "
    "`minor_travel_document` (document de circulation pour étranger mineur): for a minor; "
    "`driving_licence`, `health_insurance_card` (carte Vitale): low trust; `other`: the "
    "`trust` given (default low)",
}
PROOF_SCHEMA: dict[str, Any] = {
    "title": "IdentityProof",
    "type": "object",
    "description": "The identity document the patient's traits were checked against, and "
    "what it is worth (`trust`); for a minor's birth certificate or family record book, the "
    "parent's document checked with it (`parent_document`, `parent_trust`).",
    "required": ["document"],
    "additionalProperties": False,
    "properties": {
        "document": _DOCUMENT,
        "trust": _TRUST,
        "parent_document": {
            "type": "string",
            "enum": list(PARENT_DOCUMENTS),
            "description": "for a minor's birth certificate or family record book: the "
            "high-trust document of the parent (or guardian) checked with it",
        },
        "parent_trust": _TRUST,
    },
}
INLINE_OUTCOME: dict[str, Any] = {
    "title": "InsiOutcome",
    "type": "object",
    "description": "What INSi said, as the EHR read it; `ins`: the INS INSi gave, for "
    "`found` and `verified` when the patient has none yet (an INS-NIA, OID "
    "1.2.250.1.213.1.4.9, cannot be qualified).",
    "required": ["outcome"],
    "additionalProperties": False,
    "properties": {
        "outcome": {
            "type": "string",
            "enum": [o for o in INSI_OUTCOMES if o != "nia"],
            "description": "`found`: a search found the identity (CR 00) and the EHR took its "
            "traits; `verified`: a verification matched (`match: true`); `differs`: a "
            "verification returned other traits or another INS; `not_found` (CR 01); "
            "`several` (CR 02)",
        },
        "ins": INS_SCHEMA,
    },
}
JOURNALED_OUTCOME: dict[str, Any] = {
    "title": "InsiJournalReference",
    "type": "object",
    "description": "A journaled INSi search or verification, read back from the journal.",
    "required": ["journal_id"],
    "additionalProperties": False,
    "properties": {
        "journal_id": {
            "type": "integer",
            "minimum": 1,
            "maximum": 2**63 - 2,  # seq + 1 stays a 64-bit integer
            "description": "the `seq` of an `ins.search` or `ins.verify` row of this patient "
            "(`GET /v1/journal?event=ins`)",
        }
    },
}
STATUS_PATIENT: dict[str, Any] = {
    "title": "IdentityStatusPatient",
    "type": "object",
    "description": "The identity as the EHR holds it: its traits, its INS when it has one, "
    "and its current status (`identity_status`; absent: a new identity, `PROV`), what it "
    "established staying unless the new evidence undoes it.",
    "required": ["traits"],
    "additionalProperties": False,
    "properties": {
        "ins": INS_SCHEMA,
        "traits": TRAITS_SCHEMA,
        "identity_status": IDENTITY_STATUS_SCHEMA,
    },
}
STATUS_REQUEST: dict[str, Any] = {
    "title": "IdentityStatusRequest",
    "type": "object",
    "description": "The evidence about an identity: the document checked, what INSi said, the "
    "identity's attributes.",
    "required": ["patient"],
    "additionalProperties": False,
    "properties": {
        "patient": STATUS_PATIENT,
        "identity_proof": PROOF_SCHEMA,
        "insi": {
            "title": "InsiEvidence",
            "description": "What INSi said: inline (`outcome`) or a journaled call (`journal_id`).",
            "oneOf": [INLINE_OUTCOME, JOURNALED_OUTCOME],
        },
        "attributes": {
            "type": "array",
            "uniqueItems": True,
            "items": {"type": "string", "enum": list(ATTRIBUTES)},
            "description": "the identity's RNIV attributes: `doubtful` (douteuse), "
            "`fictitious` (fictive), `homonym` (homonyme)",
        },
        "practitioner": PRACTITIONER_SCHEMA,
    },
}

STATUS_ANSWER: dict[str, Any] = {
    "title": "IdentityStatusResult",
    "type": "object",
    "description": "The identity's RNIV status, the rule that decided and what is missing to "
    "qualify it.",
    "required": [
        "status",
        "label",
        "previous_status",
        "qualified",
        "qualifiable",
        "rule",
        "reason",
        "missing",
        "notes",
        "attributes",
        "document_trust",
        "insi",
        "request_id",
    ],
    "properties": {
        "status": IDENTITY_STATUS_SCHEMA,
        "label": {"type": "string", "description": 'its French name ("Identité qualifiée")'},
        "previous_status": {
            "anyOf": [IDENTITY_STATUS_SCHEMA, {"type": "null"}],
            "description": "the status given in `patient.identity_status` (`null`: none)",
        },
        "qualified": {
            "type": "boolean",
            "description": "`status` is `QUAL`: the INS may reference and share health data",
        },
        "qualifiable": {
            "type": "boolean",
            "description": "`false` for a fictitious identity, which is never qualified",
        },
        "rule": {
            "type": "string",
            "enum": [
                "provisional",
                "recovered",
                "validated",
                "qualified",
                "insi-downgrade",
                "doubtful",
                "fictitious",
            ],
            "description": "the rule that decided: the status of the facts established "
            "(`provisional`…`qualified`), an INSi answer that undid the INS "
            "(`insi-downgrade`), or an attribute (`doubtful`, `fictitious`)",
        },
        "reason": {"type": "string", "description": "the rule in words, with its RNIV source"},
        "missing": {
            "type": "array",
            "description": "what to do before the identity can be qualified (empty when it "
            "is, or never can be)",
            "items": {
                "title": "IdentityStatusMissing",
                "type": "object",
                "description": "One step before the identity can be qualified.",
                "required": ["code", "label"],
                "properties": {
                    "code": {
                        "type": "string",
                        "enum": ["identity_proof", "insi", "doubt"],
                        "description": "`identity_proof`: a high-trust document; `insi`: the "
                        "INS from INSi; `doubt`: lift the doubt",
                    },
                    "label": {"type": "string", "description": "what to do, in French"},
                },
            },
        },
        "notes": {
            "type": "array",
            "items": {"type": "string"},
            "description": "remarks in French: a document not retained and why, the homonym "
            "attribute",
        },
        "attributes": {
            "type": "array",
            "items": {"type": "string"},
            "description": "the attributes given",
        },
        "document_trust": {
            "type": ["string", "null"],
            "enum": ["high", "low", None],
            "description": "what the document given was worth for this patient (`null`: none)",
        },
        "insi": {
            "title": "IdentityStatusInsi",
            "type": ["object", "null"],
            "description": "what INSi said, as read (`null`: not given)",
            "required": ["outcome", "journal_id", "ins"],
            "properties": {
                "outcome": {
                    "type": "string",
                    "enum": list(INSI_OUTCOMES),
                    "description": "as the request's `outcome`, or `nia` for an INS-NIA",
                },
                "journal_id": {
                    "type": ["integer", "null"],
                    "description": "the journal row read, when one was named",
                },
                "ins": {
                    "type": ["string", "null"],
                    "description": "the INS INSi gave, when it gave one",
                },
            },
        },
        "request_id": {"type": "string", "description": "the request's id (`X-Request-Id`)"},
    },
}


def _minor(birth_date: str, today: dt.date) -> bool:
    """Under 18 on ``today``; a lunar date's unknown month or day counts as the first."""
    year, month, day = (int(part) for part in birth_date.split("-"))
    month, day = month or 1, day or 1
    return (today.year - year) - ((today.month, today.day) < (month, day)) < 18


def _proof(raw: dict[str, Any] | None) -> Proof | None:
    if raw is None:
        return None
    return Proof(
        raw["document"], raw.get("trust"), raw.get("parent_document"), raw.get("parent_trust")
    )


def _row(call: Call, journal_id: int) -> dict[str, Any]:
    """The journal row ``journal_id`` if it is an answered INSi search or verification."""
    assert call.daemon is not None
    rows = call.daemon.journal_rows(JournalFilter(before_seq=journal_id + 1, limit=1))
    field = "/insi/journal_id"
    if not rows or rows[0]["seq"] != journal_id:
        raise validation_problem([FieldError(field, f"the journal has no row {journal_id}")])
    row = rows[0]
    if row["event"] not in INSI_EVENTS:
        raise validation_problem(
            [FieldError(field, f"row {journal_id} is a {row['event']}, not an INSi call")]
        )
    if not re.fullmatch(r"cr0[0-2]", row["outcome"] or "") or not row["response"]:
        raise validation_problem(
            [FieldError(field, f"INSi call {journal_id} got no answer ({row['outcome']})")]
        )
    return row


def _journaled(call: Call, journal_id: int) -> tuple[str, str | None]:
    """What the journaled INSi call ``journal_id`` says about the request's patient: its
    outcome and the INS it gave. A 422 naming the field when the row is not an answered INSi
    call, or is about someone else."""
    row = _row(call, journal_id)
    field = "/insi/journal_id"
    try:
        result: Resultat = parse_resultat(parse_xml(row["response"].encode()))
    except (XmlError, InsiError, ValueError):
        raise validation_problem(
            [FieldError(field, f"the answer journaled in row {journal_id} cannot be read")]
        ) from None
    patient = call.body["patient"]
    held = insi_traits(patient["traits"])
    held_ins = (patient.get("ins") or {}).get("matricule")
    name = f"{held.birth_name} {' '.join(held.first_names)}"
    differences = compare(held, result.traits) if result.traits else None
    same = (
        (held_ins is not None and row["patient_ins"] == held_ins)
        or differences == []
        or (row["patient_name"] == name)
    )
    if not same:
        raise validation_problem(
            [
                FieldError(
                    field,
                    f"INSi call {journal_id} is about another patient "
                    f"({row['patient_ins'] or row['patient_name']})",
                )
            ]
        )
    if result.cr == "01":
        return "not_found", None
    if result.cr == "02":
        return "several", None
    if result.ins is None:  # CR 00 without an identity: nothing to rely on
        return "not_found", None
    if result.ins.oid == NIA_OID:
        return "nia", result.ins.matricule
    if (held_ins is not None and result.ins.matricule != held_ins) or differences:
        return "differs", result.ins.matricule
    return ("verified" if row["event"] == "ins.verify" else "found"), result.ins.matricule


def _inline(call: Call, raw: dict[str, Any]) -> tuple[str, str | None]:
    outcome = raw["outcome"]
    given = raw.get("ins")
    held = call.body["patient"].get("ins")
    if given and held and given["matricule"] != held["matricule"]:
        raise validation_problem(
            [
                FieldError(
                    "/insi/ins",
                    f"INSi's INS {given['matricule']} is not the patient's "
                    f"({held['matricule']}): send the identity INSi returned, or `differs`",
                )
            ]
        )
    ins = given or held
    if outcome in ("found", "verified"):
        if ins is None:
            raise validation_problem(
                [FieldError("/insi/ins", f"required with `{outcome}`: the INS INSi gave")]
            )
        if ins.get("oid") == NIA_OID:
            return "nia", ins["matricule"]
        return outcome, ins["matricule"]
    return outcome, given["matricule"] if given else None


async def identity_status(call: Call) -> dict[str, Any]:
    body = call.body
    patient = body["patient"]
    current = patient.get("identity_status")
    insi = body.get("insi")
    outcome: str | None = None
    insi_ins: str | None = None
    journal_id = None
    if insi is not None and "journal_id" in insi:
        journal_id = insi["journal_id"]
        outcome, insi_ins = _journaled(call, journal_id)
    elif insi is not None:
        outcome, insi_ins = _inline(call, insi)
    attributes = list(body.get("attributes", []))
    try:
        assessment = assess(
            current,
            _proof(body.get("identity_proof")),
            outcome,
            frozenset(attributes),
            _minor(patient["traits"]["birth_date"], dt.date.today()),
        )
    except ProofError as exc:
        raise validation_problem([FieldError(f"/identity_proof/{exc.field}", str(exc))]) from None
    answer = {
        "status": assessment.status,
        "label": assessment.label,
        "previous_status": current,
        "qualified": assessment.status == "QUAL",
        "qualifiable": assessment.qualifiable,
        "rule": assessment.rule,
        "reason": assessment.reason,
        "missing": [{"code": m.code, "label": m.label} for m in assessment.missing],
        "notes": assessment.notes,
        "attributes": attributes,
        "document_trust": assessment.document_trust,
        "insi": None
        if outcome is None
        else {"outcome": outcome, "journal_id": journal_id, "ins": insi_ins},
        "request_id": call.request_id,
    }
    traits = insi_traits(patient["traits"])
    await call.journal(
        EVENT,
        f"{current or 'new identity'} → {assessment.status} (rule {assessment.rule})",
        practitioner=call.practitioner,
        patient_ins=(patient.get("ins") or {}).get("matricule") or insi_ins,
        patient_name=f"{traits.birth_name} {' '.join(traits.first_names)}",
        request=body,
        response=answer,
    )
    return answer


_RUTH_TRAITS = {
    "birth_name": "NESSI",
    "first_names": ["RUTH", "ISABELLE"],
    "sex": "F",
    "birth_date": "1977-07-14",
    "birth_place": "63220",
}
_RUTH_INS = {"matricule": "277076322082910", "oid": "1.2.250.1.213.1.4.8"}

DESCRIPTION = """\
The identity's status under the RNIV (Référentiel national d'identitovigilance, volet 1), from
the evidence the EHR has: `PROV` (provisoire), `RECUP` (récupérée: INS from INSi, traits not
checked against an identity document), `VALI` (validée: traits checked against a high-trust
document, no INS), `QUAL` (qualifiée: both — the only status under which the INS may reference
and share health data; DMP and MSSanté refuse others). The answer gives the status, the rule
that decided (`rule`, and `reason` in French with its RNIV source) and what is `missing` to
qualify the identity. Nothing is called: this is the daemon applying the rules.

- `patient`: the identity as held — its traits, its INS when it has one, and its current
  `identity_status`: what that status established stays (a `VALI` identity with an INS found by
  INSi becomes `QUAL`) unless new evidence undoes it.
- `identity_proof`: the document the traits were checked against. High trust: `passport`,
  `national_id_card`, `residence_permit` (permanent). For a minor (under 18 by the traits'
  birth date), a `birth_certificate` or `family_record_book` counts only with a
  `parent_document` of high trust, and a `minor_travel_document` counts (RNIV 1 §3.3.3).
  Others (`driving_licence`, `health_insurance_card`) validate nothing. `trust: "low"` says a
  document could not be relied on; `trust: "high"` for a document the RNIV does not list is a
  422 naming `/identity_proof/trust`, except for `other`.
- `insi`: what INSi said, inline (`outcome`: `found`, `verified`, `differs`, `not_found`,
  `several`; `ins`, the INS it gave) or by the `journal_id` of an `ins.search` or `ins.verify`
  row, whose answer the daemon reads back from the journal. That row must be about this patient
  (the same INS, or INSi's traits or the traits asked the same as the patient's): else a 422
  naming `/insi/journal_id`, as for a row that does not exist, is no INSi call or got no
  answer. An INS-NIA (provisional number) cannot be qualified. A verification reporting other
  traits or another INS, no one (CR 01) or several (CR 02) undoes the INS: `QUAL` falls to
  `VALI`, `RECUP` to `PROV` (`rule: "insi-downgrade"`).
- `attributes`: `fictitious` keeps `PROV`, never qualifiable; `doubtful` keeps `PROV` until the
  doubt is lifted; `homonym` changes nothing but is noted.

Journaled `identity.status` with the request and the answer."""

OPERATION = Operation(
    "POST",
    "/v1/ins/status",
    "An identity's RNIV status: provisional, recovered, validated, qualified",
    identity_status,
    scope=SCOPE,
    request_schema=STATUS_REQUEST,
    response_schema=STATUS_ANSWER,
    operation_id="getIdentityStatus",
    description=DESCRIPTION,
    request_examples={
        "qualify with a passport": {
            "patient": {"ins": _RUTH_INS, "traits": _RUTH_TRAITS, "identity_status": "RECUP"},
            "identity_proof": {"document": "passport"},
        },
        "journaled verification": {
            "patient": {"ins": _RUTH_INS, "traits": _RUTH_TRAITS, "identity_status": "QUAL"},
            "insi": {"journal_id": 1204},
        },
        "minor with the family record book": {
            "patient": {
                "traits": {
                    "birth_name": "ECETINSI",
                    "first_names": ["PIERRE-ALAIN", "MURIEL", "FLORIANT"],
                    "sex": "M",
                    "birth_date": "2009-07-14",
                    "birth_place": "63220",
                }
            },
            "identity_proof": {"document": "family_record_book", "parent_document": "passport"},
            "insi": {
                "outcome": "found",
                "ins": {"matricule": "109076322083489", "oid": "1.2.250.1.213.1.4.8"},
            },
        },
    },
    response_examples={
        "qualified": {
            "status": "QUAL",
            "label": "Identité qualifiée",
            "previous_status": "RECUP",
            "qualified": True,
            "qualifiable": True,
            "rule": "qualified",
            "reason": "INS récupérée ou vérifiée par INSi et traits contrôlés sur un dispositif "
            "d'identité à haut niveau de confiance : identité qualifiée (RNIV 1) ; passeport : "
            "dispositif à haut niveau de confiance (RNIV 1)",
            "missing": [],
            "notes": [],
            "attributes": [],
            "document_trust": "high",
            "insi": None,
            "request_id": "ehr-4f1c2a",
        },
        "downgraded": {
            "status": "VALI",
            "label": "Identité validée",
            "previous_status": "QUAL",
            "qualified": False,
            "qualifiable": True,
            "rule": "insi-downgrade",
            "reason": "Identité qualifiée ramenée au statut « Identité validée » : la "
            "vérification INSi renvoie d'autres traits ou une autre INS ; l'INS ne peut plus "
            "être utilisée (RNIV 1)",
            "missing": [
                {
                    "code": "insi",
                    "label": "INSi renvoie d'autres traits (ou une autre INS) : les contrôler "
                    "sur le document d'identité, corriger l'identité locale, puis vérifier à "
                    "nouveau l'INS",
                }
            ],
            "notes": [],
            "attributes": [],
            "document_trust": None,
            "insi": {"outcome": "differs", "journal_id": 1204, "ins": "277076322082910"},
            "request_id": "ehr-4f1c2a",
        },
    },
)
