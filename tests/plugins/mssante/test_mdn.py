"""Return receipts (RFC 8098 MDNs) as the ANS guide for CDA documents by MSSanté mail describes
them: ``processed`` or ``processed/Error: code^label``, the original returned, read back by the
sender's side whatever produced them."""

from __future__ import annotations

import email
from email import policy

import pytest

from aiguillage.plugins.mssante.mdn import (
    MdnError,
    build_mdn,
    disposition_field,
    parse_disposition,
    parse_mdn,
)

from .samples import DATE, RECIPIENT, SENDER

ORIGINAL_ID = "<20240220103015.1a2b3c@cabinet.test>"
SUBJECT = "XDM/1.0/DDM+Compte rendu NESSI RUTH 14/07/1977"
ORIGINAL = (
    f"From: {SENDER}\r\nTo: {RECIPIENT}\r\nMessage-ID: {ORIGINAL_ID}\r\nSubject: {SUBJECT}\r\n"
    "Disposition-Notification-To: cabinet.test@medecin.mssante.fr\r\n\r\nBonjour\r\n"
).encode()


def receipt(error=None, **changes) -> bytes:
    arguments = {
        "original_message_id": ORIGINAL_ID,
        "original_recipient": RECIPIENT,
        "receipt_to": SENDER,
        "reporter": RECIPIENT,
        "error": error,
        "date": DATE,
        "subject": SUBJECT,
        "original": ORIGINAL,
    }
    arguments.update(changes)
    return build_mdn(**arguments)


def test_a_processed_receipt_is_a_multipart_report_read_back_as_processed():
    raw = receipt()
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message.get_content_type() == "multipart/report"
    assert message.get_param("report-type") == "disposition-notification"
    kinds = [p.get_content_type() for p in message.iter_parts()]
    assert kinds == ["text/plain", "message/disposition-notification", "message/rfc822"]
    assert message["Subject"] == SUBJECT
    assert message["From"] == RECIPIENT and message["To"] == SENDER
    assert b"Disposition: automatic-action/MDN-sent-automatically; processed\r\n" in raw
    mdn = parse_mdn(raw)
    assert mdn.original_message_id == ORIGINAL_ID
    assert mdn.disposition == "processed"
    assert (mdn.error, mdn.error_code, mdn.error_label) == (False, None, None)
    assert mdn.final_recipient == RECIPIENT and mdn.original_recipient == RECIPIENT
    assert mdn.mode == "automatic-action/MDN-sent-automatically"


def test_an_error_receipt_carries_code_and_label_and_the_ko_subject():
    raw = receipt(("902", "Identifiant de patient inconnu"))
    assert (
        b"Disposition: automatic-action/MDN-sent-automatically; "
        b"processed/Error: 902^Identifiant de patient inconnu\r\n"
    ) in raw
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["Subject"] == f"[KO Intégration système !][902] {SUBJECT}"
    human = next(message.iter_parts()).get_content()
    assert "Identifiant de patient inconnu" in human and "902" in human
    mdn = parse_mdn(message)
    assert (mdn.disposition, mdn.error, mdn.error_code, mdn.error_label) == (
        "processed",
        True,
        "902",
        "Identifiant de patient inconnu",
    )


def test_the_original_message_is_returned_byte_for_byte():
    message = email.message_from_bytes(receipt(), policy=policy.default)
    returned = list(message.iter_parts())[2]
    assert returned.get_payload(0)["Message-ID"] == ORIGINAL_ID
    assert ORIGINAL in receipt()


def test_a_label_with_accents_travels_as_utf8_and_comes_back():
    raw = receipt(("903", "Données du patient incohérentes"))
    assert b"message/global-disposition-notification" in raw
    assert "Données du patient incohérentes".encode() in raw
    mdn = parse_mdn(raw)
    assert (mdn.error_code, mdn.error_label) == ("903", "Données du patient incohérentes")


def test_the_same_receipt_is_the_same_bytes():
    assert receipt(("902", "x")) == receipt(("902", "x"))
    assert receipt() != receipt(("902", "x"))
    message = email.message_from_bytes(receipt(), policy=policy.default)
    assert message["Message-ID"].endswith("@hopital-a.mssante.fr>")
    given = receipt(message_id="<mdn.1@hopital-a.mssante.fr>")
    assert b"Message-ID: <mdn.1@hopital-a.mssante.fr>" in given


def test_a_receipt_sent_by_a_user_says_so():
    raw = receipt(manual=True)
    assert b"Disposition: manual-action/MDN-sent-manually; processed" in raw
    assert b"Auto-Submitted" not in raw
    assert b"Auto-Submitted: auto-replied" in receipt()


def test_original_recipient_is_left_out_when_the_original_had_none():
    raw = receipt(original_recipient=None)
    assert b"Original-Recipient" not in raw
    assert parse_mdn(raw).original_recipient is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"error": ("902", "inconnu\r\nBcc: victim@example.org")}, "error label"),
        ({"error": ("9^02", "inconnu")}, "error code"),
        ({"error": ("", "inconnu")}, "error code"),
        ({"receipt_to": "a@b.fr\r\nBcc: c@d.fr"}, "receipt_to"),
        ({"reporter": "not an address"}, "reporter"),
        ({"original_message_id": "no-brackets@x"}, "original_message_id"),
        ({"date": DATE.replace(tzinfo=None)}, "date"),
        ({"subject": "x\r\nBcc: c@d.fr"}, "subject"),
    ],
)
def test_what_would_break_the_receipt_is_refused_naming_the_field(changes, field):
    with pytest.raises(MdnError, match=field):
        receipt(**changes)


# An MDN as the ANS guide's example writes it (its values, our own line breaks).
GUIDE_EXAMPLE = (
    b"Date: Tue, 20 Feb 2024 00:19:00 +0100 (CET)\r\n"
    b"From: serviceY_auto@chb.mssante.fr\r\n"
    b"Message-ID: <20240220001900.12345@chb.mssante.fr>\r\n"
    b"Subject: [KO Integration systeme !][902] XDM/1.0/DDM+ECHOGRAPHIE CORSE FIGATELLIX 12/10/1988"
    b"\r\nTo: serviceY@chb.mssante.fr\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/report; report-type=disposition-notification;\r\n boundary="RAA14128"'
    b"\r\n\r\n--RAA14128\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n"
    b"Le document n'a pas pu etre integre.\r\n"
    b"--RAA14128\r\nContent-Type: message/disposition-notification\r\n\r\n"
    b"Original-Recipient: rfc822;serviceY_auto@chb.mssante.fr\r\n"
    b"Final-Recipient: rfc822;serviceY_auto@chb.mssante.fr\r\n"
    b"Original-Message-ID: <20240219230100.23456@chb.mssante.fr>\r\n"
    b"Disposition:automatic-action/MDN-sent-automatically; processed/Error: 902^Identifiant de "
    b"patient inconnu^messageErrorCondition| E^Error^errorSeverity\r\n"
    b"\r\n--RAA14128--\r\n"
)


def test_the_guides_example_is_read():
    mdn = parse_mdn(GUIDE_EXAMPLE)
    assert mdn.original_message_id == "<20240219230100.23456@chb.mssante.fr>"
    assert (mdn.disposition, mdn.error_code, mdn.error_label) == (
        "processed",
        "902",
        "Identifiant de patient inconnu",
    )
    assert mdn.error_text.endswith("E^Error^errorSeverity")
    assert mdn.final_recipient == "serviceY_auto@chb.mssante.fr"


def test_without_original_message_id_the_returned_original_names_it():
    raw = receipt().replace(f"Original-Message-ID: {ORIGINAL_ID}\r\n".encode(), b"")
    raw = raw.replace(f"References: {ORIGINAL_ID}\r\n".encode(), b"")
    assert parse_mdn(raw).original_message_id == ORIGINAL_ID


def test_without_either_the_references_name_it():
    raw = receipt(original=None).replace(f"Original-Message-ID: {ORIGINAL_ID}\r\n".encode(), b"")
    assert parse_mdn(raw).original_message_id == ORIGINAL_ID


def test_a_message_that_is_no_mdn_is_refused():
    with pytest.raises(MdnError, match="not an MDN"):
        parse_mdn(ORIGINAL)
    without = receipt().replace(b"Disposition: automatic", b"X-Nothing: automatic")
    with pytest.raises(MdnError, match="Disposition"):
        parse_mdn(without)
    odd = receipt().replace(b"; processed\r\n", b"; archived\r\n")
    with pytest.raises(MdnError, match="disposition type"):
        parse_mdn(odd)


AUTO = "automatic-action/MDN-sent-automatically"
MANUAL = "manual-action/MDN-sent-manually"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (f"{MANUAL}; displayed", (MANUAL, "displayed", None)),
        (f"{AUTO}; processed/error", (AUTO, "processed", "")),
        (f"{AUTO};Processed/Error: 1^Refus", (AUTO, "processed", "1^Refus")),
        ("deleted", (None, "deleted", None)),
    ],
)
def test_dispositions_are_read_as_rfc_8098_writes_them(value, expected):
    assert parse_disposition(value) == expected


def test_the_disposition_field_is_the_guides():
    assert disposition_field(None) == "automatic-action/MDN-sent-automatically; processed"
    assert disposition_field(("902", "Inconnu"), manual=True) == (
        "manual-action/MDN-sent-manually; processed/Error: 902^Inconnu"
    )
