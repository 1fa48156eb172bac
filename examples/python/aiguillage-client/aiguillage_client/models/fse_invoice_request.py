from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.fse_care_pathway import FseCarePathway
from ..models.fse_exoneration import FseExoneration
from ..models.fse_insurance_nature import FseInsuranceNature
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.fse_act import FseAct
    from ..models.fse_apcv_beneficiary import FseApcvBeneficiary
    from ..models.fse_manual_beneficiary import FseManualBeneficiary
    from ..models.fse_third_party_payment import FseThirdPartyPayment
    from ..models.fse_vitale_beneficiary import FseVitaleBeneficiary
    from ..models.practitioner import Practitioner


T = TypeVar("T", bound="FseInvoiceRequest")


@_attrs_define
class FseInvoiceRequest:
    """A care sheet to price: who for, who bills, when, the situation (pathway, nature, exoneration, third-party payment)
    and the acts.

        Attributes:
            beneficiary (FseApcvBeneficiary | FseManualBeneficiary | FseVitaleBeneficiary): Who the care sheet is for: an
                ApCV session's beneficiary, a carte Vitale read, or data typed in (degraded mode). Exactly one of
                `apcv_session`, `vitale`, `manual`.
            care_pathway (FseCarePathway): Where the visit stands in the parcours de soins coordonnés: the patient's médecin
                traitant (`medecin_traitant`), sent by them (`oriente`), a new médecin traitant being declared, an emergency
                (`urgence`), a specialty reached directly (`acces_direct`), away from home (`hors_residence`), or outside the
                parcours (`hors_parcours`: a lower AMO rate).
            practitioner (Practitioner | Unset): Who is acting, overriding the [practitioner] table of the config for this
                call; fields left out keep the config's values.
            date (datetime.date | Unset): the date of care, YYYY-MM-DD, not in the future (default: today)
            insurance_nature (FseInsuranceNature | Unset): The insurance the care falls under: sickness (`maladie`),
                maternity (`maternite`) or an accident at work or occupational disease (`at_mp`).
            exoneration (FseExoneration | None | Unset): the exoneration claimed (default: none)
            third_party_payment (FseThirdPartyPayment | Unset): Third-party payment (tiers payant): which parts the insurers
                pay the practitioner directly, so the patient does not advance them.
            acts (list[FseAct] | Unset): the acts billed; a care sheet needs at least one
    """

    beneficiary: FseApcvBeneficiary | FseManualBeneficiary | FseVitaleBeneficiary
    care_pathway: FseCarePathway
    practitioner: Practitioner | Unset = UNSET
    date: datetime.date | Unset = UNSET
    insurance_nature: FseInsuranceNature | Unset = UNSET
    exoneration: FseExoneration | None | Unset = UNSET
    third_party_payment: FseThirdPartyPayment | Unset = UNSET
    acts: list[FseAct] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.fse_apcv_beneficiary import FseApcvBeneficiary  # noqa: PLC0415
        from ..models.fse_vitale_beneficiary import FseVitaleBeneficiary  # noqa: PLC0415

        beneficiary: dict[str, Any]
        if isinstance(self.beneficiary, FseApcvBeneficiary):
            beneficiary = self.beneficiary.to_dict()
        elif isinstance(self.beneficiary, FseVitaleBeneficiary):
            beneficiary = self.beneficiary.to_dict()
        else:
            beneficiary = self.beneficiary.to_dict()

        care_pathway = self.care_pathway.value

        practitioner: dict[str, Any] | Unset = UNSET
        if not isinstance(self.practitioner, Unset):
            practitioner = self.practitioner.to_dict()

        date: str | Unset = UNSET
        if not isinstance(self.date, Unset):
            date = self.date.isoformat()

        insurance_nature: str | Unset = UNSET
        if not isinstance(self.insurance_nature, Unset):
            insurance_nature = self.insurance_nature.value

        exoneration: None | str | Unset
        if isinstance(self.exoneration, Unset):
            exoneration = UNSET
        elif isinstance(self.exoneration, FseExoneration):
            exoneration = self.exoneration.value
        else:
            exoneration = self.exoneration

        third_party_payment: dict[str, Any] | Unset = UNSET
        if not isinstance(self.third_party_payment, Unset):
            third_party_payment = self.third_party_payment.to_dict()

        acts: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.acts, Unset):
            acts = []
            for acts_item_data in self.acts:
                acts_item = acts_item_data.to_dict()
                acts.append(acts_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "beneficiary": beneficiary,
                "care_pathway": care_pathway,
            }
        )
        if practitioner is not UNSET:
            field_dict["practitioner"] = practitioner
        if date is not UNSET:
            field_dict["date"] = date
        if insurance_nature is not UNSET:
            field_dict["insurance_nature"] = insurance_nature
        if exoneration is not UNSET:
            field_dict["exoneration"] = exoneration
        if third_party_payment is not UNSET:
            field_dict["third_party_payment"] = third_party_payment
        if acts is not UNSET:
            field_dict["acts"] = acts

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fse_act import FseAct  # noqa: PLC0415
        from ..models.fse_apcv_beneficiary import FseApcvBeneficiary  # noqa: PLC0415
        from ..models.fse_manual_beneficiary import FseManualBeneficiary  # noqa: PLC0415
        from ..models.fse_third_party_payment import FseThirdPartyPayment  # noqa: PLC0415
        from ..models.fse_vitale_beneficiary import FseVitaleBeneficiary  # noqa: PLC0415
        from ..models.practitioner import Practitioner  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_beneficiary(data: object) -> FseApcvBeneficiary | FseManualBeneficiary | FseVitaleBeneficiary:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_fse_beneficiary_input_type_0 = FseApcvBeneficiary.from_dict(data)

                return componentsschemas_fse_beneficiary_input_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_fse_beneficiary_input_type_1 = FseVitaleBeneficiary.from_dict(data)

                return componentsschemas_fse_beneficiary_input_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_fse_beneficiary_input_type_2 = FseManualBeneficiary.from_dict(data)

            return componentsschemas_fse_beneficiary_input_type_2

        beneficiary = _parse_beneficiary(d.pop("beneficiary"))

        care_pathway = FseCarePathway(d.pop("care_pathway"))

        _practitioner = d.pop("practitioner", UNSET)
        practitioner: Practitioner | Unset
        if isinstance(_practitioner, Unset):
            practitioner = UNSET
        else:
            practitioner = Practitioner.from_dict(_practitioner)

        _date = d.pop("date", UNSET)
        date: datetime.date | Unset
        if isinstance(_date, Unset):
            date = UNSET
        else:
            date = datetime.date.fromisoformat(_date)

        _insurance_nature = d.pop("insurance_nature", UNSET)
        insurance_nature: FseInsuranceNature | Unset
        if isinstance(_insurance_nature, Unset):
            insurance_nature = UNSET
        else:
            insurance_nature = FseInsuranceNature(_insurance_nature)

        def _parse_exoneration(data: object) -> FseExoneration | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                exoneration_type_0 = FseExoneration(data)

                return exoneration_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FseExoneration | None | Unset, data)

        exoneration = _parse_exoneration(d.pop("exoneration", UNSET))

        _third_party_payment = d.pop("third_party_payment", UNSET)
        third_party_payment: FseThirdPartyPayment | Unset
        if isinstance(_third_party_payment, Unset):
            third_party_payment = UNSET
        else:
            third_party_payment = FseThirdPartyPayment.from_dict(_third_party_payment)

        _acts = d.pop("acts", UNSET)
        acts: list[FseAct] | Unset = UNSET
        if _acts is not UNSET:
            acts = []
            for acts_item_data in _acts:
                acts_item = FseAct.from_dict(acts_item_data)

                acts.append(acts_item)

        fse_invoice_request = cls(
            beneficiary=beneficiary,
            care_pathway=care_pathway,
            practitioner=practitioner,
            date=date,
            insurance_nature=insurance_nature,
            exoneration=exoneration,
            third_party_payment=third_party_payment,
            acts=acts,
        )

        return fse_invoice_request
