"""Return receipts: Message Disposition Notifications (RFC 8098) as the ANS guide for sending
CDA documents by MSSanté mail asks for them (volet "Transmission de documents CDA par
courriel MSSanté", page "Structure du message MDN"): a ``multipart/report`` whose
``Disposition`` says ``processed``, or ``processed/Error: <code>^<libellé>`` when the document
could not be integrated, followed by the original message. Build one, or read one received."""

from __future__ import annotations

import datetime as dt
import email
import email.utils
import hashlib
import re
from dataclasses import dataclass
from email import policy
from email.generator import BytesGenerator
from email.message import EmailMessage, Message, MIMEPart
from io import BytesIO

from aiguillage.plugin import __version__

#: The subject prefix of an MDN in error (ANS guide): ``[KO Intégration système !][<code>]``
#: before the original subject, ``XDM/1.0/DDM+<libellé> <NOM> <prénom> <date>``.
ERROR_SUBJECT = "[KO Intégration système !][{code}] "
#: Dispositions RFC 8098 §3.2.6.2 defines.
DISPOSITION_TYPES = ("displayed", "dispatched", "processed", "deleted")

_ADDRESS = re.compile(r"[^\s<>()\[\]\\,;:\"@]+@[^\s<>()\[\]\\,;:\"@]+")
_MESSAGE_ID = re.compile(r"<[^\s<>]+@[^\s<>]+>")
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f]")


class _Generator(BytesGenerator):
    """Writes the 8-bit bodies of ``message/*`` parts (a UTF-8 disposition, a returned
    original with 8-bit text) byte for byte, where the stdlib's insists on ASCII."""

    def _encode(self, s: str) -> bytes:
        return s.encode("ascii", "surrogateescape")


class MdnError(ValueError):
    """What an MDN is built from is not acceptable, or a message is no readable MDN; the
    message names the field."""


@dataclass
class Mdn:
    original_message_id: str | None
    disposition: str  # "processed", "displayed", "dispatched", "deleted"
    error_code: str | None
    error_label: str | None
    final_recipient: str | None
    original_recipient: str | None = None
    #: ``automatic-action/MDN-sent-automatically`` or ``manual-action/MDN-sent-manually``.
    mode: str | None = None
    #: The whole error text after ``Error:``, for codes with more components than code^label
    #: (``902^Identifiant de patient inconnu^messageErrorCondition| E^Error^errorSeverity``).
    error_text: str | None = None
    reporting_ua: str | None = None

    @property
    def error(self) -> bool:
        return self.error_text is not None


def _address(value: str, field: str) -> str:
    if not isinstance(value, str) or not _ADDRESS.fullmatch(value):
        raise MdnError(f"{field}: {value!r} is not a mail address (local@domain)")
    return value


def _message_id(value: str, field: str) -> str:
    if not isinstance(value, str) or not _MESSAGE_ID.fullmatch(value):
        raise MdnError(f"{field}: {value!r} is not a Message-ID (<left@right>)")
    return value


def _text(value: str, field: str, limit: int) -> str:
    if not value or _FORBIDDEN.search(value) or len(value) > limit:
        raise MdnError(f"{field}: must be 1 to {limit} characters without control characters")
    return value


def disposition_field(error: tuple[str, str] | None, *, manual: bool = False) -> str:
    """The value of the ``Disposition`` field: ``processed``, or ``processed/Error:
    code^label``, after the mode (automatic unless a user chose to send it)."""
    mode = (
        "manual-action/MDN-sent-manually" if manual else "automatic-action/MDN-sent-automatically"
    )
    if error is None:
        return f"{mode}; processed"
    code, label = error
    return f"{mode}; processed/Error: {code}^{label}"


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def build_mdn(
    original_message_id: str,
    original_recipient: str | None,
    receipt_to: str,
    reporter: str,
    error: tuple[str, str] | None,
    date: dt.datetime,
    *,
    subject: str = "",
    original: bytes | None = None,
    message_id: str | None = None,
    manual: bool = False,
) -> bytes:
    """The MDN (RFC 5322 bytes, CRLF) for the message ``original_message_id`` that
    ``reporter`` (the mailbox that received it, ``From`` and ``Final-Recipient``) sends to
    ``receipt_to`` (the original's ``Disposition-Notification-To``). ``original_recipient``:
    the original's ``Original-Recipient`` when it had one. ``error``: ``(code, label)`` for
    ``processed/Error``. ``subject``: the original's, which the guide repeats (prefixed in
    error). ``original``: the original message, the guide's third part. The same arguments
    give the same bytes (the outbox may build it again): the Message-ID and the MIME
    boundary derive from them unless ``message_id`` is given. :class:`MdnError` naming the
    field that is wrong."""
    _message_id(original_message_id, "original_message_id")
    _address(receipt_to, "receipt_to")
    _address(reporter, "reporter")
    if original_recipient is not None:
        _address(original_recipient, "original_recipient")
    if date.tzinfo is None:
        raise MdnError("date: must carry its offset from UTC")
    if error is not None:
        code, label = error
        _text(code, "error code", 40)
        if "^" in code:
            raise MdnError("error code: must not contain ^, the separator of code and label")
        _text(label, "error label", 400)
    if _FORBIDDEN.search(subject):
        raise MdnError("subject: must not contain control characters")
    domain = reporter.rpartition("@")[2]
    seed = _digest(original_message_id, reporter, repr(error))
    mdn_id = _message_id(message_id, "message_id") if message_id else f"<mdn.{seed[:32]}@{domain}>"

    root = EmailMessage(policy=policy.SMTP)
    root["From"] = reporter
    root["To"] = receipt_to
    root["Date"] = email.utils.format_datetime(date)
    root["Message-ID"] = mdn_id
    root["References"] = original_message_id
    if not manual:
        root["Auto-Submitted"] = "auto-replied"  # RFC 3834: no auto-answer to this one
    prefix = ERROR_SUBJECT.format(code=error[0]) if error else ""
    root["Subject"] = prefix + (subject or f"Accusé de traitement {original_message_id}")
    root["MIME-Version"] = "1.0"
    root["Content-Type"] = "multipart/report"
    root.set_param("report-type", "disposition-notification")
    root.set_boundary(f"=_mdn_{seed[32:56]}")

    human = MIMEPart(policy=policy.SMTP)
    if error:
        text = (
            f"Le message {original_message_id} n'a pas pu être intégré automatiquement pour la "
            f"raison suivante : {error[1]} (code {error[0]}).\n"
        )
    else:
        text = f"Le message {original_message_id} a été traité par {reporter}.\n"
    human.set_content(text, charset="utf-8", cte="quoted-printable")

    fields = [
        f"Reporting-UA: {domain}; Aiguillage {__version__}",
        *([f"Original-Recipient: rfc822;{original_recipient}"] if original_recipient else []),
        f"Final-Recipient: rfc822;{reporter}",
        f"Original-Message-ID: {original_message_id}",
        f"Disposition: {disposition_field(error, manual=manual)}",
    ]
    body = "\r\n".join(fields) + "\r\n"
    report = MIMEPart(policy=policy.SMTP)
    if body.isascii():
        report["Content-Type"] = "message/disposition-notification"
        report.set_payload(body)
    else:
        # A label with accents: RFC 6533's UTF-8 variant, sent as 8-bit.
        report["Content-Type"] = "message/global-disposition-notification"
        report["Content-Transfer-Encoding"] = "8bit"
        report.set_payload(body.encode().decode("ascii", "surrogateescape"))
    parts = [human, report]
    if original is not None:
        returned = MIMEPart(policy=policy.SMTP)
        returned["Content-Type"] = "message/rfc822"
        if not original.isascii():
            returned["Content-Transfer-Encoding"] = "8bit"
        # Kept byte for byte: a parsed and re-serialised copy would not be the message sent.
        lines = original.replace(b"\r\n", b"\n").split(b"\n")
        returned.set_payload(b"\r\n".join(lines).decode("ascii", "surrogateescape"))
        parts.append(returned)
    root.set_payload(parts)
    out = BytesIO()
    _Generator(out, policy=policy.SMTP).flatten(root)
    return out.getvalue()


def _field(fields: Message, name: str) -> str | None:
    value = fields.get(name)
    return str(value).strip() if value is not None else None


def _recipient(value: str | None) -> str | None:
    """The address of ``rfc822;addr`` (RFC 8098 §3.2.3, §3.2.4)."""
    if not value:
        return None
    kind, semicolon, address = value.partition(";")
    return (address if semicolon else kind).strip() or None


def parse_disposition(value: str) -> tuple[str | None, str, str | None]:
    """``(mode, disposition type, error text)`` of a ``Disposition`` field:
    ``automatic-action/MDN-sent-automatically; processed/Error: 902^Patient inconnu`` gives
    ``("automatic-action/MDN-sent-automatically", "processed", "902^Patient inconnu")``.
    :class:`MdnError` when it names no disposition type of RFC 8098."""
    mode, semicolon, rest = value.partition(";")
    if not semicolon:
        mode, rest = "", value
    kind, _, modifiers = rest.strip().partition("/")
    kind = kind.strip().lower()
    if kind not in DISPOSITION_TYPES:
        raise MdnError(f"Disposition {value!r} names no disposition type of RFC 8098")
    error_text = None
    for modifier in re.split(r",(?=\s*error\b)", modifiers, flags=re.IGNORECASE):
        name, colon, text = modifier.strip().partition(":")
        if name.strip().lower() == "error":
            error_text = text.strip() if colon else ""
    return mode.strip() or None, kind, error_text


def _report_part(message: Message) -> Message | None:
    for part in message.walk():
        if part.get_content_type() in (
            "message/disposition-notification",
            "message/global-disposition-notification",
        ):
            return part
    return None


def is_mdn(message: Message) -> bool:
    return (
        message.get_content_type() == "multipart/report"
        and (message.get_param("report-type") or "").lower() == "disposition-notification"
    )


def parse_mdn(message: Message | bytes) -> Mdn:
    """The notification a received MDN carries. ``message``: the parsed message (stdlib
    ``email``) or its bytes. The original's Message-ID comes from ``Original-Message-ID``,
    else from the returned original, else from the MDN's ``In-Reply-To``/``References``.
    :class:`MdnError` when ``message`` is no ``multipart/report`` of dispositions or its
    ``Disposition`` is missing or unreadable."""
    if isinstance(message, bytes):
        message = email.message_from_bytes(message, policy=policy.default)
    if not is_mdn(message):
        raise MdnError(
            "not an MDN: the message is no multipart/report; report-type=disposition-notification"
        )
    part = _report_part(message)
    if part is None:
        raise MdnError("MDN without a message/disposition-notification part")
    payload = part.get_payload()
    if isinstance(payload, list) and payload:
        fields = payload[0]
    else:  # not parsed as fields (an unusual transfer encoding): read the decoded text
        raw = part.get_payload(decode=True) or b""
        fields = email.message_from_bytes(raw, policy=policy.default)
    disposition = _field(fields, "Disposition")
    if not disposition:
        raise MdnError("MDN without a Disposition field")
    mode, kind, error_text = parse_disposition(disposition)
    code = label = None
    if error_text:
        components = error_text.split("^")
        code = components[0].strip() or None
        label = components[1].strip() if len(components) > 1 and components[1].strip() else None
    original_id = _field(fields, "Original-Message-ID")
    if not original_id:
        for candidate in message.walk():
            if candidate.get_content_type() == "message/rfc822" and candidate.is_multipart():
                original_id = _field(candidate.get_payload(0), "Message-ID")
                break
    if not original_id:
        original_id = (
            _field(message, "In-Reply-To")
            or ((_field(message, "References") or "").split() or [None])[-1]
        )
    return Mdn(
        original_message_id=original_id,
        disposition=kind,
        error_code=code,
        error_label=label,
        final_recipient=_recipient(_field(fields, "Final-Recipient")),
        original_recipient=_recipient(_field(fields, "Original-Recipient")),
        mode=mode,
        error_text=error_text,
        reporting_ua=_field(fields, "Reporting-UA"),
    )
