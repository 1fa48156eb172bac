"""SMTP submission to the MSSanté operator (RFC 6409) with aiosmtplib: TLS always — STARTTLS
on ``smtp://`` (refused when the server does not offer it: nothing goes in clear), implicit TLS
on ``smtps://`` — the structure's client certificate and the server's trust anchors from the
caller's ``ssl.SSLContext``, AUTH with the account's login, then one ``RCPT TO`` per recipient.

Recipients are all or nothing: when the server refuses any of them, the message is not sent to
the others either (``RSET``, no ``DATA``). A message is one outbox item, retried as a whole; a
partial delivery retried later would reach the accepting recipients twice, and one never
retried would leave the sender believing a colleague has a letter they do not. The refusal is
permanent when any recipient's answer is (5xx), transient when every one is 4xx.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Sequence
from urllib.parse import urlsplit

import aiosmtplib

log = logging.getLogger("aiguillage.plugins.mssante")

PORTS = {"smtp": 587, "smtps": 465}


class SmtpRefused(Exception):
    """The server refused the message: ``code`` and ``text`` are its answer (``code`` 0 when
    the client refused to go on); ``permanent`` for 5xx, else worth retrying.
    ``recipients`` maps each refused recipient to ``(code, text)``."""

    def __init__(
        self,
        code: int,
        text: str,
        *,
        permanent: bool,
        recipients: dict[str, tuple[int, str]] | None = None,
    ) -> None:
        super().__init__(f"{code} {text}" if code else text)
        self.code = code
        self.text = text
        self.permanent = permanent
        self.recipients = recipients or {}


class InsecureServer(SmtpRefused):
    """The server does not offer STARTTLS on an ``smtp://`` URL: the message is not sent."""


def parse_url(url: str) -> tuple[str, int, bool]:
    """``(host, port, implicit TLS)`` of an ``smtp://`` or ``smtps://`` URL."""
    parts = urlsplit(url)
    if parts.scheme not in PORTS or not parts.hostname:
        raise ValueError(f"SMTP endpoint {url!r}: expected smtp://host[:port] or smtps://…")
    try:
        port = parts.port or PORTS[parts.scheme]
    except ValueError:
        raise ValueError(f"SMTP endpoint {url!r}: not a port number") from None
    return parts.hostname, port, parts.scheme == "smtps"


async def submit(
    url: str,
    *,
    sender: str,
    recipients: Sequence[str],
    message: bytes,
    ssl_context: ssl.SSLContext,
    login: str | None,
    password: str | None,
    timeout: float,  # noqa: ASYNC109 - each command's limit, as aiosmtplib applies it
) -> str:
    """Submit ``message`` for ``recipients``; the server's answer to the data (``"250 …"``).

    Raises ``SmtpRefused`` on a refusal (``permanent`` for 5xx); network errors and timeouts
    pass through as ``OSError`` / ``TimeoutError``. AUTH runs when ``login`` and ``password``
    are both given."""
    host, port, implicit = parse_url(url)
    if not recipients:
        raise ValueError("no recipient")
    for address in (sender, *recipients):
        if not address or any(c in address for c in "<>\r\n ") or not address.isascii():
            raise ValueError(f"not a mail address for the SMTP envelope: {address!r}")
    client = aiosmtplib.SMTP(
        hostname=host,
        port=port,
        use_tls=implicit,
        start_tls=False,  # done below, after checking the server offers it
        tls_context=ssl_context,
        timeout=timeout,
    )
    try:
        await client.connect()
        if not implicit:
            await client.ehlo()
            if not client.supports_extension("starttls"):
                raise InsecureServer(
                    0, "the server does not offer STARTTLS: not sending in clear", permanent=True
                )
            await client.starttls()
        await client.ehlo()  # what the server offers over TLS (RFC 3207 4.2)
        _check_size(client, message)
        if login and password:
            await client.login(login, password)
        await client.mail(sender)
        refused = {}
        for recipient in recipients:
            try:
                await client.rcpt(recipient)
            except aiosmtplib.SMTPRecipientRefused as exc:
                refused[recipient] = (exc.code, exc.message)
        if refused:
            await client.rset()
            raise _refused_recipients(refused)
        answer = await client.data(message)
        log.info("smtp: %s accepted for %d recipient(s)", host, len(recipients))
        return f"{answer.code} {answer.message}"
    except aiosmtplib.SMTPResponseException as exc:
        raise SmtpRefused(exc.code, exc.message, permanent=exc.code >= 500) from None
    except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPConnectError, TimeoutError):
        raise
    except aiosmtplib.SMTPException as exc:
        # The client's own refusals: no AUTH offered over TLS, an address it cannot encode.
        raise SmtpRefused(0, exc.message, permanent=True) from None
    finally:
        if client.is_connected:
            try:
                await client.quit()
            except (aiosmtplib.SMTPException, OSError, TimeoutError):
                client.close()


def _check_size(client: aiosmtplib.SMTP, message: bytes) -> None:
    limit = client.esmtp_extensions.get("size", "")
    if limit.isdigit() and int(limit) and len(message) > int(limit):
        # RFC 1870: refuse before sending rather than after megabytes went over the wire.
        raise SmtpRefused(
            552,
            f"message of {len(message)} bytes over the server's limit of {limit}",
            permanent=True,
        )


def _refused_recipients(refused: dict[str, tuple[int, str]]) -> SmtpRefused:
    permanent = any(code >= 500 for code, _ in refused.values())
    code = next(
        (c for c, _ in refused.values() if (c >= 500) == permanent), next(iter(refused.values()))[0]
    )
    listed = "; ".join(f"{address}: {c} {text}" for address, (c, text) in refused.items())
    return SmtpRefused(
        code,
        f"recipient(s) refused, nothing sent: {listed}",
        permanent=permanent,
        recipients=refused,
    )
