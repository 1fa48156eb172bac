"""JSON schemas of the jFSE operations: care sheets (invoices) and lots.

Amounts are decimal strings in euros with two decimals (``"30.00"``): a float cannot hold a
cent exactly, and the engine's own answers carry strings.
"""

from __future__ import annotations

from typing import Any

from aiguillage.plugin import BENEFICIARY_SCHEMA, DELIVERY_ERROR_SCHEMA, PRACTITIONER_SCHEMA

from .backend import CARE_PATHWAYS, EXONERATIONS, INSURANCE_NATURES
from .store import INVOICE_STATES, LOT_STATES

#: The most acts one care sheet takes.
MAX_ACTS = 30

_TIME: dict[str, Any] = {"type": "string", "format": "date-time"}
_NULLABLE_TIME: dict[str, Any] = {"type": ["string", "null"], "format": "date-time"}
_DAY: dict[str, Any] = {"type": "string", "format": "date"}
AMOUNT: dict[str, Any] = {
    "type": "string",
    "pattern": "^-?[0-9]{1,9}\\.[0-9]{2}$",
    "examples": ["30.00"],
}
INVOICE_ID: dict[str, Any] = {
    "type": "string",
    "pattern": "^fse_[0-9a-f]{16}$",
    "description": "an invoice's id",
    "examples": ["fse_5f0c6a1e2b3d4c59"],
}
LOT_ID: dict[str, Any] = {
    "type": "string",
    "pattern": "^lot_[0-9a-f]{16}$",
    "description": "a lot's id",
    "examples": ["lot_0b7e52c4d9a13f68"],
}
#: A page cursor: the ``next_cursor`` of the previous page, given back as it came.
CURSOR: dict[str, Any] = {
    "type": "string",
    "pattern": "^[0-9]{1,18}\\.(fse|lot)_[0-9a-f]{16}$",
    "examples": ["1780390057123456.fse_5f0c6a1e2b3d4c59"],
}

CARE_PATHWAY: dict[str, Any] = {
    "title": "FseCarePathway",
    "type": "string",
    "enum": list(CARE_PATHWAYS),
    "description": "Where the visit stands in the parcours de soins coordonnés: the patient's "
    "médecin traitant (`medecin_traitant`), sent by them (`oriente`), a new médecin traitant "
    "being declared, an emergency (`urgence`), a specialty reached directly "
    "(`acces_direct`), away from home (`hors_residence`), or outside the parcours "
    "(`hors_parcours`: a lower AMO rate).",
}
INSURANCE_NATURE: dict[str, Any] = {
    "title": "FseInsuranceNature",
    "type": "string",
    "enum": list(INSURANCE_NATURES),
    "description": "The insurance the care falls under: sickness (`maladie`), maternity "
    "(`maternite`) or an accident at work or occupational disease (`at_mp`).",
}
EXONERATION: dict[str, Any] = {
    "title": "FseExoneration",
    "type": "string",
    "enum": list(EXONERATIONS),
    "description": "The exoneration of the ticket modérateur the care sheet claims: an ALD "
    "(affection de longue durée) the care relates to, CSS (complémentaire santé solidaire), "
    "AME, invalidity, another one.",
}
THIRD_PARTY: dict[str, Any] = {
    "title": "FseThirdPartyPayment",
    "type": "object",
    "description": "Third-party payment (tiers payant): which parts the insurers pay the "
    "practitioner directly, so the patient does not advance them.",
    "additionalProperties": False,
    "properties": {
        "amo": {
            "type": "boolean",
            "default": False,
            "description": "the compulsory insurance (AMO) pays its part to the practitioner",
        },
        "amc": {
            "type": "boolean",
            "default": False,
            "description": "the complementary insurance (AMC) pays the ticket modérateur",
        },
    },
}
ACT: dict[str, Any] = {
    "title": "FseAct",
    "type": "object",
    "description": "One act to bill: an NGAP key letter (`G`, `GS`, `VG`, `APC`…) or a CCAM "
    "code (`DEQP003`…), how many, and the modifiers (majorations) that add to its price "
    "(`MD`…).",
    "required": ["code"],
    "additionalProperties": False,
    "properties": {
        "code": {
            "type": "string",
            "pattern": "^[A-Z0-9]{1,8}$",
            "description": "the act's code: NGAP letter key or CCAM code",
            "examples": ["G"],
        },
        "quantity": {
            "type": "integer",
            "minimum": 1,
            "maximum": 99,
            "default": 1,
            "description": "how many times the act was done",
        },
        "modifiers": {
            "type": "array",
            "maxItems": 4,
            "uniqueItems": True,
            "items": {"type": "string", "pattern": "^[A-Z0-9]{1,3}$"},
            "default": [],
            "description": "modifiers that add to the act's price (`MD`: a home visit's "
            "majoration…)",
        },
    },
}

_APCV_BENEFICIARY: dict[str, Any] = {
    "title": "FseApcvBeneficiary",
    "type": "object",
    "description": "The beneficiary of an open ApCV session (`POST /v1/apcv/sessions`): "
    "their rights and exonerations come from it, and securing the care sheet has them sign "
    "it in the carte Vitale app.",
    "required": ["apcv_session"],
    "additionalProperties": False,
    "properties": {
        "apcv_session": {
            "type": "string",
            "pattern": "^[A-Za-z0-9_-]{1,128}$",
            "description": "the ApCV session's id",
            "examples": ["apcv_Jx3b1bQb2m4Zq5T0cW9yLk8e"],
        },
        "index": {
            "type": "integer",
            "minimum": 0,
            "maximum": 19,
            "default": 0,
            "description": "which of the session's beneficiaries (0: the first)",
        },
    },
}
_VITALE_BENEFICIARY: dict[str, Any] = {
    "title": "FseVitaleBeneficiary",
    "type": "object",
    "description": "The beneficiary as the carte Vitale read at the desk gives them: the care "
    "sheet is secured in `vitale` mode.",
    "required": ["vitale"],
    "additionalProperties": False,
    "properties": {"vitale": BENEFICIARY_SCHEMA},
}
_MANUAL_BENEFICIARY: dict[str, Any] = {
    "title": "FseManualBeneficiary",
    "type": "object",
    "description": "The beneficiary typed in (no card, no app): the care sheet can only be "
    "secured in `degraded` mode, and a paper care sheet must follow.",
    "required": ["manual"],
    "additionalProperties": False,
    "properties": {"manual": BENEFICIARY_SCHEMA},
}
BENEFICIARY_INPUT: dict[str, Any] = {
    "title": "FseBeneficiaryInput",
    "description": "Who the care sheet is for: an ApCV session's beneficiary, a carte Vitale "
    "read, or data typed in (degraded mode). Exactly one of `apcv_session`, `vitale`, "
    "`manual`.",
    "oneOf": [_APCV_BENEFICIARY, _VITALE_BENEFICIARY, _MANUAL_BENEFICIARY],
}

INVOICE_REQUEST: dict[str, Any] = {
    "title": "FseInvoiceRequest",
    "type": "object",
    "description": "A care sheet to price: who for, who bills, when, the situation "
    "(pathway, nature, exoneration, third-party payment) and the acts.",
    "required": ["beneficiary", "care_pathway"],
    "additionalProperties": False,
    "properties": {
        "beneficiary": BENEFICIARY_INPUT,
        "practitioner": PRACTITIONER_SCHEMA,
        "date": {
            **_DAY,
            "description": "the date of care, YYYY-MM-DD, not in the future (default: today)",
        },
        "care_pathway": CARE_PATHWAY,
        "insurance_nature": INSURANCE_NATURE,
        "exoneration": {
            "anyOf": [EXONERATION, {"type": "null"}],
            "description": "the exoneration claimed (default: none)",
        },
        "third_party_payment": THIRD_PARTY,
        "acts": {
            "type": "array",
            "maxItems": MAX_ACTS,
            "items": ACT,
            "description": "the acts billed; a care sheet needs at least one",
        },
    },
}

LINE: dict[str, Any] = {
    "title": "FseLine",
    "type": "object",
    "description": "One act as the engine priced it.",
    "required": ["code", "quantity", "modifiers", "unit_price", "amount"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "string", "description": "the act's code"},
        "quantity": {"type": "integer", "minimum": 1, "description": "how many"},
        "modifiers": {
            "type": "array",
            "items": {"type": "string"},
            "description": "the modifiers applied",
        },
        "unit_price": {**AMOUNT, "description": "one act's price, modifiers included (€)"},
        "amount": {**AMOUNT, "description": "`unit_price × quantity` (€)"},
    },
}
MESSAGE: dict[str, Any] = {
    "title": "FseMessage",
    "type": "object",
    "description": "Something the billing engine said about the care sheet.",
    "required": ["severity", "text"],
    "additionalProperties": False,
    "properties": {
        "severity": {"type": "string", "enum": ["info", "warning", "error"]},
        "text": {"type": "string"},
    },
}
SECURING: dict[str, Any] = {
    "title": "FseSecuring",
    "type": "object",
    "description": "How the care sheet was secured and where it goes.",
    "required": ["mode", "degraded", "fse_number", "secured_at", "destination"],
    "additionalProperties": False,
    "properties": {
        "mode": {
            "type": "string",
            "enum": ["apcv", "vitale", "degraded"],
            "description": "`apcv`: signed by the beneficiary in the carte Vitale app; "
            "`vitale`: with the carte Vitale read; `degraded`: neither (a paper sheet follows)",
        },
        "degraded": {"type": "boolean", "description": "true in degraded mode"},
        "fse_number": {"type": "string", "description": "the FSE number the engine gave"},
        "secured_at": {**_TIME, "description": "when the engine secured it"},
        "destination": {
            "type": "string",
            "description": "the insurer it goes to (régime-caisse-centre, e.g. `01-601-0000`): "
            "lots are formed per destination",
        },
    },
}
RETURN: dict[str, Any] = {
    "title": "FseReturn",
    "type": "object",
    "description": "A payment or a rejection of one part of the care sheet, as the insurer "
    "sent it.",
    "required": ["kind", "part", "at", "amount", "payer", "code", "label"],
    "additionalProperties": False,
    "properties": {
        "kind": {"type": "string", "enum": ["payment", "rejection"]},
        "part": {
            "type": "string",
            "enum": ["amo", "amc"],
            "description": "the compulsory (AMO) or complementary (AMC) part",
        },
        "at": {**_TIME, "description": "when the insurer paid or rejected it"},
        "amount": {**AMOUNT, "description": "what was paid (€), `0.00` for a rejection"},
        "payer": {"type": "string", "description": "who paid (`CPAM 601`…); empty otherwise"},
        "code": {"type": "string", "description": "the rejection's code; empty for a payment"},
        "label": {"type": "string", "description": "the rejection's label; empty otherwise"},
    },
}
INVOICE_STATE: dict[str, Any] = {
    "title": "FseInvoiceState",
    "type": "string",
    "enum": list(INVOICE_STATES),
    "description": "Where a care sheet is: `draft` (priced, can change), `secured`, `sent` "
    "(its lot was transmitted), `accepted` (ARL+) or `rejected` (ARL−: see `reason`), then "
    "`paid` or `payment_rejected`; `cancelled`.",
}
LOT_STATE: dict[str, Any] = {
    "title": "FseLotState",
    "type": "string",
    "enum": list(LOT_STATES),
    "description": "Where a lot is: `queued` (in the outbox), `transmitted` (waiting for its "
    "ARL), `accepted` (ARL+) or `rejected` (ARL−: see `reason`).",
}
BILLER: dict[str, Any] = {
    "title": "FseBiller",
    "type": "object",
    "description": "The practitioner who bills.",
    "required": ["national_id", "billing_id", "name"],
    "additionalProperties": False,
    "properties": {
        "national_id": {"type": "string", "description": "RPPS or ADELI number"},
        "billing_id": {
            "type": "string",
            "description": "identifiant de facturation (Assurance Maladie number)",
        },
        "name": {"type": "string", "description": "the practitioner's name"},
    },
}

INVOICE: dict[str, Any] = {
    "title": "FseInvoice",
    "type": "object",
    "description": "A care sheet (FSE): what was billed, the engine's split of the total "
    "between the insurers and the patient, and where it stands.",
    "required": [
        "id",
        "number",
        "state",
        "date",
        "source",
        "beneficiary",
        "practitioner",
        "care_pathway",
        "insurance_nature",
        "exoneration",
        "third_party_payment",
        "lines",
        "total",
        "amo_rate",
        "participation",
        "amo_due",
        "amc_due",
        "patient_due",
        "messages",
        "degraded",
        "securing",
        "lot",
        "reason",
        "returns",
        "created_at",
        "updated_at",
    ],
    "additionalProperties": False,
    "properties": {
        "id": INVOICE_ID,
        "number": {
            "type": "string",
            "description": "the invoice's number, fixed when it was created: the engine knows "
            "it by it",
        },
        "state": INVOICE_STATE,
        "date": {**_DAY, "description": "the date of care"},
        "source": {
            "type": "string",
            "enum": ["apcv", "vitale", "manual"],
            "description": "where the beneficiary came from: an ApCV session, a carte Vitale "
            "read, data typed in",
        },
        "beneficiary": BENEFICIARY_SCHEMA,
        "practitioner": BILLER,
        "care_pathway": CARE_PATHWAY,
        "insurance_nature": INSURANCE_NATURE,
        "exoneration": {
            "anyOf": [EXONERATION, {"type": "null"}],
            "description": "the exoneration claimed, if any",
        },
        "third_party_payment": THIRD_PARTY,
        "lines": {
            "type": "array",
            "items": LINE,
            "description": "each act as priced",
        },
        "total": {**AMOUNT, "description": "the sum of the lines (€)"},
        "amo_rate": {
            "type": "integer",
            "minimum": 0,
            "maximum": 100,
            "description": "the AMO reimbursement rate applied, in percent",
        },
        "participation": {
            **AMOUNT,
            "description": "the participation forfaitaire withheld from the AMO part (€); "
            "`0.00` when it does not apply",
        },
        "amo_due": {**AMOUNT, "description": "what the compulsory insurance pays (€)"},
        "amc_due": {
            **AMOUNT,
            "description": "what the complementary insurance pays the practitioner (€), under "
            "third-party payment",
        },
        "patient_due": {
            **AMOUNT,
            "description": "what the patient pays at the desk, after third-party payment (€)",
        },
        "messages": {
            "type": "array",
            "items": MESSAGE,
            "description": "what the engine said when pricing or securing",
        },
        "degraded": {
            "type": "boolean",
            "description": "secured in degraded mode (no card, no app): a paper care sheet "
            "must be sent too",
        },
        "securing": {
            "anyOf": [SECURING, {"type": "null"}],
            "description": "how it was secured; null while a draft",
        },
        "lot": {
            "anyOf": [LOT_ID, {"type": "null"}],
            "description": "the lot it is in, once in one",
        },
        "reason": {
            "type": ["string", "null"],
            "description": "why it was rejected (the ARL−'s reason, or the payment rejection's "
            "code and label)",
        },
        "returns": {
            "type": "array",
            "items": RETURN,
            "description": "the payments and rejections received for it, oldest first",
        },
        "created_at": {**_TIME, "description": "when it was created"},
        "updated_at": {**_TIME, "description": "when it last changed"},
    },
}

INVOICE_PAGE: dict[str, Any] = {
    "title": "FseInvoicePage",
    "type": "object",
    "description": "A page of care sheets, newest first.",
    "required": ["items", "next_cursor"],
    "additionalProperties": False,
    "properties": {
        "items": {"type": "array", "items": INVOICE, "description": "the page's care sheets"},
        "next_cursor": {
            "type": ["string", "null"],
            "description": "pass as `cursor` for the next page; null on the last one",
        },
    },
}

LOTS_REQUEST: dict[str, Any] = {
    "title": "FseLotsRequest",
    "type": "object",
    "description": "The care sheets to send. Without `invoices`, every secured one not yet in "
    "a lot.",
    "additionalProperties": False,
    "properties": {
        "invoices": {
            "type": "array",
            "minItems": 1,
            "maxItems": 1000,
            "uniqueItems": True,
            "items": INVOICE_ID,
            "description": "the care sheets to send: secured ones not in a lot, or those of a "
            "lot the insurer rejected",
        },
    },
}

LOT: dict[str, Any] = {
    "title": "FseLot",
    "type": "object",
    "description": "A lot: secured care sheets for one insurer, transmitted together through "
    "the outbox, and its acknowledgement (ARL).",
    "required": [
        "id",
        "number",
        "destination",
        "state",
        "invoices",
        "fse_numbers",
        "item",
        "item_state",
        "last_error",
        "reason",
        "rejected",
        "created_at",
        "transmitted_at",
        "acknowledged_at",
    ],
    "additionalProperties": False,
    "properties": {
        "id": LOT_ID,
        "number": {
            "type": "string",
            "description": "the lot's number, fixed when it was formed: sending it again is "
            "never a second lot",
        },
        "destination": {
            "type": "string",
            "description": "the insurer it goes to (régime-caisse-centre)",
        },
        "state": LOT_STATE,
        "invoices": {
            "type": "array",
            "items": INVOICE_ID,
            "description": "its care sheets",
        },
        "fse_numbers": {
            "type": "array",
            "items": {"type": "string"},
            "description": "their FSE numbers",
        },
        "item": {
            "type": ["integer", "null"],
            "description": "its outbox item (`GET /v1/outbox/{item}`; `POST …/retry` sends a "
            "rejected lot again)",
        },
        "item_state": {
            "type": ["string", "null"],
            "description": "the outbox item's state (`queued`, `sent`, `failed`…)",
        },
        "last_error": {
            "anyOf": [DELIVERY_ERROR_SCHEMA, {"type": "null"}],
            "description": "the outbox item's last error (an ARL−'s reason, say)",
        },
        "reason": {
            "type": ["string", "null"],
            "description": "why the insurer rejected it (ARL−)",
        },
        "rejected": {
            "type": "array",
            "items": {"type": "string"},
            "description": "the FSE numbers the ARL− names as the cause",
        },
        "created_at": {**_TIME, "description": "when it was formed"},
        "transmitted_at": {**_NULLABLE_TIME, "description": "when it was last transmitted"},
        "acknowledged_at": {**_NULLABLE_TIME, "description": "when its ARL came"},
    },
}

LOTS_ACCEPTED: dict[str, Any] = {
    "title": "FseLotsAccepted",
    "type": "object",
    "description": "The lots formed, one per insurer, each queued in the outbox.",
    "required": ["lots"],
    "additionalProperties": False,
    "properties": {
        "lots": {"type": "array", "items": LOT, "minItems": 1, "description": "the lots"},
    },
}

LOT_PAGE: dict[str, Any] = {
    "title": "FseLotPage",
    "type": "object",
    "description": "A page of lots, newest first.",
    "required": ["items", "next_cursor"],
    "additionalProperties": False,
    "properties": {
        "items": {"type": "array", "items": LOT, "description": "the page's lots"},
        "next_cursor": {
            "type": ["string", "null"],
            "description": "pass as `cursor` for the next page; null on the last one",
        },
    },
}
