from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="InsiJournalReference")


@_attrs_define
class InsiJournalReference:
    """A journaled INSi search or verification, read back from the journal.

    Attributes:
        journal_id (int): the `seq` of an `ins.search` or `ins.verify` row of this patient (`GET /v1/journal?event=ins`)
    """

    journal_id: int

    def to_dict(self) -> dict[str, Any]:
        journal_id = self.journal_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "journal_id": journal_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        journal_id = d.pop("journal_id")

        insi_journal_reference = cls(
            journal_id=journal_id,
        )

        return insi_journal_reference
