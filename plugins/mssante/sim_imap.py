"""The simulator's IMAP server: IMAP4rev1 (RFC 3501) on asyncio streams over the Maildirs of
:mod:`.maildir`, with STARTTLS and a client certificate, IDLE (RFC 2177), UIDPLUS (RFC 4315),
SASL-IR (RFC 4959), APPENDLIMIT (RFC 7889), SPECIAL-USE (RFC 6154) and the response codes of
RFC 5530.

What it serves is what a mail client of an MSSanté operator uses: LOGIN / AUTHENTICATE PLAIN
after STARTTLS, SELECT / EXAMINE, SEARCH, FETCH, STORE (also as UID commands), APPEND, CREATE,
LIST, STATUS, EXPUNGE, CLOSE, IDLE, NOOP, LOGOUT. Syntax errors answer ``BAD``, refusals
``NO``, with the reason. Message parts by number (``BODY[1]``), ENVELOPE and BODYSTRUCTURE are
not served: the clients this simulator stands in for fetch whole messages.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import logging
import re
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.parser import BytesHeaderParser
from typing import Any, Protocol

from aiguillage.plugin import Faults

from .maildir import FLAG_LETTERS, INBOX, SENT, BadName, Folder, Maildirs, MissingFolder, Stored

log = logging.getLogger(__name__)

MAX_LINE = 64 * 1024
AUTOLOGOUT = 30 * 60.0  # RFC 3501 §5.4: at least 30 minutes
IDLE_RECHECK = 5.0
CLOSE_WAIT = 5.0  # seconds: also notice mail dropped into a Maildir by another route
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
SYSTEM_FLAGS = tuple(FLAG_LETTERS)
LITERAL = re.compile(rb"\{(\d{1,10})(\+?)\}\r?\n?$")
SEQUENCE_SET = re.compile(r"(\d+|\*)(:(\d+|\*))?(,(\d+|\*)(:(\d+|\*))?)*")
TAG = re.compile(r"[!#$&',\-./0-9:;<=>?@A-Z\[\]^_`a-z|~]+")  # ASTRING-CHAR but '+'
DATE = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{4})")
DATE_TIME = re.compile(r" ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)")
FETCH_ATT = re.compile(
    r"(?P<name>BODY\.PEEK|BODY)\[(?P<section>[^\]]*)\](?:<(?P<start>\d+)\.(?P<count>\d+)>)?"
)


class Accounts(Protocol):
    def authenticate(self, login: str, password: str) -> str | None:
        """The mailbox ``login`` opens with ``password``, else ``None``."""


class Bad(Exception):
    """Answer the command ``BAD``: it could not be parsed, or is not valid now."""


class No(Exception):
    """Answer the command ``NO``, with an optional response code."""

    def __init__(self, text: str, code: str = "") -> None:
        super().__init__(text)
        self.code = code


class Bye(Exception):
    """End the connection with an untagged ``BYE``."""

    def __init__(self, text: str, code: str = "") -> None:
        super().__init__(text)
        self.code = code


class Quoted(str):
    """A quoted string argument (an atom is a plain ``str``, a literal ``bytes``)."""


# --- command syntax ---------------------------------------------------------------------------


def tokenize(text: str, literals: list[bytes]) -> list[Any]:
    """The arguments of a command line: atoms (``str``), quoted strings (:class:`Quoted`),
    literals (``bytes``; a NUL in ``text`` marks where each one was) and parenthesized lists."""
    stack: list[list[Any]] = [[]]
    pending = iter(literals)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == " ":
            i += 1
        elif c == "(":
            stack.append([])
            i += 1
        elif c == ")":
            if len(stack) == 1:
                raise Bad("unbalanced ')'")
            done = stack.pop()
            stack[-1].append(done)
            i += 1
        elif c == '"':
            i, value = _quoted(text, i + 1)
            stack[-1].append(Quoted(value))
        elif c == "\x00":
            stack[-1].append(next(pending))
            i += 1
        else:
            start = i
            while i < n and text[i] not in ' ()"\x00':
                if text[i] == "[":
                    close = text.find("]", i)
                    if close < 0:
                        raise Bad("unbalanced '['")
                    i = close
                i += 1
            stack[-1].append(text[start:i])
    if len(stack) != 1:
        raise Bad("unbalanced '('")
    return stack[0]


def _quoted(text: str, i: int) -> tuple[int, str]:
    out = []
    while i < len(text):
        c = text[i]
        if c == "\\":
            if i + 1 >= len(text) or text[i + 1] not in '\\"':
                raise Bad("bad escape in quoted string")
            out.append(text[i + 1])
            i += 2
        elif c == '"':
            return i + 1, "".join(out)
        else:
            out.append(c)
            i += 1
    raise Bad("unterminated quoted string")


def astring(token: Any, what: str) -> str:
    if isinstance(token, bytes):
        return token.decode("utf-8", "replace")
    if isinstance(token, str):
        return str(token)
    raise Bad(f"{what}: a string was expected")


def number(token: Any, what: str) -> int:
    if isinstance(token, str) and not isinstance(token, Quoted) and token.isdigit():
        return int(token)
    raise Bad(f"{what}: a number was expected")


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def flag_list(flags: frozenset[str] | set[str]) -> str:
    return "(" + " ".join(sorted(flags)) + ")"


def parse_flags(token: Any) -> frozenset[str]:
    """A flag or flag list of APPEND or STORE: system flags only (Maildir keeps no keywords;
    PERMANENTFLAGS says so)."""
    items = token if isinstance(token, list) else [token]
    flags = set()
    for item in items:
        if not isinstance(item, str) or isinstance(item, Quoted):
            raise Bad("flags must be atoms")
        known = {f.upper(): f for f in SYSTEM_FLAGS}
        if item.upper() in known:
            flags.add(known[item.upper()])
        elif item.startswith("\\"):
            raise Bad(f"{item} is not a flag a client may set")
        else:
            raise No(f"keyword {item}: only system flags are kept", "CANNOT")
    return frozenset(flags)


def internal_date(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, UTC)
    return f'"{moment.day:2d}-{MONTHS[moment.month - 1]}-{moment.year:04d} {moment:%H:%M:%S} +0000"'


def parse_date_time(text: str) -> float:
    match = DATE_TIME.fullmatch(text)
    month = match and match[2].capitalize()
    if not match or month not in MONTHS:
        raise Bad(f"date-time {text!r}: expected dd-Mon-yyyy hh:mm:ss +zzzz")
    sign = 1 if match[7] == "+" else -1
    offset = sign * (int(match[8]) * 3600 + int(match[9]) * 60)
    try:
        moment = datetime(
            int(match[3]),
            MONTHS.index(month) + 1,
            int(match[1]),
            int(match[4]),
            int(match[5]),
            int(match[6]),
            tzinfo=UTC,
        )
    except ValueError as exc:
        raise Bad(f"date-time {text!r}: {exc}") from None
    return moment.timestamp() - offset


def parse_date(token: Any) -> datetime:
    text = astring(token, "date")
    match = DATE.fullmatch(text)
    month = match and match[2].capitalize()
    if not match or month not in MONTHS:
        raise Bad(f"date {text!r}: expected d-Mon-yyyy")
    try:
        return datetime(int(match[3]), MONTHS.index(month) + 1, int(match[1]), tzinfo=UTC)
    except ValueError as exc:
        raise Bad(f"date {text!r}: {exc}") from None


def sequence_set(token: Any, largest: int) -> list[tuple[int, int]]:
    """The ranges of a sequence set; ``*`` is ``largest`` and ``a:b`` is ``b:a`` (RFC 3501
    §9), so ``n:*`` always takes the last message, even when ``n`` is past it."""
    if not isinstance(token, str) or isinstance(token, Quoted) or not SEQUENCE_SET.fullmatch(token):
        raise Bad(f"{token!r} is not a sequence set")
    ranges = []
    for part in token.split(","):
        low, _, high = part.partition(":")
        a = largest if low == "*" else int(low)
        b = a if not high else (largest if high == "*" else int(high))
        if 0 in (a, b) and "*" not in part:
            raise Bad("0 is not a message number")
        ranges.append((min(a, b), max(a, b)))
    return ranges


def in_ranges(value: int, ranges: list[tuple[int, int]]) -> bool:
    return any(low <= value <= high for low, high in ranges)


def split_message(raw: bytes) -> tuple[bytes, bytes]:
    """Header (with its blank line) and body."""
    for separator in (b"\r\n\r\n", b"\n\n"):
        at = raw.find(separator)
        if at >= 0:
            return raw[: at + len(separator)], raw[at + len(separator) :]
    return raw, b""


def header_fields(header: bytes, names: set[str], keep: bool) -> bytes:
    """The header lines (with their continuations) named in ``names`` (or not), and the
    blank line that ends a header (RFC 3501 §6.4.5, HEADER.FIELDS)."""
    out, current = [], None
    for line in header.splitlines(keepends=True):
        if line in (b"\r\n", b"\n"):
            break
        if line[:1] in (b" ", b"\t"):
            if current:
                out.append(line)
            continue
        name = line.split(b":", 1)[0].strip().decode("ascii", "replace").upper()
        current = (name in names) == keep
        if current:
            out.append(line)
    return b"".join(out) + b"\r\n"


# --- fetch items --------------------------------------------------------------------------------


@dataclass(frozen=True)
class FetchItem:
    name: str  # UID, FLAGS, INTERNALDATE, RFC822.SIZE, RFC822, RFC822.HEADER, RFC822.TEXT, BODY
    section: str = ""  # BODY[section]: "", HEADER, TEXT, HEADER.FIELDS (…), HEADER.FIELDS.NOT (…)
    fields: frozenset[str] = frozenset()
    start: int | None = None
    count: int | None = None
    peek: bool = True

    @property
    def sets_seen(self) -> bool:
        return not self.peek


MACROS = {
    "ALL": ("FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"),
    "FAST": ("FLAGS", "INTERNALDATE", "RFC822.SIZE"),
    "FULL": ("FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODY"),
}
SIMPLE_ITEMS = {"UID", "FLAGS", "INTERNALDATE", "RFC822.SIZE", "RFC822.HEADER"}


def fetch_items(token: Any) -> list[FetchItem]:
    if isinstance(token, str) and token.upper() in MACROS:
        token = list(MACROS[token.upper()])
    items = token if isinstance(token, list) else [token]
    if not items:
        raise Bad("no fetch item")
    parsed = []
    for item in items:
        if not isinstance(item, str) or isinstance(item, Quoted):
            raise Bad("fetch items must be atoms")
        upper = item.upper()
        if upper in SIMPLE_ITEMS:
            parsed.append(FetchItem(upper))
        elif upper in ("RFC822", "RFC822.TEXT"):
            parsed.append(FetchItem(upper, peek=False))
        elif match := FETCH_ATT.fullmatch(upper):
            section, fields = _section(match["section"])
            start = None if match["start"] is None else int(match["start"])
            count = None if match["count"] is None else int(match["count"])
            peek = match["name"] == "BODY.PEEK"
            parsed.append(FetchItem("BODY", section, fields, start, count, peek))
        else:
            raise Bad(f"fetch item {item} is not served by this server")
    return parsed


def _section(text: str) -> tuple[str, frozenset[str]]:
    if text in ("", "HEADER", "TEXT"):
        return text, frozenset()
    match = re.fullmatch(r"(HEADER\.FIELDS(?:\.NOT)?) \(([^()]*)\)", text)
    if match and match[2].split():
        names = frozenset(n.strip('"') for n in match[2].split())
        return f"{match[1]} ({' '.join(sorted(names))})", names
    raise Bad(f"section [{text}] is not served by this server")


# --- the server ----------------------------------------------------------------------------------


class ImapServer:
    def __init__(
        self,
        accounts: Accounts,
        store: Maildirs,
        tls: ssl.SSLContext,
        faults: Faults,
        max_message_bytes: int,
    ) -> None:
        self.accounts = accounts
        self.store = store
        self.tls = tls
        self.faults = faults
        self.max_message_bytes = max_message_bytes
        self._server: asyncio.AbstractServer | None = None
        self._sessions: set[Session] = set()

    async def start(self, host: str, port: int = 0) -> int:
        self._server = await asyncio.start_server(self._serve, host, port, limit=MAX_LINE)
        return self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        sessions = list(self._sessions)
        for session in sessions:
            # Cut the line: each session then ends on its own, as when a client goes away.
            session.writer.transport.abort()
        tasks = [s.task for s in sessions if s.task is not None]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=5.0)
            for task in pending:
                task.cancel()
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = Session(self, reader, writer)
        self._sessions.add(session)
        try:
            await session.run()
        finally:
            self._sessions.discard(session)


COMMANDS: dict[str, tuple[str, ...]] = {
    # command: the states it is valid in
    "CAPABILITY": ("any",),
    "NOOP": ("any",),
    "LOGOUT": ("any",),
    "STARTTLS": ("not-authenticated",),
    "LOGIN": ("not-authenticated",),
    "AUTHENTICATE": ("not-authenticated",),
    "SELECT": ("authenticated", "selected"),
    "EXAMINE": ("authenticated", "selected"),
    "CREATE": ("authenticated", "selected"),
    "DELETE": ("authenticated", "selected"),
    "LIST": ("authenticated", "selected"),
    "LSUB": ("authenticated", "selected"),
    "STATUS": ("authenticated", "selected"),
    "APPEND": ("authenticated", "selected"),
    "IDLE": ("authenticated", "selected"),
    "CHECK": ("selected",),
    "CLOSE": ("selected",),
    "EXPUNGE": ("selected",),
    "SEARCH": ("selected",),
    "FETCH": ("selected",),
    "STORE": ("selected",),
    "UID": ("selected",),
}
# Commands that report expunged messages at their end: not FETCH, STORE and SEARCH by
# sequence number, whose numbers must stay put (RFC 3501 §7.4.1).
NO_EXPUNGE_REPORT = {"FETCH", "STORE", "SEARCH"}
# What an injected error answers: not the commands a client needs to get in and out.
FAULTLESS = {"CAPABILITY", "NOOP", "LOGOUT", "STARTTLS", "LOGIN", "AUTHENTICATE"}


class Session:
    """One IMAP connection."""

    def __init__(
        self, server: ImapServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.server = server
        self.reader = reader
        self.writer = writer
        self.task = asyncio.current_task()
        self.state = "not-authenticated"
        self.tls = False
        self.address: str | None = None
        self.folder: Folder | None = None
        self.readonly = False
        self.view: list[int] = []  # UIDs in sequence-number order, as the client knows them
        self.known_flags: dict[int, frozenset[str]] = {}
        self.recent: set[int] = set()
        self.wake = asyncio.Event()

    # --- I/O -----------------------------------------------------------------------------------

    async def send(self, data: bytes | str) -> None:
        self.writer.write(data.encode() if isinstance(data, str) else data)
        await self.writer.drain()

    async def untagged(self, text: str) -> None:
        await self.send(f"* {text}\r\n")

    async def readline(self) -> bytes:
        try:
            line = await asyncio.wait_for(self.reader.readline(), AUTOLOGOUT)
        except TimeoutError:
            raise Bye("Autologout; idle for too long") from None
        except ValueError:  # over the stream's limit
            raise Bye("Command line too long") from None
        if not line:
            raise ConnectionResetError("the client went away")
        return line

    async def read_command(self) -> tuple[str, str, list[Any]]:
        """Tag, command name and arguments; literals are read here (a synchronizing one after
        a continuation request)."""
        line = await self.readline()
        tag = line.split(b" ", 1)[0].strip().decode("ascii", "replace")
        texts, literals = [], []
        while True:
            match = LITERAL.search(line)
            if not match:
                texts.append(line.rstrip(b"\r\n"))
                break
            texts.append(line[: match.start()] + b"\x00")
            size = int(match[1])
            if size > self.server.max_message_bytes:
                if match[2]:  # a non-synchronizing literal is on its way: no way to resync
                    raise Bye("Literal too large")
                raise LiteralTooBig(tag)
            if not match[2]:
                await self.send(b"+ Ready for literal data\r\n")
            try:
                literals.append(await self.reader.readexactly(size))
            except asyncio.IncompleteReadError:
                raise ConnectionResetError("the client went away in a literal") from None
            line = await self.readline()
        text = b"".join(texts).decode("utf-8", "surrogateescape")
        parts = text.split(" ", 2)
        if not TAG.fullmatch(tag) or len(parts) < 2 or not parts[1]:
            raise UnTagged(tag)
        name = parts[1].upper()
        try:
            return tag, name, tokenize(parts[2] if len(parts) > 2 else "", literals)
        except Bad as exc:
            raise TaggedBad(tag, str(exc)) from None

    # --- the connection ------------------------------------------------------------------------

    def capabilities(self) -> str:
        caps = ["IMAP4rev1"]
        if not self.tls:
            caps += ["STARTTLS", "LOGINDISABLED"]
        elif self.state == "not-authenticated":
            caps += ["AUTH=PLAIN", "SASL-IR"]
        caps += [
            "IDLE",
            "UIDPLUS",
            "SPECIAL-USE",
            f"APPENDLIMIT={self.server.max_message_bytes}",
        ]
        return " ".join(caps)

    async def run(self) -> None:
        try:
            if self.server.faults.outage:
                await self.untagged("BYE [UNAVAILABLE] Service unavailable, try again later")
                return
            await self.untagged(f"OK [CAPABILITY {self.capabilities()}] MSSante simulator ready")
            while self.state != "logout":
                await self.one_command()
        except Bye as bye:
            code = f"[{bye.code}] " if bye.code else ""
            with contextlib.suppress(ConnectionError):
                await self.untagged(f"BYE {code}{bye}")
        except (ConnectionError, ssl.SSLError, asyncio.IncompleteReadError):
            pass
        finally:
            self.unselect()
            self.writer.close()
            try:
                # A TLS close waits for the client's close_notify: not for ever.
                await asyncio.wait_for(self.writer.wait_closed(), CLOSE_WAIT)
            except (TimeoutError, ConnectionError, ssl.SSLError):
                self.writer.transport.abort()

    async def one_command(self) -> None:
        try:
            tag, name, args = await self.read_command()
        except LiteralTooBig as exc:
            await self.send(f"{exc.tag} NO [TOOBIG] Message larger than the APPENDLIMIT\r\n")
            return
        except UnTagged as exc:
            await self.send(f"{exc.tag or '*'} BAD Missing or invalid tag or command\r\n")
            return
        except TaggedBad as exc:
            await self.send(f"{exc.tag} BAD {exc.text}\r\n")
            return
        await self.dispatch(tag, name, args)

    async def dispatch(self, tag: str, name: str, args: list[Any]) -> None:
        faults = self.server.faults
        try:
            states = COMMANDS.get(name)
            if states is None:
                raise Bad(f"Unknown command {name}")
            if "any" not in states and self.state not in states:
                raise Bad(f"{name} is not valid in the {self.state} state")
            if faults.latency_ms:
                await asyncio.sleep(faults.latency_ms / 1000)
            if faults.outage and name != "LOGOUT":
                raise Bye("Service unavailable, try again later", "UNAVAILABLE")
            if (
                name not in FAULTLESS
                and faults.error_rate
                and faults.random.random() < faults.error_rate
            ):
                raise No("Temporary failure, try again later", "UNAVAILABLE")
            if self.folder is not None and name != "IDLE":
                await self.report_changes(expunges=False)
            text = await getattr(self, f"cmd_{name.lower()}")(tag, args)
            if self.folder is not None and name != "LOGOUT":
                uid_command = name == "UID" and args
                expunges = uid_command or name not in NO_EXPUNGE_REPORT
                await self.report_changes(expunges=bool(expunges))
            if text is not None:
                await self.send(f"{tag} {text}\r\n")
        except Bad as exc:
            await self.send(f"{tag} BAD {exc}\r\n")
        except No as exc:
            code = f"[{exc.code}] " if exc.code else ""
            await self.send(f"{tag} NO {code}{exc}\r\n")
        except (Bye, ConnectionError, ssl.SSLError, asyncio.IncompleteReadError):
            raise
        except asyncio.CancelledError:
            raise
        except Exception:  # a bug here must not take the session down without an answer
            log.exception("IMAP %s failed", name)
            await self.send(f"{tag} NO [SERVERBUG] Internal error\r\n")

    # --- changes of the selected folder --------------------------------------------------------

    def unselect(self) -> None:
        if self.folder is not None and self.address is not None:
            self.server.store.unlisten(self.address, self.folder.name, self.wake.set)
        self.folder = None
        self.view = []
        self.known_flags = {}
        self.recent = set()
        if self.state == "selected":
            self.state = "authenticated"

    async def report_changes(self, *, expunges: bool) -> None:
        """Tell the client what changed in the folder since it last heard: new messages
        (EXISTS, RECENT), other sessions' flag changes (FETCH) and, when allowed, expunged
        messages (EXPUNGE, highest first so each number is right when it is read)."""
        folder = self.folder
        assert folder is not None
        current = {m.uid: m for m in folder.messages()}
        if expunges:
            for seq in range(len(self.view), 0, -1):
                uid = self.view[seq - 1]
                if uid not in current:
                    del self.view[seq - 1]
                    self.known_flags.pop(uid, None)
                    self.recent.discard(uid)
                    await self.untagged(f"{seq} EXPUNGE")
        known = set(self.view)
        fresh = sorted(uid for uid in current if uid not in known and uid > self._highest())
        if fresh:
            if not self.readonly:
                self.recent |= folder.claim_recent() & set(fresh)
            else:
                self.recent |= {uid for uid in fresh if current[uid].recent}
            self.view.extend(fresh)
            for uid in fresh:
                self.known_flags[uid] = current[uid].flags
            await self.untagged(f"{len(self.view)} EXISTS")
            await self.untagged(f"{len(self.recent)} RECENT")
        for seq, uid in enumerate(self.view, 1):
            if uid in current and uid not in fresh and current[uid].flags != self.known_flags[uid]:
                self.known_flags[uid] = current[uid].flags
                await self.untagged(f"{seq} FETCH (UID {uid} FLAGS {self.flags_of(uid)})")

    def _highest(self) -> int:
        return self.view[-1] if self.view else 0

    def flags_of(self, uid: int, flags: frozenset[str] | None = None) -> str:
        flags = set(self.known_flags.get(uid, frozenset()) if flags is None else flags)
        if uid in self.recent:
            flags.add("\\Recent")
        return flag_list(flags)

    def targets(self, token: Any, by_uid: bool) -> list[tuple[int, int]]:
        """(sequence number, UID) of the messages a set names, in sequence order."""
        if by_uid:
            ranges = sequence_set(token, self._highest())
            return [(seq, uid) for seq, uid in enumerate(self.view, 1) if in_ranges(uid, ranges)]
        ranges = sequence_set(token, len(self.view))
        if any(int(n) > len(self.view) for n in re.findall(r"\d+", token)):
            raise Bad("Invalid message sequence number: past the last message")
        return [(seq, uid) for seq, uid in enumerate(self.view, 1) if in_ranges(seq, ranges)]

    def require_folder(self) -> Folder:
        assert self.folder is not None
        return self.folder

    # --- commands of any state -----------------------------------------------------------------

    async def cmd_capability(self, tag: str, args: list[Any]) -> str:
        await self.untagged(f"CAPABILITY {self.capabilities()}")
        return "OK CAPABILITY completed"

    async def cmd_noop(self, tag: str, args: list[Any]) -> str:
        return "OK NOOP completed"

    async def cmd_logout(self, tag: str, args: list[Any]) -> str:
        await self.untagged("BYE Logging out")
        self.state = "logout"
        return "OK LOGOUT completed"

    # --- not authenticated ---------------------------------------------------------------------

    async def cmd_starttls(self, tag: str, args: list[Any]) -> None:
        if self.tls:
            raise Bad("TLS is already active")
        await self.send(f"{tag} OK Begin TLS negotiation now\r\n")
        try:
            await self.writer.start_tls(self.server.tls)
        except (ssl.SSLError, ConnectionError, OSError) as exc:
            raise ConnectionResetError(f"TLS handshake failed: {exc}") from None
        self.tls = True

    def _check_login_allowed(self) -> None:
        if not self.tls:
            raise No("Log in after STARTTLS (LOGINDISABLED)", "PRIVACYREQUIRED")
        if not self.writer.get_extra_info("peercert"):
            raise No("A client certificate issued by the operator's CA is required", "ALERT")

    async def cmd_login(self, tag: str, args: list[Any]) -> str:
        if len(args) != 2:
            raise Bad("LOGIN takes a user name and a password")
        self._check_login_allowed()
        return self._log_in(astring(args[0], "user name"), astring(args[1], "password"))

    async def cmd_authenticate(self, tag: str, args: list[Any]) -> str:
        if not args or len(args) > 2:
            raise Bad("AUTHENTICATE takes a mechanism and an optional initial response")
        mechanism = astring(args[0], "mechanism").upper()
        if mechanism != "PLAIN":
            raise No(f"Mechanism {mechanism} is not supported", "CANNOT")
        self._check_login_allowed()
        if len(args) == 2:
            answer = astring(args[1], "initial response").strip()
            answer = "" if answer == "=" else answer
        else:
            await self.send(b"+ \r\n")
            answer = (await self.readline()).decode("ascii", "replace").strip()
        if answer == "*":
            raise Bad("Authentication cancelled")
        try:
            decoded = base64.b64decode(answer, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise Bad("The PLAIN response is not base64 of UTF-8") from None
        parts = decoded.split("\x00")
        if len(parts) != 3:
            raise Bad("The PLAIN response must be authzid NUL authcid NUL password")
        authzid, login, password = parts
        if authzid and authzid.lower() != login.lower():
            raise No("Acting for another user is not allowed", "AUTHORIZATIONFAILED")
        return self._log_in(login, password)

    def _log_in(self, login: str, password: str) -> str:
        address = self.server.accounts.authenticate(login, password)
        if address is None:
            raise No("Authentication failed", "AUTHENTICATIONFAILED")
        self.address = address
        self.state = "authenticated"
        return f"OK [CAPABILITY {self.capabilities()}] Logged in"

    # --- authenticated -------------------------------------------------------------------------

    def _folder(self, token: Any) -> Folder:
        assert self.address is not None
        try:
            return self.server.store.folder(self.address, astring(token, "mailbox name"))
        except MissingFolder:
            raise No("Mailbox doesn't exist", "NONEXISTENT") from None
        except BadName as exc:
            raise No(str(exc), "CANNOT") from None

    async def cmd_select(self, tag: str, args: list[Any], readonly: bool = False) -> str:
        if len(args) != 1:
            raise Bad("SELECT and EXAMINE take one mailbox name")
        self.unselect()  # a failed SELECT leaves no mailbox selected (RFC 3501 §6.3.1)
        folder = self._folder(args[0])
        messages = folder.messages()
        if readonly:
            recent = {m.uid for m in messages if m.recent}
        else:
            recent = folder.claim_recent()
        self.folder, self.readonly, self.state = folder, readonly, "selected"
        self.view = [m.uid for m in messages]
        self.known_flags = {m.uid: m.flags for m in messages}
        self.recent = recent
        assert self.address is not None
        self.server.store.listen(self.address, folder.name, self.wake.set)
        await self.untagged(f"FLAGS {flag_list(set(SYSTEM_FLAGS))}")
        await self.untagged(f"OK [PERMANENTFLAGS {flag_list(set(SYSTEM_FLAGS))}] Flags permitted")
        await self.untagged(f"{len(self.view)} EXISTS")
        await self.untagged(f"{len(recent)} RECENT")
        unseen = next((i for i, m in enumerate(messages, 1) if "\\Seen" not in m.flags), None)
        if unseen is not None:
            await self.untagged(f"OK [UNSEEN {unseen}] First unseen")
        await self.untagged(f"OK [UIDVALIDITY {folder.uidvalidity}] UIDs valid")
        await self.untagged(f"OK [UIDNEXT {folder.uidnext}] Predicted next UID")
        mode = "READ-ONLY" if readonly else "READ-WRITE"
        return f"OK [{mode}] {'EXAMINE' if readonly else 'SELECT'} completed"

    async def cmd_examine(self, tag: str, args: list[Any]) -> str:
        return await self.cmd_select(tag, args, readonly=True)

    async def cmd_create(self, tag: str, args: list[Any]) -> str:
        if len(args) != 1:
            raise Bad("CREATE takes one mailbox name")
        assert self.address is not None
        name = astring(args[0], "mailbox name").rstrip(".")
        if name.upper() == INBOX or name in self.server.store.folders(self.address):
            raise No("Mailbox already exists", "ALREADYEXISTS")
        try:
            self.server.store.folder(self.address, name, create=True)
        except BadName as exc:
            raise No(str(exc), "CANNOT") from None
        return "OK CREATE completed"

    async def cmd_delete(self, tag: str, args: list[Any]) -> str:
        if len(args) != 1:
            raise Bad("DELETE takes one mailbox name")
        assert self.address is not None
        name = astring(args[0], "mailbox name")
        if self.folder is not None and self.folder.name == name:
            self.unselect()  # its messages are going: nothing left to show
        try:
            self.server.store.delete(self.address, name)
        except MissingFolder:
            raise No("Mailbox doesn't exist", "NONEXISTENT") from None
        except BadName as exc:
            raise No(str(exc), "CANNOT") from None
        return "OK DELETE completed"

    async def cmd_list(self, tag: str, args: list[Any], verb: str = "LIST") -> str:
        if len(args) != 2:
            raise Bad(f"{verb} takes a reference and a mailbox pattern")
        assert self.address is not None
        reference = astring(args[0], "reference")
        pattern = reference + astring(args[1], "mailbox pattern")
        if not pattern:
            await self.untagged(f'{verb} (\\Noselect) "." ""')
            return f"OK {verb} completed"
        # Folders are flat here: '*' and '%' match the same names.
        regex = re.compile(
            "".join(".*" if c in "*%" else re.escape(c) for c in pattern), re.IGNORECASE
        )
        for name in self.server.store.folders(self.address):
            if regex.fullmatch(name):
                attributes = "(\\HasNoChildren \\Sent)" if name == SENT else "(\\HasNoChildren)"
                await self.untagged(f'{verb} {attributes} "." {quote(name)}')
        return f"OK {verb} completed"

    async def cmd_lsub(self, tag: str, args: list[Any]) -> str:
        return await self.cmd_list(tag, args, verb="LSUB")  # every folder counts as subscribed

    async def cmd_status(self, tag: str, args: list[Any]) -> str:
        if len(args) != 2 or not isinstance(args[1], list) or not args[1]:
            raise Bad("STATUS takes a mailbox name and a list of items")
        folder = self._folder(args[0])
        messages = folder.messages()
        values = {
            "MESSAGES": len(messages),
            "RECENT": sum(m.recent for m in messages),
            "UIDNEXT": folder.uidnext,
            "UIDVALIDITY": folder.uidvalidity,
            "UNSEEN": sum("\\Seen" not in m.flags for m in messages),
        }
        items = []
        for item in args[1]:
            key = astring(item, "status item").upper()
            if key not in values:
                raise Bad(f"Unknown STATUS item {key}")
            items.append(f"{key} {values[key]}")
        await self.untagged(f"STATUS {quote(folder.name)} ({' '.join(items)})")
        return "OK STATUS completed"

    async def cmd_append(self, tag: str, args: list[Any]) -> str:
        if len(args) < 2:
            raise Bad("APPEND takes a mailbox name, optional flags and date, and a message")
        assert self.address is not None
        rest = list(args[1:])
        flags = parse_flags(rest.pop(0)) if isinstance(rest[0], list) else frozenset()
        date = None
        if rest and isinstance(rest[0], Quoted):
            date = parse_date_time(rest.pop(0))
        if len(rest) != 1 or not isinstance(rest[0], bytes):
            raise Bad("APPEND: the message must be one literal, after the flags and date")
        message = rest[0]
        if not message:
            raise No("An empty message cannot be appended")
        try:
            folder = self.server.store.folder(self.address, astring(args[0], "mailbox name"))
        except MissingFolder:
            raise No("Mailbox doesn't exist: create it first", "TRYCREATE") from None
        except BadName as exc:
            raise No(str(exc), "CANNOT") from None
        uid = folder.add(message, flags, date)
        return f"OK [APPENDUID {folder.uidvalidity} {uid}] APPEND completed"

    async def cmd_idle(self, tag: str, args: list[Any]) -> str:
        if args:
            raise Bad("IDLE takes no argument")
        await self.send(b"+ idling\r\n")
        line_task = asyncio.ensure_future(self.readline())
        try:
            while True:
                self.wake.clear()
                if self.folder is not None:
                    await self.report_changes(expunges=True)
                waker = asyncio.ensure_future(self.wake.wait())
                done, _ = await asyncio.wait(
                    {line_task, waker}, timeout=IDLE_RECHECK, return_when=asyncio.FIRST_COMPLETED
                )
                waker.cancel()
                if line_task in done:
                    break
                if self.server.faults.outage:
                    raise Bye("Service unavailable, try again later", "UNAVAILABLE")
        finally:
            if not line_task.done():
                line_task.cancel()
        line = line_task.result()
        if line.strip().upper() != b"DONE":
            raise Bad("IDLE ends with DONE")
        return "OK IDLE terminated"

    # --- selected ------------------------------------------------------------------------------

    async def cmd_check(self, tag: str, args: list[Any]) -> str:
        return "OK CHECK completed"

    async def cmd_close(self, tag: str, args: list[Any]) -> str:
        folder = self.require_folder()
        if not self.readonly:
            folder.expunge(m.uid for m in folder.messages() if "\\Deleted" in m.flags)
        self.unselect()
        return "OK CLOSE completed"

    async def cmd_expunge(self, tag: str, args: list[Any], uids: list[int] | None = None) -> str:
        folder = self.require_folder()
        if self.readonly:
            raise No("The mailbox is read-only", "READ-ONLY")
        deleted = [
            m.uid
            for m in folder.messages()
            if "\\Deleted" in m.flags and (uids is None or m.uid in uids)
        ]
        folder.expunge(deleted)  # the EXPUNGE responses follow, from report_changes
        return "OK EXPUNGE completed"

    async def cmd_uid(self, tag: str, args: list[Any]) -> str:
        if not args or not isinstance(args[0], str):
            raise Bad("UID takes a command")
        name = args[0].upper()
        if name == "FETCH":
            return await self.cmd_fetch(tag, args[1:], by_uid=True)
        if name == "STORE":
            return await self.cmd_store(tag, args[1:], by_uid=True)
        if name == "SEARCH":
            return await self.cmd_search(tag, args[1:], by_uid=True)
        if name == "EXPUNGE":
            if len(args) != 2:
                raise Bad("UID EXPUNGE takes a UID set")
            uids = [uid for _, uid in self.targets(args[1], by_uid=True)]
            return await self.cmd_expunge(tag, [], uids)
        raise Bad(f"UID {name} is not served by this server")

    async def cmd_fetch(self, tag: str, args: list[Any], by_uid: bool = False) -> str:
        if len(args) != 2:
            raise Bad("FETCH takes a message set and fetch items")
        items = fetch_items(args[1])
        folder = self.require_folder()
        targets = self.targets(args[0], by_uid)
        listing = {m.uid: m for m in folder.messages()}
        for seq, uid in targets:
            stored = listing.get(uid)
            if stored is None:
                continue  # expunged by another session; reported after this command
            response = await self._fetch_one(folder, stored, items, by_uid)
            if response is not None:
                await self.send(b"* %d FETCH (" % seq + response + b")\r\n")
        return f"OK {'UID ' if by_uid else ''}FETCH completed"

    async def _fetch_one(
        self, folder: Folder, stored: Stored, items: list[FetchItem], by_uid: bool
    ) -> bytes | None:
        raw = None
        if any(i.name not in ("UID", "FLAGS", "INTERNALDATE", "RFC822.SIZE") for i in items):
            raw = folder.read(stored)
            if raw is None:
                return None
        flags = stored.flags
        flags_changed = False
        if not self.readonly and "\\Seen" not in flags and any(i.sets_seen for i in items):
            now = folder.set_flags(stored, flags | {"\\Seen"})
            if now is not None:
                flags, flags_changed = now, True
                self.known_flags[stored.uid] = now
        out: list[bytes] = []
        names = [i.name for i in items]
        if by_uid and "UID" not in names:
            out.append(b"UID %d" % stored.uid)
        for item in items:
            out.append(self._fetch_item(item, stored, flags, raw))
        if flags_changed and "FLAGS" not in names:
            out.append(f"FLAGS {self.flags_of(stored.uid, flags)}".encode())
        return b" ".join(out)

    def _fetch_item(
        self, item: FetchItem, stored: Stored, flags: frozenset[str], raw: bytes | None
    ) -> bytes:
        if item.name == "UID":
            return b"UID %d" % stored.uid
        if item.name == "FLAGS":
            return f"FLAGS {self.flags_of(stored.uid, flags)}".encode()
        if item.name == "INTERNALDATE":
            return f"INTERNALDATE {internal_date(stored.internaldate)}".encode()
        if item.name == "RFC822.SIZE":
            return b"RFC822.SIZE %d" % stored.size
        assert raw is not None
        header, text = split_message(raw)
        if item.name == "RFC822":
            return literal(b"RFC822", raw)
        if item.name == "RFC822.HEADER":
            return literal(b"RFC822.HEADER", header)
        if item.name == "RFC822.TEXT":
            return literal(b"RFC822.TEXT", text)
        if item.section == "":
            data = raw
        elif item.section == "HEADER":
            data = header
        elif item.section == "TEXT":
            data = text
        else:
            data = header_fields(
                header, item.fields, not item.section.startswith("HEADER.FIELDS.NOT")
            )
        name = f"BODY[{item.section}]"
        if item.start is not None:
            assert item.count is not None
            data = data[item.start : item.start + item.count]
            name += f"<{item.start}>"
        return literal(name.encode(), data)

    async def cmd_store(self, tag: str, args: list[Any], by_uid: bool = False) -> str:
        if len(args) < 3 or not isinstance(args[1], str):
            raise Bad("STORE takes a message set, FLAGS, +FLAGS or -FLAGS, and flags")
        operation = args[1].upper()
        silent = operation.endswith(".SILENT")
        operation = operation.removesuffix(".SILENT")
        if operation not in ("FLAGS", "+FLAGS", "-FLAGS"):
            raise Bad(f"STORE {args[1]}: FLAGS, +FLAGS or -FLAGS, optionally .SILENT")
        flags = parse_flags(args[2] if len(args) == 3 else list(args[2:]))
        folder = self.require_folder()
        if self.readonly:
            raise No("The mailbox is read-only", "READ-ONLY")
        targets = self.targets(args[0], by_uid)
        listing = {m.uid: m for m in folder.messages()}
        for seq, uid in targets:
            stored = listing.get(uid)
            if stored is None:
                continue
            if operation == "FLAGS":
                wanted = flags
            elif operation == "+FLAGS":
                wanted = stored.flags | flags
            else:
                wanted = stored.flags - flags
            now = folder.set_flags(stored, wanted)
            if now is None:
                continue
            self.known_flags[uid] = now
            if not silent:
                uid_part = f"UID {uid} " if by_uid else ""
                await self.untagged(f"{seq} FETCH ({uid_part}FLAGS {self.flags_of(uid, now)})")
        return f"OK {'UID ' if by_uid else ''}STORE completed"

    async def cmd_search(self, tag: str, args: list[Any], by_uid: bool = False) -> str:
        if args and isinstance(args[0], str) and args[0].upper() == "CHARSET":
            if len(args) < 2 or astring(args[1], "charset").upper() not in ("UTF-8", "US-ASCII"):
                raise No("Only UTF-8 and US-ASCII searches", "BADCHARSET (UTF-8 US-ASCII)")
            args = args[2:]
        if not args:
            raise Bad("SEARCH needs a search key")
        folder = self.require_folder()
        keys = Keys(args, self)
        test = keys.all()
        listing = {m.uid: m for m in folder.messages()}
        found = []
        for seq, uid in enumerate(self.view, 1):
            stored = listing.get(uid)
            if stored is not None and test(Candidate(seq, stored, folder, self)):
                found.append(uid if by_uid else seq)
        await self.untagged(" ".join(["SEARCH", *map(str, found)]))
        return f"OK {'UID ' if by_uid else ''}SEARCH completed"


def literal(name: bytes, data: bytes) -> bytes:
    return name + b" {%d}\r\n" % len(data) + data


class LiteralTooBig(Exception):
    def __init__(self, tag: str) -> None:
        super().__init__(tag)
        self.tag = tag


class TaggedBad(Exception):
    def __init__(self, tag: str, text: str) -> None:
        super().__init__(text)
        self.tag = tag
        self.text = text


class UnTagged(Exception):
    def __init__(self, tag: str) -> None:
        super().__init__(tag)
        self.tag = tag if TAG.fullmatch(tag or "") else ""


# --- SEARCH -------------------------------------------------------------------------------------


class Candidate:
    """One message as SEARCH keys look at it; its text is read only when a key needs it."""

    def __init__(self, seq: int, stored: Stored, folder: Folder, session: Session) -> None:
        self.seq = seq
        self.stored = stored
        self.folder = folder
        self.session = session
        self._raw: bytes | None = None
        self._headers: Any = None

    @property
    def flags(self) -> frozenset[str]:
        return self.stored.flags

    @property
    def recent(self) -> bool:
        return self.stored.uid in self.session.recent

    @property
    def raw(self) -> bytes:
        if self._raw is None:
            self._raw = self.folder.read(self.stored) or b""
        return self._raw

    def header(self, name: str) -> str:
        if self._headers is None:
            self._headers = BytesHeaderParser(policy=policy.default).parsebytes(self.raw)
        return "\n".join(str(v) for v in self._headers.get_all(name, []))


Test = Callable[[Candidate], bool]

FLAG_KEYS: dict[str, Test] = {
    "ALL": lambda c: True,
    "ANSWERED": lambda c: "\\Answered" in c.flags,
    "DELETED": lambda c: "\\Deleted" in c.flags,
    "DRAFT": lambda c: "\\Draft" in c.flags,
    "FLAGGED": lambda c: "\\Flagged" in c.flags,
    "SEEN": lambda c: "\\Seen" in c.flags,
    "UNANSWERED": lambda c: "\\Answered" not in c.flags,
    "UNDELETED": lambda c: "\\Deleted" not in c.flags,
    "UNDRAFT": lambda c: "\\Draft" not in c.flags,
    "UNFLAGGED": lambda c: "\\Flagged" not in c.flags,
    "UNSEEN": lambda c: "\\Seen" not in c.flags,
    "RECENT": lambda c: c.recent,
    "OLD": lambda c: not c.recent,
    "NEW": lambda c: c.recent and "\\Seen" not in c.flags,
}
HEADER_KEYS = {"FROM", "TO", "CC", "BCC", "SUBJECT"}


class Keys:
    """The search program of RFC 3501 §6.4.4 (the keys a mail client uses), as one test."""

    def __init__(self, tokens: list[Any], session: Session) -> None:
        self.tokens = tokens
        self.at = 0
        self.session = session

    def all(self) -> Test:
        tests = []
        while self.at < len(self.tokens):
            tests.append(self.key())
        return lambda c: all(t(c) for t in tests)

    def _next(self, what: str) -> Any:
        if self.at >= len(self.tokens):
            raise Bad(f"SEARCH: {what} is missing")
        token = self.tokens[self.at]
        self.at += 1
        return token

    def key(self) -> Test:
        token = self._next("a search key")
        if isinstance(token, list):
            inner = Keys(token, self.session)
            if not token:
                raise Bad("SEARCH: empty parentheses")
            return inner.all()
        if not isinstance(token, str) or isinstance(token, Quoted):
            raise Bad("SEARCH: a search key was expected")
        name = token.upper()
        if name in FLAG_KEYS:
            return FLAG_KEYS[name]
        if name == "NOT":
            inner_test = self.key()
            return lambda c: not inner_test(c)
        if name == "OR":
            left, right = self.key(), self.key()
            return lambda c: left(c) or right(c)
        if name == "UID":
            ranges = sequence_set(self._next("a UID set"), self.session._highest())
            return lambda c: in_ranges(c.stored.uid, ranges)
        if name in HEADER_KEYS:
            wanted = astring(self._next("a string"), name).casefold()
            return lambda c, field=name: wanted in c.header(field).casefold()
        if name == "HEADER":
            field = astring(self._next("a header name"), "HEADER")
            wanted = astring(self._next("a string"), "HEADER").casefold()
            return lambda c: bool(c.header(field)) and wanted in c.header(field).casefold()
        if name in ("BODY", "TEXT"):
            wanted = astring(self._next("a string"), name).encode().lower()
            part = 1 if name == "BODY" else slice(None)
            return lambda c: wanted in _text_part(c.raw, part).lower()
        if name in ("LARGER", "SMALLER"):
            size = number(self._next("a size"), name)
            if name == "LARGER":
                return lambda c: c.stored.size > size
            return lambda c: c.stored.size < size
        if name in ("SINCE", "BEFORE", "ON"):
            day = parse_date(self._next("a date")).date()

            def internal(c: Candidate) -> Any:
                return datetime.fromtimestamp(c.stored.internaldate, UTC).date()

            if name == "SINCE":
                return lambda c: internal(c) >= day
            if name == "BEFORE":
                return lambda c: internal(c) < day
            return lambda c: internal(c) == day
        if SEQUENCE_SET.fullmatch(token):
            ranges = sequence_set(token, len(self.session.view))
            return lambda c: in_ranges(c.seq, ranges)
        raise Bad(f"SEARCH key {token} is not served by this server")


def _text_part(raw: bytes, part: int | slice) -> bytes:
    if isinstance(part, slice):
        return raw
    return split_message(raw)[part]
