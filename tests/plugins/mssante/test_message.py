"""MSSanté messages: what the plugin sends (subject, X-MSS-* headers, IHE_XDM.ZIP and PDF
rendering, receipt request) and what it makes of a received message, round trip included; a
bad message never breaks the reader, it is kept and says what was wrong."""

from __future__ import annotations

import base64
import dataclasses
import email
import os
from email import policy

import pytest
from lxml import etree

from aiguillage.plugin import ihe
from aiguillage.plugins.mssante import message, xdm
from aiguillage.plugins.mssante.mdn import build_mdn
from aiguillage.plugins.mssante.message import (
    MessageError,
    OutgoingDocument,
    build_message,
    parse_message,
)

from .samples import (
    DATE,
    PAT_TROIS,
    PDF,
    PRACTITIONER,
    RECIPIENT,
    SENDER,
    example,
    members,
    outgoing,
    rezip,
)

HL7 = "urn:hl7-org:v3"


def parsed(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)


def biology_outgoing(**changes) -> message.Outgoing:
    documents = [
        OutgoingDocument("CR de biologie TSH", "11502-2", "text/xml", example("tsh")),
        OutgoingDocument("Electrophorèse", "11502-2", "text/xml", example("electrophorese")),
        OutgoingDocument("Courrier", "11488-4", "application/pdf", PDF),
    ]
    fields = {"patient": PAT_TROIS, "documents": documents, "subject_label": "Résultats"}
    return outgoing(**{**fields, **changes})


def test_a_message_round_trips_with_patient_documents_flags_and_headers():
    raw = build_message(biology_outgoing(body_html="<p>Bonjour</p>"), PRACTITIONER)
    received = parse_message(raw)
    assert received.message_id == "<20240220103015.1a2b3c@cabinet.test>"
    assert received.sender == SENDER and received.to == [RECIPIENT] and received.cc == []
    assert received.subject == "XDM/1.0/DDM+Resultats PAT-TROIS DOMINIQUE 28/03/1979"
    assert received.date == DATE
    assert received.receipt_to == SENDER
    assert received.cda_codes == ["11502-2", "11502-2", "11488-4"]
    headers = dict(received.headers)
    assert headers["X-MSS-CODECDA"] == "11502-2,11502-2,11488-4"
    assert headers["X-MSS-INS"] == "O"
    assert received.body_text == outgoing().body_text
    assert received.body_html == "<p>Bonjour</p>\n"
    assert received.package_error is None and received.report is None
    package = received.package
    assert package.patient["ins"] == {"matricule": "279035121518989", "oid": "1.2.250.1.213.1.4.10"}
    assert package.patient["traits"]["birth_name"] == "PAT-TROIS"
    assert package.patient["traits"]["first_names"] == ["DOMINIQUE", "MARIE-LOUISE"]
    assert package.patient["traits"]["birth_place"] == "51215"
    assert [d.title for d in package.documents] == [
        "CR de biologie TSH",
        "Electrophorèse",
        "Courrier",
    ]
    assert package.documents[0].content == example("tsh")
    flags = [(d.flags["contains_biology"], d.flags["abnormal"]) for d in package.documents]
    assert flags == [(True, True), (True, True), (False, False)]
    names = [a.filename for a in received.attachments]
    assert names == [
        "IHE_XDM.ZIP",
        # The CR-BIOs' own PDF copies (CI-SIS section FR-Document-PDF-copie), then the PDF.
        "20240220_CR_de_biologie_TSH_PAT_TROIS_DOMINIQUE.pdf",
        "20240220_Electrophorese_PAT_TROIS_DOMINIQUE.pdf",
        "20240220_Courrier_PAT_TROIS_DOMINIQUE.pdf",
    ]
    assert received.attachments[3].content == PDF
    assert all(a.content.startswith(b"%PDF-") for a in received.attachments[1:])


def test_a_critical_result_sent_is_critical_when_received():
    critical = example("tsh").replace(b'code="L"', b'code="LL"', 1)
    document = OutgoingDocument("CR de biologie", "11502-2", "text/xml", critical)
    received = parse_message(
        build_message(outgoing(patient=PAT_TROIS, documents=[document]), PRACTITIONER)
    )
    assert received.package.documents[0].flags["critical"] is True


def test_the_message_is_multipart_mixed_with_the_body_first():
    raw = build_message(outgoing(body_html="<p>Bonjour</p>"), PRACTITIONER)
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    message_ = parsed(raw)
    assert message_.get_content_type() == "multipart/mixed"
    kinds = [p.get_content_type() for p in message_.iter_parts()]
    assert kinds == ["multipart/alternative", "application/zip", "application/pdf"]
    alternative = next(message_.iter_parts())
    assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]
    assert message_["MIME-Version"] == "1.0"
    assert raw.isascii()  # 7-bit clean: quoted-printable text, base64 files


def test_the_same_message_is_the_same_bytes():
    first = build_message(biology_outgoing(), PRACTITIONER)
    assert build_message(biology_outgoing(), PRACTITIONER) == first
    other = build_message(biology_outgoing(message_id="<other@cabinet.test>"), PRACTITIONER)
    assert other != first
    boundaries = {p.get_boundary() for p in parsed(first).walk() if p.is_multipart()}
    assert not boundaries & {p.get_boundary() for p in parsed(other).walk() if p.is_multipart()}


def test_a_pdf_alone_travels_in_a_level_1_cda_and_as_a_rendering():
    received = parse_message(build_message(outgoing(), PRACTITIONER))
    [document] = received.package.documents
    cda = etree.fromstring(document.content)
    assert ihe.cda_schema().validate(cda), ihe.cda_schema().error_log
    body = cda.find(f"{{{HL7}}}component/{{{HL7}}}nonXMLBody/{{{HL7}}}text")
    assert body.get("mediaType") == "application/pdf"
    assert base64.b64decode(body.text) == PDF
    assert cda.find(f"{{{HL7}}}code").get("code") == "11488-4"
    assert document.format_code == "urn:ihe:iti:xds-sd:pdf:2008"
    assert received.cda_codes == ["11488-4"]
    assert received.subject == "XDM/1.0/DDM+Compte rendu de consultation NESSI RUTH 14/07/1977"
    assert [a.filename for a in received.attachments] == [
        "IHE_XDM.ZIP",
        "20240220_Compte_rendu_de_consultation_NESSI_RUTH.pdf",
    ]


def test_a_cda_given_with_its_rendering_travels_with_that_pdf():
    document = OutgoingDocument("CR", "11502-2", "text/xml", example("tsh"), rendering=PDF)
    received = parse_message(
        build_message(outgoing(patient=PAT_TROIS, documents=[document]), PRACTITIONER)
    )
    assert [a.content for a in received.attachments[1:]] == [PDF]
    wrong = OutgoingDocument("Lettre", "11488-4", "application/pdf", PDF, rendering=PDF)
    with pytest.raises(MessageError, match=r"documents\[0\].rendering"):
        build_message(outgoing(documents=[wrong]), PRACTITIONER)


def test_the_package_says_who_sent_it_to_whom():
    raw = build_message(outgoing(cc=["secretariat@hopital-a.mssante.fr"]), PRACTITIONER)
    files = members(parse_message(raw).attachments[0].content)
    assert SENDER.encode() in files["README.TXT"]
    metadata = files["IHE_XDM/SUBSET01/METADATA.XML"]
    assert RECIPIENT.encode() in metadata and b"secretariat@hopital-a.mssante.fr" in metadata


def test_a_message_without_documents_has_no_package_and_no_document_headers():
    raw = build_message(outgoing(documents=[], subject_label="Question"), PRACTITIONER)
    received = parse_message(raw)
    assert received.subject == "Question"
    assert received.attachments == [] and received.package is None
    names = {name for name, _ in received.headers}
    assert not names & {"X-MSS-CODECDA", "X-MSS-INS"}
    assert received.body_text.startswith("Bonjour,")


def test_receipt_is_asked_only_when_wanted():
    assert b"Disposition-Notification-To" not in build_message(
        outgoing(request_receipt=False), PRACTITIONER
    )


def test_software_reference_and_blocked_patient_reply():
    patient_box = f"{PAT_TROIS.ins}@patient.mssante.fr"
    raw = build_message(
        outgoing(to=[patient_box], block_patient_reply=True, software_reference="DEV935997"),
        PRACTITIONER,
    )
    headers = parsed(raw)
    assert headers["X-MSS-NIL"] == "DEV935997"
    assert headers["X-MSS-MES"] == "FIN"
    to_a_professional = parsed(build_message(outgoing(block_patient_reply=True), PRACTITIONER))
    assert to_a_professional["X-MSS-MES"] is None and to_a_professional["X-MSS-NIL"] is None


def test_an_identity_without_ins_traits_is_announced_unqualified():
    patient = dataclasses.replace(PAT_TROIS, ins_oid="1.2.3.4")
    assert message.ins_qualified(patient) is False
    assert message.ins_qualified(PAT_TROIS) is True


def test_a_cda_about_another_patient_is_refused():
    document = OutgoingDocument("CR de biologie", "11502-2", "text/xml", example("tsh"))
    with pytest.raises(MessageError, match=r"documents\[0\].content: recordTarget"):
        build_message(outgoing(documents=[document]), PRACTITIONER)  # RUTH, not PAT-TROIS


def test_a_cda_whose_code_is_not_its_type_is_refused():
    document = OutgoingDocument("CR", "11488-4", "text/xml", example("tsh"))
    with pytest.raises(MessageError, match=r"documents\[0\].type_code: 11488-4 is not"):
        build_message(outgoing(patient=PAT_TROIS, documents=[document]), PRACTITIONER)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"subject_label": "Résultats\r\nBcc: victim@example.org"}, "subject_label"),
        ({"to": ["dr.martin@hopital-a.mssante.fr\r\nBcc: victim@example.org"]}, r"to\[0\]"),
        ({"to": []}, "to"),
        ({"cc": ["nobody"]}, r"cc\[0\]"),
        ({"sender": "cabinet"}, "sender"),
        ({"message_id": "no-brackets@cabinet.test"}, "message_id"),
        ({"date": DATE.replace(tzinfo=None)}, "date"),
        (
            {"documents": [OutgoingDocument("Lettre", "11488-4", "application/pdf", b"<html>")]},
            r"documents\[0\].content: not a PDF",
        ),
        (
            {"documents": [OutgoingDocument("Image", "11488-4", "image/png", b"\x89PNG")]},
            r"documents\[0\].media_type",
        ),
        (
            {"documents": [OutgoingDocument("CDA", "11488-4", "text/xml", b"<not-closed>")]},
            r"documents\[0\].content",
        ),
        (
            {"documents": [OutgoingDocument("Lettre", "XXXX-0", "application/pdf", PDF)]},
            r"documents\[0\]",
        ),
    ],
)
def test_bad_fields_are_refused_by_name(changes, field):
    with pytest.raises(MessageError, match=field):
        build_message(outgoing(**changes), PRACTITIONER)


def test_a_refused_package_leaves_the_message_kept_and_says_why():
    raw = build_message(outgoing(), PRACTITIONER)
    message_ = parsed(raw)
    archive = next(p for p in message_.iter_parts() if p.get_filename() == "IHE_XDM.ZIP")
    files = members(archive.get_content())
    files["IHE_XDM/SUBSET01/../../evil.sh"] = b"rm -rf /"
    archive.set_content(rezip(files), maintype="application", subtype="zip", filename="IHE_XDM.ZIP")
    received = parse_message(message_.as_bytes())
    assert received.package is None
    assert received.package_error.startswith("unreadable package: ")
    assert "leaves its folder" in received.package_error
    assert received.body_text.startswith("Bonjour,")
    assert [a.filename for a in received.attachments][1].endswith(".pdf")


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe garbage \r\n\r\n\x00",
        os.urandom(4096),
        b"Content-Type: multipart/mixed\r\n\r\nno boundary at all",
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; '
        b"charset=klingon\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!\r\n--b",
        b"From: <<<@@@>>>\r\nTo: ,,,;;\r\nDate: yesterday\r\nSubject: =?x?q?broken?=\r\n\r\nhi",
        b"Content-Type: " + b"multipart/mixed; boundary=a\r\n\r\n--a\r\n" * 300,
    ],
)
def test_a_bad_message_never_breaks_the_reader(raw):
    received = parse_message(raw)
    assert isinstance(received, message.Received)
    assert received.package is None


def test_a_message_nested_beyond_reason_keeps_its_headers():
    nested = b"".join(
        b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (n, n)
        for n in range(3000)
    )
    raw = b"From: a@b.fr\r\nSubject: deep\r\nMessage-ID: <deep@b.fr>\r\n" + nested + b"\r\nhi"
    received = parse_message(raw)
    assert received.package_error == "unreadable message: 3000 multipart parts, more than 64"
    assert (received.sender, received.subject, received.message_id) == (
        "a@b.fr",
        "deep",
        "<deep@b.fr>",
    )


def test_an_unknown_charset_and_a_broken_date_are_tolerated():
    raw = (
        b"From: a@b.fr\r\nDate: not a date\r\nContent-Type: text/plain; charset=klingon\r\n\r\n"
        b"caf\xe9\r\n"
    )
    received = parse_message(raw)
    assert received.date is None and received.sender == "a@b.fr"
    assert received.body_text.startswith("caf")


def test_file_names_are_decoded_and_stripped_of_folders():
    raw = (
        b'From: a@b.fr\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; "
        b"filename*=UTF-8''r%C3%A9sultat.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode(PDF)
        + b"\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment;"
        b' filename="../../etc/passwd"\r\n\r\nroot\r\n--b--\r\n'
    )
    received = parse_message(raw)
    assert [a.filename for a in received.attachments] == ["résultat.pdf", "passwd"]
    assert received.attachments[0].content == PDF


def test_a_received_mdn_is_read_as_a_report():
    raw = build_mdn(
        "<20240220103015.1a2b3c@cabinet.test>",
        RECIPIENT,
        SENDER,
        RECIPIENT,
        ("902", "Identifiant de patient inconnu"),
        DATE,
        original=build_message(outgoing(), PRACTITIONER),
    )
    received = parse_message(raw)
    assert received.report.original_message_id == "<20240220103015.1a2b3c@cabinet.test>"
    assert (received.report.error_code, received.report.error_label) == (
        "902",
        "Identifiant de patient inconnu",
    )
    # The returned original is one attachment, not opened into this message's parts.
    assert [a.media_type for a in received.attachments] == ["message/rfc822"]
    assert received.package is None


def test_subject_and_file_names_are_ascii_and_dated_as_the_guide_does():
    assert message.xdm_subject("Lettre de liaison à la sortie", PAT_TROIS) == (
        "XDM/1.0/DDM+Lettre de liaison a la sortie PAT-TROIS DOMINIQUE 28/03/1979"
    )
    assert message.pdf_filename(DATE, "Compte rendu d'échographie", PAT_TROIS) == (
        "20240220_Compte_rendu_d_echographie_PAT_TROIS_DOMINIQUE.pdf"
    )


def test_package_reader_limits_apply_to_received_mail():
    big = outgoing()
    raw = build_message(big, PRACTITIONER)
    archive = next(a for a in parse_message(raw).attachments if a.filename == "IHE_XDM.ZIP")
    with pytest.raises(xdm.UnreadablePackage, match="more than 100 bytes"):
        xdm.read_xdm(archive.content, max_total=100)
