from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.dmp_document_action import DmpDocumentAction

T = TypeVar("T", bound="DmpDocumentStatus")


@_attrs_define
class DmpDocumentStatus:
    """The change done (TD3.3).

    Attributes:
        unique_id (str): the document's uniqueId
        action (DmpDocumentAction): `mask`: hidden from other health professionals (MASQUE_PS); `unmask`;
            `hide_from_patient` (INVISIBLE_PATIENT); `archive`; `delete`.
        done (bool): always `true`
    """

    unique_id: str
    action: DmpDocumentAction
    done: bool

    def to_dict(self) -> dict[str, Any]:
        unique_id = self.unique_id

        action = self.action.value

        done = self.done

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "unique_id": unique_id,
                "action": action,
                "done": done,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        unique_id = d.pop("unique_id")

        action = DmpDocumentAction(d.pop("action"))

        done = d.pop("done")

        dmp_document_status = cls(
            unique_id=unique_id,
            action=action,
            done=done,
        )

        return dmp_document_status
