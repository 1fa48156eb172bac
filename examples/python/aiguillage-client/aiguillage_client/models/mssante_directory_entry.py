from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.mssante_coded import MssanteCoded
    from ..models.mssante_directory_entry_names import MssanteDirectoryEntryNames
    from ..models.mssante_structure import MssanteStructure


T = TypeVar("T", bound="MssanteDirectoryEntry")


@_attrs_define
class MssanteDirectoryEntry:
    """
    Attributes:
        address (str): the MSSanté address
        type_ (None | str): `PER` a person's mailbox, `ORG` a structure's (or a service's)
        names (MssanteDirectoryEntryNames):
        rpps (None | str): the practitioner's national id (Identifiant PP)
        profession (MssanteCoded | None):
        specialty (MssanteCoded | None):
        structure (MssanteStructure | None):
        address_lines (list[str]):
        postcode (None | str):
        city (None | str):
    """

    address: str
    type_: None | str
    names: MssanteDirectoryEntryNames
    rpps: None | str
    profession: MssanteCoded | None
    specialty: MssanteCoded | None
    structure: MssanteStructure | None
    address_lines: list[str]
    postcode: None | str
    city: None | str

    def to_dict(self) -> dict[str, Any]:
        from ..models.mssante_coded import MssanteCoded  # noqa: PLC0415
        from ..models.mssante_structure import MssanteStructure  # noqa: PLC0415

        address = self.address

        type_: None | str
        type_ = self.type_

        names = self.names.to_dict()

        rpps: None | str
        rpps = self.rpps

        profession: dict[str, Any] | None
        if isinstance(self.profession, MssanteCoded):
            profession = self.profession.to_dict()
        else:
            profession = self.profession

        specialty: dict[str, Any] | None
        if isinstance(self.specialty, MssanteCoded):
            specialty = self.specialty.to_dict()
        else:
            specialty = self.specialty

        structure: dict[str, Any] | None
        if isinstance(self.structure, MssanteStructure):
            structure = self.structure.to_dict()
        else:
            structure = self.structure

        address_lines = self.address_lines

        postcode: None | str
        postcode = self.postcode

        city: None | str
        city = self.city

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "address": address,
                "type": type_,
                "names": names,
                "rpps": rpps,
                "profession": profession,
                "specialty": specialty,
                "structure": structure,
                "address_lines": address_lines,
                "postcode": postcode,
                "city": city,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mssante_coded import MssanteCoded  # noqa: PLC0415
        from ..models.mssante_directory_entry_names import MssanteDirectoryEntryNames  # noqa: PLC0415
        from ..models.mssante_structure import MssanteStructure  # noqa: PLC0415

        d = dict(src_dict)
        address = d.pop("address")

        def _parse_type_(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        type_ = _parse_type_(d.pop("type"))

        names = MssanteDirectoryEntryNames.from_dict(d.pop("names"))

        def _parse_rpps(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        rpps = _parse_rpps(d.pop("rpps"))

        def _parse_profession(data: object) -> MssanteCoded | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                profession_type_0 = MssanteCoded.from_dict(data)

                return profession_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MssanteCoded | None, data)

        profession = _parse_profession(d.pop("profession"))

        def _parse_specialty(data: object) -> MssanteCoded | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                specialty_type_0 = MssanteCoded.from_dict(data)

                return specialty_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MssanteCoded | None, data)

        specialty = _parse_specialty(d.pop("specialty"))

        def _parse_structure(data: object) -> MssanteStructure | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                structure_type_0 = MssanteStructure.from_dict(data)

                return structure_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MssanteStructure | None, data)

        structure = _parse_structure(d.pop("structure"))

        address_lines = cast(list[str], d.pop("address_lines"))

        def _parse_postcode(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        postcode = _parse_postcode(d.pop("postcode"))

        def _parse_city(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        city = _parse_city(d.pop("city"))

        mssante_directory_entry = cls(
            address=address,
            type_=type_,
            names=names,
            rpps=rpps,
            profession=profession,
            specialty=specialty,
            structure=structure,
            address_lines=address_lines,
            postcode=postcode,
            city=city,
        )

        return mssante_directory_entry
