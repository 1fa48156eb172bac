from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.birth_place_kind import BirthPlaceKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="BirthPlace")


@_attrs_define
class BirthPlace:
    """A birth place code over one period, with the name it had then.

    Attributes:
        code (str): the INSEE (COG) code the INS traits carry as birth_place
        name (str): its name over that period
        kind (BirthPlaceKind): a commune; a municipal arrondissement of Paris, Lyon or Marseille (births there are
            registered by arrondissement); a country or territory (99xxx); the unknown place (99999); a code the CNDA's
            published test identities carry that the COG lacks (see the plugin's README)
        department (None | str): the department (2 characters, 2A/2B) or overseas department or collectivity (3 digits);
            null for a country or the unknown place
        valid_from (datetime.date | None): first day the code named this place; null: no known start (valid since at
            least 1943)
        valid_to (datetime.date | None): the day it stopped (exclusive: the date of the merger or change); null: still
            valid
        approximate (bool): true when a bound was reconstructed from yearly states of the COG rather than read from a
            dated event: it is then the widest the data allows (see the plugin's README)
        from_nir (bool | Unset): present and true on the place the NIR given designates
    """

    code: str
    name: str
    kind: BirthPlaceKind
    department: None | str
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    approximate: bool
    from_nir: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name = self.name

        kind = self.kind.value

        department: None | str
        department = self.department

        valid_from: None | str
        if isinstance(self.valid_from, datetime.date):
            valid_from = self.valid_from.isoformat()
        else:
            valid_from = self.valid_from

        valid_to: None | str
        if isinstance(self.valid_to, datetime.date):
            valid_to = self.valid_to.isoformat()
        else:
            valid_to = self.valid_to

        approximate = self.approximate

        from_nir = self.from_nir

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "name": name,
                "kind": kind,
                "department": department,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "approximate": approximate,
            }
        )
        if from_nir is not UNSET:
            field_dict["from_nir"] = from_nir

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        name = d.pop("name")

        kind = BirthPlaceKind(d.pop("kind"))

        def _parse_department(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        department = _parse_department(d.pop("department"))

        def _parse_valid_from(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_from_type_0 = datetime.date.fromisoformat(data)

                return valid_from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        valid_from = _parse_valid_from(d.pop("valid_from"))

        def _parse_valid_to(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                valid_to_type_0 = datetime.date.fromisoformat(data)

                return valid_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        valid_to = _parse_valid_to(d.pop("valid_to"))

        approximate = d.pop("approximate")

        from_nir = d.pop("from_nir", UNSET)

        birth_place = cls(
            code=code,
            name=name,
            kind=kind,
            department=department,
            valid_from=valid_from,
            valid_to=valid_to,
            approximate=approximate,
            from_nir=from_nir,
        )

        return birth_place
