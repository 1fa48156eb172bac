"""The DMP's bundled value sets and type → class map: complete, consistent, and a command that
tells when a newer one was published."""

from __future__ import annotations

import json
import shutil

from aiguillage.ihe.valuesets import FILES, TERMINOLOGY, class_of, value_set
from aiguillage.plugins.dmp import terminology_update

J66 = TERMINOLOGY / "ValueSet-JDV-J66-TypeCode-DMP.json"


def test_every_bundled_set_reads_with_the_oids_of_its_systems():
    for name in FILES:
        codes = value_set(name)
        assert codes and all(c.system and c.display for c in codes.values()), name


def test_every_dmp_type_has_a_class_of_the_dmp():
    classes = value_set("dmp_class")
    for type_code in value_set("dmp_type"):
        assert class_of(type_code).code in classes


def test_a_newer_published_set_is_reported(tmp_path, capsys):
    document = json.loads(J66.read_bytes())
    document["version"], document["date"] = "1.2.0", "2025-06-01T12:00:00+02:00"
    loinc = document["compose"]["include"][1]
    loinc["concept"].append({"code": "99999-0", "display": "Un type nouveau"})
    removed = loinc["concept"].pop(0)["code"]
    newer = tmp_path / "J66.json"
    newer.write_text(json.dumps(document), encoding="utf-8")
    assert terminology_update.main([str(newer)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("older    JDV_J66_TypeCode_DMP: bundled 1.1.0 of 2024-02-23, ")
    assert "given 1.2.0 of 2025-06-01; 1 added: 99999-0; 1 removed: " + removed in out


def test_the_published_set_itself_is_current(tmp_path, capsys):
    same = tmp_path / "J66.json"
    shutil.copy(J66, same)
    assert terminology_update.main([str(same)]) == 0
    assert capsys.readouterr().out.startswith("current  JDV_J66_TypeCode_DMP")


def test_a_same_dated_set_that_differs_is_reported(tmp_path, capsys):
    document = json.loads(J66.read_bytes())
    document["compose"]["include"][0]["concept"][0]["display"] = "Autre libellé"
    changed = tmp_path / "J66.json"
    changed.write_text(json.dumps(document), encoding="utf-8")
    assert terminology_update.main([str(changed)]) == 1
    assert capsys.readouterr().out.startswith("differs  JDV_J66_TypeCode_DMP")


def test_files_it_cannot_compare(tmp_path, capsys):
    other = json.loads(J66.read_bytes())
    other["url"] = "https://example.org/ValueSet/other"
    (tmp_path / "other.json").write_text(json.dumps(other))
    (tmp_path / "broken.json").write_text("{")
    files = [str(tmp_path / "other.json"), str(tmp_path / "broken.json")]
    assert terminology_update.main(files) == 2
    out = capsys.readouterr().out
    assert "unknown" in out and "no bundled resource has the url" in out
    assert "error" in out and "not JSON" in out


def test_lists_what_is_bundled(capsys):
    assert terminology_update.main([]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "ASS_X16_CorrespondanceType_Classe_DMP 20240223120000 of 2024-02-23",
        "JDV_J57_ClassCode_DMP 1.1.0 of 2023-09-22",
        "JDV_J59_ContentTypeCode_DMP 1.1.0 of 2024-02-23",
        "JDV_J60_FormatCode_DMP 1.1.0 of 2024-02-23",
        "JDV_J66_TypeCode_DMP 1.1.0 of 2024-02-23",
    ]


def test_the_oids_of_the_systems_agree_with_other_publications():
    """systems.toml is written by hand: its OIDs are checked against the CI-SIS SVS files
    (which give each concept's codeSystem) and the DMP kit's example submission."""
    cisis_types = value_set("type")
    for code, concept in value_set("dmp_type").items():
        if code in cisis_types:
            assert concept.system == cisis_types[code].system, code
    facilities = value_set("facility_type")
    sectors = [c for c in value_set("dmp_content_type").values() if c.code in facilities]
    assert len(sectors) > 40 and all(c.system == facilities[c.code].system for c in sectors)
    # As TD2.1 (ITI-41) of the DMP kit writes them.
    assert value_set("dmp_class")["10"].system == "1.2.250.1.213.1.1.4.1"
    assert (
        value_set("dmp_format")["urn:ihe:iti:xds-sd:pdf:2008"].system == "1.3.6.1.4.1.19376.1.2.3"
    )
    assert value_set("dmp_content_type")["04"].system == "1.2.250.1.213.2.2"
    assert value_set("dmp_type")["E1762"].system == "ASTM"
    assert value_set("dmp_class")["urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1"].system == "URN"


def test_fhir_dates_of_every_precision(tmp_path, capsys):
    document = json.loads(J66.read_bytes())
    for date, verdict in (
        ("2025-06-01", "older"),  # a day after the bundled one
        ("2025-06", "older"),
        ("2024-02-23", "current"),  # the same day, the same content
        ("2023", "newer"),
    ):
        document["date"] = date
        given = tmp_path / "J66.json"
        given.write_text(json.dumps(document), encoding="utf-8")
        terminology_update.main([str(given)])
        assert capsys.readouterr().out.startswith(f"{verdict:8} JDV_J66"), date
    document["date"] = "June 2025"
    given.write_text(json.dumps(document), encoding="utf-8")
    assert terminology_update.main([str(given)]) == 2
    assert "is not a FHIR date" in capsys.readouterr().out
