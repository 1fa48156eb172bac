"""The IMAP poller: new mail in the practice's mailbox, fetched by UID, stored, then marked seen.

Nothing is lost on a crash. Each message is fetched without being marked seen
(``BODY.PEEK[]``), parsed, stored and committed, and only then flagged ``\\Seen`` on the
server. Which messages are new is decided by UID — those above the highest one stored for the
mailbox's UIDVALIDITY — not by the server's flags: a message fetched but not stored before a
crash is above that UID and is fetched again; storing it twice is harmless (the store keys
messages by mailbox, UIDVALIDITY and UID). A new UIDVALIDITY (the server renumbered the
mailbox) fetches everything again; the rows of the old numbering are kept.

Messages are taken in UID order and a round stops at the first that fails, so that no message
is skipped. A message the parser keeps failing on is stored unparsed after
``MAX_PARSE_ATTEMPTS`` rounds — kept raw, marked with its error — so that one bad message
cannot stop the inbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from .imap import ImapClient, ImapError
from .mailstore import MailStore, ReceivedMessage

log = logging.getLogger("aiguillage.plugins.mssante")

#: RFC 2177: a client re-issues IDLE at least every 29 minutes, or the server may log it out.
IDLE_MAX = 29 * 60.0
MAX_PARSE_ATTEMPTS = 3
#: Messages fetched per UID FETCH: bounds the memory a round holds.
FETCH_BATCH = 10
SEEN = "\\Seen"

Parse = Callable[[bytes], dict[str, Any]]
OnStored = Callable[[ReceivedMessage], Awaitable[None] | None]
OpenClient = Callable[[], Awaitable[ImapClient]]


class ParseFailed(Exception):
    """The parser raised on a message; the round stops there and tries it again next time."""


@dataclass
class PollerStatus:
    """What ``run`` last saw, for health reports."""

    connected: bool = False
    idle: bool = False
    last_poll: float | None = None
    last_error: str | None = None
    stored: int = 0


def account(
    url: str, *, ssl_context: ssl.SSLContext, login: str, password: str, timeout: float = 30.0
) -> OpenClient:
    """What ``run`` calls to (re)connect: a client in TLS and logged in."""

    async def open_client() -> ImapClient:
        client = ImapClient(url, ssl_context=ssl_context, timeout=timeout)
        await client.open()
        try:
            await client.login(login, password)
        except BaseException:
            await client.close()
            raise
        return client

    return open_client


async def poll_once(
    client: ImapClient,
    store: MailStore,
    parse: Parse,
    mailbox: str = "INBOX",
    on_stored: OnStored | None = None,
    *,
    batch: int = FETCH_BATCH,
) -> list[ReceivedMessage]:
    """Fetch and store the messages of ``mailbox`` not stored yet; the ones stored now.
    ``on_stored`` is called with each newly stored message once it is committed and seen."""
    box = await client.select(mailbox)
    last = store.last_uid(mailbox, box.uidvalidity)
    if box.exists == 0:
        return []
    # "n:*" always matches the highest UID, even below n: the filter keeps what is above.
    uids = [uid for uid in await client.uid_search(f"UID {last + 1}:*") if uid > last]
    if not uids:
        return []
    log.info("imap: %d new message(s) in %s", len(uids), mailbox)
    stored: list[ReceivedMessage] = []
    for start in range(0, len(uids), batch):
        for fetched in await client.uid_fetch(uids[start : start + batch]):
            assert fetched.raw is not None
            message = await _store(store, parse, mailbox, box.uidvalidity, fetched.uid, fetched.raw)
            # Committed: now, and only now, the server may consider it taken.
            await client.uid_store([fetched.uid], [SEEN])
            if message is not None:
                stored.append(message)
                await _tell(on_stored, message)
    return stored


async def _store(
    store: MailStore, parse: Parse, mailbox: str, uidvalidity: int, uid: int, raw: bytes
) -> ReceivedMessage | None:
    parse_error = None
    try:
        # Parsing a large package takes a while: not on the event loop.
        parsed = await asyncio.to_thread(parse, raw)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        attempts = await store.note_parse_failure(mailbox, uidvalidity, uid, error)
        if attempts < MAX_PARSE_ATTEMPTS:
            log.error("imap: message UID %d of %s could not be parsed (%s)", uid, mailbox, error)
            raise ParseFailed(f"UID {uid}: {error}") from exc
        log.error("imap: message UID %d kept unparsed after %d tries: %s", uid, attempts, error)
        parsed, parse_error = None, f"unparsed after {attempts} tries: {error}"
    id, new = await store.store_received(
        mailbox=mailbox,
        uidvalidity=uidvalidity,
        uid=uid,
        raw=raw,
        parsed=parsed,
        parse_error=parse_error,
    )
    return store.get_received(id) if new else None


async def _tell(on_stored: OnStored | None, message: ReceivedMessage) -> None:
    if on_stored is None:
        return
    try:
        result = on_stored(message)
        if inspect.isawaitable(result):
            await result
    except Exception:
        # The message is stored and seen: a failing listener must not fetch it again.
        log.exception("imap: the listener failed on received message %d", message.id)


async def run(
    open_client: OpenClient,
    store: MailStore,
    parse: Parse,
    *,
    mailbox: str = "INBOX",
    on_stored: OnStored | None = None,
    poll_interval: float = 60.0,
    idle_max: float = IDLE_MAX,
    backoff: tuple[float, float] = (1.0, 300.0),
    status: PollerStatus | None = None,
) -> None:
    """Poll ``mailbox`` until cancelled: a round, then IDLE when the server offers it (again
    every ``idle_max`` seconds at most), else ``poll_interval`` seconds of sleep; on an error,
    reconnect after a growing delay (``backoff``: first and longest)."""
    status = status or PollerStatus()
    idle_max = min(idle_max, IDLE_MAX)
    delay = backoff[0]
    while True:
        client: ImapClient | None = None
        try:
            client = await open_client()
            status.connected = True
            log.info("imap: connected to %s:%d", client.host, client.port)
            while True:
                status.stored += len(await poll_once(client, store, parse, mailbox, on_stored))
                status.last_poll, status.last_error = time.time(), None
                delay = backoff[0]
                if "IDLE" in client.capabilities:
                    status.idle = True
                    await client.idle(idle_max)
                else:
                    status.idle = False
                    await asyncio.sleep(poll_interval)
        except asyncio.CancelledError:
            raise
        except (OSError, TimeoutError, ImapError, ParseFailed) as exc:
            status.last_error = f"{type(exc).__name__}: {exc}"
            log.warning("imap: %s; again in %.0f s", status.last_error, delay)
        except Exception as exc:
            status.last_error = f"{type(exc).__name__}: {exc}"
            log.exception("imap: the poller failed; again in %.0f s", delay)
        finally:
            status.connected = status.idle = False
            if client is not None:
                with contextlib.suppress(Exception):
                    await client.logout()
        await asyncio.sleep(delay)
        delay = min(delay * 2, backoff[1])
