from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.beneficiary import Beneficiary


T = TypeVar("T", bound="FseManualBeneficiary")


@_attrs_define
class FseManualBeneficiary:
    """The beneficiary typed in (no card, no app): the care sheet can only be secured in `degraded` mode, and a paper care
    sheet must follow.

        Attributes:
            manual (Beneficiary): A beneficiary of the Assurance Maladie as a carte Vitale or an ApCV session gives them:
                who they are, whose rights they have, where those rights are held, for which periods, and their exonerations.
                The ApCV plugin answers it; billing and INS searches take it.
    """

    manual: Beneficiary

    def to_dict(self) -> dict[str, Any]:
        manual = self.manual.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "manual": manual,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.beneficiary import Beneficiary  # noqa: PLC0415

        d = dict(src_dict)
        manual = Beneficiary.from_dict(d.pop("manual"))

        fse_manual_beneficiary = cls(
            manual=manual,
        )

        return fse_manual_beneficiary
