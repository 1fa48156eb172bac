from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="OutboxCounts")


@_attrs_define
class OutboxCounts:
    """How many items are in each outbox state; a state none is in is left out.

    Attributes:
        queued (int | Unset): items `queued`
        sending (int | Unset): items `sending`
        sent (int | Unset): items `sent`
        failed (int | Unset): items `failed`
        dead (int | Unset): items `dead`
        cancelled (int | Unset): items `cancelled`
    """

    queued: int | Unset = UNSET
    sending: int | Unset = UNSET
    sent: int | Unset = UNSET
    failed: int | Unset = UNSET
    dead: int | Unset = UNSET
    cancelled: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        queued = self.queued

        sending = self.sending

        sent = self.sent

        failed = self.failed

        dead = self.dead

        cancelled = self.cancelled

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if queued is not UNSET:
            field_dict["queued"] = queued
        if sending is not UNSET:
            field_dict["sending"] = sending
        if sent is not UNSET:
            field_dict["sent"] = sent
        if failed is not UNSET:
            field_dict["failed"] = failed
        if dead is not UNSET:
            field_dict["dead"] = dead
        if cancelled is not UNSET:
            field_dict["cancelled"] = cancelled

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        queued = d.pop("queued", UNSET)

        sending = d.pop("sending", UNSET)

        sent = d.pop("sent", UNSET)

        failed = d.pop("failed", UNSET)

        dead = d.pop("dead", UNSET)

        cancelled = d.pop("cancelled", UNSET)

        outbox_counts = cls(
            queued=queued,
            sending=sending,
            sent=sent,
            failed=failed,
            dead=dead,
            cancelled=cancelled,
        )

        return outbox_counts
