from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.fse_return_kind import FseReturnKind
from ..models.fse_return_part import FseReturnPart

T = TypeVar("T", bound="FseReturn")


@_attrs_define
class FseReturn:
    """A payment or a rejection of one part of the care sheet, as the insurer sent it.

    Attributes:
        kind (FseReturnKind):
        part (FseReturnPart): the compulsory (AMO) or complementary (AMC) part
        at (datetime.datetime): when the insurer paid or rejected it
        amount (str): what was paid (€), `0.00` for a rejection
        payer (str): who paid (`CPAM 601`…); empty otherwise
        code (str): the rejection's code; empty for a payment
        label (str): the rejection's label; empty otherwise
    """

    kind: FseReturnKind
    part: FseReturnPart
    at: datetime.datetime
    amount: str
    payer: str
    code: str
    label: str

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        part = self.part.value

        at = self.at.isoformat()

        amount = self.amount

        payer = self.payer

        code = self.code

        label = self.label

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "part": part,
                "at": at,
                "amount": amount,
                "payer": payer,
                "code": code,
                "label": label,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = FseReturnKind(d.pop("kind"))

        part = FseReturnPart(d.pop("part"))

        at = datetime.datetime.fromisoformat(d.pop("at"))

        amount = d.pop("amount")

        payer = d.pop("payer")

        code = d.pop("code")

        label = d.pop("label")

        fse_return = cls(
            kind=kind,
            part=part,
            at=at,
            amount=amount,
            payer=payer,
            code=code,
            label=label,
        )

        return fse_return
