from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.fse_securing_mode import FseSecuringMode

T = TypeVar("T", bound="FseSecuring")


@_attrs_define
class FseSecuring:
    """How the care sheet was secured and where it goes.

    Attributes:
        mode (FseSecuringMode): `apcv`: signed by the beneficiary in the carte Vitale app; `vitale`: with the carte
            Vitale read; `degraded`: neither (a paper sheet follows)
        degraded (bool): true in degraded mode
        fse_number (str): the FSE number the engine gave
        secured_at (datetime.datetime): when the engine secured it
        destination (str): the insurer it goes to (régime-caisse-centre, e.g. `01-601-0000`): lots are formed per
            destination
    """

    mode: FseSecuringMode
    degraded: bool
    fse_number: str
    secured_at: datetime.datetime
    destination: str

    def to_dict(self) -> dict[str, Any]:
        mode = self.mode.value

        degraded = self.degraded

        fse_number = self.fse_number

        secured_at = self.secured_at.isoformat()

        destination = self.destination

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "mode": mode,
                "degraded": degraded,
                "fse_number": fse_number,
                "secured_at": secured_at,
                "destination": destination,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        mode = FseSecuringMode(d.pop("mode"))

        degraded = d.pop("degraded")

        fse_number = d.pop("fse_number")

        secured_at = datetime.datetime.fromisoformat(d.pop("secured_at"))

        destination = d.pop("destination")

        fse_securing = cls(
            mode=mode,
            degraded=degraded,
            fse_number=fse_number,
            secured_at=secured_at,
            destination=destination,
        )

        return fse_securing
