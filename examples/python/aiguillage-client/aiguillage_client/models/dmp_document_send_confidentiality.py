from enum import StrEnum


class DmpDocumentSendConfidentiality(StrEnum):
    N = "N"
    R = "R"
    V = "V"

    def __str__(self) -> str:
        return str(self.value)
