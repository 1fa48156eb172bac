from enum import StrEnum


class InsiCallOperation(StrEnum):
    RECHERCHERINSAVECCARTEVITALE = "rechercherInsAvecCarteVitale"
    RECHERCHERINSAVECTRAITSIDENTITE = "rechercherInsAvecTraitsIdentite"

    def __str__(self) -> str:
        return str(self.value)
