from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="JournalReceipt")


@_attrs_define
class JournalReceipt:
    """The row an entry was recorded as, on disk.

    Attributes:
        seq (int): the row's number in the journal
        time (datetime.datetime): when it was recorded (UTC, to the microsecond)
        hash_ (str): the row's SHA-256 chained to the previous row's (`aiguillage journal verify` checks the chain)
    """

    seq: int
    time: datetime.datetime
    hash_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        seq = self.seq

        time = self.time.isoformat()

        hash_ = self.hash_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "seq": seq,
                "time": time,
                "hash": hash_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        seq = d.pop("seq")

        time = datetime.datetime.fromisoformat(d.pop("time"))

        hash_ = d.pop("hash")

        journal_receipt = cls(
            seq=seq,
            time=time,
            hash_=hash_,
        )

        journal_receipt.additional_properties = d
        return journal_receipt

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
