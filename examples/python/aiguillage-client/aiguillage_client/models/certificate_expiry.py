from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CertificateExpiry")


@_attrs_define
class CertificateExpiry:
    """The plugin's certificate that expires first.

    Attributes:
        subject (str): whose it is (RFC 4514 distinguished name)
        not_after (datetime.datetime): when it stops being valid
        days_left (int): whole days until then; negative once it has expired
    """

    subject: str
    not_after: datetime.datetime
    days_left: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        subject = self.subject

        not_after = self.not_after.isoformat()

        days_left = self.days_left

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "subject": subject,
                "not_after": not_after,
                "days_left": days_left,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        subject = d.pop("subject")

        not_after = datetime.datetime.fromisoformat(d.pop("not_after"))

        days_left = d.pop("days_left")

        certificate_expiry = cls(
            subject=subject,
            not_after=not_after,
            days_left=days_left,
        )

        certificate_expiry.additional_properties = d
        return certificate_expiry

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
