from enum import StrEnum


class DmpDocumentAction(StrEnum):
    ARCHIVE = "archive"
    DELETE = "delete"
    HIDE_FROM_PATIENT = "hide_from_patient"
    MASK = "mask"
    UNMASK = "unmask"

    def __str__(self) -> str:
        return str(self.value)
