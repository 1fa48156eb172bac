from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.vsm_status_status import VsmStatusStatus

if TYPE_CHECKING:
    from ..models.vsm_send import VsmSend


T = TypeVar("T", bound="VsmStatus")


@_attrs_define
class VsmStatus:
    """When the patient's VSM was last sent to the DMP.

    Attributes:
        patient (str): the patient's INS
        status (VsmStatusStatus): `sent_less_than_a_year`: the last VSM the DMP took was sent less than a year ago (same
            date next year not reached); `sent_more_than_a_year`; `never`: the DMP never took one from this daemon
        label (str): the status in French, for the screen
        last_sent (None | VsmSend): the last VSM the DMP took; `null`: none
        last (None | VsmSend): the last VSM queued, whatever its state (one still queued, or failed, shows here before
            `last_sent`); `null`: none
    """

    patient: str
    status: VsmStatusStatus
    label: str
    last_sent: None | VsmSend
    last: None | VsmSend
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.vsm_send import VsmSend  # noqa: PLC0415

        patient = self.patient

        status = self.status.value

        label = self.label

        last_sent: dict[str, Any] | None
        if isinstance(self.last_sent, VsmSend):
            last_sent = self.last_sent.to_dict()
        else:
            last_sent = self.last_sent

        last: dict[str, Any] | None
        if isinstance(self.last, VsmSend):
            last = self.last.to_dict()
        else:
            last = self.last

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "patient": patient,
                "status": status,
                "label": label,
                "last_sent": last_sent,
                "last": last,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.vsm_send import VsmSend  # noqa: PLC0415

        d = dict(src_dict)
        patient = d.pop("patient")

        status = VsmStatusStatus(d.pop("status"))

        label = d.pop("label")

        def _parse_last_sent(data: object) -> None | VsmSend:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_sent_type_0 = VsmSend.from_dict(data)

                return last_sent_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | VsmSend, data)

        last_sent = _parse_last_sent(d.pop("last_sent"))

        def _parse_last(data: object) -> None | VsmSend:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_type_0 = VsmSend.from_dict(data)

                return last_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | VsmSend, data)

        last = _parse_last(d.pop("last"))

        vsm_status = cls(
            patient=patient,
            status=status,
            label=label,
            last_sent=last_sent,
            last=last,
        )

        vsm_status.additional_properties = d
        return vsm_status

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
