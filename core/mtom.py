"""MTOM/XOP messages (``multipart/related``), built and read: the SOAP envelope travels as the
root part and binary content (a CDA, a PDF) as parts that the envelope points at with
``xop:Include href="cid:..."``. zeep cannot send these, and IHE XDS.b ITI-41 and ITI-43 need
them."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from email.message import Message
from urllib.parse import unquote

from lxml import etree

from aiguillage.determinism import new_uuid

XOP_NS = "http://www.w3.org/2004/08/xop/include"
MAX_PARTS = 1000
_HEADER_LINE = re.compile(rb"^([!-9;-~]+):[ \t]*(.*)$")


class MtomError(ValueError):
    """Not a well-formed MTOM message."""


@dataclass(frozen=True)
class Part:
    content_id: str  # without the angle brackets
    content_type: str
    data: bytes


def build(
    root: bytes,
    parts: list[Part],
    *,
    soap_type: str = "application/soap+xml",
    action: str | None = None,
) -> tuple[str, bytes]:
    """The ``Content-Type`` header and the body of an MTOM message: ``root`` is the envelope
    (already holding its ``xop:Include`` elements), ``parts`` the content they point at."""
    boundary = f"MIMEBoundary_{new_uuid().hex}"
    root_id = f"root.{new_uuid().hex}@aiguillage"
    root_type = f'application/xop+xml; charset=UTF-8; type="{soap_type}"'
    if action:
        root_type += f'; action="{action}"'
    chunks = [_part_header(boundary, root_type, root_id, first=True), root]
    for part in parts:
        chunks += [_part_header(boundary, part.content_type, part.content_id), part.data]
    chunks.append(f"\r\n--{boundary}--\r\n".encode())
    header = (
        f'multipart/related; type="application/xop+xml"; boundary="{boundary}"; '
        f'start="<{root_id}>"; start-info="{soap_type}"'
    )
    if action:
        header += f'; action="{action}"'
    return header, b"".join(chunks)


def _part_header(boundary: str, content_type: str, content_id: str, first: bool = False) -> bytes:
    return (
        ("" if first else "\r\n") + f"--{boundary}\r\nContent-Type: {content_type}\r\n"
        f"Content-Transfer-Encoding: binary\r\nContent-ID: <{content_id}>\r\n\r\n"
    ).encode()


def parse(content_type: str, body: bytes) -> tuple[Part, dict[str, Part]]:
    """The root part and the other parts by Content-ID, from a ``multipart/related`` body."""
    header = Message()
    header["Content-Type"] = content_type
    if header.get_content_type() != "multipart/related":
        raise MtomError(f"expected multipart/related, got {header.get_content_type()}")
    boundary = header.get_param("boundary")
    if not boundary:
        raise MtomError("the Content-Type has no boundary")
    start = header.get_param("start")
    delimiter = b"--" + str(boundary).encode()
    sections = body.split(delimiter)
    if len(sections) < 3:
        raise MtomError("no part found between the boundaries")
    parts: list[Part] = []
    for section in sections[1:]:
        if section.startswith(b"--"):
            break  # the closing delimiter; what follows is the epilogue
        if not section.strip():
            raise MtomError("the closing boundary is missing")
        if len(parts) >= MAX_PARTS:
            raise MtomError(f"more than {MAX_PARTS} parts")
        parts.append(_part(section))
    else:
        raise MtomError("the closing boundary is missing")
    if not parts:
        raise MtomError("no part found between the boundaries")
    root_id = str(start).strip("<>") if start else parts[0].content_id
    by_id = {p.content_id: p for p in parts}
    root = by_id.get(root_id) or parts[0]
    return root, {cid: p for cid, p in by_id.items() if p is not root}


def _part(section: bytes) -> Part:
    # Each part is "\r\n" headers "\r\n\r\n" data "\r\n" (bare "\n" tolerated).
    section = section[2:] if section.startswith(b"\r\n") else section.removeprefix(b"\n")
    split = section.find(b"\r\n\r\n")
    sep = 4
    if split < 0 or (0 <= section.find(b"\n\n") < split):
        split, sep = section.find(b"\n\n"), 2
    if split < 0:
        raise MtomError("a part has no header/body separator")
    headers: dict[str, str] = {}
    for line in section[:split].splitlines():
        match = _HEADER_LINE.match(line.strip())
        if match:
            headers[match.group(1).decode().lower()] = match.group(2).decode("latin-1").strip()
    data = section[split + sep :]
    data = data[:-2] if data.endswith(b"\r\n") else data.removesuffix(b"\n")
    if headers.get("content-transfer-encoding", "").lower() == "base64":
        data = base64.b64decode(data)
    content_id = unquote(headers.get("content-id", "").strip().strip("<>"))
    return Part(content_id, headers.get("content-type", "application/octet-stream"), data)


def include(cid: str) -> etree._Element:
    """An ``xop:Include`` element pointing at the part ``cid``."""
    return etree.Element(f"{{{XOP_NS}}}Include", href=f"cid:{cid}")


def resolve(element: etree._Element, parts: dict[str, Part]) -> bytes:
    """The bytes an element carries: through its ``xop:Include``, or base64 inline."""
    ref = element.find(f"{{{XOP_NS}}}Include")
    if ref is None:
        return base64.b64decode("".join((element.text or "").split()))
    cid = unquote(ref.get("href", "").removeprefix("cid:"))
    if cid not in parts:
        raise MtomError(f"xop:Include points at a missing part: {cid}")
    return parts[cid].data
