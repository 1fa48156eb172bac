from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

T = TypeVar("T", bound="VsmBatchRefusal")


@_attrs_define
class VsmBatchRefusal:
    """
    Attributes:
        index (int): its position in `items`
        patient (str): the patient's INS
        identity_status (None | str): the status given (`null`: none, when required)
        field (str): the field refused
        reason (str): why
    """

    index: int
    patient: str
    identity_status: None | str
    field: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        patient = self.patient

        identity_status: None | str
        identity_status = self.identity_status

        field = self.field

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "index": index,
                "patient": patient,
                "identity_status": identity_status,
                "field": field,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        index = d.pop("index")

        patient = d.pop("patient")

        def _parse_identity_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        identity_status = _parse_identity_status(d.pop("identity_status"))

        field = d.pop("field")

        reason = d.pop("reason")

        vsm_batch_refusal = cls(
            index=index,
            patient=patient,
            identity_status=identity_status,
            field=field,
            reason=reason,
        )

        return vsm_batch_refusal
