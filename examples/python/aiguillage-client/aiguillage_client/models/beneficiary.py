from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.exoneration import Exoneration
    from ..models.ins import Ins
    from ..models.rights_period import RightsPeriod


T = TypeVar("T", bound="Beneficiary")


@_attrs_define
class Beneficiary:
    """A beneficiary of the Assurance Maladie as a carte Vitale or an ApCV session gives them: who they are, whose rights
    they have, where those rights are held, for which periods, and their exonerations. The ApCV plugin answers it;
    billing and INS searches take it.

        Attributes:
            nir (str): the beneficiary's NIR (individual), with its key
            nir_od (str): the NIR of the ouvrant droit, the insured person the rights come from (the beneficiary's own when
                they are insured themselves)
            birth_name (str): birth name, as the card holds it
            first_name (str): first name, as the card holds it
            birth_date (str): birth date as the card holds it, YYYY-MM-DD; may be a lunar date (day or month 00, a day the
                month lacks), which is not a calendar date
            rank (int): rank of birth (rang de naissance): tells apart twins who share a NIR and a birth date
            regime (str): the régime (01: régime général…)
            caisse (str): the caisse
            centre (str): the centre
            rights (list[RightsPeriod]): periods of AMO rights (droits de l'assurance maladie obligatoire)
            exonerations (list[Exoneration]): exonerations of the ticket modérateur the beneficiary holds
            used_name (str | Unset): used name (nom d'usage), when the card holds one
            lunar_birth_date (bool | Unset): true when `birth_date` is not a calendar date
            ins (Ins | None | Unset): the INS and its OID, when the source carries it
    """

    nir: str
    nir_od: str
    birth_name: str
    first_name: str
    birth_date: str
    rank: int
    regime: str
    caisse: str
    centre: str
    rights: list[RightsPeriod]
    exonerations: list[Exoneration]
    used_name: str | Unset = UNSET
    lunar_birth_date: bool | Unset = UNSET
    ins: Ins | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.ins import Ins  # noqa: PLC0415

        nir = self.nir

        nir_od = self.nir_od

        birth_name = self.birth_name

        first_name = self.first_name

        birth_date = self.birth_date

        rank = self.rank

        regime = self.regime

        caisse = self.caisse

        centre = self.centre

        rights = []
        for rights_item_data in self.rights:
            rights_item = rights_item_data.to_dict()
            rights.append(rights_item)

        exonerations = []
        for exonerations_item_data in self.exonerations:
            exonerations_item = exonerations_item_data.to_dict()
            exonerations.append(exonerations_item)

        used_name = self.used_name

        lunar_birth_date = self.lunar_birth_date

        ins: dict[str, Any] | None | Unset
        if isinstance(self.ins, Unset):
            ins = UNSET
        elif isinstance(self.ins, Ins):
            ins = self.ins.to_dict()
        else:
            ins = self.ins

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "nir": nir,
                "nir_od": nir_od,
                "birth_name": birth_name,
                "first_name": first_name,
                "birth_date": birth_date,
                "rank": rank,
                "regime": regime,
                "caisse": caisse,
                "centre": centre,
                "rights": rights,
                "exonerations": exonerations,
            }
        )
        if used_name is not UNSET:
            field_dict["used_name"] = used_name
        if lunar_birth_date is not UNSET:
            field_dict["lunar_birth_date"] = lunar_birth_date
        if ins is not UNSET:
            field_dict["ins"] = ins

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.exoneration import Exoneration  # noqa: PLC0415
        from ..models.ins import Ins  # noqa: PLC0415
        from ..models.rights_period import RightsPeriod  # noqa: PLC0415

        d = dict(src_dict)
        nir = d.pop("nir")

        nir_od = d.pop("nir_od")

        birth_name = d.pop("birth_name")

        first_name = d.pop("first_name")

        birth_date = d.pop("birth_date")

        rank = d.pop("rank")

        regime = d.pop("regime")

        caisse = d.pop("caisse")

        centre = d.pop("centre")

        rights = []
        _rights = d.pop("rights")
        for rights_item_data in _rights:
            rights_item = RightsPeriod.from_dict(rights_item_data)

            rights.append(rights_item)

        exonerations = []
        _exonerations = d.pop("exonerations")
        for exonerations_item_data in _exonerations:
            exonerations_item = Exoneration.from_dict(exonerations_item_data)

            exonerations.append(exonerations_item)

        used_name = d.pop("used_name", UNSET)

        lunar_birth_date = d.pop("lunar_birth_date", UNSET)

        def _parse_ins(data: object) -> Ins | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                ins_type_0 = Ins.from_dict(data)

                return ins_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Ins | None | Unset, data)

        ins = _parse_ins(d.pop("ins", UNSET))

        beneficiary = cls(
            nir=nir,
            nir_od=nir_od,
            birth_name=birth_name,
            first_name=first_name,
            birth_date=birth_date,
            rank=rank,
            regime=regime,
            caisse=caisse,
            centre=centre,
            rights=rights,
            exonerations=exonerations,
            used_name=used_name,
            lunar_birth_date=lunar_birth_date,
            ins=ins,
        )

        return beneficiary
