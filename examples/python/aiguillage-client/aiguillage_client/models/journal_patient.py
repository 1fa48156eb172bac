from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ins import Ins
    from ..models.partial_traits import PartialTraits


T = TypeVar("T", bound="JournalPatient")


@_attrs_define
class JournalPatient:
    """The patient concerned: the INS and the traits, as far as known.

    Attributes:
        ins (Ins | Unset): A patient's INS (national health identifier).
        traits (PartialTraits | Unset): Identity traits as far as they are known.
    """

    ins: Ins | Unset = UNSET
    traits: PartialTraits | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        ins: dict[str, Any] | Unset = UNSET
        if not isinstance(self.ins, Unset):
            ins = self.ins.to_dict()

        traits: dict[str, Any] | Unset = UNSET
        if not isinstance(self.traits, Unset):
            traits = self.traits.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if ins is not UNSET:
            field_dict["ins"] = ins
        if traits is not UNSET:
            field_dict["traits"] = traits

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ins import Ins  # noqa: PLC0415
        from ..models.partial_traits import PartialTraits  # noqa: PLC0415

        d = dict(src_dict)
        _ins = d.pop("ins", UNSET)
        ins: Ins | Unset
        if isinstance(_ins, Unset):
            ins = UNSET
        else:
            ins = Ins.from_dict(_ins)

        _traits = d.pop("traits", UNSET)
        traits: PartialTraits | Unset
        if isinstance(_traits, Unset):
            traits = UNSET
        else:
            traits = PartialTraits.from_dict(_traits)

        journal_patient = cls(
            ins=ins,
            traits=traits,
        )

        return journal_patient
