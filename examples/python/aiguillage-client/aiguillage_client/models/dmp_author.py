from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.dmp_code import DmpCode
    from ..models.dmp_institution import DmpInstitution


T = TypeVar("T", bound="DmpAuthor")


@_attrs_define
class DmpAuthor:
    """Who wrote a document, as its XDS metadata says (`authorPerson` and the slots beside it).

    Attributes:
        id (None | str): the author's national id (`8` + RPPS…)
        id_type (None | str): the id's type (`IDNPS`: national practitioner id)
        oid (None | str): the OID of the id's assigning authority
        family (None | str): family name
        given (None | str): given name(s)
        institution (DmpInstitution | None): the first `authorInstitution`
        role (None | str): the first `authorRole`, as written
        specialty (DmpCode | None): the first `authorSpecialty`
        xcn (str): `authorPerson` as the registry holds it (HL7 XCN: `id^family^given^^^^^^&oid&ISO^D^^^IDNPS`)
    """

    id: None | str
    id_type: None | str
    oid: None | str
    family: None | str
    given: None | str
    institution: DmpInstitution | None
    role: None | str
    specialty: DmpCode | None
    xcn: str

    def to_dict(self) -> dict[str, Any]:
        from ..models.dmp_code import DmpCode  # noqa: PLC0415
        from ..models.dmp_institution import DmpInstitution  # noqa: PLC0415

        id: None | str
        id = self.id

        id_type: None | str
        id_type = self.id_type

        oid: None | str
        oid = self.oid

        family: None | str
        family = self.family

        given: None | str
        given = self.given

        institution: dict[str, Any] | None
        if isinstance(self.institution, DmpInstitution):
            institution = self.institution.to_dict()
        else:
            institution = self.institution

        role: None | str
        role = self.role

        specialty: dict[str, Any] | None
        if isinstance(self.specialty, DmpCode):
            specialty = self.specialty.to_dict()
        else:
            specialty = self.specialty

        xcn = self.xcn

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "id_type": id_type,
                "oid": oid,
                "family": family,
                "given": given,
                "institution": institution,
                "role": role,
                "specialty": specialty,
                "xcn": xcn,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dmp_code import DmpCode  # noqa: PLC0415
        from ..models.dmp_institution import DmpInstitution  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        id = _parse_id(d.pop("id"))

        def _parse_id_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        id_type = _parse_id_type(d.pop("id_type"))

        def _parse_oid(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        oid = _parse_oid(d.pop("oid"))

        def _parse_family(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        family = _parse_family(d.pop("family"))

        def _parse_given(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        given = _parse_given(d.pop("given"))

        def _parse_institution(data: object) -> DmpInstitution | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                institution_type_0 = DmpInstitution.from_dict(data)

                return institution_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DmpInstitution | None, data)

        institution = _parse_institution(d.pop("institution"))

        def _parse_role(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        role = _parse_role(d.pop("role"))

        def _parse_specialty(data: object) -> DmpCode | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                specialty_type_0 = DmpCode.from_dict(data)

                return specialty_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DmpCode | None, data)

        specialty = _parse_specialty(d.pop("specialty"))

        xcn = d.pop("xcn")

        dmp_author = cls(
            id=id,
            id_type=id_type,
            oid=oid,
            family=family,
            given=given,
            institution=institution,
            role=role,
            specialty=specialty,
            xcn=xcn,
        )

        return dmp_author
