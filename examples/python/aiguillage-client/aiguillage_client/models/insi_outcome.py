from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.insi_outcome_outcome import InsiOutcomeOutcome
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ins import Ins


T = TypeVar("T", bound="InsiOutcome")


@_attrs_define
class InsiOutcome:
    """What INSi said, as the EHR read it; `ins`: the INS INSi gave, for `found` and `verified` when the patient has none
    yet (an INS-NIA, OID 1.2.250.1.213.1.4.9, cannot be qualified).

        Attributes:
            outcome (InsiOutcomeOutcome): `found`: a search found the identity (CR 00) and the EHR took its traits;
                `verified`: a verification matched (`match: true`); `differs`: a verification returned other traits or another
                INS; `not_found` (CR 01); `several` (CR 02)
            ins (Ins | Unset): A patient's INS (national health identifier).
    """

    outcome: InsiOutcomeOutcome
    ins: Ins | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        outcome = self.outcome.value

        ins: dict[str, Any] | Unset = UNSET
        if not isinstance(self.ins, Unset):
            ins = self.ins.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "outcome": outcome,
            }
        )
        if ins is not UNSET:
            field_dict["ins"] = ins

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ins import Ins  # noqa: PLC0415

        d = dict(src_dict)
        outcome = InsiOutcomeOutcome(d.pop("outcome"))

        _ins = d.pop("ins", UNSET)
        ins: Ins | Unset
        if isinstance(_ins, Unset):
            ins = UNSET
        else:
            ins = Ins.from_dict(_ins)

        insi_outcome = cls(
            outcome=outcome,
            ins=ins,
        )

        return insi_outcome
