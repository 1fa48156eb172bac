from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.practitioner_authentication_mode import PractitionerAuthenticationMode
from ..models.practitioner_id_type import PractitionerIdType
from ..types import UNSET, Unset

T = TypeVar("T", bound="Practitioner")


@_attrs_define
class Practitioner:
    """Who is acting, overriding the [practitioner] table of the config for this call; fields left out keep the config's
    values.

        Attributes:
            national_id (str | Unset): the practitioner's RPPS or ADELI number
            id_type (PractitionerIdType | Unset): which register `national_id` is from
            family_name (str | Unset): family name
            given_name (str | Unset): given name
            profession_code (str | Unset): profession, code of the G15 nomenclature (10: médecin)
            specialty_code (str | Unset): specialty, code of the R01 nomenclature (SM26: médecine générale)
            structure_id (str | Unset): the structure's identifier (FINESS, SIRET or the practice's)
            structure_name (str | Unset): the structure's name
            activity_sector (str | Unset): activity sector, code of the R02 nomenclature (SA07: cabinet individuel)
            billing_id (str | Unset): billing identifier (the Assurance Maladie number)
            authentication_mode (PractitionerAuthenticationMode | Unset): how the practitioner was authenticated (DIRECTE:
                with their own card)
    """

    national_id: str | Unset = UNSET
    id_type: PractitionerIdType | Unset = UNSET
    family_name: str | Unset = UNSET
    given_name: str | Unset = UNSET
    profession_code: str | Unset = UNSET
    specialty_code: str | Unset = UNSET
    structure_id: str | Unset = UNSET
    structure_name: str | Unset = UNSET
    activity_sector: str | Unset = UNSET
    billing_id: str | Unset = UNSET
    authentication_mode: PractitionerAuthenticationMode | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        national_id = self.national_id

        id_type: str | Unset = UNSET
        if not isinstance(self.id_type, Unset):
            id_type = self.id_type.value

        family_name = self.family_name

        given_name = self.given_name

        profession_code = self.profession_code

        specialty_code = self.specialty_code

        structure_id = self.structure_id

        structure_name = self.structure_name

        activity_sector = self.activity_sector

        billing_id = self.billing_id

        authentication_mode: str | Unset = UNSET
        if not isinstance(self.authentication_mode, Unset):
            authentication_mode = self.authentication_mode.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if national_id is not UNSET:
            field_dict["national_id"] = national_id
        if id_type is not UNSET:
            field_dict["id_type"] = id_type
        if family_name is not UNSET:
            field_dict["family_name"] = family_name
        if given_name is not UNSET:
            field_dict["given_name"] = given_name
        if profession_code is not UNSET:
            field_dict["profession_code"] = profession_code
        if specialty_code is not UNSET:
            field_dict["specialty_code"] = specialty_code
        if structure_id is not UNSET:
            field_dict["structure_id"] = structure_id
        if structure_name is not UNSET:
            field_dict["structure_name"] = structure_name
        if activity_sector is not UNSET:
            field_dict["activity_sector"] = activity_sector
        if billing_id is not UNSET:
            field_dict["billing_id"] = billing_id
        if authentication_mode is not UNSET:
            field_dict["authentication_mode"] = authentication_mode

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        national_id = d.pop("national_id", UNSET)

        _id_type = d.pop("id_type", UNSET)
        id_type: PractitionerIdType | Unset
        if isinstance(_id_type, Unset):
            id_type = UNSET
        else:
            id_type = PractitionerIdType(_id_type)

        family_name = d.pop("family_name", UNSET)

        given_name = d.pop("given_name", UNSET)

        profession_code = d.pop("profession_code", UNSET)

        specialty_code = d.pop("specialty_code", UNSET)

        structure_id = d.pop("structure_id", UNSET)

        structure_name = d.pop("structure_name", UNSET)

        activity_sector = d.pop("activity_sector", UNSET)

        billing_id = d.pop("billing_id", UNSET)

        _authentication_mode = d.pop("authentication_mode", UNSET)
        authentication_mode: PractitionerAuthenticationMode | Unset
        if isinstance(_authentication_mode, Unset):
            authentication_mode = UNSET
        else:
            authentication_mode = PractitionerAuthenticationMode(_authentication_mode)

        practitioner = cls(
            national_id=national_id,
            id_type=id_type,
            family_name=family_name,
            given_name=given_name,
            profession_code=profession_code,
            specialty_code=specialty_code,
            structure_id=structure_id,
            structure_name=structure_name,
            activity_sector=activity_sector,
            billing_id=billing_id,
            authentication_mode=authentication_mode,
        )

        return practitioner
