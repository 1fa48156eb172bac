from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.practitioner import Practitioner


T = TypeVar("T", bound="ApcvSessionRequest")


@_attrs_define
class ApcvSessionRequest:
    """What the patient showed: the scanned QR code of their carte Vitale app (`qr`) or the payload read by NFC (`nfc`),
    exactly one of them.

        Attributes:
            qr (str | Unset): the text of the QR code the carte Vitale app shows, as the scanner read it (without a trailing
                newline); opaque, passed to the service unchanged
            nfc (str | Unset): the payload read from the phone by NFC (Android only), as text; opaque, passed to the service
                unchanged
            practitioner (Practitioner | Unset): Who is acting, overriding the [practitioner] table of the config for this
                call; fields left out keep the config's values.
    """

    qr: str | Unset = UNSET
    nfc: str | Unset = UNSET
    practitioner: Practitioner | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        qr = self.qr

        nfc = self.nfc

        practitioner: dict[str, Any] | Unset = UNSET
        if not isinstance(self.practitioner, Unset):
            practitioner = self.practitioner.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if qr is not UNSET:
            field_dict["qr"] = qr
        if nfc is not UNSET:
            field_dict["nfc"] = nfc
        if practitioner is not UNSET:
            field_dict["practitioner"] = practitioner

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.practitioner import Practitioner  # noqa: PLC0415

        d = dict(src_dict)
        qr = d.pop("qr", UNSET)

        nfc = d.pop("nfc", UNSET)

        _practitioner = d.pop("practitioner", UNSET)
        practitioner: Practitioner | Unset
        if isinstance(_practitioner, Unset):
            practitioner = UNSET
        else:
            practitioner = Practitioner.from_dict(_practitioner)

        apcv_session_request = cls(
            qr=qr,
            nfc=nfc,
            practitioner=practitioner,
        )

        return apcv_session_request
