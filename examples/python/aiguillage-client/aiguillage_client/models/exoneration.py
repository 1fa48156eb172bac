from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.exoneration_code import ExonerationCode
from ..types import UNSET, Unset

T = TypeVar("T", bound="Exoneration")


@_attrs_define
class Exoneration:
    """
    Attributes:
        code (ExonerationCode): ALD (affection de longue durée), maternity, AT/MP, CSS (complémentaire santé solidaire),
            AME, invalidity, other
        label (str | Unset):
        start (datetime.date | None | Unset):
        end (datetime.date | None | Unset):
    """

    code: ExonerationCode
    label: str | Unset = UNSET
    start: datetime.date | None | Unset = UNSET
    end: datetime.date | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        code = self.code.value

        label = self.label

        start: None | str | Unset
        if isinstance(self.start, Unset):
            start = UNSET
        elif isinstance(self.start, datetime.date):
            start = self.start.isoformat()
        else:
            start = self.start

        end: None | str | Unset
        if isinstance(self.end, Unset):
            end = UNSET
        elif isinstance(self.end, datetime.date):
            end = self.end.isoformat()
        else:
            end = self.end

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
            }
        )
        if label is not UNSET:
            field_dict["label"] = label
        if start is not UNSET:
            field_dict["start"] = start
        if end is not UNSET:
            field_dict["end"] = end

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = ExonerationCode(d.pop("code"))

        label = d.pop("label", UNSET)

        def _parse_start(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                start_type_0 = datetime.date.fromisoformat(data)

                return start_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        start = _parse_start(d.pop("start", UNSET))

        def _parse_end(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                end_type_0 = datetime.date.fromisoformat(data)

                return end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        end = _parse_end(d.pop("end", UNSET))

        exoneration = cls(
            code=code,
            label=label,
            start=start,
            end=end,
        )

        return exoneration
