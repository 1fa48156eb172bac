from enum import StrEnum


class IdentityStatusRequestAttributesItem(StrEnum):
    DOUBTFUL = "doubtful"
    FICTITIOUS = "fictitious"
    HOMONYM = "homonym"

    def __str__(self) -> str:
        return str(self.value)
