from enum import StrEnum


class VsmStatusStatus(StrEnum):
    NEVER = "never"
    SENT_LESS_THAN_A_YEAR = "sent_less_than_a_year"
    SENT_MORE_THAN_A_YEAR = "sent_more_than_a_year"

    def __str__(self) -> str:
        return str(self.value)
