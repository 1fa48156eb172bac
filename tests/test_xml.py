"""The XML helpers every plugin shares: which request text XML can carry."""

from __future__ import annotations

import pytest

from aiguillage.xml import unwritable_text


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("Compte rendu\tde consultation\r\n", None),  # tab, CR and LF are XML characters
        ("Hélène Œdipe 😀 中文", None),
        ("a\x00b", "U+0000"),
        ("a\x1fb", "U+001F"),
        ("a\ud800b", "U+D800"),  # a lone surrogate, as JSON's \\ud800 gives
        ("a\ufffeb", "U+FFFE"),
    ],
)
def test_characters(text, bad):
    found = unwritable_text({"title": text})
    assert found == ([] if bad is None else [("/title", f"contains {bad}, which XML cannot carry")])


def test_nested_paths_and_skipped_fields():
    body = {
        "patient": {"first_names": ["ok", "no\x01"]},
        "document": {"pdf": "\x02", "vsm": {"problems": [{"label": "\x03"}]}},
        "count": 3,
    }
    assert [path for path, _ in unwritable_text(body, skip=("/document/pdf",))] == [
        "/patient/first_names/1",
        "/document/vsm/problems/0/label",
    ]
