from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="DmpPdfDocument")


@_attrs_define
class DmpPdfDocument:
    """A PDF, which the daemon wraps in a CDA R2 level 1.

    Attributes:
        pdf (str): the PDF (at most 20 MiB), base64
        title (str): the document's title, as the DMP lists it
        type_code (str): the document's type: a LOINC code of the DMP's JDV_J66 (`11488-4` compte rendu de
            consultation…), not `E1762`, the signature's
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

        dmp_pdf_document = cls(
            pdf=pdf,
            title=title,
            type_code=type_code,
        )

        return dmp_pdf_document
