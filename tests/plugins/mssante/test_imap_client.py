"""The IMAP client and the poller against a real Dovecot (TLS, client certificate required),
plus a scripted peer for what Dovecot will not do (no STARTTLS, bytes injected in clear, no
LITERAL+), and the response grammar on its own."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import re
import sqlite3
import ssl
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from aiguillage.plugins.mssante import poller
from aiguillage.plugins.mssante.imap import (
    ImapClient,
    ImapConnectionError,
    ImapError,
    InsecureServer,
    connect,
    decode_mailbox,
    encode_mailbox,
    parse_response,
    parse_url,
    quote,
    uid_set,
)
from aiguillage.plugins.mssante.mailstore import MailStore
from aiguillage.security.credentials import client_context, load_credential, server_context

from .dovecot import Dovecot, running_dovecot

WAIT = 15.0  # the longest any test waits for the server to act


def mail(n: int, body: bytes = b"Bonjour.\r\n") -> bytes:
    return (
        b"From: <labo@laboratoire.mssante.fr>\r\n"
        b"To: <cabinet.test@medecin.mssante.fr>\r\n"
        b"Subject: =?utf-8?q?R=C3=A9sultat?= %d\r\n"
        b"Message-ID: <r%d@laboratoire.mssante.fr>\r\n"
        b"Date: Sun, 01 Mar 2026 10:00:00 +0100\r\n"
        b"\r\n" % (n, n)
    ) + body


def parse(raw: bytes) -> dict:
    """A parser for these tests: the headers the store keeps, from the standard library."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    return {
        "message_id": message["Message-ID"],
        "sender": message["From"].addresses[0].addr_spec,
        "subject": str(message["Subject"]),
        "date": message["Date"].datetime.isoformat(),
    }


@pytest.fixture
def dovecot(pki) -> Iterator[Dovecot]:
    with running_dovecot(pki) as server:
        yield server


@pytest.fixture
def tls(pki) -> ssl.SSLContext:
    return client_context(load_credential(pki.p12("structure-auth"), pki.password), pki.ca_bundle)


@pytest.fixture
async def imap(dovecot: Dovecot, tls: ssl.SSLContext) -> AsyncIterator[ImapClient]:
    async with connect(dovecot.url, ssl_context=tls, timeout=WAIT) as client:
        await client.login(dovecot.user, dovecot.password)
        yield client


@pytest.fixture
def store(tmp_path: Path) -> Iterator[MailStore]:
    store = MailStore(tmp_path / "mail.db")
    yield store
    store.close()


async def flags_of(client: ImapClient, mailbox: str = "INBOX") -> dict[int, set[str]]:
    await client.select(mailbox)
    uids = await client.uid_search("ALL")
    if not uids:
        return {}
    return {f.uid: set(f.flags) for f in await client.uid_fetch(uids, body=False)}


# --- the response grammar ------------------------------------------------------------------


def test_a_fetch_response_with_a_literal() -> None:
    r = parse_response(
        b"* 12 FETCH (UID 5 FLAGS (\\Seen $MDNSent) BODY[] {13}\r\nhello)\r\n{3}\r\n"
        b' INTERNALDATE "01-Mar-2026 10:00:00 +0100" BODY[HEADER.FIELDS (FROM)] NIL)\r\n'
    )
    assert (r.tag, r.number, r.kind) == ("*", 12, "FETCH")
    [items] = r.data
    assert items == [
        "UID",
        "5",
        "FLAGS",
        ["\\Seen", "$MDNSent"],
        "BODY[]",
        b"hello)\r\n{3}\r\n",
        "INTERNALDATE",
        b"01-Mar-2026 10:00:00 +0100",
        "BODY[HEADER.FIELDS (FROM)]",
        None,
    ]


def test_status_responses_and_codes() -> None:
    r = parse_response(b"* OK [UIDVALIDITY 3857529045] UIDs valid\r\n")
    assert (r.kind, r.code, r.code_data, r.text) == (
        "OK",
        "UIDVALIDITY",
        "3857529045",
        "UIDs valid",
    )
    r = parse_response(b"A0003 NO [ALERT] Client didn't present valid SSL certificate\r\n")
    assert (r.tag, r.kind, r.code, r.text) == (
        "A0003",
        "NO",
        "ALERT",
        "Client didn't present valid SSL certificate",
    )
    r = parse_response(b"* 3 EXISTS\r\n")
    assert (r.kind, r.number) == ("EXISTS", 3)
    assert parse_response(b"+ idling\r\n").tag == "+"
    assert parse_response(b"* SEARCH\r\n").data == []
    # Free text after a status is not tokenised: unbalanced quotes and parentheses are fine.
    assert parse_response(b"* OK it's \"odd (really\r\n").text == "it's \"odd (really"


def test_quoted_strings_and_lists() -> None:
    r = parse_response(b'* LIST (\\HasNoChildren \\Sent) "/" "a \\"b\\" \\\\ c"\r\n')
    assert r.data == [["\\HasNoChildren", "\\Sent"], b"/", b'a "b" \\ c']


@pytest.mark.parametrize(
    "line",
    [b"* 1 FETCH (UID 1\r\n", b'* LIST () "/" "open\r\n', b"* 1 FETCH (BODY[] {9}\r\nshort)\r\n"],
)
def test_malformed_responses_are_refused(line: bytes) -> None:
    with pytest.raises(ImapConnectionError, match="not an IMAP response"):
        parse_response(line)


def test_arguments() -> None:
    assert uid_set([7, 1, 2, 3, 9, 10]) == "1:3,7,9:10"
    assert uid_set([4]) == "4"
    with pytest.raises(ValueError, match="no UID"):
        uid_set([])
    assert quote('a "b" \\') == '"a \\"b\\" \\\\"'
    assert quote("pässword").data == "pässword".encode()  # a literal, not a quoted string
    assert encode_mailbox("Envoyés") == "Envoy&AOk-s"
    assert encode_mailbox("~peter/mail/台北/日本語") == "~peter/mail/&U,BTFw-/&ZeVnLIqe-"
    assert decode_mailbox("~peter/mail/&U,BTFw-/&ZeVnLIqe-") == "~peter/mail/台北/日本語"
    assert decode_mailbox(encode_mailbox("A&B")) == "A&B"
    assert parse_url("imap://mail.example") == ("mail.example", 143, False)
    assert parse_url("imaps://mail.example:1993") == ("mail.example", 1993, True)
    with pytest.raises(ValueError, match="expected imap://"):
        parse_url("smtp://mail.example")


# --- a scripted peer -----------------------------------------------------------------------


class ScriptedPeer:
    """An IMAP server doing only what a test needs: STARTTLS (or not), LOGIN, APPEND,
    LOGOUT; synchronising literals only, unless it announces LITERAL+. It records every
    command and literal."""

    def __init__(
        self,
        pki,
        *,
        capabilities: str = "IMAP4rev1 STARTTLS",
        greeting: str = "* OK scripted peer ready",
        after_starttls: bytes = b"",
    ) -> None:
        self.context = server_context(load_credential(pki.p12("server"), pki.password), None)
        self.capabilities = capabilities
        self.greeting = greeting
        self.after_starttls = after_starttls
        self.lines: list[str] = []
        self.literals: list[bytes] = []
        self.violations: list[str] = []
        self.port = 0

    async def __aenter__(self) -> ScriptedPeer:
        self.server = await asyncio.start_server(self.serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.server.close()

    @property
    def url(self) -> str:
        return f"imap://127.0.0.1:{self.port}"

    def commands(self) -> list[str]:
        return [line.split(" ")[1].upper() for line in self.lines if " " in line]

    async def command(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, caps: str
    ) -> str | None:
        """One command, its literals read (and asked for, when synchronising)."""
        text = ""
        while line := await reader.readline():
            text += line.decode().rstrip("\r\n")
            literal = re.search(r"\{(\d+)(\+?)\}$", text)
            if literal is None:
                self.lines.append(text)
                return text
            if literal[2] and "LITERAL+" not in caps:
                self.violations.append(text)  # a LITERAL+ the server never offered
            elif not literal[2]:
                writer.write(b"+ go ahead\r\n")
                await writer.drain()
            self.literals.append(await reader.readexactly(int(literal[1])))
            text += "<literal>"
        return None

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        caps = self.capabilities
        writer.write(self.greeting.encode() + b"\r\n")
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            while line := await self.command(reader, writer, caps):
                tag, _, rest = line.partition(" ")
                command = rest.split(" ")[0].upper()
                if self.violations:
                    writer.write(f"{tag} BAD LITERAL+ was not offered\r\n".encode())
                elif command == "CAPABILITY":
                    writer.write(f"* CAPABILITY {caps}\r\n{tag} OK done\r\n".encode())
                elif command == "STARTTLS":
                    writer.write(f"{tag} OK begin TLS\r\n".encode() + self.after_starttls)
                    await writer.drain()
                    await writer.start_tls(self.context)
                    caps = caps.replace(" STARTTLS", "")
                elif command in ("LOGIN", "APPEND"):
                    writer.write(f"{tag} OK {command} done\r\n".encode())
                elif command == "LOGOUT":
                    writer.write(f"* BYE bye\r\n{tag} OK done\r\n".encode())
                    break
                else:
                    writer.write(f"{tag} BAD not scripted\r\n".encode())
                await writer.drain()
        writer.close()


async def test_no_starttls_means_nothing_is_sent(pki, tls) -> None:
    async with ScriptedPeer(pki, capabilities="IMAP4rev1 AUTH=PLAIN") as peer:
        with pytest.raises(InsecureServer, match="STARTTLS"):
            async with connect(peer.url, ssl_context=tls, timeout=5) as client:
                await client.login("user", "secret")
    assert peer.commands() == ["CAPABILITY"]
    assert not any("secret" in line for line in peer.lines)


async def test_a_preauthenticated_clear_connection_is_refused(pki, tls) -> None:
    async with ScriptedPeer(pki, greeting="* PREAUTH welcome") as peer:
        with pytest.raises(InsecureServer, match="pre-authenticated"):
            await connect(peer.url, ssl_context=tls, timeout=5).open()


async def test_bytes_injected_in_clear_after_starttls_are_refused(pki, tls) -> None:
    async with ScriptedPeer(pki, after_starttls=b"* CAPABILITY IMAP4rev1 INJECTED\r\n") as peer:
        with pytest.raises(ImapConnectionError, match="in clear"):
            await connect(peer.url, ssl_context=tls, timeout=5).open()


async def test_synchronising_literals_without_literal_plus(pki, tls) -> None:
    async with ScriptedPeer(pki) as peer:
        async with connect(peer.url, ssl_context=tls, timeout=5) as client:
            assert "STARTTLS" not in client.capabilities  # forgotten once in TLS, asked again
            await client.login("user", "pässword")  # a literal, since it is not ASCII
            await client.append("INBOX", mail(1))
    assert peer.violations == []
    assert peer.literals == ["pässword".encode(), mail(1)]
    assert peer.commands() == [
        "CAPABILITY",
        "STARTTLS",
        "CAPABILITY",
        "LOGIN",
        "CAPABILITY",  # what the server can do once logged in
        "APPEND",
        "LOGOUT",
    ]


# --- Dovecot -------------------------------------------------------------------------------


async def test_login_needs_the_client_certificate(dovecot: Dovecot, pki, tls) -> None:
    async with connect(dovecot.url, ssl_context=tls, timeout=WAIT) as client:
        await client.login(dovecot.user, dovecot.password)
        assert "IDLE" in client.capabilities
    log = dovecot.log.read_text()
    assert re.search(r"Login: user=<cabinet\.test@medecin\.mssante\.fr>.*\bTLS\b", log)
    # Refusals last: Dovecot slows down the logins that follow a failed one.
    no_certificate = client_context(None, pki.ca_bundle)
    async with connect(dovecot.url, ssl_context=no_certificate, timeout=WAIT) as client:
        with pytest.raises(ImapError) as refused:
            await client.login(dovecot.user, dovecot.password)
    assert refused.value.status == "NO"
    assert "certificate" in refused.value.text
    async with connect(dovecot.url, ssl_context=tls, timeout=WAIT) as client:
        with pytest.raises(ImapError, match="AUTHENTICATIONFAILED"):
            await client.login(dovecot.user, "wrong password")


async def test_append_search_fetch_store(imap: ImapClient) -> None:
    box = await imap.select("INBOX")
    assert box.exists == 0 and box.uidvalidity > 0
    big = mail(3, b"x" * 76 + b"\r\n") * 20000  # 1.5 MB: a literal read in many chunks
    messages = [mail(1), mail(2, "Résultat {5}\r\n.\r\n".encode()), big]
    uids = [await imap.append("INBOX", m) for m in messages]
    assert uids == sorted(uids) and len(set(uids)) == 3
    assert await imap.uid_search("ALL") == uids
    assert await imap.uid_search(f"UID {uids[1]}:*") == uids[1:]
    fetched = await imap.uid_fetch(uids)
    assert [f.raw for f in fetched] == messages
    assert all("\\Seen" not in f.flags for f in fetched)  # fetching did not mark them seen
    assert await imap.uid_search("UNSEEN") == uids
    await imap.uid_store([uids[0], uids[2]], ["\\Seen"])
    assert await imap.uid_search("UNSEEN") == [uids[1]]
    flags = await flags_of(imap)
    assert "\\Seen" in flags[uids[0]] and "\\Seen" not in flags[uids[1]]
    assert await imap.uid_fetch([uids[2] + 100]) == []
    box = await imap.select("INBOX")
    assert box.exists == 3 and box.uidnext == uids[2] + 1
    with pytest.raises(ValueError, match="NUL"):
        await imap.append("INBOX", b"Subject: x\r\n\r\n\0")


async def test_commands_refused_by_the_server(imap: ImapClient) -> None:
    with pytest.raises(ImapError) as refused:
        await imap.select("Nowhere")
    assert refused.value.status == "NO" and "Nowhere" in refused.value.text
    with pytest.raises(ImapError) as refused:
        await imap.append("Nowhere", mail(1))
    assert refused.value.code == "TRYCREATE"
    await imap.create("Envoyés")
    assert await imap.append("Envoyés", mail(1)) == 1
    assert "Envoyés" in [m.name for m in await imap.list_mailboxes()]
    await imap.select("INBOX")  # the connection is still usable after refusals


async def test_idle_wakes_up_when_another_connection_appends(
    imap: ImapClient, dovecot: Dovecot, tls
) -> None:
    await imap.select("INBOX")
    started = time.monotonic()
    assert await imap.idle(0.3) == []  # nothing happened: back after the wait
    assert time.monotonic() - started < WAIT
    waiting = asyncio.create_task(imap.idle(WAIT * 2))
    async with connect(dovecot.url, ssl_context=tls, timeout=WAIT) as other:
        await other.login(dovecot.user, dovecot.password)
        await other.append("INBOX", mail(1))
    started = time.monotonic()
    changes = await asyncio.wait_for(waiting, WAIT)
    assert time.monotonic() - started < WAIT
    assert any(c.kind == "EXISTS" and c.number == 1 for c in changes)
    # The IDLE ended cleanly: the same connection goes on.
    assert await imap.uid_search("ALL") == [1]


async def test_a_cancelled_idle_closes_the_connection(imap: ImapClient) -> None:
    await imap.select("INBOX")
    waiting = asyncio.create_task(imap.idle(60))
    await asyncio.sleep(0.2)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert not imap.connected
    with pytest.raises(ImapConnectionError):
        await imap.noop()


# --- the poller ----------------------------------------------------------------------------


async def append_all(client: ImapClient, messages: list[bytes], mailbox: str = "INBOX") -> list:
    return [await client.append(mailbox, m) for m in messages]


def committed_uids(path: Path) -> set[int]:
    """What another connection sees: only committed rows."""
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT uid FROM received")}
    finally:
        conn.close()


async def test_poller_stores_then_marks_seen(imap: ImapClient, store: MailStore, tmp_path) -> None:
    uids = await append_all(imap, [mail(1), mail(2), mail(3)])
    marked: list[int] = []
    store_seen = imap.uid_store

    async def checking_store(stored_uids, flags, mode="+FLAGS.SILENT"):
        for uid in stored_uids:
            assert uid in committed_uids(tmp_path / "mail.db"), "marked seen before commit"
        marked.extend(stored_uids)
        await store_seen(stored_uids, flags, mode)

    imap.uid_store = checking_store
    told = []
    stored = await poller.poll_once(imap, store, parse, on_stored=told.append)
    assert marked == uids
    assert [m.uid for m in stored] == uids == [m.uid for m in told]
    assert stored[1].subject == "Résultat 2"
    assert stored[1].message_id == "<r2@laboratoire.mssante.fr>"
    assert store.raw(stored[2].id) == mail(3)
    assert all("\\Seen" in f for f in (await flags_of(imap)).values())
    # Nothing new: nothing fetched (the search "n:*" answers the last UID, which is old).
    fetched = []
    real_fetch = imap.uid_fetch

    async def spying_fetch(uids, **kwargs):
        fetched.extend(uids)
        return await real_fetch(uids, **kwargs)

    imap.uid_fetch = spying_fetch
    assert await poller.poll_once(imap, store, parse) == []
    assert fetched == []


async def test_a_store_failing_once_loses_nothing(imap: ImapClient, store: MailStore) -> None:
    uids = await append_all(imap, [mail(1), mail(2), mail(3)])
    real = store.store_received
    calls = 0

    async def failing_once(**row):
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError("disk I/O error")
        return await real(**row)

    store.store_received = failing_once
    with pytest.raises(OSError, match="disk"):
        await poller.poll_once(imap, store, parse)
    flags = await flags_of(imap)
    assert "\\Seen" in flags[uids[0]]
    assert "\\Seen" not in flags[uids[1]] and "\\Seen" not in flags[uids[2]]
    assert store.last_uid("INBOX", (await imap.select()).uidvalidity) == uids[0]
    again = await poller.poll_once(imap, store, parse)
    assert [m.uid for m in again] == uids[1:]
    found, _ = store.list_received()
    assert sorted(m.uid for m in found) == uids  # each once
    assert all("\\Seen" in f for f in (await flags_of(imap)).values())


async def test_a_parser_failing_once_loses_nothing(imap: ImapClient, store: MailStore) -> None:
    uids = await append_all(imap, [mail(1), mail(2)])
    failed = []

    def parse_failing_once(raw: bytes) -> dict:
        if b"<r1@" in raw and not failed:
            failed.append(raw)
            raise RuntimeError("parser crashed")
        return parse(raw)

    with pytest.raises(poller.ParseFailed, match="parser crashed"):
        await poller.poll_once(imap, store, parse_failing_once)
    assert store.list_received()[0] == []
    assert all("\\Seen" not in f for f in (await flags_of(imap)).values())
    stored = await poller.poll_once(imap, store, parse_failing_once)
    assert [m.uid for m in stored] == uids
    assert stored[0].parse_error is None and stored[0].subject == "Résultat 1"


async def test_a_message_the_parser_always_fails_on_is_kept_unparsed(
    imap: ImapClient, store: MailStore
) -> None:
    uids = await append_all(imap, [mail(1), mail(2)])

    def parse_failing_on_first(raw: bytes) -> dict:
        if b"<r1@" in raw:
            raise ValueError("cannot read this one")
        return parse(raw)

    for _ in range(poller.MAX_PARSE_ATTEMPTS - 1):
        with pytest.raises(poller.ParseFailed):
            await poller.poll_once(imap, store, parse_failing_on_first)
    stored = await poller.poll_once(imap, store, parse_failing_on_first)
    assert [m.uid for m in stored] == uids
    assert stored[0].parsed is None and "cannot read this one" in stored[0].parse_error
    assert store.raw(stored[0].id) == mail(1)
    assert stored[1].subject == "Résultat 2"


async def test_a_poll_cancelled_between_fetch_and_store_loses_nothing(
    imap: ImapClient, store: MailStore, dovecot: Dovecot, tls
) -> None:
    [uid] = await append_all(imap, [mail(1)])
    parsing, release = threading.Event(), threading.Event()

    def slow_parse(raw: bytes) -> dict:
        parsing.set()
        release.wait(WAIT)
        return parse(raw)

    polling = asyncio.create_task(poller.poll_once(imap, store, slow_parse))
    await asyncio.to_thread(parsing.wait, WAIT)
    polling.cancel()  # the daemon stops (or dies) while the message is only in memory
    with pytest.raises(asyncio.CancelledError):
        await polling
    release.set()
    assert store.list_received()[0] == []
    async with connect(dovecot.url, ssl_context=tls, timeout=WAIT) as again:
        await again.login(dovecot.user, dovecot.password)
        assert "\\Seen" not in (await flags_of(again))[uid]
        [stored] = await poller.poll_once(again, store, parse)
        assert stored.uid == uid
        assert "\\Seen" in (await flags_of(again))[uid]


async def test_poller_resumes_from_the_last_uid_after_a_restart(
    imap: ImapClient, tmp_path: Path
) -> None:
    path = tmp_path / "restart.db"
    first = await append_all(imap, [mail(1), mail(2)])
    store = MailStore(path)
    assert len(await poller.poll_once(imap, store, parse)) == 2
    store.close()
    # The server's flags are not what tells new from old: unmark them, they stay old.
    await imap.uid_store(first, ["\\Seen"], mode="-FLAGS.SILENT")
    [third] = await append_all(imap, [mail(3)])
    fetched: list[int] = []
    real_fetch = imap.uid_fetch

    async def spying_fetch(uids, **kwargs):
        fetched.extend(uids)
        return await real_fetch(uids, **kwargs)

    imap.uid_fetch = spying_fetch
    store = MailStore(path)
    try:
        stored = await poller.poll_once(imap, store, parse)
        assert [m.uid for m in stored] == [third] == fetched
        found, _ = store.list_received()
        assert sorted(m.uid for m in found) == [*first, third]
    finally:
        store.close()


async def test_a_new_uidvalidity_fetches_everything_again(
    imap: ImapClient, store: MailStore
) -> None:
    await imap.create("Lab")
    await append_all(imap, [mail(1), mail(2)], "Lab")
    assert len(await poller.poll_once(imap, store, parse, mailbox="Lab")) == 2
    old = (await imap.select("Lab")).uidvalidity
    await imap.select("INBOX")
    await imap.delete("Lab")
    await imap.create("Lab")  # renumbered: UIDs start again at 1 under a new UIDVALIDITY
    [uid] = await append_all(imap, [mail(3)], "Lab")
    new = (await imap.select("Lab")).uidvalidity
    assert new != old and uid == 1
    [stored] = await poller.poll_once(imap, store, parse, mailbox="Lab")
    assert (stored.uid, stored.uidvalidity, stored.subject) == (1, new, "Résultat 3")
    found, _ = store.list_received()
    assert len(found) == 3  # the old numbering's rows are kept


async def test_run_idles_reconnects_and_stops(dovecot: Dovecot, tls, store: MailStore) -> None:
    opened: list[ImapClient] = []
    open_client = poller.account(
        dovecot.url, ssl_context=tls, login=dovecot.user, password=dovecot.password, timeout=WAIT
    )

    idle_waits: list[float] = []

    async def tracked() -> ImapClient:
        client = await open_client()
        opened.append(client)
        idle = client.idle

        async def recorded_idle(wait: float):
            idle_waits.append(wait)
            return await idle(wait)

        client.idle = recorded_idle
        return client

    arrived: asyncio.Queue = asyncio.Queue()
    status = poller.PollerStatus()
    running = asyncio.create_task(
        poller.run(
            tracked,
            store,
            parse,
            on_stored=arrived.put,
            backoff=(0.05, 0.2),
            idle_max=3600.0,
            status=status,
        )
    )
    try:
        async with connect(dovecot.url, ssl_context=tls, timeout=WAIT) as sender:
            await sender.login(dovecot.user, dovecot.password)
            await sender.append("INBOX", mail(1))
            first = await asyncio.wait_for(arrived.get(), WAIT)
            assert first.subject == "Résultat 1"
            await wait_until(lambda: status.idle)
            # The network drops under the idling poller: it connects again by itself.
            opened[0]._writer.transport.abort()
            await sender.append("INBOX", mail(2))
            second = await asyncio.wait_for(arrived.get(), WAIT)
            assert second.subject == "Résultat 2"
            assert len(opened) >= 2
    finally:
        await stop(running)
    assert idle_waits and max(idle_waits) <= poller.IDLE_MAX  # RFC 2177: at most 29 minutes
    assert not status.connected
    assert all(not c.connected for c in opened)


async def test_run_polls_at_an_interval_without_idle(pki, tls, store: MailStore) -> None:
    with running_dovecot(pki, capability="IMAP4rev1 UIDPLUS") as server:
        arrived: asyncio.Queue = asyncio.Queue()
        status = poller.PollerStatus()
        open_client = poller.account(
            server.url, ssl_context=tls, login=server.user, password=server.password
        )
        running = asyncio.create_task(
            poller.run(
                open_client,
                store,
                parse,
                on_stored=arrived.put,
                poll_interval=0.2,
                status=status,
            )
        )
        try:
            async with connect(server.url, ssl_context=tls, timeout=WAIT) as sender:
                await sender.login(server.user, server.password)
                assert "LITERAL+" not in sender.capabilities
                await sender.append("INBOX", mail(1))  # a synchronising literal, on Dovecot
            message = await asyncio.wait_for(arrived.get(), WAIT)
            assert message.subject == "Résultat 1"
            assert not status.idle and status.last_poll is not None
        finally:
            await stop(running)


async def stop(task: asyncio.Task) -> None:
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=WAIT)
    assert task in done and task.cancelled(), "the poller did not stop when cancelled"


async def wait_until(condition, limit: float = WAIT) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)
