from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OutboxAttachment")


@_attrs_define
class OutboxAttachment:
    """A file an outbox item sends (the CDA of a DMP send…).

    Attributes:
        n (int): its number in the item, from 0
        content_type (str): its media type (`text/xml`, `application/pdf`…), which `url` answers with
        filename (None | str): its file name, if it has one
        size (int): its size in bytes
        sha256 (str): the SHA-256 of its bytes, in hexadecimal
        url (str): where to read it: `/v1/outbox/{id}/attachments/{n}` (410 once purged)
    """

    n: int
    content_type: str
    filename: None | str
    size: int
    sha256: str
    url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        n = self.n

        content_type = self.content_type

        filename: None | str
        filename = self.filename

        size = self.size

        sha256 = self.sha256

        url = self.url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "n": n,
                "content_type": content_type,
                "filename": filename,
                "size": size,
                "sha256": sha256,
                "url": url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        n = d.pop("n")

        content_type = d.pop("content_type")

        def _parse_filename(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        filename = _parse_filename(d.pop("filename"))

        size = d.pop("size")

        sha256 = d.pop("sha256")

        url = d.pop("url")

        outbox_attachment = cls(
            n=n,
            content_type=content_type,
            filename=filename,
            size=size,
            sha256=sha256,
            url=url,
        )

        outbox_attachment.additional_properties = d
        return outbox_attachment

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
