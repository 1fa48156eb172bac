"""The simulator's SMTP submission server (RFC 6409) on aiosmtpd: STARTTLS before anything but
EHLO/NOOP/QUIT (RFC 3207), a TLS client certificate that the test CA signed, AUTH PLAIN or
LOGIN (RFC 4954) with a hosted mailbox and its password, the SIZE limit (RFC 1870), and the
answers an operator gives (RFC 3463 enhanced codes): an unknown recipient, a sender the
operator does not host, a temporary failure, an outage."""

from __future__ import annotations

import asyncio
import ssl
import weakref
from typing import Any, Protocol

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from aiguillage.plugin import Faults

IDENT = "MSSante simulator ESMTP"
OUTAGE = "421 4.3.2 Service not available, closing transmission channel"
TEMPORARY = "451 4.3.0 Temporary local problem, try again later"


class Postmaster(Protocol):
    """What the SMTP server asks of the operator behind it."""

    def authenticate(self, login: str, password: str) -> str | None:
        """The mailbox ``login`` opens with ``password``, else ``None``."""

    def hosts(self, address: str) -> bool:
        """Whether the operator hosts this mailbox."""

    def accept(self, sender: str, recipients: list[str], raw: bytes, helo: str) -> None:
        """Deliver one accepted message to its (hosted) recipients."""


class _Handler:
    """aiosmtpd's handler: the operator's policy at each step of the transaction."""

    def __init__(self, postmaster: Postmaster, faults: Faults) -> None:
        self.postmaster = postmaster
        self.faults = faults

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        if self.faults.outage:
            return OUTAGE
        # RFC 8098 §3: an MDN goes out with a null reverse-path; any other sender must be a
        # mailbox of this operator (no sending in someone else's name).
        if address and not self.postmaster.hosts(address):
            return f"553 5.7.1 <{address}>: Sender address rejected: not a mailbox of this operator"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 2.1.0 Ok"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list
    ) -> str:
        if not self.postmaster.hosts(address):
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(options)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.faults.latency_ms:
            await asyncio.sleep(self.faults.latency_ms / 1000)
        if self.faults.outage:
            return OUTAGE
        if self.faults.error_rate and self.faults.random.random() < self.faults.error_rate:
            return TEMPORARY
        self.postmaster.accept(
            envelope.mail_from,
            list(envelope.rcpt_tos),
            envelope.original_content,
            session.host_name or "unknown",
        )
        return "250 2.0.0 Ok: queued"

    def handle_STARTTLS(self, server: SMTP, session: Session, envelope: Envelope) -> bool:
        # The handshake verified any certificate the client showed; a client that showed none
        # is refused here: aiosmtpd answers "554 Command refused due to lack of security" to
        # every later command but QUIT.
        return bool(session.ssl and session.ssl.get("peercert"))


class _Outage(asyncio.Protocol):
    """What answers a connection during an outage: the 421 greeting, then the line closes
    (RFC 5321 §3.8)."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.write(f"{OUTAGE}\r\n".encode())  # type: ignore[attr-defined]
        transport.close()


class SmtpServer:
    """The submission server on a loopback port."""

    def __init__(
        self,
        postmaster: Postmaster,
        tls: ssl.SSLContext,
        faults: Faults,
        max_message_bytes: int,
    ) -> None:
        self.postmaster = postmaster
        self.tls = tls
        self.faults = faults
        self.max_message_bytes = max_message_bytes
        self._server: asyncio.AbstractServer | None = None
        self._sessions: weakref.WeakSet[SMTP] = weakref.WeakSet()

    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = data.login.decode("utf-8", "replace")
        password = data.password.decode("utf-8", "replace")
        mailbox = self.postmaster.authenticate(login, password)
        return AuthResult(success=mailbox is not None, handled=False, auth_data=mailbox)

    def _protocol(self) -> asyncio.Protocol:
        if self.faults.outage:
            return _Outage()
        session = SMTP(
            _Handler(self.postmaster, self.faults),
            data_size_limit=self.max_message_bytes,
            hostname="localhost",
            ident=IDENT,
            tls_context=self.tls,
            require_starttls=True,
            auth_required=True,
            auth_require_tls=True,
            authenticator=self._authenticate,
            loop=asyncio.get_running_loop(),
        )
        self._sessions.add(session)
        return session

    async def start(self, host: str, port: int = 0) -> int:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(self._protocol, host, port)
        return self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for session in list(self._sessions):
                if session.transport is not None:
                    session.transport.close()
            await self._server.wait_closed()
            self._server = None
