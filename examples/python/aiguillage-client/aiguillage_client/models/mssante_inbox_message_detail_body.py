from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="MssanteInboxMessageDetailBody")


@_attrs_define
class MssanteInboxMessageDetailBody:
    """
    Attributes:
        text (None | str):
        html (None | str):
    """

    text: None | str
    html: None | str

    def to_dict(self) -> dict[str, Any]:
        text: None | str
        text = self.text

        html: None | str
        html = self.html

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "text": text,
                "html": html,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_text(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        text = _parse_text(d.pop("text"))

        def _parse_html(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        html = _parse_html(d.pop("html"))

        mssante_inbox_message_detail_body = cls(
            text=text,
            html=html,
        )

        return mssante_inbox_message_detail_body
