from enum import StrEnum


class GetDmpDocumentRender(StrEnum):
    PDF = "pdf"

    def __str__(self) -> str:
        return str(self.value)
