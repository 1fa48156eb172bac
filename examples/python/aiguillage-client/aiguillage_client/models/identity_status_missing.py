from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.identity_status_missing_code import IdentityStatusMissingCode

T = TypeVar("T", bound="IdentityStatusMissing")


@_attrs_define
class IdentityStatusMissing:
    """One step before the identity can be qualified.

    Attributes:
        code (IdentityStatusMissingCode): `identity_proof`: a high-trust document; `insi`: the INS from INSi; `doubt`:
            lift the doubt
        label (str): what to do, in French
    """

    code: IdentityStatusMissingCode
    label: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code.value

        label = self.label

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "label": label,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = IdentityStatusMissingCode(d.pop("code"))

        label = d.pop("label")

        identity_status_missing = cls(
            code=code,
            label=label,
        )

        identity_status_missing.additional_properties = d
        return identity_status_missing

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
