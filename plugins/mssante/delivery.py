"""Delivering a queued message: the bytes built when it was accepted (same Message-ID, same
date, same package on every try) handed to the operator's SMTP submission server, then a copy
appended to the mailbox's Sent folder.

A message the server took is sent, whatever happens to the copy: retrying it would mail the
recipients twice. A failed copy is said in the delivery's result and logged.
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass

from aiguillage.plugin import Delivered, DeliveryError, Item, PluginConfig

from .imap import connect
from .mailstore import MailStore
from .smtp import InsecureServer, SmtpRefused, submit

log = logging.getLogger("aiguillage.plugins.mssante")

#: Outbox kinds: a message the EHR wrote, and a return receipt (MDN) it asked to send.
MESSAGE = "mssante.message"
RECEIPT = "mssante.receipt"
SENT_FOLDER = "Sent"


@dataclass
class MailService:
    """What the operations and deliveries use to reach the operator (``config.service``)."""

    smtp_url: str
    imap_url: str
    address: str
    login: str
    password: str
    tls: ssl.SSLContext
    timeout: float


async def deliver_message(item: Item, config: PluginConfig) -> Delivered:
    service: MailService = config.service
    store: MailStore = config.state["store"]
    p = item.payload
    raw = item.attachments[0].data
    if raw is None:  # purged: nothing left to send, and nothing the EHR can do but send anew
        raise DeliveryError("purged", "the message's bytes were purged from the outbox", False)
    if item.kind == MESSAGE:
        # Recorded before it leaves, so that a receipt arriving at once finds it (the same
        # Message-ID on a retry is the same record).
        await store.record_sent(
            message_id=p["message_id"],
            item_id=item.id,
            sender=p["from"],
            recipients=p["recipients"],
            patient_ins=item.patient,
            subject=p["subject"],
            receipt_requested=p["request_receipt"],
        )
    try:
        answer = await submit(
            service.smtp_url,
            sender=p["from"],
            recipients=p["recipients"],
            message=raw,
            ssl_context=service.tls,
            login=service.login,
            password=service.password,
            timeout=service.timeout,
        )
    except InsecureServer as exc:
        raise DeliveryError("smtp-insecure", exc.text, transient=False) from None
    except SmtpRefused as exc:
        raise DeliveryError(f"smtp-{exc.code}", exc.text, transient=not exc.permanent) from None
    except ssl.SSLCertVerificationError as exc:
        # The server's certificate is not one the config trusts: retrying will not change it.
        raise DeliveryError("tls-untrusted", str(exc), transient=False) from None
    result: dict[str, object] = {"smtp": answer}
    if item.kind == MESSAGE:
        result["sent_folder"] = await _keep_copy(service, raw)
    return Delivered(result)


async def _keep_copy(service: MailService, raw: bytes) -> str:
    try:
        async with connect(
            service.imap_url, ssl_context=service.tls, timeout=service.timeout
        ) as imap:
            await imap.login(service.login, service.password)
            await imap.append(SENT_FOLDER, raw, flags=("\\Seen",))
    except Exception as exc:  # sent already: a failed copy must not fail the item
        log.warning("message sent, but its copy in %s failed: %s", SENT_FOLDER, exc)
        return f"not copied: {exc}"
    return "copied"
