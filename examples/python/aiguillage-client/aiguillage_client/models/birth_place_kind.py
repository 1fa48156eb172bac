from enum import StrEnum


class BirthPlaceKind(StrEnum):
    ARRONDISSEMENT = "arrondissement"
    COMMUNE = "commune"
    INCONNU = "inconnu"
    PAYS = "pays"
    TEST = "test"

    def __str__(self) -> str:
        return str(self.value)
