from enum import StrEnum


class FseInvoiceSource(StrEnum):
    APCV = "apcv"
    MANUAL = "manual"
    VITALE = "vitale"

    def __str__(self) -> str:
        return str(self.value)
