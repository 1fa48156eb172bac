"""The MSSanté directory offline: the ANS extraction imported into SQLite (bad rows counted, a
zip read as it goes, the old directory kept until the new one is complete) and searched by
word prefixes and exact filters, whatever the user types."""

from __future__ import annotations

import fcntl
import os
import re
import sqlite3
import textwrap
import unicodedata
import zipfile
from pathlib import Path

import pytest

from aiguillage.plugins.mssante import directory
from aiguillage.plugins.mssante.directory import (
    Directory,
    ImportFailed,
    ImportRefused,
    NotImported,
    import_extraction,
    open_directory,
    search,
)

from .directory_rows import COLUMNS, FULL_SIZE, extraction, line, rows, write_txt, write_zip
from conftest import run_cli

C = {name: n for n, name in enumerate(COLUMNS)}
SEARCHED = (
    "Nom d'exercice",
    "Prénom d'exercice",
    "Raison Sociale structure BAL",
    "Service de rattachement",
    "Libellé Profession",
)


def db_of(data_dir: Path) -> Path:
    return data_dir / directory.DB_NAME


def imported(folder: Path) -> tuple[Path, list[list[str]]]:
    """A data dir with 3,000 rows imported, and those rows."""
    data_dir = folder / "data"
    report = import_extraction(write_txt(folder / "small.txt", 3000), data_dir)
    assert (report.rows, report.bad) == (3000, 0)
    return data_dir, list(rows(3000))


@pytest.fixture
def small(tmp_path: Path) -> tuple[Path, list[list[str]]]:
    """:func:`imported`, for a test that imports again."""
    return imported(tmp_path)


@pytest.fixture(scope="module")
def searched(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[list[str]]]:
    """:func:`imported`, for the tests that only search it."""
    return imported(tmp_path_factory.mktemp("searched"))


# --- what a search should find, computed here independently of FTS5 ---------------------------


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def city(row: list[str]) -> str:
    delivery, postcode = (
        row[C["L6LIGNEACHEMINEMENT structure BAL"]],
        row[C["Code postal structure BAL"]],
    )
    return delivery.removeprefix(postcode).removesuffix(" CEDEX").strip()


def words_of(row: list[str]) -> list[str]:
    text = " ".join([*(row[C[name]] for name in SEARCHED), city(row)])
    return re.findall(r"[^\W_]+", fold(text))


def expected(data: list[list[str]], q: str) -> set[str]:
    """Addresses of the rows where each word of ``q`` starts a word of the names, the city or
    the profession."""
    wanted = re.findall(r"[^\W_]+", fold(q))
    return {
        row[C["Adresse BAL"]]
        for row in data
        if all(any(w.startswith(p) for w in words_of(row)) for p in wanted)
    }


def addresses(found: list[dict]) -> set[str]:
    return {entry["address"] for entry in found}


# --- search -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    ["le g", "mar", "jean-p", "paris", "hé", "heb", "masseur", "cabinet du", "médecin lyon",
     "secr", "CLINIQUE nantes", "zoé", "n'g", "d", "Kiné Saint"],
)  # fmt: skip
def test_search_finds_each_word_as_a_prefix_in_any_order_accents_and_case_aside(searched, q):
    data_dir, data = searched
    found = search(db_of(data_dir), q=q, limit=directory.MAX_LIMIT)
    want = expected(data, q)
    assert want, f"the generated rows hold no {q!r}: pick another query"
    if len(want) <= directory.MAX_LIMIT:
        assert addresses(found) == want
    else:
        assert len(found) == directory.MAX_LIMIT and addresses(found) <= want


def test_an_answer_carries_the_row_as_published(searched):
    data_dir, data = searched
    personal = next(
        r for r in data if r[C["Code savoir-faire"]] and r[C["Identification Structure"]]
    )
    (entry,) = search(db_of(data_dir), q=f"{personal[9]} {personal[10]}", rpps=personal[3])
    assert entry == {
        "address": personal[1],
        "type": "PER",
        "names": {"family": personal[9], "given": personal[10], "civility": personal[8]},
        "rpps": personal[3],
        "profession": {"code": personal[13], "label": personal[14]},
        "specialty": {"code": personal[15], "label": personal[16]},
        "structure": {
            "name": personal[18],
            "id": personal[6],
            "id_type": personal[5],
            "service": None,
        },
        "address_lines": [
            line
            for line in (
                personal[20],
                personal[21],
                " ".join(p for p in personal[22:26] if p),
                personal[26],
                personal[27],
            )
            if line
        ],
        "postcode": personal[28],
        "city": city(personal),
    }
    organisational = next(r for r in data if r[0] == "ORG")
    found = search(db_of(data_dir), q=f"{organisational[18]} {organisational[7]}", limit=200)
    (entry,) = [e for e in found if e["address"] == organisational[1]]
    assert entry["type"] == "ORG" and entry["names"] == {
        "family": None,
        "given": None,
        "civility": None,
    }
    assert entry["structure"] == {
        "name": organisational[18],
        "id": organisational[6],
        "id_type": organisational[5],
        "service": organisational[7],
    }
    assert entry["profession"] is None and entry["specialty"] is None


@pytest.mark.parametrize(
    "q",
    ['"', '""', "*", "dup*", "AND", "OR x", "x OR", "NOT", "NEAR(a b)", "NEAR", "(", ")", ":",
     "family:x", "^x", "-x", "+", "a'b", "{a b}", "\x00", "\\", "'", "%", "_", "?", ";--",
     "x\" OR \"y", "é*", "martin -", "\u0301"],
)  # fmt: skip
def test_fts_syntax_in_the_query_is_plain_text(searched, q):
    data_dir, data = searched
    found = search(db_of(data_dir), q=q, limit=directory.MAX_LIMIT)
    assert isinstance(found, list)
    if not re.findall(r"[^\W_]+", q):
        assert found == []  # nothing to search for
    else:
        want = expected(data, q)
        assert addresses(found) <= want and len(found) == min(len(want), directory.MAX_LIMIT)


def test_exact_filters(searched):
    data_dir, data = searched
    db = db_of(data_dir)
    someone = next(r for r in data if r[0] == "PER")
    assert addresses(search(db, rpps=someone[3])) == {r[1] for r in data if r[3] == someone[3]}
    assert search(db, rpps=someone[3][:-1]) == []  # exact, not a prefix
    by_postcode = search(db, postcode="75015", limit=200)
    assert addresses(by_postcode) == {r[1] for r in data if r[28] == "75015"}
    orthoptists = {r[1] for r in data if r[13] == "92"}
    assert addresses(search(db, profession="92", limit=200)) == orthoptists
    assert addresses(search(db, profession="orthoptiste", limit=200)) == orthoptists
    assert search(db, profession="Orthopt") == []
    physiotherapists = {r[1] for r in data if r[13] == "70"}
    for label in ("Masseur-Kinésithérapeute", "MASSEUR KINESITHERAPEUTE"):
        found = search(db, profession=label, limit=200)
        assert len(found) == min(len(physiotherapists), 200)
        assert addresses(found) <= physiotherapists
    combined = search(db, q="paris", profession="10", limit=200)
    in_paris = expected(data, "paris")
    assert addresses(combined) == {r[1] for r in data if r[13] == "10" and r[1] in in_paris}
    assert all(e["postcode"] == "75015" for e in search(db, q="p", postcode="75015"))
    assert search(db, q="75015") == []  # q searches the names, city and profession only


def test_limit_and_bad_criteria(searched):
    data_dir, _ = searched
    assert len(search(db_of(data_dir), q="m")) == 20
    assert len(search(db_of(data_dir), q="m", limit=3)) == 3
    for limit in (0, directory.MAX_LIMIT + 1):
        with pytest.raises(ValueError, match="limit must be between 1 and 200"):
            search(db_of(data_dir), q="m", limit=limit)
    for name in ("rpps", "postcode", "profession"):
        with pytest.raises(ValueError, match=f"{name} must not be empty"):
            search(db_of(data_dir), **{name: " "})
    for postcode in ("75 015", '75015"', "75015*", "{rpps}"):
        with pytest.raises(ValueError, match="postcode must be letters and digits only"):
            search(db_of(data_dir), postcode=postcode)


def test_a_directory_never_imported_is_a_clear_error(tmp_path):
    for db in (tmp_path / directory.DB_NAME, Directory(tmp_path)):
        with pytest.raises(NotImported, match="aiguillage directory import"):
            search(db, q="martin")


# --- import -------------------------------------------------------------------------------------


def test_bad_rows_are_counted_and_reported_not_fatal(tmp_path):
    bad = {
        3: b"PER|only|three\n",
        5: line(["PER", "", *[""] * 29]),  # no mailbox address
        6: line(["PER", "   ", *[""] * 29]),
        8: b"PER|jose.garc\xeda@medecin.mssante.fr" + b"|" * 29 + b"\n",  # Latin-1
        9: b"\n",  # a blank line: no row, no harm
        11: line(["PER", "x@y", *[""] * 29, "more"]),  # 32 columns
        13: b"PER|a|b|" + b"|" * 40 + b"\n",
    }  # fmt: skip
    source = write_txt(tmp_path / "bad.txt", 100, extra=bad)
    seen: list[tuple[int, int]] = []
    report = import_extraction(
        source, tmp_path / "data", lambda done, total: seen.append((done, total))
    )
    assert (report.rows, report.bad) == (100, 6)
    assert [(b.line, b.reason) for b in report.first_bad] == [
        (3, "3 columns, expected 31"),
        (5, "no mailbox address (Adresse BAL is empty)"),
        (6, "no mailbox address (Adresse BAL is empty)"),
        (8, "not UTF-8 (byte 14 of the line)"),
        (11, "32 columns, expected 31"),
        (13, "44 columns, expected 31"),
    ]
    assert report.line().startswith("imported 100 rows (6 bad) in ")
    assert seen[-1] == (source.stat().st_size, source.stat().st_size)
    assert len(search(db_of(tmp_path / "data"), limit=200)) == 100


def test_many_bad_rows_report_the_first_ten(tmp_path):
    bad = {n: b"bad|row\n" for n in range(2, 40)}
    report = import_extraction(write_txt(tmp_path / "bad.txt", 10, extra=bad), tmp_path / "data")
    assert (report.rows, report.bad) == (10, 38)
    assert [b.line for b in report.first_bad] == list(range(2, 12))


def test_the_published_variants_of_the_layout(tmp_path):
    """A byte order mark, CRLF line ends, a trailing "|" and the header's spelling (accents,
    case) do not matter."""
    header = "\ufeff" + "|".join(c.upper().replace("É", "E") for c in COLUMNS) + "|\r\n"
    body = [("|".join(r) + "|\r\n") for r in rows(50)]
    source = tmp_path / "variant.txt"
    source.write_bytes((header + "".join(body)).encode())
    report = import_extraction(source, tmp_path / "data")
    assert (report.rows, report.bad) == (50, 0)
    (first,) = search(db_of(tmp_path / "data"), rpps=next(rows(1))[3])
    assert first["address"] == next(rows(1))[1]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file starts with an empty line, not the header"),
        (b"a|b|c\n", "the header has 3 '|'-separated columns, expected 31"),
        ("|".join([*COLUMNS[:9], "Nom", *COLUMNS[10:]]).encode() + b"\n", "column 10 is 'Nom'"),
        (b"\xff\xfe" + "|".join(COLUMNS).encode("utf-16-le") + b"\n", "the header is not UTF-8"),
        (b"".join(extraction(0)) + b"x|y\n", "no row could be imported (1 bad)"),
    ],
)
def test_a_file_that_is_not_an_extraction_is_refused(tmp_path, small, content, message):
    data_dir, data = small
    source = tmp_path / "other.txt"
    source.write_bytes(content)
    with pytest.raises(ImportRefused, match=re.escape(message)):
        import_extraction(source, data_dir)
    assert len(search(db_of(data_dir), rpps=data[0][3])) >= 1  # the directory in place stays
    assert sorted(os.listdir(data_dir)) == [directory.DB_NAME, "directory.lock"]


def test_a_zip_is_read_as_its_txt(tmp_path):
    source = write_zip(tmp_path / "Extraction_Correspondance_MSSante.zip", 2000)
    assert zipfile.is_zipfile(source)
    report = import_extraction(source, tmp_path / "data")
    assert (report.rows, report.bad) == (2000, 0)
    last = list(rows(2000))[-1]
    assert addresses(
        search(db_of(tmp_path / "data"), rpps=last[3] or None, q=last[18] or None)
    ) >= {last[1]}


def test_a_zip_must_hold_one_extraction(tmp_path):
    for names in ([], ["a.txt", "b.txt"], ["readme.pdf"]):
        source = tmp_path / "odd.zip"
        with zipfile.ZipFile(source, "w") as archive:
            for name in names:
                archive.writestr(name, b"".join(extraction(3)))
        with pytest.raises(ImportRefused, match=r"the zip must hold one \.txt or \.csv extraction"):
            import_extraction(source, tmp_path / "data")
    assert not (tmp_path / "data" / directory.DB_NAME).exists()


def damaged_zip(path: Path, count: int) -> Path:
    """A zip whose compressed text is corrupt past its middle: the import fails part way."""
    write_zip(path, count)
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    path.write_bytes(bytes(data))
    return path


def test_a_failing_import_leaves_the_old_directory_intact(small, tmp_path):
    data_dir, data = small
    before = search(db_of(data_dir), rpps=data[0][3])
    reached: list[int] = []
    with pytest.raises(ImportFailed, match="the archive is damaged"):
        import_extraction(
            damaged_zip(tmp_path / "damaged.zip", 40000),
            data_dir,
            lambda done, total: reached.append(done),
        )
    assert reached, "the import failed before inserting anything: it proves nothing"
    assert search(db_of(data_dir), rpps=data[0][3]) == before
    assert len(search(db_of(data_dir), limit=200)) == 200
    assert sorted(os.listdir(data_dir)) == [directory.DB_NAME, "directory.lock"]


def test_an_interrupted_import_leaves_the_old_directory_intact(small, tmp_path):
    data_dir, data = small
    before = search(db_of(data_dir), q=data[0][9])

    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_extraction(write_txt(tmp_path / "next.txt", 20000, seed=99), data_dir, interrupt)
    assert search(db_of(data_dir), q=data[0][9]) == before
    assert sorted(os.listdir(data_dir)) == [directory.DB_NAME, "directory.lock"]
    # And the next import goes through.
    report = import_extraction(tmp_path / "next.txt", data_dir)
    assert report.rows == 20000


def test_one_import_at_a_time(small, tmp_path):
    data_dir, _ = small
    with open(data_dir / "directory.lock", "a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        with pytest.raises(ImportRefused, match="another directory import is running"):
            import_extraction(write_txt(tmp_path / "again.txt", 10), data_dir)


def test_readers_move_to_the_new_directory_and_never_see_a_mix(small, tmp_path):
    data_dir, old = small
    reader = Directory(data_dir)
    held = open_directory(db_of(data_dir))  # a search running while the import completes
    assert reader.search(rpps=old[0][3])
    new = list(rows(500, seed=5))
    import_extraction(write_txt(tmp_path / "new.txt", 500, seed=5), data_dir)
    assert reader.search(rpps=old[0][3]) == []
    assert addresses(reader.search(rpps=new[0][3])) == {r[1] for r in new if r[3] == new[0][3]}
    assert reader.about()["rows"] == 500 and reader.about()["source"] == "new.txt"
    # The connection opened before the swap still reads the old directory, whole.
    assert held.execute("SELECT count(*) FROM entries").fetchone() == (3000,)
    assert search(held, rpps=old[0][3])
    held.close()
    reader.close()


def test_the_full_size_extraction(tmp_path):
    """The extraction as big as the published one (536,000 rows), imported with its FTS index
    and searched; how fast is the benchmark's business (bench/mssante.py)."""
    source = write_txt(tmp_path / "Extraction_Correspondance_MSSante.txt", FULL_SIZE)
    report = import_extraction(source, tmp_path / "data")
    assert (report.rows, report.bad) == (FULL_SIZE, 0)
    db = sqlite3.connect(db_of(tmp_path / "data"))
    assert db.execute("SELECT count(*) FROM entries").fetchone() == (FULL_SIZE,)
    # Every row is in the FTS index: an indexed label is found as often as it is stored.
    stored = db.execute("SELECT count(*) FROM entries WHERE profession = 'Orthoptiste'")
    indexed = db.execute(
        "SELECT count(*) FROM entries_fts WHERE entries_fts MATCH 'profession: orthoptiste'"
    )
    assert indexed.fetchone() == stored.fetchone() != (0,)
    db.close()
    found = search(db_of(tmp_path / "data"), q="mar par")
    assert len(found) == 20
    for entry in found:
        structure = entry["structure"] or {}
        text = " ".join(
            filter(
                None,
                (
                    *entry["names"].values(),
                    structure.get("name"),
                    structure.get("service"),
                    (entry["profession"] or {}).get("label"),
                    entry["city"],
                ),
            )
        )
        words = re.findall(r"[^\W_]+", fold(text))
        assert any(w.startswith("mar") for w in words) and any(w.startswith("par") for w in words)


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture
def command_line(tmp_path: Path):
    """``aiguillage`` with the directory commands of this plugin (through a test plugin that
    implements only ``register_commands`` with them), an empty config and a data dir of its
    own; returns a runner and the plugin's data dir."""
    folder = tmp_path / "plugin"
    folder.mkdir()
    (folder / "directory_test_plugin.py").write_text(
        textwrap.dedent(
            """
            from aiguillage.plugin import PluginInfo, hookimpl
            from aiguillage.plugins.mssante.directory_cli import register_commands  # noqa: F401

            @hookimpl
            def plugin_info():
                return PluginInfo("directorytest", "0", "the directory commands")
            """
        )
    )
    config = tmp_path / "aiguillage.toml"
    config.write_text("")
    data_dir = tmp_path / "data"
    env = {
        "AIGUILLAGE_PLUGINS": "",
        "AIGUILLAGE_EXTRA_PLUGINS": "directory_test_plugin",
        "AIGUILLAGE_CONFIG": str(config),
        "PYTHONPATH": str(folder),
    }

    def aiguillage(*args: str):
        return run_cli("directory", *args, "--data-dir", str(data_dir), env=env)

    return aiguillage, data_dir / "plugins" / "directorytest"


def test_import_and_search_commands(command_line, tmp_path):
    aiguillage, plugin_dir = command_line
    missing = aiguillage("search", "martin")
    assert missing.returncode == 1
    assert "has not been imported" in missing.stderr
    bad = {4: b"PER|broken\n", 7: line(["PER", "", *[""] * 29])}
    source = write_zip(tmp_path / "extraction.zip", 300, extra=bad)
    result = aiguillage("import", str(source))
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"imported 300 rows \(2 bad\) in \d+\.\d s\n", result.stdout)
    assert result.stderr.splitlines() == [
        "line 4: 2 columns, expected 31",
        "line 7: no mailbox address (Adresse BAL is empty)",
    ]
    assert (plugin_dir / directory.DB_NAME).is_file()
    first = next(rows(1))
    found = aiguillage("search", f"{first[9]} {first[10]}", "--rpps", first[3])
    assert found.returncode == 0, found.stderr
    assert found.stdout.split("\n")[0].split("\t")[:4] == [
        first[1],
        "PER",
        f"{first[9]} {first[10]}",
        first[14],
    ]
    refused = aiguillage("import", str(tmp_path / "extraction.zip") + "-nope")
    assert refused.returncode == 2 and "does not exist" in refused.stderr
    (tmp_path / "notes.txt").write_text("hello\n")
    refused = aiguillage("import", str(tmp_path / "notes.txt"))
    assert refused.returncode == 1
    assert refused.stderr.startswith("Error: line 1: not an MSSanté directory extraction")
    assert aiguillage("search", f"{first[9]}", "--rpps", first[3]).stdout == found.stdout
