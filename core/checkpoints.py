"""Checkpoints of the journal's head, kept outside the journal database.

The hash chain inside ``journal.db`` shows an edited, deleted or reordered row, but not a journal
that lost its tail together with its head row, nor a ``journal.db`` deleted or swapped for an
older copy. So the daemon appends the chain's head — row number and hash — to
``journal.checkpoints``, a file beside it, at least once a minute while rows are added and at
shutdown. Each line is signed: with the structure's certificate when a plugin has an
``auth_certificate`` configured, else with HMAC-SHA256 under ``checkpoint.key``, a random key the
daemon creates in the data dir (mode 600) at its first checkpoint. The public certificate that
signs a line is kept in ``journal.certificates`` (one PEM each, mode 600, appended to only), so
the lines it signed still verify once the structure's certificate is renewed or changed.

A line is ``SEQ HASH TIME KIND METHOD SIGNATURE``: ``KIND`` is ``head``, or ``accepted`` for the
checkpoint written when an admin accepted a journal that no longer matched the previous lines
(``aiguillage serve --accept-new-journal``); lines before the last ``accepted`` one describe a
previous journal and are only checked for their signature.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import logging
import os
import secrets
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from aiguillage import datadir
from aiguillage import journal as jr
from aiguillage.certificates import CertificateError
from aiguillage.config import Settings
from aiguillage.security.credentials import Credential, load_credential

FILE = datadir.CHECKPOINTS
KEY_FILE = datadir.CHECKPOINT_KEY
CERTIFICATES_FILE = datadir.KEPT_CERTIFICATES
#: Seconds between two checkpoints while rows are being added.
INTERVAL = 60.0
HMAC_METHOD = "hmac-sha256"
CERT_METHOD = "x509-sha256"
KINDS = ("head", "accepted")
#: The plugin option naming the structure's certificate.
STRUCTURE_CERTIFICATE = "auth_certificate"

log = logging.getLogger("aiguillage.journal")


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    time: str
    kind: str
    method: str
    signature: str
    line: int = 0

    def signed_part(self) -> bytes:
        return f"{self.seq} {self.hash} {self.time} {self.kind} {self.method}".encode()

    def text(self) -> str:
        return f"{self.signed_part().decode()} {self.signature}\n"

    def where(self) -> str:
        return f"{FILE} line {self.line} (row {self.seq})"


@dataclass
class Contents:
    """The lines of the checkpoint file: the well-formed ones, and what was wrong with others."""

    checkpoints: list[Checkpoint] = field(default_factory=list)
    malformed: list[str] = field(default_factory=list)

    def current(self) -> list[Checkpoint]:
        """The checkpoints of the journal in place: from the last ``accepted`` one on."""
        start = 0
        for i, checkpoint in enumerate(self.checkpoints):
            if checkpoint.kind == "accepted":
                start = i
        return self.checkpoints[start:]

    def last(self) -> Checkpoint | None:
        return self.checkpoints[-1] if self.checkpoints else None


def read(path: Path) -> Contents:
    contents = Contents()
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return contents
    for number, line in enumerate(text.splitlines(), start=1):
        parsed = _parse(line, number)
        if parsed is None:
            contents.malformed.append(f"{FILE} line {number} is malformed")
        else:
            contents.checkpoints.append(parsed)
    return contents


def _parse(line: str, number: int) -> Checkpoint | None:
    parts = line.split(" ")
    if len(parts) != 6:
        return None
    seq, hash_, time, kind, method, signature = parts
    if not seq.isdigit() or len(hash_) != 64 or kind not in KINDS:
        return None
    return Checkpoint(int(seq), hash_, time, kind, method, signature, number)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


class Signer:
    """Signs checkpoints with the structure's key, or with the data dir's HMAC key."""

    def __init__(self, *, key: bytes | None = None, credential: Credential | None = None) -> None:
        if (key is None) == (credential is None):
            raise ValueError("a checkpoint signer needs a key or a credential")
        self.key = key
        self.credential = credential
        self.method = (
            f"{CERT_METHOD}:{_fingerprint(credential.certificate)}" if credential else HMAC_METHOD
        )

    def sign(self, seq: int, hash_: str, kind: str = "head", time: str | None = None) -> Checkpoint:
        unsigned = Checkpoint(seq, hash_, time or _now(), kind, self.method, "")
        data = unsigned.signed_part()
        if self.credential is not None:
            raw = _sign_with(self.credential.key, data)
        else:
            raw = hmac.new(self.key, data, hashlib.sha256).digest()  # type: ignore[arg-type]
        signature = base64.b64encode(raw).decode()
        return Checkpoint(seq, hash_, unsigned.time, kind, self.method, signature)


def _sign_with(key: object, data: bytes) -> bytes:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256()))
    raise CertificateError("the structure's key is neither RSA nor EC: it cannot sign checkpoints")


class Verifier:
    """Checks checkpoint signatures with the data dir's key and the certificates it is given."""

    def __init__(self, key: bytes | None, certificates: Iterable[x509.Certificate] = ()) -> None:
        self.key = key
        self.certificates = {_fingerprint(c): c for c in certificates}

    def cannot_check(self, checkpoint: Checkpoint) -> str | None:
        """Why ``checkpoint``'s signature cannot be checked here (``None``: it can): its key or
        certificate is not at hand. Not evidence of tampering by itself."""
        if checkpoint.method == HMAC_METHOD:
            return None if self.key is not None else f"{KEY_FILE} is missing"
        method, _, fingerprint = checkpoint.method.partition(":")
        if method == CERT_METHOD and fingerprint not in self.certificates:
            return (
                f"it is signed by certificate sha256:{fingerprint[:16]}…, which is neither in "
                f"{CERTIFICATES_FILE} nor the configured structure certificate (give it with "
                f"--certificate)"
            )
        return None

    def problem(self, checkpoint: Checkpoint) -> str | None:
        """Why ``checkpoint``'s signature does not verify (``None``: it does, or it cannot be
        checked here: see ``cannot_check``)."""
        if self.cannot_check(checkpoint) is not None:
            return None
        try:
            signature = base64.b64decode(checkpoint.signature, validate=True)
        except ValueError:
            return "its signature is not base64"
        data = checkpoint.signed_part()
        if checkpoint.method == HMAC_METHOD:
            expected = hmac.new(self.key, data, hashlib.sha256).digest()  # type: ignore[arg-type]
            return None if hmac.compare_digest(expected, signature) else "its HMAC does not verify"
        method, _, fingerprint = checkpoint.method.partition(":")
        if method != CERT_METHOD:
            return f"unknown signature method {checkpoint.method!r}"
        public = self.certificates[fingerprint].public_key()
        try:
            if isinstance(public, rsa.RSAPublicKey):
                public.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
            elif isinstance(public, ec.EllipticCurvePublicKey):
                public.verify(signature, data, ec.ECDSA(hashes.SHA256()))
            else:
                return "the certificate's key is neither RSA nor EC"
        except InvalidSignature:
            return "its signature does not verify with the certificate it names"
        return None


class CredentialError(Exception):
    """The structure certificate is configured but cannot be loaded; the message names the
    config key."""


def structure_credential(settings: Settings) -> Credential | None:
    """The structure's certificate and key: the first plugin table with an ``auth_certificate``
        configured (``None`` when none is). Raises ``CredentialError`` when it cannot be loaded: the
    daemon then does not start, as signing with the HMAC key instead would read as a downgrade."""
    for config in settings.plugins.values():
        path = config.options.get(STRUCTURE_CERTIFICATE)
        if path:
            secret = config.options.get(f"{STRUCTURE_CERTIFICATE}_password")
            try:
                return load_credential(path, secret.reveal() if secret else None)
            except CertificateError as exc:
                raise CredentialError(
                    f"[{config.name}] {STRUCTURE_CERTIFICATE}: {exc} (it signs the journal's "
                    f"checkpoints)"
                ) from None
    return None


def read_key(data_dir: Path) -> bytes | None:
    try:
        return (data_dir / KEY_FILE).read_bytes()
    except FileNotFoundError:
        return None


def create_key(data_dir: Path) -> bytes:
    """The data dir's HMAC key, created (32 random bytes, mode 600) if it is not there."""
    existing = read_key(data_dir)
    if existing is not None:
        return existing
    key = secrets.token_bytes(32)
    fd = os.open(data_dir / KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, key)
        os.fsync(fd)
    finally:
        os.close(fd)
    _sync_dir(data_dir)
    return key


def signer_for(data_dir: Path, credential: Credential | None) -> Signer:
    """The daemon's signer: the structure's key if a certificate is configured (``credential``,
    from ``structure_credential``), else the data dir's HMAC key."""
    if credential is not None:
        return Signer(credential=credential)
    return Signer(key=create_key(data_dir))


def verifier_for(
    data_dir: Path, credential: Credential | None, certificates: Iterable[x509.Certificate] = ()
) -> Verifier:
    """What signatures are checked with: the data dir's key, the certificates kept in
    ``journal.certificates``, the configured structure certificate (``credential``), and
    ``certificates`` (given on the command line)."""
    known = [*read_certificates(data_dir), *certificates]
    if credential is not None:
        known.append(credential.certificate)
    return Verifier(read_key(data_dir), known)


def read_certificates(data_dir: Path) -> list[x509.Certificate]:
    """The certificates kept in ``journal.certificates`` (a block that does not parse is left
    out: the lines it signed then cannot be checked, which ``journal verify`` says)."""
    try:
        text = (data_dir / CERTIFICATES_FILE).read_text(encoding="ascii", errors="replace")
    except FileNotFoundError:
        return []
    found = []
    end = "-----END CERTIFICATE-----"
    for block in text.split(end)[:-1]:
        try:
            found.append(x509.load_pem_x509_certificate((block + end).strip().encode()))
        except ValueError:
            log.warning(
                "journal checkpoints: %s holds a block that is not a certificate", CERTIFICATES_FILE
            )
    return found


def keep_certificate(data_dir: Path, certificate: x509.Certificate) -> None:
    """Append ``certificate`` (public: no key) to ``journal.certificates`` unless it is there,
    synced to disk before any line it signs."""
    if _fingerprint(certificate) in {_fingerprint(c) for c in read_certificates(data_dir)}:
        return
    path = data_dir / CERTIFICATES_FILE
    new = not path.exists()
    _append(path, certificate.public_bytes(serialization.Encoding.PEM))
    if new:
        _sync_dir(data_dir)


def _append(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Checkpoints:
    """The checkpoint file of a running daemon."""

    def __init__(self, data_dir: Path, signer: Signer) -> None:
        self.data_dir = data_dir
        self.path = data_dir / FILE
        self.signer = signer
        if signer.credential is not None:
            keep_certificate(data_dir, signer.credential.certificate)
        current = read(self.path).current()
        last = current[-1] if current else None
        self.last: tuple[int, str] | None = (last.seq, last.hash) if last else None

    def write(self, seq: int, hash_: str, kind: str = "head") -> Checkpoint | None:
        """Append a signed checkpoint of row ``seq`` (whose hash is ``hash_``), synced to disk.
        A ``head`` checkpoint of what the last line already records is skipped (``None``)."""
        if kind == "head" and (seq == 0 or self.last == (seq, hash_)):
            return None
        checkpoint = self.signer.sign(seq, hash_, kind)
        new = not self.path.exists()
        _append(self.path, checkpoint.text().encode())
        if new:
            _sync_dir(self.data_dir)
        self.last = (seq, hash_)
        return checkpoint


# --- checking the journal against its checkpoints ---------------------------------------------


def _journal_state(conn: sqlite3.Connection) -> tuple[tuple[int, str], tuple[int, str]]:
    """(head seq, head hash), (anchor seq, anchor prev_hash) of a journal database."""
    try:
        head = conn.execute("SELECT seq, hash FROM journal_head").fetchone()
        anchor = conn.execute("SELECT seq, prev_hash FROM journal_anchor").fetchone()
    except sqlite3.OperationalError:  # no tables yet: a file created but never migrated
        return (0, "0" * 64), (1, "0" * 64)
    return (head[0], head[1]), (anchor[0], anchor[1])


def row_problem(conn: sqlite3.Connection, checkpoint: Checkpoint) -> str | None:
    """How the journal in ``conn`` disagrees with ``checkpoint`` (``None``: it agrees)."""
    (head_seq, _), (anchor_seq, anchor_prev) = _journal_state(conn)
    seq = checkpoint.seq
    if head_seq < seq:
        return (
            f"the journal ends at row {head_seq}, but its checkpoint of {checkpoint.time} "
            f"records row {seq}: rows were deleted, or the file was replaced by an older copy"
        )
    if seq < anchor_seq:
        # The row is gone: only a retention purge may have taken it, and a purge is journaled
        # naming the row it deleted up to (see ``journal.purge_gap`` for why not row times).
        gap = jr.purge_gap(conn)
        if gap is not None:
            return f"row {seq}, checkpointed at {checkpoint.time}, is gone: {gap}"
    if seq < anchor_seq - 1:
        return None  # purged by retention: nothing left to compare
    if seq == anchor_seq - 1:
        found = anchor_prev  # the last purged row: the anchor keeps its hash
    else:
        row = conn.execute("SELECT hash FROM journal WHERE seq = ?", [seq]).fetchone()
        if row is None:
            return f"row {seq}, checkpointed at {checkpoint.time}, is missing"
        found = row[0]
    if found != checkpoint.hash:
        return (
            f"row {seq} differs from its checkpoint of {checkpoint.time}: the journal was "
            f"rewritten up to there, or replaced"
        )
    return None


def lost_lines(conn: sqlite3.Connection, data_dir: Path, contents: Contents) -> str | None:
    """Why the checkpoint file lacks lines it had (``None``: nothing shows it): gone or emptied
    although ``journal.db``, the key or the kept certificates show checkpoints were written; or
    without the last line ``journal.db`` records as written to it (cut back). Both records are in
    the data dir too: this catches a file deleted or cut on its own, not one cut back together
    with the journal's own record."""
    written = jr.line_written(conn)
    if not contents.checkpoints:
        files = [n for n in (KEY_FILE, CERTIFICATES_FILE) if (data_dir / n).exists()]
        if files and _journal_state(conn)[0][0] > 0:
            marker = f"{files[0]} shows checkpoints were kept"
        elif written is not None:
            marker = f"{datadir.JOURNAL_DB} records the checkpoint of row {written[0]} in it"
        else:
            return None
        return f"missing or empty although {marker}: the checkpoints were deleted"
    if written is not None and not any((c.seq, c.hash) == written for c in contents.checkpoints):
        last = contents.checkpoints[-1]
        return (
            f"it ends at line {last.line} (row {last.seq}), but {datadir.JOURNAL_DB} records that "
            f"the checkpoint of row {written[0]} was written to it: lines were cut from the file"
        )
    return None


@dataclass
class Report:
    #: Evidence of tampering: a signature that does not verify, a row that does not match.
    problems: list[str]
    #: Signatures that could not be checked here (a key or certificate not at hand).
    unverifiable: list[str] = field(default_factory=list)
    checked: int = 0
    superseded: int = 0
    last: Checkpoint | None = None


def check(
    conn: sqlite3.Connection, data_dir: Path, contents: Contents, verifier: Verifier
) -> Report:
    """Check the file (no lines lost), every checkpoint's signature, and (those of the journal
    in place) its row."""
    problems = list(contents.malformed)
    unverifiable = []
    current = contents.current()
    superseded = contents.checkpoints[: len(contents.checkpoints) - len(current)]
    certified = False
    for checkpoint in contents.checkpoints:
        cannot = verifier.cannot_check(checkpoint)
        why = verifier.problem(checkpoint)
        if cannot is not None:
            unverifiable.append(f"{checkpoint.where()} cannot be checked: {cannot}")
        elif why is not None:
            problems.append(f"{checkpoint.where()} does not verify: {why}")
        elif checkpoint.method.startswith(CERT_METHOD):
            certified = True
        elif certified and verifier.certificates:
            problems.append(
                f"{checkpoint.where()} is signed with {KEY_FILE} although earlier checkpoints "
                f"were signed with the structure certificate"
            )
    for checkpoint in current:
        why = row_problem(conn, checkpoint)
        if why is not None:
            problems.append(f"{checkpoint.where()}: {why}")
    problems.sort(key=_line_of)
    # Last: a line that is there and wrong says more than a line that is not there.
    lost = lost_lines(conn, data_dir, contents)
    if lost is not None:
        problems.append(f"{FILE} is {lost}" if lost.startswith("missing") else f"{FILE}: {lost}")
    return Report(
        problems, unverifiable, len(current), len(superseded), current[-1] if current else None
    )


@dataclass
class JournalCheck:
    """A journal verified: its chain, then (when the chain holds and they were checked) its
    rows against the checkpoints."""

    chain: jr.Verification
    report: Report | None = None

    @property
    def status(self) -> str:
        """``ok``, ``broken`` (evidence of tampering), or ``not_verified`` (a checkpoint's
        signature cannot be checked here: its key or certificate is not at hand)."""
        if not self.chain.ok or (self.report is not None and self.report.problems):
            return "broken"
        if self.report is not None and self.report.unverifiable:
            return "not_verified"
        return "ok"

    @property
    def reason(self) -> str | None:
        """What is wrong, first thing first (``None``: nothing)."""
        if not self.chain.ok:
            return self.chain.reason
        if self.report is not None and (self.report.problems or self.report.unverifiable):
            return (self.report.problems or self.report.unverifiable)[0]
        return None


def verify_journal(
    conn: sqlite3.Connection,
    data_dir: Path,
    verifier: Verifier | None,
    start: tuple[int, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> JournalCheck:
    """Walk the chain (from ``start``, a row verified earlier: see ``journal.verify``), then,
    with a ``verifier``, check the checkpoints and the rows they name (``check``): what
    ``aiguillage journal verify`` and ``GET /v1/journal/verify`` report."""
    chain = jr.verify(conn, start, progress)
    if not chain.ok or verifier is None:
        return JournalCheck(chain)
    return JournalCheck(chain, check(conn, data_dir, read(data_dir / FILE), verifier))


def _line_of(problem: str) -> int:
    _, _, rest = problem.partition(f"{FILE} line ")
    number = rest.split(" ", 1)[0]
    return int(number) if number.isdigit() else 0


@dataclass(frozen=True)
class Finding:
    """Why the journal in place cannot be taken as the continuation of the last checkpoint."""

    file: str
    cause: str
    previous: Checkpoint | None = None

    def line(self, data_dir: Path) -> str:
        return f"{data_dir / self.file}: {self.cause}"


def inspect(data_dir: Path, verifier: Verifier) -> list[Finding]:
    """What a start-up must refuse about the journal in ``data_dir`` given its checkpoints: a
    missing ``journal.db``, a journal older than the last checkpoint or differing from it, a
    last checkpoint that does not verify or cannot be checked (its key or kept certificate
    gone), a checkpoint file gone or cut back (``lost_lines``)."""
    contents = read(data_dir / FILE)
    current = contents.current()
    last = current[-1] if current else None
    journal = data_dir / datadir.JOURNAL_DB
    if not journal.exists():
        if last is not None:
            return [
                Finding(
                    datadir.JOURNAL_DB,
                    f"missing, but {FILE} records row {last.seq} of {last.time}: the journal "
                    f"was deleted or moved",
                    last,
                )
            ]
        return []
    findings = []
    with contextlib.closing(datadir.read_only(journal)) as conn:
        lost = lost_lines(conn, data_dir, contents)
        if lost is not None:
            findings.append(Finding(FILE, lost, last))
        if last is None:
            return findings
        row_why = row_problem(conn, last)
    why = verifier.problem(last)
    cannot = verifier.cannot_check(last)
    if cannot is not None:
        findings.append(
            Finding(
                FILE, f"its last checkpoint (line {last.line}) cannot be checked: {cannot}", last
            )
        )
    elif why is not None:
        findings.append(
            Finding(FILE, f"its last checkpoint (line {last.line}) does not verify: {why}", last)
        )
    if row_why is not None:
        findings.append(Finding(datadir.JOURNAL_DB, row_why, last))
    return findings
