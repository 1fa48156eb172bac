from enum import StrEnum


class IdentityStatusMissingCode(StrEnum):
    DOUBT = "doubt"
    IDENTITY_PROOF = "identity_proof"
    INSI = "insi"

    def __str__(self) -> str:
        return str(self.value)
