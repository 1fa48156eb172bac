from enum import StrEnum


class InsHistoryCallType(StrEnum):
    INS_SEARCH = "ins.search"
    INS_VERIFY = "ins.verify"

    def __str__(self) -> str:
        return str(self.value)
