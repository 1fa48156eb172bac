from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="DmpCdaDocument")


@_attrs_define
class DmpCdaDocument:
    """The EHR's own CDA R2: a level 1 (a PDF) or a VSM, about the request's patient, with every INS trait; checked against
    the CDA XSD.

        Attributes:
            cda (str): the CDA document (at most 20 MiB), base64
    """

    cda: str

    def to_dict(self) -> dict[str, Any]:
        cda = self.cda

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "cda": cda,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cda = d.pop("cda")

        dmp_cda_document = cls(
            cda=cda,
        )

        return dmp_cda_document
