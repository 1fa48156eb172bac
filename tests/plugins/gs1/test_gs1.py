"""Reading the DataMatrix of a vaccine box through the API (issue 16): the samples are built
here with their check digits computed by the GS1 rule, then scanned the three ways scanners and
people send them; malformed ones are refused naming what is wrong."""

from __future__ import annotations

import pytest

from aiguillage.app import create_app
from aiguillage.clients import ClientStore

PROBLEM = "application/problem+json"
GS = "\x1d"


def check_digit(digits: str) -> str:
    """GS1 mod-10: weights 3, 1, 3… from the rightmost digit."""
    total = sum(int(d) * (3 if n % 2 == 0 else 1) for n, d in enumerate(reversed(digits)))
    return str(-total % 10)


def gtin_of(cip13_without_check: str) -> tuple[str, str]:
    cip13 = cip13_without_check + check_digit(cip13_without_check)
    return "0" + cip13, cip13


# A vaccine's CIP-13 (made up in the 3400 9 range), its GTIN-14, and a box of it.
GTIN, CIP13 = gtin_of("340093726451")
LOT, SERIAL = "X7K42B", "5T9Q2W7ZP1"
RAW = f"01{GTIN}17270300" + f"10{LOT}{GS}21{SERIAL}"
SCANNED = f"]d2{RAW}"
PRINTED = f"(01) {GTIN} (17) 270300 (10) {LOT} (21) {SERIAL}"


async def parse(client, data: str):
    return await client.post("/v1/gs1/parse", json={"data": data})


async def problem_of(client, data: str) -> str:
    response = await parse(client, data)
    assert response.status == 422, await response.text()
    (error,) = (await response.json(content_type=PROBLEM))["errors"]
    assert error["field"] == "/data"
    return error["message"]


def test_the_sample_is_built_right():
    assert check_digit("340093000005") == "2"  # 3400930000052, checked by hand
    assert len(GTIN) == 14 and GTIN.startswith("034009") and CIP13 == GTIN[1:]


@pytest.mark.parametrize("data", [RAW, SCANNED, f"{GS}{RAW}{GS}", PRINTED])
async def test_a_vaccine_box_read_every_way_it_is_sent(client, data):
    response = await parse(client, data)
    assert response.status == 200, await response.text()
    scan = await response.json()
    assert (scan["gtin"], scan["cip13"], scan["lot"], scan["serial"]) == (GTIN, CIP13, LOT, SERIAL)
    assert scan["expiry"] == "2027-03-31"  # day 00: the month's last day
    assert scan["hri"] == f"(01){GTIN}(17)270300(10){LOT}(21){SERIAL}"
    assert scan["symbology"] == ("]d2" if data == SCANNED else None)
    assert [e["ai"] for e in scan["elements"]] == ["01", "17", "10", "21"]
    expiry = scan["elements"][1]
    assert (expiry["title"], expiry["value"], expiry["date"]) == (
        "USE BY or EXPIRY",
        "270300",
        "2027-03-31",
    )


@pytest.mark.parametrize(
    ("yymmdd", "date"),
    [("280200", "2028-02-29"), ("270200", "2027-02-28"), ("261231", "2026-12-31")],
)
async def test_expiry_dates(client, yymmdd, date):
    scan = await (await parse(client, f"01{GTIN}17{yymmdd}")).json()
    assert scan["expiry"] == date and scan["lot"] is None and scan["serial"] is None


async def test_a_gtin_that_is_not_a_french_medicine_has_no_cip13(client):
    german, _ = gtin_of("400638133393")
    case_of_boxes = "1" + CIP13[:-1]
    case_of_boxes += check_digit(case_of_boxes)
    for gtin in (german, case_of_boxes):
        scan = await (await parse(client, f"01{gtin}10A1")).json()
        assert scan["gtin"] == gtin and scan["cip13"] is None


async def test_other_ais_are_listed_with_their_description(client):
    scan = await (await parse(client, f"01{GTIN}11250115{GS}714PT1234567{GS}240REF-9")).json()
    other = {e["ai"]: e for e in scan["elements"]}
    assert other["11"]["date"] == "2025-01-15" and "Production date" in other["11"]["description"]
    assert other["714"]["value"] == "PT1234567"
    assert other["240"]["title"] == "ADDITIONAL ID" and other["240"]["value"] == "REF-9"
    assert scan["expiry"] is None


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (f"01{GTIN[:-1]}{(int(GTIN[-1]) + 1) % 10}17270300", "wrong check digit"),
        (f"01{GTIN}1727", "at character 17: (17) USE BY or EXPIRY: truncated: 2 of its 6"),
        ("0103400937", "(01) GTIN: truncated: 8 of its 14 digits"),
        (f"01{GTIN}17271332", "271332 is not a date"),
        (f"01{GTIN}17270230", "270230 is not a date"),
        (f"01{GTIN}{GS}2345", "at character 18: '2345'… starts with no known GS1 application"),
        (f"01{GTIN}10{'L' * 21}", "(10) BATCH/LOT (X..20), may be longer than its format"),
        (f"01{GTIN}10LOT é", "(10) BATCH/LOT (X..20), may be longer than its format"),
        (f"01{GTIN}17270300{GS}17270400", "(17) USE BY or EXPIRY given twice"),
        (f"01{GTIN}10é", "at character 17: (10) BATCH/LOT: 'é' does not have its format (X..20)"),
        (f"]d1{RAW}", "symbology identifier ]d1 announces data that is not GS1"),
        (f"(01){GTIN}(23)1", "(23) is not a known GS1 application identifier"),
        (f"(01){GTIN}(2351)1", "(2351) is not a known GS1 application identifier"),
        (f"(01){GTIN}(17270300", "must be (AI)value pairs"),
        (f"(01){GTIN}(17)270300 lot", "(17) USE BY or EXPIRY: '270300lot' does not have its"),
        (f"(01){GTIN}(17)2703", "(17) USE BY or EXPIRY: truncated"),
        (f" {GS} ", "empty"),
        ("]d2", "empty"),
        ("]", "']' is not a symbology identifier"),
        (f"{GS}]", "']' is not a symbology identifier"),
        ("", "should be non-empty"),
    ],
)
async def test_malformed_data_is_a_422_saying_what_is_wrong(client, data, says):
    assert says in await problem_of(client, data)


async def test_data_that_is_not_a_string_or_too_long(client):
    response = await client.post("/v1/gs1/parse", json={"data": 42})
    assert response.status == 422
    assert await problem_of(client, "1" * 3117)  # on /data


async def test_nothing_is_journaled(client):
    await parse(client, SCANNED)
    await parse(client, "not a barcode")
    rows = (await (await client.get("/v1/journal?event=gs1")).json())["rows"]
    assert rows == []


async def test_its_own_scope(client, store):
    token = store.add("front-desk", ["dmp"])[1]
    response = await client.post(
        "/v1/gs1/parse", json={"data": SCANNED}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status == 403
    assert (await response.json(content_type=PROBLEM))["type"].endswith("insufficient-scope")


async def test_switched_off_in_config(aiohttp_client, settings, plugins, token):
    settings.plugins["gs1"].enabled = False
    client = await aiohttp_client(create_app(settings, plugins))
    response = await client.post(
        "/v1/gs1/parse", json={"data": SCANNED}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status == 404
    assert (await response.json(content_type=PROBLEM))["type"].endswith("plugin-disabled")
    assert ClientStore  # the token came from the same store as the other tests'
