"""The birth-place table itself: name folding, the place a NIR carries, periods of a code."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from aiguillage.places import (
    IMPORTED,
    birth_place_problem,
    birth_places,
    fold_place,
    nir_place,
)

D = dt.date


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("St-Étienne-d’Orthe", "SAINT ETIENNE D ORTHE"),
        ("Ste  Foy-lès-Lyon", "SAINTE FOY LES LYON"),
        ("L'Haÿ-les-Roses", "L HAY LES ROSES"),
        ("Œuilly", "OEUILLY"),
        ("stenay", "STENAY"),
    ],
)
def test_fold_place(text, folded):
    assert fold_place(text) == folded


@pytest.mark.parametrize(
    ("nir", "code"),
    [
        ("277076322082910", "63220"),  # Puy-de-Dôme, commune 220
        ("160012B02077713", "2B020"),  # Haute-Corse
        ("152049912700103", "99127"),  # born abroad: 99 and the country
        ("285059710512345", "97105"),  # Guadeloupe: 971 and two digits
        ("2850597105123", None),  # no key
        ("385059710512345", "97105"),  # a provisional number (NIA-like first digit 3)
        ("485059710512345", None),
    ],
)
def test_the_place_a_nir_carries(nir, code):
    assert nir_place(nir) == code


def test_a_code_s_periods():
    table = birth_places()
    assert table.lookup("01138", D(2022, 12, 31)).name == "Culoz"
    assert table.lookup("01138", D(2023, 1, 1)).name == "Culoz-Béon"
    assert table.lookup("01138").name == "Culoz-Béon"
    assert table.lookup("01039", D(2023, 1, 1)) is None
    assert table.lookup("2b020", D(1990, 1, 1)).name == "Aregno"
    # Évry merged with Courcouronnes into Évry-Courcouronnes (2019), keeping its code 91228: a
    # birth before that is in Évry.
    assert table.lookup("91228", D(2010, 1, 1)).name == "Évry"
    assert table.lookup("91228", D(2020, 1, 1)).name == "Évry-Courcouronnes"


def test_why_a_code_is_refused_is_said_in_french():
    assert birth_place_problem("01039", D(2023, 5, 1)) == (
        "01039 (Béon) n'est pas un code valide au 2023-05-01 (valide jusqu'au 2023-01-01)"
    )
    assert "n'est pas un code de lieu de naissance" in birth_place_problem("12999", D(2000, 1, 1))
    assert birth_place_problem("99999", D(1900, 1, 1)) is None


def test_the_table_is_read_once_and_again_when_replaced(tmp_path):
    plugin_dir = tmp_path / "plugins" / "insee"
    plugin_dir.mkdir(parents=True)
    bundled = birth_places(plugin_dir)
    assert birth_places(plugin_dir) is bundled
    imported = tmp_path / IMPORTED
    imported.parent.mkdir()
    imported.write_bytes(bundled_bytes())
    again = birth_places(plugin_dir)
    assert again is not bundled and len(again) == len(bundled)
    assert birth_places(plugin_dir) is again
    os.utime(imported, ns=(1, 1))
    assert birth_places(plugin_dir) is not again


def bundled_bytes() -> bytes:
    from aiguillage.places import BUNDLED

    return BUNDLED.read_bytes()
