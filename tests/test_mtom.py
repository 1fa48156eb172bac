"""MTOM/XOP messages: the official DMP example read back, round trips, malformed input."""

from __future__ import annotations

import pytest
from lxml import etree

from aiguillage import mtom
from aiguillage.xml import parse

from conftest import beside

XDS = "urn:ihe:iti:xds-b:2007"


def test_reads_the_official_provide_and_register_example():
    body = beside("specs/dmp/examples/TD2.1_-_Alimentation_requete.xml").read_bytes()
    boundary = body.split(b"\n", 1)[0].strip()[2:].decode()
    root, parts = mtom.parse(
        f'multipart/related; type="application/xop+xml"; '
        f'boundary="{boundary}"; start="<rootpart@soapui.org>"',
        body,
    )
    assert root.content_id == "rootpart@soapui.org"
    assert set(parts) == {"WS_DMP_TD2.1-DocumentME2.xml", "WS_DMP_TD2.1-SignatureXades.xml"}
    envelope = parse(root.data)
    documents = {d.get("id"): mtom.resolve(d, parts) for d in envelope.iter(f"{{{XDS}}}Document")}
    assert documents["documentME2"] == parts["WS_DMP_TD2.1-DocumentME2.xml"].data
    assert documents["documentME2"].lstrip().startswith(b"<ClinicalDocument")
    assert b"ClinicalDocument" in documents["documentME2"]


def test_round_trip_keeps_binary_content_exactly():
    tricky = b"%PDF-1.7\r\n--MIMEBoundary_fake\r\n\r\n\x00\xff\n--\r\n" * 100
    envelope = etree.Element("{http://www.w3.org/2003/05/soap-envelope}Envelope")
    document = etree.SubElement(envelope, f"{{{XDS}}}Document", id="doc")
    document.append(mtom.include("doc-1@aiguillage"))
    content_type, body = mtom.build(
        etree.tostring(envelope),
        [mtom.Part("doc-1@aiguillage", "application/pdf", tricky)],
        action="urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b",
    )
    assert (
        content_type.startswith("multipart/related;")
        and 'start-info="application/soap' in content_type
    )
    root, parts = mtom.parse(content_type, body)
    assert 'action="urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b"' in root.content_type
    element = parse(root.data).find(f"{{{XDS}}}Document")
    assert mtom.resolve(element, parts) == tricky


def test_inline_base64_and_percent_encoded_ids():
    element = etree.fromstring(b"<d>SGVs\nbG8=</d>")
    assert mtom.resolve(element, {}) == b"Hello"
    body = (
        b"--b\r\nContent-ID: <root>\r\n\r\n<r/>\r\n--b\r\nContent-ID: <a%3Ab@x>\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nSGVsbG8=\r\n--b--\r\n"
    )
    root, parts = mtom.parse('multipart/related; boundary="b"; start="<root>"', body)
    assert root.data == b"<r/>" and parts["a:b@x"].data == b"Hello"
    ref = etree.fromstring(f'<d><x:Include xmlns:x="{mtom.XOP_NS}" href="cid:a%3Ab@x"/></d>')
    assert mtom.resolve(ref, parts) == b"Hello"


@pytest.mark.parametrize(
    ("content_type", "body", "message"),
    [
        ("text/xml", b"<a/>", "expected multipart/related"),
        ("multipart/related", b"--b\r\n\r\nx\r\n--b--", "no boundary"),
        ('multipart/related; boundary="b"', b"nothing here", "no part"),
        (
            'multipart/related; boundary="b"',
            b"--b\r\nContent-ID: <r>\r\n\r\nx\r\n--b\r\n",
            "closing boundary",
        ),
        ('multipart/related; boundary="b"', b"--b\r\nno separator at all--b--", "separator"),
    ],
)
def test_malformed_messages(content_type, body, message):
    with pytest.raises(mtom.MtomError, match=message):
        mtom.parse(content_type, body)


def test_missing_part():
    ref = etree.fromstring(f'<d><x:Include xmlns:x="{mtom.XOP_NS}" href="cid:nope"/></d>')
    with pytest.raises(mtom.MtomError, match="missing part: nope"):
        mtom.resolve(ref, {})
