"""An IMAP4rev1 client (RFC 3501) on asyncio streams: what the MSSanté inbox needs, nothing more.

Why not aioimaplib: its 2.0.3 release lists STARTTLS among its commands but cannot upgrade the
connection to TLS afterwards (it opens its transport once, in the clear or in TLS, and has no
``start_tls`` step), and MSSanté's IMAP on port 143 accepts nothing before STARTTLS. Python's
``StreamWriter.start_tls`` does the upgrade, so the client is written on asyncio streams.

Used: greeting, CAPABILITY, STARTTLS (required on ``imap://``; ``imaps://`` is TLS from the
start), LOGIN, SELECT/EXAMINE, LIST, CREATE, UID SEARCH, UID FETCH, UID STORE, APPEND
(synchronising literals, or LITERAL+ when offered), IDLE (RFC 2177), NOOP, LOGOUT.

A command the server answers NO or BAD raises ``ImapError`` with its text; a connection that
can no longer be trusted (closed, BYE, not IMAP, a timeout mid-command, a cancelled command)
raises ``ImapConnectionError`` — an ``OSError`` — and is closed.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import logging
import re
import ssl
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger("aiguillage.plugins.mssante")

PORTS = {"imap": 143, "imaps": 993}
#: The longest line read (a SEARCH answer over a large mailbox is one line).
LINE_LIMIT = 8 * 1024 * 1024
#: The largest literal accepted from the server unless the client is told otherwise.
MAX_LITERAL = 64 * 1024 * 1024
STATUS = frozenset({"OK", "NO", "BAD", "BYE", "PREAUTH"})
#: Untagged answers that mean the mailbox changed: what ends an IDLE.
CHANGES = frozenset({"EXISTS", "EXPUNGE", "FETCH", "RECENT"})
_LITERAL_AT_END = re.compile(rb"\{(\d+)\+?\}\r?\n\Z")
_STORE_MODES = frozenset(
    f"{sign}FLAGS{silent}" for sign in ("", "+", "-") for silent in ("", ".SILENT")
)
_MONTHS = ("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec").split()


class ImapError(Exception):
    """A command refused: ``status`` is the server's ``NO`` or ``BAD`` (``text`` its words,
    ``code`` its response code such as ``TRYCREATE``), or ``REFUSED`` when the client itself
    would not go on."""

    def __init__(self, command: str, status: str, text: str, code: str | None = None) -> None:
        super().__init__(f"{command}: {status} {f'[{code}] ' if code else ''}{text}")
        self.command = command
        self.status = status
        self.text = text
        self.code = code


class InsecureServer(ImapError):
    """The server does not offer STARTTLS on an ``imap://`` URL: nothing is sent in clear."""


class ImapConnectionError(ConnectionError):
    """The connection is gone or unusable: closed, BYE, an answer that is not IMAP."""


@dataclass(frozen=True)
class Response:
    """One server response: ``tag`` is ``*``, ``+`` or a command's tag; ``kind`` the status
    (``OK``…) or data name (``FETCH``…), upper case; ``number`` the message number or count of
    ``* 3 EXISTS``; ``code``/``code_data`` a status's response code; ``text`` a status's
    words; ``data`` the parsed tokens of a data response: ``str`` atoms, ``bytes`` strings,
    ``None`` for NIL, ``list`` for parenthesised lists."""

    tag: str
    kind: str
    number: int | None = None
    code: str | None = None
    code_data: str = ""
    text: str = ""
    data: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class Mailbox:
    name: str
    uidvalidity: int
    exists: int
    uidnext: int | None
    flags: tuple[str, ...]
    read_only: bool


@dataclass(frozen=True)
class MailboxInfo:
    name: str
    delimiter: str | None
    flags: tuple[str, ...]


@dataclass(frozen=True)
class Fetched:
    uid: int
    flags: tuple[str, ...]
    raw: bytes | None  # the whole message; None when only flags were asked for


class _Literal:
    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


# --- the response grammar (RFC 3501 section 9, for what is used) ---------------------------


class _Parser:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def fail(self, what: str) -> ImapConnectionError:
        excerpt = self.data[:200].decode("utf-8", "replace").rstrip()
        return ImapConnectionError(f"not an IMAP response ({what} at {self.pos}): {excerpt!r}")

    def space(self) -> None:
        if self.data[self.pos : self.pos + 1] != b" ":
            raise self.fail("a space expected")
        self.pos += 1

    def skip_spaces(self) -> None:
        while self.data[self.pos : self.pos + 1] == b" ":
            self.pos += 1

    def word(self) -> str:
        """Up to the next space or end of line (tags, response names)."""
        start = self.pos
        while self.pos < len(self.data) and self.data[self.pos] not in b" \r\n":
            self.pos += 1
        if self.pos == start:
            raise self.fail("a word expected")
        return self.data[start : self.pos].decode("ascii", "replace")

    def rest(self) -> str:
        text = self.data[self.pos :].rstrip(b"\r\n")
        self.pos = len(self.data)
        return text.decode("utf-8", "replace")

    def resp_text(self) -> tuple[str | None, str, str]:
        """``[code data] text`` after a status word."""
        self.skip_spaces()
        code, code_data = None, ""
        if self.data[self.pos : self.pos + 1] == b"[":
            end = self.data.find(b"]", self.pos)
            if end < 0:
                raise self.fail("an unclosed response code")
            inside = self.data[self.pos + 1 : end].decode("utf-8", "replace")
            code, _, code_data = inside.partition(" ")
            code = code.upper()
            self.pos = end + 1
            self.skip_spaces()
        return code, code_data, self.rest()

    def tokens(self, closing: bytes | None = None) -> list[Any]:
        out: list[Any] = []
        while True:
            self.skip_spaces()
            if self.pos >= len(self.data) or self.data[self.pos] in b"\r\n":
                if closing is not None:
                    raise self.fail("an unclosed list")
                return out
            char = self.data[self.pos : self.pos + 1]
            if char == b")":
                if closing is None:
                    raise self.fail("an unexpected ')'")
                self.pos += 1
                return out
            out.append(self.token())

    def token(self) -> Any:
        char = self.data[self.pos : self.pos + 1]
        if char == b"(":
            self.pos += 1
            return self.tokens(closing=b")")
        if char == b'"':
            return self.quoted()
        if char == b"{":
            return self.literal()
        return self.atom()

    def quoted(self) -> bytes:
        self.pos += 1
        out = bytearray()
        while self.pos < len(self.data):
            char = self.data[self.pos]
            if char == 0x5C:  # backslash: the next character stands for itself
                self.pos += 1
                if self.pos >= len(self.data):
                    break
                out.append(self.data[self.pos])
            elif char == 0x22:
                self.pos += 1
                return bytes(out)
            elif char in b"\r\n":
                break
            else:
                out.append(char)
            self.pos += 1
        raise self.fail("an unclosed quoted string")

    def literal(self) -> bytes:
        match = re.compile(rb"\{(\d+)\+?\}\r?\n").match(self.data, self.pos)
        if match is None:
            raise self.fail("a malformed literal")
        size = int(match.group(1))
        start = match.end()
        if start + size > len(self.data):
            raise self.fail("a short literal")
        self.pos = start + size
        return self.data[start : self.pos]

    def atom(self) -> str | None:
        start = self.pos
        depth = 0
        while self.pos < len(self.data):
            char = self.data[self.pos : self.pos + 1]
            if char == b"[":
                depth += 1  # a section: BODY[HEADER.FIELDS (FROM)] is one atom
            elif char == b"]":
                depth = max(depth - 1, 0)
            elif depth == 0 and (char in b' ()"{' or char in b"\r\n"):
                break
            self.pos += 1
        if self.pos == start:
            raise self.fail("an atom expected")
        text = self.data[start : self.pos].decode("utf-8", "replace")
        return None if text.upper() == "NIL" else text


def parse_response(data: bytes) -> Response:
    """One response, literals included, as read off the wire."""
    p = _Parser(data)
    tag = p.word()
    if tag == "+":
        p.skip_spaces()
        return Response("+", "", text=p.rest())
    p.space()
    first = p.word()
    number = None
    if first.isdigit():
        number = int(first)
        p.space()
        first = p.word()
    kind = first.upper()
    if kind in STATUS and number is None:
        code, code_data, text = p.resp_text()
        return Response(tag, kind, None, code, code_data, text)
    return Response(tag, kind, number, data=p.tokens())


# --- what commands send --------------------------------------------------------------------


def quote(text: str) -> str | _Literal:
    """A string argument: quoted, or a literal for what a quoted string cannot hold."""
    raw = text.encode("utf-8")
    if any(b in b"\r\n\0" or b > 0x7E for b in raw):
        return _Literal(raw)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def encode_mailbox(name: str) -> str:
    """A mailbox name in IMAP's modified UTF-7 (RFC 3501 section 5.1.3)."""
    out, pending = [], []

    def flush() -> None:
        if pending:
            data = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(data).decode().rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)


def decode_mailbox(name: str) -> str:
    def one(match: re.Match[str]) -> str:
        body = match.group(1)
        if not body:
            return "&"
        data = body.replace(",", "/")
        data += "=" * (-len(data) % 4)
        return base64.b64decode(data).decode("utf-16-be")

    return re.sub(r"&([^-]*)-", one, name)


def uid_set(uids: Iterable[int]) -> str:
    """``1:3,7`` for 1, 2, 3 and 7."""
    ordered = sorted(set(uids))
    if not ordered:
        raise ValueError("no UID given")
    if ordered[0] < 1:
        raise ValueError(f"not a UID: {ordered[0]}")
    ranges, start, prev = [], ordered[0], ordered[0]
    for uid in ordered[1:]:
        if uid != prev + 1:
            ranges.append(f"{start}:{prev}" if prev != start else str(start))
            start = uid
        prev = uid
    ranges.append(f"{start}:{prev}" if prev != start else str(start))
    return ",".join(ranges)


def imap_date(when: dt.datetime) -> str:
    if when.tzinfo is None:
        raise ValueError("the APPEND date must carry its offset")
    offset = when.utcoffset() or dt.timedelta()
    sign = "-" if offset < dt.timedelta() else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return (
        f'"{when.day:02d}-{_MONTHS[when.month - 1]}-{when.year:04d} '
        f'{when:%H:%M:%S} {sign}{minutes // 60:02d}{minutes % 60:02d}"'
    )


def parse_url(url: str) -> tuple[str, int, bool]:
    """``(host, port, implicit TLS)`` of an ``imap://`` or ``imaps://`` URL."""
    parts = urlsplit(url)
    if parts.scheme not in PORTS or not parts.hostname:
        raise ValueError(f"IMAP endpoint {url!r}: expected imap://host[:port] or imaps://…")
    try:
        port = parts.port or PORTS[parts.scheme]
    except ValueError:
        raise ValueError(f"IMAP endpoint {url!r}: not a port number") from None
    return parts.hostname, port, parts.scheme == "imaps"


# --- the client ----------------------------------------------------------------------------


def connect(
    url: str, *, ssl_context: ssl.SSLContext, timeout: float = 30.0, max_literal: int = MAX_LITERAL
) -> ImapClient:
    """``async with connect(url, ssl_context=ctx, timeout=10) as imap:``: connected and in TLS
    inside the block (log in next), logged out after."""
    return ImapClient(url, ssl_context=ssl_context, timeout=timeout, max_literal=max_literal)


class ImapClient:
    """``async with ImapClient("imap://host:143", ssl_context=ctx) as imap:`` connects and
    upgrades to TLS; then ``await imap.login(user, password)``; leaving the block logs out."""

    def __init__(
        self,
        url: str,
        *,
        ssl_context: ssl.SSLContext,
        timeout: float = 30.0,
        max_literal: int = MAX_LITERAL,
    ) -> None:
        self.host, self.port, self.implicit_tls = parse_url(url)
        self.ssl_context = ssl_context
        self.timeout = timeout
        self.max_literal = max_literal
        self.capabilities: frozenset[str] = frozenset()
        self.selected: Mailbox | None = None
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._lock = asyncio.Lock()
        self._tags = 0
        self._bye: str | None = None

    async def __aenter__(self) -> ImapClient:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._writer is not None:
            with contextlib.suppress(ImapError, OSError, TimeoutError):
                await self.logout()
        await self.close()

    # connection

    async def open(self) -> None:
        """Connect, read the greeting and, on ``imap://``, upgrade with STARTTLS before
        anything else is said."""
        try:
            async with asyncio.timeout(self.timeout):
                self._reader, self._writer = await asyncio.open_connection(
                    self.host,
                    self.port,
                    ssl=self.ssl_context if self.implicit_tls else None,
                    server_hostname=self.host if self.implicit_tls else None,
                    limit=LINE_LIMIT,
                )
            greeting = await self._read()
            if greeting.tag != "*" or greeting.kind not in ("OK", "PREAUTH", "BYE"):
                raise ImapConnectionError(f"not an IMAP greeting: {greeting}")
            if greeting.kind == "BYE":
                raise ImapConnectionError(f"the server refused the connection: {greeting.text}")
            if not self.implicit_tls:
                if greeting.kind == "PREAUTH":
                    # RFC 3501: no STARTTLS once authenticated; the session would stay in clear.
                    raise InsecureServer("STARTTLS", "REFUSED", "the server pre-authenticated")
                await self.capability()
                if "STARTTLS" not in self.capabilities:
                    raise InsecureServer(
                        "STARTTLS", "REFUSED", "the server does not offer STARTTLS"
                    )
                await self._run("STARTTLS")
                await self._start_tls()
            await self.capability()
        except BaseException:
            await self.close()
            raise

    async def _start_tls(self) -> None:
        assert self._reader is not None and self._writer is not None
        # Bytes already buffered came in clear after the server's OK: an injection
        # (CVE-2011-0411 kind), never to be read as if it had come through TLS.
        if self._reader._buffer:  # no public API tells whether the reader holds bytes
            raise ImapConnectionError("the server sent data in clear after agreeing to STARTTLS")
        await self._writer.start_tls(
            self.ssl_context, server_hostname=self.host, ssl_handshake_timeout=self.timeout
        )
        self.capabilities = frozenset()  # RFC 3501 6.2.1: forget what was said in clear

    async def close(self) -> None:
        writer, self._writer, self._reader = self._writer, None, None
        self.selected = None
        if writer is None:
            return
        writer.close()
        with contextlib.suppress(OSError, TimeoutError, ssl.SSLError):
            async with asyncio.timeout(2):
                await writer.wait_closed()

    @property
    def connected(self) -> bool:
        return self._writer is not None

    # commands

    async def capability(self) -> frozenset[str]:
        untagged, _ = await self._run("CAPABILITY")
        found = [r for r in untagged if r.kind == "CAPABILITY"]
        if not found:
            raise ImapConnectionError("CAPABILITY answered without a capability list")
        return self.capabilities

    async def login(self, user: str, password: str) -> None:
        if "LOGINDISABLED" in self.capabilities:
            raise ImapError("LOGIN", "REFUSED", "the server disabled LOGIN on this connection")
        untagged, done = await self._run("LOGIN", quote(user), quote(password), secret=True)
        told = done.code == "CAPABILITY" or any(r.kind == "CAPABILITY" for r in untagged)
        if not told:  # capabilities change once logged in
            await self.capability()

    async def select(self, mailbox: str = "INBOX", *, readonly: bool = False) -> Mailbox:
        command = "EXAMINE" if readonly else "SELECT"
        self.selected = None
        untagged, done = await self._run(command, quote(encode_mailbox(mailbox)))
        exists, uidvalidity, uidnext, flags = 0, None, None, ()
        for r in untagged:
            if r.kind == "EXISTS" and r.number is not None:
                exists = r.number
            elif r.kind == "FLAGS" and r.data and isinstance(r.data[0], list):
                flags = tuple(str(f) for f in r.data[0])
            elif r.kind == "OK" and r.code == "UIDVALIDITY":
                uidvalidity = _number(r.code_data, "UIDVALIDITY")
            elif r.kind == "OK" and r.code == "UIDNEXT":
                uidnext = _number(r.code_data, "UIDNEXT")
        if uidvalidity is None:
            # Without it, stored UIDs cannot be trusted to name the same messages.
            raise ImapConnectionError(f"{command} {mailbox}: the server gave no UIDVALIDITY")
        read_only = readonly or done.code == "READ-ONLY"
        self.selected = Mailbox(mailbox, uidvalidity, exists, uidnext, flags, read_only)
        return self.selected

    async def list_mailboxes(self, pattern: str = "*") -> list[MailboxInfo]:
        untagged, _ = await self._run("LIST", '""', quote(encode_mailbox(pattern)))
        found = []
        for r in untagged:
            if r.kind != "LIST" or len(r.data) < 3:
                continue
            flags, delimiter, name = r.data[0], r.data[1], r.data[2]
            name = name.decode("utf-8", "replace") if isinstance(name, bytes) else str(name)
            if isinstance(delimiter, bytes):
                delimiter = delimiter.decode("ascii", "replace")
            found.append(
                MailboxInfo(decode_mailbox(name), delimiter, tuple(str(f) for f in flags or ()))
            )
        return found

    async def create(self, mailbox: str) -> None:
        await self._run("CREATE", quote(encode_mailbox(mailbox)))

    async def delete(self, mailbox: str) -> None:
        await self._run("DELETE", quote(encode_mailbox(mailbox)))

    async def uid_search(self, *criteria: str) -> list[int]:
        """UIDs matching the criteria, given as IMAP text (``"UID 5:*"``, ``"UNSEEN"``)."""
        untagged, _ = await self._run("UID SEARCH", *(criteria or ("ALL",)))
        uids: list[int] = []
        for r in untagged:
            if r.kind == "SEARCH":
                uids.extend(_number(str(n), "SEARCH") for n in r.data)
        return sorted(set(uids))

    async def uid_fetch(self, uids: Iterable[int], *, body: bool = True) -> list[Fetched]:
        """The messages (whole, not marking them seen) and their flags, by UID order; a UID
        the mailbox no longer has (expunged) is missing from the answer."""
        wanted = set(uids)
        items = "(UID FLAGS BODY.PEEK[])" if body else "(UID FLAGS)"
        untagged, _ = await self._run("UID FETCH", uid_set(wanted), items)
        flags: dict[int, tuple[str, ...]] = {}
        bodies: dict[int, bytes] = {}
        # A server may split what it says of one message over several FETCH responses, and
        # slip in unsolicited ones (flags another session changed): gather by UID.
        for r in untagged:
            if r.kind != "FETCH" or not r.data or not isinstance(r.data[0], list):
                continue
            values = _pairs(r.data[0])
            if "UID" not in values:
                continue
            uid = _number(str(values["UID"]), "UID")
            if uid not in wanted:
                continue
            if isinstance(values.get("FLAGS"), list):
                flags[uid] = tuple(str(f) for f in values["FLAGS"])
            if isinstance(values.get("BODY[]"), bytes):
                bodies[uid] = values["BODY[]"]
        found = sorted(bodies) if body else sorted(flags)
        return [Fetched(uid, flags.get(uid, ()), bodies.get(uid)) for uid in found]

    async def uid_store(
        self, uids: Iterable[int], flags: Sequence[str], mode: str = "+FLAGS.SILENT"
    ) -> None:
        if mode.upper() not in _STORE_MODES:
            raise ValueError(f"STORE mode {mode!r}: expected one of {sorted(_STORE_MODES)}")
        for flag in flags:
            if not re.fullmatch(r"\\?[A-Za-z0-9$_.-]+", flag):
                raise ValueError(f"not an IMAP flag: {flag!r}")
        await self._run("UID STORE", uid_set(uids), mode.upper(), f"({' '.join(flags)})")

    async def append(
        self,
        mailbox: str,
        message: bytes,
        *,
        flags: Sequence[str] = (),
        date: dt.datetime | None = None,
    ) -> int | None:
        """Add ``message`` to ``mailbox``; its new UID when the server says it (UIDPLUS)."""
        if b"\0" in message:
            raise ValueError("an IMAP message cannot hold NUL bytes")
        for flag in flags:
            if not re.fullmatch(r"\\?[A-Za-z0-9$_.-]+", flag):
                raise ValueError(f"not an IMAP flag: {flag!r}")
        args: list[str | _Literal] = [quote(encode_mailbox(mailbox))]  # type: ignore[list-item]
        if flags:
            args.append(f"({' '.join(flags)})")
        if date is not None:
            args.append(imap_date(date))
        args.append(_Literal(message))
        _, done = await self._run("APPEND", *args)
        if done.code == "APPENDUID":
            parts = done.code_data.split()
            if len(parts) == 2 and parts[1].isdigit():
                return int(parts[1])
        return None

    async def noop(self) -> list[Response]:
        untagged, _ = await self._run("NOOP")
        return untagged

    async def idle(self, wait: float) -> list[Response]:
        """Wait up to ``wait`` seconds for the selected mailbox to change (RFC 2177); the
        changes announced (``EXISTS``…), empty when the wait ran out."""
        if "IDLE" not in self.capabilities:
            raise ImapError("IDLE", "REFUSED", "the server does not offer IDLE")
        async with self._lock:
            writer = self._require()
            tag = self._next_tag()
            seen: list[Response] = []
            pending: asyncio.Future[Response] | None = None
            log.debug("imap > %s IDLE (%.0f s)", tag, wait)
            try:
                writer.write(f"{tag} IDLE\r\n".encode())
                await writer.drain()
                r = await self._read()
                while r.tag != "+":
                    if r.tag == tag:
                        self._check("IDLE", r)
                        return _changes(seen)
                    self._note(r, seen)
                    r = await self._read()
                deadline = asyncio.get_running_loop().time() + wait
                while True:
                    # A read is never cut in the middle: one whose first bytes came in is
                    # read whole, before or after DONE.
                    pending = asyncio.ensure_future(self._read(forever=True))
                    left = deadline - asyncio.get_running_loop().time()
                    done, _ = await asyncio.wait({pending}, timeout=max(left, 0))
                    if not done:
                        break
                    r, pending = pending.result(), None
                    if r.tag == tag:  # the server ended the IDLE itself
                        self._check("IDLE", r)
                        return _changes(seen)
                    self._note(r, seen)
                    if r.tag == "*" and r.kind in CHANGES:
                        break
                writer.write(b"DONE\r\n")
                await writer.drain()
                if pending is not None:
                    async with asyncio.timeout(self.timeout):
                        r = await pending
                else:
                    r = await self._read()
                while r.tag != tag:
                    self._note(r, seen)
                    r = await self._read()
                self._check("IDLE", r)
                return _changes(seen)
            except ImapError:
                raise
            except BaseException:
                if pending is not None:
                    pending.cancel()
                await self.close()  # the server may still be idling: the session is lost
                raise

    async def logout(self) -> None:
        try:
            await self._run("LOGOUT")
        except ImapConnectionError:
            pass  # a server may close before its tagged OK
        finally:
            await self.close()

    # the command loop

    def _require(self) -> asyncio.StreamWriter:
        if self._writer is None:
            raise ImapConnectionError("not connected")
        return self._writer

    def _next_tag(self) -> str:
        self._tags += 1
        return f"A{self._tags:04d}"

    async def _run(
        self, command: str, *args: str | _Literal, secret: bool = False
    ) -> tuple[list[Response], Response]:
        """Send one command; its untagged answers and its tagged completion. NO and BAD
        raise ``ImapError``; anything else going wrong closes the connection."""
        async with self._lock:
            writer = self._require()
            tag = self._next_tag()
            log.debug("imap > %s %s", tag, command if secret else _shown(command, args))
            untagged: list[Response] = []
            try:
                line = f"{tag} {command}".encode()
                for arg in args:
                    if isinstance(arg, _Literal):
                        plus = "LITERAL+" in self.capabilities
                        writer.write(
                            line + f" {{{len(arg.data)}{'+' if plus else ''}}}\r\n".encode()
                        )
                        await writer.drain()
                        if not plus:
                            await self._continuation(tag, command, untagged)
                        writer.write(arg.data)
                        line = b""
                    else:
                        line += b" " + arg.encode("utf-8")
                writer.write(line + b"\r\n")
                await writer.drain()
                while True:
                    r = await self._read()
                    if r.tag == tag:
                        self._check(command, r)
                        return untagged, r
                    if r.tag == "+":
                        raise ImapConnectionError(f"{command}: unexpected continuation request")
                    self._note(r, untagged)
            except ImapError:
                raise
            except BaseException:
                await self.close()
                raise

    async def _continuation(self, tag: str, command: str, untagged: list[Response]) -> None:
        while True:
            r = await self._read()
            if r.tag == "+":
                return
            if r.tag == tag:  # refused before the literal was sent
                self._check(command, r)
                raise ImapConnectionError(f"{command}: completed before its literal was sent")
            self._note(r, untagged)

    def _check(self, command: str, done: Response) -> None:
        if done.code == "CAPABILITY":
            self.capabilities = frozenset(done.code_data.upper().split())
        if done.kind != "OK":
            if done.kind not in ("NO", "BAD"):
                raise ImapConnectionError(f"{command}: answered {done.kind} {done.text}")
            raise ImapError(command, done.kind, done.text, done.code)

    def _note(self, r: Response, into: list[Response]) -> None:
        """What an untagged answer says about the session, whichever command it came with."""
        if r.kind == "CAPABILITY":
            self.capabilities = frozenset(str(c).upper() for c in r.data if c)
        elif r.code == "CAPABILITY":
            self.capabilities = frozenset(r.code_data.upper().split())
        elif r.kind == "BYE":
            self._bye = r.text
        into.append(r)

    async def _read(self, *, forever: bool = False) -> Response:
        """The next response, literals included; within ``timeout`` unless ``forever``."""
        reader = self._reader
        if reader is None:
            raise ImapConnectionError("not connected")
        try:
            async with asyncio.timeout(None if forever else self.timeout):
                chunks = []
                while True:
                    line = await reader.readuntil(b"\n")
                    chunks.append(line)
                    match = _LITERAL_AT_END.search(line)
                    if match is None:
                        break
                    size = int(match.group(1))
                    if size > self.max_literal:
                        raise ImapConnectionError(
                            f"the server sent a literal of {size} bytes (limit {self.max_literal})"
                        )
                    chunks.append(await reader.readexactly(size))
        except asyncio.IncompleteReadError:
            why = f": {self._bye}" if self._bye else ""
            raise ImapConnectionError(f"the server closed the connection{why}") from None
        except asyncio.LimitOverrunError:
            raise ImapConnectionError("the server sent a line too long to be IMAP") from None
        if log.isEnabledFor(logging.DEBUG):  # the first line only: never a message's content
            log.debug("imap < %s", chunks[0][:200].decode("utf-8", "replace").rstrip())
        return parse_response(b"".join(chunks))


def _changes(seen: list[Response]) -> list[Response]:
    return [r for r in seen if r.tag == "*" and r.kind in CHANGES]


def _shown(command: str, args: Sequence[str | _Literal]) -> str:
    shown = (f"{{{len(a.data)}}}" if isinstance(a, _Literal) else a for a in args)
    return " ".join([command, *shown])


def _pairs(items: list[Any]) -> dict[str, Any]:
    """``[UID, 5, FLAGS, [...], BODY[], b"..."]`` as a dict keyed by upper-case name."""
    out = {}
    for i in range(0, len(items) - 1, 2):
        key = items[i]
        if isinstance(key, str):
            out[key.upper()] = items[i + 1]
    return out


def _number(text: str, what: str) -> int:
    text = text.strip()
    if not text.isdigit():
        raise ImapConnectionError(f"{what}: not a number: {text!r}")
    return int(text)
