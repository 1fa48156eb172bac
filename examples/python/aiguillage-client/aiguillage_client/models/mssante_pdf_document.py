from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="MssantePdfDocument")


@_attrs_define
class MssantePdfDocument:
    """A PDF, wrapped by the daemon in a CDA R2 level 1 for the XDM package and attached as it is beside it

    Attributes:
        pdf (str): the PDF, base64
        title (str):
        type_code (str): the document's type: a LOINC code of the JDV_J07 value set (XdsTypeCode)
    """

    pdf: str
    title: str
    type_code: str

    def to_dict(self) -> dict[str, Any]:
        pdf = self.pdf

        title = self.title

        type_code = self.type_code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "pdf": pdf,
                "title": title,
                "type_code": type_code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        pdf = d.pop("pdf")

        title = d.pop("title")

        type_code = d.pop("type_code")

        mssante_pdf_document = cls(
            pdf=pdf,
            title=title,
            type_code=type_code,
        )

        return mssante_pdf_document
