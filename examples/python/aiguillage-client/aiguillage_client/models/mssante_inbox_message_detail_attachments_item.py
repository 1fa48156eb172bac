from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="MssanteInboxMessageDetailAttachmentsItem")


@_attrs_define
class MssanteInboxMessageDetailAttachmentsItem:
    """
    Attributes:
        n (int): its number, for `…/documents/{n}`
        filename (None | str):
        media_type (str):
        size (int):
    """

    n: int
    filename: None | str
    media_type: str
    size: int

    def to_dict(self) -> dict[str, Any]:
        n = self.n

        filename: None | str
        filename = self.filename

        media_type = self.media_type

        size = self.size

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "n": n,
                "filename": filename,
                "media_type": media_type,
                "size": size,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        n = d.pop("n")

        def _parse_filename(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        filename = _parse_filename(d.pop("filename"))

        media_type = d.pop("media_type")

        size = d.pop("size")

        mssante_inbox_message_detail_attachments_item = cls(
            n=n,
            filename=filename,
            media_type=media_type,
            size=size,
        )

        return mssante_inbox_message_detail_attachments_item
