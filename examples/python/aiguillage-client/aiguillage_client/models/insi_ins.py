from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.insi_ins_kind import InsiInsKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="InsiIns")


@_attrs_define
class InsiIns:
    """An INS as INSi returned it.

    Attributes:
        matricule (str): the INS: 13 characters (2A/2B allowed) and the 2-digit key
        oid (str): its assigning authority: `1.2.250.1.213.1.4.8` NIR, `1.2.250.1.213.1.4.9` NIA, `.10` and `.11` test
            NIRs
        kind (InsiInsKind): what the OID says: `NIR`; `NIA` (a provisional number: the identity cannot be qualified on
            it); `test`; `unknown` for an OID not listed
        start (datetime.date | None | Unset): first day of validity of a former INS (INSHISTO), when INSi gives it
        end (datetime.date | None | Unset): last day of validity of a former INS (INSHISTO), when INSi gives it
    """

    matricule: str
    oid: str
    kind: InsiInsKind
    start: datetime.date | None | Unset = UNSET
    end: datetime.date | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        matricule = self.matricule

        oid = self.oid

        kind = self.kind.value

        start: None | str | Unset
        if isinstance(self.start, Unset):
            start = UNSET
        elif isinstance(self.start, datetime.date):
            start = self.start.isoformat()
        else:
            start = self.start

        end: None | str | Unset
        if isinstance(self.end, Unset):
            end = UNSET
        elif isinstance(self.end, datetime.date):
            end = self.end.isoformat()
        else:
            end = self.end

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "matricule": matricule,
                "oid": oid,
                "kind": kind,
            }
        )
        if start is not UNSET:
            field_dict["start"] = start
        if end is not UNSET:
            field_dict["end"] = end

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        matricule = d.pop("matricule")

        oid = d.pop("oid")

        kind = InsiInsKind(d.pop("kind"))

        def _parse_start(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                start_type_0 = datetime.date.fromisoformat(data)

                return start_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        start = _parse_start(d.pop("start", UNSET))

        def _parse_end(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                end_type_0 = datetime.date.fromisoformat(data)

                return end_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        end = _parse_end(d.pop("end", UNSET))

        insi_ins = cls(
            matricule=matricule,
            oid=oid,
            kind=kind,
            start=start,
            end=end,
        )

        insi_ins.additional_properties = d
        return insi_ins

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
