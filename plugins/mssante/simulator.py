"""The MSSanté simulator: one mail operator on 127.0.0.1, as the practice's software meets it —
SMTP submission and IMAP over the same per-address Maildirs, with the TLS client certificate,
the login and password, the size limit and the recipients an operator checks, and the return
receipts the mailboxes of its directory send back.

- The mailboxes it hosts are in ``addresses.toml`` (plus the practice's configured address).
  Every one logs in with its address and :data:`SIMULATOR_PASSWORD`.
- A mailbox with ``auto_receipt`` answers a message that asks for a receipt with an RFC 8098
  MDN, as the ANS guide for CDA documents by MSSanté mail describes it (``processed``, or
  ``processed/Error: code^label`` for a mailbox with ``receipt_error``).
- Faults (:class:`Faults`, the ``faults`` attribute): latency before each answer; a share of
  SMTP ``451 4.3.0`` and IMAP ``NO [UNAVAILABLE]`` answers; an outage answers SMTP ``421`` and
  IMAP ``BYE [UNAVAILABLE]``.
- :meth:`MssanteSimulator.deliver_incoming` puts a message into a mailbox as mail from another
  operator arrives, for tests and demos.

Protocol constants come from the RFCs and the ANS guide, never from the plugin's client.
"""

from __future__ import annotations

import email.utils
import logging
import ssl
import tomllib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

from aiguillage.plugin import Faults, load_credential, server_context

from .maildir import INBOX, BadName, Maildirs, canonical_address
from .sim_imap import ImapServer
from .sim_smtp import SmtpServer

log = logging.getLogger(__name__)

ADDRESSES = Path(__file__).parent / "addresses.toml"
#: The password of every simulated mailbox (the plugin uses it when none is configured).
SIMULATOR_PASSWORD = "test-mssante"
MAX_MESSAGE_BYTES = 25 * 1024 * 1024
HOSTNAME = "localhost"
# The ANS guide's MDN: the action and sending modes of an automatic integration, and the
# subject prefix of a failed one.
DISPOSITION_MODE = "automatic-action/MDN-sent-automatically"
FAILED_SUBJECT = "[KO Intégration système !][{code}] "


@dataclass(frozen=True)
class Mailbox:
    address: str
    name: str = ""
    auto_receipt: bool = False
    receipt_error: tuple[str, str] | None = None  # (code, label)


def load_mailboxes(path: Path, extra: Iterable[str] = ()) -> dict[str, Mailbox]:
    """The hosted mailboxes by lower-case address; a bad entry is an error naming it."""
    try:
        entries = tomllib.loads(path.read_text(encoding="utf-8")).get("mailbox", [])
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path.name}: {exc}") from None
    if not isinstance(entries, list):
        raise ValueError(f"{path.name}: 'mailbox' must be an array of tables ([[mailbox]])")
    mailboxes = {}
    for n, entry in enumerate(entries, 1):
        where = f"{path.name}: mailbox {n}"
        if not isinstance(entry, dict) or not isinstance(entry.get("address"), str):
            raise ValueError(f"{where}: 'address' must be a string")
        try:
            address = canonical_address(entry["address"])
        except BadName as exc:
            raise ValueError(f"{where}: {exc}") from None
        error = entry.get("receipt_error")
        if error is not None:
            code, sep, label = str(error).partition("^")
            if not (sep and code and label):
                raise ValueError(f"{where}: 'receipt_error' must be 'code^label', not {error!r}")
            error = (code, label)
        auto = entry.get("auto_receipt", False)
        if not isinstance(auto, bool):
            raise ValueError(f"{where}: 'auto_receipt' must be true or false")
        mailboxes[address] = Mailbox(address, str(entry.get("name", "")), auto, error)
    for address in extra:
        if not address:
            continue
        try:
            address = canonical_address(address)
        except BadName as exc:
            raise ValueError(f"extra address: {exc}") from None
        mailboxes.setdefault(address, Mailbox(address))
    return mailboxes


class MssanteSimulator:
    def __init__(
        self,
        *,
        server_p12: Path,
        password: str,
        trust: Path,
        maildirs: Path,
        state: dict[str, Any] | None = None,
        extra_addresses: Iterable[str] = (),
        max_message_bytes: int = MAX_MESSAGE_BYTES,
        faults: Faults | None = None,
        addresses: Path = ADDRESSES,
        mail_password: str = SIMULATOR_PASSWORD,
    ) -> None:
        self.server_p12 = server_p12
        self.password = password
        self.trust = trust
        self.root = maildirs
        self.state = state if state is not None else {}
        self.max_message_bytes = max_message_bytes
        self.faults = faults or Faults()
        self.mail_password = mail_password
        self.mailboxes = load_mailboxes(addresses, extra_addresses)
        self.store: Maildirs | None = None
        self._smtp: SmtpServer | None = None
        self._imap: ImapServer | None = None

    # --- life cycle ------------------------------------------------------------------------------

    def _tls(self) -> ssl.SSLContext:
        context = server_context(load_credential(self.server_p12, self.password), self.trust)
        # The handshake still checks any certificate shown against the test CA; a client that
        # shows none gets the protocol's own refusal (SMTP 554, IMAP NO [ALERT] to LOGIN)
        # rather than a broken handshake it could not explain.
        context.verify_mode = ssl.CERT_OPTIONAL
        return context

    async def start(self, host: str = "127.0.0.1", smtp_port: int = 0, imap_port: int = 0) -> str:
        """Serve SMTP and IMAP on ``host``; the SMTP URL (the IMAP one goes to
        ``state["imap_endpoint"]``)."""
        # aiosmtpd logs every connection at INFO, the health probe's too: a line every few
        # seconds in the daemon's log that tells an admin nothing. Its warnings still show.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.store = Maildirs(self.root)
        for address in self.mailboxes:
            self.store.ensure(address)
        tls = self._tls()
        self._smtp = SmtpServer(self, tls, self.faults, self.max_message_bytes)
        self._imap = ImapServer(self, self.store, tls, self.faults, self.max_message_bytes)
        smtp = await self._smtp.start(host, smtp_port)
        imap = await self._imap.start(host, imap_port)
        self.state["imap_endpoint"] = f"imap://{host}:{imap}"
        return f"smtp://{host}:{smtp}"

    async def stop(self) -> None:
        if self._smtp is not None:
            await self._smtp.stop()
        if self._imap is not None:
            await self._imap.stop()
        if self.store is not None:
            self.store.close()
        self._smtp = self._imap = self.store = None

    # --- the operator, as the SMTP and IMAP servers ask it ---------------------------------------

    def authenticate(self, login: str, password: str) -> str | None:
        address = login.strip().lower()
        if address in self.mailboxes and password == self.mail_password:
            return address
        return None

    def hosts(self, address: str) -> bool:
        return address.strip().lower() in self.mailboxes

    def accept(self, sender: str, recipients: list[str], raw: bytes, helo: str) -> None:
        """Deliver an accepted message to each recipient's INBOX (once, however often the
        envelope names it), then send the receipts its recipients owe."""
        unique = list(dict.fromkeys(r.strip().lower() for r in recipients))
        for recipient in unique:
            self._store(recipient, _trace(sender, recipient, helo) + raw)
        for recipient in unique:
            mailbox = self.mailboxes[recipient]
            if mailbox.auto_receipt:
                try:
                    self._receipt(mailbox, sender, raw)
                except Exception:  # the message is delivered: a receipt gone wrong stays here
                    log.exception("MDN of %s not sent", mailbox.address)

    def deliver_incoming(self, address: str, raw: bytes, sender: str | None = None) -> int:
        """Put ``raw`` into ``address``'s INBOX as a message from another operator (its
        envelope sender: ``sender``, else the message's From); its UID. IMAP sessions idling
        on that INBOX hear of it at once. Call it on the simulator's event loop."""
        if not self.hosts(address):
            raise ValueError(f"{address!r} is not a mailbox of the simulator")
        if not raw:
            raise ValueError("an empty message cannot be delivered")
        if sender is None:
            found = BytesHeaderParser(policy=policy.compat32).parsebytes(raw).get("From", "")
            sender = email.utils.parseaddr(str(found))[1]
        return self._store(address, _trace(sender, address, "relay.mssante.test") + raw)

    def messages(self, address: str, folder: str = INBOX) -> list[bytes]:
        """The messages of one folder, in UID order (what a test looks at)."""
        store = self._started()
        box = store.folder(address, folder)
        return [data for m in box.messages() if (data := box.read(m)) is not None]

    def _started(self) -> Maildirs:
        if self.store is None:
            raise RuntimeError("the MSSanté simulator is not started")
        return self.store

    def _store(self, address: str, raw: bytes) -> int:
        return self._started().folder(address, INBOX).add(raw)

    # --- return receipts (RFC 8098, as the ANS guide profiles them) ------------------------------

    def _receipt(self, mailbox: Mailbox, sender: str, raw: bytes) -> None:
        headers = BytesHeaderParser(policy=policy.default).parsebytes(raw)
        requested = email.utils.getaddresses([str(h) for h in headers.get_all(RECEIPT_TO, [])])
        if not requested or not requested[0][1]:
            return
        receipt_to = requested[0][1]
        # RFC 8098 §2.1, as the ANS guide repeats: no automatic MDN when the receipt is asked
        # for another address than the envelope sender (Return-Path), and never an MDN for an
        # MDN (a receipt loop).
        if not sender or receipt_to.lower() != sender.lower():
            log.info("no MDN from %s: %s is not the sender", mailbox.address, receipt_to)
            return
        if headers.get_content_type() == "multipart/report":
            return
        mdn = build_receipt(mailbox, receipt_to, headers, raw)
        if self.hosts(receipt_to):
            self._store(receipt_to, _trace("", receipt_to, HOSTNAME) + mdn)
        else:
            log.info("MDN for %s dropped: not a mailbox of the simulator", receipt_to)


RECEIPT_TO = "Disposition-Notification-To"


def build_receipt(mailbox: Mailbox, receipt_to: str, original: Any, raw: bytes) -> bytes:
    """The MDN ``mailbox`` sends for the message ``raw`` (headers parsed in ``original``): a
    ``multipart/report; report-type=disposition-notification`` with the human-readable text,
    the ``message/disposition-notification`` fields and the original message (RFC 6522 §3; the
    ANS guide requires the third part)."""
    subject = str(original.get("Subject", ""))
    fields = [
        f"Reporting-UA: {HOSTNAME}; MSSante simulator",
    ]
    if original.get("Original-Recipient"):
        fields.append(f"Original-Recipient: {original['Original-Recipient']}")
    fields.append(f"Final-Recipient: rfc822;{mailbox.address}")
    if original.get("Message-ID"):
        fields.append(f"Original-Message-ID: {str(original['Message-ID']).strip()}")
    if mailbox.receipt_error is None:
        fields.append(f"Disposition: {DISPOSITION_MODE}; processed")
        text = "Le message ci-dessous a été intégré automatiquement par son destinataire."
    else:
        code, label = mailbox.receipt_error
        fields.append(f"Disposition: {DISPOSITION_MODE}; processed/Error: {code}^{label}")
        subject = FAILED_SUBJECT.format(code=code) + subject
        text = (
            "Le message ci-dessous n'a pas pu être intégré automatiquement pour la raison "
            f"suivante : {code}^{label}"
        )
    boundary = f"=_mdn_{uuid.uuid4().hex}"
    domain = mailbox.address.partition("@")[2]
    fold = policy.SMTP.fold
    head = "".join(
        [
            fold("From", email.utils.formataddr((mailbox.name, mailbox.address))),
            fold("To", receipt_to),
            fold("Subject", subject),
            fold("Date", email.utils.format_datetime(datetime.now(UTC))),
            fold("Message-ID", f"<{uuid.uuid4().hex}@{domain}>"),
            "MIME-Version: 1.0\r\n",
            # RFC 3834 §5: an automatic answer says so, so that nothing answers it in turn.
            "Auto-Submitted: auto-replied\r\n",
            "Content-Type: multipart/report; report-type=disposition-notification;\r\n"
            f' boundary="{boundary}"\r\n',
        ]
    )
    eight_bit = any(b > 0x7F for b in raw)
    parts = [
        b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + text.encode()
        + b"\r\n",
        b"Content-Type: message/disposition-notification\r\n\r\n"
        + "".join(f"{f}\r\n" for f in fields).encode(),
        b"Content-Type: message/rfc822\r\n"
        + (b"Content-Transfer-Encoding: 8bit\r\n" if eight_bit else b"")
        + b"\r\n"
        + raw,
    ]
    delimiter = f"\r\n--{boundary}\r\n".encode()
    body = delimiter.join([b"", *parts])[2:]  # the first delimiter needs no CRLF before it
    return head.encode() + b"\r\n" + body + f"\r\n--{boundary}--\r\n".encode()


def _trace(sender: str, recipient: str, helo: str) -> bytes:
    """The headers the final delivery adds (RFC 5321 §4.4): Return-Path and Received."""
    now = email.utils.format_datetime(datetime.now(UTC))
    received = (
        f"Received: from {helo} (localhost [127.0.0.1])\r\n"
        f"\tby {HOSTNAME} (MSSante simulator) with ESMTPSA id {uuid.uuid4().hex[:12]}\r\n"
        f"\tfor <{recipient}>; {now}\r\n"
    )
    return f"Return-Path: <{sender}>\r\n{received}".encode()
