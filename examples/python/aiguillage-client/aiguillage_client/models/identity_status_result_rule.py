from enum import StrEnum


class IdentityStatusResultRule(StrEnum):
    DOUBTFUL = "doubtful"
    FICTITIOUS = "fictitious"
    INSI_DOWNGRADE = "insi-downgrade"
    PROVISIONAL = "provisional"
    QUALIFIED = "qualified"
    RECOVERED = "recovered"
    VALIDATED = "validated"

    def __str__(self) -> str:
        return str(self.value)
