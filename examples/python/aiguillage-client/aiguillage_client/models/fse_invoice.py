from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.fse_care_pathway import FseCarePathway
from ..models.fse_exoneration import FseExoneration
from ..models.fse_insurance_nature import FseInsuranceNature
from ..models.fse_invoice_source import FseInvoiceSource
from ..models.fse_invoice_state import FseInvoiceState

if TYPE_CHECKING:
    from ..models.beneficiary import Beneficiary
    from ..models.fse_biller import FseBiller
    from ..models.fse_line import FseLine
    from ..models.fse_message import FseMessage
    from ..models.fse_return import FseReturn
    from ..models.fse_securing import FseSecuring
    from ..models.fse_third_party_payment import FseThirdPartyPayment


T = TypeVar("T", bound="FseInvoice")


@_attrs_define
class FseInvoice:
    """A care sheet (FSE): what was billed, the engine's split of the total between the insurers and the patient, and where
    it stands.

        Attributes:
            id (str): an invoice's id
            number (str): the invoice's number, fixed when it was created: the engine knows it by it
            state (FseInvoiceState): Where a care sheet is: `draft` (priced, can change), `secured`, `sent` (its lot was
                transmitted), `accepted` (ARL+) or `rejected` (ARL−: see `reason`), then `paid` or `payment_rejected`;
                `cancelled`.
            date (datetime.date): the date of care
            source (FseInvoiceSource): where the beneficiary came from: an ApCV session, a carte Vitale read, data typed in
            beneficiary (Beneficiary): A beneficiary of the Assurance Maladie as a carte Vitale or an ApCV session gives
                them: who they are, whose rights they have, where those rights are held, for which periods, and their
                exonerations. The ApCV plugin answers it; billing and INS searches take it.
            practitioner (FseBiller): The practitioner who bills.
            care_pathway (FseCarePathway): Where the visit stands in the parcours de soins coordonnés: the patient's médecin
                traitant (`medecin_traitant`), sent by them (`oriente`), a new médecin traitant being declared, an emergency
                (`urgence`), a specialty reached directly (`acces_direct`), away from home (`hors_residence`), or outside the
                parcours (`hors_parcours`: a lower AMO rate).
            insurance_nature (FseInsuranceNature): The insurance the care falls under: sickness (`maladie`), maternity
                (`maternite`) or an accident at work or occupational disease (`at_mp`).
            exoneration (FseExoneration | None): the exoneration claimed, if any
            third_party_payment (FseThirdPartyPayment): Third-party payment (tiers payant): which parts the insurers pay the
                practitioner directly, so the patient does not advance them.
            lines (list[FseLine]): each act as priced
            total (str): the sum of the lines (€)
            amo_rate (int): the AMO reimbursement rate applied, in percent
            participation (str): the participation forfaitaire withheld from the AMO part (€); `0.00` when it does not apply
            amo_due (str): what the compulsory insurance pays (€)
            amc_due (str): what the complementary insurance pays the practitioner (€), under third-party payment
            patient_due (str): what the patient pays at the desk, after third-party payment (€)
            messages (list[FseMessage]): what the engine said when pricing or securing
            degraded (bool): secured in degraded mode (no card, no app): a paper care sheet must be sent too
            securing (FseSecuring | None): how it was secured; null while a draft
            lot (None | str): the lot it is in, once in one
            reason (None | str): why it was rejected (the ARL−'s reason, or the payment rejection's code and label)
            returns (list[FseReturn]): the payments and rejections received for it, oldest first
            created_at (datetime.datetime): when it was created
            updated_at (datetime.datetime): when it last changed
    """

    id: str
    number: str
    state: FseInvoiceState
    date: datetime.date
    source: FseInvoiceSource
    beneficiary: Beneficiary
    practitioner: FseBiller
    care_pathway: FseCarePathway
    insurance_nature: FseInsuranceNature
    exoneration: FseExoneration | None
    third_party_payment: FseThirdPartyPayment
    lines: list[FseLine]
    total: str
    amo_rate: int
    participation: str
    amo_due: str
    amc_due: str
    patient_due: str
    messages: list[FseMessage]
    degraded: bool
    securing: FseSecuring | None
    lot: None | str
    reason: None | str
    returns: list[FseReturn]
    created_at: datetime.datetime
    updated_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        from ..models.fse_securing import FseSecuring  # noqa: PLC0415

        id = self.id

        number = self.number

        state = self.state.value

        date = self.date.isoformat()

        source = self.source.value

        beneficiary = self.beneficiary.to_dict()

        practitioner = self.practitioner.to_dict()

        care_pathway = self.care_pathway.value

        insurance_nature = self.insurance_nature.value

        exoneration: None | str
        if isinstance(self.exoneration, FseExoneration):
            exoneration = self.exoneration.value
        else:
            exoneration = self.exoneration

        third_party_payment = self.third_party_payment.to_dict()

        lines = []
        for lines_item_data in self.lines:
            lines_item = lines_item_data.to_dict()
            lines.append(lines_item)

        total = self.total

        amo_rate = self.amo_rate

        participation = self.participation

        amo_due = self.amo_due

        amc_due = self.amc_due

        patient_due = self.patient_due

        messages = []
        for messages_item_data in self.messages:
            messages_item = messages_item_data.to_dict()
            messages.append(messages_item)

        degraded = self.degraded

        securing: dict[str, Any] | None
        if isinstance(self.securing, FseSecuring):
            securing = self.securing.to_dict()
        else:
            securing = self.securing

        lot: None | str
        lot = self.lot

        reason: None | str
        reason = self.reason

        returns = []
        for returns_item_data in self.returns:
            returns_item = returns_item_data.to_dict()
            returns.append(returns_item)

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "number": number,
                "state": state,
                "date": date,
                "source": source,
                "beneficiary": beneficiary,
                "practitioner": practitioner,
                "care_pathway": care_pathway,
                "insurance_nature": insurance_nature,
                "exoneration": exoneration,
                "third_party_payment": third_party_payment,
                "lines": lines,
                "total": total,
                "amo_rate": amo_rate,
                "participation": participation,
                "amo_due": amo_due,
                "amc_due": amc_due,
                "patient_due": patient_due,
                "messages": messages,
                "degraded": degraded,
                "securing": securing,
                "lot": lot,
                "reason": reason,
                "returns": returns,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.beneficiary import Beneficiary  # noqa: PLC0415
        from ..models.fse_biller import FseBiller  # noqa: PLC0415
        from ..models.fse_line import FseLine  # noqa: PLC0415
        from ..models.fse_message import FseMessage  # noqa: PLC0415
        from ..models.fse_return import FseReturn  # noqa: PLC0415
        from ..models.fse_securing import FseSecuring  # noqa: PLC0415
        from ..models.fse_third_party_payment import FseThirdPartyPayment  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        number = d.pop("number")

        state = FseInvoiceState(d.pop("state"))

        date = datetime.date.fromisoformat(d.pop("date"))

        source = FseInvoiceSource(d.pop("source"))

        beneficiary = Beneficiary.from_dict(d.pop("beneficiary"))

        practitioner = FseBiller.from_dict(d.pop("practitioner"))

        care_pathway = FseCarePathway(d.pop("care_pathway"))

        insurance_nature = FseInsuranceNature(d.pop("insurance_nature"))

        def _parse_exoneration(data: object) -> FseExoneration | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                exoneration_type_0 = FseExoneration(data)

                return exoneration_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FseExoneration | None, data)

        exoneration = _parse_exoneration(d.pop("exoneration"))

        third_party_payment = FseThirdPartyPayment.from_dict(d.pop("third_party_payment"))

        lines = []
        _lines = d.pop("lines")
        for lines_item_data in _lines:
            lines_item = FseLine.from_dict(lines_item_data)

            lines.append(lines_item)

        total = d.pop("total")

        amo_rate = d.pop("amo_rate")

        participation = d.pop("participation")

        amo_due = d.pop("amo_due")

        amc_due = d.pop("amc_due")

        patient_due = d.pop("patient_due")

        messages = []
        _messages = d.pop("messages")
        for messages_item_data in _messages:
            messages_item = FseMessage.from_dict(messages_item_data)

            messages.append(messages_item)

        degraded = d.pop("degraded")

        def _parse_securing(data: object) -> FseSecuring | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                securing_type_0 = FseSecuring.from_dict(data)

                return securing_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FseSecuring | None, data)

        securing = _parse_securing(d.pop("securing"))

        def _parse_lot(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        lot = _parse_lot(d.pop("lot"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        returns = []
        _returns = d.pop("returns")
        for returns_item_data in _returns:
            returns_item = FseReturn.from_dict(returns_item_data)

            returns.append(returns_item)

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        fse_invoice = cls(
            id=id,
            number=number,
            state=state,
            date=date,
            source=source,
            beneficiary=beneficiary,
            practitioner=practitioner,
            care_pathway=care_pathway,
            insurance_nature=insurance_nature,
            exoneration=exoneration,
            third_party_payment=third_party_payment,
            lines=lines,
            total=total,
            amo_rate=amo_rate,
            participation=participation,
            amo_due=amo_due,
            amc_due=amc_due,
            patient_due=patient_due,
            messages=messages,
            degraded=degraded,
            securing=securing,
            lot=lot,
            reason=reason,
            returns=returns,
            created_at=created_at,
            updated_at=updated_at,
        )

        return fse_invoice
