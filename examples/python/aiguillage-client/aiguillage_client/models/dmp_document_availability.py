from enum import StrEnum


class DmpDocumentAvailability(StrEnum):
    APPROVED = "approved"
    ARCHIVED = "archived"
    DEPRECATED = "deprecated"

    def __str__(self) -> str:
        return str(self.value)
