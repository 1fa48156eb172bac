from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="CarteVitale")


@_attrs_define
class CarteVitale:
    """The beneficiary as read from the carte Vitale or an ApCV session.

    Attributes:
        nir (str): the beneficiary's NIR: 13 characters and the key
        birth_date (str): the birth date the card holds, YYYY-MM-DD; lunar dates (day or month 00) accepted
        nir_od (str | Unset): the NIR of the ouvrant droit (the insured person the beneficiary's rights come from), when
            it is not the beneficiary's
        birth_name (str | Unset): the beneficiary's birth name, as the card holds it (empty: not sent)
        rank (int | Unset): the rank of birth (rang de naissance), telling apart twins who share a NIR and a birth date
    """

    nir: str
    birth_date: str
    nir_od: str | Unset = UNSET
    birth_name: str | Unset = UNSET
    rank: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        nir = self.nir

        birth_date = self.birth_date

        nir_od = self.nir_od

        birth_name = self.birth_name

        rank = self.rank

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "nir": nir,
                "birth_date": birth_date,
            }
        )
        if nir_od is not UNSET:
            field_dict["nir_od"] = nir_od
        if birth_name is not UNSET:
            field_dict["birth_name"] = birth_name
        if rank is not UNSET:
            field_dict["rank"] = rank

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        nir = d.pop("nir")

        birth_date = d.pop("birth_date")

        nir_od = d.pop("nir_od", UNSET)

        birth_name = d.pop("birth_name", UNSET)

        rank = d.pop("rank", UNSET)

        carte_vitale = cls(
            nir=nir,
            birth_date=birth_date,
            nir_od=nir_od,
            birth_name=birth_name,
            rank=rank,
        )

        return carte_vitale
