from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="MssanteRecipientReceipt")


@_attrs_define
class MssanteRecipientReceipt:
    """
    Attributes:
        from_ (None | str): the recipient who answered
        disposition (str): `processed`, `displayed`…
        code (None | str):
        label (None | str):
        at (datetime.datetime | None):
    """

    from_: None | str
    disposition: str
    code: None | str
    label: None | str
    at: datetime.datetime | None

    def to_dict(self) -> dict[str, Any]:
        from_: None | str
        from_ = self.from_

        disposition = self.disposition

        code: None | str
        code = self.code

        label: None | str
        label = self.label

        at: None | str
        if isinstance(self.at, datetime.datetime):
            at = self.at.isoformat()
        else:
            at = self.at

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from": from_,
                "disposition": disposition,
                "code": code,
                "label": label,
                "at": at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_from_(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        from_ = _parse_from_(d.pop("from"))

        disposition = d.pop("disposition")

        def _parse_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        code = _parse_code(d.pop("code"))

        def _parse_label(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        label = _parse_label(d.pop("label"))

        def _parse_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                at_type_0 = datetime.datetime.fromisoformat(data)

                return at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        at = _parse_at(d.pop("at"))

        mssante_recipient_receipt = cls(
            from_=from_,
            disposition=disposition,
            code=code,
            label=label,
            at=at,
        )

        return mssante_recipient_receipt
