"""Realistic rows of the public MSSanté directory extraction
(``Extraction_Correspondance_MSSante``), made up, for the import tests and the benchmark.

The column names are written here from the published file's header, not imported from the
plugin: a wrong name in the importer must not pass because the generator shares it. The file is
UTF-8, ``|``-separated, one header row, 31 columns; about 85 % of its mailboxes are personal
(``PER``) and the rest organisational (``ORG``).
"""

from __future__ import annotations

import random
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

COLUMNS = (
    "Type de BAL",
    "Adresse BAL",
    "Type Identifiant PP",
    "Identifiant PP",
    "Identification nationale PP",
    "Type identifiant structure",
    "Identification Structure",
    "Service de rattachement",
    "Civilité d'exercice",
    "Nom d'exercice",
    "Prénom d'exercice",
    "Catégorie profession",
    "Libellé de catégorie profession",
    "Code Profession",
    "Libellé Profession",
    "Code savoir-faire",
    "Libellé savoir-faire",
    "Dématérialisation",
    "Raison Sociale structure BAL",
    "Enseigne commerciale structure BAL",
    "L2COMPLEMENTLOCALISATION structure BAL",
    "L3COMPLEMENTDISTRIBUTION structure BAL",
    "L4NUMEROVOIE structure BAL",
    "L4COMPLEMENTNUMEROVOIE structure BAL",
    "NL4TYPEVOIE structure BAL",
    "L4LIBELLEVOIE structure BAL",
    "L5LIEUDITMENTION structure BAL",
    "L6LIGNEACHEMINEMENT structure BAL",
    "Code postal structure BAL",
    "Département structure BAL",
    "Pays structure BAL",
)
assert len(COLUMNS) == 31

#: The size of the real extraction, in rows.
FULL_SIZE = 536_000

FAMILY = (
    "MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL "
    "LEFEBVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE "
    "ROUSSEAU VINCENT MULLER LEFEVRE FAURE ANDRE MERCIER BLANC GUERIN BOYER GARNIER CHEVALIER "
    "FRANCOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLEMENT MORIN NICOLAS HENRY ROUSSEL MATHIEU "
    "GAUTIER MASSON MARCHAND DUVAL DENIS DUMONT MARIE LEMAIRE NOEL MEYER DUFOUR MEUNIER BRUN "
    "BLANCHARD GIRAUD JOLY RIVIERE LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GERARD ROCHE "
    "RENARD SCHMITT ROY LEROUX COLIN VIDAL CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD "
    "DUMAS LACROIX OLIVIER PHILIPPE BOURGEOIS PIERRE BENOIT REY LECLERC PAYET ROLLAND LECLERCQ "
    "GUILLAUME LECOMTE LOPEZ JEAN DUPUY GUILLOT HUBERT BERGER CARPENTIER SANCHEZ DUPUIS MOULIN "
    "LOUIS DESCHAMPS HUET VASSEUR PEREZ BOUCHER FLEURY ROYER KLEIN JACQUET ADAM PARIS POIRIER "
    "MARTY AUBRY GUYOT CARRE CHARLES RENAULT CHARPENTIER MENARD MAILLARD BARON BERTIN BAILLY "
    "HERVE SCHNEIDER FERNANDEZ LE-GALL COLLET LEGER BOUVIER JULIEN PREVOST MILLET PERROT "
    "DANIEL LE-ROUX COUSIN GERMAIN BRETON BESSON LANGLOIS REMY LE-GOFF PELLETIER LEVEQUE "
    "PERRIER LEBLANC BARRE LEBRUN MARCHAL WEBER MALLET HAMON BOULANGER JACOB MONNIER MICHAUD "
    "RODRIGUEZ GUICHARD GILLET ETIENNE GRONDIN POULAIN TESSIER CHEVALLIER COLLIN CHAUVIN "
    "DA-SILVA BOUCHET GAY LEMAITRE BENARD MARECHAL HUMBERT REYNAUD ANTOINE HOARAU PERRET "
    "BARTHELEMY CORDIER PICHON LEJEUNE GILBERT LAMY DELAUNAY PASQUIER CARLIER LAPORTE N'GUYEN "
    "HÉBERT CÔTÉ LEFÈVRE MÉNARD GÉRARD THÉRY BOËL"
).split()
# Syllables make the long tail of rarer names, as in the real directory (~100,000 names).
HEADS = "BOU MAR LA LE CHA DE BEL GRAN FON VAL ROCH MON BEAU SAINT DU PE TOU GUI CAR BER".split()
TAILS = "CHARD TIN VILLE LIER NIER ROUX MONT TEL GNON ZAC DIER LAIS RAND QUET SSON BERT".split()
GIVEN = (
    "JEAN MARIE PIERRE MICHEL ANNE PHILIPPE NATHALIE ISABELLE SYLVIE CATHERINE FRANÇOIS "
    "ALAIN NICOLAS CHRISTOPHE STÉPHANE LAURENT SANDRINE VALÉRIE CÉLINE JULIE SOPHIE THOMAS "
    "JULIEN AURÉLIE CAMILLE LÉA CHLOÉ HÉLÈNE EMMANUEL OLIVIER FRÉDÉRIC VINCENT ÉRIC DAVID "
    "CHRISTINE VÉRONIQUE AGNÈS BRIGITTE PASCAL THIERRY BRUNO DIDIER PATRICK SÉBASTIEN "
    "MATHIEU ANTOINE GUILLAUME MAXIME CLAIRE ÉLODIE MARION PAULINE JEAN-PIERRE JEAN-LUC "
    "MARIE-CLAIRE ANNE-SOPHIE NOÉMIE ZOÉ INÈS YASMINE MOHAMED KARIM FATIMA"
).split()
#: (code, label, share): the professions that hold most MSSanté mailboxes.
PROFESSIONS = (
    ("10", "Médecin", 45),
    ("60", "Infirmier", 18),
    ("70", "Masseur-Kinésithérapeute", 9),
    ("21", "Pharmacien", 8),
    ("40", "Chirurgien-Dentiste", 6),
    ("50", "Sage-Femme", 4),
    ("80", "Pédicure-Podologue", 2),
    ("91", "Orthophoniste", 3),
    ("92", "Orthoptiste", 1),
    ("94", "Ergothérapeute", 1),
    ("96", "Psychomotricien", 1),
    ("26", "Audioprothésiste", 1),
    ("28", "Opticien-Lunetier", 1),
)
SPECIALTIES = (
    ("SM54", "Médecine générale (SM)"),
    ("SM04", "Cardiologie et maladies vasculaires (SM)"),
    ("SM15", "Dermatologie et vénéréologie (SM)"),
    ("SM26", "Qualifié en Médecine Générale (SM)"),
    ("SM32", "Neurologie (SM)"),
    ("SM38", "Ophtalmologie (SM)"),
    ("SM40", "Oto-rhino-laryngologie (SM)"),
    ("SM42", "Pédiatrie (SM)"),
    ("SM44", "Pneumologie (SM)"),
    ("SM45", "Psychiatrie (SM)"),
    ("SM47", "Radio-diagnostic (SM)"),
    ("SM53", "Gynécologie-obstétrique (SM)"),
)
#: (postcode, city, department)
CITIES = (
    ("75002", "PARIS", "75"),
    ("75015", "PARIS", "75"),
    ("75018", "PARIS", "75"),
    ("13005", "MARSEILLE", "13"),
    ("69003", "LYON", "69"),
    ("31000", "TOULOUSE", "31"),
    ("06000", "NICE", "06"),
    ("44000", "NANTES", "44"),
    ("67000", "STRASBOURG", "67"),
    ("34000", "MONTPELLIER", "34"),
    ("33000", "BORDEAUX", "33"),
    ("59000", "LILLE", "59"),
    ("35000", "RENNES", "35"),
    ("51100", "REIMS", "51"),
    ("42000", "SAINT-ETIENNE", "42"),
    ("83000", "TOULON", "83"),
    ("38000", "GRENOBLE", "38"),
    ("21000", "DIJON", "21"),
    ("49000", "ANGERS", "49"),
    ("30000", "NIMES", "30"),
    ("63000", "CLERMONT-FERRAND", "63"),
    ("72000", "LE MANS", "72"),
    ("13100", "AIX-EN-PROVENCE", "13"),
    ("29200", "BREST", "29"),
    ("37000", "TOURS", "37"),
    ("80000", "AMIENS", "80"),
    ("87000", "LIMOGES", "87"),
    ("74000", "ANNECY", "74"),
    ("66000", "PERPIGNAN", "66"),
    ("57000", "METZ", "57"),
    ("25000", "BESANCON", "25"),
    ("45000", "ORLEANS", "45"),
    ("76000", "ROUEN", "76"),
    ("14000", "CAEN", "14"),
    ("68100", "MULHOUSE", "68"),
    ("54000", "NANCY", "54"),
    ("97400", "SAINT-DENIS", "974"),
    ("97200", "FORT-DE-FRANCE", "972"),
    ("63220", "ARLANC", "63"),
    ("22300", "LANNION", "22"),
    ("04100", "MANOSQUE", "04"),
    ("12000", "RODEZ", "12"),
    ("40000", "MONT-DE-MARSAN", "40"),
    ("05000", "GAP", "05"),
    ("2A000", "AJACCIO", "2A"),
    ("71100", "CHALON-SUR-SAONE", "71"),
)
STREET_TYPES = ("R", "AV", "BD", "PL", "CHE", "ALL", "RTE", "IMP", "QU")
STREETS = (
    "DE LA REPUBLIQUE",
    "VICTOR HUGO",
    "JEAN JAURES",
    "DU GENERAL DE GAULLE",
    "PASTEUR",
    "DE LA GARE",
    "DES ECOLES",
    "GAMBETTA",
    "DE LA PAIX",
    "DU MARECHAL FOCH",
    "NATIONALE",
    "DES TILLEULS",
    "DE L'EGLISE",
    "CARNOT",
    "SADI CARNOT",
    "DU MOULIN",
    "DES LILAS",
)
#: The operators' domains, by profession code (the others: ``pro.mssante.fr``).
DOMAINS = {
    "10": "medecin.mssante.fr",
    "60": "infirmier.mssante.fr",
    "21": "pharmacien.mssante.fr",
    "40": "chirurgien-dentiste.mssante.fr",
    "70": "masseur-kinesitherapeute.mssante.fr",
    "50": "sage-femme.mssante.fr",
}
HOSPITAL_DOMAINS = ("ch-exemple.mssante.fr", "chu-exemple.mssante.fr")
SERVICES = (
    "Secrétariat de cardiologie",
    "Service des urgences",
    "Laboratoire de biologie médicale",
    "Imagerie médicale",
    "Service de pédiatrie",
    "Consultations externes",
    "Pharmacie",
    "Bureau des admissions",
    "Service de gériatrie",
    "Maternité",
)
STRUCTURES = (
    "CENTRE HOSPITALIER",
    "CLINIQUE",
    "MAISON DE SANTE PLURIPROFESSIONNELLE",
    "CENTRE DE SANTE",
    "LABORATOIRE",
    "CABINET MEDICAL",
    "EHPAD",
    "SELARL DE BIOLOGIE",
)


class _Draw:
    """Draws from the generator's tables; a tenth of ``random.choice``'s cost, which matters
    at half a million rows."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed).random

    def __call__(self, seq: Sequence[T]) -> T:
        return seq[int(self.random() * len(seq))]

    def digits(self, count: int) -> str:
        return f"{int(self.random() * 10**count):0{count}d}"


T = TypeVar("T")


def _address(draw: _Draw) -> list[str]:
    """Columns 21-31: a structure's postal address."""
    postcode, city, department = draw(CITIES)
    return [
        draw(("", "", "", "BATIMENT A", "2E ETAGE")),
        draw(("", "", "", "BP 12", "CS 30001")),
        str(1 + int(draw.random() * 240)),
        draw(("", "", "", "", "B", "T")),
        draw(STREET_TYPES),
        draw(STREETS),
        "",
        f"{postcode} {city}" + (" CEDEX" if draw.random() < 0.05 else ""),
        postcode,
        department,
        "99100",  # France, as the INSEE country code
    ]


# Drawn once: a few thousand places of practice, shared by the rows as in the real directory.
_ADDRESSES = [_address(_Draw(n)) for n in range(4000)]
_NO_ADDRESS = [""] * 11
_PROFESSION_DRAW = [p for p in PROFESSIONS for _ in range(p[2])]


def row(draw: _Draw, n: int) -> list[str]:
    """One made-up mailbox; ``n`` keeps addresses unique."""
    if draw.random() < 0.85:
        return _personal(draw, n)
    return _organisational(draw, n)


def _personal(draw: _Draw, n: int) -> list[str]:
    family = draw(FAMILY) if draw.random() < 0.6 else draw(HEADS) + draw(TAILS)
    given = draw(GIVEN)
    code, label, _ = draw(_PROFESSION_DRAW)
    specialty = draw(SPECIALTIES) if code == "10" else ("", "")
    rpps = "10" + draw.digits(9)
    domain = DOMAINS.get(code, "pro.mssante.fr")
    local = f"{given}.{family}".lower().replace(" ", "-").replace("'", "")
    # A personal mailbox tied to one place of practice carries that structure and its address;
    # one tied to the practitioner alone has neither.
    has_structure = draw.random() < 0.6
    structure = ["3", "3" + draw.digits(14), ""] if has_structure else ["", "", ""]
    return [
        "PER",
        f"{local}.{n}@{domain}",
        "8",
        rpps,
        f"8{rpps}",
        *structure,
        draw(("DR", "M", "MME")),
        family,
        given,
        "C",
        "Civil",
        code,
        label,
        *specialty,
        draw(("true", "false")),
        f"CABINET DU DR {family}" if has_structure else "",
        "",
        *(draw(_ADDRESSES) if has_structure else _NO_ADDRESS),
    ]


def _organisational(draw: _Draw, n: int) -> list[str]:
    name = f"{draw(STRUCTURES)} {draw(CITIES)[1]}"
    return [
        "ORG",
        f"secretariat.{n}@{draw(HOSPITAL_DOMAINS)}",
        "",
        "",
        "",
        "1",
        "1" + draw.digits(9),
        draw(SERVICES),
        *[""] * 9,
        draw(("true", "false")),
        name,
        draw(("", "", name.split()[0])),
        *draw(_ADDRESSES),
    ]


def rows(count: int, seed: int = 12) -> Iterator[list[str]]:
    """``count`` made-up rows of 31 fields, the same for the same seed."""
    draw = _Draw(seed)
    for n in range(count):
        yield row(draw, n)


def line(fields: Iterable[str]) -> bytes:
    return ("|".join(fields) + "\n").encode()


def extraction(
    count: int, seed: int = 12, extra: dict[int, bytes] | None = None
) -> Iterator[bytes]:
    """The lines of an extraction file: the header, then ``count`` rows; ``extra`` puts a raw
    line (a bad one, say) at a given file line number (1 is the header)."""
    extra = dict(extra or {})
    yield line(COLUMNS)
    number = 2
    for fields in rows(count, seed):
        while number in extra:
            yield extra.pop(number)
            number += 1
        yield line(fields)
        number += 1
    for _, raw in sorted(extra.items()):
        yield raw


def write_txt(
    path: Path, count: int, seed: int = 12, extra: dict[int, bytes] | None = None
) -> Path:
    with open(path, "wb") as f:
        f.writelines(extraction(count, seed, extra))
    return path


def write_zip(
    path: Path, count: int, seed: int = 12, extra: dict[int, bytes] | None = None
) -> Path:
    """A zip holding the extraction, named as the published archive names it."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("Extraction_Correspondance_MSSante_202608261013.txt", "w") as member:
            for raw in extraction(count, seed, extra):
                member.write(raw)
    return path
