from enum import StrEnum


class FseInsuranceNature(StrEnum):
    AT_MP = "at_mp"
    MALADIE = "maladie"
    MATERNITE = "maternite"

    def __str__(self) -> str:
        return str(self.value)
