from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.journal_verification_status import JournalVerificationStatus

if TYPE_CHECKING:
    from ..models.journal_walk import JournalWalk


T = TypeVar("T", bound="JournalVerification")


@_attrs_define
class JournalVerification:
    """Whether the journal's hash chain and checkpoints hold, as last verified.

    Attributes:
        status (JournalVerificationStatus): `ok`: every row verified follows the chain and the checkpoints match;
            `broken`: a row was edited, deleted, reordered or added, or the checkpoints disagree (`reason` says which);
            `not_verified`: a checkpoint's signature cannot be checked here (its key or certificate is missing);
            `unchecked`: no walk has ended yet (see `running`)
        rows_checked (int): rows verified: the last walk of the whole journal's, and those added since
        last_seq (int | None): the last row verified (`null` when broken or unchecked)
        first_bad_row (int | None): the first row where it breaks
        reason (None | str): what is wrong, in words (`null` when `ok`)
        checked_at (datetime.datetime | None): when the last walk ended
        whole_journal_at (datetime.datetime | None): when the last walk of the whole journal and its checkpoints ended
        checkpoints_checked (int | None): checkpoints of this journal found matching, signatures checked, at that walk
        running (JournalWalk | None): the walk under way, if any
    """

    status: JournalVerificationStatus
    rows_checked: int
    last_seq: int | None
    first_bad_row: int | None
    reason: None | str
    checked_at: datetime.datetime | None
    whole_journal_at: datetime.datetime | None
    checkpoints_checked: int | None
    running: JournalWalk | None

    def to_dict(self) -> dict[str, Any]:
        from ..models.journal_walk import JournalWalk  # noqa: PLC0415

        status = self.status.value

        rows_checked = self.rows_checked

        last_seq: int | None
        last_seq = self.last_seq

        first_bad_row: int | None
        first_bad_row = self.first_bad_row

        reason: None | str
        reason = self.reason

        checked_at: None | str
        if isinstance(self.checked_at, datetime.datetime):
            checked_at = self.checked_at.isoformat()
        else:
            checked_at = self.checked_at

        whole_journal_at: None | str
        if isinstance(self.whole_journal_at, datetime.datetime):
            whole_journal_at = self.whole_journal_at.isoformat()
        else:
            whole_journal_at = self.whole_journal_at

        checkpoints_checked: int | None
        checkpoints_checked = self.checkpoints_checked

        running: dict[str, Any] | None
        if isinstance(self.running, JournalWalk):
            running = self.running.to_dict()
        else:
            running = self.running

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "status": status,
                "rows_checked": rows_checked,
                "last_seq": last_seq,
                "first_bad_row": first_bad_row,
                "reason": reason,
                "checked_at": checked_at,
                "whole_journal_at": whole_journal_at,
                "checkpoints_checked": checkpoints_checked,
                "running": running,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.journal_walk import JournalWalk  # noqa: PLC0415

        d = dict(src_dict)
        status = JournalVerificationStatus(d.pop("status"))

        rows_checked = d.pop("rows_checked")

        def _parse_last_seq(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        last_seq = _parse_last_seq(d.pop("last_seq"))

        def _parse_first_bad_row(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        first_bad_row = _parse_first_bad_row(d.pop("first_bad_row"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        def _parse_checked_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                checked_at_type_0 = datetime.datetime.fromisoformat(data)

                return checked_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        checked_at = _parse_checked_at(d.pop("checked_at"))

        def _parse_whole_journal_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                whole_journal_at_type_0 = datetime.datetime.fromisoformat(data)

                return whole_journal_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        whole_journal_at = _parse_whole_journal_at(d.pop("whole_journal_at"))

        def _parse_checkpoints_checked(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        checkpoints_checked = _parse_checkpoints_checked(d.pop("checkpoints_checked"))

        def _parse_running(data: object) -> JournalWalk | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_journal_walk_type_0 = JournalWalk.from_dict(data)

                return componentsschemas_journal_walk_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JournalWalk | None, data)

        running = _parse_running(d.pop("running"))

        journal_verification = cls(
            status=status,
            rows_checked=rows_checked,
            last_seq=last_seq,
            first_bad_row=first_bad_row,
            reason=reason,
            checked_at=checked_at,
            whole_journal_at=whole_journal_at,
            checkpoints_checked=checkpoints_checked,
            running=running,
        )

        return journal_verification
