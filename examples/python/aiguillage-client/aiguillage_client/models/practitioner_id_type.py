from enum import StrEnum


class PractitionerIdType(StrEnum):
    ADELI = "ADELI"
    RPPS = "RPPS"

    def __str__(self) -> str:
        return str(self.value)
