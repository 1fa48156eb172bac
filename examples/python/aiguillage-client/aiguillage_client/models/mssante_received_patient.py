from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.ins import Ins
    from ..models.partial_traits import PartialTraits


T = TypeVar("T", bound="MssanteReceivedPatient")


@_attrs_define
class MssanteReceivedPatient:
    """who the package says the message is about (its sourcePatientInfo): recognise the patient from these traits before
    filing anything

        Attributes:
            ins (Ins | None | Unset):
            traits (PartialTraits | Unset): Identity traits as far as they are known.
    """

    ins: Ins | None | Unset = UNSET
    traits: PartialTraits | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.ins import Ins  # noqa: PLC0415

        ins: dict[str, Any] | None | Unset
        if isinstance(self.ins, Unset):
            ins = UNSET
        elif isinstance(self.ins, Ins):
            ins = self.ins.to_dict()
        else:
            ins = self.ins

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

        def _parse_ins(data: object) -> Ins | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                ins_type_0 = Ins.from_dict(data)

                return ins_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Ins | None | Unset, data)

        ins = _parse_ins(d.pop("ins", UNSET))

        _traits = d.pop("traits", UNSET)
        traits: PartialTraits | Unset
        if isinstance(_traits, Unset):
            traits = UNSET
        else:
            traits = PartialTraits.from_dict(_traits)

        mssante_received_patient = cls(
            ins=ins,
            traits=traits,
        )

        return mssante_received_patient
