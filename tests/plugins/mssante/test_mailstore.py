"""The store of received and sent MSSanté mail: idempotent storing, filters, pages, the read
flag, documents kept apart, receipts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from aiguillage.plugins.mssante.mailstore import MailStore

RUTH = "277076322082910"
OTHER = "180012B12345678"
INS_OID = "1.2.250.1.213.1.4.8"
PDF = b"%PDF-1.4 test document"
CDA = b"<ClinicalDocument/>"


def parsed(
    n: int, patient: str | None = RUTH, critical: bool = False, report: bool = False
) -> dict:
    return {
        "message_id": f"<m{n}@laboratoire.mssante.fr>",
        "sender": "labo@laboratoire.mssante.fr",
        "to": ["cabinet.test@medecin.mssante.fr"],
        "subject": f"XDM/1.0/DDM+Compte rendu {n}",
        "date": "2026-03-01T10:00:00+01:00",
        "receipt_to": "labo@laboratoire.mssante.fr",
        "package_error": None,
        "patient": {"ins": {"matricule": patient, "oid": INS_OID}} if patient else None,
        "documents": [
            {
                "name": "DOC0001.XML",
                "media_type": "text/xml",
                "content": CDA,
                "flags": {"contains_biology": True, "abnormal": critical, "critical": critical},
            },
            {"name": "DOC0002.PDF", "media_type": "application/pdf", "content": PDF, "flags": {}},
        ],
        "attachments": [{"filename": "rendu.pdf", "media_type": "application/pdf", "content": PDF}],
        "report": {"disposition": "processed"} if report else None,
    }


@pytest.fixture
def store(tmp_path: Path) -> Iterator[MailStore]:
    store = MailStore(tmp_path / "mail.db")
    yield store
    store.close()


async def put(store: MailStore, uid: int, at: float, **kwargs) -> int:
    id, new = await store.store_received(
        mailbox="INBOX",
        uidvalidity=7,
        uid=uid,
        raw=b"raw %d" % uid,
        parsed=parsed(uid, **kwargs),
        received_at=at,
    )
    assert new
    return id


async def test_storing_twice_is_idempotent(store: MailStore) -> None:
    first = await store.store_received(
        mailbox="INBOX", uidvalidity=7, uid=3, raw=b"one", parsed=parsed(1)
    )
    again = await store.store_received(
        mailbox="INBOX", uidvalidity=7, uid=3, raw=b"other", parsed=parsed(2)
    )
    assert first == (first[0], True)
    assert again == (first[0], False)
    assert store.raw(first[0]) == b"one"
    assert store.last_uid("INBOX", 7) == 3
    # The same UID under another UIDVALIDITY, or in another mailbox, is another message.
    _, new = await store.store_received(
        mailbox="INBOX", uidvalidity=8, uid=3, raw=b"renumbered", parsed=parsed(3)
    )
    assert new
    _, new = await store.store_received(
        mailbox="Other", uidvalidity=7, uid=3, raw=b"elsewhere", parsed=parsed(4)
    )
    assert new
    assert store.last_uid("INBOX", 7) == 3
    assert store.last_uid("INBOX", 9) == 0


async def test_columns_documents_and_flags(store: MailStore) -> None:
    id = await put(store, 1, 1000.0, critical=True)
    message = store.get_received(id)
    assert message.message_id == "<m1@laboratoire.mssante.fr>"
    assert message.sender == "labo@laboratoire.mssante.fr"
    assert message.subject == "XDM/1.0/DDM+Compte rendu 1"
    assert message.date == 1772355600.0  # 2026-03-01T09:00:00Z
    assert message.patient_ins == RUTH
    assert message.unread and message.critical and message.abnormal and message.contains_biology
    assert message.receipt_to == "labo@laboratoire.mssante.fr"
    assert not message.is_report
    # Bytes are kept apart; the JSON says where to find them.
    docs = message.parsed["documents"]
    assert [d["n"] for d in docs] == [0, 1] and "content" not in docs[0]
    assert docs[1]["size"] == len(PDF)
    assert message.parsed["attachments"][0]["n"] == 2
    assert store.document(id, 0).content == CDA
    assert store.document(id, 1).media_type == "application/pdf"
    assert store.document(id, 2).filename == "rendu.pdf"
    assert store.document(id, 2).content == PDF
    assert store.document(id, 3) is None
    assert store.document(id + 1, 0) is None
    # A listing leaves the parsed data out.
    [listed], _ = store.list_received()
    assert listed.parsed is None and listed.critical


async def test_filters(store: MailStore) -> None:
    a = await put(store, 1, 1000.0)
    b = await put(store, 2, 2000.0, critical=True)
    c = await put(store, 3, 3000.0, patient=OTHER)
    d = await put(store, 4, 4000.0, report=True)

    def ids(**filters) -> list[int]:
        found, _ = store.list_received(**filters)
        return [m.id for m in found]

    assert ids() == [c, b, a]  # newest first, receipts left out
    assert ids(reports=True) == [d, c, b, a]
    assert ids(patient=RUTH) == [b, a]
    assert ids(patient=OTHER) == [c]
    assert ids(critical=True) == [b]
    assert ids(critical=False) == [c, a]
    assert ids(from_=2000.0) == [c, b]
    assert ids(to=2000.0) == [b, a]
    assert ids(from_=1500.0, to=2500.0) == [b]
    assert await store.mark_read(b)
    assert ids(unread=True) == [c, a]
    assert ids(unread=False) == [b]
    assert await store.mark_read(b, read=False)
    assert ids(unread=False) == []
    assert not await store.mark_read(999)


async def test_pages(store: MailStore) -> None:
    made = [await put(store, uid, float(uid)) for uid in range(1, 8)]
    pages, cursor = [], None
    while True:
        page, cursor = store.list_received(limit=3, cursor=cursor)
        pages.append([m.id for m in page])
        if cursor is None:
            break
    assert pages == [made[6:3:-1], made[3:0:-1], [made[0]]]
    with pytest.raises(ValueError, match="limit"):
        store.list_received(limit=0)


async def test_read_flag_survives_reopening(tmp_path: Path) -> None:
    store = MailStore(tmp_path / "mail.db")
    id = await put(store, 1, 1.0)
    await store.mark_read(id)
    store.close()
    store = MailStore(tmp_path / "mail.db")
    try:
        assert not store.get_received(id).unread
        assert store.last_uid("INBOX", 7) == 1
    finally:
        store.close()


async def test_unparsed_message_is_kept_raw(store: MailStore) -> None:
    id, _ = await store.store_received(
        mailbox="INBOX", uidvalidity=1, uid=1, raw=b"garbage", parsed=None, parse_error="boom"
    )
    message = store.get_received(id)
    assert message.parsed is None and message.parse_error == "boom"
    assert store.raw(id) == b"garbage"
    with pytest.raises(ValueError, match="parse_error"):
        await store.store_received(mailbox="INBOX", uidvalidity=1, uid=2, raw=b"", parsed=None)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"date": "yesterday"}, "parsed/date"),
        ({"date": "2026-03-01T10:00:00"}, "no offset"),
        ({"subject": 3}, "parsed/subject"),
        ({"documents": [{"content": "not bytes"}]}, "parsed/documents/0/content"),
        ({"documents": "nope"}, "parsed/documents"),
        ({"extra": b"bytes"}, "not JSON-able"),
    ],
)
async def test_bad_parsed_data_is_named(store: MailStore, change: dict, reason: str) -> None:
    data = {**parsed(1), **change}
    with pytest.raises(ValueError, match=reason):
        await store.store_received(mailbox="INBOX", uidvalidity=1, uid=1, raw=b"x", parsed=data)
    assert store.last_uid("INBOX", 1) == 0


async def test_parse_failures_are_counted(store: MailStore) -> None:
    assert await store.note_parse_failure("INBOX", 1, 5, "one") == 1
    assert await store.note_parse_failure("INBOX", 1, 5, "two") == 2
    assert await store.note_parse_failure("INBOX", 1, 6, "other") == 1


async def test_ack_is_recorded(store: MailStore) -> None:
    id = await put(store, 1, 1.0)
    assert store.get_received(id).ack is None
    assert await store.mark_acked(
        id, "processed", code="12", label="patient inconnu", mdn_message_id="<r@x>", at=5.0
    )
    ack = store.get_received(id).ack
    assert (ack.state, ack.code, ack.label, ack.message_id, ack.at) == (
        "error",
        "12",
        "patient inconnu",
        "<r@x>",
        5.0,
    )
    other = await put(store, 2, 2.0)
    assert await store.mark_acked(other, "processed", at=6.0)
    assert store.get_received(other).ack.state == "processed"
    assert not await store.mark_acked(999, "processed")


async def test_sent_message_and_its_receipts(store: MailStore) -> None:
    id = await store.record_sent(
        message_id="<s1@medecin.mssante.fr>",
        item_id=41,
        sender="cabinet.test@medecin.mssante.fr",
        recipients=["a@medecin.mssante.fr", "b@medecin.mssante.fr"],
        patient_ins=RUTH,
        subject="XDM/1.0/DDM+Lettre",
        receipt_requested=True,
        created_at=10.0,
    )
    again = await store.record_sent(
        message_id="s1@medecin.mssante.fr",
        item_id=99,
        sender="x",
        recipients=[],
        patient_ins=None,
        subject=None,
        receipt_requested=False,
    )
    assert again == id
    sent = store.get_sent("<s1@medecin.mssante.fr>")
    assert sent.id == id and sent.item_id == 41 and sent.receipt == "requested"
    assert store.get_sent(id) == sent
    assert store.sent_for_item(41) == sent
    assert store.get_sent("<unknown@x>") is None

    after_a = await store.record_mdn(
        "s1@medecin.mssante.fr",
        disposition="processed",
        final_recipient="A@medecin.mssante.fr",
        at=20.0,
    )
    assert after_a.receipt == "requested"  # b has not answered yet
    assert [r.recipient for r in after_a.receipts] == ["a@medecin.mssante.fr"]
    after_b = await store.record_mdn(
        "<s1@medecin.mssante.fr>",
        disposition="processed",
        final_recipient="b@medecin.mssante.fr",
        at=30.0,
        mdn_message_id="<mdn-b@x>",
    )
    assert (after_b.receipt, after_b.receipt_at) == ("processed", 30.0)
    # The same recipient saying it again replaces its receipt; an error wins over success.
    after_error = await store.record_mdn(
        "<s1@medecin.mssante.fr>",
        disposition="processed",
        code="9",
        label="illisible",
        final_recipient="b@medecin.mssante.fr",
        at=40.0,
    )
    assert (after_error.receipt, after_error.receipt_code, after_error.receipt_label) == (
        "error",
        "9",
        "illisible",
    )
    assert len(after_error.receipts) == 2
    assert await store.record_mdn("<nobody@x>", disposition="processed") is None
    with pytest.raises(ValueError, match="disposition"):
        await store.record_mdn("<s1@medecin.mssante.fr>", disposition=" ")


async def test_one_recipient_and_a_failed_disposition(store: MailStore) -> None:
    await store.record_sent(
        message_id="<s2@x>",
        item_id=None,
        sender="me@x",
        recipients=["p@patient.mssante.fr"],
        patient_ins=None,
        subject=None,
        receipt_requested=False,
    )
    assert store.get_sent("<s2@x>").receipt == "none"
    done = await store.record_mdn("<s2@x>", disposition="processed", at=1.0)
    assert done.receipt == "processed"  # a receipt naming nobody counts for the one recipient
    failed = await store.record_mdn(
        "<s2@x>", disposition="deleted", final_recipient="p@patient.mssante.fr", at=2.0
    )
    assert failed.receipt == "error"
