"""``aiguillage insee import``: INSEE's published COG files in place of the table in use,
checked first, written atomically, read by the running daemon on its next search."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from aiguillage.places import BUNDLED, IMPORTED, import_places

from conftest import run_cli

COMMUNES_HEADER = ["TYPECOM", "COM", "TNCC", "NCC", "NCCENR", "LIBELLE", "DATE_DEBUT", "DATE_FIN"]
COUNTRIES_HEADER = ["COG", "ACTUAL", "CRPAY", "ANI", "LIBCOG", "LIBENR", "CODEISO2", "CODEISO3"]


def bundled_communes() -> list[list[str]]:
    with gzip.open(BUNDLED, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r for r in rows if r["kind"] == "commune"]


def write_communes(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        writer.writerow(COMMUNES_HEADER)
        writer.writerows(rows)
    return path


def insee_file(tmp_path: Path) -> Path:
    """A communes-since-1943 file as INSEE writes it: the bundled communes, with Arboys en
    Bugey's history as INSEE dates it (Arbignieu until the commune nouvelle of 2016), a
    delegated commune row, which is no birth place code, and one municipal arrondissement."""
    rows = []
    for r in bundled_communes():
        if r["code"] == "01015":
            continue
        start = r["valid_from"] or "1943-01-01"
        rows.append(
            ["COM", r["code"], "0", r["name"].upper(), r["name"], r["name"], start, r["valid_to"]]
        )
    rows += [
        ["COM", "01015", "1", "ARBIGNIEU", "Arbignieu", "Arbignieu", "1943-01-01", "2016-01-01"],
        [
            "COM",
            "01015",
            "1",
            "ARBOYS EN BUGEY",
            "Arboys en Bugey",
            "Arboys en Bugey",
            "2016-01-01",
            "",
        ],
        ["COMD", "01015", "1", "ARBIGNIEU", "Arbignieu", "Arbignieu", "2016-01-01", ""],
        [
            "ARM",
            "75115",
            "0",
            "PARIS 15",
            "Paris 15e",
            "Paris 15e Arrondissement",
            "1943-01-01",
            "",
        ],
    ]
    return write_communes(tmp_path / "v_commune_depuis_1943.csv", rows)


def countries_file(tmp_path: Path) -> Path:
    path = tmp_path / "v_pays_territoire_2026.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COUNTRIES_HEADER)
        writer.writerow(["99127", "1", "", "", "Italie", "République italienne", "IT", "ITA"])
        writer.writerow(
            ["99109", "1", "", "", "Allemagne", "République fédérale d'Allemagne", "DE", "DEU"]
        )
        writer.writerow(["99100", "1", "", "", "France", "République française", "FR", "FRA"])
    return path


async def names(client, q, day):
    response = await client.get("/v1/insee/places", params={"q": q, "birth_date": day})
    assert response.status == 200, await response.text()
    return [(i["code"], i["name"], i["approximate"]) for i in (await response.json())["items"]]


async def test_a_newer_cog_is_imported_and_served_at_once(client, settings, tmp_path):
    data_dir = settings.daemon.data_dir
    # The daemon serves the bundled table: Arbignieu's end is only known to be before 2019.
    assert await names(client, "arbignieu", "2017-06-01") == [("01015", "Arbignieu", True)]

    done = run_cli("insee", "import", str(insee_file(tmp_path)), "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    assert (
        "v_commune_depuis_1943.csv: " in done.stdout and "(arrondissement, commune)" in done.stdout
    )
    assert "imported: " in done.stdout and " commune" in done.stdout
    assert (data_dir / IMPORTED).exists()

    assert await names(client, "arbignieu", "2015-12-31") == [("01015", "Arbignieu", False)]
    assert await names(client, "arbignieu", "2016-01-01") == []
    assert await names(client, "arboys", "2016-01-01") == [("01015", "Arboys en Bugey", False)]
    # What the file did not carry is kept (countries); what it did is replaced (arrondissements).
    assert await names(client, "ital", "1990-01-01") == [("99127", "ITALIE", True)]
    assert await names(client, "paris 1", "1990-01-01") == [
        ("75115", "Paris 15e Arrondissement", False)
    ]

    # Countries alone next: the communes just imported stay.
    done = run_cli("insee", "import", str(countries_file(tmp_path)), "--data-dir", str(data_dir))
    assert done.returncode == 0, done.stderr
    assert await names(client, "ital", "1990-01-01") == [("99127", "Italie", True)]
    # 99100 (France) is no birth place: a birth in France takes its commune's code.
    assert "99100" not in [code for code, _, _ in await names(client, "france", "1990-01-01")]
    assert await names(client, "arboys", "2016-01-01") == [("01015", "Arboys en Bugey", False)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("COM,NOM\n01001,Ici\n", "not an INSEE COG file"),
        (
            ",".join(COMMUNES_HEADER) + "\nCOM,01001,0,ICI,Ici,Ici,1943-01-01,2016-13-01\n",
            "line 2: '2016-13-01' is not a date",
        ),
        (
            ",".join(COMMUNES_HEADER) + "\nCOM,0100,0,ICI,Ici,Ici,1943-01-01,\n",
            "line 2: '0100' is not a commune code",
        ),
        (
            ",".join(COMMUNES_HEADER) + "\nCOM,01001,0,ICI,Ici,Ici,2016-01-01,1943-01-01\n",
            "line 2: DATE_FIN 1943-01-01 is not after DATE_DEBUT",
        ),
        (
            ",".join(COMMUNES_HEADER) + "\nCOM,01001,0,ICI,Ici,Ici,1943-01-01,\n",
            "only 1 commune codes",
        ),
        (",".join(COUNTRIES_HEADER) + "\n12345,1,,,Nulle part,,,\n", "is not a country code"),
    ],
)
def test_a_file_that_is_not_insee_s_leaves_the_table_as_it_was(tmp_path, content, message):
    data_dir = tmp_path / "data"
    import_places([countries_file(tmp_path)], data_dir / "plugins" / "insee")
    before = (data_dir / IMPORTED).read_bytes()
    bad = tmp_path / "v_bad.csv"
    bad.write_text(content, encoding="utf-8")

    done = run_cli("insee", "import", str(bad), "--data-dir", str(data_dir))

    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert (data_dir / IMPORTED).read_bytes() == before
    assert [p.name for p in (data_dir / IMPORTED).parent.iterdir()] == [IMPORTED.name]
