from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="VsmItem")


@_attrs_define
class VsmItem:
    """One line of the VSM: a problem, an allergy, a treatment…

    Attributes:
        label (str): what it is, in words ("Diabète de type 2")
        since (datetime.date | Unset): since when (YYYY-MM-DD)
        code (str | Unset): its code (CIM-10, ATC…)
        dosage (str | Unset): a treatment's dosage
    """

    label: str
    since: datetime.date | Unset = UNSET
    code: str | Unset = UNSET
    dosage: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        label = self.label

        since: str | Unset = UNSET
        if not isinstance(self.since, Unset):
            since = self.since.isoformat()

        code = self.code

        dosage = self.dosage

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "label": label,
            }
        )
        if since is not UNSET:
            field_dict["since"] = since
        if code is not UNSET:
            field_dict["code"] = code
        if dosage is not UNSET:
            field_dict["dosage"] = dosage

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        label = d.pop("label")

        _since = d.pop("since", UNSET)
        since: datetime.date | Unset
        if isinstance(_since, Unset):
            since = UNSET
        else:
            since = datetime.date.fromisoformat(_since)

        code = d.pop("code", UNSET)

        dosage = d.pop("dosage", UNSET)

        vsm_item = cls(
            label=label,
            since=since,
            code=code,
            dosage=dosage,
        )

        return vsm_item
