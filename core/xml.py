"""Hardened XML parsing: no DTDs, no entities, no network, bounded size. Every XML document the
daemon reads from outside goes through here. And the check that request text can be written
into XML at all."""

from __future__ import annotations

import re
from collections.abc import Container
from typing import Any

from lxml import etree

MAX_XML_BYTES = 10 * 1024 * 1024

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


class XmlError(ValueError):
    """The document is not acceptable XML."""


def parse(data: bytes, limit: int = MAX_XML_BYTES) -> etree._Element:
    if len(data) > limit:
        raise XmlError(f"document of {len(data)} bytes exceeds the {limit}-byte limit")
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise XmlError(f"not well-formed XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise XmlError("documents with a DOCTYPE are refused")
    return root


#: What XML 1.0 cannot carry, even escaped: control characters but tab, line feed and carriage
#: return; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def unwritable_text(value: Any, path: str = "", skip: Container[str] = ()) -> list[tuple[str, str]]:
    """``(JSON pointer, message)`` for each string in ``value`` (a parsed JSON body) holding a
    character XML cannot carry, so that a request is refused naming the field instead of
    failing when its document is built. ``skip``: pointers not to look into (base64 content,
    checked on its own)."""
    if path in skip:
        return []
    if isinstance(value, str):
        found = _NOT_XML_CHAR.search(value)
        if found is None:
            return []
        return [(path, f"contains U+{ord(found.group()):04X}, which XML cannot carry")]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return []
    return [error for key, item in items for error in unwritable_text(item, f"{path}/{key}", skip)]
