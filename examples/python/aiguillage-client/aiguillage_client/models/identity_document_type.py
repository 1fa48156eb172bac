from enum import StrEnum


class IdentityDocumentType(StrEnum):
    BIRTH_CERTIFICATE = "birth_certificate"
    DRIVING_LICENCE = "driving_licence"
    FAMILY_RECORD_BOOK = "family_record_book"
    HEALTH_INSURANCE_CARD = "health_insurance_card"
    MINOR_TRAVEL_DOCUMENT = "minor_travel_document"
    NATIONAL_ID_CARD = "national_id_card"
    OTHER = "other"
    PASSPORT = "passport"
    RESIDENCE_PERMIT = "residence_permit"

    def __str__(self) -> str:
        return str(self.value)
