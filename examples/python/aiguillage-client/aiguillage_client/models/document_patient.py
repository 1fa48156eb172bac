from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.ins import Ins
    from ..models.ins_traits import InsTraits


T = TypeVar("T", bound="DocumentPatient")


@_attrs_define
class DocumentPatient:
    """The patient of a document: the INS and every INS trait.

    Attributes:
        ins (Ins): A patient's INS (national health identifier).
        traits (InsTraits): Every INS trait, birth place included: what a document's patient carries.
    """

    ins: Ins
    traits: InsTraits

    def to_dict(self) -> dict[str, Any]:
        ins = self.ins.to_dict()

        traits = self.traits.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "ins": ins,
                "traits": traits,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.ins import Ins  # noqa: PLC0415
        from ..models.ins_traits import InsTraits  # noqa: PLC0415

        d = dict(src_dict)
        ins = Ins.from_dict(d.pop("ins"))

        traits = InsTraits.from_dict(d.pop("traits"))

        document_patient = cls(
            ins=ins,
            traits=traits,
        )

        return document_patient
