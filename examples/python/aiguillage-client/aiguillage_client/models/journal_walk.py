from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="JournalWalk")


@_attrs_define
class JournalWalk:
    """the walk under way, if any

    Attributes:
        whole_journal (bool): the whole journal, or only the rows added since
        rows_checked (int): so far
        rows_total (int): to walk
        started_at (datetime.datetime): when the walk began
    """

    whole_journal: bool
    rows_checked: int
    rows_total: int
    started_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        whole_journal = self.whole_journal

        rows_checked = self.rows_checked

        rows_total = self.rows_total

        started_at = self.started_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "whole_journal": whole_journal,
                "rows_checked": rows_checked,
                "rows_total": rows_total,
                "started_at": started_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        whole_journal = d.pop("whole_journal")

        rows_checked = d.pop("rows_checked")

        rows_total = d.pop("rows_total")

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))

        journal_walk = cls(
            whole_journal=whole_journal,
            rows_checked=rows_checked,
            rows_total=rows_total,
            started_at=started_at,
        )

        return journal_walk
