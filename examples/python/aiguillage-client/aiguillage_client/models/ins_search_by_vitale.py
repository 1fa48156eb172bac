from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.carte_vitale import CarteVitale
    from ..models.practitioner import Practitioner


T = TypeVar("T", bound="InsSearchByVitale")


@_attrs_define
class InsSearchByVitale:
    """A search by what the carte Vitale (or an ApCV session) gives.

    Attributes:
        vitale (CarteVitale): The beneficiary as read from the carte Vitale or an ApCV session.
        practitioner (Practitioner | Unset): Who is acting, overriding the [practitioner] table of the config for this
            call; fields left out keep the config's values.
    """

    vitale: CarteVitale
    practitioner: Practitioner | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        vitale = self.vitale.to_dict()

        practitioner: dict[str, Any] | Unset = UNSET
        if not isinstance(self.practitioner, Unset):
            practitioner = self.practitioner.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "vitale": vitale,
            }
        )
        if practitioner is not UNSET:
            field_dict["practitioner"] = practitioner

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.carte_vitale import CarteVitale  # noqa: PLC0415
        from ..models.practitioner import Practitioner  # noqa: PLC0415

        d = dict(src_dict)
        vitale = CarteVitale.from_dict(d.pop("vitale"))

        _practitioner = d.pop("practitioner", UNSET)
        practitioner: Practitioner | Unset
        if isinstance(_practitioner, Unset):
            practitioner = UNSET
        else:
            practitioner = Practitioner.from_dict(_practitioner)

        ins_search_by_vitale = cls(
            vitale=vitale,
            practitioner=practitioner,
        )

        return ins_search_by_vitale
