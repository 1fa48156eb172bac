from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="FseBiller")


@_attrs_define
class FseBiller:
    """The practitioner who bills.

    Attributes:
        national_id (str): RPPS or ADELI number
        billing_id (str): identifiant de facturation (Assurance Maladie number)
        name (str): the practitioner's name
    """

    national_id: str
    billing_id: str
    name: str

    def to_dict(self) -> dict[str, Any]:
        national_id = self.national_id

        billing_id = self.billing_id

        name = self.name

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "national_id": national_id,
                "billing_id": billing_id,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        national_id = d.pop("national_id")

        billing_id = d.pop("billing_id")

        name = d.pop("name")

        fse_biller = cls(
            national_id=national_id,
            billing_id=billing_id,
            name=name,
        )

        return fse_biller
