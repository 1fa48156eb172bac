"""The examples the API description shows for each INSi operation: the published CNDA test
identities (``identities.toml``), as the simulator answers them. A test checks each against its
schema."""

from __future__ import annotations

from typing import Any

from .identity import DATAMATRIX_HEADER, GS

NIR_OID = "1.2.250.1.213.1.4.8"
REQUEST_ID = "ehr-4f1c2a"

RUTH_TRAITS = {
    "birth_name": "NESSI",
    "first_names": ["RUTH", "ISABELLE"],
    "sex": "F",
    "birth_date": "1977-07-14",
    "birth_place": "63220",
}
RUTH_INS = {"matricule": "277076322082910", "oid": NIR_OID, "kind": "NIR"}
RUTH_RETURNED = {
    "birth_name": "NESSI",
    "first_name": "RUTH",
    "first_names": ["RUTH", "ISABELLE"],
    "sex": "F",
    "birth_date": "1977-07-14",
    "birth_place": "63220",
}
RUTH_DATAMATRIX = (
    f"{DATAMATRIX_HEADER}S1277076322082910S2{NIR_OID}{GS}S3RUTH ISABELLE{GS}S4NESSI{GS}"
    "S5FS614-07-1977S763220"
)

SEARCH_REQUESTS: dict[str, Any] = {
    "traits": {
        "traits": {
            "birth_name": "Nessi",
            "first_names": ["Ruth", "Isabelle"],
            "sex": "F",
            "birth_date": "1977-07-14",
        }
    },
    "carte Vitale": {"vitale": {"nir": "277076322082910", "birth_date": "1977-07-14"}},
    "ApCV session": {"apcv_session": "s_3kq1V0mXc2T9e8bYwZr4Ag", "beneficiary": 0},
    "for a practitioner": {
        "traits": {
            "birth_name": "ECETINSI",
            "first_names": ["Pierre-Alain", "Muriel", "Floriant"],
            "sex": "M",
            "birth_date": "2009-07-14",
        },
        "practitioner": {
            "national_id": "10101010101",
            "id_type": "RPPS",
            "given_name": "ANNE",
            "family_name": "MARTIN",
        },
    },
}


def _call(first_names: list[str] | None, cr: str, ms: float) -> dict[str, Any]:
    operation = "rechercherInsAvecTraitsIdentite"
    if first_names is None:
        return {"operation": "rechercherInsAvecCarteVitale", "cr": cr, "error": None, "ms": ms}
    return {"operation": operation, "first_names": first_names, "cr": cr, "error": None, "ms": ms}


_NOBODY: dict[str, Any] = {
    "ins": None,
    "history": [],
    "traits": None,
    "datamatrix": None,
    "request_id": REQUEST_ID,
}

SEARCH_ANSWERS: dict[str, Any] = {
    "found": {
        "result": "found",
        "cr": {"code": "00", "label": "OK"},
        "ins": RUTH_INS,
        "history": [],
        "traits": RUTH_RETURNED,
        "datamatrix": RUTH_DATAMATRIX,
        "request_id": REQUEST_ID,
        "calls": [_call(["RUTH"], "00", 58.4)],
    },
    "found, with former INS": {
        "result": "found",
        "cr": {"code": "00", "label": "OK"},
        "ins": {"matricule": "109076322083489", "oid": NIR_OID, "kind": "NIR"},
        # CNDA TEST_2.04 case 2, dates as INSi gives them.
        "history": [
            {
                "matricule": "209076322083439",
                "oid": NIR_OID,
                "kind": "NIR",
                "start": "2019-03-01",
                "end": "2019-02-28",
            },
            {"matricule": "209066322012355", "oid": NIR_OID, "kind": "NIR"},
        ],
        "traits": {
            "birth_name": "ECETINSI",
            "first_name": "PIERRE-ALAIN",
            "first_names": ["PIERRE-ALAIN", "MURIEL", "FLORIANT"],
            "sex": "M",
            "birth_date": "2009-07-14",
            "birth_place": "63220",
        },
        "datamatrix": f"{DATAMATRIX_HEADER}S1109076322083489S2{NIR_OID}{GS}"
        f"S3PIERRE-ALAIN MURIEL FLORIANT{GS}S4ECETINSI{GS}S5MS614-07-2009S763220",
        "request_id": REQUEST_ID,
        "calls": [_call(["PIERRE-ALAIN"], "00", 11.2)],
    },
    "not found, after a second call": {
        "result": "not_found",
        "cr": {"code": "01", "label": "Aucune identite trouvee"},
        **_NOBODY,
        "calls": [_call(["OLA"], "01", 6.7), _call(["OLA", "BELLA"], "01", 10.3)],
    },
    "several": {
        "result": "several",
        "cr": {"code": "02", "label": "Plusieurs identites trouvees"},
        **_NOBODY,
        "calls": [_call(["LEONARDO"], "02", 2.3)],
        "disambiguate": ["birth_place", "first_names (all birth first names)"],
    },
    "by carte Vitale": {
        "result": "found",
        "cr": {"code": "00", "label": "OK"},
        "ins": RUTH_INS,
        "history": [],
        "traits": RUTH_RETURNED,
        "datamatrix": RUTH_DATAMATRIX,
        "request_id": REQUEST_ID,
        "calls": [_call(None, "00", 7.2)],
    },
}

VERIFY_REQUESTS: dict[str, Any] = {
    "held identity": {
        "ins": {"matricule": "277076322082910", "oid": NIR_OID},
        "traits": RUTH_TRAITS,
    },
}

VERIFY_ANSWERS: dict[str, Any] = {
    "match": {
        "match": True,
        "ins_match": True,
        "differences": [],
        "cr": {"code": "00", "label": "OK"},
        "returned": {"ins": RUTH_INS, "traits": RUTH_RETURNED},
        "request_id": REQUEST_ID,
        "calls": [_call(["RUTH", "ISABELLE"], "00", 2.2)],
    },
    # CNDA TEST_3.05 case 3: the same INS comes back with another first name.
    "a trait differs": {
        "match": False,
        "ins_match": True,
        "differences": [{"trait": "first_names", "held": "RUTH ISABELLE", "returned": "NATHALIE"}],
        "cr": {"code": "00", "label": "OK"},
        "returned": {
            "ins": RUTH_INS,
            "traits": {**RUTH_RETURNED, "first_name": "NATHALIE", "first_names": ["NATHALIE"]},
        },
        "request_id": REQUEST_ID,
        "calls": [_call(["RUTH", "ISABELLE"], "00", 2.0)],
    },
    "no one found": {
        "match": False,
        "ins_match": False,
        "differences": [],
        "cr": {"code": "01", "label": "Aucune identite trouvee"},
        "returned": None,
        "request_id": REQUEST_ID,
        "calls": [_call(["RUTH", "ISABELLE"], "01", 3.1)],
    },
}

HISTORY_ANSWERS: dict[str, Any] = {
    "calls": {
        "calls": [
            {
                "time": "2026-12-02T15:20:15.444975+00:00",
                "type": "ins.verify",
                "outcome": "cr00",
                "request_summary": "traits search: NESSI RUTH ISABELLE F 1977-07-14 63220",
                "response_summary": "CR 00 OK: INS 277076322082910 (NIR)",
                "practitioner": "MAX LIBRE",
                "request_id": REQUEST_ID,
            },
            {
                "time": "2026-12-02T15:20:15.141728+00:00",
                "type": "ins.search",
                "outcome": "cr00",
                "request_summary": "traits search: NESSI RUTH F 1977-07-14",
                "response_summary": "CR 00 OK: INS 277076322082910 (NIR)",
                "practitioner": "MAX LIBRE",
                "request_id": "ehr-2b9e07",
            },
        ]
    },
}
