"""``POST /v1/gs1/parse``: what a scanned GS1 DataMatrix says, checked."""

from __future__ import annotations

from typing import Any

from aiguillage.plugin import Call, FieldError, Operation, validation_problem

from .datamatrix import MAX_DATA, Gs1Error, Scan, parse

SCOPE = "gs1"

PARSE_SCHEMA: dict[str, Any] = {
    "title": "Gs1ParseRequest",
    "type": "object",
    "description": "What the scanner sent.",
    "required": ["data"],
    "additionalProperties": False,
    "properties": {
        "data": {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_DATA,
            "description": "the scanned data as the scanner sent it: the raw data with GS "
            "(`\\u001d`) where the symbol has an FNC1 separator, optionally preceded by the "
            "symbology identifier `]d2`; or the printed form with the AIs in parentheses",
            "examples": ["]d2010340093000005217270300102025A1\u001d21ABC123"],
        }
    },
}

_NULLABLE = {"type": ["string", "null"]}

ELEMENT_SCHEMA: dict[str, Any] = {
    "title": "Gs1Element",
    "type": "object",
    "description": "One element string: an application identifier (AI) and its value.",
    "required": ["ai", "title", "description", "value", "date"],
    "additionalProperties": False,
    "properties": {
        "ai": {"type": "string", "pattern": "^[0-9]{2,4}$", "description": "the AI, e.g. `17`"},
        "title": {"type": "string", "description": "its GS1 data title, e.g. `USE BY or EXPIRY`"},
        "description": {
            "type": "string",
            "description": "what it is, in the GS1 general specifications' words",
        },
        "value": {"type": "string", "description": "its value as encoded, e.g. `270300`"},
        "date": {
            **_NULLABLE,
            "format": "date",
            "description": "the date an AI of a date means (day `00`: the month's last day); "
            "`null` for other AIs",
        },
    },
}

SCAN_SCHEMA: dict[str, Any] = {
    "title": "Gs1Scan",
    "type": "object",
    "description": "What a GS1 barcode says, checked: the medicine-box fields by name, and "
    "every element in order.",
    "required": ["gtin", "cip13", "expiry", "lot", "serial", "symbology", "hri", "elements"],
    "additionalProperties": False,
    "properties": {
        "gtin": {
            **_NULLABLE,
            "pattern": "^[0-9]{14}$",
            "description": "the product's GTIN-14 (AI 01), check digit verified; `null` if absent",
        },
        "cip13": {
            **_NULLABLE,
            "pattern": "^34009[0-9]{8}$",
            "description": "the French medicine code (CIP-13) the GTIN holds: a GTIN-14 `0` + "
            "`34009…` is CIP-13 `34009…`; `null` when the GTIN is another product's (not a "
            "French medicine) or absent",
        },
        "expiry": {
            **_NULLABLE,
            "format": "date",
            "description": "the expiry date (AI 17, `YYMMDD`, day `00`: the month's last day)",
        },
        "lot": {**_NULLABLE, "description": "the batch or lot number (AI 10)"},
        "serial": {**_NULLABLE, "description": "the pack's serial number (AI 21)"},
        "symbology": {
            **_NULLABLE,
            "description": "the symbology identifier the data began with (`]d2`: GS1 "
            "DataMatrix); `null` if none",
        },
        "hri": {
            "type": "string",
            "description": "the data as printed under a barcode: `(01)…(17)…(10)…(21)…`",
        },
        "elements": {
            "type": "array",
            "items": ELEMENT_SCHEMA,
            "description": "every element, in the order scanned (an AI given twice with the "
            "same value, once)",
        },
    },
}


def scan_json(scan: Scan) -> dict[str, Any]:
    expiry = scan.date("17")
    return {
        "gtin": scan.value("01"),
        "cip13": scan.cip13,
        "expiry": expiry.isoformat() if expiry else None,
        "lot": scan.value("10"),
        "serial": scan.value("21"),
        "symbology": scan.symbology,
        "hri": scan.hri,
        "elements": [
            {
                "ai": e.ai,
                "title": e.title,
                "description": e.description,
                "value": e.value,
                "date": e.date.isoformat() if e.date else None,
            }
            for e in scan.elements
        ],
    }


async def parse_scan(call: Call) -> dict[str, Any]:
    try:
        scan = parse(call.body["data"])
    except Gs1Error as exc:
        raise validation_problem([FieldError("/data", str(exc))]) from None
    return scan_json(scan)


#: A vaccine box as scanned: GTIN of a CIP-13 (3400930000052), expiry March 2027 written with
#: day 00, lot 2025A1 ended by GS, serial ABC123.
_SCANNED = "]d2010340093000005217270300102025A1\u001d21ABC123"
_EXAMPLE_ANSWER = {
    "gtin": "03400930000052",
    "cip13": "3400930000052",
    "expiry": "2027-03-31",
    "lot": "2025A1",
    "serial": "ABC123",
    "symbology": "]d2",
    "hri": "(01)03400930000052(17)270300(10)2025A1(21)ABC123",
    "elements": [
        {
            "ai": "01",
            "title": "GTIN",
            "description": "Global Trade Item Number (GTIN)",
            "value": "03400930000052",
            "date": None,
        },
        {
            "ai": "17",
            "title": "USE BY or EXPIRY",
            "description": "Expiration date (YYMMDD)",
            "value": "270300",
            "date": "2027-03-31",
        },
        {
            "ai": "10",
            "title": "BATCH/LOT",
            "description": "Batch or lot number",
            "value": "2025A1",
            "date": None,
        },
        {
            "ai": "21",
            "title": "SERIAL",
            "description": "Serial number",
            "value": "ABC123",
            "date": None,
        },
    ],
}

OPERATIONS = [
    Operation(
        "POST",
        "/v1/gs1/parse",
        "Read a scanned GS1 DataMatrix (a medicine or vaccine box)",
        parse_scan,
        scope=SCOPE,
        operation_id="parseGs1",
        description="""Reads what a scanner sent for the DataMatrix of a medicine or vaccine
box (GS1 element strings): the GTIN (AI 01) and the CIP-13 it holds for a French medicine, the
expiry date (AI 17, `YYMMDD`, day `00` meaning the month's last day), the lot (AI 10), the
serial number (AI 21), and every element with its AI's title and description.

`data` is the raw data with GS (`\\u001d`) where the symbol has an FNC1 separator, as scanners
send it, optionally preceded by the symbology identifier (`]d2`); or the printed form, the AIs in
parentheses (`(01)03400930000052(17)270300(10)2025A1(21)ABC123`, spaces ignored).

Check digits (GTIN, SSCC, GLN) and dates are verified. Malformed data is a 422 on `/data` that
says what is wrong and where: empty, an unknown AI, a truncated or malformed field, a wrong
check digit, an impossible date, an AI given twice with different values, a symbology that is
not GS1. Read on the spot: no national service is called, nothing is journaled.""",
        request_schema=PARSE_SCHEMA,
        request_examples={
            "scanned with its symbology identifier": {"data": _SCANNED},
            "typed from the printed text": {
                "data": "(01)03400930000052(17)270300(10)2025A1(21)ABC123"
            },
        },
        response_schema=SCAN_SCHEMA,
        response_examples={"a vaccine box": _EXAMPLE_ANSWER},
    )
]
