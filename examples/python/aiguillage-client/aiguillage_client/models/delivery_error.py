from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DeliveryError")


@_attrs_define
class DeliveryError:
    """Why a delivery attempt failed.

    Attributes:
        code (str): the receiver's error code (`XDSRegistryError`, `http-503`…) or the daemon's (`timeout`,
            `interrupted`…)
        message (str): what went wrong, in words
        transient (bool): `true`: the outbox tries again later; `false`: a human must act
    """

    code: str
    message: str
    transient: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        transient = self.transient

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
                "transient": transient,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        transient = d.pop("transient")

        delivery_error = cls(
            code=code,
            message=message,
            transient=transient,
        )

        delivery_error.additional_properties = d
        return delivery_error

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
