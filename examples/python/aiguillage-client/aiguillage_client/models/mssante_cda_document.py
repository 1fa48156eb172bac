from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MssanteCdaDocument")


@_attrs_define
class MssanteCdaDocument:
    """The EHR's own CDA R2 document (level 1 or structured, e.g. a CR-BIO), about the message's patient; its title and
    type are its own `title` and `code`

        Attributes:
            cda (str): the CDA document, base64
            pdf (str | Unset): its PDF rendering, attached beside the package
            format_code (str | Unset): its XDS formatCode (JDV_J60); known by itself for a level 1, a CR-BIO, a VSM and an
                IPS-FR
    """

    cda: str
    pdf: str | Unset = UNSET
    format_code: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        cda = self.cda

        pdf = self.pdf

        format_code = self.format_code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "cda": cda,
            }
        )
        if pdf is not UNSET:
            field_dict["pdf"] = pdf
        if format_code is not UNSET:
            field_dict["format_code"] = format_code

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        cda = d.pop("cda")

        pdf = d.pop("pdf", UNSET)

        format_code = d.pop("format_code", UNSET)

        mssante_cda_document = cls(
            cda=cda,
            pdf=pdf,
            format_code=format_code,
        )

        return mssante_cda_document
