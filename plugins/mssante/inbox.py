"""The practice's inbox in a running daemon: the poller fetching new mail into the store, what
is kept of each message, and the events announcing it.

New mail is announced on ``/v1/events`` as ``mssante.message``; a message holding a critical
biology result also as ``mssante.critical``, so that an EHR can say "critical result, act now"
without reading every message; a return receipt (an MDN) for a message sent updates that
message and is announced as ``mssante.receipt``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from typing import Any

from aiguillage.plugin import Daemon, PluginConfig, iso

from . import poller
from .mailstore import FLAGS, MailStore, ReceivedMessage
from .message import Received, parse_message

log = logging.getLogger("aiguillage.plugins.mssante")
SCOPE = "mssante"


def parsed(raw: bytes) -> dict[str, Any]:
    """What the store keeps of a message besides its bytes (see ``mailstore``)."""
    m: Received = parse_message(raw)
    package = m.package
    return {
        "message_id": m.message_id,
        "sender": m.sender,
        "to": m.to,
        "cc": m.cc,
        "subject": m.subject,
        "date": m.date.isoformat() if m.date else None,
        "headers": [list(h) for h in m.headers],
        "body": {"text": m.body_text, "html": m.body_html},
        "patient": package.patient if package else None,
        "documents": [
            {
                "name": d.name.rsplit("/", 1)[-1],
                "title": d.title,
                "type_code": d.type_code,
                "media_type": d.media_type,
                "content": d.content,
                "flags": {k: bool(d.flags.get(k)) for k in FLAGS},
            }
            for d in (package.documents if package else [])
        ],
        "attachments": [
            {"filename": a.filename, "media_type": a.media_type, "content": a.content}
            for a in m.attachments
        ],
        "package_error": m.package_error,
        "receipt_to": m.receipt_to,
        "cda_codes": m.cda_codes,
        "report": dataclasses.asdict(m.report) if m.report else None,
    }


def start_polling(daemon: Daemon, config: PluginConfig, store: MailStore) -> asyncio.Task:
    service = config.service
    status = poller.PollerStatus()
    config.state["poller_status"] = status

    async def on_stored(message: ReceivedMessage) -> None:
        await announce(daemon, store, message)

    return asyncio.create_task(
        poller.run(
            poller.account(
                service.imap_url,
                ssl_context=service.tls,
                login=service.login,
                password=service.password,
                timeout=service.timeout,
            ),
            store,
            parsed,
            on_stored=on_stored,
            poll_interval=config.options["poll_interval"],
            status=status,
        ),
        name="mssante-poller",
    )


async def stop_polling(task: asyncio.Task | None) -> None:
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def announce(daemon: Daemon, store: MailStore, message: ReceivedMessage) -> None:
    """Publish what a newly stored message means: a receipt, new mail, a critical result."""
    if message.is_report:
        await _receipt(daemon, store, message)
        return
    data = {
        "id": message.id,
        "from": message.sender,
        "subject": message.subject,
        "patient": message.patient_ins,
        "critical": message.critical,
        "abnormal": message.abnormal,
        "received_at": iso(message.received_at),
    }
    daemon.publish("mssante.message", data, scope=SCOPE)
    if message.critical:
        daemon.publish("mssante.critical", data, scope=SCOPE)


async def _receipt(daemon: Daemon, store: MailStore, message: ReceivedMessage) -> None:
    full = store.get_received(message.id)
    report = (full.parsed or {}).get("report") if full else None
    if not report or not report.get("original_message_id"):
        return
    sent = await store.record_mdn(
        report["original_message_id"],
        disposition=report["disposition"],
        code=report.get("error_code"),
        label=report.get("error_label"),
        final_recipient=report.get("final_recipient"),
        mdn_message_id=message.message_id,
    )
    if sent is None:
        log.info("a receipt for %s, which this mailbox did not send", report["original_message_id"])
        return
    daemon.publish(
        "mssante.receipt",
        {
            "id": sent.item_id,
            "message_id": sent.message_id,
            "receipt": sent.receipt,
            "from": report.get("final_recipient"),
            "code": report.get("error_code"),
            "label": report.get("error_label"),
        },
        scope=SCOPE,
    )
