from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MssanteReceivedDocument")


@_attrs_define
class MssanteReceivedDocument:
    """
    Attributes:
        n (int): its number, for `…/documents/{n}`
        name (str): its file name in the package
        media_type (str):
        size (int):
        title (None | str | Unset):
        type_code (None | str | Unset):
        contains_biology (bool | Unset): holds a biology report (CR-BIO)
        abnormal (bool | Unset): a result is flagged abnormal
        critical (bool | Unset): a result is flagged critical (HH, LL, AA…): show it at once
    """

    n: int
    name: str
    media_type: str
    size: int
    title: None | str | Unset = UNSET
    type_code: None | str | Unset = UNSET
    contains_biology: bool | Unset = UNSET
    abnormal: bool | Unset = UNSET
    critical: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        n = self.n

        name = self.name

        media_type = self.media_type

        size = self.size

        title: None | str | Unset
        if isinstance(self.title, Unset):
            title = UNSET
        else:
            title = self.title

        type_code: None | str | Unset
        if isinstance(self.type_code, Unset):
            type_code = UNSET
        else:
            type_code = self.type_code

        contains_biology = self.contains_biology

        abnormal = self.abnormal

        critical = self.critical

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "n": n,
                "name": name,
                "media_type": media_type,
                "size": size,
            }
        )
        if title is not UNSET:
            field_dict["title"] = title
        if type_code is not UNSET:
            field_dict["type_code"] = type_code
        if contains_biology is not UNSET:
            field_dict["contains_biology"] = contains_biology
        if abnormal is not UNSET:
            field_dict["abnormal"] = abnormal
        if critical is not UNSET:
            field_dict["critical"] = critical

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        n = d.pop("n")

        name = d.pop("name")

        media_type = d.pop("media_type")

        size = d.pop("size")

        def _parse_title(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        title = _parse_title(d.pop("title", UNSET))

        def _parse_type_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        type_code = _parse_type_code(d.pop("type_code", UNSET))

        contains_biology = d.pop("contains_biology", UNSET)

        abnormal = d.pop("abnormal", UNSET)

        critical = d.pop("critical", UNSET)

        mssante_received_document = cls(
            n=n,
            name=name,
            media_type=media_type,
            size=size,
            title=title,
            type_code=type_code,
            contains_biology=contains_biology,
            abnormal=abnormal,
            critical=critical,
        )

        return mssante_received_document
