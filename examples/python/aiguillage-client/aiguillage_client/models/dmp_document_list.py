from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.dmp_document_entry import DmpDocumentEntry


T = TypeVar("T", bound="DmpDocumentList")


@_attrs_define
class DmpDocumentList:
    """The patient's documents the practitioner may see.

    Attributes:
        documents (list[DmpDocumentEntry]): as the registry lists them
    """

    documents: list[DmpDocumentEntry]

    def to_dict(self) -> dict[str, Any]:
        documents = []
        for documents_item_data in self.documents:
            documents_item = documents_item_data.to_dict()
            documents.append(documents_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "documents": documents,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dmp_document_entry import DmpDocumentEntry  # noqa: PLC0415

        d = dict(src_dict)
        documents = []
        _documents = d.pop("documents")
        for documents_item_data in _documents:
            documents_item = DmpDocumentEntry.from_dict(documents_item_data)

            documents.append(documents_item)

        dmp_document_list = cls(
            documents=documents,
        )

        return dmp_document_list
