"""SMTP submission against a small aiosmtpd peer started here: STARTTLS (or implicit TLS), a
client certificate required before MAIL, AUTH required; recipients it refuses by name."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import pytest
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from aiguillage.plugins.mssante.smtp import InsecureServer, SmtpRefused, parse_url, submit
from aiguillage.security.credentials import (
    client_context,
    load_credential,
    server_context,
)

LOGIN = "cabinet.test@medecin.mssante.fr"
PASSWORD = "smtp-test-secret"  # a throwaway test account
SENDER = LOGIN
COLLEAGUE = "dr.confrere@medecin.mssante.fr"
MESSAGE = (
    b"From: <cabinet.test@medecin.mssante.fr>\r\nTo: <dr.confrere@medecin.mssante.fr>\r\n"
    b"Subject: test\r\nMessage-ID: <1@test>\r\n\r\nLine one\r\n.starts with a dot\r\n"
)


@dataclass
class Peer:
    """What the test peer saw: delivered envelopes, AUTH logins, the client certificates."""

    port: int = 0
    delivered: list[Envelope] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)
    mail_from: list[str] = field(default_factory=list)
    peer_subjects: list[object] = field(default_factory=list)

    def url(self, scheme: str = "smtp") -> str:
        return f"{scheme}://127.0.0.1:{self.port}"


class Handler:
    """Recipients named ``perm…`` are unknown (550), ``temp…`` busy (450); ``full…`` makes the
    DATA answer a 452."""

    def __init__(self, peer: Peer) -> None:
        self.peer = peer

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address, options
    ):
        cert = server.transport.get_extra_info("peercert") if server.transport else None
        self.peer.peer_subjects.append(cert and cert.get("subject"))
        if not cert:
            return "530 5.7.0 a client certificate is required"
        self.peer.mail_from.append(address)
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope: Envelope, address: str, options):
        if address.startswith("perm"):
            return f"550 5.1.1 <{address}>: unknown recipient"
        if address.startswith("temp"):
            return "450 4.2.1 mailbox busy, try later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope: Envelope):
        if any(r.startswith("full") for r in envelope.rcpt_tos):
            return "452 4.3.1 insufficient system storage"
        self.peer.delivered.append(envelope)
        return f"250 2.0.0 Ok: queued as Q{len(self.peer.delivered)}"


def authenticator(peer: Peer) -> Callable[..., AuthResult]:
    def check(server, session, envelope, mechanism: str, data: LoginPassword) -> AuthResult:
        ok = data.login.decode() == LOGIN and data.password.decode() == PASSWORD
        if ok:
            peer.logins.append(data.login.decode())
        return AuthResult(success=ok, handled=False)

    return check


async def start_peer(
    pki, *, tls: str = "starttls", size_limit: int | None = None
) -> tuple[asyncio.Server, Peer]:
    """``tls``: ``starttls``, ``implicit`` or ``none`` (a server offering no TLS at all)."""
    context = server_context(load_credential(pki.p12("server"), pki.password), pki.ca_bundle)
    # The certificate is asked for but checked at MAIL: the server answers with an SMTP
    # refusal instead of dropping the handshake.
    context.verify_mode = ssl.CERT_OPTIONAL
    peer = Peer()
    loop = asyncio.get_running_loop()

    def protocol() -> SMTP:
        return SMTP(
            Handler(peer),
            hostname="localhost",
            tls_context=context if tls == "starttls" else None,
            require_starttls=tls == "starttls",
            auth_required=True,
            auth_require_tls=tls != "implicit",
            authenticator=authenticator(peer),
            data_size_limit=size_limit,
            loop=loop,
        )

    server = await loop.create_server(
        protocol, "127.0.0.1", 0, ssl=context if tls == "implicit" else None
    )
    peer.port = server.sockets[0].getsockname()[1]
    return server, peer


@pytest.fixture
async def peer(pki) -> AsyncIterator[Peer]:
    server, found = await start_peer(pki)
    yield found
    server.close()


@pytest.fixture
def context(pki) -> ssl.SSLContext:
    return client_context(load_credential(pki.p12("structure-auth"), pki.password), pki.ca_bundle)


def send(url: str, context: ssl.SSLContext, recipients=(COLLEAGUE,), **overrides):
    args = dict(
        sender=SENDER,
        recipients=list(recipients),
        message=MESSAGE,
        ssl_context=context,
        login=LOGIN,
        password=PASSWORD,
        timeout=5.0,
    )
    args.update(overrides)
    return submit(url, **args)


async def test_sends_over_starttls_with_the_client_certificate(peer: Peer, context) -> None:
    answer = await send(peer.url(), context, recipients=[COLLEAGUE, "second@patient.mssante.fr"])
    assert answer.startswith("250 2.0.0 Ok: queued as Q1")
    [envelope] = peer.delivered
    assert envelope.mail_from == SENDER
    assert envelope.rcpt_tos == [COLLEAGUE, "second@patient.mssante.fr"]
    assert envelope.original_content == MESSAGE  # dot-stuffing undone, bytes unchanged
    assert peer.logins == [LOGIN]
    subject = dict(pair for rdn in peer.peer_subjects[0] for pair in rdn)
    assert subject["commonName"] == "CABINET TEST AUTHENTIFICATION"


# aiosmtpd cannot tell that a connection it did not upgrade itself is in TLS.
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
async def test_sends_over_implicit_tls(pki, context) -> None:
    server, peer = await start_peer(pki, tls="implicit")
    try:
        answer = await send(peer.url("smtps"), context)
    finally:
        server.close()
    assert answer.startswith("250")
    assert len(peer.delivered) == 1
    assert peer.logins == [LOGIN]


async def test_refuses_to_send_in_clear(pki, context) -> None:
    server, peer = await start_peer(pki, tls="none")
    try:
        with pytest.raises(InsecureServer) as refused:
            await send(peer.url(), context)
    finally:
        server.close()
    assert refused.value.permanent
    assert "STARTTLS" in str(refused.value)
    # Neither the password nor the envelope went over the clear connection.
    assert peer.logins == [] and peer.mail_from == [] and peer.delivered == []


async def test_the_server_refuses_a_client_without_certificate(peer: Peer, pki) -> None:
    no_certificate = client_context(None, pki.ca_bundle)
    with pytest.raises(SmtpRefused) as refused:
        await send(peer.url(), no_certificate)
    assert refused.value.code == 530 and refused.value.permanent
    assert peer.delivered == []


async def test_an_untrusted_server_is_not_talked_to(peer: Peer, pki) -> None:
    credential = load_credential(pki.p12("structure-auth"), pki.password)
    system_trust_only = client_context(credential, None)
    with pytest.raises(ssl.SSLCertVerificationError):
        await send(peer.url(), system_trust_only)
    assert peer.logins == [] and peer.delivered == []


async def test_a_5xx_recipient_is_permanent_and_nobody_gets_the_message(peer, context) -> None:
    with pytest.raises(SmtpRefused) as refused:
        await send(peer.url(), context, recipients=[COLLEAGUE, "perm@medecin.mssante.fr"])
    assert refused.value.permanent
    assert refused.value.code == 550
    assert set(refused.value.recipients) == {"perm@medecin.mssante.fr"}
    assert "unknown recipient" in refused.value.text
    assert peer.delivered == []  # all or nothing: the accepted recipient got nothing either


async def test_a_4xx_recipient_is_transient(peer, context) -> None:
    with pytest.raises(SmtpRefused) as refused:
        await send(peer.url(), context, recipients=[COLLEAGUE, "temp@medecin.mssante.fr"])
    assert not refused.value.permanent
    assert refused.value.code == 450
    assert peer.delivered == []


async def test_a_5xx_among_4xx_recipients_is_permanent(peer, context) -> None:
    recipients = ["temp@medecin.mssante.fr", "perm@medecin.mssante.fr"]
    with pytest.raises(SmtpRefused) as refused:
        await send(peer.url(), context, recipients=recipients)
    assert refused.value.permanent and refused.value.code == 550
    assert set(refused.value.recipients) == set(recipients)


async def test_a_4xx_answer_to_the_data_is_transient(peer, context) -> None:
    with pytest.raises(SmtpRefused) as refused:
        await send(peer.url(), context, recipients=["full@medecin.mssante.fr"])
    assert refused.value.code == 452 and not refused.value.permanent


async def test_a_wrong_password_is_permanent(peer, context) -> None:
    with pytest.raises(SmtpRefused) as refused:
        await send(peer.url(), context, password="wrong")
    assert refused.value.code == 535 and refused.value.permanent
    assert peer.delivered == []


async def test_a_message_over_the_announced_size_is_not_sent(pki, context) -> None:
    server, peer = await start_peer(pki, size_limit=len(MESSAGE) - 1)
    try:
        with pytest.raises(SmtpRefused) as refused:
            await send(peer.url(), context)
    finally:
        server.close()
    assert refused.value.code == 552 and refused.value.permanent
    assert peer.mail_from == []


async def test_a_closed_port_is_a_network_error(context) -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    with pytest.raises(OSError):
        await send(f"smtp://127.0.0.1:{port}", context)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://host", "expected smtp://"),
        ("smtp://", "expected smtp://"),
        ("smtp://host:port", "not a port number"),
    ],
)
def test_bad_urls_are_named(url: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_url(url)


def test_default_ports() -> None:
    assert parse_url("smtp://mail.example") == ("mail.example", 587, False)
    assert parse_url("smtps://mail.example") == ("mail.example", 465, True)


async def test_bad_addresses_are_refused_before_connecting(context) -> None:
    with pytest.raises(ValueError, match="not a mail address"):
        await send("smtp://127.0.0.1:1", context, recipients=["a@b>\r\nRCPT TO:<evil@x"])
    with pytest.raises(ValueError, match="no recipient"):
        await send("smtp://127.0.0.1:1", context, recipients=[])
