"""Reading what a scanner sends for a GS1 DataMatrix (a medicine or vaccine box): the
application identifiers (AIs) and their values, by biip, checked, and the French CIP-13 found in
the GTIN.

Scanners send the symbol's data three ways: the raw data, with the GS character (0x1D) where
the symbol has an FNC1 separator; the same preceded by the AIM symbology identifier (``]d2``
for a GS1 DataMatrix); or, typed from the box's printed text, the AIs in parentheses
(``(01)03400930000052(17)270300…``)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from biip import ParseError
from biip.gs1_application_identifiers import GS1ApplicationIdentifier
from biip.gs1_element_strings import GS1ElementString
from biip.symbology import SymbologyIdentifier

GS = "\x1d"
#: French medicines (CIP-13, ``3400 9…``): the GS1 France prefix 340 and the range ANSM assigns.
CIP13_PREFIX = "34009"
#: The largest GS1 DataMatrix (144×144) holds 3116 digits.
MAX_DATA = 3116
#: AIs whose value holds a check digit biip verifies (GTIN, SSCC, GLN…).
_CHECKED = ("gtin_error", "sscc_error", "gln_error")
_HRI = re.compile(r"(?:\((\d{2,4})\)([^()]*))+")
_HRI_PAIR = re.compile(r"\((\d{2,4})\)([^()]*)")


class Gs1Error(ValueError):
    """What is wrong with the scanned data, in words an admin or a developer can act on."""


@dataclass(frozen=True)
class Element:
    ai: str
    title: str
    description: str
    value: str
    date: dt.date | None


@dataclass(frozen=True)
class Scan:
    elements: tuple[Element, ...]
    #: The symbology the data said it came from (``GS1 DataMatrix``), when it had the prefix.
    symbology: str | None

    def value(self, ai: str) -> str | None:
        return next((e.value for e in self.elements if e.ai == ai), None)

    def date(self, ai: str) -> dt.date | None:
        return next((e.date for e in self.elements if e.ai == ai), None)

    @property
    def cip13(self) -> str | None:
        """The CIP-13 of a French medicine: the GTIN-14 is a ``0`` and the CIP-13 (itself a
        GTIN-13, same check digit). ``None`` for any other GTIN."""
        gtin = self.value("01")
        if gtin and gtin.startswith("0" + CIP13_PREFIX):
            return gtin[1:]
        return None

    @property
    def hri(self) -> str:
        """The data as printed under a barcode: ``(01)…(17)…``."""
        return "".join(f"({e.ai}){e.value}" for e in self.elements)


def parse(data: str) -> Scan:
    """The elements of ``data``; :class:`Gs1Error` saying what is wrong when it is not a valid
    GS1 element string (empty, an unknown AI, a truncated or malformed field, a wrong check
    digit, an impossible date, an AI given twice with different values)."""
    text = data.strip()  # also the GS (FNC1) some scanners send first or last
    symbology = None
    if text.startswith("]"):
        text, symbology = _without_symbology(text)
    if not text:
        raise Gs1Error("empty: no GS1 element string")
    if text.startswith("("):
        pairs = _hri_pairs(text)
        elements = [_element(ai + value, f"({ai})", expected=ai) for ai, value in pairs]
    else:
        elements = _raw_elements(text)
    return Scan(_checked(elements), symbology)


def _without_symbology(text: str) -> tuple[str, str]:
    try:
        identifier = SymbologyIdentifier.extract(text)
    except (ParseError, IndexError):  # biip indexes past the end of a bare "]"
        raise Gs1Error(f"{text[:3]!r} is not a symbology identifier (e.g. ]d2)") from None
    if identifier.gs1_symbology is None:
        raise Gs1Error(
            f"symbology identifier {identifier.value} announces data that is not GS1; "
            "a GS1 DataMatrix is ]d2"
        )
    return text[len(identifier) :].lstrip(GS), identifier.value


def _hri_pairs(text: str) -> list[tuple[str, str]]:
    # GS1 values never hold spaces (character set 82); people typing the printed text do.
    compact = "".join(text.split())
    if not _HRI.fullmatch(compact):
        raise Gs1Error(
            "parenthesised data must be (AI)value pairs from the start to the end, "
            "e.g. (01)03400930000052(17)270300(10)A1B2"
        )
    return _HRI_PAIR.findall(compact)


def _raw_elements(text: str) -> list[GS1ElementString]:
    """biip reads one element at a time, so that an error says where it is."""
    elements = []
    position = 0
    while position < len(text):
        rest = text[position:]
        # A field that ran on (too long, or its GS missing) shows as an unknown AI after it.
        last = elements[-1].ai if elements else None
        unended = last if last and last.separator_required and text[position - 1] != GS else None
        element = _element(rest, f"at character {position + 1}", previous=unended)
        elements.append(element)
        position += len(element)
        while text.startswith(GS, position):  # FNC1 may follow any field (GS1 GenSpecs 7.8.6)
            position += 1
    return elements


def _element(
    text: str,
    where: str,
    expected: str | None = None,
    previous: GS1ApplicationIdentifier | None = None,
) -> GS1ElementString:
    """The element ``text`` starts with (``expected``: the AI it must have, and nothing
    after its value; ``previous``: the AI of the field just before, not ended by a GS)."""
    try:
        ai = GS1ApplicationIdentifier.extract(expected or text)
    except ParseError:
        ai = None
    if ai is None or (expected is not None and ai.ai != expected):
        if expected is not None:
            raise Gs1Error(f"({expected}) is not a known GS1 application identifier")
        raise Gs1Error(
            f"{where}: {text[:4]!r}… starts with no known GS1 application identifier"
            + (
                f"; the field before it, ({previous.ai}) {previous.data_title} "
                f"({_format(previous)}), may be longer than its format allows or lack its GS "
                "separator"
                if previous is not None
                else ""
            )
        )
    field = text[len(ai.ai) :].split(GS, 1)[0]
    try:
        if expected is not None:
            return GS1ElementString.parse(text)
        return GS1ElementString.extract(text)
    except ParseError:
        raise Gs1Error(f"{where}: ({ai.ai}) {ai.data_title}: {_malformed(ai, field)}") from None


def _malformed(ai: GS1ApplicationIdentifier, field: str) -> str:
    fixed = re.fullmatch(r"N2\+N(\d+)", ai.format)
    if fixed and field.isdigit() and len(field) < int(fixed.group(1)):
        return f"truncated: {len(field)} of its {fixed.group(1)} digits"
    if ai.ai in ("11", "12", "13", "15", "16", "17") and re.fullmatch(r"\d{6}", field):
        return f"{field} is not a date (YYMMDD; day 00 means the end of the month)"
    return f"{field!r} does not have its format ({_format(ai)})"


def _format(ai: GS1ApplicationIdentifier) -> str:
    """The value's part of the AI's format: ``N2+X..20`` → ``X..20``."""
    return ai.format.split("+", 1)[-1]


def _checked(elements: list[GS1ElementString]) -> tuple[Element, ...]:
    seen: dict[str, str] = {}
    kept = []
    for e in elements:
        for attribute in _CHECKED:
            error = getattr(e, attribute)
            if error:
                raise Gs1Error(f"({e.ai.ai}) {e.ai.data_title}: {_check_digit(error)}")
        if e.ai.ai in seen:
            if seen[e.ai.ai] != e.value:
                raise Gs1Error(
                    f"({e.ai.ai}) {e.ai.data_title} given twice, {seen[e.ai.ai]!r} and {e.value!r}"
                )
            continue
        seen[e.ai.ai] = e.value
        kept.append(Element(e.ai.ai, e.ai.data_title, e.ai.description, e.value, e.date))
    return tuple(kept)


def _check_digit(error: str) -> str:
    found = re.search(r"check digit for '(\d+)': Expected (\d), got (\d)", error)
    if found:
        number, expected, got = found.groups()
        return f"wrong check digit in {number}: {got}, where {expected} is expected"
    return error
