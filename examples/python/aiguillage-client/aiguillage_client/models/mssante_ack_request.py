from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.mssante_ack_request_error import MssanteAckRequestError


T = TypeVar("T", bound="MssanteAckRequest")


@_attrs_define
class MssanteAckRequest:
    """
    Attributes:
        error (MssanteAckRequestError | Unset): the message could not be taken in: the receipt says `processed/Error:
            code^label`; absent, it says `processed`
    """

    error: MssanteAckRequestError | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        error: dict[str, Any] | Unset = UNSET
        if not isinstance(self.error, Unset):
            error = self.error.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.mssante_ack_request_error import MssanteAckRequestError  # noqa: PLC0415

        d = dict(src_dict)
        _error = d.pop("error", UNSET)
        error: MssanteAckRequestError | Unset
        if isinstance(_error, Unset):
            error = UNSET
        else:
            error = MssanteAckRequestError.from_dict(_error)

        mssante_ack_request = cls(
            error=error,
        )

        return mssante_ack_request
