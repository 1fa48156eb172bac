from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.ins_oid import InsOid
from ..types import UNSET, Unset

T = TypeVar("T", bound="Ins")


@_attrs_define
class Ins:
    """A patient's INS (national health identifier).

    Attributes:
        matricule (str): an INS or NIR: 13 characters (2A/2B allowed) and the 2-digit key
        oid (InsOid | Unset): The INS's assigning authority: NIR, NIA, test NIR, demonstration NIR; an INS given without
            one is a NIR (1.2.250.1.213.1.4.8).
    """

    matricule: str
    oid: InsOid | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        matricule = self.matricule

        oid: str | Unset = UNSET
        if not isinstance(self.oid, Unset):
            oid = self.oid.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "matricule": matricule,
            }
        )
        if oid is not UNSET:
            field_dict["oid"] = oid

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        matricule = d.pop("matricule")

        _oid = d.pop("oid", UNSET)
        oid: InsOid | Unset
        if isinstance(_oid, Unset):
            oid = UNSET
        else:
            oid = InsOid(_oid)

        ins = cls(
            matricule=matricule,
            oid=oid,
        )

        return ins
