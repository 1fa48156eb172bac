from enum import StrEnum


class IdentityProofParentDocument(StrEnum):
    NATIONAL_ID_CARD = "national_id_card"
    PASSPORT = "passport"
    RESIDENCE_PERMIT = "residence_permit"

    def __str__(self) -> str:
        return str(self.value)
