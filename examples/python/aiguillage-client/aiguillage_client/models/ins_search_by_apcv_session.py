from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.practitioner import Practitioner


T = TypeVar("T", bound="InsSearchByApcvSession")


@_attrs_define
class InsSearchByApcvSession:
    """A carte Vitale search with a beneficiary of an open ApCV session (`POST /v1/apcv/sessions`): the daemon reads their
    card data from the session.

        Attributes:
            apcv_session (str): the `id` of the ApCV session
            beneficiary (int | Unset): the beneficiary's position in the session's `beneficiaries` (0: the first) Default:
                0.
            practitioner (Practitioner | Unset): Who is acting, overriding the [practitioner] table of the config for this
                call; fields left out keep the config's values.
    """

    apcv_session: str
    beneficiary: int | Unset = 0
    practitioner: Practitioner | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        apcv_session = self.apcv_session

        beneficiary = self.beneficiary

        practitioner: dict[str, Any] | Unset = UNSET
        if not isinstance(self.practitioner, Unset):
            practitioner = self.practitioner.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "apcv_session": apcv_session,
            }
        )
        if beneficiary is not UNSET:
            field_dict["beneficiary"] = beneficiary
        if practitioner is not UNSET:
            field_dict["practitioner"] = practitioner

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.practitioner import Practitioner  # noqa: PLC0415

        d = dict(src_dict)
        apcv_session = d.pop("apcv_session")

        beneficiary = d.pop("beneficiary", UNSET)

        _practitioner = d.pop("practitioner", UNSET)
        practitioner: Practitioner | Unset
        if isinstance(_practitioner, Unset):
            practitioner = UNSET
        else:
            practitioner = Practitioner.from_dict(_practitioner)

        ins_search_by_apcv_session = cls(
            apcv_session=apcv_session,
            beneficiary=beneficiary,
            practitioner=practitioner,
        )

        return ins_search_by_apcv_session
