from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="FseApcvBeneficiary")


@_attrs_define
class FseApcvBeneficiary:
    """The beneficiary of an open ApCV session (`POST /v1/apcv/sessions`): their rights and exonerations come from it, and
    securing the care sheet has them sign it in the carte Vitale app.

        Attributes:
            apcv_session (str): the ApCV session's id
            index (int | Unset): which of the session's beneficiaries (0: the first) Default: 0.
    """

    apcv_session: str
    index: int | Unset = 0

    def to_dict(self) -> dict[str, Any]:
        apcv_session = self.apcv_session

        index = self.index

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "apcv_session": apcv_session,
            }
        )
        if index is not UNSET:
            field_dict["index"] = index

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        apcv_session = d.pop("apcv_session")

        index = d.pop("index", UNSET)

        fse_apcv_beneficiary = cls(
            apcv_session=apcv_session,
            index=index,
        )

        return fse_apcv_beneficiary
