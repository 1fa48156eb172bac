from enum import StrEnum


class FseCarePathway(StrEnum):
    ACCES_DIRECT = "acces_direct"
    HORS_PARCOURS = "hors_parcours"
    HORS_RESIDENCE = "hors_residence"
    MEDECIN_TRAITANT = "medecin_traitant"
    NOUVEAU_MEDECIN_TRAITANT = "nouveau_medecin_traitant"
    ORIENTE = "oriente"
    URGENCE = "urgence"

    def __str__(self) -> str:
        return str(self.value)
