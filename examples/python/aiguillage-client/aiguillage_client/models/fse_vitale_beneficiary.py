from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.beneficiary import Beneficiary


T = TypeVar("T", bound="FseVitaleBeneficiary")


@_attrs_define
class FseVitaleBeneficiary:
    """The beneficiary as the carte Vitale read at the desk gives them: the care sheet is secured in `vitale` mode.

    Attributes:
        vitale (Beneficiary): A beneficiary of the Assurance Maladie as a carte Vitale or an ApCV session gives them:
            who they are, whose rights they have, where those rights are held, for which periods, and their exonerations.
            The ApCV plugin answers it; billing and INS searches take it.
    """

    vitale: Beneficiary

    def to_dict(self) -> dict[str, Any]:
        vitale = self.vitale.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "vitale": vitale,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.beneficiary import Beneficiary  # noqa: PLC0415

        d = dict(src_dict)
        vitale = Beneficiary.from_dict(d.pop("vitale"))

        fse_vitale_beneficiary = cls(
            vitale=vitale,
        )

        return fse_vitale_beneficiary
