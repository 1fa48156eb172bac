from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DmpBatchCounts")


@_attrs_define
class DmpBatchCounts:
    """how many items are in each outbox state; a state none is in is left out

    Attributes:
        queued (int | Unset): items queued
        sending (int | Unset): items sending
        sent (int | Unset): items sent
        failed (int | Unset): items failed
        dead (int | Unset): items dead
        cancelled (int | Unset): items cancelled
        unknown (int | Unset): items unknown
    """

    queued: int | Unset = UNSET
    sending: int | Unset = UNSET
    sent: int | Unset = UNSET
    failed: int | Unset = UNSET
    dead: int | Unset = UNSET
    cancelled: int | Unset = UNSET
    unknown: int | Unset = UNSET
    additional_properties: dict[str, int] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        queued = self.queued

        sending = self.sending

        sent = self.sent

        failed = self.failed

        dead = self.dead

        cancelled = self.cancelled

        unknown = self.unknown

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
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
        if unknown is not UNSET:
            field_dict["unknown"] = unknown

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

        unknown = d.pop("unknown", UNSET)

        dmp_batch_counts = cls(
            queued=queued,
            sending=sending,
            sent=sent,
            failed=failed,
            dead=dead,
            cancelled=cancelled,
            unknown=unknown,
        )

        dmp_batch_counts.additional_properties = d
        return dmp_batch_counts

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> int:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: int) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
