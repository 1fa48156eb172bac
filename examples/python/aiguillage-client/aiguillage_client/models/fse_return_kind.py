from enum import StrEnum


class FseReturnKind(StrEnum):
    PAYMENT = "payment"
    REJECTION = "rejection"

    def __str__(self) -> str:
        return str(self.value)
