from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="FseThirdPartyPayment")


@_attrs_define
class FseThirdPartyPayment:
    """Third-party payment (tiers payant): which parts the insurers pay the practitioner directly, so the patient does not
    advance them.

        Attributes:
            amo (bool | Unset): the compulsory insurance (AMO) pays its part to the practitioner Default: False.
            amc (bool | Unset): the complementary insurance (AMC) pays the ticket modérateur Default: False.
    """

    amo: bool | Unset = False
    amc: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        amo = self.amo

        amc = self.amc

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if amo is not UNSET:
            field_dict["amo"] = amo
        if amc is not UNSET:
            field_dict["amc"] = amc

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        amo = d.pop("amo", UNSET)

        amc = d.pop("amc", UNSET)

        fse_third_party_payment = cls(
            amo=amo,
            amc=amc,
        )

        return fse_third_party_payment
