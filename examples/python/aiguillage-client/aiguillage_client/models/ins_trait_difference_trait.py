from enum import StrEnum


class InsTraitDifferenceTrait(StrEnum):
    BIRTH_DATE = "birth_date"
    BIRTH_NAME = "birth_name"
    BIRTH_PLACE = "birth_place"
    FIRST_NAMES = "first_names"
    SEX = "sex"

    def __str__(self) -> str:
        return str(self.value)
