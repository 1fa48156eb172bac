"""The MSSanté simulator for the tests: started on free loopback ports with the session's test
PKI, stopped after the test; plus the stdlib clients (``smtplib``, ``imaplib``) talking to it
with STARTTLS and the structure's client certificate, as any mail client would."""

from __future__ import annotations

import contextlib
import imaplib
import smtplib
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiguillage.plugins.mssante.simulator import SIMULATOR_PASSWORD, MssanteSimulator
from aiguillage.security.credentials import client_context, load_credential
from aiguillage.security.testpki import TestPki

PRACTICE = "cabinet.test@medecin.mssante.fr"
COLLEAGUE = "jean.dupont@medecin.mssante.fr"
LAB = "labo.test@labo.mssante.fr"
FAILING_LAB = "labo.erreur@labo.mssante.fr"
PATIENT = "277076322082910@patient.mssante.fr"
LIMIT = 200_000  # bytes: small enough to test the size limit cheaply
TIMEOUT = 10.0


@dataclass
class Running:
    """A running simulator and what a test needs to talk to it."""

    pki: TestPki
    maildirs: Path
    options: dict[str, Any]
    simulator: MssanteSimulator = field(init=False)
    state: dict[str, Any] = field(default_factory=dict)
    smtp_port: int = 0
    imap_port: int = 0

    async def start(self) -> None:
        self.simulator = MssanteSimulator(
            server_p12=self.pki.p12("server"),
            password=self.pki.password,
            trust=self.pki.ca_bundle,
            maildirs=self.maildirs,
            state=self.state,
            max_message_bytes=LIMIT,
            **self.options,
        )
        smtp_url = await self.simulator.start("127.0.0.1")
        self.smtp_port = int(smtp_url.rsplit(":", 1)[1])
        self.imap_port = int(self.state["imap_endpoint"].rsplit(":", 1)[1])

    async def restart(self) -> None:
        await self.simulator.stop()
        await self.start()

    @property
    def tls(self) -> ssl.SSLContext:
        """The structure's authentication certificate, trusting the test CA."""
        credential = load_credential(self.pki.p12("structure-auth"), self.pki.password)
        return client_context(credential, self.pki.ca_bundle)

    @property
    def tls_without_certificate(self) -> ssl.SSLContext:
        return client_context(None, self.pki.ca_bundle)

    # --- blocking clients: call them through asyncio.to_thread ---------------------------------

    def smtp(
        self,
        context: ssl.SSLContext | None = None,
        login: str | None = PRACTICE,
        password: str = SIMULATOR_PASSWORD,
    ) -> smtplib.SMTP:
        client = smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=TIMEOUT)
        client.starttls(context=context or self.tls)
        if login is not None:
            client.login(login, password)
        return client

    def send(self, sender: str, recipients: list[str], raw: bytes, **kwargs: Any) -> dict:
        with self.smtp(**kwargs) as client:
            return client.sendmail(sender, recipients, raw)

    def imap(
        self,
        user: str = PRACTICE,
        context: ssl.SSLContext | None = None,
        password: str = SIMULATOR_PASSWORD,
    ) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.imap_port, timeout=TIMEOUT)
        client.starttls(ssl_context=context or self.tls)
        client.login(user, password)
        return client


@contextlib.asynccontextmanager
async def simulator_running(
    directory: Path, pki: TestPki, **options: Any
) -> AsyncIterator[Running]:
    """A simulator on free loopback ports, its Maildirs in ``directory``; ``options`` are more
    constructor arguments (``faults``, ``extra_addresses``…)."""
    running = Running(pki, directory / "simulator-mail", options)
    await running.start()
    try:
        yield running
    finally:
        await running.simulator.stop()


def message(
    sender: str,
    to: str,
    subject: str = "XDM/1.0/DDM+Compte rendu NESSI RUTH 19770714",
    body: str = "Bonjour,\r\nci-joint le compte rendu.\r\n",
    receipt_to: str | None = None,
    message_id: str = "<20250101120000.1@medecin.mssante.fr>",
) -> bytes:
    """A small RFC 5322 message with CRLF line ends."""
    headers = [
        f"From: {sender}",
        f"To: {to}",
        f"Subject: {subject}",
        "Date: Wed, 01 Jan 2025 12:00:00 +0100",
        f"Message-ID: {message_id}",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
    ]
    if receipt_to:
        headers.append(f"Disposition-Notification-To: {receipt_to}")
    return ("\r\n".join(headers) + "\r\n\r\n" + body).encode()
