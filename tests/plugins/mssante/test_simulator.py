"""The MSSanté simulator as any mail client meets it — Python's own ``smtplib`` and ``imaplib``,
nothing of the plugin: submission with STARTTLS, a client certificate and a password, what an
operator refuses, the mailbox over IMAP (search, fetch, flags, append, IDLE), UIDs that survive a
restart, the return receipts of the ANS guide, and injected faults."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import imaplib
import re
import smtplib
import socket
import ssl
import time
from collections.abc import AsyncIterator
from email import policy
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from aiguillage.plugins.mssante.simulator import (
    ADDRESSES,
    SIMULATOR_PASSWORD,
    MssanteSimulator,
    load_mailboxes,
)

from .simulator_fixture import (
    COLLEAGUE,
    FAILING_LAB,
    LAB,
    LIMIT,
    PATIENT,
    PRACTICE,
    Running,
    message,
    simulator_running,
)

run = asyncio.to_thread


@pytest.fixture
async def mss(tmp_path: Path, pki) -> AsyncIterator[Running]:
    async with simulator_running(tmp_path, pki) as running:
        yield running


def uid_search(client: imaplib.IMAP4, *criteria: str) -> list[int]:
    typ, data = client.uid("SEARCH", *criteria)
    assert typ == "OK", data
    return [int(n) for n in data[0].split()]


def uid_fetch(client: imaplib.IMAP4, uid: int, items: str) -> tuple[bytes, bytes | None]:
    """The response line of one message and its literal (if any)."""
    typ, data = client.uid("FETCH", str(uid), items)
    assert typ == "OK", data
    first = data[0]
    if isinstance(first, tuple):
        return first[0], first[1]
    return first, None


def flags_of(meta: bytes) -> set[str]:
    found = re.search(rb"FLAGS \(([^)]*)\)", meta)
    assert found, meta
    return set(found[1].decode().split())


def code_of(client: imaplib.IMAP4, name: str) -> int:
    _, data = client.response(name)
    assert data and data[0] is not None, name
    return int(data[0])


# --- submission and the mailbox ---------------------------------------------------------------


async def test_sent_message_lands_in_the_inbox_and_imap_serves_it(mss: Running):
    raw = message(PRACTICE, COLLEAGUE)
    refused = await run(mss.send, PRACTICE, [COLLEAGUE], raw)
    assert refused == {}
    [stored] = mss.simulator.messages(COLLEAGUE)
    assert stored.startswith(b"Return-Path: <cabinet.test@medecin.mssante.fr>\r\nReceived: ")
    assert stored.endswith(raw)  # the message itself is kept byte for byte
    assert mss.simulator.messages(PRACTICE) == []  # no copy anywhere else

    def read() -> None:
        client = mss.imap(COLLEAGUE)
        typ, data = client.select("INBOX")
        assert (typ, data) == ("OK", [b"1"])
        assert uid_search(client, "UNSEEN") == [1]
        meta, body = uid_fetch(client, 1, "(UID FLAGS RFC822.SIZE INTERNALDATE BODY.PEEK[])")
        assert body == stored
        assert b"RFC822.SIZE %d" % len(stored) in meta
        assert re.search(rb'INTERNALDATE "[ \d]\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d \+0000"', meta)
        assert "\\Seen" not in flags_of(meta)  # PEEK leaves it unread
        _, again = uid_fetch(client, 1, "(RFC822)")  # a plain fetch reads it
        assert again == stored
        assert uid_search(client, "SEEN") == [1] and uid_search(client, "UNSEEN") == []
        client.logout()

    await run(read)
    assert mss.state["imap_endpoint"] == f"imap://127.0.0.1:{mss.imap_port}"


async def test_several_recipients_each_get_a_copy(mss: Running):
    await run(mss.send, PRACTICE, [COLLEAGUE, PATIENT, COLLEAGUE], message(PRACTICE, COLLEAGUE))
    assert len(mss.simulator.messages(COLLEAGUE)) == 1  # named twice, delivered once
    assert b"for <277076322082910@patient.mssante.fr>" in mss.simulator.messages(PATIENT)[0]


async def test_no_client_certificate_is_refused(mss: Running):
    def smtp() -> None:
        with pytest.raises(smtplib.SMTPException) as refused:
            mss.smtp(context=mss.tls_without_certificate)
        assert getattr(refused.value, "smtp_code", 0) == 554

    def imap() -> None:
        with pytest.raises(imaplib.IMAP4.error, match=r"\[ALERT\].*certificate"):
            mss.imap(context=mss.tls_without_certificate)

    await run(smtp)
    await run(imap)


async def test_certificate_of_another_ca_fails_the_handshake(mss: Running, tmp_path: Path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "NOT IGC-SANTE")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    pem = tmp_path / "stranger.pem"
    pem.write_bytes(
        cert.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = mss.tls_without_certificate
    context.load_cert_chain(pem)

    def smtp() -> None:
        with pytest.raises((smtplib.SMTPServerDisconnected, ssl.SSLError, ConnectionError)):
            mss.smtp(context=context)

    def imap() -> None:
        with pytest.raises((imaplib.IMAP4.abort, ssl.SSLError, ConnectionError, EOFError)):
            mss.imap(context=context)

    await run(smtp)
    await run(imap)


async def test_wrong_password_is_refused(mss: Running):
    def smtp() -> None:
        with pytest.raises(smtplib.SMTPAuthenticationError) as refused:
            mss.smtp(password="not-the-password")
        assert refused.value.smtp_code == 535

    def imap() -> None:
        with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
            mss.imap(password="not-the-password")
        with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
            mss.imap(user="nobody@medecin.mssante.fr")

    await run(smtp)
    await run(imap)


async def test_nothing_before_starttls(mss: Running):
    def smtp() -> None:
        with smtplib.SMTP("127.0.0.1", mss.smtp_port, timeout=10) as client:
            client.ehlo()
            assert client.has_extn("starttls")
            code, text = client.mail(PRACTICE)
            assert code == 530 and b"STARTTLS" in text

    def imap() -> None:
        client = imaplib.IMAP4("127.0.0.1", mss.imap_port, timeout=10)
        assert "LOGINDISABLED" in client.capabilities and "STARTTLS" in client.capabilities
        with pytest.raises(imaplib.IMAP4.error, match="PRIVACYREQUIRED"):
            client.login(PRACTICE, SIMULATOR_PASSWORD)
        client.starttls(ssl_context=mss.tls)
        assert "LOGINDISABLED" not in client.capabilities and "AUTH=PLAIN" in client.capabilities
        client.authenticate("PLAIN", lambda _: f"\0{PRACTICE}\0{SIMULATOR_PASSWORD}".encode())
        assert "IDLE" in client.capabilities or client.capability()[0] == "OK"
        client.logout()

    await run(smtp)
    await run(imap)


async def test_unknown_recipient_gets_550(mss: Running):
    def send() -> None:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            mss.send(PRACTICE, ["nobody@medecin.mssante.fr"], message(PRACTICE, COLLEAGUE))
        code, text = refused.value.recipients["nobody@medecin.mssante.fr"]
        assert code == 550 and text.startswith(b"5.1.1")
        # one good recipient of two: the message goes to that one only
        refused_one = mss.send(
            PRACTICE, [COLLEAGUE, "nobody@medecin.mssante.fr"], message(PRACTICE, COLLEAGUE)
        )
        assert refused_one["nobody@medecin.mssante.fr"][0] == 550

    await run(send)
    assert len(mss.simulator.messages(COLLEAGUE)) == 1


async def test_sender_must_be_a_hosted_mailbox(mss: Running):
    def send() -> None:
        with pytest.raises(smtplib.SMTPSenderRefused) as refused:
            mss.send("someone@elsewhere.example", [COLLEAGUE], message(PRACTICE, COLLEAGUE))
        assert refused.value.smtp_code == 553

    await run(send)


async def test_oversized_message_gets_552(mss: Running):
    big = message(PRACTICE, COLLEAGUE, body=("y" * 70 + "\r\n") * 3000)
    assert len(big) > LIMIT

    def send() -> None:
        with mss.smtp() as client:
            assert client.esmtp_features["size"] == str(LIMIT)
            with pytest.raises(smtplib.SMTPSenderRefused) as declared:  # SIZE=… on MAIL
                client.sendmail(PRACTICE, [COLLEAGUE], big)
            assert declared.value.smtp_code == 552
            client.rset()
            # a client that does not declare the size is stopped at the end of DATA
            assert client.mail(PRACTICE)[0] == 250
            assert client.rcpt(COLLEAGUE)[0] == 250
            code, _ = client.data(big)
            assert code == 552

    await run(send)
    assert mss.simulator.messages(COLLEAGUE) == []


async def test_append_to_sent(mss: Running):
    raw = message(PRACTICE, COLLEAGUE)

    def append() -> None:
        client = mss.imap()
        typ, data = client.append("Sent", "(\\Seen)", imaplib.Time2Internaldate(time.time()), raw)
        assert typ == "OK"
        uidvalidity, uid = re.search(rb"APPENDUID (\d+) (\d+)", data[0]).groups()
        client.select("Sent")
        assert code_of(client, "UIDVALIDITY") == int(uidvalidity)
        meta, body = uid_fetch(client, int(uid), "(FLAGS BODY.PEEK[])")
        assert body == raw and flags_of(meta) == {"\\Seen"}
        # a folder that does not exist: the client is told to create it
        typ, data = client.append("Archives", None, None, raw)
        assert typ == "NO" and data[0].startswith(b"[TRYCREATE]")
        assert client.create("Archives")[0] == "OK"
        assert client.append("Archives", None, None, raw)[0] == "OK"
        typ, listed = client.list()
        assert b'(\\HasNoChildren \\Sent) "." "Sent"' in listed
        # a folder deleted and created again: its old UIDs must not be trusted any more
        client.select("Archives")
        old_validity = code_of(client, "UIDVALIDITY")
        assert client.delete("Archives")[0] == "OK"
        assert client.create("Archives")[0] == "OK"
        assert client.select("Archives") == ("OK", [b"0"])
        assert code_of(client, "UIDVALIDITY") > old_validity
        client.logout()

    await run(append)
    assert mss.simulator.messages(PRACTICE, "Sent") == [raw]
    assert mss.simulator.messages(PRACTICE) == []


async def test_append_over_the_limit_is_refused(mss: Running):
    def append() -> None:
        client = mss.imap()
        assert f"APPENDLIMIT={LIMIT}" in client.capabilities
        typ, data = client.append("Sent", None, None, b"x" * (LIMIT + 1))
        assert typ == "NO" and data[0].startswith(b"[TOOBIG]")
        assert client.noop()[0] == "OK"  # the session goes on
        client.logout()

    await run(append)


async def test_flags_uids_and_uidvalidity_survive_a_restart(mss: Running):
    for n in range(3):
        mss.simulator.deliver_incoming(PRACTICE, message(LAB, PRACTICE, message_id=f"<{n}@labo>"))

    def before() -> int:
        client = mss.imap()
        client.select("INBOX")
        uidvalidity = code_of(client, "UIDVALIDITY")
        assert uid_search(client, "ALL") == [1, 2, 3]
        typ, data = client.uid("STORE", "2", "+FLAGS", "(\\Seen)")
        assert typ == "OK" and b"UID 2" in data[0] and b"\\Seen" in data[0]
        client.uid("STORE", "3", "+FLAGS.SILENT", "(\\Deleted)")
        typ, data = client.expunge()
        assert data == [b"3"]  # sequence number 3 is gone
        client.logout()
        return uidvalidity

    assert mss.simulator.messages(PRACTICE)[0].startswith(b"Return-Path: <labo.test@labo")
    uidvalidity = await run(before)
    await mss.restart()
    mss.simulator.deliver_incoming(PRACTICE, message(LAB, PRACTICE, message_id="<3@labo>"))

    def after() -> None:
        client = mss.imap()
        client.select("INBOX")
        assert code_of(client, "UIDVALIDITY") == uidvalidity
        assert uid_search(client, "ALL") == [1, 2, 4]  # UID 3 is never given again
        assert uid_search(client, "SEEN") == [2]
        assert uid_search(client, "UNSEEN") == [1, 4]
        _, body = uid_fetch(client, 4, "(BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
        assert body == b"Message-ID: <3@labo>\r\n\r\n"
        client.logout()

    await run(after)


async def test_uid_range_to_star_always_takes_the_last_message(mss: Running):
    mss.simulator.deliver_incoming(PRACTICE, message(LAB, PRACTICE))

    def search() -> None:
        client = mss.imap()
        client.select("INBOX")
        # RFC 3501 §6.4.8: 99:* is 1:99 here — a poller must drop UIDs it already has
        assert uid_search(client, "UID", "99:*") == [1]
        assert uid_search(client, "UID", "1:*") == [1]
        client.logout()

    await run(search)


async def test_idle_hears_of_mail_sent_by_smtp(mss: Running):
    client = await run(mss.imap)
    await run(client.select, "INBOX")

    def idle() -> bytes:
        client.send(b"i1 IDLE\r\n")
        return client.readline()

    assert (await run(idle)).startswith(b"+ ")
    await run(mss.send, LAB, [PRACTICE], message(LAB, PRACTICE))

    def hear() -> list[bytes]:
        client.sock.settimeout(2.0)  # well before the server's own periodic look
        lines = [client.readline(), client.readline()]
        client.send(b"DONE\r\n")
        lines.append(client.readline())
        return lines

    exists, recent, done = await run(hear)
    assert exists == b"* 1 EXISTS\r\n" and recent == b"* 1 RECENT\r\n"
    assert done.startswith(b"i1 OK")
    await run(client.logout)


async def test_idle_hears_of_deliver_incoming_and_of_another_session(mss: Running):
    client = await run(mss.imap)
    await run(client.select, "INBOX")

    def idle() -> bytes:
        client.send(b"i1 IDLE\r\n")
        return client.readline()

    assert (await run(idle)).startswith(b"+ ")
    mss.simulator.deliver_incoming(PRACTICE, message(LAB, PRACTICE))

    def other() -> None:
        second = mss.imap()
        second.select("INBOX")
        second.uid("STORE", "1", "+FLAGS", "(\\Flagged)")
        second.logout()

    def hear() -> list[bytes]:
        client.sock.settimeout(2.0)
        lines = [client.readline(), client.readline()]
        other()
        lines.append(client.readline())
        client.send(b"DONE\r\n")
        lines.append(client.readline())
        return lines

    exists, _, flagged, done = await run(hear)
    assert exists == b"* 1 EXISTS\r\n"
    assert flagged.startswith(b"* 1 FETCH (UID 1 FLAGS (") and b"\\Flagged" in flagged
    assert done.startswith(b"i1 OK")
    await run(client.logout)


async def test_syntax_errors_are_bad_and_failures_no(mss: Running):
    def talk() -> None:
        client = mss.imap()

        def raw(line: bytes) -> bytes:
            client.send(line + b"\r\n")
            return client.readline()

        assert raw(b"t1 FROBNICATE").startswith(b"t1 BAD")
        assert raw(b"t2 FETCH 1 (FLAGS)").startswith(b"t2 BAD")  # no mailbox selected
        assert raw(b't3 SELECT "unbalanced').startswith(b"t3 BAD")
        assert raw(b"t4 SELECT Nowhere").startswith(b"t4 NO [NONEXISTENT]")
        client.select("INBOX")
        assert raw(b"t5 UID FETCH x:y (FLAGS)").startswith(b"t5 BAD")
        assert raw(b"t6 UID FETCH 1 (ENVELOPE)").startswith(b"t6 BAD")
        assert raw(b"t7 UID STORE 1 +FLAGS (\\Recent)").startswith(b"t7 BAD")
        assert raw(b"t8 UID SEARCH FROBS").startswith(b"t8 BAD")
        client.logout()

    await run(talk)


# --- return receipts (RFC 8098 as the ANS guide profiles them) ---------------------------------


def report_of(raw: bytes) -> tuple[email.message.EmailMessage, dict[str, str], bytes]:
    """The MDN, its disposition-notification fields (read from the bytes, unfolded) and the
    original message it carries."""
    mdn = email.message_from_bytes(raw, policy=policy.default)
    assert mdn.get_content_type() == "multipart/report"
    assert mdn.get_param("report-type") == "disposition-notification"
    text, notification, original = mdn.get_payload()
    assert text.get_content_type() == "text/plain"
    assert notification.get_content_type() == "message/disposition-notification"
    assert original.get_content_type() == "message/rfc822"
    boundary = mdn.get_boundary().encode()
    block = raw.split(b"Content-Type: message/disposition-notification\r\n\r\n", 1)[1]
    block = block.split(b"\r\n--" + boundary, 1)[0]
    unfolded = re.sub(rb"\r\n[ \t]+", b" ", block).decode()
    fields = dict(line.split(": ", 1) for line in unfolded.split("\r\n") if line)
    return mdn, fields, original.get_payload()[0].as_bytes()


async def test_a_mailbox_with_auto_receipt_sends_an_mdn(mss: Running):
    raw = message(PRACTICE, LAB, receipt_to=PRACTICE, message_id="<abc.1@medecin.mssante.fr>")
    await run(mss.send, PRACTICE, [LAB], raw)
    assert len(mss.simulator.messages(LAB)) == 1
    [delivered] = mss.simulator.messages(PRACTICE)
    assert delivered.startswith(b"Return-Path: <>\r\n")  # RFC 5321 §4.5.5: null reverse-path
    mdn, fields, original = report_of(delivered)
    assert fields["Disposition"] == "automatic-action/MDN-sent-automatically; processed"
    assert fields["Original-Message-ID"] == "<abc.1@medecin.mssante.fr>"
    assert fields["Final-Recipient"] == f"rfc822;{LAB}"
    assert mdn["From"].addresses[0].addr_spec == LAB and mdn["To"] == PRACTICE
    assert mdn["From"].addresses[0].display_name == "Laboratoire de biologie médicale Test"
    assert mdn["Subject"] == "XDM/1.0/DDM+Compte rendu NESSI RUTH 19770714"
    assert b"Message-ID: <abc.1@medecin.mssante.fr>" in original

    def over_imap() -> bytes:
        client = mss.imap()
        client.select("INBOX")
        [uid] = uid_search(client, "UNSEEN")
        _, body = uid_fetch(client, uid, "(BODY.PEEK[])")
        client.logout()
        return body

    assert await run(over_imap) == delivered


async def test_a_failing_integration_answers_processed_error(mss: Running):
    raw = message(PRACTICE, FAILING_LAB, receipt_to=PRACTICE)
    await run(mss.send, PRACTICE, [FAILING_LAB], raw)
    [delivered] = mss.simulator.messages(PRACTICE)
    mdn, fields, _ = report_of(delivered)
    assert fields["Disposition"] == (
        "automatic-action/MDN-sent-automatically; processed/Error: "
        "902^Identifiant de patient inconnu"
    )
    assert mdn["Subject"].startswith("[KO Intégration système !][902] XDM/1.0/DDM+")
    assert "902^Identifiant de patient inconnu" in mdn.get_payload()[0].get_content()


async def test_no_mdn_unless_asked_by_the_sender_of_a_mailbox_that_sends_them(mss: Running):
    await run(mss.send, PRACTICE, [LAB], message(PRACTICE, LAB))  # no receipt asked
    await run(mss.send, PRACTICE, [COLLEAGUE], message(PRACTICE, COLLEAGUE, receipt_to=PRACTICE))
    # asked for another address than the envelope sender (RFC 8098 §2.1): none either
    await run(mss.send, PRACTICE, [PATIENT], message(PRACTICE, PATIENT, receipt_to=COLLEAGUE))
    assert mss.simulator.messages(PRACTICE) == []
    [to_colleague] = mss.simulator.messages(COLLEAGUE)  # the message, and no MDN
    assert b"multipart/report" not in to_colleague
    # the patient's mailbox does answer when asked properly
    await run(mss.send, PRACTICE, [PATIENT], message(PRACTICE, PATIENT, receipt_to=PRACTICE))
    [delivered] = mss.simulator.messages(PRACTICE)
    assert report_of(delivered)[1]["Final-Recipient"] == f"rfc822;{PATIENT}"


# --- faults --------------------------------------------------------------------------------------


async def test_outage_answers_421_and_bye(mss: Running):
    mss.simulator.faults.outage = True

    def connect() -> None:
        with pytest.raises(smtplib.SMTPConnectError) as refused:
            smtplib.SMTP("127.0.0.1", mss.smtp_port, timeout=10)
        assert refused.value.smtp_code == 421
        with pytest.raises(imaplib.IMAP4.error, match="UNAVAILABLE"):
            imaplib.IMAP4("127.0.0.1", mss.imap_port, timeout=10)
        with socket.create_connection(("127.0.0.1", mss.imap_port), timeout=10) as line:
            greeting = line.makefile("rb").readline()
        assert greeting.startswith(b"* BYE [UNAVAILABLE]")  # RFC 5530, instead of "* OK"

    await run(connect)
    mss.simulator.faults.outage = False
    assert await run(mss.send, PRACTICE, [COLLEAGUE], message(PRACTICE, COLLEAGUE)) == {}


async def test_error_rate_answers_temporary_failures(mss: Running):
    def session() -> tuple[smtplib.SMTP, imaplib.IMAP4]:
        return mss.smtp(), mss.imap()

    smtp, imap = await run(session)  # logged in before the faults start
    mss.simulator.faults.error_rate = 1.0

    def fail() -> None:
        with pytest.raises(smtplib.SMTPDataError) as refused:
            smtp.sendmail(PRACTICE, [COLLEAGUE], message(PRACTICE, COLLEAGUE))
        assert refused.value.smtp_code == 451 and refused.value.smtp_error.startswith(b"4.3.0")
        smtp.quit()
        typ, data = imap.select("INBOX")
        assert typ == "NO" and data[0].startswith(b"[UNAVAILABLE]")
        imap.logout()

    await run(fail)
    assert mss.simulator.messages(COLLEAGUE) == []


# --- configuration and the admin helper ----------------------------------------------------------


def test_bad_addresses_file_names_the_field(tmp_path: Path):
    bad = tmp_path / "addresses.toml"
    bad.write_text('[[mailbox]]\naddress = "labo@labo.mssante.fr"\nreceipt_error = "902"\n')
    with pytest.raises(ValueError, match="mailbox 1: 'receipt_error' must be 'code\\^label'"):
        load_mailboxes(bad)
    bad.write_text('[[mailbox]]\naddress = "../../etc@x"\n')
    with pytest.raises(ValueError, match="mailbox 1: mailbox address"):
        load_mailboxes(bad)
    with pytest.raises(ValueError, match="extra address"):
        load_mailboxes(ADDRESSES, ["not an address"])


async def test_deliver_incoming_refuses_an_unknown_mailbox(mss: Running):
    with pytest.raises(ValueError, match="not a mailbox of the simulator"):
        mss.simulator.deliver_incoming("nobody@medecin.mssante.fr", b"Subject: x\r\n\r\nx\r\n")


async def test_the_configured_practice_address_is_hosted(tmp_path: Path, pki):
    state: dict = {}
    simulator = MssanteSimulator(
        server_p12=pki.p12("server"),
        password=pki.password,
        trust=pki.ca_bundle,
        maildirs=tmp_path / "mail",
        state=state,
        extra_addresses=("Cabinet.Autre@Medecin.MSSante.fr",),
    )
    await simulator.start()
    try:
        assert simulator.hosts("cabinet.autre@medecin.mssante.fr")
        simulator.deliver_incoming("cabinet.autre@medecin.mssante.fr", message(LAB, PRACTICE))
        assert len(simulator.messages("cabinet.autre@medecin.mssante.fr")) == 1
        assert state["imap_endpoint"].startswith("imap://127.0.0.1:")
    finally:
        await simulator.stop()
