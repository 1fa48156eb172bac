from enum import StrEnum


class InsSearchResultResult(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not_found"
    SEVERAL = "several"

    def __str__(self) -> str:
        return str(self.value)
